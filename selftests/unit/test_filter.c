// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the RFC 5905 clock filter (kmod/core/filter.c). Every
 * expected value is derived by hand in the comment next to it.
 */
#include <limits.h>
#include "filter.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
#define US	1000LL		/* ns per us */
#define T0	(1700000000LL * S)	/* an arbitrary Unix time, ns */
#define POLL	6		/* 64 s */
#define PREC	2000ULL		/* local + peer precision, ns */
#define MAXD	NTP_MAXDISP_NS	/* 16 s */

/*
 * Sum of MAXDISP / 2^(i + 1) over the ranks i = k..7, i.e. the weight of
 * the empty stages when k stages are valid: 16e9 >> 2 .. >> 8 are 4e9, 2e9,
 * 1e9, 5e8, 2.5e8, 1.25e8 and 6.25e7 ns (all exact).
 */
#define EMPTY_1	7937500000LL	/* ranks 1..7 */
#define EMPTY_0	(8000000000LL + EMPTY_1)	/* ranks 0..7: 15.9375 s */

static void test_fresh(void)
{
	struct ntp_filter f;

	ntp_filter_reset(&f, T0);
	is_s64(f.disp_ns, MAXD, "reset: dispersion MAXDISP (clear())");
	is_s64(ntp_filter_disp_now(&f, T0 + 1000 * S), MAXD,
	       "reset: dispersion does not grow past MAXDISP");
	is_s64(f.stage[3].delay_ns, MAXD, "reset: stage delay MAXDISP");
	ok(!f.used && f.t_ns == 0, "reset: no sample used");

	/* offset 5 ms, delay 10 ms, epsilon 1 ms, one second after reset */
	ok(ntp_filter_add(&f, 5 * MS, 0, 10 * MS, 1 * MS, T0 + S, PREC, POLL),
	   "fresh: the first sample is used");
	is_s64(f.offset_ns, 5 * MS, "fresh: offset is the sample's");
	is_s64(f.delay_ns, 10 * MS, "fresh: delay is the sample's");
	is_s64(f.t_ns, T0 + S, "fresh: t is the sample's time");
	is_s64(f.nvalid, 1, "fresh: one valid stage");
	is_s64(f.order[0], 0, "fresh: stage 0 ranks first");
	/* 1 ms / 2 + the seven empty stages */
	is_s64(f.disp_ns, 500000 + EMPTY_1, "fresh: dispersion 1/2 eps + empty");
	/* one valid stage: no difference, the jitter is the precision floor */
	is_s64(f.jitter_ns, PREC, "fresh: jitter at the precision floor");
}

