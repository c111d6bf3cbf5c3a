// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the system process in the kernel - gathers the associations'
 * candidates, runs selection and the discipline (kmod/core/system.c),
 * publishes the system variables the receive path serves, and hands the
 * discipline's action to the clock backend.
 *
 * It runs in process context (a work item): kicked whenever an association
 * has something new, and every second while the instance is enabled, so
 * that sources going quiet and the hold after losing them are noticed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "kntp.h"

#define KNTP_SYSTEM_PERIOD	HZ	/* also run once a second */

/* Publish the system variables for the receive path. sys_lock held. */
void kntp_system_publish(struct kntp_net *kn)
{
	struct ntp_reply_head h;

	ntp_reply_head_make(&kn->sys.v, &h);
	write_seqlock_bh(&kn->vars_lock);
	kn->vars = kn->sys.v;
	kn->reply_head = h;
	write_sequnlock_bh(&kn->vars_lock);
}

/*
 * Loop detection (sec. 11.2.1, A.5.5.3): does a source's reference ID name
 * us? A source synchronised to us names the address it sends to - ours
 * facing it, on which its packets arrive - or over IPv6 the hash of that
 * address (sec. 7.3). As ntpd does, that one address is compared: asking
 * whether the ID is any address of ours matched 127.0.0.1, which every
 * namespace has and NTPsec's ntpd in orphan mode names, and would match a
 * private address reused behind a NAT.
 */
static bool kntp_system_loop(const struct kntp_assoc_sys *s)
{
	u8 ours[NTP_REFID_LEN];

	switch (s->local.family) {
	case AF_INET:
		return !memcmp(&s->local.v4, s->refid, NTP_REFID_LEN);
	case AF_INET6:
		ntp_refid_ipv6(s->local.v6.s6_addr, ours);
		return !memcmp(ours, s->refid, NTP_REFID_LEN);
	default:
		return false;
	}
}

/* Tell listeners what this run of the system process changed. */
static void kntp_system_events(struct kntp_net *kn, const struct kntp_assoc_sys *s,
			       const struct ntp_cand *c, int n, u32 old_peer,
			       u8 old_stratum, int result,
			       const struct ntp_disc_action *act)
{
	const struct ntp_system *sys = &kn->sys;
	struct kntp_event ev = { 0 };
	int i;

	if (sys->sys_peer_id != old_peer) {
		ev.type = KNTP_EVENT_SYSPEER;
		for (i = 0; i < n; i++)
			if (c[i].id == sys->sys_peer_id) {
				ev.id = c[i].id;
				ev.addr = s[i].addr;
			}
		kntp_nl_event(kn, &ev);
	}
	if (sys->v.stratum != old_stratum) {
		ev = (struct kntp_event){ .type = KNTP_EVENT_STRATUM,
					  .stratum = sys->v.stratum };
		kntp_nl_event(kn, &ev);
	}
	if (result == NTP_DISC_STEP) {
		ev = (struct kntp_event){ .type = KNTP_EVENT_STEP,
					  .value_ns = act->step_ns };
		kntp_nl_event(kn, &ev);
	}
	if (result == NTP_DISC_REFUSED) {
		ev = (struct kntp_event){ .type = KNTP_EVENT_PANIC,
					  .value_ns = sys->disc.offset_ns };
		kntp_nl_event(kn, &ev);
	}
}

/*
 * The kernel's view of the clock (kntp_clock_state()): synchronised while
 * a source is followed, with the root distance as the maximum error and
 * the system jitter as the estimated one; and the leap warning we serve.
 * sys_lock held.
 */
static void kntp_system_kernel_state(struct kntp_net *kn, s64 now_ns)
{
	const struct ntp_system *sys = &kn->sys;
	struct ntp_sysvars v;

	ntp_sysvars_now(&sys->v, now_ns, &v);
	kntp_clock_state(kn, sys->synced && sys->sys_peer_id,
			 sys->synced ? v.leap : NTP_LEAP_NONE,
			 v.root_delay_ns / 2 + v.root_disp_ns, sys->jitter_ns);
}

/*
 * @moved_ns: what the clock's slews did beyond the discipline's reckoning
 * (kntp_clock_slew_extra(), kntp_clock_apply()): a correction done, for
 * the discipline and the system variables. sys_lock held.
 *
 * Return: @moved_ns; the caller shifts every association's samples by it.
 * A sample taken between the slew's end and now (the few milliseconds
 * until this work runs: the end kicks it) already saw the clock moved,
 * and is shifted once too often.
 */
static s64 kntp_system_clock_moved(struct kntp_net *kn, s64 moved_ns)
{
	if (moved_ns)
		ntp_system_clock_moved(&kn->sys, moved_ns);
	return moved_ns;
}

