// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: kernel UDP sockets - the instance's port 123 (IPv4 and IPv6), the
 * server associations' ephemeral ports, the receive hook and the transmit
 * path.
 *
 * Packets are handled in the UDP receive path itself (an encapsulation
 * receive hook, in softirq): nothing is queued to a socket or a thread.
 * A packet is sent by routing it first and filling its transmit timestamp
 * as the last step before it is handed to the IP layer.
 *
 * An answer is built in its request's skb when it can be (kntp_sock_turn()):
 * the receive path owns the request's skb and lends it through struct
 * kntp_rx's @skb; the sender that takes it over clears that pointer, and
 * the receive path frees only what is still there when it is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errqueue.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "kntp.h"
#include "core/wire.h"

/* Room in front of the NTP packet for the UDP, IP and link headers. */
#define KNTP_HEADROOM	(MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(struct udphdr))

/* Encapsulation type for setup_udp_tunnel_sock(): any non-zero value. */
#define KNTP_ENCAP_TYPE	1

static int kntp_sock_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct kntp_sock *ks = rcu_dereference_sk_user_data(sk);

	if (unlikely(!ks)) {
		kfree_skb(skb);
		return 0;
	}
	return kntp_proto_rcv(ks, skb);
}

/* Called when the stack queues a transmit timestamp (or an error). */
static void kntp_sock_error_report(struct sock *sk)
{
	struct kntp_sock *ks;

	rcu_read_lock();
	ks = rcu_dereference_sk_user_data(sk);
	if (ks)
		queue_work(system_wq, &ks->errq_work);
	rcu_read_unlock();
}

static void kntp_sock_errq_work(struct work_struct *work)
{
	kntp_tx_stamp_collect(container_of(work, struct kntp_sock, errq_work));
}

/**
 * kntp_sock_open() - open and bind one UDP socket with our receive hook
 * @kn: instance
 * @family: AF_INET or AF_INET6 (IPv6 sockets are v6-only)
 * @port: local port, host order; 0 for a random ephemeral port
 * @assoc: the association the socket serves, NULL for the instance
 *
 * Return: the socket or an ERR_PTR (-EADDRINUSE when the port is taken).
 */
struct kntp_sock *kntp_sock_open(struct kntp_net *kn, int family, u16 port,
				 struct kntp_assoc *assoc)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.encap_type = KNTP_ENCAP_TYPE,
		.encap_rcv = kntp_sock_encap_rcv,
	};
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
		.ipv6_v6only = 1,
		.use_udp_checksums = 1,
		.use_udp6_tx_checksums = 1,
		.use_udp6_rx_checksums = 1,
	};
	struct kntp_sock *ks;
	struct sock *sk;
	int err;

	if (family == AF_INET6)
		cfg.local_ip6 = in6addr_any;
	/* Charged to the memory cgroup of whoever configured it. */
	ks = kzalloc(sizeof(*ks), GFP_KERNEL_ACCOUNT);
	if (!ks)
		return ERR_PTR(-ENOMEM);
	ks->kn = kn;
	ks->assoc = assoc;
	INIT_WORK(&ks->errq_work, kntp_sock_errq_work);

	err = udp_sock_create(kn->net, &cfg, &ks->sock);
	if (err) {
		kfree(ks);
		return ERR_PTR(err);
	}
	sk = ks->sock->sk;
	/*
	 * Transmit timestamps come back on the error queue, tagged with the
	 * key we put in the skb (the association id), without the payload.
	 */
	sk->sk_tsflags = SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY |
			 SOF_TIMESTAMPING_SOFTWARE;
	write_lock_bh(&sk->sk_callback_lock);
	ks->error_report = sk->sk_error_report;
	sk->sk_error_report = kntp_sock_error_report;
	write_unlock_bh(&sk->sk_callback_lock);

	tcfg.sk_user_data = ks;
	setup_udp_tunnel_sock(kn->net, ks->sock, &tcfg);
	return ks;
}

/**
 * kntp_sock_close() - close a socket; none of our code runs for it after this
 * @ks: socket from kntp_sock_open(), may be NULL
 *
 * Sleeps. The order matters: the user data is cleared first, so the
 * receive hook and the error report see NULL and do nothing; a grace
 * period then waits for those that still saw @ks (both read it under RCU);
 * after it nothing can queue the error queue work, so cancelling it is
 * final; only then is the socket released (the work uses it) and @ks freed.
 */
