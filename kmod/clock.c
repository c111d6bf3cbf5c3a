// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: clock backends - where an instance reads time and where the
 * discipline's actions go.
 *
 * system: the kernel's own clock. Frequency through adjtimex (tick for the
 *	coarse part, ADJ_FREQUENCY for the fine part), steps through
 *	ADJ_SETOFFSET. do_adjtimex() is not exported: it is resolved once at
 *	load through kallsyms_lookup_name(), itself found with a kprobe. If
 *	that fails (or the module parameter adjtimex=0 forbids it) the clock
 *	can only be stepped (do_settimeofday64()), the discipline is told so,
 *	and the status says so. One instance at most owns it.
 * virtual: the system clock plus an offset and a frequency of the
 *	instance's own (kmod/core/vclock.c), for other namespaces and tests.
 * Each is a struct kntp_clock_ops (at the end of this file); the
 * kntp_clock_*() functions the rest of the module calls go to the backend
 * of the instance's kind, which kntp_clock_set_kind() alone changes.
 *
 * Authority. Every request that can change what the kernel's clock does
 * needs CAP_SYS_TIME in the initial user namespace when it is made
 * (kntp_clock_may_change()). do_adjtimex() checks capable(CAP_SYS_TIME) of
 * whoever is current, which for the system process is a kworker with every
 * capability: so each call runs under the credentials of the requester who
 * claimed the clock, cut down to CAP_SYS_TIME - no more than was checked,
 * and enough to give the clock back whoever disables the instance or
 * unloads the module.
 *
 * Kernel NTP state. While the owner is synchronised to a source, the
 * kernel is told so (STA_UNSYNC clear: adjtimex reports a synchronised
 * clock and the 11-minute RTC update runs) and how good the clock is
 * (maxerror: the root distance; esterror: the system jitter), every run of
 * the system process. A leap second due at the coming midnight is armed
 * there too (STA_INS or STA_DEL): the kernel applies it itself, at the
 * second's overflow, and the clock's jump by one second is then expected.
 * Losing synchronisation, and letting the clock go, set STA_UNSYNC again.
 *
 * Another time daemon. While we own the clock, every run of the system
 * process compares the kernel's tick, frequency, PLL state, adjtime() and
 * the wall clock's offset from the boot clock with what we left there.
 * Any difference is someone else at work: we let go at once, restore
 * nothing over their settings, and say so (status, event, log).
 *
 * Lifetime and locking
 *   kntp_sysclock: the kernel's clock as the module sees it - its owner,
 *	the owner's credentials, what was found at the claim and what we set
 *	last - all under kntp_sysclock.lock (a mutex: adjtimex may sleep in
 *	clock_was_set()). kntp_clock.owner and kntp_clock.lost change only
 *	under it too. The credentials are taken at the claim and put at the
 *	release or the loss.
 *   kntp_clock.kind: under kntp_net.lock. kntp_clock.vc: under
 *	kntp_clock.lock (a seqlock; readers in any context retry).
 *   kntp_clock.slew_timer, kntp_clock.slew_end: the end of a slew - an
 *	hrtimer (set under kntp_sysclock.lock, by kntp_clock_apply() only)
 *	that queues a work item, which takes kntp_sysclock.lock. Every
 *	release cancels the timer, then the work, and waits for both, outside
 *	the lock (the work never sets the timer). kntp_clock.slew and
 *	kntp_clock.slew_extra_ns: under kntp_sysclock.lock.
 *
 * Slews. The discipline reckons a slew done linearly over its duration from
 * the time of its update (kmod/core/peer.c ntp_slew_remaining()); the clock
 * carries it out from a little later (the system process's work) until its
 * end runs (a timer, then a work item: late by a wakeup, milliseconds in a
 * slow guest). At every change of rate the difference - the slew's rate
 * times the time it ran beyond, or short of, its reckoning - is added to
 * kntp_clock.slew_extra_ns, and the system process takes it as a
 * correction of the clock done at once (kntp_clock_slew_extra()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/timekeeping.h>
#include <linux/timex.h>
#include <net/netlink.h>

#include "kntp.h"

/* adjtimex's frequency unit: ppm with 16 fractional bits. */
#define KNTP_FREQ_SCALE		65536
/* A tick of USER_HZ: 1 us of tick length is 10^9 / (10^6 / USER_HZ) ppb. */
#define KNTP_TICK_PPB		(NSEC_PER_SEC / (USEC_PER_SEC / USER_HZ))
/* adjtimex accepts a tick within 10 % of nominal (kernel/time/ntp.c). */
#define KNTP_TICK_SPAN		(USEC_PER_SEC / USER_HZ / 10)
/* Status bits only a clock discipline sets: someone else's at work. */
#define KNTP_STA_FOREIGN	(STA_PLL | STA_FLL | STA_PPSFREQ | STA_PPSTIME | \
				 STA_INS | STA_DEL | STA_FREQHOLD)
/* The leap bits of the status. */
#define KNTP_STA_LEAP		(STA_INS | STA_DEL)
/*
 * A step makes the kernel forget when an armed leap second is due, not
 * that one is: after a step the leap bits are cleared for this long, so
 * that the kernel goes back to TIME_OK at a second's overflow and, armed
 * again, computes the coming midnight afresh (second_overflow()).
 */
#define KNTP_LEAP_REARM_J	(2 * HZ)
/* adjtimex: read what adjtime() has left to do, change nothing. */
#define KNTP_ADJ_ADJTIME_READ	(ADJ_ADJTIME | ADJ_OFFSET_SINGLESHOT | \
				 ADJ_OFFSET_READONLY)

