// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the leap second vote and calendar (kmod/core/leap.c) and of
 * the leap warning the system process serves (kmod/core/system.c). The
 * calendar is checked against the C library's gmtime_r(), an independent
 * implementation, on every day of 1970-2199.
 */
#include <string.h>
#include <time.h>
#include "leap.h"
#include "system.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define DAY	((s64)NTP_DAY_S * S)
/* 2016-12-31 00:00:00 UTC, the day of the last leap second so far. */
#define DEC31_2016_S	1483142400LL
/* 2026-12-30 00:00:00 UTC: not a month's last day. */
#define DEC30_2026_S	1798588800LL

static void test_calendar(void)
{
	int wrong = 0, ends = 0;
	s64 day;

	/* 1970-01-01 .. 2199-12-31: 230 * 365 days and 56 leap days */
	for (day = 0; day < 230 * 365 + 56; day++) {
		time_t t = (time_t)((day + 1) * NTP_DAY_S);
		struct tm tm;
		/* Noon, and the last nanosecond of the day: same answer. */
		s64 got = ntp_leap_month_end_s((day * NTP_DAY_S + 43200) * S);
		s64 got2 = ntp_leap_month_end_s((day + 1) * DAY - 1);
		s64 want;

		gmtime_r(&t, &tm);	/* tomorrow */
		want = tm.tm_mday == 1 ? (day + 1) * NTP_DAY_S : 0;
		ends += !!want;
		if (got != want || got2 != want) {
			if (wrong++ < 5)
				printf("# day %lld: got %lld/%lld, want %lld\n",
				       (long long)day, (long long)got,
				       (long long)got2, (long long)want);
		}
	}
	ok(!wrong, "month ends agree with gmtime_r() on every day of 1970-2199 (%d wrong)",
	   wrong);
	is_s64(ends, 230 * 12, "one month end a month");
	is_s64(ntp_leap_month_end_s(DEC31_2016_S * S), DEC31_2016_S + NTP_DAY_S,
	       "2016-12-31 ends a month: the leap second of 2017-01-01 00:00:00");
	is_s64(ntp_leap_month_end_s((DEC31_2016_S + NTP_DAY_S) * S), 0,
	       "2017-01-01 does not");
	/* 2024-02-28 is not the end of February 2024; 2024-02-29 is. */
	is_s64(ntp_leap_month_end_s(1709078400LL * S), 0, "2024-02-28 (leap year) does not");
	is_s64(ntp_leap_month_end_s(1709164800LL * S), 1709251200LL,
	       "2024-02-29 does");
	is_s64(ntp_leap_month_end_s(-1), 0, "before 1970: none");
}

static struct ntp_cand voter(u8 leap, u8 tally)
{
	struct ntp_cand c;

	memset(&c, 0, sizeof(c));
	c.leap = leap;
	c.tally = tally;
	return c;
}

static void test_vote(void)
{
	struct ntp_cand c[5];

	c[0] = voter(NTP_LEAP_ADD, NTP_TALLY_SYSPEER);
	is_s64(ntp_leap_vote(c, 1), NTP_LEAP_ADD, "one source, adds: add");
	c[1] = voter(NTP_LEAP_NONE, NTP_TALLY_CANDIDATE);
	is_s64(ntp_leap_vote(c, 2), NTP_LEAP_NONE,
	       "one of two adds (the system peer): no majority, none");
	c[2] = voter(NTP_LEAP_ADD, NTP_TALLY_OUTLIER);
	is_s64(ntp_leap_vote(c, 3), NTP_LEAP_ADD,
	       "two of three truechimers add (one an outlier): add");
	c[3] = voter(NTP_LEAP_DEL, NTP_TALLY_FALSETICKER);
	c[4] = voter(NTP_LEAP_DEL, NTP_TALLY_REJECT);
	is_s64(ntp_leap_vote(c, 5), NTP_LEAP_ADD,
	       "a falseticker and a rejected source do not vote");
	c[0] = voter(NTP_LEAP_DEL, NTP_TALLY_SYSPEER);
	c[2] = voter(NTP_LEAP_DEL, NTP_TALLY_BACKUP);
	is_s64(ntp_leap_vote(c, 5), NTP_LEAP_DEL, "two of three delete: delete");
	c[1] = voter(NTP_LEAP_ADD, NTP_TALLY_CANDIDATE);
	c[2] = voter(NTP_LEAP_NONE, NTP_TALLY_BACKUP);
	is_s64(ntp_leap_vote(c, 3), NTP_LEAP_NONE, "one adds, one deletes, one not: none");
	is_s64(ntp_leap_vote(c, 0), NTP_LEAP_NONE, "no source: none");
}

