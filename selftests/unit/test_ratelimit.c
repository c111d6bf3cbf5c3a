// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of rate limiting's decision for one source
 * (kmod/core/ratelimit.c). Expected values are worked out in the comments.
 */
#include "ratelimit.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
#define T0	(3600 * S)	/* an arbitrary monotonic time, ns */

/* A draw the leak never picks (low bits not all zero) and one it does. */
#define MISS	1U
#define HIT	0U

static const struct ntp_rl_cfg dflt = { .interval = 3, .burst = 8, .leak = 2 };

static void test_period(void)
{
	is_s64(ntp_rl_period_ns(3), 8 * S, "interval 3: 8 s");
	is_s64(ntp_rl_period_ns(0), S, "interval 0: 1 s");
	is_s64(ntp_rl_period_ns(12), 4096 * S, "interval 12: 4096 s");
	is_s64(ntp_rl_period_ns(-1), S / 2, "interval -1: 0.5 s");
	/* 10^9 / 2^19 = 1907.35 -> 1907 */
	is_s64(ntp_rl_period_ns(-19), 1907, "interval -19: 1907 ns");
	is_s64(ntp_rl_period_ns(-60), 1, "far below: at least 1 ns");
}

static void test_burst_then_limit(void)
{
	struct ntp_rl_bucket b;
	int i, answered = 0;

	ntp_rl_start(&b, &dflt, T0);
	is_s64(b.tokens, 8, "a new source starts with its burst");
	for (i = 0; i < 8; i++)
		answered += ntp_rl_decide(&b, &dflt, T0, MISS) == NTP_RL_ANSWER;
	is_s64(answered, 8, "8 back to back: all answered");
	is_s64(ntp_rl_decide(&b, &dflt, T0, MISS), NTP_RL_DROP,
	       "the 9th at once: dropped");
	is_s64(ntp_rl_decide(&b, &dflt, T0 + 8 * S - 1, MISS), NTP_RL_DROP,
	       "1 ns short of a period: still dropped");
	is_s64(ntp_rl_decide(&b, &dflt, T0 + 8 * S, MISS), NTP_RL_ANSWER,
	       "one period later: one more answer");
	is_s64(ntp_rl_decide(&b, &dflt, T0 + 8 * S, MISS), NTP_RL_DROP,
	       "and only one");
	/* 3.5 periods later: 3 gained, the half period is kept */
	ntp_rl_refill(&b, &dflt, T0 + 8 * S + 28 * S);
	is_s64(b.tokens, 3, "3.5 periods: 3 answers gained");
	is_s64(b.last_ns, T0 + 8 * S + 24 * S, "the half period is kept");
	ntp_rl_refill(&b, &dflt, T0 + 8 * S + 32 * S);
	is_s64(b.tokens, 4, "the kept half and another make a 4th");
	/* long idle: full, not more */
	ntp_rl_refill(&b, &dflt, T0 + 10000 * S);
	is_s64(b.tokens, 8, "long idle: full, never above the burst");
}

static void test_time_backwards(void)
{
	struct ntp_rl_bucket b;

	ntp_rl_start(&b, &dflt, T0);
	b.tokens = 0;
	ntp_rl_refill(&b, &dflt, T0 - 100 * S);
	is_s64(b.tokens, 0, "a time before the last: nothing gained");
	is_s64(b.last_ns, T0, "and the last time kept");
}

/* A flood at 10000/s for 10 s: answered within the limit <= 8 + 10/8. */
static void test_flood_bound(void)
{
	const struct ntp_rl_cfg c = { .interval = 3, .burst = 8, .leak = 0 };
	struct ntp_rl_bucket b;
	long i, n[4] = { 0 };

	ntp_rl_start(&b, &c, T0);
	for (i = 0; i < 100000; i++)
		n[ntp_rl_decide(&b, &c, T0 + i * (S / 10000), MISS)]++;
	/* 10 s: the burst of 8, plus 1 at 8 s */
	is_s64(n[NTP_RL_ANSWER], 9, "flood 10 s at 10000/s: 8 + 1 answered");
	is_s64(n[NTP_RL_DROP], 100000 - 9, "the rest dropped");
	is_s64(n[NTP_RL_LEAK] + n[NTP_RL_KISS], 0, "leak 0, no kod: none else");
}

