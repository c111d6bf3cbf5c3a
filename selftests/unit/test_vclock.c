// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the virtual clock (kmod/core/vclock.c). Every expected value
 * is worked out by hand in the comment next to it.
 */
#include "vclock.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
#define US	1000LL		/* ns per us */
#define T0	(1700000000LL * S)	/* an arbitrary Unix time, ns */
#define DAY	(86400 * S)

static void act(struct ntp_vclock *c, s64 ref, s64 step, s64 freq, s64 slew,
		s64 dur)
{
	struct ntp_disc_action a = {
		.step_ns = step, .freq_ppb = freq,
		.slew_ns = slew, .slew_dur_ns = dur,
	};

	ntp_vclock_apply(c, ref, &a);
}

static void test_offset_and_rate(void)
{
	struct ntp_vclock c;

	ntp_vclock_init(&c, T0, 5 * MS);
	is_s64(ntp_vclock_read(&c, T0), T0 + 5 * MS, "init: offset at once");
	is_s64(ntp_vclock_read(&c, T0 + 10 * S), T0 + 10 * S + 5 * MS,
	       "init: runs with the reference");
	/* 100 ppm for 10 s is 1 ms */
	ntp_vclock_inject(&c, T0, 0, 100000);
	is_s64(ntp_vclock_read(&c, T0 + 10 * S), T0 + 10 * S + 6 * MS,
	       "error 100 ppm: +1 ms in 10 s");
	/* and before the base, the same line backwards: -1 ms in -10 s */
	is_s64(ntp_vclock_read(&c, T0 - 10 * S), T0 - 10 * S + 4 * MS,
	       "error 100 ppm: extends backwards");
	/* inject steps on top: 5 ms + 1 ms (10 s at 100 ppm) + 2 ms */
	ntp_vclock_inject(&c, T0 + 10 * S, 2 * MS, 100000);
	is_s64(ntp_vclock_read(&c, T0 + 10 * S), T0 + 10 * S + 8 * MS,
	       "inject: steps by the offset");
	/* the discipline's frequency adds to the error: 100 - 100 ppm */
	act(&c, T0 + 10 * S, 0, -100000, 0, 0);
	is_s64(ntp_vclock_read(&c, T0 + 1010 * S), T0 + 1010 * S + 8 * MS,
	       "freq cancels the error: no drift in 1000 s");
}

static void test_sub_ns(void)
{
	struct ntp_vclock c;

	/* 1 ppb: 0.5 ns after 0.5 s (read 0), 1 ns after 1 s, 1.5 -> 1 */
	ntp_vclock_init(&c, T0, 0);
	ntp_vclock_inject(&c, T0, 0, 1);
	is_s64(ntp_vclock_read(&c, T0 + S / 2) - (T0 + S / 2), 0,
	       "1 ppb: 0.5 ns rounds down to 0");
	is_s64(ntp_vclock_read(&c, T0 + S) - (T0 + S), 1, "1 ppb: 1 ns in 1 s");
	is_s64(ntp_vclock_read(&c, T0 + 3 * S / 2) - (T0 + 3 * S / 2), 1,
	       "1 ppb: 1.5 ns rounds down to 1");
	/* -1 ppb: -0.5 ns rounds down to -1 */
	ntp_vclock_inject(&c, T0, 0, -1);
	is_s64(ntp_vclock_read(&c, T0 + S / 2) - (T0 + S / 2), -1,
	       "-1 ppb: -0.5 ns rounds down to -1");
	/*
	 * Rebasing every 0.5 s keeps the half ns: after 4 rebases (2 s) the
	 * clock is 2 ns ahead, not 0 (as rounding at each rebase would give).
	 */
	ntp_vclock_init(&c, T0, 0);
	ntp_vclock_inject(&c, T0, 0, 1);
	ntp_vclock_inject(&c, T0 + S / 2, 0, 1);
	ntp_vclock_inject(&c, T0 + S, 0, 1);
	ntp_vclock_inject(&c, T0 + 3 * S / 2, 0, 1);
	is_s64(ntp_vclock_read(&c, T0 + 2 * S) - (T0 + 2 * S), 2,
	       "rebases carry fractions of a ns");
}

