// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: leap seconds (see leap.h).
 */
#include "leap.h"

/*
 * Days from 0000-03-01 (proleptic Gregorian) to 1970-01-01. Counting years
 * from March puts the leap day last, so that a year's days before any
 * month do not depend on whether it is a leap year.
 */
#define NTP_DAYS_0000_03_01	719468U
#define NTP_DAYS_400Y		146097U	/* days in 400 Gregorian years */

/* The day of the month, 1..31, of day @days (0 = 1970-01-01, UTC). */
static u32 ntp_leap_mday(u32 days)
{
	u32 d = (days + NTP_DAYS_0000_03_01) % NTP_DAYS_400Y;	/* in era */
	u32 y = (d - d / 1460 + d / 36524 - d / (NTP_DAYS_400Y - 1)) / 365;
	u32 doy = d - (365 * y + y / 4 - y / 100);	/* 0 = 1 March */
	u32 m = (5 * doy + 2) / 153;			/* 0 = March */

	/* Months from March have 31, 30, 31, 30, 31 days, over and over. */
	return doy - (153 * m + 2) / 5 + 1;
}

/**
 * ntp_leap_month_end_s() - the end of today, if today ends a month
 * @now_ns: UTC, Unix ns
 *
 * Return: the coming midnight (Unix s) when tomorrow is the first of a
 * month - when a leap second would happen - or 0.
 */
s64 ntp_leap_month_end_s(s64 now_ns)
{
	s64 now_s = div_s64(now_ns, NTP_NSEC_PER_SEC);
	s64 tomorrow;

	if (now_ns < 0)
		return 0;
	tomorrow = div_s64(now_s, NTP_DAY_S) + 1;
	if (tomorrow > U32_MAX || ntp_leap_mday(tomorrow) != 1)
		return 0;
	return tomorrow * NTP_DAY_S;
}

/**
 * ntp_leap_vote() - the leap warning of a majority of the truechimers
 * @c: the candidates, after ntp_select()
 * @n: how many
 *
 * Every candidate that survived the intersection (tally outlier or
 * better) votes with the leap indicator it reports.
 *
 * Return: NTP_LEAP_ADD or NTP_LEAP_DEL when more than half of them give
 * it, else NTP_LEAP_NONE.
 */
u8 ntp_leap_vote(const struct ntp_cand *c, int n)
{
	int i, voters = 0, add = 0, del = 0;

	for (i = 0; i < n; i++) {
		if (c[i].tally < NTP_TALLY_OUTLIER)
			continue;
		voters++;
		add += c[i].leap == NTP_LEAP_ADD;
		del += c[i].leap == NTP_LEAP_DEL;
	}
	if (add * 2 > voters)
		return NTP_LEAP_ADD;
	if (del * 2 > voters)
		return NTP_LEAP_DEL;
	return NTP_LEAP_NONE;
}

/**
 * ntp_leap_warning() - the leap indicator to serve and to apply, now
 * @vote: the sources' vote (ntp_leap_vote())
 * @now_ns: UTC, Unix ns
 * @at_s: the midnight the leap second ends at (Unix s), 0 none
 *
 * Return: @vote on the last day of a month, else NTP_LEAP_NONE.
 */
u8 ntp_leap_warning(u8 vote, s64 now_ns, s64 *at_s)
{
	*at_s = 0;
	if (vote != NTP_LEAP_ADD && vote != NTP_LEAP_DEL)
		return NTP_LEAP_NONE;
	*at_s = ntp_leap_month_end_s(now_ns);
	return *at_s ? vote : NTP_LEAP_NONE;
}
