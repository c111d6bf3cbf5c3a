/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: leap seconds - which warning the sources give (a majority of
 * the truechimers), when it applies (the last day of a UTC month), and the
 * UTC calendar that tells.
 *
 * A leap second happens at the end of the last day of a month (UTC): one
 * second is inserted after 23:59:59 (NTP_LEAP_ADD) or 23:59:59 is left out
 * (NTP_LEAP_DEL). RFC 5905 sec. 7.3 gives the warning no lead time of its
 * own; servers set it anywhere from that day to the whole month before. We
 * take it into account, serve it and hand it to the clock only on the last
 * day of a month: a warning seen on any other day is ignored, and one
 * source cannot arm a leap second against the others (as chrony and ntpd
 * vote; RFC 5905 A.5.5.4 copies the system peer's alone).
 */
#ifndef _KNTP_CORE_LEAP_H
#define _KNTP_CORE_LEAP_H

#include "ntp.h"
#include "select.h"

#define NTP_DAY_S		86400	/* s per UTC day, leap seconds aside */

s64 ntp_leap_month_end_s(s64 now_ns);
u8 ntp_leap_vote(const struct ntp_cand *c, int n);
u8 ntp_leap_warning(u8 vote, s64 now_ns, s64 *at_s);

#endif /* _KNTP_CORE_LEAP_H */