static void kntp_system_work(struct work_struct *work)
{
	struct kntp_net *kn = container_of(to_delayed_work(work),
					   struct kntp_net, sys_work);
	struct ntp_disc_action act;
	struct ntp_sys_extra *x = NULL;
	struct kntp_assoc_sys *as = NULL;
	struct ntp_cand *c = NULL;
	int i, n = 0, result;
	s64 now_ns, corr_ns, moved_ns;
	u32 old_peer;
	u8 old_stratum;

	mutex_lock(&kn->lock);
	if (!kn->enabled)
		goto unlock;
	kntp_clock_check(kn);
	if (kn->n_assocs) {
		c = kcalloc(kn->n_assocs, sizeof(*c), GFP_KERNEL);
		x = kcalloc(kn->n_assocs, sizeof(*x), GFP_KERNEL);
		as = kcalloc(kn->n_assocs, sizeof(*as), GFP_KERNEL);
		if (!c || !x || !as)
			goto requeue;
	}
	mutex_lock(&kn->sys_lock);
	kn->sys.disc.cfg.ctl = kntp_clock_control(kn);
	old_peer = kn->sys.sys_peer_id;
	old_stratum = kn->sys.v.stratum;
	/* A slew that ended off its reckoning, before the samples are read. */
	moved_ns = kntp_system_clock_moved(kn, kntp_clock_slew_extra(kn));
	if (moved_ns)
		kntp_assoc_scatter(kn, NULL, moved_ns, 0, false, 0);
	now_ns = kntp_clock_now(kn);
	n = kntp_assoc_gather(kn, now_ns, c, x, as);
	for (i = 0; i < n; i++)
		c[i].loop = c[i].stratum > 1 && c[i].stratum < NTP_MAXSTRAT &&
			    kntp_system_loop(&as[i]);
	result = ntp_system_run(&kn->sys, c, x, n, now_ns, &act, &corr_ns);
	if (result == NTP_DISC_SLEW || result == NTP_DISC_STEP) {
		/* ... and the slew it replaces, off its reckoning. */
		corr_ns += kntp_system_clock_moved(kn, kntp_clock_apply(kn, &act,
								       now_ns));
	}
	if (result == NTP_DISC_STEP)
		now_ns = kntp_clock_now(kn);
	kntp_assoc_scatter(kn, c, corr_ns, act.df_ppb,
			   result == NTP_DISC_STEP, now_ns);
	kntp_system_publish(kn);
	kntp_system_kernel_state(kn, now_ns);
	kntp_system_events(kn, as, c, n, old_peer, old_stratum, result, &act);
	mutex_unlock(&kn->sys_lock);
requeue:
	kfree(c);
	kfree(x);
	kfree(as);
	mod_delayed_work(system_wq, &kn->sys_work, KNTP_SYSTEM_PERIOD);
unlock:
	mutex_unlock(&kn->lock);
}

/* Something changed: run the system process soon. Any context. */
void kntp_system_kick(struct kntp_net *kn)
{
	mod_delayed_work(system_wq, &kn->sys_work, 0);
}

void kntp_system_init(struct kntp_net *kn)
{
	struct ntp_disc_cfg cfg;

	ntp_system_default_cfg(&cfg);
	mutex_init(&kn->sys_lock);
	seqlock_init(&kn->vars_lock);
	INIT_DELAYED_WORK(&kn->sys_work, kntp_system_work);
	ntp_system_init(&kn->sys, kntp_precision, &cfg);
	kntp_system_publish(kn);
}

/**
 * kntp_system_new_clock() - the instance now keeps another clock
 * @kn: instance, kn->lock held
 *
 * Another kind of clock, or the kernel's clock claimed anew: what the
 * discipline learnt and every sample were about the old one (see
 * ntp_system_new_clock()).
 */
void kntp_system_new_clock(struct kntp_net *kn)
{
	s64 now_ns;

	lockdep_assert_held(&kn->lock);
	mutex_lock(&kn->sys_lock);
	now_ns = kntp_clock_now(kn);
	ntp_system_new_clock(&kn->sys, now_ns);
	kntp_assoc_scatter(kn, NULL, 0, 0, true, now_ns);
	kntp_system_publish(kn);
	mutex_unlock(&kn->sys_lock);
}

/* kn->lock held. */
void kntp_system_start(struct kntp_net *kn)
{
	kntp_system_kick(kn);
}

/* kn->lock held; the work takes kn->lock, so it cannot be waited for. */
void kntp_system_stop(struct kntp_net *kn)
{
	cancel_delayed_work(&kn->sys_work);
}

void kntp_system_set_master(struct kntp_net *kn, u8 stratum)
{
	mutex_lock(&kn->sys_lock);
	ntp_system_set_master(&kn->sys, stratum, kntp_clock_now(kn));
	kntp_system_publish(kn);
	mutex_unlock(&kn->sys_lock);
}