static void test_min_delay(void)
{
	/* sample k = 1..8: offset k ms, delay below, taken at T0 + 64k s */
	static const s64 delay_ms[8] = { 50, 40, 30, 5, 20, 25, 35, 45 };
	/*
	 * Used: k = 1, 2, 3 and 4 (each lowers the minimum delay); 5..8 have
	 * higher delays than k = 4, which was already used.
	 */
	static const bool want[8] = { 1, 1, 1, 1, 0, 0, 0, 0 };
	/*
	 * Stage i holds sample 8 - i, so stage delays are 45 35 25 20 5 30 40
	 * 50 ms: ranked 5 (s4), 20 (s3), 25 (s2), 30 (s5), 35 (s1), 40 (s6),
	 * 45 (s0), 50 (s7).
	 */
	static const u8 want_order[8] = { 4, 3, 2, 5, 1, 6, 0, 7 };
	struct ntp_filter f;
	s64 off, delay, excess;
	int k, good = 1;

	ntp_filter_reset(&f, T0);
	for (k = 1; k <= 8; k++) {
		bool used = ntp_filter_add(&f, k * MS, 0, delay_ms[k - 1] * MS,
					   1 * MS, T0 + k * 64 * S, PREC, POLL);

		if (used != want[k - 1]) {
			printf("#   sample %d: got %d\n", k, used);
			good = 0;
		}
	}
	ok(good, "min delay: only samples that lower the minimum are used");
	is_s64(f.offset_ns, 4 * MS, "min delay: offset of the 5 ms sample, not the newest");
	is_s64(f.delay_ns, 5 * MS, "min delay: delay 5 ms");
	is_s64(f.t_ns, T0 + 4 * 64 * S, "min delay: t of the 5 ms sample");
	ok(!memcmp(f.order, want_order, sizeof(want_order)),
	   "min delay: stages ranked by delay");
	is_s64(f.nvalid, 8, "min delay: eight valid stages");
	/* the newest: sample 8 (45 ms), 40 ms above the least (5 ms) */
	is_s64(ntp_filter_newest(&f, &off, &delay, &excess), T0 + 8 * 64 * S,
	       "min delay: the newest is sample 8");
	ok(off == 8 * MS && delay == 45 * MS && excess == 40 * MS,
	   "min delay: its offset 8 ms, delay 45 ms, 40 ms above the least: %lld, %lld, %lld",
	   (long long)off, (long long)delay, (long long)excess);
	/*
	 * Ranked offsets 4 5 6 3 7 2 8 1 ms: differences to 4 ms are 1 2 1 3
	 * 2 4 3 ms, squares sum 44 ms^2 = 44e12 ns^2; / 7 = 6285714285714
	 * (floor); sqrt = 2507132.0.. ns.
	 */
	is_s64(f.jitter_ns, 2507132, "min delay: jitter sqrt(44/7) ms");

	/* An older sample (the 5 ms one) chosen again is not used again. */
	ok(!ntp_filter_add(&f, 99 * MS, 0, 6 * MS, 1 * MS, T0 + 9 * 64 * S,
			   PREC, POLL), "old best again: not used");
	is_s64(f.offset_ns, 4 * MS, "old best again: offset unchanged");
	is_s64(f.t_ns, T0 + 4 * 64 * S, "old best again: t unchanged");
}

static void test_disp(void)
{
	struct ntp_filter f;
	int k;

	/* PHI is 15 us per s: 1 s adds 15000 ns, 100 s adds 1.5 ms */
	is_s64(ntp_disp_grow(1000, T0, T0 + S), 16000, "PHI: 1 s adds 15 us");
	is_s64(ntp_disp_grow(0, T0, T0 + 100 * S), 1500 * US,
	       "PHI: 100 s adds 1.5 ms");
	/* 1 ms adds 15 ns; 66 ns adds 0.99 ns, truncated to 0 */
	is_s64(ntp_disp_grow(0, T0, T0 + MS), 15, "PHI: 1 ms adds 15 ns");
	is_s64(ntp_disp_grow(7, T0, T0 + 66), 7, "PHI: 66 ns adds 0 ns");

	/*
	 * Eight samples 1 s apart, equal delays (the newest ranks first, so the
	 * rank is the stage index), epsilon 1 ms each. At T0 + 7 s, stage i is
	 * i s old: 1e6 + 15000 i ns. Weighted by 1/2^(i + 1), truncated each:
	 * 500000 + 253750 + 128750 + 65312 + 33125 + 16796 + 8515 + 4316
	 * = 1010564 ns.
	 */
	ntp_filter_reset(&f, T0);
	for (k = 0; k < 8; k++)
		ntp_filter_add(&f, 0, 0, 10 * MS, 1 * MS, T0 + k * S, PREC, POLL);
	is_s64(ntp_filter_stage_disp(&f.stage[7], T0 + 7 * S), 1105000,
	       "aging: stage 7 s old has 1 ms + 105 us");
	is_s64(f.order[0], 0, "aging: equal delays rank the newest first");
	is_s64(f.order[7], 7, "aging: and the oldest last");
	is_s64(f.disp_ns, 1010564, "weighted sum 1/2, 1/4, ... 1/256");
	is_s64(f.update_ns, T0 + 7 * S, "update time is the last sample's");
	/* 10 s later the peer dispersion has grown by 150 us */
	is_s64(ntp_filter_disp_now(&f, T0 + 17 * S), 1010564 + 150000,
	       "disp_now grows by PHI from the update");
	is_s64(ntp_filter_disp_now(&f, T0), 1010564,
	       "disp_now before the update does not shrink");

	/* epsilon below the precision is raised to it; above MAXDISP capped */
	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 0, 0, 10 * MS, 5, T0, PREC, POLL);
	is_s64(f.stage[0].disp_ns, PREC, "epsilon floored at the precision");
	is_s64(f.disp_ns, PREC / 2 + EMPTY_1, "peer dispersion from the floor");
}

