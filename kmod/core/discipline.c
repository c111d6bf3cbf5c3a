// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the clock discipline (RFC 5905 sec. 11.3, Appendix A.5.5.6).
 *
 * The step, panic and stepout rules and the poll-interval adjustment are the
 * RFC's. The servo that turns offsets into frequency and phase corrections
 * is neither the RFC's PLL/FLL nor a PI loop: it is a least-squares line
 * through the recent offsets, as chrony's source statistics fit one, so
 * that their noise is averaged out rather than passed on to the clock. (A
 * PI loop with a time constant of four polls moved the frequency by
 * offset / T / 32 at every update: one 3 ms outlier at poll 0, 94 ppm.)
 *
 * 1. The history. Each update's offset becomes a point (t, y): t the local
 *    time it was measured, y what it would read on the clock as it runs
 *    now. When the clock moves, the points move with it: the part of a
 *    slew done (and a step) is taken off every y, and when the frequency
 *    changes by df every y gains df times its age (had the new frequency
 *    been in use, the clock would have been that much behind). So the
 *    points lie on one line whatever was done to the clock: its value now
 *    is the phase error, its slope the frequency error left. The fit is
 *    open loop - no gain, no time constant, no stability to lose - and it
 *    knows its standard errors. Up to NTP_DISC_NPOINTS (64) are kept.
 *
 * 2. The window. Noise wants many points, a wandering oscillator few. The
 *    line goes through the newest points that
 *    (a) span no more than W, the span at which a line's error at its
 *	  newest end is least for white phase noise sigma, points tau0 apart
 *	  and a frequency that walks at random by w per s^(1/2): the noise's
 *	  share falls as sigma^2 tau0 / W, the wander's grows as w^2 W^3, so
 *	  W^4 = K sigma^2 tau0 / w^2 (NTP_DISC_SPAN_K). At 100 us of network
 *	  jitter, that is the whole history at poll 0 (64 clock filter picks,
 *	  five minutes), some 30 points at poll 6, 3 or 4 at poll 10; at 1 ms
 *	  it is sqrt(10) times longer;
 *    (b) pass the runs test (Wald and Wolfowitz) on the signs of their
 *	  residuals, which finds what the assumed wander does not: a
 *	  frequency step, a reference that moved. Failing it, the oldest
 *	  points go one at a time, up to a quarter of them per update, so
 *	  that a false alarm costs little;
 *    (c) unless the newest three all left the line on one side by more
 *	  than 3 sigma: then something changed now, and the line starts again
 *	  from them (the runs test would see it only points later).
 *    Points that leave the window are forgotten, and what they said of
 *    the frequency becomes the prior of the shorter window (3.).
 *
 * 3. The frequency: the current one plus the line's slope - weighed, while
 *    the window is short, against the prior (the frequency before points
 *    were forgotten, or kept over ntp_disc_reset() and a stepout) by their
 *    variances, until the line contradicts the prior (3 sd) or is far
 *    more precise. One offset 3 ms off among 64 points at poll 0 moves
 *    the slope by about 1 ppm.
 *
 * 4. The phase: the line's value now is slewed out in full, over the time
 *    since the last update (about the time to the next one), at most
 *    16 s, and no longer than the slew in progress still had to go.
 *
 * 5. Acquisition needs nothing of its own: from the third point on, the
 *    line gives the frequency. Before the first update, while the system
 *    process waits for its sources to agree, ntp_disc_observe() collects
 *    the would-be system peer's offsets (an iburst's eight samples): the
 *    first update sets frequency and phase at once. A step of ours keeps
 *    the history (the points move with the clock and with local time).
 *
 * 6. What to feed it: a clock filter's pick (the lowest delay of eight
 *    samples) is the best offset while it is young, but it may stay the
 *    pick for eight polls. ntp_disc_max_age_ns() tells the system process
 *    how young, from the same model: until the frequency's error or the
 *    wander over its age would move the phase by a fraction of the noise;
 *    beyond that, or when no new pick came for that long, the newest
 *    sample is the one to use - at once if it is far off the line (news:
 *    the frequency or the reference changed).
 *
 * Other departures from A.5.5.6, each with its reason:
 * - Panic applies to the first update (NSET) only, as ntpd -g: later large
 *   offsets go through the stepout. In PANIC the next update below the
 *   panic threshold is a first update again.
 * - The stepout is measured from the first update above the step threshold
 *   (the RFC measures from the last update used).
 * - The jitter is the noise of the offsets around the line (from the
 *   differences of successive residuals), not an average of offset
 *   differences; the poll adjustment compares the offsets with it.
 * - The poll counter counts at least 1 per update (the RFC adds s.poll,
 *   which never raises a poll of 0 or less).
 */
#include "discipline.h"
#include "filter.h"	/* ntp_sqrt_u64() */

/*
 * Slews are capped at 2^50 ns (13 days; steps are not): it keeps
 * offset * 10^9 / MAXSLEW products well inside 64 bits.
 */
#define NTP_DISC_SLEW_MAX_NS	((s64)BIT_ULL(50))
/* ntp_ppb_rate() saturates here (the result fits in s64 with room). */
#define NTP_PPB_RATE_MAX	((s64)BIT_ULL(62))
/* ... and scales divisors down above this, so that r * 1000 fits a u64. */
#define NTP_PPB_RATE_DIV_MAX	BIT_ULL(53)

/*
 * A phase correction is slewed over the time since the last update (the
 * time to the next one, as far as we know), but over 16 s at most: the
 * estimate does not get better by waiting, and at a long poll the clock
 * would stay off that much longer. NTP_MAXSLEW_PPB may make it longer.
 */
#define NTP_DISC_SLEW_T_MAX_NS	(16 * NTP_NSEC_PER_SEC)

/*
 * Before the first update, an observed offset whose delay exceeds the
 * least observed by more than that least delay or this, whichever is
 * larger, is left out (ntp_disc_observe()): below, jitter; beyond, a
 * packet that waited (address resolution, a queue), its offset up to half
 * the wait off.
 */
#define NTP_DISC_OBS_SLACK_NS	1000000LL	/* 1 ms */