static void test_warning(void)
{
	s64 at;

	is_s64(ntp_leap_warning(NTP_LEAP_ADD, DEC31_2016_S * S + 1, &at),
	       NTP_LEAP_ADD, "add on a month's last day: served");
	is_s64(at, DEC31_2016_S + NTP_DAY_S, "... ending at the next midnight");
	is_s64(ntp_leap_warning(NTP_LEAP_DEL, (DEC31_2016_S + NTP_DAY_S) * S - 1, &at),
	       NTP_LEAP_DEL, "delete in the day's last nanosecond: served");
	is_s64(ntp_leap_warning(NTP_LEAP_ADD, (DEC31_2016_S + NTP_DAY_S) * S, &at),
	       NTP_LEAP_NONE, "add at the midnight itself: over");
	is_s64(at, 0, "... no leap pending");
	is_s64(ntp_leap_warning(NTP_LEAP_ADD, DEC30_2026_S * S, &at),
	       NTP_LEAP_NONE, "add on another day: ignored");
	is_s64(ntp_leap_warning(NTP_LEAP_NOSYNC, DEC31_2016_S * S, &at),
	       NTP_LEAP_NONE, "leap 3 is not a warning");
}

/* A fit stratum-1 candidate for ntp_system_run(). */
static struct ntp_cand source(u32 id, u8 leap)
{
	struct ntp_cand c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.stratum = 1;
	c.leap = leap;
	c.reach = 0xff;
	c.has_sample = true;
	c.disp_ns = 1000000;
	return c;
}

/*
 * The system process serves the vote, not its system peer's leap: three
 * sources, the one with the lowest root distance (the system peer) alone
 * warns. Then the other two join.
 */
static void test_system(void)
{
	struct ntp_sys_extra x[3];
	struct ntp_disc_action act;
	struct ntp_disc_cfg cfg;
	struct ntp_system s;
	struct ntp_cand c[3];
	s64 now = DEC31_2016_S * S + 3600 * S, corr;
	int i, round;

	ntp_system_default_cfg(&cfg);
	cfg.ctl = NTP_DISC_CTL_FULL;
	ntp_system_init(&s, -20, &cfg);
	memset(x, 0, sizeof(x));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 3; i++) {
			c[i] = source(i + 1, round || !i ? NTP_LEAP_ADD :
							    NTP_LEAP_NONE);
			c[i].disp_ns += i * 1000;	/* 1 is the best */
			x[i].sample_ns = now - S;
			x[i].newest_ns = now - S;
			x[i].poll = 4;
		}
		for (i = 0; i < 40 * 3; i++) {	/* past the quorum's wait */
			if (!(i % 3))
				now += 16 * S;
			x[i % 3].sample_ns = now;
			if (i % 3 == 2)
				ntp_system_run(&s, c, x, 3, now, &act, &corr);
		}
		if (!round) {
			ok(s.synced && s.sys_peer_id == 1, "synchronised to source 1");
			is_s64(s.v.leap, NTP_LEAP_NONE,
			       "the system peer alone warns of a leap second: not served");
		} else {
			is_s64(s.v.leap, NTP_LEAP_ADD,
			       "all three warn, on a month's last day: served");
			is_s64(s.leap_at_s, DEC31_2016_S + NTP_DAY_S,
			       "... for the coming midnight");
		}
	}
	/* Sources gone after the midnight: held, but the warning is over. */
	now = (DEC31_2016_S + NTP_DAY_S) * S + S;
	for (i = 0; i < 3; i++)
		c[i].reach = 0;
	ntp_system_run(&s, c, x, 3, now, &act, &corr);
	ok(s.synced, "sources lost: the system variables are held");
	is_s64(s.v.leap, NTP_LEAP_NONE, "... but the leap warning ended at midnight");
}

int main(void)
{
	test_calendar();
	test_vote();
	test_warning();
	test_system();
	return done();
}