static void test_jitter(void)
{
	struct ntp_filter f;

	/* offsets 0, 1, 2 ms at delays 10, 20, 30 ms: theta_0 = 0 */
	ntp_filter_reset(&f, T0);
	ok(ntp_filter_add(&f, 0, 0, 10 * MS, 1 * MS, T0, PREC, POLL),
	   "jitter: first sample used");
	ok(!ntp_filter_add(&f, 1 * MS, 0, 20 * MS, 1 * MS, T0 + 64 * S, PREC,
			   POLL), "jitter: higher delay not used");
	/* n = 2: one difference of 1 ms; sqrt(1e12 / 1) = 1e6 ns */
	is_s64(f.jitter_ns, 1 * MS, "jitter of 0, 1 ms: 1 ms");
	ntp_filter_add(&f, 2 * MS, 0, 30 * MS, 1 * MS, T0 + 128 * S, PREC, POLL);
	/*
	 * n = 3: differences 1 and 2 ms, (1e12 + 4e12) / 2 = 2.5e12 ns^2,
	 * sqrt = 1581138.83 ns, floor 1581138.
	 */
	is_s64(f.jitter_ns, 1581138, "jitter of 0, 1, 2 ms: sqrt(2.5) ms");
	is_s64(f.offset_ns, 0, "jitter: offset still the 10 ms sample's");

	/* offsets 0, 1, 2 us: RMS 1581 ns, below a 10 us precision floor */
	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 0, 0, 10 * MS, 1 * MS, T0, 10 * US, POLL);
	ntp_filter_add(&f, 1 * US, 0, 20 * MS, 1 * MS, T0 + 64 * S, 10 * US, POLL);
	ntp_filter_add(&f, 2 * US, 0, 30 * MS, 1 * MS, T0 + 128 * S, 10 * US,
		       POLL);
	is_s64(f.jitter_ns, 10 * US, "jitter floored at the precision");
	/* the same with precision 1 us: the RMS itself */
	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 0, 0, 10 * MS, 1 * MS, T0, 1 * US, POLL);
	ntp_filter_add(&f, 1 * US, 0, 20 * MS, 1 * MS, T0 + 64 * S, 1 * US, POLL);
	ntp_filter_add(&f, 2 * US, 0, 30 * MS, 1 * MS, T0 + 128 * S, 1 * US, POLL);
	is_s64(f.jitter_ns, 1581, "jitter of 0, 1, 2 us: 1581 ns");
}

