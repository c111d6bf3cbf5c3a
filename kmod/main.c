// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: NTPv4 (RFC 5905) in the kernel - module init/exit and the
 * per-network-namespace instances.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "kntp.h"

/* Clock reads when measuring the precision; the minimum step is kept. */
#define KNTP_PRECISION_SAMPLES	64
/* log2 s: 2^-30 s is about 1 ns, the resolution of ktime. */
#define KNTP_PRECISION_MIN	(-30)

static unsigned int kntp_net_id __read_mostly;

/*
 * The namespace's generic slot holds a pointer: the instance itself is
 * allocated here, so that it is charged to the memory cgroup of whoever
 * creates the namespace (the slot's own memory is not).
 */
struct kntp_net_slot {
	struct kntp_net *kn;
};

/* log2 s, measured once at load by kntp_measure_precision(). */
s8 kntp_precision;

struct kntp_net *kntp_net(const struct net *net)
{
	return ((struct kntp_net_slot *)net_generic(net, kntp_net_id))->kn;
}

/*
 * RFC 5905 sec. 7.3 "precision": the time to read the system clock, as a
 * power of two in seconds, rounded up. Measured as the smallest non-zero
 * step between consecutive reads of the clock we timestamp with.
 */
static s8 kntp_measure_precision(void)
{
	u64 step_ns = U64_MAX;
	u64 prev_ns, now_ns;
	s8 p = 0;
	int i;

	prev_ns = ktime_get_real_ns();
	for (i = 0; i < KNTP_PRECISION_SAMPLES; i++) {
		now_ns = ktime_get_real_ns();
		if (now_ns > prev_ns && now_ns - prev_ns < step_ns)
			step_ns = now_ns - prev_ns;
		prev_ns = now_ns;
	}
	/* Lower p while 2^(p-1) s still covers the step. */
	while (p > KNTP_PRECISION_MIN && (NSEC_PER_SEC >> (1 - p)) >= step_ns)
		p--;
	return p;
}

u64 kntp_stat_sum(struct kntp_net *kn, enum kntp_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(kn->stats, cpu)->v[stat];
	return sum;
}

/* Close the port-123 socket of a family. kn->lock held; sleeps. */
static void kntp_instance_close(struct kntp_net *kn,
				struct kntp_sock __rcu **slot)
{
	struct kntp_sock *ks = rcu_dereference_protected(*slot,
					lockdep_is_held(&kn->lock));

	RCU_INIT_POINTER(*slot, NULL);
	kntp_sock_close(ks);
}

/**
 * kntp_instance_enable() - open port 123 and start the associations
 * @kn: instance, kn->lock held
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user
 *	namespace (an instance on the system clock must own it)
 * @extack: where to say why not
 *
 * Without IPv6 in the kernel or the namespace, the instance runs on IPv4
 * alone.
 *
 * Return: 0, or -EADDRINUSE when another socket holds port 123, or another
 * negative errno from opening a socket; then nothing changed.
 */
int kntp_instance_enable(struct kntp_net *kn, bool cap_sys_time,
			 struct netlink_ext_ack *extack)
{
	struct kntp_sock *ks4, *ks6;
	int err;

	if (kn->enabled)
		return 0;
	err = kntp_clock_claim(kn, cap_sys_time, extack);
	if (err)
		return err;
	/* Before the sockets: the receive path keeps answers in it. */
	err = kntp_xleave_init(kn);
	if (err) {
		kntp_clock_release(kn);
		NL_SET_ERR_MSG_MOD(extack, "no memory for the instance");
		return err;
	}
	ks4 = kntp_sock_open(kn, AF_INET, NTP_PORT, NULL);
	if (IS_ERR(ks4))
		goto err;
	ks6 = kntp_sock_open(kn, AF_INET6, NTP_PORT, NULL);
	if (IS_ERR(ks6)) {
		if (PTR_ERR(ks6) != -EAFNOSUPPORT) {
			kntp_sock_close(ks4);
			ks4 = ks6;
			goto err;
		}
		ks6 = NULL;
	}
	net_enable_timestamp();
	rcu_assign_pointer(kn->sock4, ks4);
	rcu_assign_pointer(kn->sock6, ks6);
	kn->enabled = true;
	/* The kernel's clock was claimed anew: its baseline may have moved. */
	if (kn->clock.kind == KNTP_CLOCK_SYSTEM)
		kntp_system_new_clock(kn);
	kntp_assoc_start_all(kn);
	kntp_system_start(kn);
	return 0;

err:
	kntp_xleave_exit(kn);
	kntp_clock_release(kn);
	if (PTR_ERR(ks4) == -EADDRINUSE)
		NL_SET_ERR_MSG_MOD(extack,
				   "UDP port 123 is in use in this network namespace (chronyd or ntpd running?)");
	else
		NL_SET_ERR_MSG_MOD(extack, "cannot open the UDP sockets on port 123");
	return PTR_ERR(ks4);
}

