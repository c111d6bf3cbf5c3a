// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: answering requests at a device's ingress ("ntp serve ingress
 * IFNAME", KNTP_CMD_INGRESS_ADD).
 *
 * A netfilter hook on the device's netdev ingress, where tc's ingress runs,
 * takes the client requests that port 123 would get anyway - mode 3, UDP
 * to port 123 of an address of that very device, in one unfragmented
 * datagram whose headers and checksums the IP and UDP layers would accept
 * - and kntp handles them as it handles its socket's (kmod/proto.c): the
 * access groups, rate limiting, authentication and the counters are the
 * same. Peers' and servers' packets, which may steer the clock, always go
 * the whole way up the stack. An answer goes
 * back out of the same device to the link address the request came from,
 * unrouted, with IP and UDP headers of our own: no route lookup, no IP
 * layer either way. Everything else goes on up the stack untouched; so do
 * all packets while the instance is disabled.
 *
 * What it skips is what a user asks for it to skip: netfilter's input,
 * output and conntrack, the routing policy, reverse path filtering. It
 * answers only on the devices named, only to the sender's link address.
 *
 * Lifetime and locking: an instance's hooks (struct kntp_ingress) are on
 * kn->ingress, an RCU list written under RTNL - by the commands here, by
 * the netdevice notifier when a device unregisters or leaves the namespace
 * (which takes its hook with it), and when the instance goes. A hook holds
 * a tracked reference to its device. A hook may still be running on
 * another CPU when nf_unregister_net_hook() returns: the entry is freed
 * after a grace period, and the instance waits for one before it is
 * freed (kntp_ingress_exit()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "kntp.h"
#include "core/wire.h"

/**
 * struct kntp_ingress - one device's hook
 * @node: on kn->ingress
 * @ops: the netfilter hook; @ops.dev its device, @ops.priv the instance
 * @tracker: the reference to the device
 * @ifindex: the device's index, for status: a copy, as status reads the
 *	list under RCU alone and the device may be put by then
 * @rcu: frees it
 */
struct kntp_ingress {
	struct list_head node;
	struct nf_hook_ops ops;
	netdevice_tracker tracker;
	int ifindex;
	struct rcu_head rcu;
};

const struct nla_policy kntp_ingress_nl_policy[KNTP_A_INGRESS_MAX + 1] = {
	[KNTP_A_INGRESS_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

#ifdef CONFIG_NETFILTER_INGRESS
/*
 * A client's request (mode 3), the one packet answered without state: what
 * a peer or a server sends, which may steer the clock, always takes the
 * whole way up the stack, with its filters and reverse path checks.
 */
static bool kntp_ingress_client(const struct udphdr *uh)
{
	return (*(const u8 *)(uh + 1) & NTP_MODE_MASK) == NTP_MODE_CLIENT;
}

/* A source no answer may go to: what the IP layer drops as martian. */
static bool kntp_ingress_bad_src4(__be32 a)
{
	return ipv4_is_multicast(a) || ipv4_is_lbcast(a) ||
	       ipv4_is_zeronet(a) || ipv4_is_loopback(a);
}

/*
 * The UDP checksum, as udp_rcv() checks it (a zero one only over IPv4):
 * over the datagram from its UDP header, so @skb is pulled to it for the
 * check and pushed back after, a device's CHECKSUM_COMPLETE sum moved with
 * it both ways as the IP layers move it. Sets the transport header.
 */
static bool kntp_ingress_csum_ok(struct sk_buff *skb, unsigned int nhlen,
				 bool v4)
{
	const struct udphdr *uh;
	bool ok;

	skb_set_transport_header(skb, nhlen);
	__skb_pull(skb, nhlen);
	skb_postpull_rcsum(skb, skb_network_header(skb), nhlen);
	uh = udp_hdr(skb);
	if (v4)
		ok = !skb_checksum_init_zero_check(skb, IPPROTO_UDP, uh->check,
						   inet_compute_pseudo);
	else
		ok = !skb_checksum_init(skb, IPPROTO_UDP, ip6_compute_pseudo);
	ok = ok && !skb_checksum_complete(skb);
	__skb_push(skb, nhlen);
	skb_postpush_rcsum(skb, skb_network_header(skb), nhlen);
	return ok;
}

/*
 * An IPv4 request for us: the checks of ip_rcv_core() and
 * __udp4_lib_rcv() that matter here, stricter where that is simpler (no
 * IP options). Trims @skb to the datagram; sets its transport header.
 */
static bool kntp_ingress_take4(struct sk_buff *skb, struct net *net)
{
	const struct iphdr *iph;
	const struct udphdr *uh;
	unsigned int tot, ulen;

	if (!pskb_may_pull(skb, sizeof(*iph) + sizeof(*uh) + 1))
		return false;
	iph = ip_hdr(skb);
	if (iph->version != 4 || iph->ihl != sizeof(*iph) / 4 ||
	    iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return false;
	tot = ntohs(iph->tot_len);
	if (tot > skb->len || tot < sizeof(*iph) + sizeof(*uh) ||
	    ip_fast_csum(iph, iph->ihl))
		return false;
	uh = (const struct udphdr *)(iph + 1);
	ulen = ntohs(uh->len);
	if (uh->dest != htons(NTP_PORT) || !kntp_ingress_client(uh) ||
	    ulen <= sizeof(*uh) || ulen > tot - sizeof(*iph) ||
	    kntp_ingress_bad_src4(iph->saddr))
		return false;
	/* An address of this device; not a broadcast, not another host's. */
	if (__ip_dev_find(net, iph->daddr, false) != skb->dev)
		return false;
	if (pskb_trim_rcsum(skb, sizeof(*iph) + ulen))
		return false;
	return kntp_ingress_csum_ok(skb, sizeof(*iph), true);
}

/* The same for IPv6: no extension headers, a checksum always. */
static bool kntp_ingress_take6(struct sk_buff *skb, struct net *net)
{
	const struct ipv6hdr *ip6h;
	const struct udphdr *uh;
	unsigned int plen, ulen;
	int type;

	if (!pskb_may_pull(skb, sizeof(*ip6h) + sizeof(*uh) + 1))
		return false;
	ip6h = ipv6_hdr(skb);
	if (ip6h->version != 6 || ip6h->nexthdr != IPPROTO_UDP)
		return false;
	plen = ntohs(ip6h->payload_len);
	if (plen > skb->len - sizeof(*ip6h) || plen <= sizeof(*uh))
		return false;
	uh = (const struct udphdr *)(ip6h + 1);
	ulen = ntohs(uh->len);
	if (uh->dest != htons(NTP_PORT) || !kntp_ingress_client(uh) ||
	    ulen != plen)
		return false;
	type = ipv6_addr_type(&ip6h->saddr);
	if (type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
		    IPV6_ADDR_MAPPED) || type == IPV6_ADDR_ANY)
		return false;
	/* Strict: on this device, whatever the address's scope. */
	if (ipv6_addr_is_multicast(&ip6h->daddr) ||
	    !ipv6_chk_addr(net, &ip6h->daddr, skb->dev, 1))
		return false;
	if (pskb_trim_rcsum(skb, sizeof(*ip6h) + ulen))
		return false;
	return kntp_ingress_csum_ok(skb, sizeof(*ip6h), false);
}

static unsigned int kntp_ingress_hook(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct kntp_net *kn = priv;
	struct kntp_sock *ks;
	struct kntp_l2 l2;
	bool taken;

	/*
	 * Not shared: the stack passes on what we do not take, and a tap
	 * that holds this skb keeps it as it came.
	 */
	if (skb->pkt_type != PACKET_HOST || skb_shared(skb) ||
	    skb_vlan_tag_present(skb) || skb->mac_len != ETH_HLEN ||
	    !is_valid_ether_addr(eth_hdr(skb)->h_source))
		return NF_ACCEPT;
	if (skb->protocol == htons(ETH_P_IP))
		ks = rcu_dereference(kn->sock4);
	else if (skb->protocol == htons(ETH_P_IPV6))
		ks = rcu_dereference(kn->sock6);
	else
		return NF_ACCEPT;
	if (!ks)
		return NF_ACCEPT;
	taken = skb->protocol == htons(ETH_P_IP) ?
		kntp_ingress_take4(skb, state->net) :
		kntp_ingress_take6(skb, state->net);
	if (!taken)
		return NF_ACCEPT;
	l2.dev = skb->dev;
	ether_addr_copy(l2.peer, eth_hdr(skb)->h_source);
	kntp_proto_rcv_l2(ks, skb, &l2);
	return NF_STOLEN;
}

/* Hook @in's device. RTNL held. */
static int kntp_ingress_register(struct kntp_net *kn, struct kntp_ingress *in)
{
	in->ops.hook = kntp_ingress_hook;
	return nf_register_net_hook(kn->net, &in->ops);
}

static void kntp_ingress_unregister(struct kntp_net *kn,
				    struct kntp_ingress *in)
{
	nf_unregister_net_hook(kn->net, &in->ops);
}
#else
/* A kernel without netfilter's ingress hook (CONFIG_NETFILTER_INGRESS). */
static int kntp_ingress_register(struct kntp_net *kn, struct kntp_ingress *in)
{
	return -EOPNOTSUPP;
}

static void kntp_ingress_unregister(struct kntp_net *kn,
				    struct kntp_ingress *in)
{
}
#endif

/* @dev's hook in @kn, if any. RTNL held. */
static struct kntp_ingress *kntp_ingress_find(struct kntp_net *kn,
					      const struct net_device *dev)
{
	struct kntp_ingress *in;

	list_for_each_entry(in, &kn->ingress, node)
		if (in->ops.dev == dev)
			return in;
	return NULL;
}

/* Unhook and free @in. RTNL held. */
static void kntp_ingress_remove(struct kntp_net *kn, struct kntp_ingress *in)
{
	ASSERT_RTNL();
	list_del_rcu(&in->node);
	kn->n_ingress--;
	kntp_ingress_unregister(kn, in);
	netdev_put(in->ops.dev, &in->tracker);
	kfree_rcu(in, rcu);
}

static int kntp_ingress_add(struct kntp_net *kn, int ifindex,
			    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct kntp_ingress *in;
	int err;

	in = kzalloc(sizeof(*in), GFP_KERNEL_ACCOUNT);
	if (!in)
		return -ENOMEM;
	rtnl_lock();
	/* Under RTNL a registered device stays so until we unlock. */
	dev = __dev_get_by_index(kn->net, ifindex);
	err = -ENODEV;
	if (!dev) {
		NL_SET_ERR_MSG_MOD(extack, "no such device in this network namespace");
		goto err;
	}
	err = -EOPNOTSUPP;
	if (dev->type != ARPHRD_ETHER || dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "answers at ingress need an Ethernet device");
		goto err;
	}
	if (netif_is_l3_master(dev) || netif_is_l3_slave(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a VRF or its port: answers would skip its routing");
		goto err;
	}
	err = -EEXIST;
	if (kntp_ingress_find(kn, dev)) {
		NL_SET_ERR_MSG_MOD(extack, "already answering at this device's ingress");
		goto err;
	}
	err = -ENOSPC;
	if (kn->n_ingress >= KNTP_INGRESS_DEVICES_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "at most " __stringify(KNTP_INGRESS_DEVICES_MAX) " devices");
		goto err;
	}
	in->ifindex = ifindex;
	in->ops.priv = kn;
	in->ops.pf = NFPROTO_NETDEV;
	in->ops.hooknum = NF_NETDEV_INGRESS;
	/* After nftables' netdev chains at their usual priority 0. */
	in->ops.priority = 1;
	in->ops.dev = dev;
	err = kntp_ingress_register(kn, in);
	if (err == -EOPNOTSUPP) {
		NL_SET_ERR_MSG_MOD(extack,
				   "this kernel has no netfilter ingress hook (CONFIG_NETFILTER_INGRESS)");
		goto err;
	}
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot hook the device's ingress");
		goto err;
	}
	netdev_hold(dev, &in->tracker, GFP_KERNEL);
	list_add_tail_rcu(&in->node, &kn->ingress);
	kn->n_ingress++;
	kn->ingress_used = true;
	rtnl_unlock();
	return 0;
err:
	rtnl_unlock();
	kfree(in);
	return err;
}

static int kntp_ingress_del(struct kntp_net *kn, int ifindex,
			    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct kntp_ingress *in = NULL;

	rtnl_lock();
	dev = __dev_get_by_index(kn->net, ifindex);
	if (dev)
		in = kntp_ingress_find(kn, dev);
	if (in)
		kntp_ingress_remove(kn, in);
	rtnl_unlock();
	if (!in) {
		NL_SET_ERR_MSG_MOD(extack, "not answering at this device's ingress");
		return -ENOENT;
	}
	return 0;
}

static int kntp_ingress_ifindex(struct genl_info *info)
{
	struct nlattr *tb[KNTP_A_INGRESS_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KNTP_A_INGRESS)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing KNTP_A_INGRESS");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KNTP_A_INGRESS_MAX,
			       info->attrs[KNTP_A_INGRESS],
			       kntp_ingress_nl_policy, info->extack);
	if (err)
		return err;
	if (!tb[KNTP_A_INGRESS_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KNTP_A_INGRESS],
				    "missing the device (KNTP_A_INGRESS_IFINDEX)");
		return -EINVAL;
	}
	return nla_get_u32(tb[KNTP_A_INGRESS_IFINDEX]);
}