static bool adjtimex = true;
module_param(adjtimex, bool, 0444);
MODULE_PARM_DESC(adjtimex,
		 "steer the system clock through the kernel's adjtimex machinery, found through a kprobe on kallsyms_lookup_name (default 1); 0: step it only");

typedef int (*kntp_adjtimex_t)(struct __kernel_timex *txc);

static kntp_adjtimex_t kntp_do_adjtimex;

/**
 * struct kntp_sysclock - the kernel's clock, as the module sees it
 * @lock: protects everything here, and kntp_clock.owner and .lost
 * @owner: the instance that owns the clock, or NULL
 * @cred: the owner's claimer's credentials, CAP_SYS_TIME only
 * @base_tick_us: the tick found at the claim, restored at the release
 * @base_freq: the frequency found at the claim (2^-16 ppm), restored too
 * @base_status: the status bits (KNTP_STA_FOREIGN) found at the claim
 * @base_adjtime: adjtime() was running at the claim (it cannot be watched)
 * @sta: the KNTP_STA_FOREIGN bits the kernel should have: those found at
 *	the claim, with the leap bits we set since
 * @step_jiffies: when we last stepped the clock: the step made the kernel
 *	forget when an armed leap second is due (ntp_clear())
 * @tick_us: the tick the kernel reported after our last change
 * @freq: the frequency the kernel reported after our last change
 * @wall_ns: CLOCK_REALTIME - CLOCK_BOOTTIME after the claim or our last step
 */
static struct kntp_sysclock {
	struct mutex lock;		/* see above */
	struct kntp_net *owner;
	const struct cred *cred;
	long base_tick_us;
	long base_freq;
	int base_status;
	bool base_adjtime;
	int sta;
	unsigned long step_jiffies;
	long tick_us;
	long freq;
	s64 wall_ns;
} kntp_sysclock = {
	.lock = __MUTEX_INITIALIZER(kntp_sysclock.lock),
};

/* kallsyms_lookup_name() is not exported; a kprobe on it tells where it is. */
static unsigned long kntp_clock_lookup(const char *name)
{
	unsigned long (*lookup)(const char *name);
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/* The probe sits after the ENDBR an indirect call must land on. */
	if (*(u32 *)(addr - 4) == 0xfa1e0ff3)	/* endbr64 */
		addr -= 4;
#endif
	lookup = (void *)addr;
	return lookup(name);
}

void kntp_clock_module_init(void)
{
	if (!adjtimex) {
		pr_notice("adjtimex=0: the system clock will only be stepped\n");
		return;
	}
	kntp_do_adjtimex = (kntp_adjtimex_t)kntp_clock_lookup("do_adjtimex");
	if (!kntp_do_adjtimex)
		pr_warn("do_adjtimex not found: the system clock can only be stepped\n");
}

/* A limitation of the system clock, in words for the status; NULL: none. */
static const char *kntp_sysclock_note(const struct kntp_net *kn)
{
	if (READ_ONCE(kn->clock.lost))
		return "another process adjusted the system clock: kntp stopped steering it";
	if (kntp_do_adjtimex)
		return NULL;
	return adjtimex ? "step only: do_adjtimex not found" :
			  "step only: module parameter adjtimex=0";
}

/* The system clock is the instance's clock. Any context. */
static s64 kntp_sysclock_read(struct kntp_net *kn, s64 sys_ns)
{
	return sys_ns;
}