/**
 * kntp_instance_disable() - stop every association and close port 123
 * @kn: instance, kn->lock held
 *
 * Sleeps. The associations stay, stopped, and restart with the next enable.
 */
void kntp_instance_disable(struct kntp_net *kn)
{
	if (!kn->enabled)
		return;
	kntp_system_stop(kn);
	kntp_assoc_stop_all(kn);
	kntp_instance_close(kn, &kn->sock4);
	kntp_instance_close(kn, &kn->sock6);
	/* Closed: no receive path or error queue work reads it any more. */
	kntp_xleave_exit(kn);
	kn->enabled = false;
	net_disable_timestamp();
	kntp_clock_release(kn);
}

static int __net_init kntp_net_init(struct net *net)
{
	struct kntp_net_slot *slot = net_generic(net, kntp_net_id);
	struct kntp_net *kn;

	kn = kzalloc(sizeof(*kn), GFP_KERNEL_ACCOUNT);
	if (!kn)
		return -ENOMEM;
	kn->stats = alloc_percpu_gfp(struct kntp_stats, GFP_KERNEL_ACCOUNT);
	if (!kn->stats) {
		kfree(kn);
		return -ENOMEM;
	}
	slot->kn = kn;
	kn->net = net;
	mutex_init(&kn->lock);
	INIT_LIST_HEAD(&kn->assocs);
	kntp_clock_init(kn);
	kntp_system_init(kn);
	kntp_auth_init(kn);
	kntp_acl_init(kn);
	kntp_ingress_init(kn);
	return 0;
}

static void __net_exit kntp_net_exit(struct net *net)
{
	struct kntp_net *kn = kntp_net(net);

	/* First: no packet reaches the instance from a device's ingress. */
	kntp_ingress_exit(kn);
	mutex_lock(&kn->lock);
	kntp_instance_disable(kn);
	/* The sockets are closed: no receive path looks at the table. */
	kntp_ratelimit_exit(kn);
	mutex_unlock(&kn->lock);
	/* Disabled, the system process does not queue itself again. */
	cancel_delayed_work_sync(&kn->sys_work);
	kntp_assoc_flush(kn);
	cancel_delayed_work_sync(&kn->sys_work);
	/* Sockets closed and timers stopped: nothing signs or verifies. */
	kntp_auth_exit(kn);
	/* The sockets are closed: nothing reads the access snapshot now. */
	kntp_acl_exit(kn);
	free_percpu(kn->stats);
	kfree(kn);
}

static struct pernet_operations kntp_net_ops = {
	.init	= kntp_net_init,
	.exit	= kntp_net_exit,
	.id	= &kntp_net_id,
	.size	= sizeof(struct kntp_net_slot),
};

static int __init kntp_init(void)
{
	int err;

	kntp_precision = kntp_measure_precision();
	kntp_clock_module_init();

	/*
	 * Instances first (idle until configured), then the family that
	 * configures them; kntp_exit() undoes it in reverse.
	 */
	err = kntp_assoc_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&kntp_net_ops);
	if (err)
		goto err_cache;
	/* After the instances: it looks them up. */
	err = kntp_ingress_module_init();
	if (err)
		goto err_pernet;
	err = kntp_nl_init();
	if (err)
		goto err_ingress;

	pr_info("NTPv4 loaded, precision 2^%d s\n", kntp_precision);
	return 0;

err_ingress:
	kntp_ingress_module_exit();
err_pernet:
	unregister_pernet_subsys(&kntp_net_ops);
err_cache:
	kntp_assoc_cache_exit();
	return err;
}

static void __exit kntp_exit(void)
{
	/*
	 * No events and no new requests (kntp_nl_exit() waits for those in
	 * flight), then no instances - their timers and work may still run
	 * until each is torn down, but they multicast nothing now - then no
	 * memory.
	 */
	kntp_nl_exit();
	kntp_ingress_module_exit();
	unregister_pernet_subsys(&kntp_net_ops);
	kntp_assoc_cache_exit();
}

module_init(kntp_init);
module_exit(kntp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NTPv4 (RFC 5905) time service in the kernel");
MODULE_ALIAS_GENL_FAMILY(KNTP_GENL_NAME);