static void test_missed(void)
{
	struct ntp_filter f;
	int k;

	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 1 * MS, 0, 10 * MS, 1 * MS, T0, PREC, POLL);
	is_s64(f.disp_ns, 500000 + EMPTY_1, "missed: dispersion before");
	ok(!ntp_filter_add_missed(&f, T0 + 64 * S, POLL),
	   "missed: nothing new to use");
	/*
	 * The empty stage 0 ranks after the real sample in stage 1, which is
	 * now 64 s old: 1 ms + 64 * 15 us = 1960000 ns, halved = 980000.
	 */
	is_s64(f.order[0], 1, "missed: the real sample ranks first");
	is_s64(f.order[1], 0, "missed: the empty sample ranks after it");
	/* the empty sample is (0, MAXDISP, MAXDISP, now), as after a reset */
	ok(f.stage[0].offset_ns == 0 && f.stage[0].delay_ns == MAXD &&
	   f.stage[0].disp_ns == MAXD && f.stage[0].t_ns == T0 + 64 * S,
	   "missed: empty stage (0, MAXDISP, MAXDISP, now)");
	is_s64(f.nvalid, 1, "missed: still one valid stage");
	is_s64(f.disp_ns, 980000 + EMPTY_1, "missed: dispersion raised");
	is_s64(f.offset_ns, 1 * MS, "missed: offset kept");
	is_s64(f.t_ns, T0, "missed: t kept");
	/* Seven more misses push the sample out: all eight stages empty. */
	for (k = 2; k <= 8; k++)
		ok(!ntp_filter_add_missed(&f, T0 + k * 64 * S, POLL),
		   "missed poll %d: nothing used", k);
	is_s64(f.nvalid, 0, "missed x8: no valid stage");
	is_s64(f.disp_ns, EMPTY_0, "missed x8: dispersion 255/256 MAXDISP");
	is_s64(f.offset_ns, 1 * MS, "missed x8: offset of the last used");
	/* a new sample after the outage is used (gate not armed) */
	ok(ntp_filter_add(&f, 7 * MS, 0, 10 * MS, 1 * MS, T0 + 9 * 64 * S, PREC,
			  POLL), "after outage: new sample used");
	is_s64(f.offset_ns, 7 * MS, "after outage: its offset");
}

/*
 * Six samples of offset 0, 64 s apart, each with a lower delay than the last
 * (60 - k ms), so each is used: the gate is armed (six valid stages, peer
 * dispersion about 0.19 s < MAXDIST) and the jitter is the floor, PREC.
 */
static void popcorn_setup(struct ntp_filter *f)
{
	int k;

	ntp_filter_reset(f, T0);
	for (k = 1; k <= 6; k++)
		ntp_filter_add(f, 0, 0, (60 - k) * MS, 1 * MS, T0 + k * 64 * S,
			       PREC, POLL);
}