static void test_slew(void)
{
	struct ntp_vclock c;

	/* 1 ms over 10 s: 100 ppm; half way 0.5 ms */
	ntp_vclock_init(&c, T0, 0);
	act(&c, T0, 0, 0, 1 * MS, 10 * S);
	is_s64(c.slew_ppb, 100000, "slew: rate 1 ms / 10 s = 100000 ppb");
	is_s64(ntp_vclock_read(&c, T0 + 5 * S) - (T0 + 5 * S), 500 * US,
	       "slew: half done after half the time");
	is_s64(ntp_vclock_read(&c, T0 + 10 * S) - (T0 + 10 * S), 1 * MS,
	       "slew: done at its end");
	is_s64(ntp_vclock_read(&c, T0 + 1000 * S) - (T0 + 1000 * S), 1 * MS,
	       "slew: nothing more after its end");
	/* with 10 ppm of frequency: 1 ms + 20 s * 10 ppm = 1.2 ms at 20 s */
	act(&c, T0, 0, 10000, 1 * MS, 10 * S);
	is_s64(ntp_vclock_read(&c, T0 + 20 * S) - (T0 + 20 * S), 1200 * US,
	       "slew ends, frequency goes on");
	/*
	 * 10 ms over 3 s: 3333333 ppb (rounded toward zero), which makes
	 * 3 * 3333333 = 9999999 ns by the end: read long after the end, the
	 * slew counts exactly that.
	 */
	act(&c, T0, 0, 0, 10 * MS, 3 * S);
	is_s64(c.slew_ppb, 3333333, "slew: 10 ms / 3 s = 3333333 ppb");
	is_s64(ntp_vclock_read(&c, T0 + 3 * DAY) - (T0 + 3 * DAY), 9999999,
	       "slew: counted exactly up to its end, read 3 days later");
	/* a negative slew: -1 ms over 4 s, a quarter after 1 s */
	act(&c, T0, 0, 0, -1 * MS, 4 * S);
	is_s64(ntp_vclock_read(&c, T0 + S) - (T0 + S), -250 * US,
	       "negative slew: -250 us after 1 s of 4");
}

static void test_replace_and_step(void)
{
	struct ntp_vclock c;

	/* 1 ms over 10 s; at 5 s (0.5 ms done) a new action with no slew */
	ntp_vclock_init(&c, T0, 0);
	act(&c, T0, 0, 0, 1 * MS, 10 * S);
	act(&c, T0 + 5 * S, 0, 0, 0, 0);
	is_s64(ntp_vclock_read(&c, T0 + 10 * S) - (T0 + 10 * S), 500 * US,
	       "a new action replaces the rest of the slew");
	/* step +1 s and -3 s */
	act(&c, T0 + 10 * S, 1 * S, 0, 0, 0);
	is_s64(ntp_vclock_read(&c, T0 + 10 * S) - (T0 + 10 * S),
	       1 * S + 500 * US, "step +1 s");
	act(&c, T0 + 10 * S, -3 * S, 0, 0, 0);
	is_s64(ntp_vclock_read(&c, T0 + 11 * S) - (T0 + 11 * S),
	       -2 * S + 500 * US, "step -3 s");
	/* inject during a slew: the slew goes on (2 ms over 2 s, 1 s in) */
	ntp_vclock_init(&c, T0, 0);
	act(&c, T0, 0, 0, 2 * MS, 2 * S);
	ntp_vclock_inject(&c, T0 + S, 7 * MS, 0);
	is_s64(ntp_vclock_read(&c, T0 + 5 * S) - (T0 + 5 * S), 9 * MS,
	       "inject keeps the slew in progress: 2 ms + 7 ms");
}

/* Rebases at odd moments change no read, before or after them. */
static void test_rebase_exact(void)
{
	struct ntp_vclock a, b;
	s64 t;
	int bad = 0;

	ntp_vclock_init(&a, T0, 123456789);
	ntp_vclock_inject(&a, T0, 0, -333333);	/* -333.333 ppm */
	act(&a, T0, 0, 77777, 7 * MS, 9876543211LL);
	b = a;
	for (t = T0 + 1; t < T0 + 40 * S; t += 777777777) {
		ntp_vclock_inject(&b, t, 0, b.err_ppb);
		if (ntp_vclock_read(&a, t) != ntp_vclock_read(&b, t))
			bad++;
		if (ntp_vclock_read(&a, t + 12345) !=
		    ntp_vclock_read(&b, t + 12345))
			bad++;
	}
	is_s64(bad, 0, "rebases (52 of them, across a slew's end) move nothing");
}

/* Every ns around a slew's end and across a rebase: never backwards. */
static void test_monotonic(void)
{
	struct ntp_vclock c;
	s64 t, prev, v;
	int bad = 0;

	ntp_vclock_init(&c, T0, 0);
	ntp_vclock_inject(&c, T0, 0, -NTP_VCLOCK_MAX_PPB);
	act(&c, T0, 0, -NTP_MAXFREQ_PPB, -5 * MS, 60 * MS);
	prev = ntp_vclock_read(&c, T0 + 60 * MS - 5000);
	for (t = T0 + 60 * MS - 4999; t < T0 + 60 * MS + 5000; t++) {
		v = ntp_vclock_read(&c, t);
		if (v < prev)
			bad++;
		prev = v;
	}
	is_s64(bad, 0, "slowest rates: monotonic across the slew's end");
	/* the slope there is 1 - 0.25 - 0.0005 - 0.0833: 10^4 ns -> 6662 */
	is_s64(ntp_vclock_read(&c, T0 + 60 * MS) -
	       ntp_vclock_read(&c, T0 + 60 * MS - 10000), 6662,
	       "slowest rates: 10 us of reference is 6.662 us");
}