static void test_leak(void)
{
	const struct ntp_rl_cfg c = { .interval = 3, .burst = 1, .leak = 2 };
	struct ntp_rl_bucket b;
	u32 r;
	int leaked = 0;

	ntp_rl_start(&b, &c, T0);
	ntp_rl_decide(&b, &c, T0, MISS);
	/* leak 2: the draws whose low 2 bits are 0: one in 4 of 0..15 */
	for (r = 0; r < 16; r++)
		leaked += ntp_rl_decide(&b, &c, T0, r) == NTP_RL_LEAK;
	is_s64(leaked, 4, "leak 2: 4 of 16 draws answered");
	is_s64(b.tokens, 0, "a leaked answer costs nothing");
	is_s64(ntp_rl_decide(&b, &c, T0, HIT), NTP_RL_LEAK, "draw 0 leaks");
	{
		const struct ntp_rl_cfg z = { .interval = 3, .burst = 1 };

		is_s64(ntp_rl_decide(&b, &z, T0, HIT), NTP_RL_DROP,
		       "leak 0: never, whatever the draw");
	}
	{
		const struct ntp_rl_cfg l4 = { .interval = 3, .burst = 1,
					       .leak = 4 };

		is_s64(ntp_rl_decide(&b, &l4, T0, 8), NTP_RL_DROP,
		       "leak 4: draw 8 (low 4 bits not 0) dropped");
		is_s64(ntp_rl_decide(&b, &l4, T0, 16), NTP_RL_LEAK,
		       "leak 4: draw 16 answered");
	}
}

static void test_kod(void)
{
	const struct ntp_rl_cfg c = { .interval = 3, .burst = 2, .kod = true };
	struct ntp_rl_bucket b;
	int i, kisses = 0;

	ntp_rl_start(&b, &c, T0);
	ntp_rl_decide(&b, &c, T0, MISS);
	ntp_rl_decide(&b, &c, T0, MISS);
	is_s64(ntp_rl_decide(&b, &c, T0, MISS), NTP_RL_KISS,
	       "kod: the first over the limit is kissed");
	is_s64(ntp_rl_decide(&b, &c, T0 + S, MISS), NTP_RL_DROP,
	       "kod: the next within the period is dropped");
	ok(ntp_rl_active(&b, &c, T0 + S), "active while limiting");
	/* 10000/s for 20 s with burst 2: kisses at 0 (above), 8, 16 s */
	for (i = 1; i < 200000; i++)
		kisses += ntp_rl_decide(&b, &c, T0 + i * (S / 10000), MISS) ==
			  NTP_RL_KISS;
	is_s64(kisses, 2, "kod: one kiss per period (8 s, 16 s) over 20 s");
}

static void test_active(void)
{
	struct ntp_rl_bucket b;

	ntp_rl_start(&b, &dflt, T0);
	ok(!ntp_rl_active(&b, &dflt, T0), "a full bucket is not active");
	ntp_rl_decide(&b, &dflt, T0, MISS);
	ok(ntp_rl_active(&b, &dflt, T0 + 7 * S), "one used: active for 8 s");
	ok(!ntp_rl_active(&b, &dflt, T0 + 8 * S), "full again after 8 s");
}

static void test_kiss_packet(void)
{
	const struct ntp_rl_cfg c = { .interval = 5, .burst = 8 };
	struct ntp_packet r;

	memset(&r, 0, sizeof(r));
	r.leap = NTP_LEAP_NONE;
	r.stratum = 2;
	r.mode = 4;
	r.poll = 3;
	r.org_ts = 0x1234567800000001ULL;
	r.ref_ts = 42;
	ntp_rl_kiss(&r, &c);
	is_s64(r.leap, NTP_LEAP_NOSYNC, "kiss: leap 3");
	is_s64(r.stratum, 0, "kiss: stratum 0");
	ok(!memcmp(r.refid, "RATE", 4), "kiss: refid RATE");
	is_s64(r.mode, 4, "kiss: mode kept");
	is_s64(r.org_ts, 0x1234567800000001LL, "kiss: origin kept");
	is_s64(r.poll, 5, "kiss: poll raised to the interval");
	is_s64(r.ref_ts, 0, "kiss: no reference time");
	r.poll = 7;
	ntp_rl_kiss(&r, &c);
	is_s64(r.poll, 7, "kiss: a longer poll is kept");
}

int main(void)
{
	test_period();
	test_burst_then_limit();
	test_time_backwards();
	test_flood_bound();
	test_leak();
	test_kod();
	test_active();
	test_kiss_packet();
	return done();
}