void kntp_sock_close(struct kntp_sock *ks)
{
	struct sock *sk;

	if (!ks)
		return;
	sk = ks->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_error_report = ks->error_report;
	write_unlock_bh(&sk->sk_callback_lock);
	synchronize_rcu();
	cancel_work_sync(&ks->errq_work);
	/* udp_tunnel_sock_release() without its second grace period. */
	kernel_sock_shutdown(ks->sock, SHUT_RDWR);
	sock_release(ks->sock);
	kfree(ks);
}

/* Our local port, host order. */
u16 kntp_sock_port(const struct kntp_sock *ks)
{
	return ntohs(inet_sk(ks->sock->sk)->inet_sport);
}

/* The instance's port-123 socket of a family, under rcu_read_lock(). */
struct kntp_sock *kntp_sock_for(struct kntp_net *kn, int family)
{
	return family == AF_INET ? rcu_dereference(kn->sock4) :
				   rcu_dereference(kn->sock6);
}

/*
 * Whether the request's flow hash is its answer's: when the stack computed
 * it (a software hash) from the addresses and the ports, it is the same
 * both ways (__flow_hash_consistentify() orders the two ends before
 * hashing), and what steers the answer by it - fq_codel's and fq's flows,
 * a transmit queue, RPS at a veth's other end - need not dissect the
 * answer again. Not a device's hash (RSS: its own function, one way), and
 * not an IPv6 request's with a flow label: its hash stops at the label,
 * and the answer has none (udp_tunnel6_xmit_skb() with label 0).
 */
static bool kntp_sock_hash_both(const struct sk_buff *skb)
{
	if (!skb->sw_hash || !skb->l4_hash)
		return false;
	return skb->protocol != htons(ETH_P_IPV6) ||
	       !ip6_flowlabel(ipv6_hdr(skb));
}

/*
 * The request's skb made into its answer's (@len bytes of payload, with
 * @headroom for the headers below), as the stack's forwarding keeps a
 * packet's buffer: the allocation of a fresh skb and the free of the
 * request were a fifth of an answer's cost. Everything the request's way in
 * left in the skb goes, as if it were one of our own: its socket, route,
 * conntrack entry and extensions (IPsec's secpath), mark and priority (the
 * answer's own policy decides), its receive stamp (on the way out it would
 * be a departure time, which fq drops as decades late), checksum state,
 * VLAN tag and redirect, its timestamping flags, and its device
 * (iptunnel_xmit() counts tunnel statistics on skb->dev). Data that a
 * packet tap's clone shares is copied first: the tap keeps the request.
 * Its flow hash stays when it is the answer's too (kntp_sock_hash_both()).
 *
 * Not a request in the emergency reserves (pfmemalloc): those are for what
 * frees memory, and a socket that receives such an skb drops it.
 *
 * Return: false when it cannot be (shared, reassembled from fragments,
 * GSO, from the reserves, not the room): the caller still owns @skb then.
 */
static bool kntp_sock_turn(struct sk_buff *skb, unsigned int len,
			   unsigned int headroom)
{
	unsigned int off = skb_transport_offset(skb) + sizeof(struct udphdr);
	bool hash = kntp_sock_hash_both(skb);

	if (skb_shared(skb) || skb_is_gso(skb) || skb_has_frag_list(skb) ||
	    skb_pfmemalloc(skb))
		return false;
	if (skb_unclone(skb, GFP_ATOMIC) || pskb_trim(skb, off))
		return false;
	__skb_pull(skb, off);
	if (skb_headroom(skb) < headroom || skb_tailroom(skb) < len)
		return false;
	skb_orphan(skb);
	skb_scrub_packet(skb, true);
	skb_set_delivery_time(skb, 0, false);
	skb->dev = NULL;
	skb->priority = 0;
	skb->ip_summed = CHECKSUM_NONE;
	skb->encapsulation = 0;
	if (!hash)
		skb_clear_hash(skb);
	skb_reset_redirect(skb);
	__vlan_hwaccel_clear_tag(skb);
	skb_shinfo(skb)->tx_flags = 0;
	skb_hwtstamps(skb)->hwtstamp = 0;
	return true;
}

/*
 * The skb for @xm, going out on @dev: the request's, when @xm may take it
 * over and it can be, else a fresh one.
 */