/* The fewest points a regression is run on: a line and one residual. */
#define NTP_DISC_FIT_MIN	3
/*
 * Times enter the regression's sums in units of 2^sh ns, sh chosen so that
 * the oldest point is below 2^15 units back (the span in 32768 steps is far
 * finer than any offset needs); the points' deviations from the newest are
 * clamped at 2^33 ns (8.6 s, far beyond the step threshold); with at most
 * 64 points every sum fits in 63 bits (see ntp_disc_fit_n()).
 */
#define NTP_DISC_U_BITS		15
#define NTP_DISC_DY_MAX_NS	((s64)BIT_ULL(33))
/*
 * Residuals enter the noise estimate capped at 2^26 ns (67 ms): 64 squares
 * fit a u64; offsets that noisy are no clock to discipline anyway.
 */
#define NTP_DISC_RES_MAX_NS	((s64)BIT_ULL(26))
/* A slope in ppb beyond 2^33 is no clock at all; ntp_ppb_scale() takes it. */
#define NTP_DISC_SLOPE_MAX_PPB	((s64)BIT_ULL(33))

/*
 * The oscillator's wander the window and the sample age assume: its
 * frequency walks at random by w = 1 ppb per s^(1/2) (a common quartz
 * oscillator in a room; the simulator's hosts walk by 1.15). Over a time
 * T that moves the phase by about 0.58 w T^(3/2), and a fitted line's
 * newest end by sqrt(c w^2 T^3), c ~ 0.01.
 *
 * The window's span (see ntp_disc_span_ns()): W^4 = K sigma^2 tau0 / w^2.
 * Minimising (4 sigma^2 tau0 / W + c w^2 W^3) gives K = 4 / (3 c), about
 * 130; the simulator does best with a window 1.45 times shorter, K = 30
 * (the line is also extrapolated to the next update, and its slope's
 * error counts there too). With w = 1 ppb/s^(1/2), sigma and tau0 in ns
 * and W in s: W^2 = sigma sqrt(K tau0 / 10^9).
 */
#define NTP_DISC_SPAN_K		30
/*
 * The sample age (see ntp_disc_max_age_ns()): the wander moves the phase
 * by a quarter of the noise in A = (sigma / (4 * 0.58 w))^(2/3), i.e. in s
 * with sigma in ns: A^3 = sigma^2 / 5.38. A quarter: the pick's advantage
 * over the newest sample is less than the noise itself (at 100 us of
 * uniform jitter, 25 us against 41 us).
 */
#define NTP_DISC_AGE_K_NUM	100
#define NTP_DISC_AGE_K_DEN	538
/*
 * A newest sample this many times the noise away from what the clock
 * should read is news (ntp_disc_max_age_ns()): the clock or the reference
 * changed, or it is an outlier the regression outweighs.
 */
#define NTP_DISC_NEWS		4
/*
 * ... once the last update is more than 1/16 of the sample age old: at
 * short polls new picks come that often, and a raw sample that far off is
 * more likely the tail of the noise (exponential delays) than news.
 */
#define NTP_DISC_NEWS_GAP	16
/* The longest a sample may be taken as current (ntp_disc_max_age_ns()). */
#define NTP_DISC_AGE_MAX_NS	(NTP_NSEC_PER_SEC << NTP_DISC_POLL_MAX)

/*
 * The runs test (see ntp_disc_regress()) rejects a window when its runs
 * are fewer than expected by more than z standard deviations; z^2 as a
 * fraction. z = 2.33: a straight line through pure noise is rejected 1 %
 * of the time, and the nested shorter windows tend to fail with it; the
 * bends it is for (a changed frequency, a reference that moved) leave
 * few runs indeed, and the window's span already follows the wander.
 */
#define NTP_DISC_RUNS_Z2_NUM	543
#define NTP_DISC_RUNS_Z2_DEN	100
/* Below this many points the runs test is not run (it has no power). */
#define NTP_DISC_RUNS_MIN	6
/* The newest points that, leaving the line together, restart it. */
#define NTP_DISC_TAIL		3

/*
 * The prior (what was known of the frequency before the window, see
 * ntp_disc_set_freq()) is dropped once the regression's estimate is this
 * many times more precise, from this many points on: it has no weight left
 * then, and it only grows stale.
 */
#define NTP_DISC_PRIOR_DROP	8
#define NTP_DISC_PRIOR_MIN_N	8

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

/*
 * sqrt(avg^2 + (sample^2 - avg^2) / AVG), A.5.5.6 c.jitter: the noise of
 * a short window (three points at poll 10) is itself noisy, and a change
 * that has just begun inflates it before the line has moved; averaged,
 * each sample at most twice the average (it grows by a third at most per
 * update), it follows the noise, not the news.
 */
static u64 ntp_disc_rms_avg(u64 avg_ns, u64 sample_ns)
{
	u64 a2, s2;

	avg_ns = min_t(u64, avg_ns, NTP_DISC_RES_MAX_NS);
	sample_ns = min_t(u64, sample_ns, NTP_DISC_RES_MAX_NS);
	a2 = avg_ns * avg_ns;
	s2 = sample_ns * sample_ns;
	return ntp_sqrt_u64(a2 - a2 / NTP_AVG + s2 / NTP_AVG);
}

/*
 * Ask for a slew of @slew_ns over @dur_ns, or longer when that would exceed
 * NTP_MAXSLEW_PPB: the duration is then ceil(|slew| * 10^9 / MAXSLEW),
 * computed in two parts to stay in 64 bits.
 */
static void ntp_disc_slew(struct ntp_disc *d, s64 slew_ns, u64 dur_ns,
			  struct ntp_disc_action *a)
{
	u64 mag, q, r, min_ns;

