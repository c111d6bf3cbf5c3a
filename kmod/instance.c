// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: an instance's settings over netlink (KNTP_CMD_INSTANCE_SET) -
 * enable and disable, ntp master, the clock and its discipline's
 * thresholds, "ntp authenticate", injected errors for virtual clocks, the
 * access groups (kmod/acl.c) and rate limiting (kmod/ratelimit.c).
 *
 * The whole request is checked before anything changes; what can still
 * fail (opening port 123, owning the system clock) is done first and
 * undone if a later step fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>

#include "kntp.h"

/* A stepout longer than a day is a typo, not a policy. */
#define KNTP_STEPOUT_MAX_NS	(86400 * NSEC_PER_SEC)
/* Injected offsets: a test's error of more than a day is a typo. */
#define KNTP_INJECT_OFFSET_MAX_NS	(86400 * NSEC_PER_SEC)
/* Injected oscillator errors: within 10 %, what a tick can express. */
#define KNTP_INJECT_FREQ_MAX_PPB	100000000LL

const struct nla_policy kntp_instance_nl_policy[KNTP_A_INSTANCE_MAX + 1] = {
	[KNTP_A_INSTANCE_ENABLED]	= { .type = NLA_U8 },
	[KNTP_A_INSTANCE_MASTER]	= { .type = NLA_U8 },
	[KNTP_A_INSTANCE_CLOCK]		= { .type = NLA_U8 },
	[KNTP_A_INSTANCE_STEP_THRESHOLD] = { .type = NLA_U64 },
	[KNTP_A_INSTANCE_PANIC_THRESHOLD] = { .type = NLA_U64 },
	[KNTP_A_INSTANCE_STEPOUT]	= { .type = NLA_U64 },
	[KNTP_A_INSTANCE_INJECT_OFFSET]	= { .type = NLA_S64 },
	[KNTP_A_INSTANCE_INJECT_FREQ]	= { .type = NLA_S64 },
	[KNTP_A_INSTANCE_PAD]		= { .type = NLA_REJECT },
	[KNTP_A_INSTANCE_AUTHENTICATE]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KNTP_A_INSTANCE_ACCESS]	= NLA_POLICY_NESTED(kntp_access_nl_policy),
	[KNTP_A_INSTANCE_RATELIMIT]	= { .type = NLA_NESTED },
};

/*
 * Rate limiting alone does not steer the clock: it needs no CAP_SYS_TIME,
 * even on the instance that owns the system clock.
 */
static bool kntp_instance_only_ratelimit(struct nlattr **tb)
{
	int i;

	for (i = 1; i <= KNTP_A_INSTANCE_MAX; i++)
		if (tb[i] && i != KNTP_A_INSTANCE_RATELIMIT)
			return false;
	return tb[KNTP_A_INSTANCE_RATELIMIT];
}

/* Everything that can be checked without touching the instance. */
static int kntp_instance_check(struct nlattr **tb,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	a = tb[KNTP_A_INSTANCE_ENABLED];
	if (a && nla_get_u8(a) > 1) {
		NL_SET_ERR_MSG_ATTR(extack, a, "ENABLED must be 0 or 1");
		return -EINVAL;
	}
	a = tb[KNTP_A_INSTANCE_MASTER];
	if (a && nla_get_u8(a) > KNTP_MASTER_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "master stratum out of range (1..15, 0 = off)");
		return -ERANGE;
	}
	if (a && nla_get_u8(a) && tb[KNTP_A_INSTANCE_ENABLED] &&
	    !nla_get_u8(tb[KNTP_A_INSTANCE_ENABLED])) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "a master stratum needs an enabled instance");
		return -EINVAL;
	}
	a = tb[KNTP_A_INSTANCE_CLOCK];
	if (a && nla_get_u8(a) != KNTP_CLOCK_SYSTEM &&
	    nla_get_u8(a) != KNTP_CLOCK_VIRTUAL) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "unknown clock (1 system, 2 virtual)");
		return -EINVAL;
	}
	a = tb[KNTP_A_INSTANCE_STEPOUT];
	if (a && nla_get_u64(a) > KNTP_STEPOUT_MAX_NS) {
		NL_SET_ERR_MSG_ATTR(extack, a, "stepout longer than a day");
		return -ERANGE;
	}
	a = tb[KNTP_A_INSTANCE_INJECT_OFFSET];
	if (a && (nla_get_s64(a) > KNTP_INJECT_OFFSET_MAX_NS ||
		  nla_get_s64(a) < -KNTP_INJECT_OFFSET_MAX_NS)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "injected offset beyond a day");
		return -ERANGE;
	}
	a = tb[KNTP_A_INSTANCE_INJECT_FREQ];
	if (a && (nla_get_s64(a) > KNTP_INJECT_FREQ_MAX_PPB ||
		  nla_get_s64(a) < -KNTP_INJECT_FREQ_MAX_PPB)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "injected frequency error beyond 10 %");
		return -ERANGE;
	}
	return 0;
}