static struct sk_buff *kntp_sock_skb(struct kntp_xmit *xm,
				     unsigned int headroom, u8 **payload)
{
	size_t mac_len = xm->key ? kntp_key_mac_len(xm->key, xm->pkt) : 0;
	struct sk_buff *skb = xm->request ? *xm->request : NULL;

	if (skb && kntp_sock_turn(skb, xm->len + mac_len, headroom)) {
		*xm->request = NULL;
	} else {
		skb = alloc_skb(KNTP_HEADROOM + xm->len + mac_len, GFP_ATOMIC);
		if (!skb)
			return NULL;
		skb_reserve(skb, KNTP_HEADROOM);
	}
	*payload = skb_put_data(skb, xm->pkt, xm->len);
	/* Room for the MAC, written with the transmit timestamp. */
	skb_put(skb, mac_len);
	if (xm->tskey) {
		/* The stamp is reported to the socket that owns the skb. */
		skb_set_owner_w(skb, xm->ks->sock->sk);
		kntp_tx_stamp_request(skb, xm->tskey);
	}
	return skb;
}

/*
 * Fill the transmit timestamp: the last step before the IP layer, but for
 * the MAC, which covers it. Frees @skb when the MAC cannot be computed.
 */
static int kntp_sock_stamp(struct kntp_xmit *xm, struct sk_buff *skb,
			   u8 *payload, s64 *xmt_ns)
{
	int err;

	*xmt_ns = kntp_clock_now(xm->ks->kn);
	if (!xm->xmt_set)
		ntp_encode_xmt(payload, ntp_ts_from_ns(*xmt_ns) &
				~(u64)xm->xmt_even);
	if (!xm->key)
		return 0;
	err = kntp_auth_sign(xm->key, payload, xm->len);
	if (err)
		kfree_skb(skb);
	return err;
}

static int kntp_sock_send4(struct kntp_xmit *xm, s64 *xmt_ns)
{
	struct sock *sk = xm->ks->sock->sk;
	__be16 sport = inet_sk(sk)->inet_sport;
	struct flowi4 fl4 = {
		.daddr = xm->dst->v4,
		.saddr = xm->src.family ? xm->src.v4 : 0,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_dport = xm->dport,
		.fl4_sport = sport,
	};
	struct sk_buff *skb;
	struct rtable *rt;
	u8 *payload;

	/*
	 * An answer's source is where its request was sent, which the stack
	 * took as local to deliver it: no need to ask again whether it is
	 * (__ip_dev_find(): a hash lookup, and for an AnyIP address, on a
	 * local route and no device, a lookup in the local table).
	 */
	if (xm->src.family)
		fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	rt = ip_route_output_flow(sock_net(sk), &fl4, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb = kntp_sock_skb(xm, LL_RESERVED_SPACE(rt->dst.dev) +
			    sizeof(struct iphdr) + sizeof(struct udphdr), &payload);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	if (kntp_sock_stamp(xm, skb, payload, xmt_ns)) {
		ip_rt_put(rt);
		return -EINVAL;
	}
	/*
	 * iptunnel_xmit() adds to the tunnel statistics of skb->dev when it
	 * is set: a fresh skb has none, a request's is cleared
	 * (kntp_sock_turn()), and we are no tunnel. Don't fragment, unless
	 * the route's MTU is locked: what the kernel's UDP sends by default
	 * (IP_PMTUDISC_WANT, ip_dont_fragment()).
	 */
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), htons(IP_DF), sport,
			    xm->dport, false, false);
	return 0;
}

static int kntp_sock_send6(struct kntp_xmit *xm, s64 *xmt_ns)
{
	struct sock *sk = xm->ks->sock->sk;
	__be16 sport = inet_sk(sk)->inet_sport;
	struct flowi6 fl6 = {
		.daddr = xm->dst->v6,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_dport = xm->dport,
		.fl6_sport = sport,
	};
	struct dst_entry *dst;
	struct sk_buff *skb;
	u8 *payload;

	if (xm->src.family)
		fl6.saddr = xm->src.v6;
	dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb = kntp_sock_skb(xm, LL_RESERVED_SPACE(dst->dev) +
			    sizeof(struct ipv6hdr) + sizeof(struct udphdr), &payload);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	if (kntp_sock_stamp(xm, skb, payload, xmt_ns)) {
		dst_release(dst);
		return -EINVAL;
	}
	/*
	 * No tunnel device (NULL): ip6tunnel_xmit() would add to its per-CPU
	 * tunnel statistics (dev->tstats), which the route's device does not
	 * have - loopback and veth keep smaller per-CPU counters in that
	 * union, physical NICs none at all.
	 */
	return udp_tunnel6_xmit_skb(dst, sk, skb, NULL, &fl6.saddr,
				    &fl6.daddr, 0, ip6_dst_hoplimit(dst), 0,
				    sport, xm->dport, false);
}