	slew_ns = ntp_clamp(slew_ns, NTP_DISC_SLEW_MAX_NS);
	mag = ntp_mag(slew_ns);
	q = div64_u64(mag, NTP_MAXSLEW_PPB);
	r = mag - q * NTP_MAXSLEW_PPB;
	min_ns = q * NTP_NSEC_PER_SEC +
		 div64_u64(r * NTP_NSEC_PER_SEC + NTP_MAXSLEW_PPB - 1,
			   NTP_MAXSLEW_PPB);
	if (min_ns > dur_ns)
		dur_ns = min_ns;
	if (!dur_ns)
		dur_ns = 1;
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

/*
 * How long to slew @phase_ns over, @mu_ns after the last update: that long
 * (the next update is about as far), at least one system poll, at most
 * NTP_DISC_SLEW_T_MAX_NS.
 *
 * A slew still in progress is replaced by one of the whole of @phase_ns:
 * what it had still to do, which it would have done in the time it had
 * left, and the news, which gets the interval. The new slew ends between
 * the two, weighted by their sizes. So a large correction (the first ones)
 * is not put off by every update that replaces it, and a small one is not
 * hurried because the last slew happened to be nearly done: the rate is
 * never above the two rates added (Cauchy-Schwarz), and a slew's rate
 * times the backend's lateness in ending it is the clock's error.
 */
static u64 ntp_disc_slew_dur(const struct ntp_disc *d, s64 mu_ns,
			     s64 phase_ns)
{
	s64 dur_ns = ntp_disc_poll_ns(d->poll);
	s64 left_ns = d->slew_dur_ns + d->slew_ns - mu_ns;
	s64 rest_ns = d->slew_ns - ntp_disc_slew_done(d, mu_ns);
	u64 rest = ntp_mag(rest_ns), news = ntp_mag(phase_ns - rest_ns);

	if (mu_ns > dur_ns)
		dur_ns = mu_ns;
	if (dur_ns > NTP_DISC_SLEW_T_MAX_NS)
		dur_ns = NTP_DISC_SLEW_T_MAX_NS;
	/* none in progress, or it is over (then it is all done) */
	if (!rest)
		return dur_ns;
	/* left + (dur - left) * the news' share of the two */
	return left_ns + ntp_ppb_scale(dur_ns - left_ns,
				       ntp_ppb_rate(news, rest + news));
}

/* --- the history ---------------------------------------------------------- */

/* Forget the @k oldest points. */
static void ntp_disc_drop(struct ntp_disc *d, u32 k)
{
	if (k >= d->n_pts) {
		d->n_pts = 0;
		return;
	}
	memmove(d->pts, d->pts + k, (d->n_pts - k) * sizeof(d->pts[0]));
	d->n_pts -= k;
}

/*
 * The clock moved by @corr_ns (the done part of a slew, a step): each point
 * would have read that much less. A step moves local time too.
 */
static void ntp_disc_hist_shift(struct ntp_disc *d, s64 corr_ns, bool step)
{
	u32 i;

	for (i = 0; i < d->n_pts; i++) {
		d->pts[i].y_ns -= corr_ns;
		if (step)
			d->pts[i].t_ns += corr_ns;
	}
}

/*
 * The frequency changes by @df_ppb at @now_ns: had it been in use all
 * along, a point @age ago would have read @df_ppb * age more (the clock
 * would have been that much behind its reading now).
 */
static void ntp_disc_hist_rebase(struct ntp_disc *d, s64 df_ppb, s64 now_ns)
{
	u32 i;

	if (!df_ppb)
		return;
	for (i = 0; i < d->n_pts; i++)
		d->pts[i].y_ns += ntp_ppb_scale(now_ns - d->pts[i].t_ns, df_ppb);
}

/*
 * The window's span W (see NTP_DISC_SPAN_K): W^2 = sigma sqrt(K tau0 / 10^9)
 * s^2, with sigma the noise known (the jitter) and tau0 the points' mean
 * spacing, in ns. tau0 is capped at 2^47 ns (39 h, beyond any poll): K tau0
 * < 2^52, and sigma times its root below 2^53.
 */
static u64 ntp_disc_span_ns(const struct ntp_disc *d)
{
	u64 sigma_ns = min_t(u64, d->jitter_ns, NTP_DISC_RES_MAX_NS);
	u64 span_ns, tau0_ns, w2_s2;

	if (d->n_pts < 2)
		return U64_MAX;
	span_ns = d->pts[d->n_pts - 1].t_ns - d->pts[0].t_ns;
	tau0_ns = min_t(u64, div_u64(span_ns, d->n_pts - 1), BIT_ULL(47));
	w2_s2 = div_u64(sigma_ns * ntp_sqrt_u64(div_u64(NTP_DISC_SPAN_K *
							tau0_ns, 1000)),
			1000);
	return ntp_sqrt_u64(w2_s2) * NTP_NSEC_PER_SEC;
}

/* Forget the oldest points while the history spans more than W. */
static void ntp_disc_cap_span(struct ntp_disc *d)
{
	while (d->n_pts > NTP_DISC_FIT_MIN &&
	       (u64)(d->pts[d->n_pts - 1].t_ns - d->pts[0].t_ns) >
	       ntp_disc_span_ns(d))
		ntp_disc_drop(d, 1);
}

/*
 * The history is full but spans less than the window allows (much noise,
 * short polls): rather than the oldest, a point of the older half goes,
 * the one whose neighbours are closest - the older points thin out, and
 * the history reaches back further (the slope's error falls with the
 * span, the line's end with the number of points).
 */
static void ntp_disc_thin(struct ntp_disc *d)
{
	u32 i, best = 1;
	s64 gap_ns, best_ns = S64_MAX;

	for (i = 1; i < d->n_pts / 2; i++) {
		gap_ns = d->pts[i + 1].t_ns - d->pts[i - 1].t_ns;
		if (gap_ns < best_ns) {
			best_ns = gap_ns;
			best = i;
		}
	}
	memmove(d->pts + best, d->pts + best + 1,
		(d->n_pts - best - 1) * sizeof(d->pts[0]));
	d->n_pts--;
}

/*
 * A new point. Points are kept in the order of their times: one not newer
 * than the newest (the same sample twice) is left out. Full, the oldest
 * goes, or one thinned out while the window would span more.
 *
 * Return: the point added, or NULL.
 */
static struct ntp_disc_point *ntp_disc_hist_add(struct ntp_disc *d,
						s64 t_ns, s64 y_ns)
{
	struct ntp_disc_point *p;

	if (d->n_pts && t_ns <= d->pts[d->n_pts - 1].t_ns)
		return NULL;
	if (d->n_pts == NTP_DISC_NPOINTS) {
		if ((u64)(t_ns - d->pts[0].t_ns) < ntp_disc_span_ns(d))
			ntp_disc_thin(d);
		else
			ntp_disc_drop(d, 1);
	}
	p = &d->pts[d->n_pts++];
	p->t_ns = t_ns;
	p->y_ns = y_ns;
	p->delay_ns = 0;
	return p;
}

/* Start a new history: what is known of the frequency becomes the prior. */
static void ntp_disc_forget(struct ntp_disc *d)
{
	d->n_pts = 0;
	memset(&d->fit, 0, sizeof(d->fit));
	d->prior_ppb = d->freq_ppb;
	d->prior_sd_ppb = d->freq_sd_ppb;
}

/* --- the regression ------------------------------------------------------- */

/* @dt_ns <= 0 in units of 2^@sh ns, rounded to the nearest. */
static s64 ntp_disc_unit(s64 dt_ns, u32 sh)
{
	u64 mag = ntp_mag(dt_ns);

	if (sh)
		mag = (mag + BIT_ULL(sh - 1)) >> sh;
	return dt_ns < 0 ? -(s64)mag : (s64)mag;
}

/* @x / 2^@sh, rounded toward zero (symmetric, unlike >> on negatives). */
static s64 ntp_disc_shr(s64 x, u32 sh)
{
	u64 mag = ntp_mag(x) >> sh;

	return x < 0 ? -(s64)mag : (s64)mag;
}

/*
 * Least squares through @n points (n >= 2, times increasing): the newest
 * but @skip of them (ntp_disc_left_line() looks at the @skip apart). With
 * t the times, u = (t - t_newest) / 2^sh (|u| < 2^15) and
 * a = n u - sum(u) = n (u - mean(u)), |a| < 2^22:
 *	slope = n sum(a y) / sum(a^2) / 2^sh	(per ns)
 * where y may be taken from the newest point's (sum(a) = 0): |y| < 2^33,
 * so sum(a y) < 64 * 2^55 and sum(a^2) < 64 * 2^44, both exact. The line
 * goes through the means; the residuals are computed in ns and ppb, exact
 * but for the rounding of ntp_ppb_scale(). Standard errors as usual:
 * sd(slope) = sigma / sqrt(sum (t - mean t)^2) = sigma n / sqrt(sum a^2)
 * / 2^sh, and sd(y(now))^2 = sigma^2 / n + (sd(slope) (now - mean t))^2,
 * sigma the residuals' RMS over n - 2 degrees of freedom, at least the
 * precision @prec_ns and the noise known (d->jitter_ns).
 *
 * Return: false when the points span no time.
 */
static bool ntp_disc_fit_n(const struct ntp_disc *d, u32 n, u32 skip,
			   s64 now_ns, u64 prec_ns, struct ntp_disc_fit *f)
{
	const struct ntp_disc_point *p = d->pts + d->n_pts - skip - n;
	s64 t_ref = p[n - 1].t_ns, y_ref = p[n - 1].y_ns;
	u64 span_ns = t_ref - p[0].t_ns, b = 0, ss = 0, mag, sd_ns;
	s64 su = 0, sy = 0, sa = 0, a, r, tbar_ns, y0_ns, res_ns;
	u32 i, sh = 0, npos = 0;
	bool pos, prev = false;
	u64 sd2 = 0, known_ns;
	s64 prev_res_ns = 0;

	memset(f, 0, sizeof(*f));
	if (n < 2 || !span_ns)
		return false;
	while ((span_ns >> sh) >= BIT_ULL(NTP_DISC_U_BITS))
		sh++;
	for (i = 0; i < n; i++) {
		su += ntp_disc_unit(p[i].t_ns - t_ref, sh);
		sy += ntp_clamp(p[i].y_ns - y_ref, NTP_DISC_DY_MAX_NS);
	}
	for (i = 0; i < n; i++) {
		a = (s64)n * ntp_disc_unit(p[i].t_ns - t_ref, sh) - su;
		sa += a * ntp_clamp(p[i].y_ns - y_ref, NTP_DISC_DY_MAX_NS);
		b += (u64)(a * a);
	}
	if (!b)
		return false;
	/* |r| capped so that r * n fits (a slope of 2^56 ppb is no clock) */
	r = ntp_clamp(ntp_ppb_rate(sa, b), (s64)BIT_ULL(56));
	f->slope_ppb = ntp_clamp(ntp_disc_shr(r * n, sh),
				 NTP_DISC_SLOPE_MAX_PPB);
	/* mean t - t_ref, ns (<= 0): |su| < 2^21 and sh < 39 (span < 2^53) */
	tbar_ns = div_s64(su * (s64)BIT_ULL(sh), n);
	y0_ns = y_ref + div_s64(sy, n) + ntp_ppb_scale(-tbar_ns, f->slope_ppb);

	for (i = 0; i < n; i++) {
		res_ns = p[i].y_ns - y0_ns -
			 ntp_ppb_scale(p[i].t_ns - t_ref, f->slope_ppb);
		pos = res_ns >= 0;
		if (!i || pos != prev)
			f->runs++;
		prev = pos;
		npos += pos;
		mag = min_t(u64, ntp_mag(res_ns), NTP_DISC_RES_MAX_NS);
		ss += mag * mag;
		if (i) {
			u64 dd = min_t(u64, ntp_mag(res_ns - prev_res_ns),
				       NTP_DISC_RES_MAX_NS);

			sd2 += dd * dd;
		}
		prev_res_ns = res_ns;
	}
	f->n = n;
	f->npos = npos;
	prec_ns = min_t(u64, prec_ns, NTP_DISC_RES_MAX_NS);
	f->sigma_ns = n > 2 ? ntp_sqrt_u64(div_u64(ss, n - 2)) : 0;
	f->sigma_ns = max(f->sigma_ns, prec_ns);
	/*
	 * The noise alone: successive residuals differ by sqrt(2) sigma of
	 * noise, while a bend the line misses (wander, a change) moves them
	 * together and hardly shows in their differences (von Neumann).
	 */
	f->noise_ns = ntp_sqrt_u64(div_u64(sd2, 2 * (n - 1)));
	f->noise_ns = clamp_t(u64, f->noise_ns, prec_ns, f->sigma_ns);
	/*
	 * The standard errors take the noise known before (the jitter) when
	 * the residuals say less: a few of them may say anything.
	 */
	known_ns = min_t(u64, d->jitter_ns, NTP_DISC_RES_MAX_NS);
	f->sigma_ns = max(f->sigma_ns, known_ns);
	sd_ns = ntp_ppb_rate(f->sigma_ns * n, ntp_sqrt_u64(b));
	f->sd_slope_ppb = ntp_disc_shr(sd_ns, sh);
	f->sd_slope_ppb = min_t(u64, f->sd_slope_ppb, NTP_DISC_SLOPE_MAX_PPB);
	f->y_ns = y0_ns + ntp_ppb_scale(now_ns - t_ref, f->slope_ppb);
	sd_ns = min_t(u64, ntp_ppb_scale(now_ns - t_ref - tbar_ns,
					 f->sd_slope_ppb), BIT_ULL(30));
	f->sd_y_ns = ntp_sqrt_u64(div_u64(f->sigma_ns * f->sigma_ns, n) +
				  sd_ns * sd_ns);
	return true;
}

/*
 * The runs test: are the residuals' signs, @npos of @n positive in @runs
 * runs, as random as noise around a straight line would leave them? Too
 * few runs mean the points bend away from any line (the frequency
 * changed, the reference moved). With m = npos (n - npos), the expected
 * runs are 1 + 2m / n, their variance 2m (2m - n) / (n^2 (n - 1)) (Wald and
 * Wolfowitz); the window fails when runs < mean - z sd, i.e. when
 *	(n - 1) (n + 2m - runs n)^2 > z^2 2m (2m - n)
 * with n + 2m - runs n > 0. All terms stay below 2^40.
 */
static bool ntp_disc_runs_ok(u32 n, u32 npos, u32 runs)
{
	s64 m = (s64)npos * (n - npos);
	s64 gap = n + 2 * m - (s64)runs * n;

	if (n < NTP_DISC_RUNS_MIN || gap <= 0)
		return true;
	return (s64)(n - 1) * gap * gap * NTP_DISC_RUNS_Z2_DEN <=
	       NTP_DISC_RUNS_Z2_NUM * 2 * m * (2 * m - n);
}

/* floor(cbrt(@x)), for x < 2^63. */
static u64 ntp_disc_cbrt(u64 x)
{
	u64 r = 0, bit;

	for (bit = BIT_ULL(20); bit; bit >>= 1)
		if ((r + bit) * (r + bit) * (r + bit) <= x)
			r += bit;
	return r;
}

/* @p's residual from the line of @f (its value at @now_ns and slope), ns. */
static s64 ntp_disc_resid(const struct ntp_disc_point *p,
			  const struct ntp_disc_fit *f, s64 now_ns)
{
	return p->y_ns - f->y_ns - ntp_ppb_scale(p->t_ns - now_ns,
						 f->slope_ppb);
}

/*
 * Did the newest NTP_DISC_TAIL of the @n newest points leave the line
 * through the others, together, each by more than 4 sd (of the noise and
 * of the line's own error out to now)? By chance, 2 * (3.2e-5)^3 for normal
 * noise, 2 * 0.0017^3 for a long exponential tail: the frequency changed,
 * or the reference moved - now, where the runs test would see it only
 * points later.
 */
static bool ntp_disc_left_line(const struct ntp_disc *d, u32 n, s64 now_ns,
			       u64 prec_ns)
{
	const struct ntp_disc_point *p = d->pts + d->n_pts - NTP_DISC_TAIL;
	struct ntp_disc_fit f;
	bool neg, first_neg = false;
	u64 lim_ns;
	s64 res_ns;
	u32 i;

	if (n < NTP_DISC_FIT_MIN + NTP_DISC_TAIL ||
	    !ntp_disc_fit_n(d, n - NTP_DISC_TAIL, NTP_DISC_TAIL, now_ns,
			    prec_ns, &f))
		return false;
	/* the noise, and the line's own error out to now */
	lim_ns = 4 * ntp_sqrt_u64(f.sigma_ns * f.sigma_ns +
				  f.sd_y_ns * f.sd_y_ns);
	for (i = 0; i < NTP_DISC_TAIL; i++) {
		res_ns = ntp_disc_resid(&p[i], &f, now_ns);
		neg = res_ns < 0;
		if (ntp_mag(res_ns) <= lim_ns || (i && neg != first_neg))
			return false;
		first_neg = neg;
	}
	return true;
}

/*
 * The regression of an update: the newest points within the window's span
 * (ntp_disc_cap_span()), then as many of them as pass the runs test,
 * trying one point fewer at a time (as chrony does) but at most a quarter
 * fewer than there were (a false alarm costs that much at worst; a real
 * bend keeps failing, and goes in a few updates); or only the newest
 * NTP_DISC_TAIL when they left the line (ntp_disc_left_line()). The points
 * older than the window are forgotten, they no longer lie on the line.
 * d->fit.n is 0 when fewer than NTP_DISC_FIT_MIN points are left.
 */
static void ntp_disc_regress(struct ntp_disc *d, s64 now_ns, u64 prec_ns)
{
	struct ntp_disc_fit f;
	u32 n, n_min;

	memset(&d->fit, 0, sizeof(d->fit));
	ntp_disc_cap_span(d);
	n_min = max_t(u32, d->n_pts - d->n_pts / 4, NTP_DISC_FIT_MIN);
	f.n = 0;
	for (n = d->n_pts; n >= NTP_DISC_FIT_MIN; n--) {
		if (!ntp_disc_fit_n(d, n, 0, now_ns, prec_ns, &f) ||
		    n <= n_min || ntp_disc_runs_ok(n, f.npos, f.runs))
			break;
	}
	n = min(n, d->n_pts);
	if (ntp_disc_left_line(d, n, now_ns, prec_ns)) {
		n = NTP_DISC_TAIL;
		f.n = 0;
	}
	if (f.n)
		d->fit = f;
	if (n == d->n_pts)
		return;
	/*
	 * Forgetting points forgets what they said of the frequency: the
	 * frequency they gave becomes the prior of the shorter window, so
	 * that a false alarm of the runs test (one in a hundred windows of
	 * pure noise) does not hand the frequency to fewer points than it
	 * had. A real change gets through as soon as the new window
	 * contradicts the prior (ntp_disc_set_freq()).
	 */
	ntp_disc_drop(d, d->n_pts - n);
	if (d->freq_sd_ppb < d->prior_sd_ppb) {
		d->prior_ppb = d->freq_ppb;
		d->prior_sd_ppb = d->freq_sd_ppb;
	}
}

/*
 * Is @diff_ppb beyond 4 sd of the difference of two independent estimates
 * (by chance, once in 16000)?
 */
static bool ntp_disc_contradicts(s64 diff_ppb, u64 sd1_ppb, u64 sd2_ppb)
{
	u64 d = min_t(u64, ntp_mag(diff_ppb), BIT_ULL(30));

	sd1_ppb = min_t(u64, sd1_ppb, BIT_ULL(28));
	sd2_ppb = min_t(u64, sd2_ppb, BIT_ULL(28));
	return d * d > 16 * (sd1_ppb * sd1_ppb + sd2_ppb * sd2_ppb);
}

/*
 * The new frequency: the current one plus the line's slope, weighed with
 * the prior (what was known of the frequency before the window: kept over
 * a reset or a stepout, or said by the points the window forgot) by their
 * variances; the points are then rebased on it, and @a says by how much.
 */
static void ntp_disc_set_freq(struct ntp_disc *d, s64 now_ns,
			      struct ntp_disc_action *a)
{
	s64 target = d->freq_ppb + d->fit.slope_ppb, freq;
	u64 sd = max_t(u64, d->fit.sd_slope_ppb, 1), p2, s2, g;

