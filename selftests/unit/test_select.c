// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the system process's choice of sources (kmod/core/select.c)
 * and of MD5 (kmod/core/md5.c). Every expected value is derived by hand in
 * the comment next to it; MD5 digests are RFC 1321's test suite, or were
 * computed with `printf ... | md5sum` on the build machine.
 */
#include <limits.h>
#include <stdio.h>
#include "select.h"
#include "md5.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
#define US	1000LL		/* ns per us */
#define POLL	6		/* 64 s: PHI * 2^6 = 960 us */
#define HALF_MINDISP	(NTP_MINDISP_NS / 2)	/* 2.5 ms */

/*
 * A fit stratum 2 candidate with zero delays, so that its root distance is
 * MINDISP / 2 + root_disp: root_disp is chosen to make it dist_ns.
 */
static struct ntp_cand cand(u32 id, s64 offset_ns, u64 dist_ns)
{
	struct ntp_cand c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.offset_ns = offset_ns;
	c.root_disp_ns = dist_ns - HALF_MINDISP;
	c.stratum = 2;
	c.leap = NTP_LEAP_NONE;
	c.reach = 0xff;
	c.has_sample = true;
	c.tally = 0xee;		/* ntp_select() must overwrite */
	c.reject = 0xee;
	return c;
}

static int sel(struct ntp_cand *c, int n, u32 prev, struct ntp_select_result *r)
{
	return ntp_select(c, n, POLL, prev, r);
}

static void test_root_dist(void)
{
	struct ntp_cand c;

	memset(&c, 0, sizeof(c));
	/* (20 + 10) / 2 + 3 + 1 + 0.5 ms */
	c.root_delay_ns = 20 * MS;
	c.delay_ns = 10 * MS;
	c.root_disp_ns = 3 * MS;
	c.disp_ns = 1 * MS;
	c.jitter_ns = 500 * US;
	is_s64(ntp_root_dist(&c), 19500 * US, "root dist: 30/2 + 3 + 1 + 0.5 ms");

	/* 2 + 1 ms is below MINDISP: 5 / 2 + 3 + 1 + 0.5 ms */
	c.root_delay_ns = 2 * MS;
	c.delay_ns = 1 * MS;
	is_s64(ntp_root_dist(&c), 7 * MS, "root dist: MINDISP floor");

	/* an odd sum halves downwards: 10000001 / 2 = 5000000 */
	memset(&c, 0, sizeof(c));
	c.delay_ns = 10000001;
	is_s64(ntp_root_dist(&c), 5000000, "root dist: odd sum rounds down");

	/* a negative delay subtracts: (10 - 3) / 2 ms */
	c.root_delay_ns = 10 * MS;
	c.delay_ns = -3 * MS;
	is_s64(ntp_root_dist(&c), 3500 * US, "root dist: negative delay");
	c.delay_ns = S64_MIN;
	is_s64(ntp_root_dist(&c), HALF_MINDISP,
	       "root dist: delay S64_MIN floors at MINDISP / 2");

	/* saturated sum U64_MAX halves to 2^63 - 1, nothing else added */
	c.root_delay_ns = U64_MAX;
	c.delay_ns = S64_MAX;
	is_s64(ntp_root_dist(&c), S64_MAX, "root dist: delay sum saturates");
	c.root_disp_ns = U64_MAX;
	ok(ntp_root_dist(&c) == U64_MAX, "root dist: saturates at U64_MAX");
	memset(&c, 0, sizeof(c));
	c.jitter_ns = U64_MAX - 1;
	ok(ntp_root_dist(&c) == U64_MAX, "root dist: jitter saturates");
}

