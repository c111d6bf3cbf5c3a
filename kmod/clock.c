// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: clock backends - where an instance reads time and where the
 * discipline's actions go.
 *
 * system: the kernel's own clock. Frequency through adjtimex (tick for the
 *	coarse part, ADJ_FREQUENCY for the fine part), steps through
 *	ADJ_SETOFFSET. do_adjtimex() is not exported: it is resolved once at
 *	load through kallsyms_lookup_name(), itself found with a kprobe. If
 *	that fails the clock can only be stepped (do_settimeofday64()), and
 *	the status says so. One instance at most owns it.
 * virtual: the system clock plus an offset and a frequency of the
 *	instance's own (kmod/core/vclock.c), for other namespaces and tests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kprobes.h>
#include <linux/timex.h>
#include <net/netlink.h>

#include "kntp.h"

/* adjtimex's frequency unit: ppm with 16 fractional bits. */
#define KNTP_FREQ_SCALE		65536
/* A tick of USER_HZ: 1 us of tick length is 10^9 / (10^6 / USER_HZ) ppb. */
#define KNTP_TICK_PPB		(NSEC_PER_SEC / (USEC_PER_SEC / USER_HZ))
/* adjtimex accepts a tick within 10 % of nominal (kernel/time/ntp.c). */
#define KNTP_TICK_SPAN		(USEC_PER_SEC / USER_HZ / 10)

typedef int (*kntp_adjtimex_t)(struct __kernel_timex *txc);

static kntp_adjtimex_t kntp_do_adjtimex;
static DEFINE_MUTEX(kntp_clock_owner_lock);
static struct kntp_net *kntp_clock_owner;	/* owns the system clock */
/* The system clock's tick and frequency when it was claimed. */
static long kntp_base_tick_us, kntp_base_freq;

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

int kntp_clock_module_init(void)
{
	kntp_do_adjtimex = (kntp_adjtimex_t)kntp_clock_lookup("do_adjtimex");
	if (!kntp_do_adjtimex)
		pr_warn("do_adjtimex not found: the system clock can only be stepped\n");
	return 0;
}

const char *kntp_clock_note(void)
{
	return kntp_do_adjtimex ? NULL : "step only: do_adjtimex not found";
}

/**
 * kntp_clock_from_sys() - a system clock time on the instance's clock
 * @kn: instance
 * @sys_ns: CLOCK_REALTIME ns (e.g. an skb timestamp)
 *
 * Any context.
 */
s64 kntp_clock_from_sys(struct kntp_net *kn, s64 sys_ns)
{
	struct kntp_clock *c = &kn->clock;
	unsigned int seq;
	s64 t;

	if (c->kind == KNTP_CLOCK_SYSTEM)
		return sys_ns;
	do {
		seq = read_seqbegin(&c->lock);
		t = ntp_vclock_read(&c->vc, sys_ns);
	} while (read_seqretry(&c->lock, seq));
	return t;
}

s64 kntp_clock_now(struct kntp_net *kn)
{
	return kntp_clock_from_sys(kn, ktime_get_real_ns());
}

/* A virtual clock's error against the system clock, now. */
s64 kntp_clock_error(struct kntp_net *kn, bool *valid)
{
	s64 sys_ns = ktime_get_real_ns();

	*valid = kn->clock.kind == KNTP_CLOCK_VIRTUAL;
	return *valid ? kntp_clock_from_sys(kn, sys_ns) - sys_ns : 0;
}

/* Run the system clock at a frequency correction, ppb. Process context. */
static void kntp_clock_sys_freq(s64 ppb)
{
	struct __kernel_timex txc = { .modes = ADJ_TICK | ADJ_FREQUENCY };
	s64 ticks = div_s64(ppb, KNTP_TICK_PPB);

	ticks = clamp_t(s64, ticks, -KNTP_TICK_SPAN, KNTP_TICK_SPAN);
	txc.tick = kntp_base_tick_us + ticks;
	txc.freq = kntp_base_freq +
		   div_s64((ppb - ticks * KNTP_TICK_PPB) * KNTP_FREQ_SCALE, 1000);
	/* adjtimex clamps the frequency to MAXFREQ (500 ppm) itself. */
	if (kntp_do_adjtimex(&txc) < 0)
		pr_warn_ratelimited("adjtimex refused a frequency of %lld ppb\n",
				    ppb);
}

static void kntp_clock_sys_step(s64 step_ns)
{
	struct __kernel_timex txc = { .modes = ADJ_SETOFFSET | ADJ_NANO };
	struct timespec64 ts;

	if (!kntp_do_adjtimex) {
		ktime_get_real_ts64(&ts);
		ts = timespec64_add(ts, ns_to_timespec64(step_ns));
		do_settimeofday64(&ts);
		return;
	}
	ts = ns_to_timespec64(step_ns);	/* tv_nsec in [0, 10^9) */
	txc.time.tv_sec = ts.tv_sec;
	txc.time.tv_usec = ts.tv_nsec;
	if (kntp_do_adjtimex(&txc) < 0)
		pr_warn_ratelimited("adjtimex refused a step of %lld ns\n", step_ns);
}

static void kntp_clock_slew_end(struct work_struct *work)
{
	struct kntp_clock *c = container_of(to_delayed_work(work),
					    struct kntp_clock, slew_end);
	struct kntp_net *kn = container_of(c, struct kntp_net, clock);

	mutex_lock(&kntp_clock_owner_lock);
	if (kntp_clock_owner == kn && kntp_do_adjtimex)
		kntp_clock_sys_freq(c->freq_ppb);
	mutex_unlock(&kntp_clock_owner_lock);
}