/* Thresholds and the master stratum: these cannot fail. kn->lock held. */
static void kntp_instance_settings(struct kntp_net *kn, struct nlattr **tb)
{
	struct ntp_disc_cfg *cfg = &kn->sys.disc.cfg;

	mutex_lock(&kn->sys_lock);
	if (tb[KNTP_A_INSTANCE_STEP_THRESHOLD])
		cfg->step_ns = nla_get_u64(tb[KNTP_A_INSTANCE_STEP_THRESHOLD]);
	if (tb[KNTP_A_INSTANCE_PANIC_THRESHOLD])
		cfg->panic_ns = nla_get_u64(tb[KNTP_A_INSTANCE_PANIC_THRESHOLD]);
	if (tb[KNTP_A_INSTANCE_STEPOUT])
		cfg->stepout_ns = nla_get_u64(tb[KNTP_A_INSTANCE_STEPOUT]);
	mutex_unlock(&kn->sys_lock);
	if (tb[KNTP_A_INSTANCE_MASTER])
		kntp_system_set_master(kn, nla_get_u8(tb[KNTP_A_INSTANCE_MASTER]));
	if (tb[KNTP_A_INSTANCE_AUTHENTICATE])
		WRITE_ONCE(kn->authenticate,
			   nla_get_u8(tb[KNTP_A_INSTANCE_AUTHENTICATE]));
}

int kntp_nl_instance_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	bool cap_sys_time = netlink_capable(skb, CAP_SYS_TIME);
	struct nlattr *tb[KNTP_A_INSTANCE_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *enabled, *master, *clock, *inj_off, *inj_freq, *rl;
	struct kntp_acl_change *acl;
	struct kntp_rl_change rl_change = { 0 };
	struct kntp_rl_settings rl_set;
	u8 old_clock;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KNTP_A_INSTANCE)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "missing instance settings (KNTP_A_INSTANCE)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KNTP_A_INSTANCE_MAX,
			       info->attrs[KNTP_A_INSTANCE],
			       kntp_instance_nl_policy, extack);
	if (err)
		return err;
	err = kntp_instance_check(tb, extack);
	if (err)
		return err;
	rl = tb[KNTP_A_INSTANCE_RATELIMIT];
	if (rl) {
		err = kntp_ratelimit_parse(rl, &rl_set, extack);
		if (err)
			return err;
	}
	enabled = tb[KNTP_A_INSTANCE_ENABLED];
	master = tb[KNTP_A_INSTANCE_MASTER];
	clock = tb[KNTP_A_INSTANCE_CLOCK];
	inj_off = tb[KNTP_A_INSTANCE_INJECT_OFFSET];
	inj_freq = tb[KNTP_A_INSTANCE_INJECT_FREQ];
	acl = kzalloc(sizeof(*acl), GFP_KERNEL);
	if (!acl)
		return -ENOMEM;

	mutex_lock(&kn->lock);
	if (rl) {
		/* Allocated first, published last: a failure changes nothing. */
		err = kntp_ratelimit_prepare(kn, &rl_set, &rl_change, extack);
		if (err)
			goto unlock;
		if (kntp_instance_only_ratelimit(tb))
			goto commit;
	}
	old_clock = kn->clock.kind;
	err = kntp_clock_may_change(kn, clock ? nla_get_u8(clock) : old_clock,
				    cap_sys_time, extack);
	if (err)
		goto unlock;
	/* Built now, committed last: a refusal below leaves it unused. */
	err = kntp_acl_access_prepare(kn, tb[KNTP_A_INSTANCE_ACCESS], acl,
				      extack);
	if (err)
		goto unlock;
	if ((inj_off || inj_freq) &&
	    (clock ? nla_get_u8(clock) : old_clock) != KNTP_CLOCK_VIRTUAL) {
		NL_SET_ERR_MSG_ATTR(extack, inj_off ?: inj_freq,
				    "errors can be injected into a virtual clock only");
		err = -EOPNOTSUPP;
		goto unlock;
	}
	if (clock) {
		err = kntp_clock_set_kind(kn, nla_get_u8(clock), cap_sys_time,
					  extack);
		if (err)
			goto unlock;
	}
	/* Asked to run, or to serve our own clock: the instance must run. */
	if ((enabled && nla_get_u8(enabled)) || (master && nla_get_u8(master))) {
		err = kntp_instance_enable(kn, cap_sys_time, extack);
		if (err) {
			if (clock)
				kntp_clock_set_kind(kn, old_clock, true, NULL);
			goto unlock;
		}
	}
	kntp_instance_settings(kn, tb);
	if (inj_off || inj_freq)
		kntp_clock_inject(kn, inj_off ? nla_get_s64(inj_off) : 0,
				  inj_freq ? nla_get_s64(inj_freq) : 0,
				  inj_freq, extack);
	if (enabled && !nla_get_u8(enabled))
		kntp_instance_disable(kn);
	kntp_acl_access_commit(kn, acl);
	kntp_system_kick(kn);
commit:
	if (rl)
		kntp_ratelimit_commit(kn, &rl_change);
unlock:
	kntp_acl_access_abort(acl);
	kntp_ratelimit_abort(&rl_change);
	mutex_unlock(&kn->lock);
	kfree(acl);
	return err;
}