/* The IPv4 header of an answer sent unrouted, @ulen bytes of UDP behind. */
static void kntp_sock_l2_ip4(struct kntp_xmit *xm, struct sk_buff *skb,
			     unsigned int ulen)
{
	struct net *net = dev_net(xm->l2->dev);
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	/*
	 * Don't fragment, as the kernel's UDP sends by default (so do
	 * chronyd's and ntpd's answers): an answer is no longer than its
	 * request, which came over this link. Such a datagram's ID is 0
	 * (RFC 6864 sec. 4.1), and no shared counter is written for it.
	 */
	iph->frag_off = htons(IP_DF);
	iph->ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = xm->src.v4;
	iph->daddr = xm->dst->v4;
	ip_select_ident(net, skb, NULL);
	ip_send_check(iph);
	udp_set_csum(false, skb, iph->saddr, iph->daddr, ulen);
	skb->protocol = htons(ETH_P_IP);
}

/* The IPv6 header: the device's hop limit, as a route through it has. */
static void kntp_sock_l2_ip6(struct kntp_xmit *xm, struct sk_buff *skb,
			     unsigned int ulen)
{
	struct net_device *dev = xm->l2->dev;
	struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));
	struct inet6_dev *idev = __in6_dev_get(dev);

	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = idev ? READ_ONCE(idev->cnf.hop_limit) :
		READ_ONCE(dev_net(dev)->ipv6.devconf_all->hop_limit);
	ip6h->saddr = xm->src.v6;
	ip6h->daddr = xm->dst->v6;
	udp6_set_csum(false, skb, &ip6h->saddr, &ip6h->daddr, ulen);
	skb->protocol = htons(ETH_P_IPV6);
}

/*
 * An answer to a request taken at a device's ingress (kmod/ingress.c): out
 * of that device to the link address the request came from, unrouted, the
 * IP and UDP headers our own. Under RCU, which keeps the device.
 */
static int kntp_sock_send_l2(struct kntp_xmit *xm, s64 *xmt_ns)
{
	struct net_device *dev = xm->l2->dev;
	bool v4 = xm->dst->family == AF_INET;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct ethhdr *eth;
	unsigned int ulen;
	u8 *payload;

	skb = kntp_sock_skb(xm, ETH_HLEN + sizeof(*uh) +
			    (v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr)),
			    &payload);
	if (!skb)
		return -ENOMEM;
	if (kntp_sock_stamp(xm, skb, payload, xmt_ns))
		return -EINVAL;
	ulen = skb->len + sizeof(*uh);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = inet_sk(xm->ks->sock->sk)->inet_sport;
	uh->dest = xm->dport;
	uh->len = htons(ulen);
	/* uh->check: udp_set_csum() and udp6_set_csum() write it. */
	if (v4)
		kntp_sock_l2_ip4(xm, skb, ulen);
	else
		kntp_sock_l2_ip6(xm, skb, ulen);
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, xm->l2->peer);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = skb->protocol;
	skb->dev = dev;
	/* Dropped by the queue or the device: no error of ours to report. */
	dev_queue_xmit(skb);
	return 0;
}

/**
 * kntp_sock_send() - route and send one NTP packet
 * @xm: what to send; @xm->pkt gets its transmit timestamp
 * @xmt_ns: the transmit timestamp written (or the time it would have been
 *	written, for a packet that carries its own), Unix ns
 *
 * Any context (softirq included).
 *
 * Return: 0 or a negative errno (no route, no memory).
 */
int kntp_sock_send(struct kntp_xmit *xm, s64 *xmt_ns)
{
	if (xm->l2)
		return kntp_sock_send_l2(xm, xmt_ns);
	if (xm->dst->family == AF_INET)
		return kntp_sock_send4(xm, xmt_ns);
	return kntp_sock_send6(xm, xmt_ns);
}