/* A virtual clock at a system clock time. Any context. */
static s64 kntp_vclock_read(struct kntp_net *kn, s64 sys_ns)
{
	struct kntp_clock *c = &kn->clock;
	unsigned int seq;
	s64 t;

	do {
		seq = read_seqbegin(&c->lock);
		t = ntp_vclock_read(&c->vc, sys_ns);
	} while (read_seqretry(&c->lock, seq));
	return t;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME: it changes only when the clock is set. */
static s64 kntp_sysclock_wall_ns(void)
{
	ktime_t real, boot;

	do {
		real = ktime_mono_to_any(0, TK_OFFS_REAL);
		boot = ktime_mono_to_any(0, TK_OFFS_BOOT);
	} while (real != ktime_mono_to_any(0, TK_OFFS_REAL));
	return ktime_to_ns(ktime_sub(real, boot));
}

/*
 * do_adjtimex() under the claimer's credentials; remembers the tick and
 * frequency the kernel reports after a change. kntp_sysclock.lock held.
 */
static int kntp_sysclock_adjtimex(struct __kernel_timex *txc)
{
	const struct cred *old;
	int ret;

	lockdep_assert_held(&kntp_sysclock.lock);
	old = override_creds(kntp_sysclock.cred);
	ret = kntp_do_adjtimex(txc);
	revert_creds(old);
	if (ret >= 0 && txc->modes && !(txc->modes & ADJ_ADJTIME)) {
		kntp_sysclock.tick_us = txc->tick;
		kntp_sysclock.freq = txc->freq;
	}
	return ret;
}

/* Run the system clock at a frequency correction, ppb. Lock held. */
static void kntp_sysclock_freq(s64 ppb)
{
	struct __kernel_timex txc = { .modes = ADJ_TICK | ADJ_FREQUENCY };
	s64 ticks = div_s64(ppb, KNTP_TICK_PPB);

	ticks = clamp_t(s64, ticks, -KNTP_TICK_SPAN, KNTP_TICK_SPAN);
	txc.tick = kntp_sysclock.base_tick_us + ticks;
	txc.freq = kntp_sysclock.base_freq +
		   div_s64((ppb - ticks * KNTP_TICK_PPB) * KNTP_FREQ_SCALE, 1000);
	/* adjtimex clamps the frequency to MAXFREQ (500 ppm) itself. */
	if (kntp_sysclock_adjtimex(&txc) < 0)
		pr_warn_ratelimited("adjtimex refused a frequency of %lld ppb\n",
				    ppb);
}

/* Step the system clock. Lock held. */
static void kntp_sysclock_step(s64 step_ns)
{
	struct __kernel_timex txc = { .modes = ADJ_SETOFFSET | ADJ_NANO };
	struct timespec64 ts;

	if (!kntp_do_adjtimex) {
		/* No capability check in here: the request was checked. */
		ktime_get_real_ts64(&ts);
		ts = timespec64_add(ts, ns_to_timespec64(step_ns));
		do_settimeofday64(&ts);
	} else {
		ts = ns_to_timespec64(step_ns);	/* tv_nsec in [0, 10^9) */
		txc.time.tv_sec = ts.tv_sec;
		txc.time.tv_usec = ts.tv_nsec;
		if (kntp_sysclock_adjtimex(&txc) < 0)
			pr_warn_ratelimited("adjtimex refused a step of %lld ns\n",
					    step_ns);
	}
	kntp_sysclock.wall_ns = kntp_sysclock_wall_ns();
	kntp_sysclock.step_jiffies = jiffies;
}

/*
 * The clock is no longer ours: no slew to end, nothing to report. The
 * timer and the work may still run; they find no slew. Lock held.
 */
static void kntp_sysclock_slew_drop(struct kntp_clock *c)
{
	lockdep_assert_held(&kntp_sysclock.lock);
	hrtimer_try_to_cancel(&c->slew_timer);
	c->slew.amount_ns = 0;
	c->slew_extra_ns = 0;
}

/* Forget the owner and its credentials. Lock held. */
static void kntp_sysclock_let_go(struct kntp_net *kn)
{
	kntp_sysclock.owner = NULL;
	kn->clock.owner = false;
	kntp_sysclock_slew_drop(&kn->clock);
	put_cred(kntp_sysclock.cred);
	kntp_sysclock.cred = NULL;
}

/*
 * Did the kernel apply the leap second we armed? The wall clock then went
 * back (inserted) or forward (deleted) by exactly one second against the
 * boot clock. Lock held.
 */
static bool kntp_sysclock_leapt(s64 wall_ns)
{
	s64 d_ns = wall_ns - kntp_sysclock.wall_ns;

	if (!((kntp_sysclock.sta & STA_INS && d_ns == -NSEC_PER_SEC) ||
	      (kntp_sysclock.sta & STA_DEL && d_ns == NSEC_PER_SEC)))
		return false;
	pr_notice("the kernel %s a leap second, as armed\n",
		  d_ns < 0 ? "inserted" : "deleted");
	return true;
}

/*
 * Is the kernel's clock still @kn's, and as we left it? If another process
 * changed it, let go of it - without touching it - and say so (log, event,
 * status). Lock held.
 *
 * A change made between this check and our next write is overwritten
 * unnoticed: the window is the few microseconds of that locked section.
 *
 * Return: true while it is ours.
 */
static bool kntp_sysclock_ours(struct kntp_net *kn)
{
	struct __kernel_timex txc = { .modes = 0 };
	struct __kernel_timex adj = { .modes = KNTP_ADJ_ADJTIME_READ };
	struct kntp_event ev = { .type = KNTP_EVENT_CLOCK_LOST };
	const char *what = NULL;
	s64 wall_ns;

	lockdep_assert_held(&kntp_sysclock.lock);
	if (kntp_sysclock.owner != kn)
		return false;
	wall_ns = kntp_sysclock_wall_ns();
	if (wall_ns != kntp_sysclock.wall_ns && kntp_sysclock_leapt(wall_ns))
		kntp_sysclock.wall_ns = wall_ns;
	if (wall_ns != kntp_sysclock.wall_ns) {
		what = "the time was set";
	} else if (kntp_do_adjtimex && kntp_sysclock_adjtimex(&txc) >= 0 &&
		   kntp_sysclock_adjtimex(&adj) >= 0) {
		if (txc.tick != kntp_sysclock.tick_us)
			what = "its tick changed";
		else if (txc.freq != kntp_sysclock.freq)
			what = "its frequency changed";
		else if ((txc.status & KNTP_STA_FOREIGN) != kntp_sysclock.sta)
			what = "its PLL or leap status changed";
		else if (adj.offset && !kntp_sysclock.base_adjtime)
			what = "adjtime() is slewing it";
	}
	if (!what)
		return true;
	pr_warn("the system clock was adjusted by another process (%s): stopped steering it, and its settings are left as they are\n",
		what);
	kntp_sysclock_let_go(kn);
	WRITE_ONCE(kn->clock.lost, true);
	kntp_nl_event(kn, &ev);
	return false;
}

/*
 * The slew running stops now (its rate is taken off, or replaced by the
 * update at local time *@update_ns): add what it did beyond the
 * discipline's reckoning to slew_extra_ns - its rate times the difference
 * between the time it ran and the time reckoned: its whole length when it
 * ends by its timer (@update_ns NULL), else the time from its update to
 * the one replacing it. Times are measured on CLOCK_MONOTONIC, which runs
 * at the system clock's rate but does not jump at a step or a leap second;
 * the update's own time is brought to it through the (short) time since.
 * Lock held.
 */
static void kntp_sysclock_slew_stop(struct kntp_clock *c,
				    const s64 *update_ns)
{
	struct kntp_slew_run *sl = &c->slew;
	s64 ran_ns, reckoned_ns = sl->len_ns;

	lockdep_assert_held(&kntp_sysclock.lock);
	if (!sl->amount_ns)
		return;
	ran_ns = ktime_get_ns() - sl->start_ns;
	if (update_ns)
		reckoned_ns = clamp_t(s64, ran_ns + sl->lag_ns -
				      (ktime_get_real_ns() - *update_ns),
				      0, sl->len_ns);
	c->slew_extra_ns += ntp_ppb_scale(ran_ns - reckoned_ns,
					  ntp_ppb_rate(sl->amount_ns,
						       sl->len_ns));
	sl->amount_ns = 0;
}

static enum hrtimer_restart kntp_clock_slew_timer(struct hrtimer *t)
{
	struct kntp_clock *c = container_of(t, struct kntp_clock, slew_timer);

	queue_work(system_highpri_wq, &c->slew_end);
	return HRTIMER_NORESTART;
}

static void kntp_clock_slew_end(struct work_struct *work)
{
	struct kntp_clock *c = container_of(work, struct kntp_clock, slew_end);
	struct kntp_net *kn = container_of(c, struct kntp_net, clock);

	mutex_lock(&kntp_sysclock.lock);
	/* A newer slew set the timer again: this one was replaced. */
	if (!c->slew.amount_ns || hrtimer_is_queued(&c->slew_timer))
		goto unlock;
	if (kntp_sysclock_ours(kn) && kntp_do_adjtimex) {
		kntp_sysclock_freq(c->freq_ppb);
		kntp_sysclock_slew_stop(c, NULL);
		/* The system process takes what it did beyond the reckoning. */
		kntp_system_kick(kn);
	}
unlock:
	mutex_unlock(&kntp_sysclock.lock);
}

void kntp_clock_init(struct kntp_net *kn)
{
	struct kntp_clock *c = &kn->clock;

	c->kind = net_eq(kn->net, &init_net) ? KNTP_CLOCK_SYSTEM :
					       KNTP_CLOCK_VIRTUAL;
	seqlock_init(&c->lock);
	ntp_vclock_init(&c->vc, ktime_get_real_ns(), 0);
	hrtimer_init(&c->slew_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	c->slew_timer.function = kntp_clock_slew_timer;
	INIT_WORK(&c->slew_end, kntp_clock_slew_end);
}

/**
 * kntp_clock_may_change() - may a requester change this instance?
 * @kn: instance, kn->lock held
 * @kind: the clock the instance is to keep after the change
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user namespace
 * @extack: where to say why not
 *
 * An instance on the system clock steers the kernel's clock: what it
 * follows, its thresholds, whether it runs at all. Changing any of it needs
 * CAP_SYS_TIME, however much CAP_NET_ADMIN the requester has.
 *
 * Return: 0 or -EPERM.
 */
int kntp_clock_may_change(struct kntp_net *kn, u8 kind, bool cap_sys_time,
			  struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&kn->lock);
	if (cap_sys_time || (kn->clock.kind != KNTP_CLOCK_SYSTEM &&
			     kind != KNTP_CLOCK_SYSTEM))
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "this instance keeps the system clock: changing it needs CAP_SYS_TIME");
	return -EPERM;
}