static void test_fit(void)
{
	/* threshold at poll 6: MAXDIST + PHI * 64 s = 1 s + 960 us */
	const u64 maxd = NTP_MAXDIST_NS + 960 * US;
	struct ntp_cand c[12];
	struct ntp_select_result r;
	int i;

	for (i = 0; i < 12; i++)
		c[i] = cand(i + 1, 0, 10 * MS);
	c[0].has_sample = false;		/* NOSAMPLE */
	c[1].reach = 0x08;			/* answered 4 polls ago only */
	c[2].leap = NTP_LEAP_NOSYNC;		/* UNSYNC */
	c[3].stratum = NTP_MAXSTRAT;		/* UNSYNC */
	c[4] = cand(5, 0, maxd + 1);		/* DISTANCE */
	c[5].loop = true;			/* LOOP */
	c[6].reach = 0x04;			/* fit: answered 2 polls ago */
	c[7] = cand(8, 0, maxd);		/* fit: exactly at threshold */
	c[8].stratum = NTP_MAXSTRAT - 1;	/* fit */
	/* several faults: the first in rule order is the reason */
	c[9].has_sample = false;
	c[9].reach = 0;
	c[10].reach = 0xf0;
	c[10].leap = NTP_LEAP_NOSYNC;
	c[11] = cand(12, 0, maxd + 1);
	c[11].loop = true;
	c[11].stratum = NTP_MAXSTRAT;

	sel(c, 12, 0, &r);
	is_s64(c[0].reject, NTP_REJ_NOSAMPLE, "fit: no sample");
	is_s64(c[1].reject, NTP_REJ_UNREACH,
	       "fit: last 3 polls unanswered is unreachable (reach 0x08)");
	is_s64(c[2].reject, NTP_REJ_UNSYNC, "fit: leap 3");
	is_s64(c[3].reject, NTP_REJ_UNSYNC, "fit: stratum 16");
	is_s64(c[4].reject, NTP_REJ_DISTANCE, "fit: distance 1 ns over");
	is_s64(c[4].root_dist_ns, maxd + 1, "fit: root distance reported");
	is_s64(c[5].reject, NTP_REJ_LOOP, "fit: loop");
	is_s64(c[6].reject, NTP_REJ_NONE, "fit: reach 0x04 is reachable");
	is_s64(c[7].reject, NTP_REJ_NONE, "fit: distance at threshold");
	is_s64(c[8].reject, NTP_REJ_NONE, "fit: stratum 15");
	is_s64(c[9].reject, NTP_REJ_NOSAMPLE, "fit: nosample before unreach");
	is_s64(c[10].reject, NTP_REJ_UNREACH, "fit: unreach before unsync");
	is_s64(c[11].reject, NTP_REJ_UNSYNC,
	       "fit: unsync before distance and loop");
	for (i = 0; i < 12; i++)
		if (c[i].reject != NTP_REJ_NONE &&
		    c[i].tally != NTP_TALLY_REJECT)
			break;
	ok(i == 12, "fit: every unfit candidate has tally REJECT");
	/* fit: 7 (id 7), 8 (id 8, distance 1 s), 9 (stratum 15) */
	is_s64(r.survivors, 3, "fit: three survive");
	is_s64(r.sys_peer, 6, "fit: the best fit candidate is system peer");

	c[0] = cand(1, 0, 10 * MS);
	c[0].loop = true;
	/* poll 127 is capped at MAXPOLL 17: 1 s + 15 us * 131072 = 2.96608 s */
	c[1] = cand(2, 0, NTP_MAXDIST_NS + 1966 * MS);
	is_s64(ntp_select(c, 2, 127, 0, &r), 1,
	       "fit: sys_poll 127 capped, 2.966 s distance fits");
	is_s64(c[0].tally, NTP_TALLY_REJECT, "fit: loop rejected at any poll");
	c[1] = cand(2, 0, NTP_MAXDIST_NS + 1967 * MS);
	is_s64(ntp_select(c, 2, 127, 0, &r), -1,
	       "fit: 1 s + 1967 ms over the MAXPOLL threshold");
	is_s64(c[1].reject, NTP_REJ_DISTANCE, "fit: distance at poll 127");
	c[1] = cand(2, 0, NTP_MAXDIST_NS + 1);
	is_s64(ntp_select(c, 2, -128, 0, &r), -1,
	       "fit: sys_poll -128, threshold MAXDIST exactly");
	c[1] = cand(2, 0, NTP_MAXDIST_NS);
	is_s64(ntp_select(c, 2, -128, 0, &r), 1,
	       "fit: sys_poll -128, MAXDIST fits");

	is_s64(ntp_select(c, 0, POLL, 0, &r), -1, "no candidates: none");
	ok(r.sys_peer == -1 && r.survivors == 0 && r.offset_ns == 0,
	   "no candidates: empty result");
}

static void test_one_falseticker(void)
{
	struct ntp_cand c[4], c3[3];
	struct ntp_select_result r, r3;
	int i;

	/* three at -1, 0, +1 ms and one 100 ms off, all 10 ms distance */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 100 * MS, 10 * MS);
	c[2] = cand(3, 1 * MS, 10 * MS);
	c[3] = cand(4, -1 * MS, 10 * MS);
	is_s64(sel(c, 4, 0, &r), 0, "1 of 4: system peer id 1 (lowest id)");
	is_s64(c[1].tally, NTP_TALLY_FALSETICKER, "1 of 4: 100 ms is x");
	is_s64(c[1].reject, NTP_REJ_NONE, "1 of 4: x passed the fit test");
	is_s64(c[2].tally, NTP_TALLY_CANDIDATE, "1 of 4: +1 ms is +");
	is_s64(c[3].tally, NTP_TALLY_CANDIDATE, "1 of 4: -1 ms is +");
	is_s64(r.survivors, 3, "1 of 4: three survivors");
	/* equal weights: (0 + 1 - 1) / 3 */
	is_s64(r.offset_ns, 0, "1 of 4: combined offset 0");

	for (i = 0; i < 3; i++)
		c3[i] = c[i ? i + 1 : 0];
	sel(c3, 3, 0, &r3);
	is_s64(r.offset_ns, r3.offset_ns,
	       "1 of 4: same offset as without the falseticker");
	is_s64(r.jitter_ns, r3.jitter_ns,
	       "1 of 4: same jitter as without the falseticker");
	/* psi_sel = sqrt((1 + 1) / 3) ms = 816496 ns, peer jitter 0 */
	is_s64(r.jitter_ns, 816496, "1 of 4: jitter sqrt(2/3) ms");
}