static void test_popcorn(void)
{
	struct ntp_filter f, g;

	popcorn_setup(&f);
	is_s64(f.jitter_ns, PREC, "popcorn: jitter at the floor");
	ok(f.disp_ns < NTP_MAXDIST_NS, "popcorn: gate armed");

	/*
	 * Lone spike: 50 ms > 3 * 2 us, 64 s after the last used sample,
	 * which is less than 2 * 64 s: refused.
	 */
	ok(!ntp_filter_add(&f, 50 * MS, 0, 50 * MS, 1 * MS, T0 + 7 * 64 * S,
			   PREC, POLL), "popcorn: lone spike refused");
	is_s64(f.n_spike, 1, "popcorn: counted");
	is_s64(f.offset_ns, 0, "popcorn: offset unchanged");
	is_s64(f.t_ns, T0 + 6 * 64 * S, "popcorn: t unchanged");
	g = f;
	/* The next sample, lower delay, offset 0: used; the spike never is. */
	ok(ntp_filter_add(&f, 0, 0, 49 * MS, 1 * MS, T0 + 8 * 64 * S, PREC, POLL),
	   "popcorn: next normal sample used");
	is_s64(f.offset_ns, 0, "popcorn: offset 0 after the spike");
	is_s64(f.t_ns, T0 + 8 * 64 * S, "popcorn: t of the normal sample");

	/*
	 * If the next sample has a higher delay the spike stays the best: its
	 * jitter (recomputed at the spike around it: six differences of 50 ms
	 * over n - 1 = 6) is 50 ms, and 50 ms <= 3 * 50 ms, so the second look
	 * uses it, as A.5.2 and ntpd do.
	 */
	is_s64(g.jitter_ns, 50 * MS, "popcorn: jitter with the spike in");
	ok(ntp_filter_add(&g, 0, 0, 55 * MS, 1 * MS, T0 + 8 * 64 * S, PREC, POLL),
	   "popcorn: a spike still best on the next sample is used");
	is_s64(g.offset_ns, 50 * MS, "popcorn: its offset");
	is_s64(g.t_ns, T0 + 7 * 64 * S, "popcorn: its time");

	/*
	 * Persistent change to 20 ms with falling delays: the first is refused
	 * (64 s < 128 s); the second is 128 s after the last used (not < 128 s)
	 * and the jitter now holds the first (six 20 ms differences: 20 ms):
	 * used.
	 */
	popcorn_setup(&f);
	ok(!ntp_filter_add(&f, 20 * MS, 0, 54 * MS, 1 * MS, T0 + 7 * 64 * S,
			   PREC, POLL), "step: first sample refused");
	ok(ntp_filter_add(&f, 20 * MS, 0, 53 * MS, 1 * MS, T0 + 8 * 64 * S,
			  PREC, POLL), "step: second sample used");
	is_s64(f.offset_ns, 20 * MS, "step: offset follows the change");

	/* Window: 2 polls after the last used the gate is open... */
	popcorn_setup(&f);
	g = f;
	ok(ntp_filter_add(&f, 50 * MS, 0, 50 * MS, 1 * MS, T0 + 6 * 64 * S + 128 * S,
			  PREC, POLL), "window: 128 s later at poll 64 s: used");
	/* ...but at poll 2^7 s the window is 256 s: a spike */
	ok(!ntp_filter_add(&g, 50 * MS, 0, 50 * MS, 1 * MS,
			   T0 + 6 * 64 * S + 128 * S, PREC, 7),
	   "window: 128 s later at poll 128 s: refused");
	/* sub-second polls: at 2^-1 s the window is 1 s */
	popcorn_setup(&f);
	g = f;
	ok(!ntp_filter_add(&f, 50 * MS, 0, 50 * MS, 1 * MS,
			   T0 + 6 * 64 * S + 999 * MS, PREC, -1),
	   "window: 0.999 s later at poll 0.5 s: refused");
	ok(ntp_filter_add(&g, 50 * MS, 0, 50 * MS, 1 * MS, T0 + 6 * 64 * S + S,
			  PREC, -1), "window: 1 s later at poll 0.5 s: used");
	/* absurd poll exponents are clamped: 2^17 s, 1 ns */
	popcorn_setup(&f);
	g = f;
	ok(!ntp_filter_add(&f, 50 * MS, 0, 50 * MS, 1 * MS, T0 + 7 * 64 * S,
			   PREC, INT_MAX), "poll INT_MAX: window 2^18 s, refused");
	ok(ntp_filter_add(&g, 50 * MS, 0, 50 * MS, 1 * MS, T0 + 7 * 64 * S,
			  PREC, INT_MIN), "poll INT_MIN: window 2 ns, used");

	/*
	 * Not armed with three valid stages: peer dispersion >= 31/256 MAXDISP
	 * = 1.94 s > MAXDIST, so a 50 ms step 64 s later is used.
	 */
	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 0, 0, 30 * MS, 1 * MS, T0, PREC, POLL);
	ntp_filter_add(&f, 0, 0, 29 * MS, 1 * MS, T0 + 64 * S, PREC, POLL);
	ok(ntp_filter_add(&f, 50 * MS, 0, 28 * MS, 1 * MS, T0 + 128 * S, PREC,
			  POLL), "not armed: third sample used despite the step");
	is_s64(f.n_spike, 0, "not armed: no spike counted");
}