/* The claimer's credentials, with CAP_SYS_TIME as its only capability. */
static const struct cred *kntp_clock_cred(void)
{
	kernel_cap_t only = CAP_EMPTY_SET;
	struct cred *cred;

	cred = prepare_creds();
	if (!cred)
		return NULL;
	cap_raise(only, CAP_SYS_TIME);
	cred->cap_effective = cap_intersect(cred->cap_effective, only);
	cred->cap_permitted = cap_intersect(cred->cap_permitted, only);
	cred->cap_bset = cap_intersect(cred->cap_bset, only);
	cap_clear(cred->cap_inheritable);
	cap_clear(cred->cap_ambient);
	return cred;
}

/*
 * Own the system clock. The tick and frequency the clock has now are kept
 * as its baseline: corrections are applied relative to them, and they are
 * restored at the release. kn->lock held.
 *
 * Return: 0, -EPERM without @cap_sys_time, -EBUSY when another instance
 * owns it, -ENOMEM.
 */
static int kntp_sysclock_claim(struct kntp_net *kn, bool cap_sys_time,
			       struct netlink_ext_ack *extack)
{
	struct __kernel_timex txc = { .modes = 0 };
	struct __kernel_timex adj = { .modes = KNTP_ADJ_ADJTIME_READ };
	int err = 0;

	mutex_lock(&kntp_sysclock.lock);
	if (kntp_sysclock.owner == kn)
		goto unlock;
	if (kntp_sysclock.owner) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the system clock is owned by the kntp instance of another network namespace");
		err = -EBUSY;
		goto unlock;
	}
	if (!cap_sys_time) {
		NL_SET_ERR_MSG_MOD(extack,
				   "owning the system clock needs CAP_SYS_TIME (or use a virtual clock)");
		err = -EPERM;
		goto unlock;
	}
	kntp_sysclock.cred = kntp_clock_cred();
	if (!kntp_sysclock.cred) {
		err = -ENOMEM;
		goto unlock;
	}
	if (kntp_do_adjtimex) {
		kntp_sysclock_adjtimex(&txc);
		kntp_sysclock_adjtimex(&adj);
	}
	kntp_sysclock.base_tick_us = txc.tick;
	kntp_sysclock.base_freq = txc.freq;
	kntp_sysclock.base_status = txc.status & KNTP_STA_FOREIGN;
	kntp_sysclock.base_adjtime = adj.offset != 0;
	kntp_sysclock.sta = kntp_sysclock.base_status;
	kntp_sysclock.step_jiffies = jiffies - KNTP_LEAP_REARM_J;
	kntp_sysclock.tick_us = txc.tick;
	kntp_sysclock.freq = txc.freq;
	kntp_sysclock.wall_ns = kntp_sysclock_wall_ns();
	kntp_sysclock.owner = kn;
	kn->clock.owner = true;
	kn->clock.lost = false;
	kn->clock.freq_ppb = 0;