static void test_two_of_five(void)
{
	struct ntp_cand c[5];
	struct ntp_select_result r;

	/*
	 * Truechimers 0, 1, 2 ms; falsetickers at -50 and +50 ms, 10 ms
	 * distance. allow 0 and 1 find no 5 or 4 overlapping; allow 2 finds
	 * [-8, 10] ms with 2 midpoints outside.
	 */
	c[0] = cand(10, -50 * MS, 10 * MS);
	c[1] = cand(11, 2 * MS, 10 * MS);
	c[2] = cand(12, 50 * MS, 10 * MS);
	c[3] = cand(13, 0, 10 * MS);
	c[4] = cand(14, 1 * MS, 10 * MS);
	is_s64(sel(c, 5, 0, &r), 1, "2 of 5: system peer is id 11");
	is_s64(c[0].tally, NTP_TALLY_FALSETICKER, "2 of 5: -50 ms is x");
	is_s64(c[2].tally, NTP_TALLY_FALSETICKER, "2 of 5: +50 ms is x");
	is_s64(c[1].tally, NTP_TALLY_SYSPEER, "2 of 5: id 11 is *");
	ok(c[3].tally == NTP_TALLY_CANDIDATE &&
	   c[4].tally == NTP_TALLY_CANDIDATE, "2 of 5: others are +");
	is_s64(r.survivors, 3, "2 of 5: three survivors");
	is_s64(r.offset_ns, 1 * MS, "2 of 5: combined (0 + 1 + 2) / 3 ms");

	/* the two falsetickers agree with each other: still a minority */
	c[0].offset_ns = 49 * MS;
	is_s64(sel(c, 5, 0, &r), 1, "2 of 5 agreeing: id 11 still *");
	ok(c[0].tally == NTP_TALLY_FALSETICKER &&
	   c[2].tally == NTP_TALLY_FALSETICKER, "2 of 5 agreeing: both x");
}

static void test_no_majority(void)
{
	struct ntp_cand c[4];
	struct ntp_select_result r;
	int i, bad = 0;

	/* pairs {0, 1 ms} and {100, 101 ms}, 10 ms distance: 2 against 2 */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 1 * MS, 10 * MS);
	c[2] = cand(3, 100 * MS, 10 * MS);
	c[3] = cand(4, 101 * MS, 10 * MS);
	is_s64(sel(c, 4, 1, &r), -1, "no majority: no system peer");
	is_s64(r.sys_peer, -1, "no majority: result has none");
	is_s64(r.survivors, 0, "no majority: no survivors");
	for (i = 0; i < 4; i++)
		bad += c[i].tally != NTP_TALLY_FALSETICKER;
	is_s64(bad, 0, "no majority: all four are x");

	/* a fourth near the first pair makes a 3-of-4 majority there */
	c[3] = cand(5, 2 * MS, 10 * MS);
	c[3].stratum = 1;
	is_s64(sel(c, 4, 0, &r), 3, "3 of 4: stratum 1 at 2 ms is *");
	ok(c[2].tally == NTP_TALLY_FALSETICKER, "3 of 4: 100 ms is x");

	/* intervals touching in one point: [-10, 10] and [10, 30] ms */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 20 * MS, 10 * MS);
	is_s64(sel(c, 2, 0, &r), -1,
	       "touching intervals: empty intersection, no system peer");
	/* overlapping, but the intersection [10 ms - 1, 10 ms] holds no midpoint */
	c[1].offset_ns = 20 * MS - 1;
	is_s64(sel(c, 2, 0, &r), -1, "midpoints outside: no system peer");
	/* [0, 10] ms holds both midpoints, 0 and 10 ms, at its ends */
	c[1].offset_ns = 10 * MS;
	is_s64(sel(c, 2, 0, &r), 0, "midpoints at the ends: system peer");
	is_s64(r.survivors, 2, "midpoints at the ends: both survive");
	/* [1 ns, 10 ms]: 0 and 10 ms + 1 ns are both just outside */
	c[1].offset_ns = 10 * MS + 1;
	is_s64(sel(c, 2, 0, &r), -1, "midpoints 1 ns outside: none");
}

static void test_touching(void)
{
	struct ntp_cand c[4];
	struct ntp_select_result r;

	/*
	 * A [-10, 10], B [-5, 15], C [-6, 10] ms, and D [-36, -6] ms with its
	 * midpoint -21 ms. allow 0: no point in all four. allow 1: the lowest
	 * lower endpoint in 3 intervals is -6 (D's upper endpoint touches it
	 * and counts), the highest upper one 10: [-6, 10], one midpoint (D's)
	 * outside. D reaches the intersection: not a falseticker (the cluster
	 * algorithm may still discard it).
	 */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 5 * MS, 10 * MS);
	c[2] = cand(3, 2 * MS, 8 * MS);
	c[3] = cand(4, -21 * MS, 15 * MS);
	ok(sel(c, 4, 0, &r) >= 0, "touching: a system peer");
	ok(c[3].tally != NTP_TALLY_FALSETICKER,
	   "touching: an interval touching the intersection is not x");
	/* 1 ns further: D's upper -6 ms - 1 ns; the intersection [-5, 10] */
	c[3].offset_ns -= 1;
	ok(sel(c, 4, 0, &r) >= 0, "touching: still a system peer");
	is_s64(c[3].tally, NTP_TALLY_FALSETICKER, "apart by 1 ns: x");
}