int kntp_nl_ingress_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ifindex = kntp_ingress_ifindex(info);

	if (ifindex < 0)
		return ifindex;
	return kntp_ingress_add(kntp_net(genl_info_net(info)), ifindex,
				info->extack);
}

int kntp_nl_ingress_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ifindex = kntp_ingress_ifindex(info);

	if (ifindex < 0)
		return ifindex;
	return kntp_ingress_del(kntp_net(genl_info_net(info)), ifindex,
				info->extack);
}

/**
 * kntp_ingress_fill() - the KNTP_A_STATUS_INGRESS nest: the devices
 * @skb: message
 * @kn: instance
 *
 * Return: 0 or -EMSGSIZE.
 */
int kntp_ingress_fill(struct sk_buff *skb, struct kntp_net *kn)
{
	struct kntp_ingress *in;
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(skb, KNTP_A_STATUS_INGRESS);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	list_for_each_entry_rcu(in, &kn->ingress, node) {
		err = nla_put_u32(skb, KNTP_A_INGRESS_IFINDEX, in->ifindex);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int kntp_ingress_netdev_event(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct kntp_net *kn;
	struct kntp_ingress *in;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	kn = kntp_net(dev_net(dev));
	in = kntp_ingress_find(kn, dev);
	if (in) {
		pr_info("%s leaves: no more answers at its ingress\n", dev->name);
		kntp_ingress_remove(kn, in);
	}
	return NOTIFY_DONE;
}

static struct notifier_block kntp_ingress_notifier = {
	.notifier_call = kntp_ingress_netdev_event,
};

void kntp_ingress_init(struct kntp_net *kn)
{
	INIT_LIST_HEAD(&kn->ingress);
}

/**
 * kntp_ingress_exit() - unhook every device of an instance that goes
 * @kn: instance
 *
 * Sleeps. No hook of @kn runs once it returns.
 */
void kntp_ingress_exit(struct kntp_net *kn)
{
	struct kntp_ingress *in, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(in, tmp, &kn->ingress, node)
		kntp_ingress_remove(kn, in);
	rtnl_unlock();
	/*
	 * A hook that was running when it was unhooked (here, or when its
	 * device went) has returned. An instance that never hooked a device
	 * does not wait.
	 */
	if (kn->ingress_used)
		synchronize_net();
}

int kntp_ingress_module_init(void)
{
	return register_netdevice_notifier(&kntp_ingress_notifier);
}

void kntp_ingress_module_exit(void)
{
	unregister_netdevice_notifier(&kntp_ingress_notifier);
}