unlock:
	mutex_unlock(&kntp_sysclock.lock);
	return err;
}

/*
 * Give the system clock back, as it was found, if @kn owns it. Whoever
 * triggers it (a disable, a switch to a virtual clock, a namespace going
 * away, rmmod): the restore runs under the claimer's credentials, so it
 * cannot fail for want of CAP_SYS_TIME. A clock lost to another process is
 * not touched. Sleeps.
 */
static void kntp_sysclock_release(struct kntp_net *kn)
{
	struct __kernel_timex txc = { .modes = 0 };
	bool owner;
	int ret = 0;

	mutex_lock(&kntp_sysclock.lock);
	owner = kntp_sysclock.owner == kn;
	if (owner) {
		if (kntp_do_adjtimex)
			ret = kntp_sysclock_adjtimex(&txc);
		if (ret >= 0 && kntp_do_adjtimex) {
			/* Unsynchronised, and the leap bits as found. */
			txc.modes = ADJ_TICK | ADJ_FREQUENCY | ADJ_STATUS |
				    ADJ_MAXERROR | ADJ_ESTERROR;
			txc.tick = kntp_sysclock.base_tick_us;
			txc.freq = kntp_sysclock.base_freq;
			txc.status = (txc.status & ~KNTP_STA_LEAP) | STA_UNSYNC |
				     (kntp_sysclock.base_status & KNTP_STA_LEAP);
			txc.maxerror = NTP_PHASE_LIMIT;
			txc.esterror = NTP_PHASE_LIMIT;
			ret = kntp_sysclock_adjtimex(&txc);
		}
		if (ret < 0)
			pr_warn("released the system clock, but could not restore its tick and frequency (error %d)\n",
				ret);
		else if (kntp_do_adjtimex)
			pr_info("released the system clock: unsynchronised, tick %ld us and frequency %ld (2^-16 ppm) restored\n",
				kntp_sysclock.base_tick_us,
				kntp_sysclock.base_freq);
		else
			pr_info("released the system clock\n");
		kntp_sysclock_let_go(kn);
	}
	mutex_unlock(&kntp_sysclock.lock);
}

/* A virtual clock is nobody else's: nothing to claim or give back. */
static int kntp_vclock_claim(struct kntp_net *kn, bool cap_sys_time,
			     struct netlink_ext_ack *extack)
{
	return 0;
}

static void kntp_vclock_release(struct kntp_net *kn)
{
	/* Only the system backend claims: the kind changes after a release. */
	WARN_ON_ONCE(READ_ONCE(kn->clock.owner));
}

/**
 * kntp_clock_check() - notice another process adjusting the clock we own
 * @kn: instance
 *
 * Run by the system process every second; kntp_clock_apply() and the end
 * of a slew check before they write, too. Process context.
 */
void kntp_clock_check(struct kntp_net *kn)
{
	mutex_lock(&kntp_sysclock.lock);
	kntp_sysclock_ours(kn);
	mutex_unlock(&kntp_sysclock.lock);
}

/* What the discipline may do with the system clock: enum ntp_disc_ctl. */
static u8 kntp_sysclock_control(struct kntp_net *kn)
{
	if (!READ_ONCE(kn->clock.owner))
		return NTP_DISC_CTL_NONE;
	return kntp_do_adjtimex ? NTP_DISC_CTL_FULL : NTP_DISC_CTL_STEP;
}

/*
 * The discipline's action on the system clock: a step, then the frequency
 * with the slew's rate on top, whose end a timer keeps. Process context.
 */
static s64 kntp_sysclock_apply(struct kntp_net *kn,
			       const struct ntp_disc_action *a, s64 now_ns)
{
	struct kntp_clock *c = &kn->clock;
	s64 slew_ppb = 0, extra_ns;

	mutex_lock(&kntp_sysclock.lock);
	if (!kntp_sysclock_ours(kn))
		goto unlock;
	/* The slew running ends here: its rate is replaced (or stepped over). */
	kntp_sysclock_slew_stop(c, &now_ns);
	if (a->step_ns)
		kntp_sysclock_step(a->step_ns);
	if (!kntp_do_adjtimex)
		goto unlock;
	c->freq_ppb = a->freq_ppb;
	if (a->slew_ns && a->slew_dur_ns > 0)
		slew_ppb = ntp_ppb_rate(a->slew_ns, a->slew_dur_ns);
	kntp_sysclock_freq(c->freq_ppb + slew_ppb);
	if (!slew_ppb) {
		hrtimer_try_to_cancel(&c->slew_timer);
		goto unlock;
	}
	/*
	 * It runs as long as the system process reckons (core/system.c: dur
	 * + slew, on the local clock, at whose rate CLOCK_MONOTONIC runs),
	 * from now: a little after the update, by lag_ns.
	 */
	c->slew.start_ns = ktime_get_ns();
	c->slew.lag_ns = ktime_get_real_ns() - (now_ns + a->step_ns);
	c->slew.amount_ns = a->slew_ns;
	c->slew.len_ns = a->slew_dur_ns + a->slew_ns;
	hrtimer_start(&c->slew_timer, ns_to_ktime(c->slew.len_ns),
		      HRTIMER_MODE_REL);
unlock:
	extra_ns = c->slew_extra_ns;
	c->slew_extra_ns = 0;
	mutex_unlock(&kntp_sysclock.lock);
	return extra_ns;
}