static void test_ties(void)
{
	static const u32 ids[3][3] = { { 7, 3, 5 }, { 3, 5, 7 }, { 5, 7, 3 } };
	struct ntp_cand c[3];
	struct ntp_select_result r;
	int k, i, good = 1, got;

	/* identical metrics: the lowest id wins, whatever the order */
	for (k = 0; k < 3; k++) {
		for (i = 0; i < 3; i++)
			c[i] = cand(ids[k][i], 0, 10 * MS);
		got = sel(c, 3, 0, &r);
		if (got < 0 || c[got].id != 3)
			good = 0;
		/* and again: the same call gives the same answer */
		if (sel(c, 3, 0, &r) != got)
			good = 0;
	}
	ok(good, "ties: id 3 in every order, every time");

	/* equal ids too: the lower index */
	for (i = 0; i < 3; i++)
		c[i] = cand(9, 0, 10 * MS);
	is_s64(sel(c, 3, 0, &r), 0, "ties: equal ids, index 0");
}

static void test_stratum(void)
{
	struct ntp_cand c[2];
	struct ntp_select_result r;

	/* stratum 1 at 30 ms against stratum 2 at 10 ms: 1.03 s < 2.01 s */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 1 * MS, 30 * MS);
	c[1].stratum = 1;
	is_s64(sel(c, 2, 0, &r), 1, "stratum: lower stratum wins");
	/* and though the stratum 2 one was the system peer: metric 980 ms worse */
	is_s64(sel(c, 2, 1, &r), 1,
	       "stratum: lower stratum wins over the previous system peer");
	is_s64(c[0].tally, NTP_TALLY_CANDIDATE, "stratum: the other is +");
	/* the same stratum: the lower distance */
	c[1].stratum = 2;
	is_s64(sel(c, 2, 0, &r), 0, "stratum: equal stratum, lower distance");
}

static void test_cluster(void)
{
	struct ntp_cand c[5];
	struct ntp_select_result r;
	int i;

	/*
	 * Offsets 0, +-0.1, 0.05 and 8 ms, 20 ms distance (all intersect),
	 * peer jitter 0.5 ms. The 8 ms one has a selection jitter near 8 ms:
	 * out. Then the largest is -0.1 ms's: sqrt((0.01 + 0.04 + 0.0225) / 3)
	 * = 0.155 ms < 0.5 ms: stop.
	 */
	c[0] = cand(1, 0, 20 * MS);
	c[1] = cand(2, 100 * US, 20 * MS);
	c[2] = cand(3, -100 * US, 20 * MS);
	c[3] = cand(4, 50 * US, 20 * MS);
	c[4] = cand(5, 8 * MS, 20 * MS);
	for (i = 0; i < 5; i++) {
		c[i].jitter_ns = 500 * US;
		c[i].root_disp_ns -= 500 * US;	/* keep 20 ms distance */
	}
	is_s64(sel(c, 5, 0, &r), 0, "cluster: system peer id 1");
	is_s64(c[4].tally, NTP_TALLY_OUTLIER, "cluster: 8 ms is an outlier");
	is_s64(r.survivors, 4, "cluster: four survive");
	ok(c[1].tally == NTP_TALLY_CANDIDATE &&
	   c[2].tally == NTP_TALLY_CANDIDATE &&
	   c[3].tally == NTP_TALLY_CANDIDATE, "cluster: the others are +");
	/* equal weights: (0 + 100 - 100 + 50) / 4 us */
	is_s64(r.offset_ns, 12500, "cluster: outlier left out of the offset");

	/* three only: NMIN, nothing is discarded however noisy */
	is_s64(sel(&c[2], 3, 0, &r), 0, "cluster: 3 survivors kept");
	ok(c[4].tally == NTP_TALLY_CANDIDATE, "cluster: noisy one kept at NMIN");
	is_s64(r.survivors, 3, "cluster: three survive");

	/*
	 * 0, 0, 0 and 1 ms: selection jitters 1 ms (the 1 ms one) and
	 * sqrt(1 / 3) ms. With every peer jitter at 1 ms the largest does not
	 * exceed the smallest: all stay; 1 ns less and the 1 ms one goes.
	 */
	for (i = 0; i < 4; i++) {
		c[i] = cand(i + 1, i == 3 ? 1 * MS : 0, 20 * MS);
		c[i].jitter_ns = 1 * MS;
	}
	sel(c, 4, 0, &r);
	is_s64(r.survivors, 4, "cluster: selection jitter == peer jitter stays");
	for (i = 0; i < 4; i++)
		c[i].jitter_ns = 1 * MS - 1;
	sel(c, 4, 0, &r);
	is_s64(r.survivors, 3, "cluster: selection jitter > peer jitter goes");
	is_s64(c[3].tally, NTP_TALLY_OUTLIER, "cluster: the 1 ms one is -");

	/*
	 * 0, 0, 1, 1 ms: all four selection jitters equal sqrt(2 / 3) ms;
	 * the one last in metric order goes (id 4, distance 30 ms).
	 */
	c[0] = cand(1, 0, 20 * MS);
	c[1] = cand(2, 0, 20 * MS);
	c[2] = cand(3, 1 * MS, 20 * MS);
	c[3] = cand(4, 1 * MS, 30 * MS);
	sel(c, 4, 0, &r);
	is_s64(c[3].tally, NTP_TALLY_OUTLIER,
	       "cluster: equal selection jitters, the worst metric goes");
	is_s64(r.survivors, 3, "cluster: stops at NMIN");
}

