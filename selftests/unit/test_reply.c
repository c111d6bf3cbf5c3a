// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of a server's answer (kmod/core/peer.c ntp_reply_build()) from
 * the reply head the system process publishes (kmod/core/system.c
 * ntp_reply_head_make()). The head converts the system variables once per
 * update; an answer must still be what converting them at its own receive
 * time gives (ntp_sysvars_now(), then ntp_sysvars_fill()): checked field by
 * field for every kind of system state, and the dispersion's growth by PHI
 * checked against figures worked out by hand.
 */
#include <string.h>
#include "peer.h"
#include "system.h"
#include "wire.h"
#include "xleave.h"
#include "tap.h"

#define S	1000000000LL	/* ns per s */
#define MS	1000000LL	/* ns per ms */
/* 2026-12-07 12:00:00 UTC */
#define NOW_S	1796644800LL

static const struct ntp_packet request = {
	.version = 4, .mode = NTP_MODE_CLIENT, .poll = 6,
	.xmt_ts = 0x1234567890abcdefULL,
};

/* The answer as converting the system variables at @rx_ns gives it. */
static void reference(const struct ntp_sysvars *v, s64 rx_ns, u8 mode,
		      struct ntp_packet *r)
{
	struct ntp_sysvars cur;

	ntp_sysvars_now(v, rx_ns, &cur);
	memset(r, 0, sizeof(*r));
	r->version = request.version;
	r->mode = mode;
	r->poll = request.poll;
	r->org_ts = request.xmt_ts;
	r->rec_ts = ntp_ts_from_ns(rx_ns);
	if (mode == NTP_MODE_SERVER)
		r->rec_ts |= NTP_XL_RX_MARK;
	ntp_sysvars_fill(&cur, r);
}

static bool same(const struct ntp_packet *a, const struct ntp_packet *b)
{
	return a->leap == b->leap && a->version == b->version &&
	       a->mode == b->mode && a->stratum == b->stratum &&
	       a->poll == b->poll && a->precision == b->precision &&
	       a->root_delay == b->root_delay && a->root_disp == b->root_disp &&
	       !memcmp(a->refid, b->refid, NTP_REFID_LEN) &&
	       a->ref_ts == b->ref_ts && a->org_ts == b->org_ts &&
	       a->rec_ts == b->rec_ts && a->xmt_ts == b->xmt_ts;
}

/* Every field of the answer from the head against the reference. */
static void check_same(const char *what, const struct ntp_sysvars *v,
		       s64 rx_ns, u8 mode)
{
	struct ntp_reply_head h;
	struct ntp_packet got, want;

	ntp_reply_head_make(v, &h);
	ntp_reply_build(&request, rx_ns, mode, &h, &got);
	reference(v, rx_ns, mode, &want);
	if (!ok(same(&got, &want),
		"%s: the answer is the system variables as of its receive time",
		what))
		printf("#   root_disp %#x want %#x, ref_ts %#llx want %#llx, stratum %u want %u\n",
		       got.root_disp, want.root_disp,
		       (unsigned long long)got.ref_ts,
		       (unsigned long long)want.ref_ts, got.stratum, want.stratum);
}

static struct ntp_sysvars synced(void)
{
	struct ntp_sysvars v = {
		.leap = NTP_LEAP_NONE, .stratum = 2, .precision = -24,
		.refid = { 192, 0, 2, 1 },
		.reftime_ns = NOW_S * S,
		.root_delay_ns = 12 * MS + 345678,
		.root_disp_ns = 3 * MS + 21,
	};

	return v;
}

static void test_same(void)
{
	struct ntp_sysvars v = synced();
	static const s64 after_ns[] = {
		0, 1, 999, 64 * S + 7, 1024 * S + 333333, 36 * 3600 * S,
		/* past the cap of 10^6 s of growth */
		2000000 * S,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(after_ns); i++)
		check_same("synchronised", &v, v.reftime_ns + after_ns[i],
			   NTP_MODE_SERVER);
	check_same("synchronised, a passive answer", &v, v.reftime_ns + 5 * S,
		   NTP_MODE_PASSIVE);
	check_same("synchronised, received before the update", &v,
		   v.reftime_ns - 3 * S, NTP_MODE_SERVER);

	memcpy(v.refid, NTP_REFID_LOCL, NTP_REFID_LEN);
	v.stratum = 1;
	check_same("our own clock (LOCL)", &v, v.reftime_ns + 77 * S,
		   NTP_MODE_SERVER);
	check_same("our own clock, received at 0", &v, 0, NTP_MODE_SERVER);

	v = synced();
	v.stratum = NTP_MAXSTRAT;
	v.leap = NTP_LEAP_NOSYNC;
	memcpy(v.refid, "INIT", NTP_REFID_LEN);
	check_same("unsynchronised", &v, v.reftime_ns + 500 * S,
		   NTP_MODE_SERVER);
	v.reftime_ns = 0;
	check_same("never synchronised", &v, NOW_S * S, NTP_MODE_SERVER);
	v = synced();
	v.leap = NTP_LEAP_ADD;
	check_same("a leap second announced", &v, v.reftime_ns + S,
		   NTP_MODE_SERVER);
}

/* The growth itself, worked out by hand: 15 us a second (PHI). */
static void test_growth(void)
{
	struct ntp_sysvars v = synced();
	struct ntp_reply_head h;
	struct ntp_packet r;

	v.root_disp_ns = 0;
	ntp_reply_head_make(&v, &h);
	ntp_reply_build(&request, v.reftime_ns + 1000 * S, NTP_MODE_SERVER, &h,
			&r);
	/* 1000 s * 15e-6 = 15 ms = 983.04 in 2^-16 s: 983 */
	is_s64(r.root_disp, 983, "1000 s after the update: 15 ms of dispersion");
	ntp_reply_build(&request, v.reftime_ns, NTP_MODE_SERVER, &h, &r);
	is_s64(r.root_disp, 0, "at the update: none");
	/* 2 s: 30 us = 1.97 units: 2 */
	ntp_reply_build(&request, v.reftime_ns + 2 * S, NTP_MODE_SERVER, &h,
			&r);
	is_s64(r.root_disp, 2, "2 s after: 30 us");
	is_s64(ntp_root_disp_at(5, 100, 50), 5,
	       "no growth for a time before the update");
	is_s64(ntp_root_disp_at(0, 0, 3000000 * S), 1000000 * 15 * MS / 1000,
	       "the growth stops at 10^6 s (15 s)");

	memcpy(v.refid, NTP_REFID_LOCL, NTP_REFID_LEN);
	v.root_disp_ns = 10 * MS;
	ntp_reply_head_make(&v, &h);
	ntp_reply_build(&request, v.reftime_ns + 1000 * S, NTP_MODE_SERVER, &h,
			&r);
	/* 10 ms = 655.36 units: 655 */
	is_s64(r.root_disp, 655, "our own clock: its dispersion does not grow");
	is_s64(r.ref_ts, ntp_ts_from_ns(v.reftime_ns + 1000 * S),
	       "... and its reference time is the receive time");
	is_s64(r.rec_ts & ~NTP_XL_RX_MARK, r.ref_ts & ~NTP_XL_RX_MARK,
	       "... the receive timestamp's");
}

int main(void)
{
	test_same();
	test_growth();
	return done();
}