/* What the system clock's slews did beyond the reckoning, since the last call. */
static s64 kntp_sysclock_slew_extra(struct kntp_net *kn)
{
	s64 extra_ns;

	mutex_lock(&kntp_sysclock.lock);
	extra_ns = kn->clock.slew_extra_ns;
	kn->clock.slew_extra_ns = 0;
	mutex_unlock(&kntp_sysclock.lock);
	return extra_ns;
}

/*
 * For the owner of the system clock, with adjtimex: STA_UNSYNC clear
 * while @synced and set otherwise; maxerror and esterror current while
 * @synced (the kernel adds 500 us to maxerror every second itself, and
 * sets STA_UNSYNC when it passes 16 s); STA_INS or STA_DEL as @leap says
 * (the leap bits are served while @synced or while our own clock is the
 * reference). Process context.
 */
static void kntp_sysclock_state(struct kntp_net *kn, bool synced, u8 leap,
				u64 maxerror_ns, u64 esterror_ns)
{
	struct __kernel_timex txc = { .modes = 0 };
	int want = 0;

	if (!kntp_do_adjtimex)
		return;
	mutex_lock(&kntp_sysclock.lock);
	if (!kntp_sysclock_ours(kn) || kntp_sysclock_adjtimex(&txc) < 0)
		goto unlock;
	if (time_after_eq(jiffies, kntp_sysclock.step_jiffies +
			  KNTP_LEAP_REARM_J))
		want = leap == NTP_LEAP_ADD ? STA_INS :
		       leap == NTP_LEAP_DEL ? STA_DEL : 0;
	if (!synced)
		want |= STA_UNSYNC;
	want |= txc.status & ~(KNTP_STA_LEAP | STA_UNSYNC);
	if (want == txc.status && !synced)
		goto unlock;
	txc.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
	txc.status = want;
	/* The kernel clamps both to NTP_PHASE_LIMIT (16 s). */
	txc.maxerror = synced ? min_t(u64, div_u64(maxerror_ns, NSEC_PER_USEC),
				      NTP_PHASE_LIMIT) : NTP_PHASE_LIMIT;
	txc.esterror = synced ? min_t(u64, div_u64(esterror_ns, NSEC_PER_USEC),
				      NTP_PHASE_LIMIT) : NTP_PHASE_LIMIT;
	if (kntp_sysclock_adjtimex(&txc) < 0) {
		pr_warn_ratelimited("adjtimex refused the status %#x\n", want);
		goto unlock;
	}
	if ((kntp_sysclock.sta ^ want) & KNTP_STA_LEAP)
		pr_notice("leap second at the coming midnight (UTC): %s\n",
			  want & STA_INS ? "insert armed" :
			  want & STA_DEL ? "delete armed" : "none");
	kntp_sysclock.sta = (kntp_sysclock.sta & ~KNTP_STA_LEAP) |
			    (want & KNTP_STA_LEAP);
unlock:
	mutex_unlock(&kntp_sysclock.lock);
}

/* The system clock takes no injected error: it is the reference. */
static int kntp_sysclock_inject(struct kntp_net *kn, s64 offset_ns,
				s64 err_ppb, bool set_err,
				struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG_MOD(extack,
			   "errors can be injected into a virtual clock only");
	return -EOPNOTSUPP;
}

/* The system clock has no error against itself. */
static bool kntp_sysclock_error(struct kntp_net *kn, s64 *err_ns)
{
	return false;
}

/* A virtual clock does what the discipline says, exactly, at once. */
static u8 kntp_vclock_control(struct kntp_net *kn)
{
	return NTP_DISC_CTL_FULL;
}

static s64 kntp_vclock_apply(struct kntp_net *kn,
			     const struct ntp_disc_action *a, s64 now_ns)
{
	struct kntp_clock *c = &kn->clock;

	write_seqlock_bh(&c->lock);
	ntp_vclock_apply(&c->vc, ktime_get_real_ns(), a);
	write_sequnlock_bh(&c->lock);
	return 0;
}

/* A virtual clock slews exactly as reckoned. */
static s64 kntp_vclock_slew_extra(struct kntp_net *kn)
{
	return 0;
}

/* The kernel's NTP state is the system clock's: nothing to tell. */
static void kntp_vclock_state(struct kntp_net *kn, bool synced, u8 leap,
			      u64 maxerror_ns, u64 esterror_ns)
{
}

static const char *kntp_vclock_note(const struct kntp_net *kn)
{
	return NULL;
}

static int kntp_vclock_inject(struct kntp_net *kn, s64 offset_ns,
			      s64 err_ppb, bool set_err,
			      struct netlink_ext_ack *extack)
{
	struct kntp_clock *c = &kn->clock;

	write_seqlock_bh(&c->lock);
	ntp_vclock_inject(&c->vc, ktime_get_real_ns(), offset_ns,
			  set_err ? err_ppb : c->vc.err_ppb);
	write_sequnlock_bh(&c->lock);
	return 0;
}