static void test_prefer(void)
{
	struct ntp_cand c[3];
	struct ntp_select_result r;

	/*
	 * 0 and 2 ms stratum 2, prefer at 1.5 ms stratum 3; 10 ms distances.
	 * Combined would be 3.5 / 3 ms; the prefer peer gives its own.
	 */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 2 * MS, 10 * MS);
	c[2] = cand(3, 1500 * US, 10 * MS);
	c[2].stratum = 3;
	c[2].prefer = true;
	is_s64(sel(c, 3, 1, &r), 2, "prefer: system peer over previous one");
	is_s64(r.offset_ns, 1500 * US, "prefer: its own offset");
	is_s64(c[0].tally, NTP_TALLY_CANDIDATE, "prefer: others still +");
	/* psi_sel = sqrt((1.5^2 + 0.5^2 + 0) / 3) ms = sqrt(2.5 / 3) ms */
	is_s64(r.jitter_ns, 912870, "prefer: jitter around the prefer peer");

	/* a prefer peer that is a falseticker is not chosen */
	c[2].offset_ns = 500 * MS;
	is_s64(sel(c, 3, 0, &r), 0, "prefer: falseticker prefer ignored");
	is_s64(c[2].tally, NTP_TALLY_FALSETICKER, "prefer: it is x");
	/* equal weights: (0 + 2) / 2 ms */
	is_s64(r.offset_ns, 1 * MS, "prefer: combined without it");
}

static void test_sticky(void)
{
	struct ntp_cand c[3];
	struct ntp_select_result r;

	/* margin at poll 6: MINDISP + PHI * 64 s = 5.96 ms */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 1 * MS, 15960 * US);	/* 5.96 ms worse: kept */
	c[2] = cand(3, -1 * MS, 12 * MS);
	is_s64(sel(c, 3, 0, &r), 0, "sticky: without a previous, the best");
	is_s64(sel(c, 3, 2, &r), 1, "sticky: previous kept within margin");
	is_s64(c[0].tally, NTP_TALLY_CANDIDATE, "sticky: best is + meanwhile");
	is_s64(sel(c, 3, 99, &r), 0, "sticky: unknown previous id ignored");

	c[1].root_disp_ns += 1;			/* 1 ns beyond the margin */
	is_s64(sel(c, 3, 2, &r), 0, "sticky: previous beyond margin dropped");

	/* a larger poll widens the margin: 5 ms + 15.36 ms at poll 10 */
	c[1] = cand(2, 1 * MS, 30 * MS);
	is_s64(ntp_select(c, 3, 10, 2, &r), 1, "sticky: margin grows with poll");
	is_s64(ntp_select(c, 3, 6, 2, &r), 0, "sticky: not at poll 6");

	/* the previous system peer becomes unfit: switch at once */
	c[1] = cand(2, 1 * MS, 11 * MS);
	is_s64(sel(c, 3, 2, &r), 1, "sticky: previous kept");
	c[1].reach = 0xf8;	/* the last 3 polls lost; RFC: still reachable */
	is_s64(sel(c, 3, 2, &r), 0, "sticky: unreachable previous dropped");
	is_s64(c[1].reject, NTP_REJ_UNREACH, "sticky: reason unreach");
	c[1].reach = 0xff;
	c[1].loop = true;	/* it now synchronises to us */
	is_s64(sel(c, 3, 2, &r), 0, "sticky: looping previous dropped");
	is_s64(c[1].tally, NTP_TALLY_REJECT, "sticky: loop is rejected");
	c[1].loop = false;
	c[1].stratum = NTP_MAXSTRAT;
	is_s64(sel(c, 3, 2, &r), 0, "sticky: unsynchronised previous dropped");
	c[1].stratum = 2;
	c[1].offset_ns = 200 * MS;
	is_s64(sel(c, 3, 2, &r), 0, "sticky: falseticker previous dropped");
}

static void test_loop(void)
{
	struct ntp_cand c[3];
	struct ntp_select_result r;

	/* the only source, and with the best metric and prefer: still never */
	c[0] = cand(1, 0, 10 * MS);
	c[0].loop = true;
	is_s64(sel(c, 1, 1, &r), -1, "loop: sole source never selected");
	c[0].prefer = true;
	c[0].stratum = 1;
	c[1] = cand(2, 3 * MS, 20 * MS);
	c[2] = cand(3, 1 * MS, 20 * MS);
	is_s64(sel(c, 3, 1, &r), 1, "loop: preferred best looping one skipped");
	is_s64(c[0].tally, NTP_TALLY_REJECT, "loop: tally reject");
	/* equal weights of the two: 2 ms, not pulled to 0 */
	is_s64(r.offset_ns, 2 * MS, "loop: not in the combined offset");
}