static void test_sqrt(void)
{
	static const struct { u64 x; u64 root; } v[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 2 }, { 8, 2 },
		{ 9, 3 }, { 15, 3 }, { 16, 4 }, { 99, 9 }, { 100, 10 },
		{ 1000000000000000000ULL, 1000000000 },	/* (1e9)^2 */
		{ 999999999999999999ULL, 999999999 },
		{ 1ULL << 62, 1ULL << 31 },
		{ (1ULL << 62) - 1, (1ULL << 31) - 1 },
		/* (2^32 - 1)^2 = 2^64 - 2^33 + 1 */
		{ 0xfffffffe00000001ULL, 0xffffffffULL },
		{ 0xfffffffe00000000ULL, 0xfffffffeULL },
		{ U64_MAX, 0xffffffffULL },		/* floor(2^32 - 2^-33) */
	};
	unsigned int i, bad = 0;
	u64 x;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		is_s64(ntp_sqrt_u64(v[i].x), v[i].root, "sqrt(%llu)",
		       (unsigned long long)v[i].x);
	/* r = floor(sqrt(x)) iff r^2 <= x < (r + 1)^2, checked in 128 bits */
	for (x = 1; x < U64_MAX / 4; x = x * 3 + 7) {
		unsigned __int128 r = ntp_sqrt_u64(x);

		if (r * r > x || (r + 1) * (r + 1) <= x)
			bad++;
	}
	/* xorshift64 pseudo-random values over the whole range */
	for (i = 0, x = 88172645463325252ULL; i < 1000000; i++) {
		unsigned __int128 r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = ntp_sqrt_u64(x);
		if (r * r > x || (r + 1) * (r + 1) <= x)
			bad++;
	}
	for (i = 0; i < 100000; i++) {
		unsigned __int128 r = ntp_sqrt_u64(U64_MAX - i);

		if (r * r > U64_MAX - i || (r + 1) * (r + 1) <= U64_MAX - i)
			bad++;
	}
	is_s64(bad, 0, "sqrt: floor property over a sweep up to 2^64 - 1");
}