/* A virtual clock's error against the system clock, now: the truth. */
static bool kntp_vclock_error(struct kntp_net *kn, s64 *err_ns)
{
	s64 sys_ns = ktime_get_real_ns();

	*err_ns = kntp_vclock_read(kn, sys_ns) - sys_ns;
	return true;
}

/**
 * struct kntp_clock_ops - a clock backend: what each kind of clock does
 * @read: the instance's time at a CLOCK_REALTIME time, ns. Any context.
 * @claim: own the clock for the instance (kn->lock held): 0 or -errno,
 *	with the reason in the extack
 * @release: give it back as it was found (kn->lock held; sleeps)
 * @control: what the discipline may do with it (enum ntp_disc_ctl)
 * @apply: carry out a discipline action (a step, a frequency, a slew);
 *	returns what its slews did beyond the discipline's reckoning, ns
 * @slew_extra: the same, since the last call, ns
 * @state: tell it whether it is synchronised, how good it is, and of a
 *	leap second at the coming midnight
 * @note: a limitation in words for the status, or NULL
 * @inject: give it an error (tests): 0 or -errno, with the reason
 * @error: its error against the system clock, ns: false when it has none
 */
struct kntp_clock_ops {
	s64 (*read)(struct kntp_net *kn, s64 sys_ns);
	int (*claim)(struct kntp_net *kn, bool cap_sys_time,
		     struct netlink_ext_ack *extack);
	void (*release)(struct kntp_net *kn);
	u8 (*control)(struct kntp_net *kn);
	s64 (*apply)(struct kntp_net *kn, const struct ntp_disc_action *a,
		     s64 now_ns);
	s64 (*slew_extra)(struct kntp_net *kn);
	void (*state)(struct kntp_net *kn, bool synced, u8 leap,
		      u64 maxerror_ns, u64 esterror_ns);
	const char *(*note)(const struct kntp_net *kn);
	int (*inject)(struct kntp_net *kn, s64 offset_ns, s64 err_ppb,
		      bool set_err, struct netlink_ext_ack *extack);
	bool (*error)(struct kntp_net *kn, s64 *err_ns);
};

static const struct kntp_clock_ops kntp_clock_ops[] = {
	[KNTP_CLOCK_SYSTEM] = {
		.read		= kntp_sysclock_read,
		.claim		= kntp_sysclock_claim,
		.release	= kntp_sysclock_release,
		.control	= kntp_sysclock_control,
		.apply		= kntp_sysclock_apply,
		.slew_extra	= kntp_sysclock_slew_extra,
		.state		= kntp_sysclock_state,
		.note		= kntp_sysclock_note,
		.inject		= kntp_sysclock_inject,
		.error		= kntp_sysclock_error,
	},
	[KNTP_CLOCK_VIRTUAL] = {
		.read		= kntp_vclock_read,
		.claim		= kntp_vclock_claim,
		.release	= kntp_vclock_release,
		.control	= kntp_vclock_control,
		.apply		= kntp_vclock_apply,
		.slew_extra	= kntp_vclock_slew_extra,
		.state		= kntp_vclock_state,
		.note		= kntp_vclock_note,
		.inject		= kntp_vclock_inject,
		.error		= kntp_vclock_error,
	},
};

/*
 * The backend of an instance's clock. Its kind changes under kntp_net.lock
 * (writers), and for the system -> virtual switch under kntp_clock.lock
 * too, so that a reader in any context sees the new kind with the new
 * virtual clock (kntp_clock_set_kind()).
 */
static const struct kntp_clock_ops *kntp_clock_ops_of(const struct kntp_net *kn)
{
	u8 kind = READ_ONCE(kn->clock.kind);

	if (WARN_ON_ONCE(kind >= ARRAY_SIZE(kntp_clock_ops) ||
			 !kntp_clock_ops[kind].read))
		kind = KNTP_CLOCK_VIRTUAL;
	return &kntp_clock_ops[kind];
}

/**
 * kntp_clock_from_sys() - a system clock time on the instance's clock
 * @kn: instance
 * @sys_ns: CLOCK_REALTIME ns (e.g. an skb timestamp)
 *
 * Any context; the receive and transmit paths call it for every packet,
 * hence a direct call to each backend rather than through a pointer.
 */
s64 kntp_clock_from_sys(struct kntp_net *kn, s64 sys_ns)
{
	return INDIRECT_CALL_2(kntp_clock_ops_of(kn)->read, kntp_sysclock_read,
			       kntp_vclock_read, kn, sys_ns);
}

s64 kntp_clock_now(struct kntp_net *kn)
{
	return kntp_clock_from_sys(kn, ktime_get_real_ns());
}

/* A virtual clock's error against the system clock, now. */
s64 kntp_clock_error(struct kntp_net *kn, bool *valid)
{
	s64 err_ns = 0;

	*valid = kntp_clock_ops_of(kn)->error(kn, &err_ns);
	return err_ns;
}

/* A limitation of the clock, in words for the status; NULL when none. */
const char *kntp_clock_note(const struct kntp_net *kn)
{
	return kntp_clock_ops_of(kn)->note(kn);
}

/**
 * kntp_clock_claim() - own the clock the instance uses (the system clock:
 *	one instance at most)
 * @kn: instance, kn->lock held
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user namespace
 * @extack: where to say why not
 *
 * Once the claim holds, the caller starts the discipline afresh
 * (kntp_system_new_clock()): what it learnt before was relative to a
 * baseline that may have changed since.
 *
 * Return: 0, or -EPERM, -EBUSY, -ENOMEM for the system clock.
 */