static void test_combine(void)
{
	struct ntp_cand c[2];
	struct ntp_select_result r;

	/*
	 * Root distances 10 and 30 ms: weights 2^48 / lambda are 28147497 and
	 * 9382499 (3:1 but for rounding). Offsets 0 and 400 us: the mean is
	 * 400000 * 9382499 / 37529996 = 100000 (remainder 0).
	 */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 400 * US, 30 * MS);
	is_s64(sel(c, 2, 0, &r), 0, "combine: system peer the 10 ms one");
	is_s64(r.offset_ns, 100 * US, "combine: weights 3:1 give 100 us");
	/*
	 * psi_sel^2 = 1/4 * 400^2 us^2 (the fraction of 2^32 is exactly
	 * 1073741824): 200 us.
	 */
	is_s64(r.jitter_ns, 200 * US, "combine: selection jitter 200 us");

	/* with a system peer jitter of 150 us: sqrt(200^2 + 150^2) = 250 */
	c[0].jitter_ns = 150 * US;
	c[0].root_disp_ns -= 150 * US;
	sel(c, 2, 0, &r);
	is_s64(r.offset_ns, 100 * US, "combine: jitter does not move offset");
	is_s64(r.jitter_ns, 250 * US, "combine: jitter 250 us");

	/* system peer the 30 ms one (sticky): mean relative to it, same value */
	c[1] = cand(2, 400 * US, 14 * MS);	/* 2^48 / 14e6 = 20105355 */
	is_s64(sel(c, 2, 2, &r), 1, "combine: sticky 14 ms peer");
	/* 400000 - 400000 * 28147497 / 48252852 = 166666.68 -> 166667 */
	is_s64(r.offset_ns, 166667, "combine: weights 7:5, rounded");

	/* equal weights, 0 and +-3 ns: +-1.5 ns rounds away from 0 */
	c[0] = cand(1, 0, 10 * MS);
	c[1] = cand(2, 3, 10 * MS);
	sel(c, 2, 0, &r);
	is_s64(r.offset_ns, 2, "combine: 1.5 ns rounds to 2");
	c[1].offset_ns = -3;
	sel(c, 2, 0, &r);
	is_s64(r.offset_ns, -2, "combine: -1.5 ns rounds to -2");

	/* a single survivor: its offset and jitter */
	c[0] = cand(1, -123456789, 10 * MS);
	c[0].jitter_ns = 4321;
	c[0].root_disp_ns -= 4321;
	sel(c, 1, 0, &r);
	is_s64(r.offset_ns, -123456789, "combine: one survivor's offset");
	is_s64(r.jitter_ns, 4321, "combine: one survivor's jitter");
}

static void test_backup(void)
{
	struct ntp_cand c[12];
	struct ntp_select_result r;
	int i, plus = 0, backup = 0;

	/* 12 alike: ids 1..12; ids 11 and 12 are last in metric order */
	for (i = 0; i < 12; i++)
		c[i] = cand(12 - i, 0, 10 * MS);
	is_s64(sel(c, 12, 0, &r), 11, "backup: id 1 (index 11) is *");
	for (i = 0; i < 12; i++) {
		plus += c[i].tally == NTP_TALLY_CANDIDATE;
		backup += c[i].tally == NTP_TALLY_BACKUP;
	}
	is_s64(plus, 9, "backup: nine more combined");
	is_s64(backup, 2, "backup: two backups");
	ok(c[0].tally == NTP_TALLY_BACKUP && c[1].tally == NTP_TALLY_BACKUP,
	   "backup: ids 12 and 11 are #");
	is_s64(r.survivors, 12, "backup: survivors count backups");

	/* a sticky system peer last in order is combined; id 10 is # instead */
	is_s64(sel(c, 12, 12, &r), 0, "backup: sticky id 12 is *");
	ok(c[1].tally == NTP_TALLY_BACKUP && c[2].tally == NTP_TALLY_BACKUP,
	   "backup: ids 11 and 10 are #");
}

