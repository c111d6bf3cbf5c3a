// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: a piecewise-linear clock against a reference (see vclock.h).
 *
 * The clock's value is kept exactly, as a whole number of ns plus a
 * fraction in units of 10^-9 ns (@t0_sub): a span d at a rate r (ppb) adds
 * d + d * r / 10^9 ns, and d * r / 10^9 = s * r + rem * r / 10^9 with d =
 * s * 10^9 + rem, where s * r is whole and rem * r is counted in 10^-9 ns.
 * Nothing is rounded until a read, which rounds down; a rebase keeps the
 * fraction, so it changes nothing in any later read.
 *
 * Bounds: every rate is within +-NTP_VCLOCK_MAX_PPB (2.5e8), so a segment's
 * rate (up to three of them summed) is within +-7.5e8: |rem * r| < 7.5e17,
 * |s * r| < 2^63 for spans below 1.2e10 s (390 years). The clock's slope,
 * 1 + r / 10^9, is then at least 0.25: reads never go backwards as the
 * reference advances.
 */
#include "vclock.h"

/*
 * The clock never strays further than this from its reference (2^61 ns,
 * 73 years), however often it is stepped or given an error: its times, and
 * their differences with the reference's, stay well inside an s64.
 */
#define NTP_VCLOCK_MAX_OFFSET_NS	((s64)1 << 61)

/* A fraction of a ns counts 10^-9 ns: the unit of ns * ppb. */
#define NTP_VCLOCK_SUB_PER_NS	NTP_NSEC_PER_SEC

static s64 ntp_vclock_clamp(s64 rate_ppb)
{
	if (rate_ppb > NTP_VCLOCK_MAX_PPB)
		return NTP_VCLOCK_MAX_PPB;
	if (rate_ppb < -NTP_VCLOCK_MAX_PPB)
		return -NTP_VCLOCK_MAX_PPB;
	return rate_ppb;
}

/* Add @dur_ns of reference time at @rate_ppb to (@whole, @sub). */
static void ntp_vclock_run(s64 *whole, s64 *sub, s64 dur_ns, s64 rate_ppb)
{
	s64 sec = div_s64(dur_ns, NTP_NSEC_PER_SEC);
	s64 rem_ns = dur_ns - sec * NTP_NSEC_PER_SEC;

	*whole += dur_ns + sec * rate_ppb;
	*sub += rem_ns * rate_ppb;
}

/* Carry the fraction into the whole ns: afterwards 0 <= *sub < 10^9. */
static void ntp_vclock_carry(s64 *whole, s64 *sub)
{
	s64 q = div_s64(*sub, NTP_VCLOCK_SUB_PER_NS);

	*sub -= q * NTP_VCLOCK_SUB_PER_NS;
	if (*sub < 0) {
		*sub += NTP_VCLOCK_SUB_PER_NS;
		q--;
	}
	*whole += q;
}

/* The exact value at @ref_ns: whole ns and the fraction, carried. */
static void ntp_vclock_at(const struct ntp_vclock *c, s64 ref_ns,
			  s64 *whole, s64 *sub)
{
	s64 base_ppb = c->err_ppb + c->freq_ppb;
	s64 dt_ns = ref_ns - c->ref0_ns;
	s64 slew_left_ns = c->slew_end_ns - c->ref0_ns;

	*whole = c->t0_ns;
	*sub = c->t0_sub;
	if (slew_left_ns > 0 && c->slew_ppb) {
		/* with the slew up to its end (or back from @ref0_ns) ... */
		s64 d1_ns = dt_ns < slew_left_ns ? dt_ns : slew_left_ns;

		ntp_vclock_run(whole, sub, d1_ns, base_ppb + c->slew_ppb);
		/* ... and without it after */
		ntp_vclock_run(whole, sub, dt_ns - d1_ns, base_ppb);
	} else {
		ntp_vclock_run(whole, sub, dt_ns, base_ppb);
	}
	ntp_vclock_carry(whole, sub);
}

/*
 * Make @ref_ns the base: the clock's value there becomes (t0, t0_sub) and
 * what is left of the slew (if any) runs from there.
 */
