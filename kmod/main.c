// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: NTPv4 (RFC 5905) in the kernel - module init/exit and the
 * per-network-namespace instances.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "kntp.h"

/* Clock reads when measuring the precision; the minimum step is kept. */
#define KNTP_PRECISION_SAMPLES	64
/* log2 s: 2^-30 s is about 1 ns, the resolution of ktime. */
#define KNTP_PRECISION_MIN	(-30)

static unsigned int kntp_net_id __read_mostly;

/* log2 s, measured once at load by kntp_measure_precision(). */
static s8 kntp_precision;

struct kntp_net *kntp_net(const struct net *net)
{
	return net_generic(net, kntp_net_id);
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

/* RFC 5905 sec. 11.2: an instance starts unsynchronised. */
static void kntp_sys_init(struct kntp_sys *sys)
{
	sys->leap = KNTP_LEAP_NOSYNC;
	sys->stratum = KNTP_MAXSTRAT;
	sys->precision = kntp_precision;
	memcpy(sys->refid, KNTP_REFID_INIT, sizeof(sys->refid));
	sys->root_delay_ns = 0;
	sys->root_disp_ns = 0;
}

static int __net_init kntp_net_init(struct net *net)
{
	struct kntp_net *kn = kntp_net(net);

	kn->net = net;
	mutex_init(&kn->lock);
	INIT_LIST_HEAD(&kn->assocs);
	kntp_sys_init(&kn->sys);
	return 0;
}

static void __net_exit kntp_net_exit(struct net *net)
{
	kntp_assoc_flush(kntp_net(net));
}

static struct pernet_operations kntp_net_ops = {
	.init	= kntp_net_init,
	.exit	= kntp_net_exit,
	.id	= &kntp_net_id,
	.size	= sizeof(struct kntp_net),
};

static int __init kntp_init(void)
{
	int err;

	kntp_precision = kntp_measure_precision();

	err = kntp_assoc_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&kntp_net_ops);
	if (err)
		goto err_cache;
	err = kntp_nl_init();
	if (err)
		goto err_pernet;

	pr_info("NTPv4 loaded, precision 2^%d s\n", kntp_precision);
	return 0;

err_pernet:
	unregister_pernet_subsys(&kntp_net_ops);
err_cache:
	kntp_assoc_cache_exit();
	return err;
}

static void __exit kntp_exit(void)
{
	/* No new requests, then no instances, then no memory. */
	kntp_nl_exit();
	unregister_pernet_subsys(&kntp_net_ops);
	kntp_assoc_cache_exit();
}

module_init(kntp_init);
module_exit(kntp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NTPv4 (RFC 5905) time service in the kernel");
MODULE_ALIAS_GENL_FAMILY(KNTP_GENL_NAME);