static void test_extremes(void)
{
	struct ntp_cand c[200];
	struct ntp_select_result r;
	int i, k, n;

	/* offsets at the ends of s64: intervals saturate */
	c[0] = cand(1, S64_MAX, 10 * MS);
	is_s64(sel(c, 1, 0, &r), 0, "extreme: offset S64_MAX selected");
	is_s64(r.offset_ns, S64_MAX, "extreme: offset S64_MAX combined");
	c[0] = cand(1, S64_MIN, 10 * MS);
	is_s64(sel(c, 1, 0, &r), 0, "extreme: offset S64_MIN selected");
	is_s64(r.offset_ns, S64_MIN, "extreme: offset S64_MIN combined");
	c[1] = cand(2, S64_MAX, 10 * MS);
	c[2] = cand(3, 0, 10 * MS);
	is_s64(sel(c, 3, 0, &r), -1, "extreme: S64_MIN, 0, S64_MAX disagree");

	/* S64_MIN and S64_MAX as the only two: no majority either */
	c[0] = cand(1, S64_MIN, 10 * MS);
	c[1] = cand(2, S64_MAX, 10 * MS);
	is_s64(sel(c, 2, 0, &r), -1, "extreme: two ends disagree");

	/*
	 * Seconds apart near S64_MAX with distances of 2.96 s (poll 17):
	 * -2.9, 0, +2.9 s around S64_MAX - 3 s. With allow 0 the intersection
	 * [-0.06, 0.06] s leaves two midpoints out; allow 1 takes
	 * [-2.96, 2.96] s. Equal weights: the mean is the middle one exactly,
	 * the jitter sqrt(2 * 2.9^2 / 3) s = 2367840084.7 ns, to 4 ns
	 * (differences shifted right by 2 bits).
	 */
	c[0] = cand(1, S64_MAX - 3 * S, 2960 * MS);
	c[1] = cand(2, S64_MAX - 3 * S - 2900 * MS, 2960 * MS);
	c[2] = cand(3, S64_MAX - 3 * S + 2900 * MS, 2960 * MS);
	is_s64(ntp_select(c, 3, NTP_MAXPOLL, 0, &r), 0,
	       "extreme: seconds apart near S64_MAX");
	is_s64(r.offset_ns, S64_MAX - 3 * S, "extreme: mean exact");
	ok(r.jitter_ns >= 2367840084ULL - 4 && r.jitter_ns <= 2367840084ULL + 4,
	   "extreme: jitter 2.3678 s within 4 ns (got %llu)",
	   (unsigned long long)r.jitter_ns);

	/* the same near S64_MIN, and a fourth for the cluster algorithm */
	c[0] = cand(1, S64_MIN + 3 * S, 2960 * MS);
	c[1] = cand(2, S64_MIN + 3 * S - 2900 * MS, 2960 * MS);
	c[2] = cand(3, S64_MIN + 3 * S + 2900 * MS, 2960 * MS);
	c[3] = cand(4, S64_MIN + 3 * S, 2960 * MS);
	is_s64(ntp_select(c, 4, NTP_MAXPOLL, 0, &r), 0,
	       "extreme: seconds apart near S64_MIN");
	/*
	 * Selection jitters: sqrt(2 * 2.9^2 / 3) = 2.37 s for the middle two,
	 * sqrt((2.9^2 * 2 + 5.8^2) / 3) = 4.10 s for the +-2.9 s ones, which
	 * tie (differences are multiples of 2^3 ns): id 3, last, goes.
	 */
	is_s64(c[2].tally, NTP_TALLY_OUTLIER, "extreme: +2.9 s is -");
	/* 2 : 1 of equal weights around the middle: -2.9 / 3 s, 4 ns steps */
	ok(r.offset_ns >= S64_MIN + 3 * S - 966666667 - 4 &&
	   r.offset_ns <= S64_MIN + 3 * S - 966666667 + 4,
	   "extreme: mean -0.9667 s within 4 ns");

	/* huge jitters and dispersions are only unfit */
	c[0] = cand(1, 0, 10 * MS);
	c[0].jitter_ns = U64_MAX;
	c[1] = cand(2, 0, 10 * MS);
	c[1].disp_ns = U64_MAX;
	c[1].root_delay_ns = U64_MAX;
	c[1].delay_ns = S64_MAX;
	is_s64(sel(c, 2, 0, &r), -1, "extreme: saturated distances unfit");
	ok(c[0].reject == NTP_REJ_DISTANCE && c[1].reject == NTP_REJ_DISTANCE,
	   "extreme: both for distance");

	/*
	 * 200 candidates, offsets -3, -2, ..., +3 us by i % 7, with a peer
	 * jitter of 10 us, above any selection jitter (< 6 us): all survive,
	 * id 1 is the system peer, 9 more are combined, 190 are backups.
	 */
	n = ARRAY_SIZE(c);
	for (i = 0; i < n; i++) {
		c[i] = cand(i + 1, (s64)(i % 7) * 1000 - 3000, 10 * MS);
		c[i].jitter_ns = 10 * US;
		c[i].root_disp_ns -= 10 * US;
	}
	is_s64(sel(c, n, 0, &r), 0, "extreme: 200 candidates, id 1 is *");
	is_s64(r.survivors, 200, "extreme: 200 candidates survive");
	for (i = 0, k = 0; i < n; i++)
		k += c[i].tally == NTP_TALLY_BACKUP;
	is_s64(k, 190, "extreme: 190 backups");

	/*
	 * 197 at offset 0 and three at 5, 6 and 7 us, peer jitters 0: the
	 * cluster algorithm discards 7, 6 and 5 us (each the farthest from
	 * all others), then every selection jitter is 0 and it stops.
	 */
	for (i = 0; i < n; i++) {
		c[i] = cand(i + 1, i < 3 ? (5 + i) * US : 0, 10 * MS);
		c[i].stratum = 1 + (i == 3);	/* index 3, id 4, is worse */
	}
	is_s64(sel(c, n, 0, &r), 4, "extreme: 200 again, id 5 is *");
	is_s64(r.survivors, 197, "extreme: 197 agreeing survive");
	ok(c[0].tally == NTP_TALLY_OUTLIER && c[1].tally == NTP_TALLY_OUTLIER &&
	   c[2].tally == NTP_TALLY_OUTLIER, "extreme: the three are -");
	is_s64(r.offset_ns, 0, "extreme: combined 0");
}