	sd = min_t(u64, sd, BIT_ULL(31));
	/* a prior the line contradicts (4 sd) is no longer the frequency */
	if (d->prior_sd_ppb < NTP_MAXFREQ_PPB &&
	    ntp_disc_contradicts(target - d->prior_ppb, sd, d->prior_sd_ppb))
		d->prior_sd_ppb = NTP_MAXFREQ_PPB;
	if (d->prior_sd_ppb < NTP_MAXFREQ_PPB) {
		/* weights 1/var: target = prior + g (target - prior) */
		p2 = d->prior_sd_ppb * d->prior_sd_ppb;
		s2 = sd * sd;
		g = div64_u64(p2 << 16, p2 + s2);
		target = d->prior_ppb +
			 ntp_disc_shr(ntp_clamp(target - d->prior_ppb,
						2 * NTP_MAXFREQ_PPB) * (s64)g, 16);
		/* combined: sd sqrt(g) */
		sd = (sd * ntp_sqrt_u64(g << 16)) >> 16;
		if (d->fit.n >= NTP_DISC_PRIOR_MIN_N &&
		    d->fit.sd_slope_ppb * NTP_DISC_PRIOR_DROP < d->prior_sd_ppb)
			d->prior_sd_ppb = NTP_MAXFREQ_PPB;
	}
	freq = ntp_clamp(target, NTP_MAXFREQ_PPB);
	a->df_ppb = freq - d->freq_ppb;
	ntp_disc_hist_rebase(d, a->df_ppb, now_ns);
	d->freq_ppb = freq;
	sd = max_t(u64, sd, 1);
	d->freq_sd_ppb = min_t(u64, sd, NTP_MAXFREQ_PPB);
}

/*
 * Too few points for a line (the first, or after the line restarted): the
 * phase is their mean, on the current frequency (slope 0 in the points'
 * frame): one offset alone is as noisy as it comes. @offset_ns when there
 * is none (a sample not newer than the newest point).
 */
static s64 ntp_disc_mean(const struct ntp_disc *d, s64 offset_ns)
{
	s64 sum_ns = 0;
	u32 i;

	if (!d->n_pts)
		return offset_ns;
	for (i = 0; i < d->n_pts; i++)
		sum_ns += ntp_clamp(d->pts[i].y_ns, NTP_DISC_DY_MAX_NS);
	return div_s64(sum_ns, d->n_pts);
}

/*
 * Regression and frequency for an update whose point is in: the phase to
 * correct now (the line at @now_ns), or the points' mean while there are
 * too few of them for a line. The jitter starts at the first line's noise
 * (it is the precision before), and follows the noise of the next.
 */
static s64 ntp_disc_estimate(struct ntp_disc *d, s64 offset_ns, s64 now_ns,
			     u64 precision_ns, struct ntp_disc_action *a)
{
	ntp_disc_regress(d, now_ns, precision_ns);
	if (!d->fit.n)
		return ntp_disc_mean(d, offset_ns);
	ntp_disc_set_freq(d, now_ns, a);
	d->jitter_ns = !d->fitted ? d->fit.noise_ns :
		       ntp_disc_rms_avg(d->jitter_ns,
					min(d->fit.noise_ns, 2 * d->jitter_ns));
	d->fitted = true;
	return d->fit.y_ns;
}

/* --- updates -------------------------------------------------------------- */

/*
 * Step by @step_ns: the phase is then right, the frequency is kept, the
 * poll starts again from minpoll (A.5.5.6). The history moves with the
 * clock: the step is ours.
 */
static void ntp_disc_step(struct ntp_disc *d, s64 step_ns, s64 now_ns,
			  struct ntp_disc_action *a)
{
	a->step_ns = step_ns;
	d->state = NTP_DISC_SYNC;
	d->last_ns = now_ns + step_ns;
	d->offset_ns = 0;
	d->spike_ns = 0;
	d->count = 0;
	d->poll = d->cfg.minpoll;
	d->step_t_ns = now_ns;
	d->step_amount_ns = step_ns;
	d->n_steps++;
	d->slew_ns = 0;
	d->slew_dur_ns = 0;
	ntp_disc_hist_shift(d, step_ns, true);
}

/*
 * The first update, from NSET or PANIC: the offsets observed before it
 * (ntp_disc_observe()) and this one give the first frequency if they are
 * three or more; the phase is stepped or slewed in full.
 */
static int ntp_disc_first(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
			  s64 now_ns, u64 precision_ns,
			  struct ntp_disc_action *a)
{
	s64 phase_ns;

