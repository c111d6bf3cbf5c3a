// SPDX-License-Identifier: GPL-2.0
/*
 * Closed-loop tests of the clock discipline (kmod/core/discipline.c).
 *
 * The harness: a virtual clock (kmod/core/vclock.c) against true time, with
 * an injected offset and oscillator error. Every 2^poll s of true time the
 * offset reference - clock is measured (exactly, or with deterministic
 * noise), fed to ntp_disc_update() at the clock's own time, and the action
 * is applied to the clock. Between updates the clock's true error is
 * sampled every second: that is what the assertions are about.
 *
 * Sign: an oscillator error of -100 ppm is a clock that runs slow; the
 * discipline then settles at freq_ppb = +100 ppm.
 */
#include <math.h>
#include "discipline.h"
#include "system.h"
#include "vclock.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
#define US	1000LL		/* ns per us */
#define PPM	1000LL		/* ppb per ppm */
#define T0	(1700000000LL * S)	/* an arbitrary Unix time, ns */
#define PREC	(1 * US)	/* precision floor given to the discipline */

struct sim {
	struct ntp_vclock clk;
	struct ntp_disc d;
	s64 ref_ns;		/* true time of the next update */
	u64 rng;		/* xorshift64 state */
	s64 noise_ns;		/* measurement noise, standard deviation */
	s64 spike_ns;		/* added to the next measurement only */
	s64 interval_ns;	/* between updates; 0: the discipline's poll */
	u32 n[4];		/* results, by enum ntp_disc_result */
	s64 last_step_ns;	/* the last step asked for */
	int bad_rate;		/* slews asked faster than NTP_MAXSLEW_PPB */
	int bad_freq;		/* frequencies asked beyond NTP_MAXFREQ_PPB */
	int bad_df;		/* slews whose df_ppb is not the change made */
	int n_df;		/* slews that changed the frequency */
	s64 acq_end_ns;		/* true time of the first fit; 0 not yet */
	s64 acq_freq_ppb;	/* the frequency it gave */
	/* error statistics, sampled every second of true time */
	s64 settle_ns;		/* last time |error| was >= 1 ms, + 1 s */
	s64 win0_ns, win1_ns;	/* window of the RMS and maximum below */
	double sum2;
	s64 nsum;
	s64 max_err_ns;
	double fsum, fsum2;	/* frequency at the updates in the window */
	s64 fn;
};

static void sim_init(struct sim *s, s64 offset_ns, s64 err_ppb, s64 noise_ns,
		     s64 step_ns, s8 minpoll, s8 maxpoll)
{
	struct ntp_disc_cfg cfg = {
		.step_ns = step_ns, .panic_ns = NTP_PANICT_NS,
		.stepout_ns = NTP_WATCH_NS, .minpoll = minpoll,
		.maxpoll = maxpoll,
	};

	memset(s, 0, sizeof(*s));
	s->ref_ns = T0;
	s->rng = 0x9e3779b97f4a7c15ULL;
	s->noise_ns = noise_ns;
	ntp_vclock_init(&s->clk, T0, -offset_ns);
	ntp_vclock_inject(&s->clk, T0, 0, err_ppb);
	ntp_disc_init(&s->d, &cfg, 0);
}