static void test_extremes(void)
{
	struct ntp_filter f;
	int k;

	/* any s64 pair of times; past 12 days PHI * age saturates */
	is_s64(ntp_disp_grow(0, S64_MIN, S64_MAX), MAXD,
	       "grow: S64_MIN to S64_MAX saturates");
	is_s64(ntp_disp_grow(5, S64_MAX, S64_MIN), 5, "grow: backwards adds 0");
	is_s64(ntp_disp_grow(MAXD - 1, 0, S), MAXD, "grow: capped at MAXDISP");
	is_s64(ntp_disp_grow(U64_MAX, 0, 0), MAXD, "grow: input capped");
	/*
	 * MAXDISP is reached after 16 s / 15e-6 = 1066666.67 s: at
	 * 1066666666666666 ns, * 15000 / 1e9 = 15999999999.99999, floor
	 * 15999999999 ns; 1 ns later 16000000000.000005, i.e. MAXDISP.
	 */
	is_s64(ntp_disp_grow(0, 0, 1066666666666666LL), MAXD - 1,
	       "grow: 1 ns under MAXDISP at 1066666.666666666 s");
	is_s64(ntp_disp_grow(0, 0, 1066666666666667LL), MAXD,
	       "grow: MAXDISP at 1066666.666666667 s");
	/*
	 * age * 15000 passes 2^64 at 1229782938247304 ns (2^64 / 15000 =
	 * 1229782938247303.4): a wrapped product would be tiny.
	 */
	is_s64(ntp_disp_grow(0, 0, 1229782938247304LL), MAXD,
	       "grow: no wrap of PHI * age past 2^64");
	is_s64(ntp_disp_grow(0, -1229782938247304LL, 0), MAXD,
	       "grow: same age from a negative time");

	ntp_filter_reset(&f, S64_MIN);
	/* epsilon U64_MAX -> MAXDISP: an invalid sample, nothing used */
	ok(!ntp_filter_add(&f, 1LL << 62, 0, S64_MAX, U64_MAX, S64_MIN, 0, POLL),
	   "extreme: sample at MAXDISP not used");
	is_s64(f.nvalid, 0, "extreme: and not valid");
	is_s64(f.stage[0].disp_ns, MAXD, "extreme: epsilon stored as MAXDISP");
	is_s64(f.disp_ns, EMPTY_0, "extreme: dispersion 255/256 MAXDISP");

	ok(ntp_filter_add(&f, -(1LL << 62), 0, S64_MAX - 1, 0, S64_MIN + 1, 0,
			  POLL), "extreme: -2^62 offset used");
	is_s64(f.offset_ns, -(1LL << 62), "extreme: offset -2^62");
	is_s64(f.delay_ns, S64_MAX - 1, "extreme: delay S64_MAX - 1");
	is_s64(f.jitter_ns, 0, "extreme: one valid stage, precision 0");
	ok(ntp_filter_add(&f, 1LL << 62, 0, S64_MAX - 2, 0, S64_MIN + 2, 0, POLL),
	   "extreme: +2^62 offset, lower delay, used");
	/*
	 * |2^62 - -2^62| = 2^63, >> 34 = 2^29 (< 2^30), squared and rooted
	 * back exactly: 2^29 << 34 = 2^63, capped at MAXDISP
	 */
	is_s64(f.jitter_ns, MAXD, "extreme: jitter saturates at MAXDISP");

	/*
	 * One huge difference among seven: offsets 0 (best, delay 1) and 2^62
	 * (delay 2), then six more 0 at higher delays. RMS = 2^62 / sqrt(7),
	 * far over MAXDISP: capped. (Capping each difference first would give
	 * 16e9 / sqrt(7) = 6.05 s, less than the truth.)
	 */
	ntp_filter_reset(&f, 0);
	ntp_filter_add(&f, 1LL << 62, 0, 2, 0, 1, 0, POLL);
	ntp_filter_add(&f, 0, 0, 1, 0, 2, 0, POLL);
	for (k = 3; k <= 8; k++)
		ntp_filter_add(&f, 0, 0, k, 0, k, 0, POLL);
	is_s64(f.nvalid, 8, "extreme: eight valid stages");
	is_s64(f.offset_ns, 0, "extreme: the delay 1 sample is used");
	is_s64(f.jitter_ns, MAXD, "extreme: one 2^62 difference: MAXDISP");

	/* offsets S64_MAX and S64_MIN: difference 2^64 - 1 in u64 */
	ntp_filter_reset(&f, 0);
	ntp_filter_add(&f, S64_MIN, 0, 2, 0, 1, 0, POLL);
	ntp_filter_add(&f, S64_MAX, 0, 1, 0, 2, 0, POLL);
	is_s64(f.jitter_ns, MAXD, "extreme: S64_MIN..S64_MAX jitter MAXDISP");
	is_s64(f.offset_ns, S64_MAX, "extreme: offset S64_MAX");

	/* delay S64_MIN floored at 0 (precision 0); precision U64_MAX capped */
	ntp_filter_reset(&f, T0);
	ntp_filter_add(&f, 7, 0, S64_MIN, 0, T0, 0, POLL);
	is_s64(f.stage[0].delay_ns, 0, "extreme: negative delay floored");
	ok(!ntp_filter_add(&f, 7, 0, S64_MIN, 0, T0 + S, U64_MAX, POLL),
	   "extreme: precision U64_MAX: sample at MAXDISP not used");
	is_s64(f.stage[0].delay_ns, MAXD, "extreme: delay floored at MAXDISP");
	is_s64(f.precision_ns, MAXD, "extreme: precision capped");

	/* armed gate against extreme steps and times */
	popcorn_setup(&f);
	ok(!ntp_filter_add(&f, S64_MIN, 0, 1, 0, T0 + 7 * 64 * S, PREC, POLL),
	   "extreme: S64_MIN step is a spike");
	ok(ntp_filter_add(&f, S64_MAX, 0, 1, 0, S64_MAX, PREC, POLL),
	   "extreme: at S64_MAX all else aged out, gate off: used");
	is_s64(f.offset_ns, S64_MAX, "extreme: offset S64_MAX used");
	is_s64(ntp_filter_disp_now(&f, S64_MIN), f.disp_ns,
	       "extreme: disp_now backwards unchanged");
}

/*
 * Corrections of our clock shift the samples (the selection works with what
 * is left), but the offset as measured stays what was measured.
 */