static void test_long_spans(void)
{
	struct ntp_vclock c;
	s64 v;

	/* 1000 ppm for 3 days = 259.2 s */
	ntp_vclock_init(&c, T0, 0);
	ntp_vclock_inject(&c, T0, 0, 1000000);
	is_s64(ntp_vclock_read(&c, T0 + 3 * DAY) - (T0 + 3 * DAY),
	       259200 * MS, "1000 ppm for 3 days: 259.2 s");
	/*
	 * The fastest slew for 2 days on top of 1000 ppm + 500 ppm: a slew of
	 * 14400 s over 172800 s is 83333333 ppb exactly (1/12); after 3 days:
	 * 14399.9999424 s of slew (172800 * 83333333 ns) + 1.5e-3 * 259200 s.
	 */
	act(&c, T0, 0, NTP_MAXFREQ_PPB, 14400 * S, 2 * DAY);
	is_s64(ntp_vclock_read(&c, T0 + 3 * DAY) - (T0 + 3 * DAY),
	       172800LL * 83333333 + 388800 * MS,
	       "max slew for 2 days + 1500 ppm for 3 days");
	/*
	 * Largest rates for 100 years (3.15576e9 s): 0.25 + 0.25 + 0.25 of it
	 * is ahead: no overflow (UBSan), and exactly 3/4 of the span.
	 */
	ntp_vclock_init(&c, 0, 0);
	ntp_vclock_inject(&c, 0, 0, NTP_VCLOCK_MAX_PPB);
	act(&c, 0, 0, NTP_VCLOCK_MAX_PPB, 1 * S, 4 * S);	/* 1/4 */
	c.slew_end_ns = S64_MAX;	/* a slew that never ends */
	v = ntp_vclock_read(&c, 3155760000LL * S);
	is_s64(v, 3155760000LL * S / 4 * 7, "100 years at +75 %%: 1.75 x");
	/* rates beyond the clamp are clamped: 2e9 ppb -> 2.5e8 */
	ntp_vclock_inject(&c, 0, 0, 2 * S);
	is_s64(c.err_ppb, NTP_VCLOCK_MAX_PPB, "error clamped to 25 %%");
	/* a slew duration that would pass S64_MAX ends there */
	ntp_vclock_init(&c, S64_MAX - 2 * S, 0);
	act(&c, S64_MAX - S, 0, 0, 1, S64_MAX);
	is_s64(c.slew_end_ns, S64_MAX, "slew end saturates");
}

static void test_rate_helpers(void)
{
	is_s64(ntp_ppb_rate(1, 3), 333333333, "rate: 1/3 s/s");
	is_s64(ntp_ppb_rate(-1, 3), -333333333, "rate: rounds toward zero");
	is_s64(ntp_ppb_rate(1000 * S, 1), 1LL << 62, "rate: saturates");
	is_s64(ntp_ppb_rate(5, 0), 0, "rate: no duration, 0");
	/* 1 ns over 2^60 ns: 10^9 / 2^60 < 1 */
	is_s64(ntp_ppb_rate(1, 1LL << 60), 0, "rate: long duration");
	/* 2^60 ns over 2^61 ns is 1/2, exactly, after scaling down */
	is_s64(ntp_ppb_rate(1LL << 60, 1LL << 61), 500000000,
	       "rate: long duration, exact half");
	is_s64(ntp_ppb_scale(-3 * S / 2, 1000), -1500, "scale: -1.5 s at 1 ppm");
	is_s64(ntp_ppb_scale(1, 999999999), 0, "scale: rounds toward zero");
	is_s64(ntp_ppb_scale(1000 * DAY, 1LL << 33),
	       1000LL * 86400 * (1LL << 33), "scale: 1000 days at 2^33 ppb");
}

/*
 * However often it is stepped or given an offset, however large, the clock
 * stays within 2^61 ns of its reference: no s64 ever wraps.
 */
static void test_offset_bound(void)
{
	struct ntp_vclock c;
	s64 ref = 1700000000LL * 1000000000LL;
	struct ntp_disc_action a = { .step_ns = S64_MAX };
	int i;

	ntp_vclock_init(&c, ref, 0);
	for (i = 0; i < 3; i++)
		ntp_vclock_inject(&c, ref, S64_MAX, 0);
	ok(ntp_vclock_read(&c, ref) - ref == (s64)1 << 61,
	   "bound: offsets saturate at +2^61 ns");
	ntp_vclock_apply(&c, ref, &a);
	ok(ntp_vclock_read(&c, ref) - ref == (s64)1 << 61,
	   "bound: so do steps");
	ntp_vclock_inject(&c, ref, S64_MIN, 0);
	ntp_vclock_inject(&c, ref, S64_MIN, 0);
	ok(ntp_vclock_read(&c, ref) - ref == -((s64)1 << 61),
	   "bound: and at -2^61 ns");
	ntp_vclock_inject(&c, ref, ((s64)1 << 61) + 5, 0);
	ok(ntp_vclock_read(&c, ref) - ref == 5, "bound: and come back exactly");
}

int main(void)
{
	test_offset_and_rate();
	test_sub_ns();
	test_slew();
	test_replace_and_step();
	test_rebase_exact();
	test_monotonic();
	test_long_spans();
	test_rate_helpers();
	test_offset_bound();
	return done();
}