	d->state = NTP_DISC_SYNC;
	d->jitter_ns = precision_ns;
	d->fitted = false;
	d->spike_ns = 0;
	d->count = 0;
	ntp_disc_hist_add(d, sample_ns, offset_ns);
	phase_ns = ntp_disc_estimate(d, offset_ns, now_ns, precision_ns, a);
	a->freq_ppb = d->freq_ppb;
	if (d->cfg.step_ns && ntp_mag(offset_ns) > d->cfg.step_ns) {
		ntp_disc_step(d, phase_ns, now_ns, a);
		return NTP_DISC_STEP;
	}
	d->last_ns = now_ns;
	d->offset_ns = offset_ns;
	ntp_disc_slew(d, phase_ns, ntp_disc_slew_dur(d, 0, phase_ns), a);
	return NTP_DISC_SLEW;
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
 * A clock update below the step threshold, once past the first: the part
 * of the last slew done since moves the points, the new one joins them,
 * the regression gives the frequency and the phase, the phase is slewed.
 */
static int ntp_disc_track(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
			  s64 now_ns, u64 precision_ns,
			  struct ntp_disc_action *a)
{
	s64 mu_ns = now_ns - d->last_ns, phase_ns;

	if (mu_ns < 0)
		mu_ns = 0;
	d->state = NTP_DISC_SYNC;
	d->spike_ns = 0;
	ntp_disc_hist_shift(d, ntp_disc_slew_done(d, mu_ns), false);
	ntp_disc_hist_add(d, sample_ns, offset_ns);
	/* the offset against the noise known so far, as A.5.5.6 */
	ntp_disc_poll_adjust(d, offset_ns);
	phase_ns = ntp_disc_estimate(d, offset_ns, now_ns, precision_ns, a);
	d->offset_ns = offset_ns;
	d->last_ns = now_ns;
	ntp_disc_slew(d, phase_ns, ntp_disc_slew_dur(d, mu_ns, phase_ns), a);
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
	d->freq_sd_ppb = NTP_MAXFREQ_PPB;
	a->freq_ppb = 0;
	ntp_disc_forget(d);
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
 * ntp_disc_clock_moved() - the clock moved by more than the discipline
 *	asked (a slew its backend ran beyond, or short of, its reckoned end)
 * @d: discipline
 * @moved_ns: how much more, ns (added to the clock)
 *
 * Done at once, as far as the history is concerned: every point would have
 * read that much less.
 */
void ntp_disc_clock_moved(struct ntp_disc *d, s64 moved_ns)
{
	ntp_disc_hist_shift(d, moved_ns, false);
}

/**
 * ntp_disc_init() - start a discipline
 * @d: discipline
 * @cfg: settings; the poll limits are brought into NTP_DISC_POLL_MIN..
 *	NTP_DISC_POLL_MAX, maxpoll no lower than minpoll
 * @freq_ppb: frequency correction to start from (e.g. the clock's current
 *	one), ppb; clamped to +-NTP_MAXFREQ_PPB. It is not trusted: the first
 *	regression replaces it.
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
	d->freq_sd_ppb = NTP_MAXFREQ_PPB;
	ntp_disc_reset(d);
}

/**
 * ntp_disc_update() - one clock update
 * @d: discipline
 * @offset_ns: combined offset, ns; positive: the clock is behind the
 *	reference, and the correction is +@offset_ns. It is the offset one
 *	would measure now: net of the corrections made since it was measured
 *	(what is left of the slew in progress included)
 * @sample_ns: local time it was measured, Unix ns (<= @now_ns; an older
 *	sample is placed at its own time in the history)
 * @now_ns: local time now, Unix ns
 * @precision_ns: floor of the jitter (the clock's precision), ns
 * @a: where to put what the clock backend must do (filled in every case)
 *
 * Return: enum ntp_disc_result.
 */
int ntp_disc_update(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
		    s64 now_ns, u64 precision_ns, struct ntp_disc_action *a)
{
	u64 mag = ntp_mag(offset_ns);

	memset(a, 0, sizeof(*a));
	a->freq_ppb = d->freq_ppb;
	if (sample_ns > now_ns || sample_ns <= 0)
		sample_ns = now_ns;
	if (d->cfg.ctl == NTP_DISC_CTL_NONE) {
		d->state = NTP_DISC_HANDS_OFF;
		return NTP_DISC_IGNORE;
	}
	if (d->state == NTP_DISC_HANDS_OFF)
		ntp_disc_reset(d);
	if (d->state == NTP_DISC_NSET || d->state == NTP_DISC_PANIC) {
		if (d->cfg.panic_ns && mag > d->cfg.panic_ns) {
			d->state = NTP_DISC_PANIC;
			ntp_disc_forget(d);
			return NTP_DISC_REFUSED;
		}
		if (d->cfg.ctl == NTP_DISC_CTL_STEP)
			return ntp_disc_step_only(d, offset_ns, now_ns, a);
		return ntp_disc_first(d, offset_ns, sample_ns, now_ns,
				      precision_ns, a);
	}
	if (d->cfg.ctl == NTP_DISC_CTL_STEP)
		return ntp_disc_step_only(d, offset_ns, now_ns, a);
	if (d->state == NTP_DISC_FREE)	/* it can slew again: start afresh */
		return ntp_disc_first(d, offset_ns, sample_ns, now_ns,
				      precision_ns, a);
	if (d->cfg.step_ns && mag > d->cfg.step_ns) {
		if (!ntp_disc_stepout_done(d, now_ns))
			return NTP_DISC_IGNORE;
		/*
		 * Something moved the clock or the reference that we did not:
		 * the points before do not lie on the line after. The history
		 * starts again from this offset, the frequency is kept.
		 */
		ntp_disc_forget(d);
		ntp_disc_hist_add(d, sample_ns, offset_ns);
		ntp_disc_step(d, offset_ns, now_ns, a);
		return NTP_DISC_STEP;
	}
	return ntp_disc_track(d, offset_ns, sample_ns, now_ns, precision_ns,
			      a);
}

/**
 * ntp_disc_waited() - did a sample wait somewhere on its way?
 * @delay_ns: its round-trip delay, ns
 * @least_ns: the least delay of its peers (the others observed, or its
 *	clock filter's), ns
 *
 * Its delay exceeds @least_ns by more than the larger of @least_ns and
 * NTP_DISC_OBS_SLACK_NS: below that, jitter; beyond, a packet that waited
 * (address resolution, a queue), its offset up to half the wait off.
 */
bool ntp_disc_waited(s64 delay_ns, s64 least_ns)
{
	return delay_ns - least_ns > max_t(s64, least_ns, NTP_DISC_OBS_SLACK_NS);
}

/**
 * ntp_disc_hold_costs() - is a sample that waited better than none?
 * @d: discipline
 * @excess_ns: how much longer its delay was than its clock filter's best,
 *	ns: its offset may be off by half of that (the wait all on one leg)
 * @now_ns: local time, Unix ns
 *
 * Holding the clock until a sample comes that did not wait costs what the
 * frequency's error does meanwhile: its standard error times the time
 * since the last update. Before a frequency is known (an update or more
 * without a line), that is 500 ppm, 32 ms a poll of 64 s: in a basic
 * poll-6 row under TCG, a clock 100 ppm off drifted 20 ms in five minutes
 * while the newer samples were held. Once the frequency is known to
 * 0.1 ppm it is 6 us, and a sample that waited is better left out.
 *
 * Return: true after the first update, once the frequency's standard
 * error over the time since the last update exceeds half @excess_ns.
 */
bool ntp_disc_hold_costs(const struct ntp_disc *d, s64 excess_ns, s64 now_ns)
{
	s64 since_ns = now_ns - d->last_ns;

	if (d->state != NTP_DISC_SYNC || since_ns <= 0)
		return false;
	return ntp_mag(ntp_ppb_scale(since_ns, (s64)d->freq_sd_ppb)) >
	       ntp_mag(excess_ns) / 2;
}

/**
 * ntp_disc_observe() - an offset seen before the first update
 * @d: discipline
 * @offset_ns: the offset, ns (as for ntp_disc_update())
 * @sample_ns: local time it was measured, Unix ns
 * @delay_ns: its round-trip delay, ns
 *
 * Before the first update (NSET), while the system process waits for its
 * sources to agree, their offsets already tell the frequency: nothing is
 * done to the clock, the offset joins the history, and the first update
 * sets the frequency from it at once. These are every sample, not a clock
 * filter's picks: an offset whose delay exceeds the least seen by more
 * than the larger of that least delay and NTP_DISC_OBS_SLACK_NS is left
 * out (when it comes, or once a faster one came). Typically the
 * first request of an association, which waits for address resolution: a
 * guest's first answer came 20 ms late, its offset 7.6 ms off, and the
 * line through it and four good ones gave the clock 450 ppm. The caller
 * must call ntp_disc_reset() when the source it observes changes.
 */
void ntp_disc_observe(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
		      s64 delay_ns)
{
	struct ntp_disc_point *p;
	s64 least_ns;
	u32 i, k;

	if (d->state != NTP_DISC_NSET)
		return;
	p = ntp_disc_hist_add(d, sample_ns, offset_ns);
	if (!p)
		return;
	p->delay_ns = max_t(s64, delay_ns, 0);
	least_ns = p->delay_ns;
	for (i = 0; i < d->n_pts; i++)
		least_ns = min(least_ns, d->pts[i].delay_ns);
	for (i = k = 0; i < d->n_pts; i++)
		if (!ntp_disc_waited(d->pts[i].delay_ns, least_ns))
			d->pts[k++] = d->pts[i];
	d->n_pts = k;
}

/**
 * ntp_disc_max_age_ns() - how old an offset may be and still be current
 * @d: discipline
 * @offset_ns: the offset of the newest sample one would measure now, ns
 * @excess_ns: its delay less the lowest of its clock filter's, ns
 * @now_ns: local time now, Unix ns
 *
 * A clock filter may keep its pick for eight polls. Corrected for the
 * phase corrections since, the pick is the offset now but for what the
 * clock did meanwhile that the discipline does not know: its frequency's
 * error (the regression's standard error times the age) and the
 * oscillator's wander (the assumed random walk of w = 1 ppb/s^(1/2) moves
 * the phase by about 0.58 w age^(3/2)). Once either would reach a fraction
 * of the noise, the newest sample says more, and the discipline should not
 * go longer than that without an update. A newest sample NTP_DISC_NEWS
 * times the noise off (the line's phase now being 0, what the clock
 * should read) is news at once, unless the last update is younger than
 * 1/NTP_DISC_NEWS_GAP of that age: new picks come soon, and at short
 * polls a sample that far off is more likely the tail of the noise. What
 * its own queueing explains does not count: a packet that waited
 * @excess_ns longer than the filter's best may be off by half of that
 * (the wait all on one leg): a queue's long tail is no news.
 *
 * Return: the age, ns: the shorter of noise / sd(frequency) and the
 * wander's time to move the phase by a quarter of the noise; 0 before a
 * frequency is estimated, and for news.
 */
s64 ntp_disc_max_age_ns(const struct ntp_disc *d, s64 offset_ns,
			s64 excess_ns, s64 now_ns)
{
	u64 sigma_ns = min_t(u64, d->jitter_ns, NTP_DISC_RES_MAX_NS);
	u64 age_ns, wander_s, off_ns;

	if (d->state != NTP_DISC_SYNC || !d->fit.n || !d->freq_sd_ppb)
		return 0;
	age_ns = div64_u64(sigma_ns * NTP_NSEC_PER_SEC, d->freq_sd_ppb);
	/* (sigma / 0.58 ns)^2 = sigma^2 * 2.97, in s after the cube root */
	wander_s = ntp_disc_cbrt(div_u64(sigma_ns * sigma_ns *
					 NTP_DISC_AGE_K_NUM, NTP_DISC_AGE_K_DEN));
	age_ns = min_t(u64, age_ns, wander_s * NTP_NSEC_PER_SEC);
	age_ns = min_t(u64, age_ns, NTP_DISC_AGE_MAX_NS);
	/* beyond what the queueing it met explains */
	off_ns = ntp_mag(offset_ns);
	off_ns -= min_t(u64, off_ns, ntp_mag(excess_ns) / 2);
	if (off_ns > NTP_DISC_NEWS * sigma_ns &&
	    now_ns - d->last_ns > (s64)div_u64(age_ns, NTP_DISC_NEWS_GAP))
		return 0;
	return age_ns;
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
 * step or slew). The history starts afresh; the frequency it had is kept,
 * with its standard error, as the prior of the next regressions. The poll
 * starts again from minpoll.
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
	ntp_disc_forget(d);
}
