// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the clock discipline (RFC 5905 sec. 11.3, Appendix A.5.5.6).
 *
 * The step, panic and stepout rules and the poll-interval adjustment are the
 * RFC's. The servo that turns offsets into frequency and phase corrections
 * is not: it is a PI loop in the style of linuxptp's pi.c, started by a
 * frequency acquisition (as linuxptp estimates the drift from its first
 * samples). The RFC's PLL/FLL waits WATCH (900 s) in its FREQ state and
 * then pulls in with a time constant of 2^(poll + 5) s or more; this loop
 * is within a millisecond of a 100 ms, 100 ppm start in under a minute at
 * poll 4 (selftests/unit/test_discipline.c measures it).
 *
 * 1. Acquisition (after NSET, i.e. at start and after ntp_disc_reset()).
 *    The frequency is held; every offset is slewed in full. The phase
 *    corrections applied since the first update (the anchor) are added up,
 *    so the phase drift since the anchor is known:
 *	drift = offset - offset(anchor) + corrections,
 *    which is -(frequency error) * span plus noise. The estimate
 *    freq += drift / span is taken once three updates and 16 s are in and
 *    the noise allows a 20 ppm estimate (2 * noise / span); the noise is
 *    measured as the deviation of the previous drift from the straight line
 *    through the anchor and the current one, which no frequency error
 *    moves. At the latest it is taken after WATCH, as the RFC's FREQ state.
 *    A single offset of the first seconds, slewed or stepped, thus never
 *    reaches the integral term (no wind-up).
 *
 * 2. Tracking: a PI loop per update, T being the interval: the poll
 *    interval 2^poll s, or the time mu since the last update if longer
 *    (updates follow the associations' polls, and some are missed):
 *	freq += Ki * offset * mu	(integral)
 *	slew  = Kp * T * offset		(proportional, as a phase slew over
 *					 the next interval, T)
 *    With the time constant tau = 4 T: Kp = 1.5 / tau, Ki = 0.5 / tau^2,
 *    i.e. per update a = Kp T = 3/8 of the offset and b = Ki T^2 = 1/32.
 *    Continuous-time damping Kp / (2 sqrt(Ki)) = 1.06. Per update, with x
 *    the phase error and z = T * (frequency error): x' = (1 - a - b) x + z,
 *    z' = z - b x; the poles solve l^2 - (2 - a - b) l + (1 - a) = 0:
 *    l = 0.897 and 0.697, both real and in (0, 1): no oscillation, no
 *    alternation, 1/e in ~9 updates (critical damping would be at
 *    b = 2 - a - 2 sqrt(1 - a) = 0.044). Since T follows mu, these gains
 *    hold per update however far apart updates come; updates closer than
 *    2^poll s see the same loop in continuous time (each slew is replaced
 *    before it is done, the integral takes mu / T of its step).
 *
 * Other departures from A.5.5.6, each with its reason:
 * - Panic applies to the first update (NSET) only, as ntpd -g: later large
 *   offsets go through the stepout. In PANIC the next update below the
 *   panic threshold is a first update again.
 * - The stepout is measured from the first update above the step threshold
 *   (the RFC measures from the last update used).
 * - The jitter is not averaged during the acquisition, whose slews are
 *   large on purpose: it starts from the acquisition's noise measurement.
 * - The poll counter counts at least 1 per update (the RFC adds s.poll,
 *   which never raises a poll of 0 or less).
 */
#include "discipline.h"
#include "filter.h"	/* ntp_sqrt_u64() */

/* PI gains per update as fractions (see above): a = 3/8, b = 1/32. */
#define NTP_DISC_KP_NUM		3
#define NTP_DISC_KP_DEN		8
#define NTP_DISC_KI_DEN		32
/* The PI interval T is at most 2^NTP_DISC_POLL_MAX s (36 h). */
#define NTP_DISC_T_MAX_NS	(NTP_NSEC_PER_SEC << NTP_DISC_POLL_MAX)

/* Acquisition: at least this many updates, so the noise can be measured. */
#define NTP_DISC_ACQ_UPDATES	3
/* ... spanning at least 16 s (2^MINPOLL) to average the noise down ... */
#define NTP_DISC_ACQ_MIN_NS	(16 * NTP_NSEC_PER_SEC)
/*
 * ... and then as soon as the noise allows an estimate within 20 ppm, an
 * error the PI loop removes with 20 ppm * tau = 1.3 ms of phase at poll 4;
 * after NTP_WATCH_NS in any case.
 */
#define NTP_DISC_ACQ_TOL_PPB	20000

/*
 * Offset differences enter the jitter and noise averages capped at 4 s, so
 * that their squares fit a u64 (4e18 * 4 < 2^64); nothing that large is
 * jitter anyway.
 */
#define NTP_DISC_JITTER_MAX_NS	(4 * NTP_NSEC_PER_SEC)
/*
 * Slews are capped at 2^50 ns (13 days; steps are not): it keeps
 * offset * 10^9 / MAXSLEW products well inside 64 bits.
 */
#define NTP_DISC_SLEW_MAX_NS	((s64)BIT_ULL(50))
/*
 * offset / T is clamped to 2^40 ppb before it is scaled by mu / T (at most
 * 2 * 10^9 ppb): beyond it the integral saturates at MAXFREQ anyway.
 */
#define NTP_DISC_RATE_IN_MAX	((s64)BIT_ULL(40))
/* ntp_ppb_rate() saturates here (the result fits in s64 with room). */
#define NTP_PPB_RATE_MAX	((s64)BIT_ULL(62))
/* ... and scales divisors down above this, so that r * 1000 fits a u64. */
#define NTP_PPB_RATE_DIV_MAX	BIT_ULL(53)

static u64 ntp_mag(s64 x)
{
	return x < 0 ? -(u64)x : (u64)x;
}

static s64 ntp_clamp(s64 x, s64 lim)
{
	if (x > lim)
		return lim;
	if (x < -lim)
		return -lim;
	return x;
}

/**
 * ntp_ppb_scale() - what a rate makes of a duration
 * @dur_ns: duration, ns (may be negative)
 * @rate_ppb: rate, ppb; |@rate_ppb| <= 2^33
 *
 * Exact: the seconds and the rest of @dur_ns are scaled separately (both
 * have the sign of @dur_ns), so no product exceeds 2^63 as long as the
 * result fits (|@dur_ns| / 10^9 * |@rate_ppb| < 2^63).
 *
 * Return: @dur_ns * @rate_ppb / 10^9, rounded toward zero, ns.
 */
s64 ntp_ppb_scale(s64 dur_ns, s64 rate_ppb)
{
	s64 sec = div_s64(dur_ns, NTP_NSEC_PER_SEC);
	s64 rem_ns = dur_ns - sec * NTP_NSEC_PER_SEC;

	return sec * rate_ppb + div_s64(rem_ns * rate_ppb, NTP_NSEC_PER_SEC);
}

/**
 * ntp_ppb_rate() - the rate that makes a phase change over a duration
 * @delta_ns: phase change, ns
 * @dur_ns: duration, ns
 *
 * Long division in base 1000 after the integer part, so @delta_ns * 10^9
 * is never formed: exact for durations below 2^53 ns (104 days); longer
 * ones are scaled down with @delta_ns first.
 *
 * Return: @delta_ns * 10^9 / @dur_ns rounded toward zero, ppb, saturated
 * at +-2^62; 0 when @dur_ns <= 0.
 */
s64 ntp_ppb_rate(s64 delta_ns, s64 dur_ns)
{
	u64 a = ntp_mag(delta_ns), d, q, r, frac = 0, digit;
	s64 res;
	int i;

	if (dur_ns <= 0)
		return 0;
	d = dur_ns;
	while (d > NTP_PPB_RATE_DIV_MAX) {
		d >>= 1;
		a >>= 1;
	}
	q = div64_u64(a, d);
	if (q >= div_u64(NTP_PPB_RATE_MAX, NTP_NSEC_PER_SEC))
		return delta_ns < 0 ? -NTP_PPB_RATE_MAX : NTP_PPB_RATE_MAX;
	r = a - q * d;
	for (i = 0; i < 3; i++) {	/* 10^9 = 1000^3 */
		r *= 1000;
		digit = div64_u64(r, d);
		r -= digit * d;
		frac = frac * 1000 + digit;
	}
	res = q * NTP_NSEC_PER_SEC + frac;
	return delta_ns < 0 ? -res : res;
}

/* 2^poll s in ns. */
static s64 ntp_disc_poll_ns(s8 poll)
{
	if (poll >= 0)
		return NTP_NSEC_PER_SEC << poll;
	return NTP_NSEC_PER_SEC >> -poll;
}

/* sqrt(avg^2 + (sample^2 - avg^2) / AVG), A.5.5.6 c.jitter. */
static u64 ntp_disc_rms_avg(u64 avg_ns, u64 sample_ns)
{
	u64 a2, s2;

	if (avg_ns > NTP_DISC_JITTER_MAX_NS)
		avg_ns = NTP_DISC_JITTER_MAX_NS;
	if (sample_ns > NTP_DISC_JITTER_MAX_NS)
		sample_ns = NTP_DISC_JITTER_MAX_NS;
	a2 = avg_ns * avg_ns;
	s2 = sample_ns * sample_ns;
	return ntp_sqrt_u64(a2 - a2 / NTP_AVG + s2 / NTP_AVG);
}

/*
 * Ask for a slew of @slew_ns over the next poll interval or @dur_ns,
 * whichever is longer, or longer still when that would exceed
 * NTP_MAXSLEW_PPB: the duration is then ceil(|slew| * 10^9 / MAXSLEW),
 * computed in two parts to stay in 64 bits.
 */
static void ntp_disc_slew(struct ntp_disc *d, s64 slew_ns, u64 dur_ns,
			  struct ntp_disc_action *a)
{
	u64 mag, q, r, min_ns;

	if (dur_ns < (u64)ntp_disc_poll_ns(d->poll))
		dur_ns = ntp_disc_poll_ns(d->poll);

	slew_ns = ntp_clamp(slew_ns, NTP_DISC_SLEW_MAX_NS);
	mag = ntp_mag(slew_ns);
	q = div64_u64(mag, NTP_MAXSLEW_PPB);
	r = mag - q * NTP_MAXSLEW_PPB;
	min_ns = q * NTP_NSEC_PER_SEC +
		 div64_u64(r * NTP_NSEC_PER_SEC + NTP_MAXSLEW_PPB - 1,
			   NTP_MAXSLEW_PPB);
	if (min_ns > dur_ns)
		dur_ns = min_ns;
	d->slew_ns = slew_ns;
	d->slew_dur_ns = slew_ns ? dur_ns : 0;
	a->slew_ns = d->slew_ns;
	a->slew_dur_ns = d->slew_dur_ns;
}

/*
 * How much of the last slew the backend has done @mu_ns of local time after
 * it began. The backend times the slew on its reference, against which the
 * local clock gains the slew itself: in local time the slew lasts
 * slew_dur + slew (to the ppm of the frequency error; 8 % more at the
 * fastest slew).
 */
static s64 ntp_disc_slew_done(const struct ntp_disc *d, s64 mu_ns)
{
	s64 dur_ns = d->slew_dur_ns + d->slew_ns;

	if (!d->slew_ns || mu_ns <= 0)
		return 0;
	if (mu_ns >= dur_ns)
		return d->slew_ns;
	return ntp_ppb_scale(mu_ns, ntp_ppb_rate(d->slew_ns, dur_ns));
}

static void ntp_disc_acq_start(struct ntp_disc *d, s64 offset_ns, s64 t_ns,
			       s64 step_ns)
{
	memset(&d->acq, 0, sizeof(d->acq));
	d->acq.active = true;
	d->acq.n = 1;
	d->acq.t_ns = t_ns;
	d->acq.offset_ns = offset_ns;
	d->acq.corr_ns = step_ns;
}

/*
 * Step by @offset_ns: the phase is then right, the frequency is kept, the
 * poll starts again from minpoll (A.5.5.6). An acquisition in progress
 * starts again from here.
 */
static void ntp_disc_step(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			  struct ntp_disc_action *a)
{
	a->step_ns = offset_ns;
	d->state = NTP_DISC_SYNC;
	d->last_ns = now_ns + offset_ns;
	d->offset_ns = 0;
	d->spike_ns = 0;
	d->count = 0;
	d->poll = d->cfg.minpoll;
	d->step_t_ns = now_ns;
	d->step_amount_ns = offset_ns;
	d->n_steps++;
	d->slew_ns = 0;
	d->slew_dur_ns = 0;
	if (d->acq.active)
		ntp_disc_acq_start(d, offset_ns, d->last_ns, offset_ns);
}

/* The first update, from NSET or PANIC: step or slew it all, acquire. */
static int ntp_disc_first(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			  u64 precision_ns, struct ntp_disc_action *a)
{
	d->jitter_ns = precision_ns;
	d->acq.active = false;
	if (d->cfg.step_ns && ntp_mag(offset_ns) > d->cfg.step_ns) {
		ntp_disc_step(d, offset_ns, now_ns, a);
		ntp_disc_acq_start(d, offset_ns, d->last_ns, offset_ns);
		return NTP_DISC_STEP;
	}
	d->state = NTP_DISC_SYNC;
	d->last_ns = now_ns;
	d->offset_ns = offset_ns;
	d->spike_ns = 0;
	d->count = 0;
	ntp_disc_acq_start(d, offset_ns, now_ns, 0);
	ntp_disc_slew(d, offset_ns, 0, a);
	return NTP_DISC_SLEW;
}

/*
 * An update during the acquisition (the last slew's done part @done_ns is
 * already in acq.corr_ns). The phase drift since the anchor, with the
 * frequency held, is -(frequency error) * span + noise; the estimate is
 * taken when it is good enough (see the top of the file).
 */
static void ntp_disc_acquire(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			     u64 precision_ns)
{
	struct ntp_disc_acq *q = &d->acq;
	s64 span_ns = now_ns - q->t_ns;
	s64 drift_ns, rate_ppb;
	u64 dev_ns, dev2;

	if (span_ns <= 0)
		return;
	drift_ns = offset_ns - q->offset_ns + q->corr_ns;
	rate_ppb = ntp_ppb_rate(drift_ns, span_ns);
	q->n++;
	if (q->prev_span_ns > 0 && q->prev_span_ns < span_ns) {
		/* the previous drift against the line anchor - now */
		dev_ns = ntp_mag(q->prev_drift_ns -
				 ntp_ppb_scale(q->prev_span_ns, rate_ppb));
		if (dev_ns < precision_ns)
			dev_ns = precision_ns;
		if (dev_ns > NTP_DISC_JITTER_MAX_NS)
			dev_ns = NTP_DISC_JITTER_MAX_NS;
		/* running mean of the squares, over the whole acquisition */
		dev2 = dev_ns * dev_ns;
		q->n_dev++;
		if (dev2 >= q->noise2)
			q->noise2 += div_u64(dev2 - q->noise2, q->n_dev);
		else
			q->noise2 -= div_u64(q->noise2 - dev2, q->n_dev);
		q->noise_ns = ntp_sqrt_u64(q->noise2);
	}
	q->prev_drift_ns = drift_ns;
	q->prev_span_ns = span_ns;
	if (q->n < NTP_DISC_ACQ_UPDATES || span_ns < NTP_DISC_ACQ_MIN_NS)
		return;
	if (span_ns < NTP_WATCH_NS &&
	    ntp_ppb_rate(2 * q->noise_ns, span_ns) > NTP_DISC_ACQ_TOL_PPB)
		return;
	/* beyond 2 MAXFREQ, the sum saturates at MAXFREQ all the same */
	rate_ppb = ntp_clamp(rate_ppb, 2 * NTP_MAXFREQ_PPB);
	d->freq_ppb = ntp_clamp(d->freq_ppb + rate_ppb, NTP_MAXFREQ_PPB);
	d->jitter_ns = q->noise_ns > precision_ns ? q->noise_ns : precision_ns;
	q->active = false;
}

/* A.5.5.6 poll adjust: raise the poll while offsets are within the jitter. */
static void ntp_disc_poll_adjust(struct ntp_disc *d, s64 offset_ns)
{
	s32 w = d->poll > 1 ? d->poll : 1;

	if (ntp_mag(offset_ns) < NTP_PGATE * d->jitter_ns) {
		d->count += w;
		if (d->count > NTP_LIMIT) {
			d->count = NTP_LIMIT;
			if (d->poll < d->cfg.maxpoll) {
				d->count = 0;
				d->poll++;
			}
		}
	} else {
		d->count -= 2 * w;
		if (d->count < -NTP_LIMIT) {
			d->count = -NTP_LIMIT;
			if (d->poll > d->cfg.minpoll) {
				d->count = 0;
				d->poll--;
			}
		}
	}
}

/*
 * The PI loop: integral into freq_ppb, the proportional part as a slew.
 * The interval T the gains refer to is the poll interval, or the time since
 * the last update when that is longer (updates may come at the
 * associations' polls, or be missed): per update, the loop is then the one
 * analysed at the top whatever the spacing. Updates closer than the poll
 * interval get gains in proportion (the slew is replaced before it is done,
 * the integral takes mu / T): a continuous PI with the same tau.
 */
static void ntp_disc_pi(struct ntp_disc *d, s64 offset_ns, s64 mu_ns,
			struct ntp_disc_action *a)
{
	s64 t_ns = ntp_disc_poll_ns(d->poll);
	s64 in_ppb, mu_ppb, df_ppb;

	if (mu_ns > NTP_DISC_T_MAX_NS)
		mu_ns = NTP_DISC_T_MAX_NS;
	if (mu_ns > t_ns)
		t_ns = mu_ns;
	/* b * offset * mu / T^2 = (offset / T) * (mu / T) / 32 */
	in_ppb = ntp_clamp(ntp_ppb_rate(offset_ns, t_ns), NTP_DISC_RATE_IN_MAX);
	mu_ppb = ntp_ppb_rate(mu_ns, t_ns);
	df_ppb = div_s64(ntp_ppb_scale(in_ppb, mu_ppb), NTP_DISC_KI_DEN);
	d->freq_ppb = ntp_clamp(d->freq_ppb + df_ppb, NTP_MAXFREQ_PPB);
	offset_ns = ntp_clamp(offset_ns, NTP_DISC_SLEW_MAX_NS);
	ntp_disc_poll_adjust(d, offset_ns);
	ntp_disc_slew(d, div_s64(offset_ns * NTP_DISC_KP_NUM, NTP_DISC_KP_DEN),
		      t_ns, a);
}

/* A clock update below the step threshold, once past the first. */
static int ntp_disc_track(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			  u64 precision_ns, struct ntp_disc_action *a)
{
	s64 mu_ns = now_ns - d->last_ns;
	u64 diff_ns;

	if (mu_ns < 0)
		mu_ns = 0;
	d->state = NTP_DISC_SYNC;
	d->spike_ns = 0;
	if (d->acq.active) {
		d->acq.corr_ns += ntp_disc_slew_done(d, mu_ns);
		ntp_disc_acquire(d, offset_ns, now_ns, precision_ns);
		d->offset_ns = offset_ns;
		d->last_ns = now_ns;
		ntp_disc_slew(d, offset_ns, 0, a);
		a->freq_ppb = d->freq_ppb;
		return NTP_DISC_SLEW;
	}
	diff_ns = ntp_mag(offset_ns - d->offset_ns);
	if (diff_ns < precision_ns)
		diff_ns = precision_ns;
	d->jitter_ns = ntp_disc_rms_avg(d->jitter_ns, diff_ns);
	d->offset_ns = offset_ns;
	d->last_ns = now_ns;
	ntp_disc_pi(d, offset_ns, mu_ns, a);
	a->freq_ppb = d->freq_ppb;
	return NTP_DISC_SLEW;
}

/*
 * An offset above the step threshold, once past the first update: has it
 * lasted the stepout (RFC WATCH), measured from the first such offset?
 */
static bool ntp_disc_stepout_done(struct ntp_disc *d, s64 now_ns)
{
	if (d->state != NTP_DISC_SPIKE) {
		d->state = NTP_DISC_SPIKE;
		d->spike_ns = now_ns;
	}
	return now_ns - d->spike_ns >= 0 &&
	       (u64)(now_ns - d->spike_ns) >= d->cfg.stepout_ns;
}

/*
 * A clock that can only be stepped (NTP_DISC_CTL_STEP): offsets above the
 * step threshold are stepped (at once on the first update, after the
 * stepout later), the rest are left alone. The clock runs free: no
 * frequency is learnt, nothing is slewed, so no sample is ever compensated
 * for a correction that was not made.
 */
static int ntp_disc_step_only(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			      struct ntp_disc_action *a)
{
	bool first = d->state == NTP_DISC_NSET || d->state == NTP_DISC_PANIC;

	d->freq_ppb = 0;
	a->freq_ppb = 0;
	d->acq.active = false;
	if (!d->cfg.step_ns || ntp_mag(offset_ns) <= d->cfg.step_ns) {
		d->state = NTP_DISC_FREE;
		d->spike_ns = 0;
		d->offset_ns = offset_ns;
		d->last_ns = now_ns;
		return NTP_DISC_IGNORE;
	}
	if (!first && !ntp_disc_stepout_done(d, now_ns))
		return NTP_DISC_IGNORE;
	ntp_disc_step(d, offset_ns, now_ns, a);
	d->state = NTP_DISC_FREE;
	return NTP_DISC_STEP;
}

/**
 * ntp_disc_init() - start a discipline
 * @d: discipline
 * @cfg: settings; the poll limits are brought into NTP_DISC_POLL_MIN..
 *	NTP_DISC_POLL_MAX, maxpoll no lower than minpoll
 * @freq_ppb: frequency correction to start from (e.g. the clock's current
 *	one), ppb; clamped to +-NTP_MAXFREQ_PPB
 */
void ntp_disc_init(struct ntp_disc *d, const struct ntp_disc_cfg *cfg,
		   s64 freq_ppb)
{
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	if (d->cfg.minpoll < NTP_DISC_POLL_MIN)
		d->cfg.minpoll = NTP_DISC_POLL_MIN;
	if (d->cfg.minpoll > NTP_DISC_POLL_MAX)
		d->cfg.minpoll = NTP_DISC_POLL_MAX;
	if (d->cfg.maxpoll > NTP_DISC_POLL_MAX)
		d->cfg.maxpoll = NTP_DISC_POLL_MAX;
	if (d->cfg.maxpoll < d->cfg.minpoll)
		d->cfg.maxpoll = d->cfg.minpoll;
	d->freq_ppb = ntp_clamp(freq_ppb, NTP_MAXFREQ_PPB);
	ntp_disc_reset(d);
}

/**
 * ntp_disc_update() - one clock update
 * @d: discipline
 * @offset_ns: combined offset, ns; positive: the clock is behind the
 *	reference, and the correction is +@offset_ns
 * @now_ns: local time now, Unix ns
 * @precision_ns: floor of the jitter (the clock's precision), ns
 * @a: where to put what the clock backend must do (filled in every case)
 *
 * Return: enum ntp_disc_result.
 */
int ntp_disc_update(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
		    u64 precision_ns, struct ntp_disc_action *a)
{
	u64 mag = ntp_mag(offset_ns);

	memset(a, 0, sizeof(*a));
	a->freq_ppb = d->freq_ppb;
	if (d->cfg.ctl == NTP_DISC_CTL_NONE) {
		d->state = NTP_DISC_HANDS_OFF;
		return NTP_DISC_IGNORE;
	}
	if (d->state == NTP_DISC_HANDS_OFF)
		ntp_disc_reset(d);
	if (d->state == NTP_DISC_NSET || d->state == NTP_DISC_PANIC) {
		if (d->cfg.panic_ns && mag > d->cfg.panic_ns) {
			d->state = NTP_DISC_PANIC;
			return NTP_DISC_REFUSED;
		}
		if (d->cfg.ctl == NTP_DISC_CTL_STEP)
			return ntp_disc_step_only(d, offset_ns, now_ns, a);
		return ntp_disc_first(d, offset_ns, now_ns, precision_ns, a);
	}
	if (d->cfg.ctl == NTP_DISC_CTL_STEP)
		return ntp_disc_step_only(d, offset_ns, now_ns, a);
	if (d->state == NTP_DISC_FREE)	/* it can slew again: start afresh */
		return ntp_disc_first(d, offset_ns, now_ns, precision_ns, a);
	if (d->cfg.step_ns && mag > d->cfg.step_ns) {
		if (!ntp_disc_stepout_done(d, now_ns))
			return NTP_DISC_IGNORE;
		ntp_disc_step(d, offset_ns, now_ns, a);
		return NTP_DISC_STEP;
	}
	return ntp_disc_track(d, offset_ns, now_ns, precision_ns, a);
}

/**
 * ntp_disc_fresh() - whether an offset measured at @sample_ns may be used
 * @d: discipline
 * @sample_ns: local time the offset was measured, Unix ns
 *
 * The loop corrects most of each offset within one interval, so an offset
 * measured before the last update (a clock filter may pick an older,
 * lower-delay sample) would be corrected twice. Callers should skip such
 * an update (and not count it), as the RFC skips samples not newer than
 * the last one used.
 *
 * Return: true before the first update, or when @sample_ns is after the
 * last update.
 */
bool ntp_disc_fresh(const struct ntp_disc *d, s64 sample_ns)
{
	if (d->state == NTP_DISC_NSET || d->state == NTP_DISC_PANIC ||
	    d->state == NTP_DISC_HANDS_OFF)
		return true;
	return sample_ns > d->last_ns;
}

/**
 * ntp_disc_reset() - back to NSET, keeping the frequency estimate
 * @d: discipline
 *
 * For an instance that lost synchronisation for long, or whose clock was
 * stepped by someone else: the next update is a first update again (panic,
 * step or slew, then a new frequency acquisition from the current
 * frequency). The poll starts again from minpoll.
 */
void ntp_disc_reset(struct ntp_disc *d)
{
	d->state = NTP_DISC_NSET;
	d->last_ns = 0;
	d->offset_ns = 0;
	d->spike_ns = 0;
	d->jitter_ns = 0;
	d->count = 0;
	d->poll = d->cfg.minpoll;
	d->slew_ns = 0;
	d->slew_dur_ns = 0;
	memset(&d->acq, 0, sizeof(d->acq));
}