static u64 sim_rand(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* Sum of three uniforms on [-noise, noise]: deviation noise, at most 3x. */
static s64 sim_noise(struct sim *s)
{
	s64 sum = 0;
	int i;

	if (!s->noise_ns)
		return 0;
	for (i = 0; i < 3; i++)
		sum += (s64)(sim_rand(s) % (u64)(2 * s->noise_ns + 1)) -
		       s->noise_ns;
	return sum;
}

static s64 sim_err(struct sim *s, s64 ref_ns)
{
	return ntp_vclock_read(&s->clk, ref_ns) - ref_ns;
}

static s64 poll_ns(s8 poll)
{
	return poll >= 0 ? S << poll : S >> -poll;
}

/* One clock update at s->ref_ns. */
static int sim_update(struct sim *s)
{
	struct ntp_disc_action a;
	s64 now = ntp_vclock_read(&s->clk, s->ref_ns);
	s64 off = s->ref_ns - now + sim_noise(s) + s->spike_ns;
	s64 freq_ppb = s->d.freq_ppb;
	bool acq = !s->d.fit.n;
	int r;

	s->spike_ns = 0;
	r = ntp_disc_update(&s->d, off, now, now, PREC, &a);
	s->n[r]++;
	if (r == NTP_DISC_SLEW || r == NTP_DISC_STEP) {
		if (a.slew_ns && ntp_ppb_rate(a.slew_ns, a.slew_dur_ns) >
		    NTP_MAXSLEW_PPB)
			s->bad_rate++;
		if (a.slew_ns && ntp_ppb_rate(a.slew_ns, a.slew_dur_ns) <
		    -NTP_MAXSLEW_PPB)
			s->bad_rate++;
		if (a.slew_ns && a.slew_dur_ns <= 0)
			s->bad_rate++;
		if (a.freq_ppb > NTP_MAXFREQ_PPB || a.freq_ppb < -NTP_MAXFREQ_PPB)
			s->bad_freq++;
		if (r == NTP_DISC_SLEW && a.df_ppb != a.freq_ppb - freq_ppb)
			s->bad_df++;
		if (r == NTP_DISC_SLEW && a.freq_ppb != freq_ppb)
			s->n_df++;
		if (a.step_ns)
			s->last_step_ns = a.step_ns;
		ntp_vclock_apply(&s->clk, s->ref_ns, &a);
	}
	if (s->ref_ns >= s->win0_ns && s->ref_ns < s->win1_ns) {
		s->fsum += s->d.freq_ppb;
		s->fsum2 += (double)s->d.freq_ppb * s->d.freq_ppb;
		s->fn++;
	}
	if (acq && s->d.fit.n && !s->acq_end_ns) {
		s->acq_end_ns = s->ref_ns;
		s->acq_freq_ppb = s->d.freq_ppb;
	}
	return r;
}

static void sim_sample(struct sim *s, s64 t)
{
	s64 e = sim_err(s, t);
	s64 m = e < 0 ? -e : e;

	if (m >= 1 * MS)
		s->settle_ns = t + S - T0;
	if (t >= s->win0_ns && t < s->win1_ns) {
		s->sum2 += (double)e * e;
		s->nsum++;
		if (m > s->max_err_ns)
			s->max_err_ns = m;
	}
}

/* Run updates until true time T0 + @until_ns; sample the error meanwhile. */
static void sim_run(struct sim *s, s64 until_ns)
{
	s64 t, step, next;

	while (s->ref_ns < T0 + until_ns) {
		sim_update(s);
		next = s->ref_ns + (s->interval_ns ?: poll_ns(s->d.poll));
		step = poll_ns(s->d.poll) < S ? poll_ns(s->d.poll) : S;
		for (t = s->ref_ns; t < next; t += step)
			sim_sample(s, t);
		s->ref_ns = next;
	}
}

static double sim_rms(const struct sim *s)
{
	return s->nsum ? sqrt(s->sum2 / s->nsum) : 0;
}

static s64 abs64(s64 x)
{
	return x < 0 ? -x : x;
}

/*
 * 100 ms and -100 ppm, 100 us of noise, at a fixed poll. The first update
 * slews the 100 ms out (over the poll, 16 s at most), the third gives the
 * frequency from the line through three points. Then the noise n (deviation
 * 100 us) is averaged over the window (discipline.c): the line's end has a
 * deviation of about 2 n / sqrt(N) for N points (25 us with the 64 of
 * polls 0 and 4, 35 us with the 33 the span allows at poll 6), its slope
 * n sqrt(12 / (N (N^2 - 1))) / T: 0.68 ppm at poll 0. Asserted: the error
 * below 1 ms a few polls after the third update; the RMS error over
 * 210..2010 s below 100 us; the frequency's mean within 1 ppm of 100, its
 * deviation at poll 0 below 0.68 ppm (successive lines share most of their
 * points: it is much less), its last value within 2 ppm.
 */
static void test_converge(s8 poll, s8 maxpoll, s64 settle_max_ns,
			  s64 *settle_ns, s64 *acq_ns, double *rms_ns)
{
	struct sim s;
	double mean, sd, model = 0.68 * PPM;
	double rms_max = 100 * US;

	sim_init(&s, 100 * MS, -100 * PPM, 100 * US, NTP_STEPT_NS, poll, maxpoll);
	s.win0_ns = T0 + 210 * S;
	s.win1_ns = T0 + 2010 * S;
	sim_run(&s, 2010 * S);
	*settle_ns = s.settle_ns;
	*acq_ns = s.acq_end_ns - T0;
	*rms_ns = sim_rms(&s);
	mean = s.fsum / s.fn;
	sd = sqrt(s.fsum2 / s.fn - mean * mean);
	ok(s.settle_ns <= settle_max_ns,
	   "poll %d: error below 1 ms from %.0f s on (at most %lld s)", poll,
	   (double)s.settle_ns / S, settle_max_ns / S);
	ok(*rms_ns < rms_max,
	   "poll %d..%d: RMS error %.0f us over 210..2010 s (< %.0f us)", poll,
	   maxpoll, *rms_ns / US, rms_max / US);
	if (poll == maxpoll)
		ok(fabs(mean - 100 * PPM) < 1 * PPM,
		   "poll %d: mean frequency %.3f ppm (100 +- 1)", poll,
		   mean / PPM);
	if (!poll && !maxpoll)
		ok(sd < model,
		   "poll %d: frequency deviation %.3f ppm (< %.2f, one line's)",
		   poll, sd / PPM, model / PPM);
	ok(abs64(s.d.freq_ppb - 100 * PPM) < 2 * PPM,
	   "poll %d: last frequency %.3f ppm", poll,
	   (double)s.d.freq_ppb / PPM);
	is_s64(s.n[NTP_DISC_STEP] + s.d.n_steps, 0, "poll %d: no step", poll);
	is_s64(s.bad_rate + s.bad_freq, 0,
	       "poll %d: slews and frequencies in bounds", poll);
	ok(s.n_df > 0 && !s.bad_df,
	   "poll %d: %d slews changed the frequency, each by its df (%d not)",
	   poll, s.n_df, s.bad_df);
}

static void test_convergence(void)
{
	s64 settle[3], acq[3];
	double rms[3];
	static const s8 polls[3] = { 0, 4, 6 };
	/*
	 * Bounds per poll: three updates (poll 0: 2 s; poll 4: 32 s; poll 6:
	 * 128 s) plus the slew of what drifted meanwhile (up to 12.8 ms at
	 * poll 6) over one interval, with margin: 20, 120, 300 s.
	 */
	static const s64 bound[3] = { 20 * S, 120 * S, 300 * S };
	int i;

	for (i = 0; i < 3; i++)
		test_converge(polls[i], polls[i], bound[i], &settle[i], &acq[i],
			      &rms[i]);
	for (i = 0; i < 3; i++)
		printf("# poll %d: frequency estimated at %lld s, %s %lld s on, RMS %.0f us\n",
		       polls[i], acq[i] / S, "error < 1 ms from", settle[i] / S,
		       rms[i] / US);
	/*
	 * The same with the poll free to rise to 10 (1024 s): the start is
	 * the same; afterwards the poll rises while the offsets are within
	 * PGATE x jitter (A.5.5.6), and the window holds fewer points the
	 * longer the poll (3 or 4 at 1024 s): the same bounds hold.
	 */
	test_converge(4, 10, 120 * S, &settle[0], &acq[0], &rms[0]);
	printf("# poll 4..10: frequency estimated at %lld s, %s %lld s on, RMS %.0f us\n",
	       acq[0] / S, "error < 1 ms from", settle[0] / S, rms[0] / US);
}

/* 0.5 s at the first update: one step, at once, and none after. */
static void test_first_step(void)
{
	struct sim s;
	int r;

	sim_init(&s, 500 * MS, -20 * PPM, 0, NTP_STEPT_NS, 4, 4);
	r = sim_update(&s);
	is_s64(r, NTP_DISC_STEP, "0.5 s: the first update steps");
	is_s64(s.last_step_ns, 500 * MS, "0.5 s: by the offset");
	is_s64(sim_err(&s, s.ref_ns), 0, "0.5 s: the clock is right after it");
	is_s64(s.d.state, NTP_DISC_SYNC, "0.5 s: state SYNC");
	s.ref_ns += 16 * S;
	sim_run(&s, 3600 * S);
	is_s64(s.d.n_steps, 1, "0.5 s: one step in an hour");
	ok(abs64(sim_err(&s, s.ref_ns)) < 10 * US,
	   "0.5 s: error %lld ns after an hour",
	   (long long)sim_err(&s, s.ref_ns));
}

/*
 * step_ns = 0: 0.5 s is slewed (at 1/12 at most: 6 s), and every later
 * offset too. Settles as the 100 ms case does: within 210 s at poll 4.
 */
static void test_never_step(void)
{
	struct sim s;

	sim_init(&s, 500 * MS, -100 * PPM, 100 * US, 0, 4, 4);
	is_s64(sim_update(&s), NTP_DISC_SLEW, "step 0: 0.5 s is slewed");
	is_s64(s.d.slew_dur_ns, 16 * S, "step 0: over the interval (31 ms/s)");
	s.ref_ns += 16 * S;
	sim_run(&s, 2000 * S);
	is_s64(s.d.n_steps + s.n[NTP_DISC_STEP], 0, "step 0: never steps");
	ok(s.settle_ns <= 210 * S, "step 0: error below 1 ms from %lld s",
	   s.settle_ns / S);
	is_s64(s.bad_rate, 0, "step 0: slew rates within 1/12");
	/*
	 * poll 0: the 0.5 s slew takes longer than the interval: 5e17 /
	 * 83333333 = 6000000024.00000009 ns, rounded up.
	 */
	sim_init(&s, 500 * MS, 0, 0, 0, 0, 0);
	sim_update(&s);
	is_s64(s.d.slew_dur_ns, 6000000025LL,
	       "step 0, poll 0: 0.5 s over 6.000000025 s (1/12)");
	s.ref_ns += S;
	sim_run(&s, 600 * S);
	is_s64(s.d.n_steps, 0, "step 0, poll 0: never steps");
	ok(s.settle_ns <= 8 * S, "step 0, poll 0: error below 1 ms from %lld s",
	   s.settle_ns / S);
	is_s64(s.bad_rate, 0, "step 0, poll 0: slew rates within 1/12");
}

/* True time at which the clock reads @local_ns (its rate is within 1 %). */
static s64 sim_ref_at(struct sim *s, s64 local_ns)
{
	s64 ref = local_ns;
	int i;

	for (i = 0; i < 3; i++)
		ref = local_ns - sim_err(s, ref);
	return ref;
}

/*
 * An update that replaces a slew in progress. Early in a large one (2 s
 * into 100 ms over 16 s at poll 4), with no news: the rest keeps its end,
 * 14 s on - not put off to 16 s by every update. At the very end of a
 * small one (100 us before it, converged, with 30 us of news): the news
 * gets the interval - not the 100 us left, which would be 30 us at the
 * fastest rate (83 ms/s), where the backend's lateness of a millisecond in
 * ending it is 83 us of error. Either way no faster than the old slew's
 * rate and the news' over the interval added.
 */
static void test_slew_replace(void)
{
	struct sim s;
	s64 old_ppb, rest_ns, news_ns, rate_ppb, t;

	sim_init(&s, 100 * MS, 0, 0, 0, 4, 4);
	sim_update(&s);
	is_s64(s.d.slew_dur_ns, 16 * S, "replace: 100 ms over 16 s");
	old_ppb = ntp_ppb_rate(s.d.slew_ns, s.d.slew_dur_ns);
	s.ref_ns += 2 * S;
	sim_update(&s);
	ok(s.d.slew_dur_ns > 13900 * MS && s.d.slew_dur_ns < 14100 * MS,
	   "replace: 2 s in, the rest ends when it would have: %lld ms on",
	   (long long)(s.d.slew_dur_ns / MS));
	rate_ppb = ntp_ppb_rate(s.d.slew_ns, s.d.slew_dur_ns);
	ok(abs64(rate_ppb - old_ppb) < old_ppb / 50,
	   "replace: at the old rate, %lld ppb (%lld)", (long long)rate_ppb,
	   (long long)old_ppb);

	sim_init(&s, 10 * MS, -50 * PPM, 10 * US, 0, 4, 4);
	sim_run(&s, 1200 * S);
	ok(s.d.slew_ns != 0, "replace: converged, a slew of %lld ns running",
	   (long long)s.d.slew_ns);
	old_ppb = ntp_ppb_rate(s.d.slew_ns, s.d.slew_dur_ns);
	t = s.d.last_ns + s.d.slew_dur_ns + s.d.slew_ns - 100 * US;
	s.ref_ns = sim_ref_at(&s, t);
	rest_ns = abs64(s.d.slew_ns) / 10000;	/* 100 us of ~16 s, at most */
	s.spike_ns = 30 * US;
	sim_update(&s);
	news_ns = abs64(s.d.slew_ns) + rest_ns;
	ok(s.d.slew_dur_ns >= 15 * S,
	   "replace: 100 us before the end, 30 us of news over %lld ms",
	   (long long)(s.d.slew_dur_ns / MS));
	rate_ppb = ntp_ppb_rate(abs64(s.d.slew_ns), s.d.slew_dur_ns);
	ok(rate_ppb <= abs64(old_ppb) + ntp_ppb_rate(news_ns, 16 * S) + 1,
	   "replace: at %lld ppb, within the old %lld and the news' added",
	   (long long)rate_ppb, (long long)old_ppb);
}

/*
 * After sync at poll 4 (stepout 300 s): a lone 0.3 s measurement is
 * ignored; a real 0.3 s step of the clock is stepped back at the first
 * update 300 s or more after it was first seen: 19 intervals (304 s).
 */
static void test_stepout(void)
{
	struct sim s;
	s64 e, t_spike;
	int r, k;

	sim_init(&s, 50 * MS, -30 * PPM, 0, NTP_STEPT_NS, 4, 4);
	s.d.cfg.stepout_ns = 300 * S;
	sim_run(&s, 600 * S);
	e = sim_err(&s, s.ref_ns);
	s.spike_ns = 300 * MS;
	r = sim_update(&s);
	is_s64(r, NTP_DISC_IGNORE, "lone spike: ignored");
	is_s64(s.d.state, NTP_DISC_SPIKE, "lone spike: state SPIKE");
	ok(sim_err(&s, s.ref_ns) == e, "lone spike: clock untouched");
	s.ref_ns += 16 * S;
	r = sim_update(&s);
	is_s64(r, NTP_DISC_SLEW, "lone spike: next update slews");
	is_s64(s.d.state, NTP_DISC_SYNC, "lone spike: back to SYNC");
	s.ref_ns += 16 * S;
	sim_run(&s, 1200 * S);
	is_s64(s.d.n_steps, 0, "lone spike: never stepped");

	ntp_vclock_inject(&s.clk, s.ref_ns, -300 * MS, s.clk.err_ppb);
	t_spike = s.ref_ns;
	for (k = 0; k < 40; k++) {
		r = sim_update(&s);
		s.ref_ns += 16 * S;
		if (r != NTP_DISC_IGNORE)
			break;
	}
	is_s64(r, NTP_DISC_STEP, "persistent: stepped");
	is_s64(k, 19, "persistent: after 19 ignored updates (304 s)");
	is_s64(s.ref_ns - 16 * S - t_spike, 304 * S, "persistent: at 304 s");
	ok(abs64(s.last_step_ns - 300 * MS) < 1 * MS,
	   "persistent: by %lld us (300 ms)", s.last_step_ns / US);
	is_s64(s.d.poll, 4, "persistent: poll back to minpoll");
	sim_run(&s, 2000 * S);
	is_s64(s.d.n_steps, 1, "persistent: one step");
	ok(abs64(sim_err(&s, s.ref_ns)) < 100 * US, "persistent: error %lld ns",
	   (long long)sim_err(&s, s.ref_ns));
}

/* 2000 s at the first update: refused, clock untouched; then 50 ms goes. */
static void test_panic(void)
{
	struct sim s;
	struct ntp_vclock before;
	int r;

	sim_init(&s, 2000 * S, 0, 0, NTP_STEPT_NS, 4, 10);
	before = s.clk;
	r = sim_update(&s);
	is_s64(r, NTP_DISC_REFUSED, "panic: 2000 s refused");
	is_s64(s.d.state, NTP_DISC_PANIC, "panic: state PANIC");
	ok(!memcmp(&before, &s.clk, sizeof(before)) &&
	   sim_err(&s, s.ref_ns) == -2000 * S, "panic: clock untouched");
	s.ref_ns += 16 * S;
	is_s64(sim_update(&s), NTP_DISC_REFUSED, "panic: refused again");
	is_s64(s.d.n_steps, 0, "panic: no step");
	ntp_vclock_inject(&s.clk, s.ref_ns, 2000 * S - 50 * MS, 0);
	s.ref_ns += 16 * S;
	is_s64(sim_update(&s), NTP_DISC_SLEW, "panic: then 50 ms is slewed");
	is_s64(s.d.state, NTP_DISC_SYNC, "panic: state SYNC");
	ok(s.d.n_pts == 1, "panic: as a first update (a new history)");
}

/*
 * A -700 ppm oscillator: the frequency saturates at +500 ppm, exactly; the
 * remaining 200 ppm drifts 3.2 ms per 16 s interval, which each update
 * slews back over the next (the line knows the phase): the error is a saw
 * tooth up to 3.2 ms (no noise: the offsets are far above the jitter, so
 * the poll stays at minpoll). No step, no blow-up.
 */
static void test_freq_clamp(void)
{
	struct sim s;

	sim_init(&s, 10 * MS, -700 * PPM, 0, NTP_STEPT_NS, 4, 10);
	s.win0_ns = T0 + 600 * S;
	s.win1_ns = T0 + 7200 * S;
	sim_run(&s, 7200 * S);
	is_s64(s.d.freq_ppb, NTP_MAXFREQ_PPB, "clamp: frequency at +500 ppm");
	is_s64(s.bad_freq, 0, "clamp: never asked beyond");
	ok(s.max_err_ns > 3100 * US && s.max_err_ns < 3300 * US,
	   "clamp: error at most %lld us (3.2 ms)", s.max_err_ns / US);
	is_s64(s.d.n_steps, 0, "clamp: no step");
	is_s64(s.d.poll, 4, "clamp: poll at minpoll");
	is_s64(s.d.state, NTP_DISC_SYNC, "clamp: state SYNC");
	/* and the other way */
	sim_init(&s, -10 * MS, 700 * PPM, 0, NTP_STEPT_NS, 4, 10);
	sim_run(&s, 7200 * S);
	is_s64(s.d.freq_ppb, -NTP_MAXFREQ_PPB, "clamp: frequency at -500 ppm");
	is_s64(s.d.n_steps, 0, "clamp: no step either way");
}

/*
 * The reference moves by 10 ms (fixed poll 4, no noise, converged): the
 * first offsets pull the line some way (points on the old line still
 * weigh), the third new one leaves it with the two before and the line
 * starts again from them (ntp_disc_left_line()): 10, 6.2, 3.6 ms, then
 * nothing left. The frequency is not touched (the three points agree with
 * it: the prior holds).
 */
static void test_phase_step(void)
{
	struct sim s;
	s64 off, f0, worst_df = 0;
	int k, back = -1;

	sim_init(&s, 1 * MS, -50 * PPM, 0, NTP_STEPT_NS, 4, 4);
	sim_run(&s, 2000 * S);
	f0 = s.d.freq_ppb;
	ntp_vclock_inject(&s.clk, s.ref_ns, -10 * MS, s.clk.err_ppb);
	for (k = 0; k < 20; k++) {
		off = s.ref_ns - ntp_vclock_read(&s.clk, s.ref_ns);
		if (back < 0 && abs64(off) < 10 * US)
			back = k;
		sim_update(&s);
		worst_df = max_t(s64, worst_df, abs64(s.d.freq_ppb - f0));
		s.ref_ns += 16 * S;
	}
	ok(back >= 0 && back <= 4,
	   "phase step: within 10 us again after %d updates (<= 4)", back);
	ok(worst_df < 100, "phase step: the frequency moved %lld ppb at most",
	   (long long)worst_df);
	is_s64(s.d.n_steps, 0, "phase step: not stepped (below 128 ms)");
}

/*
 * The clock's backend ends a slew late (kmod/clock.c: a timer, then a work
 * item): the clock moves 2 ms more than the discipline asked, between two
 * updates at poll 4, converged at -50 ppm without noise. Told
 * (ntp_disc_clock_moved()), the history moves with the clock: the next
 * update sees -2 ms on a line of the same slope and slews it out. Not
 * told, the newest points leave the line: it takes the restart of the
 * line (discipline.c 2.(c)) and more updates to see the clock right again.
 */
static s64 clock_moved_df(bool told, int *back)
{
	struct sim s;
	s64 off, f0, worst_df = 0;
	int k;

	sim_init(&s, 1 * MS, -50 * PPM, 0, NTP_STEPT_NS, 4, 4);
	sim_run(&s, 2000 * S);
	f0 = s.d.freq_ppb;
	ntp_vclock_inject(&s.clk, s.ref_ns - 8 * S, 2 * MS, s.clk.err_ppb);
	if (told)
		ntp_disc_clock_moved(&s.d, 2 * MS);
	*back = -1;
	for (k = 0; k < 20; k++) {
		off = s.ref_ns - ntp_vclock_read(&s.clk, s.ref_ns);
		if (*back < 0 && abs64(off) < 10 * US)
			*back = k;
		sim_update(&s);
		worst_df = max_t(s64, worst_df, abs64(s.d.freq_ppb - f0));
		s.ref_ns += 16 * S;
	}
	return worst_df;
}

static void test_clock_moved(void)
{
	int back, back_untold;
	s64 df = clock_moved_df(true, &back);
	s64 df_untold = clock_moved_df(false, &back_untold);

	ok(df < 10, "slew overrun, told: the frequency moved %lld ppb (< 10)",
	   (long long)df);
	ok(back >= 0 && back <= 1,
	   "slew overrun, told: within 10 us again after %d updates (<= 1)",
	   back);
	ok(back_untold > 1,
	   "slew overrun, not told: within 10 us only after %d updates (%lld ppb moved): the test can tell",
	   back_untold, (long long)df_untold);
}

/*
 * One offset 3 ms off at poll 0 (100 us of noise, converged): one point of
 * the 64 on the line. A PI loop taking offset / T / 32 per update moved the
 * frequency by 94 ppm; the line's slope moves by the point's share:
 * 3 ms * 32 s / (64 * 64^2 / 12 s^2) = 4.4 ppm at most for a point at the
 * end of a 64 s window - and the history reaches back further at this
 * noise (thinned). The phase moves by its share of the line's end, below
 * 2 * 3 ms / sqrt(64)... far less in fact.
 */
static void test_outlier(void)
{
	struct sim s;
	s64 f0, worst_df = 0, worst_err = 0;
	int k;

	sim_init(&s, 0, -100 * PPM, 100 * US, NTP_STEPT_NS, 0, 0);
	sim_run(&s, 600 * S);
	f0 = s.d.freq_ppb;
	s.spike_ns = 3 * MS;
	for (k = 0; k < 30; k++) {
		sim_update(&s);
		worst_df = max_t(s64, worst_df, abs64(s.d.freq_ppb - f0));
		s.ref_ns += S;
		worst_err = max_t(s64, worst_err, abs64(sim_err(&s, s.ref_ns)));
	}
	ok(worst_df < 1 * PPM,
	   "outlier: 3 ms moves the frequency by %lld ppb (< 1 ppm)",
	   (long long)worst_df);
	ok(worst_err < 300 * US, "outlier: the clock stays within %lld us",
	   (long long)worst_err / US);
}

/*
 * Poll adaptation (minpoll 4, maxpoll 10): with small noise the offsets
 * stay within 4 x the jitter and the poll rises to maxpoll. Then the
 * oscillator jumps by 5 ppm: at 1024 s that drifts 5 ms per interval, far
 * above the jitter: the two offsets after the jump count the poll down
 * (A.5.5.6), and the third leaves the line with them: the line restarts,
 * its slope is the new frequency, and the clock is back within 100 us by
 * the update after.
 */
static void test_poll_adapt(void)
{
	struct sim s;
	s32 low_count;
	int k, followed = -1;

	sim_init(&s, 20 * MS, -40 * PPM, 10 * US, NTP_STEPT_NS, 4, 10);
	sim_run(&s, 6 * 3600 * S);
	is_s64(s.d.poll, 10, "poll: quiet, rises to maxpoll");
	ntp_vclock_inject(&s.clk, s.ref_ns, 0, s.clk.err_ppb + 5 * PPM);
	low_count = s.d.count;
	for (k = 0; k < 10; k++) {
		sim_update(&s);
		low_count = min(low_count, s.d.count);
		if (followed < 0 && abs64(s.d.freq_ppb - 35 * PPM) < 100)
			followed = k;
		s.ref_ns += poll_ns(s.d.poll);
	}
	ok(low_count < 0, "poll: the jump counts the poll down (to %d)",
	   low_count);
	ok(followed >= 0 && followed <= 3,
	   "poll: 5 ppm jump, the frequency follows within 0.1 ppm after %d updates",
	   followed);
	ok(abs64(sim_err(&s, s.ref_ns)) < 100 * US,
	   "poll: then the clock is back within 100 us (%lld us)",
	   (long long)sim_err(&s, s.ref_ns) / US);
	is_s64(s.d.n_steps, 0, "poll: no step");
	is_s64(s.bad_rate, 0, "poll: slew rates within 1/12");
}

/*
 * 10 ms of noise at poll 0: two offsets 1 s apart would say 14000 ppm.
 * The line through 64 points 1 s apart has a slope deviation of
 * 10 ms * sqrt(12 / (64 * 4095)) / 1 s = 68 ppm; the history thins out
 * its older points while the window allows (W = 2 h at this noise), so
 * that by 900 s its 64 points span some 650 s: 3 ppm (their own standard
 * error says so). With 1 us of noise, the third update (at 2 s) gives the
 * frequency within 2 ppm.
 */
static void test_acq_noise(void)
{
	struct sim s;

	sim_init(&s, 0, -100 * PPM, 10 * MS, NTP_STEPT_NS, 0, 0);
	sim_run(&s, 900 * S);
	ok(abs64(s.d.freq_ppb - 100 * PPM) < 10 * PPM,
	   "noisy: frequency %lld ppb at 900 s (100 ppm +- 10)",
	   (long long)s.d.freq_ppb);
	ok(s.d.freq_sd_ppb < 5 * PPM,
	   "noisy: its standard error %llu ppb (< 5 ppm)",
	   (unsigned long long)s.d.freq_sd_ppb);
	sim_init(&s, 0, -100 * PPM, 1 * US, NTP_STEPT_NS, 0, 0);
	sim_run(&s, 60 * S);
	is_s64(s.acq_end_ns - T0, 2 * S, "quiet: first frequency at 2 s");
	ok(abs64(s.acq_freq_ppb - 100 * PPM) < 2 * PPM,
	   "quiet: frequency estimate %lld ppb (100 ppm +- 2)",
	   (long long)s.acq_freq_ppb);
}

/*
 * Offsets observed before the first update (ntp_disc_observe(), as the
 * system process passes them while it waits for its quorum): an iburst's
 * eight, 2 s apart, of a clock 100 ppm slow and 50 ms off, 10 us of noise.
 * Nothing is done to the clock; the first update sets the frequency from
 * the line through them and itself at once: 10 us * sqrt(12 / (9 * 80)) /
 * 2 s = 0.65 ppm (one sd) - within 3 ppm.
 */
static void test_observe(void)
{
	struct ntp_vclock before;
	struct sim s;
	s64 now;
	int k;

	sim_init(&s, 50 * MS, -100 * PPM, 10 * US, NTP_STEPT_NS, 4, 4);
	before = s.clk;
	for (k = 0; k < 8; k++) {
		now = ntp_vclock_read(&s.clk, s.ref_ns);
		ntp_disc_observe(&s.d, s.ref_ns - now + sim_noise(&s), now,
				 2 * MS);
		s.ref_ns += 2 * S;
	}
	ok(s.d.n_pts == 8 && s.d.state == NTP_DISC_NSET &&
	   !memcmp(&before, &s.clk, sizeof(before)),
	   "observe: eight points, still NSET, the clock untouched");
	is_s64(sim_update(&s), NTP_DISC_SLEW, "observe: the first update slews");
	ok(s.d.fit.n == 9 && abs64(s.d.freq_ppb - 100 * PPM) < 3 * PPM,
	   "observe: and sets the frequency from nine points: %lld ppb",
	   (long long)s.d.freq_ppb);
}

/*
 * As test_observe(), with a ninth sample whose request waited 20 ms (for
 * address resolution: its delay 22 ms against 2, its offset 10 ms high),
 * first or last. It is left out: the first update has eight and its own.
 * Kept first, the line through it would be 10 ms * -7 s / 168 s^2 = -417
 * ppm off; kept last, +417 ppm.
 */
static void test_observe_waited(bool first)
{
	const char *what = first ? "first" : "last";
	struct sim s;
	s64 now;
	int k;

	sim_init(&s, 50 * MS, -100 * PPM, 10 * US, NTP_STEPT_NS, 4, 4);
	for (k = 0; k < 9; k++) {
		bool waited = first ? k == 0 : k == 8;

		now = ntp_vclock_read(&s.clk, s.ref_ns);
		ntp_disc_observe(&s.d, s.ref_ns - now + sim_noise(&s) +
				 (waited ? 10 * MS : 0), now,
				 waited ? 22 * MS : 2 * MS);
		s.ref_ns += 2 * S;
	}
	is_s64(s.d.n_pts, 8, "observe, a request waited (%s): left out", what);
	is_s64(sim_update(&s), NTP_DISC_SLEW,
	       "observe, a request waited (%s): the first update slews", what);
	ok(abs64(s.d.freq_ppb - 100 * PPM) < 3 * PPM,
	   "observe, a request waited (%s): frequency %lld ppb (100 ppm +- 3)",
	   what, (long long)s.d.freq_ppb);
}

/*
 * ntp_disc_max_age_ns(): 0 before a frequency is known; once it is, the
 * shorter of noise / sd(frequency) and the time the assumed wander takes
 * to move the phase by a quarter of the noise, (sigma_ns^2 / 5.38)^(1/3) s
 * (1225 s for 100 us); 0 again for an offset far (4 noise) off the line,
 * but only once a sixteenth of that age passed without an update, and
 * only by what is left of it when half its excess delay is taken off
 * (either sign).
 */
static void test_max_age(void)
{
	struct sim s;
	s64 age, far, sigma;
	double wander;

	sim_init(&s, 0, -100 * PPM, 100 * US, NTP_STEPT_NS, 4, 4);
	is_s64(ntp_disc_max_age_ns(&s.d, 0, 0, T0), 0,
	       "max age: 0 before any update");
	sim_run(&s, 3600 * S);
	age = ntp_disc_max_age_ns(&s.d, 0, 0, s.d.last_ns);
	wander = cbrt((double)s.d.jitter_ns * s.d.jitter_ns / 5.38) * S;
	ok(age > 16 * S && age <= wander + S,
	   "max age: %lld s, at most the wander's %.0f s", age / S,
	   wander / S);
	far = 5 * (s64)s.d.jitter_ns;
	is_s64(ntp_disc_max_age_ns(&s.d, far, 0, s.d.last_ns + 1), age,
	       "max age: an offset far off right after an update waits");
	is_s64(ntp_disc_max_age_ns(&s.d, far, 0, s.d.last_ns + age / 16 + 1), 0,
	       "max age: later, it is news");
	sigma = s.d.jitter_ns;
	is_s64(ntp_disc_max_age_ns(&s.d, 5 * sigma, 4 * sigma,
				   s.d.last_ns + age / 16 + 1), age,
	       "max age: 5 noise off with 4 noise of excess delay: no news");
	is_s64(ntp_disc_max_age_ns(&s.d, -5 * sigma, 4 * sigma,
				   s.d.last_ns + age / 16 + 1), age,
	       "max age: -5 noise off with 4 noise of excess delay: no news");
	is_s64(ntp_disc_max_age_ns(&s.d, 7 * sigma, 4 * sigma,
				   s.d.last_ns + age / 16 + 1), 0,
	       "max age: 7 noise off with 4 noise of excess delay: news");
}

/*
 * A sample that waited 5 ms longer than the best may be 2.5 ms off. After a
 * first update without a line (one offset), the frequency is unknown:
 * 500 ppm of it, 2 ms in 4 s (hold), 3 ms in 6 s, 32 ms in 64 s (take the
 * sample). After an hour at poll 4 with 100 us of noise the frequency is
 * known to well under 0.1 ppm: holding 64 s costs under 6.4 us, and even
 * 0.2 ms of excess delay (0.1 ms off) is left out. Before the first update
 * the filter's pick serves instead (kmod/core/system.c): never.
 */
static void test_hold_costs(void)
{
	struct ntp_disc_action a;
	struct ntp_disc_cfg cfg;
	struct ntp_disc d;
	struct sim s;

	ntp_system_default_cfg(&cfg);
	ntp_disc_init(&d, &cfg, 0);
	ok(!ntp_disc_hold_costs(&d, 5 * MS, T0 + 3600 * S),
	   "hold: before the first update, never");
	is_s64(ntp_disc_update(&d, 1 * MS, T0, T0, PREC, &a), NTP_DISC_SLEW,
	       "hold: a first update of one offset");
	ok(!d.fit.n && d.freq_sd_ppb == NTP_MAXFREQ_PPB,
	   "hold: no line, the frequency unknown (sd %llu ppb)",
	   (unsigned long long)d.freq_sd_ppb);
	ok(!ntp_disc_hold_costs(&d, 5 * MS, T0 + 4 * S),
	   "hold: 4 s of 500 ppm (2 ms) against 2.5 ms: hold");
	ok(ntp_disc_hold_costs(&d, 5 * MS, T0 + 6 * S),
	   "hold: 6 s of it (3 ms) against 2.5 ms: take the sample that waited");
	ok(ntp_disc_hold_costs(&d, -5 * MS, T0 + 64 * S),
	   "hold: 64 s (32 ms), the excess' sign aside: take it");

	sim_init(&s, 0, -100 * PPM, 100 * US, NTP_STEPT_NS, 4, 4);
	sim_run(&s, 3600 * S);
	ok(s.d.freq_sd_ppb < 100,
	   "hold: after an hour the frequency's sd is %llu ppb",
	   (unsigned long long)s.d.freq_sd_ppb);
	ok(!ntp_disc_hold_costs(&s.d, 200 * US, s.d.last_ns + 64 * S),
	   "hold: then 64 s cost less than a 0.2 ms wait: hold");
}

/*
 * The points move with the clock (discipline.c, 1.): without noise, after
 * the slew of 50 ms and a frequency change of 100 ppm, they lie on one line
 * within the precision, and the frequency is right to the resolution the
 * precision floor (1 us) allows eight points 16 s apart: 1 us *
 * sqrt(12 / (8 * 63)) / 16 s = 10 ppb.
 */
static void test_frame(void)
{
	struct sim s;

	sim_init(&s, 50 * MS, -100 * PPM, 0, NTP_STEPT_NS, 4, 4);
	sim_run(&s, 1200 * S);
	ok(s.d.fit.n >= 8 && s.d.fit.noise_ns <= PREC,
	   "frame: %u points on one line (noise %llu ns)", s.d.fit.n,
	   (unsigned long long)s.d.fit.noise_ns);
	ok(abs64(s.d.fit.slope_ppb) < 10 &&
	   abs64(s.d.freq_ppb - 100 * PPM) < 10,
	   "frame: slope %lld ppb, frequency %lld ppb",
	   (long long)s.d.fit.slope_ppb, (long long)s.d.freq_ppb);
}

/*
 * Updates farther apart than the discipline's poll (the system poll at
 * -4, as the module starts, while the association polls every 16 s): the
 * PI interval follows the time between updates, so this is the poll 4
 * loop: same bounds as test_converge() at poll 4.
 */
static void test_sparse_updates(void)
{
	struct sim s;

	sim_init(&s, 100 * MS, -100 * PPM, 100 * US, NTP_STEPT_NS, -4, -4);
	s.interval_ns = 16 * S;
	s.win0_ns = T0 + 210 * S;
	s.win1_ns = T0 + 2010 * S;
	sim_run(&s, 2010 * S);
	ok(s.settle_ns <= 210 * S,
	   "sparse: error below 1 ms from %lld s on (at most 210 s)",
	   s.settle_ns / S);
	ok(sim_rms(&s) < 300 * US, "sparse: RMS error %.0f us (< 300 us)",
	   sim_rms(&s) / US);
	ok(abs64(s.d.freq_ppb - 100 * PPM) < 5 * PPM,
	   "sparse: frequency %.3f ppm (100 +- 5)", (double)s.d.freq_ppb / PPM);
	is_s64(s.bad_rate + s.bad_freq, 0, "sparse: slews and frequencies in bounds");
}

/* Offsets measured before the last update are stale. */
static void test_fresh(void)
{
	struct ntp_disc d;
	struct ntp_disc_action a;
	struct ntp_disc_cfg cfg = { .step_ns = NTP_STEPT_NS, .stepout_ns = 0,
				    .minpoll = 4, .maxpoll = 4 };

	ntp_disc_init(&d, &cfg, 0);
	ok(ntp_disc_fresh(&d, T0 - 100 * S), "fresh: anything before the first");
	ntp_disc_update(&d, 1 * MS, T0, T0, PREC, &a);
	ok(!ntp_disc_fresh(&d, T0 - 1), "fresh: not a sample before the update");
	ok(!ntp_disc_fresh(&d, T0), "fresh: nor at it");
	ok(ntp_disc_fresh(&d, T0 + 1), "fresh: a sample after it");
	/*
	 * With no stepout, 0.5 s steps at once; local time T0 + 16 s then
	 * became T0 + 16.5 s.
	 */
	is_s64(ntp_disc_update(&d, 500 * MS, T0 + 16 * S, T0 + 16 * S, PREC, &a),
	       NTP_DISC_STEP, "fresh: stepped");
	ok(!ntp_disc_fresh(&d, T0 + 16 * S + 400 * MS),
	   "fresh: local times before the step's end are stale");
}

/* Reset: NSET again, the frequency kept, poll back to minpoll. */
static void test_reset(void)
{
	struct sim s;
	s64 f;

	sim_init(&s, 10 * MS, -60 * PPM, 0, NTP_STEPT_NS, 4, 10);
	sim_run(&s, 3600 * S);
	f = s.d.freq_ppb;
	ok(s.d.poll > 4 && abs64(f - 60 * PPM) < 1 * PPM,
	   "reset: before, poll %d, frequency %lld ppb", s.d.poll,
	   (long long)f);
	ntp_disc_reset(&s.d);
	is_s64(s.d.state, NTP_DISC_NSET, "reset: state NSET");
	is_s64(s.d.freq_ppb, f, "reset: frequency kept");
	is_s64(s.d.poll, 4, "reset: poll minpoll");
	/* the clock is stepped by someone else: 0.2 s -> stepped at once */
	ntp_vclock_inject(&s.clk, s.ref_ns, 200 * MS, s.clk.err_ppb);
	is_s64(sim_update(&s), NTP_DISC_STEP, "reset: next update is a first");
}

/*
 * Step only (NTP_DISC_CTL_STEP): below the step threshold nothing is done
 * and no frequency is learnt; above it, a first update steps at once, a
 * later one after the stepout. Given back the full clock, it starts afresh.
 */
static void test_step_only(void)
{
	struct ntp_disc_action a;
	struct sim s;
	s64 now;
	int i, r;

	sim_init(&s, 50 * MS, -100 * PPM, 0, NTP_STEPT_NS, 4, 10);
	s.d.cfg.ctl = NTP_DISC_CTL_STEP;
	sim_run(&s, 600 * S);
	ok(s.n[NTP_DISC_SLEW] == 0 && s.n[NTP_DISC_STEP] == 0,
	   "step only: 50 ms is neither slewed nor stepped (%u slews, %u steps)",
	   s.n[NTP_DISC_SLEW], s.n[NTP_DISC_STEP]);
	is_s64(s.d.state, NTP_DISC_FREE, "step only: the loop runs free");
	is_s64(s.d.freq_ppb, 0, "step only: no frequency learnt");
	ok(abs64(sim_err(&s, s.ref_ns) + 50 * MS + 60 * MS) < 1 * MS,
	   "step only: the clock drifts on: %lld ms",
	   (long long)(sim_err(&s, s.ref_ns) / MS));

	sim_init(&s, 300 * MS, 0, 0, NTP_STEPT_NS, 4, 10);
	s.d.cfg.ctl = NTP_DISC_CTL_STEP;
	r = sim_update(&s);
	is_s64(r, NTP_DISC_STEP, "step only: a first update above 128 ms steps");
	is_s64(s.d.state, NTP_DISC_FREE, "step only: then runs free");
	ok(abs64(sim_err(&s, s.ref_ns)) < 1 * US, "step only: the step is exact");
	/* 200 ms later: a spike, stepped only after the stepout */
	ntp_vclock_inject(&s.clk, s.ref_ns, 200 * MS, 0);
	s.ref_ns += 16 * S;
	is_s64(sim_update(&s), NTP_DISC_IGNORE, "step only: a later 200 ms waits");
	is_s64(s.d.state, NTP_DISC_SPIKE, "step only: in SPIKE");
	for (i = 0; i < 100 && s.n[NTP_DISC_STEP] < 2; i++) {
		s.ref_ns += 16 * S;
		sim_update(&s);
	}
	ok(s.n[NTP_DISC_STEP] == 2 && i >= 900 / 16 - 1,
	   "step only: stepped after the stepout (%d updates of 16 s)", i);

	s.d.cfg.ctl = NTP_DISC_CTL_FULL;
	ntp_vclock_inject(&s.clk, s.ref_ns, 20 * MS, 0);
	s.ref_ns += 16 * S;
	now = ntp_vclock_read(&s.clk, s.ref_ns);
	r = ntp_disc_update(&s.d, -20 * MS, now, now, PREC, &a);
	ok(r == NTP_DISC_SLEW && s.d.state == NTP_DISC_SYNC && s.d.n_pts == 1,
	   "back to a full clock: a first update, slewed, a new history");
}

/*
 * Hands off (NTP_DISC_CTL_NONE): nothing at all, whatever the offset; the
 * system process serves as unsynchronised; given the clock back, the next
 * update is a first one.
 */
static void test_hands_off(void)
{
	struct ntp_disc_cfg cfg;
	struct ntp_disc_action a;
	struct ntp_system sys;
	s64 corr;
	struct sim s;
	int r;

	sim_init(&s, 10 * MS, 0, 0, NTP_STEPT_NS, 4, 10);
	sim_run(&s, 300 * S);
	s.d.cfg.ctl = NTP_DISC_CTL_NONE;
	r = ntp_disc_update(&s.d, 500 * MS, T0 + 400 * S, T0 + 400 * S, PREC,
			    &a);
	ok(r == NTP_DISC_IGNORE && !a.step_ns && !a.slew_ns,
	   "hands off: 500 ms is left alone");
	is_s64(s.d.state, NTP_DISC_HANDS_OFF, "hands off: state");
	s.d.cfg.ctl = NTP_DISC_CTL_FULL;
	r = ntp_disc_update(&s.d, 500 * MS, T0 + 416 * S, T0 + 416 * S, PREC,
			    &a);
	ok(r == NTP_DISC_STEP && a.step_ns == 500 * MS,
	   "hands back on: a first update (stepped at once)");

	ntp_system_default_cfg(&cfg);
	ntp_system_init(&sys, -20, &cfg);
	ntp_system_set_master(&sys, 3, T0);
	sys.disc.cfg.ctl = NTP_DISC_CTL_NONE;
	r = ntp_system_run(&sys, NULL, NULL, 0, T0 + S, &a, &corr);
	ok(r == NTP_DISC_IGNORE && sys.v.stratum == NTP_MAXSTRAT &&
	   sys.disc.state == NTP_DISC_HANDS_OFF && corr == 0,
	   "hands off: the system serves stratum 16, even as master");
}

/*
 * Another clock (virtual <-> system, or the kernel's clock claimed anew):
 * the frequency, the slew and the state learnt on the old one are gone.
 */
static void test_new_clock(void)
{
	struct ntp_disc_cfg cfg;
	struct ntp_system sys;

	ntp_system_default_cfg(&cfg);
	cfg.step_ns = 50 * MS;
	ntp_system_init(&sys, -20, &cfg);
	sys.disc.freq_ppb = -200 * PPM;
	sys.disc.state = NTP_DISC_SYNC;
	sys.v.slew.amount_ns = 3 * MS;
	sys.v.stratum = 2;
	sys.synced = true;
	ntp_system_new_clock(&sys, T0);
	ok(sys.disc.freq_ppb == 0 && sys.disc.state == NTP_DISC_NSET &&
	   sys.v.slew.amount_ns == 0,
	   "new clock: no frequency, no slew, a fresh loop");
	is_s64(sys.disc.cfg.step_ns, 50 * MS, "new clock: the settings are kept");
	is_s64(sys.v.stratum, NTP_MAXSTRAT, "new clock: unsynchronised until an update");
	ntp_system_set_master(&sys, 4, T0);
	ntp_system_new_clock(&sys, T0 + S);
	is_s64(sys.v.stratum, 4, "new clock: a master serves its own clock still");
}

/*
 * A step takes the offset out of the clock: the system's offset (what
 * "show ntp status" reports) is then none, not the offset stepped out,
 * until the next update measures one again. Three sources 300 ms ahead:
 * the first update steps.
 */
static void test_step_offset(void)
{
	struct ntp_sys_extra x[3];
	struct ntp_disc_action a;
	struct ntp_disc_cfg cfg;
	struct ntp_system sys;
	struct ntp_cand c[3];
	s64 now = T0, corr = 0;
	int i, j, r = NTP_DISC_IGNORE;

	ntp_system_default_cfg(&cfg);
	cfg.ctl = NTP_DISC_CTL_FULL;
	ntp_system_init(&sys, -20, &cfg);
	memset(c, 0, sizeof(c));
	memset(x, 0, sizeof(x));
	for (i = 0; i < 3; i++) {
		c[i].id = i + 1;
		c[i].stratum = 1;
		c[i].reach = 0xff;
		c[i].has_sample = true;
		c[i].disp_ns = MS + i * US;
		c[i].offset_ns = 300 * MS + i * US;
		x[i].newest_offset_ns = c[i].offset_ns;
		x[i].poll = 4;
	}
	for (i = 0; i < 40 && r != NTP_DISC_STEP; i++) {
		now += 16 * S;
		for (j = 0; j < 3; j++) {
			x[j].sample_ns = now;
			x[j].newest_ns = now;
		}
		r = ntp_system_run(&sys, c, x, 3, now, &a, &corr);
	}
	ok(r == NTP_DISC_STEP && a.step_ns > 299 * MS && a.step_ns < 301 * MS,
	   "300 ms off: the update steps it (%lld ns)", (long long)a.step_ns);
	is_s64(sys.v.stratum, NTP_MAXSTRAT,
	       "after the step: unsynchronised until the filters refill");
	is_s64(sys.offset_ns, 0, "after the step: no offset left to show");
}

int main(void)
{
	test_convergence();
	test_first_step();
	test_never_step();
	test_slew_replace();
	test_stepout();
	test_panic();
	test_freq_clamp();
	test_phase_step();
	test_clock_moved();
	test_outlier();
	test_poll_adapt();
	test_acq_noise();
	test_observe();
	test_observe_waited(true);
	test_observe_waited(false);
	test_max_age();
	test_hold_costs();
	test_frame();
	test_reset();
	test_sparse_updates();
	test_fresh();
	test_step_only();
	test_hands_off();
	test_new_clock();
	test_step_offset();
	return done();
}