static void ntp_vclock_rebase(struct ntp_vclock *c, s64 ref_ns)
{
	s64 whole, sub;

	ntp_vclock_at(c, ref_ns, &whole, &sub);
	c->t0_ns = whole;
	c->t0_sub = sub;
	c->ref0_ns = ref_ns;
	if (c->slew_end_ns <= ref_ns) {
		c->slew_ppb = 0;
		c->slew_end_ns = ref_ns;
	}
}

/**
 * ntp_vclock_init() - a clock that runs with the reference
 * @c: clock
 * @ref_ns: reference time now, ns
 * @offset_ns: the clock is this much ahead of the reference, ns
 */
/* Step a rebased clock by @delta_ns, saturating at the offset limit. */
static void ntp_vclock_step(struct ntp_vclock *c, s64 delta_ns)
{
	s64 off_ns = c->t0_ns - c->ref0_ns;

	if (delta_ns > NTP_VCLOCK_MAX_OFFSET_NS - off_ns)
		off_ns = NTP_VCLOCK_MAX_OFFSET_NS;
	else if (delta_ns < -NTP_VCLOCK_MAX_OFFSET_NS - off_ns)
		off_ns = -NTP_VCLOCK_MAX_OFFSET_NS;
	else
		off_ns += delta_ns;
	c->t0_ns = c->ref0_ns + off_ns;
}

void ntp_vclock_init(struct ntp_vclock *c, s64 ref_ns, s64 offset_ns)
{
	memset(c, 0, sizeof(*c));
	c->ref0_ns = ref_ns;
	c->t0_ns = ref_ns + offset_ns;
	c->slew_end_ns = ref_ns;
}

/**
 * ntp_vclock_read() - the clock's time
 * @c: clock
 * @ref_ns: reference time, ns (before the last rebase too: the first
 *	segment is extended backwards)
 *
 * Return: the clock's time at @ref_ns, rounded down, ns.
 */
s64 ntp_vclock_read(const struct ntp_vclock *c, s64 ref_ns)
{
	s64 whole, sub;

	ntp_vclock_at(c, ref_ns, &whole, &sub);
	return whole;
}

/**
 * ntp_vclock_apply() - carry out a discipline action
 * @c: clock
 * @ref_ns: reference time now, ns
 * @a: the action: step by @a->step_ns, run at @a->freq_ppb from now on,
 *	and slew @a->slew_ns over @a->slew_dur_ns (at the rate
 *	slew_ns * 10^9 / slew_dur_ns ppb, rounded toward zero), replacing
 *	what was left of the previous slew
 */
void ntp_vclock_apply(struct ntp_vclock *c, s64 ref_ns,
		      const struct ntp_disc_action *a)
{
	ntp_vclock_rebase(c, ref_ns);
	ntp_vclock_step(c, a->step_ns);
	c->freq_ppb = ntp_vclock_clamp(a->freq_ppb);
	c->slew_ppb = 0;
	c->slew_end_ns = ref_ns;
	if (a->slew_ns && a->slew_dur_ns > 0) {
		c->slew_ppb = ntp_vclock_clamp(ntp_ppb_rate(a->slew_ns,
							    a->slew_dur_ns));
		if (a->slew_dur_ns > S64_MAX - ref_ns)
			c->slew_end_ns = S64_MAX;
		else
			c->slew_end_ns = ref_ns + a->slew_dur_ns;
	}
}

/**
 * ntp_vclock_inject() - give the clock an error (tests)
 * @c: clock
 * @ref_ns: reference time now, ns
 * @offset_ns: step the clock by this, ns
 * @err_ppb: its oscillator error from now on, ppb (clamped to
 *	+-NTP_VCLOCK_MAX_PPB); a slew in progress goes on
 */
void ntp_vclock_inject(struct ntp_vclock *c, s64 ref_ns, s64 offset_ns,
		       s64 err_ppb)
{
	ntp_vclock_rebase(c, ref_ns);
	ntp_vclock_step(c, offset_ns);
	c->err_ppb = ntp_vclock_clamp(err_ppb);
}