/* Lowercase hex of a digest, for comparing with md5sum's output. */
static void hex(const u8 *d, int len, char *out)
{
	int i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_md5(void)
{
	/* A-Z a-z 0-9, and "1234567890" eight times */
	static char alnum[63], digits[81];
	/* RFC 1321 sec. A.5 test suite */
	const char *const suite[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "c3fcd3d76192e4007dfb496cca67e13b" },
		{ alnum, "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ digits, "57edf4a22be3c955ac49da2e2107b67a" },
	};
	/* padding edges: n bytes of 'x', from md5sum */
	static const struct { int n; const char *md5; } pad[] = {
		{ 55, "04364420e25c512fd958a70738aa8f72" },
		{ 56, "668a72d5ba17f08e62dabcafad6db14b" },
		{ 63, "7dc2ca208106a2f703567bdff99d8981" },
		{ 64, "c1bb4f81d892b2d57947682aeb252456" },
		{ 65, "1bc932052302d074bdec39795fe00cf6" },
		{ 119, "ab347a5f68c8a443cfcddc633f12c24f" },
		{ 120, "fb98667f98096de92620b64f46e1c5b5" },
	};
	static u8 buf[1000];
	struct ntp_md5_ctx ctx;
	u8 d[NTP_MD5_LEN];
	char h[2 * NTP_MD5_LEN + 1];
	size_t i, k;

	for (i = 0; i < 26; i++) {
		alnum[i] = 'A' + i;
		alnum[26 + i] = 'a' + i;
	}
	for (i = 0; i < 10; i++)
		alnum[52 + i] = '0' + i;
	for (i = 0; i < 80; i++)
		digits[i] = '0' + (i + 1) % 10;

	for (i = 0; i < ARRAY_SIZE(suite); i++) {
		ntp_md5(suite[i][0], strlen(suite[i][0]), d);
		hex(d, NTP_MD5_LEN, h);
		ok(!strcmp(h, suite[i][1]), "md5: RFC 1321 \"%.20s\"",
		   suite[i][0]);
	}
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(pad); i++) {
		ntp_md5(buf, pad[i].n, d);
		hex(d, NTP_MD5_LEN, h);
		ok(!strcmp(h, pad[i].md5), "md5: %d bytes", pad[i].n);
	}

	/* a million 'a' fed in uneven pieces (1..999 bytes) */
	memset(buf, 'a', sizeof(buf));
	ntp_md5_init(&ctx);
	for (i = 0, k = 1; i < 1000000; k = k % 999 + 1) {
		size_t take = k < 1000000 - i ? k : 1000000 - i;

		ntp_md5_update(&ctx, buf, take);
		i += take;
	}
	ntp_md5_final(&ctx, d);
	hex(d, NTP_MD5_LEN, h);
	ok(!strcmp(h, "7707d6ae4e027c70eea2a935c2296f21"),
	   "md5: a million 'a' in pieces");
}

static void test_refid(void)
{
	/* printf '\x20\x01\x0d\xb8\0...\0\x01' | md5sum: 39ab9b37... */
	static const u8 doc[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	/* fe80::211:22ff:fe33:4455: e2a6c07e... */
	static const u8 ll[16] = { 0xfe, 0x80, [8] = 0x02, 0x11, 0x22, 0xff,
				   0xfe, 0x33, 0x44, 0x55 };
	/* ::1: cf404dc8... */
	static const u8 lo[16] = { [15] = 0x01 };
	u8 refid[NTP_REFID_LEN];

	ntp_refid_ipv6(doc, refid);
	ok(refid[0] == 0x39 && refid[1] == 0xab && refid[2] == 0x9b &&
	   refid[3] == 0x37, "refid: 2001:db8::1 is 39ab9b37");
	ntp_refid_ipv6(ll, refid);
	ok(refid[0] == 0xe2 && refid[1] == 0xa6 && refid[2] == 0xc0 &&
	   refid[3] == 0x7e, "refid: fe80::211:22ff:fe33:4455 is e2a6c07e");
	ntp_refid_ipv6(lo, refid);
	ok(refid[0] == 0xcf && refid[1] == 0x40 && refid[2] == 0x4d &&
	   refid[3] == 0xc8, "refid: ::1 is cf404dc8");
}

int main(void)
{
	test_root_dist();
	test_fit();
	test_one_falseticker();
	test_two_of_five();
	test_no_majority();
	test_touching();
	test_ties();
	test_stratum();
	test_cluster();
	test_prefer();
	test_sticky();
	test_loop();
	test_combine();
	test_backup();
	test_extremes();
	test_md5();
	test_refid();
	return done();
}