void kntp_clock_init(struct kntp_net *kn)
{
	struct kntp_clock *c = &kn->clock;

	c->kind = net_eq(kn->net, &init_net) ? KNTP_CLOCK_SYSTEM :
					       KNTP_CLOCK_VIRTUAL;
	seqlock_init(&c->lock);
	ntp_vclock_init(&c->vc, ktime_get_real_ns(), 0);
	INIT_DELAYED_WORK(&c->slew_end, kntp_clock_slew_end);
}

/**
 * kntp_clock_apply() - carry out the discipline's action
 * @kn: instance
 * @a: the action
 *
 * Process context (the system process's work).
 */
void kntp_clock_apply(struct kntp_net *kn, const struct ntp_disc_action *a)
{
	struct kntp_clock *c = &kn->clock;
	s64 slew_ppb = 0;

	if (c->kind == KNTP_CLOCK_VIRTUAL) {
		write_seqlock_bh(&c->lock);
		ntp_vclock_apply(&c->vc, ktime_get_real_ns(), a);
		write_sequnlock_bh(&c->lock);
		return;
	}
	mutex_lock(&kntp_clock_owner_lock);
	if (kntp_clock_owner != kn)
		goto unlock;
	if (a->step_ns)
		kntp_clock_sys_step(a->step_ns);
	if (!kntp_do_adjtimex)
		goto unlock;
	c->freq_ppb = a->freq_ppb;
	if (a->slew_ns && a->slew_dur_ns > 0)
		slew_ppb = ntp_ppb_rate(a->slew_ns, a->slew_dur_ns);
	kntp_clock_sys_freq(c->freq_ppb + slew_ppb);
	if (slew_ppb)
		mod_delayed_work(system_wq, &c->slew_end,
				 nsecs_to_jiffies(a->slew_dur_ns));
	else
		cancel_delayed_work(&c->slew_end);
unlock:
	mutex_unlock(&kntp_clock_owner_lock);
}

/**
 * kntp_clock_claim() - own the system clock, if this instance uses it
 * @kn: instance, kn->lock held
 * @may_own: the requester has CAP_SYS_TIME in the initial user namespace
 * @extack: where to say why not
 *
 * The tick and frequency the clock has now are kept as its baseline:
 * corrections are applied relative to them.
 *
 * Return: 0, -EPERM without @may_own, -EBUSY when another instance owns it.
 */
int kntp_clock_claim(struct kntp_net *kn, bool may_own,
		     struct netlink_ext_ack *extack)
{
	struct __kernel_timex txc = { .modes = 0 };
	int err = 0;

	if (kn->clock.kind != KNTP_CLOCK_SYSTEM)
		return 0;
	mutex_lock(&kntp_clock_owner_lock);
	if (kntp_clock_owner == kn)
		goto unlock;
	if (kntp_clock_owner) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the system clock is owned by the kntp instance of another network namespace");
		err = -EBUSY;
		goto unlock;
	}
	if (!may_own) {
		NL_SET_ERR_MSG_MOD(extack,
				   "owning the system clock needs CAP_SYS_TIME (or use a virtual clock)");
		err = -EPERM;
		goto unlock;
	}
	if (kntp_do_adjtimex && kntp_do_adjtimex(&txc) >= 0) {
		kntp_base_tick_us = txc.tick;
		kntp_base_freq = txc.freq;
	}
	kntp_clock_owner = kn;
	kn->clock.owner = true;
	kn->clock.freq_ppb = 0;
unlock:
	mutex_unlock(&kntp_clock_owner_lock);
	return err;
}

/**
 * kntp_clock_release() - give the system clock back, as it was found
 * @kn: instance, kn->lock held
 *
 * Sleeps.
 */
void kntp_clock_release(struct kntp_net *kn)
{
	bool owner;

	mutex_lock(&kntp_clock_owner_lock);
	owner = kntp_clock_owner == kn;
	if (owner) {
		kntp_clock_owner = NULL;
		kn->clock.owner = false;
		if (kntp_do_adjtimex)
			kntp_clock_sys_freq(0);
	}
	mutex_unlock(&kntp_clock_owner_lock);
	if (owner)
		cancel_delayed_work_sync(&kn->clock.slew_end);
}

/**
 * kntp_clock_set_kind() - choose the system or a virtual clock
 * @kn: instance, kn->lock held
 * @kind: enum kntp_clock_kind
 * @may_own: the requester has CAP_SYS_TIME in the initial user namespace
 * @extack: where to say why not
 *
 * Return: 0, or why the system clock cannot be owned; nothing changed then.
 */
int kntp_clock_set_kind(struct kntp_net *kn, u8 kind, bool may_own,
			struct netlink_ext_ack *extack)
{
	u8 old = kn->clock.kind;
	int err;

	if (kind == old)
		return 0;
	if (kind == KNTP_CLOCK_VIRTUAL) {
		kntp_clock_release(kn);
		write_seqlock_bh(&kn->clock.lock);
		ntp_vclock_init(&kn->clock.vc, ktime_get_real_ns(), 0);
		kn->clock.kind = kind;
		write_sequnlock_bh(&kn->clock.lock);
		return 0;
	}
	kn->clock.kind = kind;
	if (!kn->enabled)
		return 0;
	err = kntp_clock_claim(kn, may_own, extack);
	if (err)
		kn->clock.kind = old;
	return err;
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
	struct kntp_clock *c = &kn->clock;

	if (c->kind != KNTP_CLOCK_VIRTUAL) {
		NL_SET_ERR_MSG_MOD(extack,
				   "errors can be injected into a virtual clock only");
		return -EOPNOTSUPP;
	}
	write_seqlock_bh(&c->lock);
	ntp_vclock_inject(&c->vc, ktime_get_real_ns(), offset_ns,
			  set_err ? err_ppb : c->vc.err_ppb);
	write_sequnlock_bh(&c->lock);
	return 0;
}