int kntp_clock_claim(struct kntp_net *kn, bool cap_sys_time,
		     struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&kn->lock);
	return kntp_clock_ops_of(kn)->claim(kn, cap_sys_time, extack);
}

/**
 * kntp_clock_release() - give the clock back, as it was found
 * @kn: instance, kn->lock held
 *
 * Sleeps; on return no slew of the instance's ends any more.
 */
void kntp_clock_release(struct kntp_net *kn)
{
	kntp_clock_ops_of(kn)->release(kn);
	/*
	 * Always, whatever the kind: a slew's end that just found the system
	 * clock lost may still be on its way out, and the instance may be
	 * freed next. The timer queues the work, the work never sets the
	 * timer.
	 */
	hrtimer_cancel(&kn->clock.slew_timer);
	cancel_work_sync(&kn->clock.slew_end);
}

/**
 * kntp_clock_control() - what the discipline may do with this clock
 * @kn: an enabled instance
 *
 * Return: enum ntp_disc_ctl.
 */
u8 kntp_clock_control(struct kntp_net *kn)
{
	return kntp_clock_ops_of(kn)->control(kn);
}

/**
 * kntp_clock_apply() - carry out the discipline's action
 * @kn: instance
 * @a: the action
 * @now_ns: the local time of the update that made it (the slew begins
 *	then, as the discipline reckons)
 *
 * Process context (the system process's work).
 *
 * Return: what the system clock's slews did beyond the discipline's
 * reckoning and was not reported yet, the one this action replaces
 * included (as kntp_clock_slew_extra()), ns.
 */
s64 kntp_clock_apply(struct kntp_net *kn, const struct ntp_disc_action *a,
		     s64 now_ns)
{
	return kntp_clock_ops_of(kn)->apply(kn, a, now_ns);
}

/**
 * kntp_clock_slew_extra() - what the clock's slews did beyond the
 *	discipline's reckoning, since the last call
 * @kn: instance
 *
 * The system process takes it as a correction done at once (the clock
 * moved by it): ntp_system_clock_moved(). Process context, kntp_net.lock
 * held (the kind does not change under it).
 *
 * Return: ns; 0 for a virtual clock, which slews exactly as reckoned.
 */
s64 kntp_clock_slew_extra(struct kntp_net *kn)
{
	return kntp_clock_ops_of(kn)->slew_extra(kn);
}

/**
 * kntp_clock_state() - tell the kernel how good its clock is, and of a
 *	leap second
 * @kn: instance
 * @synced: synchronised to a source (serving our own clock is not)
 * @leap: NTP_LEAP_ADD or NTP_LEAP_DEL: a leap second at the coming
 *	midnight (UTC); anything else: none
 * @maxerror_ns: the clock's maximum error: the root distance, ns
 * @esterror_ns: its estimated error: the system jitter, ns
 *
 * Only the system clock's owner tells the kernel anything. Process context.
 */
void kntp_clock_state(struct kntp_net *kn, bool synced, u8 leap,
		      u64 maxerror_ns, u64 esterror_ns)
{
	kntp_clock_ops_of(kn)->state(kn, synced, leap, maxerror_ns,
				     esterror_ns);
}

/**
 * kntp_clock_set_kind() - choose the system or a virtual clock
 * @kn: instance, kn->lock held
 * @kind: enum kntp_clock_kind
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user namespace
 * @extack: where to say why not
 *
 * Choosing the system clock again after it was lost to another process
 * claims it again. A new clock starts the discipline afresh: a frequency
 * learnt on one clock means nothing on the other.
 *
 * Return: 0, or why the system clock cannot be owned; nothing changed then.
 */
int kntp_clock_set_kind(struct kntp_net *kn, u8 kind, bool cap_sys_time,
			struct netlink_ext_ack *extack)
{
	u8 old = kn->clock.kind;
	int err;

	lockdep_assert_held(&kn->lock);
	if (kind == old && !(kind == KNTP_CLOCK_SYSTEM && kn->enabled &&
			     !kn->clock.owner))
		return 0;
	if (kind == KNTP_CLOCK_VIRTUAL) {
		kntp_clock_release(kn);
		write_seqlock_bh(&kn->clock.lock);
		ntp_vclock_init(&kn->clock.vc, ktime_get_real_ns(), 0);
		WRITE_ONCE(kn->clock.kind, kind);
		write_sequnlock_bh(&kn->clock.lock);
		kntp_system_new_clock(kn);
		return 0;
	}
	WRITE_ONCE(kn->clock.kind, kind);
	if (kn->enabled) {
		err = kntp_clock_claim(kn, cap_sys_time, extack);
		if (err) {
			WRITE_ONCE(kn->clock.kind, old);
			return err;
		}
	}
	kntp_system_new_clock(kn);
	return 0;
}

/**
 * kntp_clock_inject() - give a virtual clock an error (tests)
 * @kn: instance, kn->lock held
 * @offset_ns: step it by this
 * @err_ppb: its oscillator error from now on
 * @set_err: whether @err_ppb is given
 * @extack: where to say why not
 *
 * Return: 0, or -EOPNOTSUPP for the system clock.
 */
int kntp_clock_inject(struct kntp_net *kn, s64 offset_ns, s64 err_ppb,
		      bool set_err, struct netlink_ext_ack *extack)
{
	return kntp_clock_ops_of(kn)->inject(kn, offset_ns, err_ppb, set_err,
					     extack);
}