static void test_compensate(void)
{
	struct ntp_filter f;

	ntp_filter_reset(&f, T0);
	ok(ntp_filter_add(&f, 3 * MS, 1 * MS, 2 * MS, 0, T0 + S, PREC, POLL),
	   "compensate: a sample measured at 4 ms with 1 ms still to slew is used");
	is_s64(f.offset_ns, 3 * MS, "compensate: the offset is net of the slew left");
	is_s64(ntp_filter_measured(&f), 4 * MS, "compensate: measured 4 ms");
	ntp_filter_compensate(&f, 3 * MS, 0, T0 + 2 * S);
	is_s64(f.offset_ns, 0, "compensate: 3 ms corrected: nothing left");
	is_s64(ntp_filter_measured(&f), 4 * MS, "compensate: still measured at 4 ms");
	is_s64(f.stage[0].offset_ns + f.stage[0].corr_ns, 4 * MS,
	       "compensate: the stage keeps its measurement too");
	ntp_filter_compensate(&f, -LLONG_MAX, 0, T0 + 2 * S);
	ntp_filter_compensate(&f, -LLONG_MAX, 0, T0 + 2 * S);
	is_s64(f.corr_ns, LLONG_MIN, "compensate: the sum saturates");
}

/*
 * A change of frequency rebases the samples on it. A clock 30 ppm fast: the
 * offsets fall by 30 us a second - 0 at 1 s, -1.92 ms at 65 s - and the
 * first, with the lower delay, stays the pick. At 129 s (the clock now
 * 3.84 ms ahead) the discipline slows it by 30 ppm: had it run so all along,
 * both samples would have read -3.84 ms, what the clock's offset is now, so
 * the pick hands that out, not the 0 of two minutes ago, and the jitter
 * the drift made is gone. With a correction, both apply: undone, and the
 * clock corrected by its offset, the samples read as measured, less that.
 */
static void test_rebase(void)
{
	struct ntp_filter f;

	ntp_filter_reset(&f, T0);
	ok(ntp_filter_add(&f, 0, 0, 2 * MS, 0, T0 + S, PREC, POLL),
	   "rebase: the first sample is used");
	ntp_filter_add(&f, -1920 * US, 0, 3 * MS, 0, T0 + 65 * S, PREC, POLL);
	is_s64(f.offset_ns, 0, "rebase: the pick is the first sample, 0");
	is_s64(f.jitter_ns, 1920 * US, "rebase: the drift is jitter, 1.92 ms");
	ntp_filter_compensate(&f, 0, -30 * 1000, T0 + 129 * S);
	is_s64(f.stage[1].offset_ns, -3840 * US,
	       "rebase: the first sample reads -3.84 ms (128 s of 30 ppm)");
	is_s64(f.stage[0].offset_ns, -3840 * US,
	       "rebase: the second reads -3.84 ms too (64 s more)");
	is_s64(f.offset_ns, -3840 * US, "rebase: so does the pick");
	is_s64(f.jitter_ns, PREC, "rebase: no jitter left but the precision");
	is_s64(ntp_filter_measured(&f), 0,
	       "rebase: the pick as measured is still 0");
	is_s64(f.stage[0].offset_ns + f.stage[0].corr_ns, -1920 * US,
	       "rebase: a stage as measured too");
	ntp_filter_compensate(&f, -3840 * US, 30 * 1000, T0 + 129 * S);
	is_s64(f.stage[1].offset_ns, 3840 * US,
	       "rebase: corrected by -3.84 ms, the frequency change undone: +3.84 ms");
	is_s64(f.stage[0].offset_ns, 1920 * US,
	       "rebase: and the second +1.92 ms (measured less the correction)");
	is_s64(f.offset_ns, 3840 * US, "rebase: the pick follows its stage");
	is_s64(f.jitter_ns, 1920 * US, "rebase: the jitter is back");
	is_s64(ntp_filter_measured(&f), 0, "rebase: measured: 0 still");
}

int main(void)
{
	test_fresh();
	test_min_delay();
	test_disp();
	test_jitter();
	test_missed();
	test_popcorn();
	test_sqrt();
	test_extremes();
	test_compensate();
	test_rebase();
	return done();
}
