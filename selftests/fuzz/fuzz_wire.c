// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/core/wire.c. For every input:
 *
 *  - ntp_decode() never reads outside the input (ASan), returns 0 or a
 *    known error with a name, and agrees with a simple reference decoder
 *    written differently (error, number of extension fields, MAC length);
 *  - on success the packet is consistent with the input (fields in range,
 *    extension fields and MAC fit, the MAC's key ID is where the MAC is),
 *    ntp_encode() reproduces the first 48 input bytes exactly, and decoding
 *    the re-encoded header gives the same header fields;
 *  - ntp_encode_xmt() changes the transmit timestamp and nothing else;
 *  - the decoded timestamps, read with pivots taken from the input, land
 *    within 2^31 s of the pivot, convert back to within 2 fraction units
 *    (the proven bound: 0.5 ns * 2^32/1e9 + 0.5 = 2.65), and ns -> ts -> ns
 *    is exact; both directions round to nearest; differences agree with
 *    converted times to within 1 ns and are antisymmetric to within the
 *    rounding; the short format round trips and rounds to nearest.
 *
 * A broken property aborts with a message, which libFuzzer reports as a
 * crash and saves.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wire.h"

#define NS		NTP_NSEC_PER_SEC
#define HALF_ERA_S	0x80000000LL	/* 2^31 s */

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_wire: %s:%d: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * A second, deliberately different decoder of the packet structure (lengths
 * as RFC numbers, recursion instead of a loop): ntp_decode() must agree
 * with it on the error, the number of extension fields and the MAC length.
 */
static int ref_walk(const u8 *d, size_t left, int vn, int *n_ext, int *mac_len)
{
	size_t l;

	if (!left)
		return 0;
	if (left == 4 || left == 20 || left == 24 ||
	    (vn < 4 && left % 4 == 0 && left >= 20 && left <= 68)) {
		*mac_len = (int)left;
		return 0;
	}
	if (vn != 4 || left < 16)
		return -NTP_WIRE_ETRAILER;
	l = (size_t)d[2] << 8 | d[3];
	if (l < 16 || l % 4 || l > left)
		return -NTP_WIRE_EEXTLEN;
	++*n_ext;
	return ref_walk(d + l, left - l, vn, n_ext, mac_len);
}

static int ref_decode(const u8 *d, size_t size, int *n_ext, int *mac_len)
{
	int vn;

	*n_ext = 0;
	*mac_len = 0;
	if (size < 48)
		return -NTP_WIRE_ESHORT;
	if (size > 48 + 1024 + 24)
		return -NTP_WIRE_ETOOLONG;
	vn = d[0] >> 3 & 7;
	if (vn < 1 || vn > 4)
		return -NTP_WIRE_EVERSION;
	return ref_walk(d + 48, size - 48, vn, n_ext, mac_len);
}

static s64 floor_div_ns(s64 ns)
{
	s64 s = ns / NS;

	return ns % NS < 0 ? s - 1 : s;
}

static void check_header_equal(const struct ntp_packet *a,
			       const struct ntp_packet *b)
{
	CHECK(a->leap == b->leap && a->version == b->version &&
	      a->mode == b->mode && a->stratum == b->stratum);
	CHECK(a->poll == b->poll && a->precision == b->precision);
	CHECK(a->root_delay == b->root_delay && a->root_disp == b->root_disp);
	CHECK(!memcmp(a->refid, b->refid, NTP_REFID_LEN));
	CHECK(a->ref_ts == b->ref_ts && a->org_ts == b->org_ts &&
	      a->rec_ts == b->rec_ts && a->xmt_ts == b->xmt_ts);
}

static void check_packet(const u8 *data, size_t size, const struct ntp_packet *p)
{
	struct ntp_packet q;
	u8 enc[NTP_HEADER_LEN];

	CHECK(p->version >= 1 && p->version <= 4);
	CHECK(p->leap <= 3 && p->mode <= 7);
	CHECK(p->version == 4 || p->n_ext == 0);
	CHECK(p->mac_len == 0 || p->mac_len == NTP_MAC_LEN_NAK ||
	      p->mac_len == NTP_MAC_LEN_MD5 || p->mac_len == NTP_MAC_LEN_SHA1 ||
	      (p->version < NTP_VERSION_EXT && !(p->mac_len % NTP_EXT_ALIGN) &&
	       p->mac_len >= NTP_MAC_V3_MIN_LEN &&
	       p->mac_len <= NTP_MAC_V3_MAX_LEN));
	CHECK(size >= NTP_HEADER_LEN + (size_t)NTP_EXT_MIN_LEN * p->n_ext +
	      p->mac_len);
	CHECK(p->n_ext || size == NTP_HEADER_LEN + (size_t)p->mac_len);
	CHECK(!p->mac_len || p->key_id == ntp_get_be32(data + size - p->mac_len));

	CHECK(ntp_encode(p, enc) == NTP_HEADER_LEN);
	CHECK(!memcmp(enc, data, NTP_HEADER_LEN));
	CHECK(ntp_decode(enc, sizeof(enc), &q) == 0);
	check_header_equal(p, &q);
	CHECK(q.n_ext == 0 && q.mac_len == 0 && q.key_id == 0);

	ntp_encode_xmt(enc, ~p->xmt_ts);
	CHECK(!memcmp(enc, data, NTP_OFF_XMT_TS));
	CHECK(ntp_decode(enc, sizeof(enc), &q) == 0);
	CHECK(q.xmt_ts == ~p->xmt_ts && q.rec_ts == p->rec_ts);
}

/*
 * Is @frac (2^-32 s) the nearest to the sub-second part of @ns, or (with
 * @carry) is the ns part the nearest to @frac, which may round up to 1 s?
 */
static int frac_ns_nearest(s64 ns, u32 frac, int carry)
{
	s64 r = ns - floor_div_ns(ns) * NS;	/* [0, 1e9) */
	s64 e;

	if (carry && r == 0 && frac >= 1U << 31)
		r = NS;
	e = r * (1LL << 32) - (s64)frac * NS;	/* |.| < 2^63 */
	if (carry)	/* ns nearest to frac: |e| <= 2^31 (half a ns) */
		return e >= -(1LL << 31) && e <= 1LL << 31;
	/* frac nearest to ns: |e| <= 5e8 (half a unit) */
	return e >= -NS / 2 && e <= NS / 2;
}

/* One timestamp read with one pivot; returns the ns, or 0 when saturated. */
static int check_ts(u64 ts, s64 pivot, s64 *ns_out)
{
	s64 ns = ntp_ts_to_ns(ts, pivot);
	s64 d_s;
	u64 back;

	if (ns == S64_MAX || ns == S64_MIN) {
		/* Only a pivot within 2^31 + 1 s of the s64 range's ends. */
		s64 pivot_s = floor_div_ns(pivot);

		CHECK(pivot_s > S64_MAX / NS - HALF_ERA_S - 2 ||
		      pivot_s < S64_MIN / NS + HALF_ERA_S + 2);
		return 0;
	}
	/* Within [-2^31, 2^31) s of the pivot's second (+1 s: fraction carry). */
	d_s = floor_div_ns(ns) - floor_div_ns(pivot);
	CHECK(d_s >= -HALF_ERA_S && d_s <= HALF_ERA_S);
	/* Same instant, modulo the era, to within 2 units of 2^-32 s. */
	back = ntp_ts_from_ns(ns);
	CHECK((s64)(back - ts) >= -2 && (s64)(back - ts) <= 2);
	/* Both conversions round to nearest (|error| <= half a unit). */
	CHECK(frac_ns_nearest(ns, (u32)ts, 1));
	CHECK(frac_ns_nearest(ns, (u32)back, 0));
	/* And ns -> ts -> ns is exact. */
	CHECK(ntp_ts_to_ns(back, ns) == ns);
	*ns_out = ns;
	return 1;
}

static void check_times(const struct ntp_packet *p)
{
	const u64 ts[4] = { p->ref_ts, p->org_ts, p->rec_ts, p->xmt_ts };
	/* Any s64, and one within about 73 years of 1970. */
	const s64 pivots[2] = { (s64)p->ref_ts, (s64)p->rec_ts >> 2 };
	const u32 shorts[2] = { p->root_delay, p->root_disp };
	s64 ns[4];
	int have[4];

	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 4; i++)
			have[i] = check_ts(ts[i], pivots[k], &ns[i]);
		for (int i = 0; i < 4; i++) {
			for (int j = 0; j < 4; j++) {
				u64 d = ts[i] - ts[j];
				s64 dij = ntp_ts_diff_ns(ts[i], ts[j]);
				s64 dji = ntp_ts_diff_ns(ts[j], ts[i]);
				s64 err;

				if (d == 1ULL << 63)	/* exactly 2^31 s: no sign */
					continue;
				CHECK(dij + dji == 0 || dij + dji == 1);
				if (!have[i] || !have[j] ||
				    ns[i] - ns[j] >= (HALF_ERA_S - 1) * NS ||
				    ns[i] - ns[j] <= -(HALF_ERA_S - 1) * NS)
					continue;
				err = dij - (ns[i] - ns[j]);
				CHECK(err >= -1 && err <= 1);
			}
		}
	}

	for (int i = 0; i < 2; i++) {
		u64 n = ntp_short_to_ns(shorts[i]);

		CHECK(n <= 65535999984741ULL);
		/* Nearest ns: |n * 2^16 - s * 1e9| <= 2^15 (half a ns). */
		CHECK((s64)(n << 16) - (s64)shorts[i] * NS <= 1 << 15 &&
		      (s64)shorts[i] * NS - (s64)(n << 16) <= 1 << 15);
		CHECK(ntp_short_from_ns((s64)n) == shorts[i]);
	}
	/* Any s64 as a duration: saturates, else within half a unit. */
	for (int i = 0; i < 4; i++) {
		s64 d = (s64)ts[i];
		u32 s = ntp_short_from_ns(d);

		if (d <= 0)
			CHECK(s == 0);
		else if (d >= 65536LL * NS)
			CHECK(s == U32_MAX);
		else if (s != U32_MAX)
			CHECK((s64)ntp_short_to_ns(s) - d <= 7630 &&
			      d - (s64)ntp_short_to_ns(s) <= 7630);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ntp_packet p;
	int rc = ntp_decode(data, size, &p);
	int n_ext, mac_len;

	CHECK(rc == ref_decode(data, size, &n_ext, &mac_len));
	if (rc) {
		CHECK(rc < 0 && -rc <= NTP_WIRE_EMAX);
		CHECK(strcmp(ntp_wire_strerror(rc), "unknown"));
		return 0;
	}
	CHECK(p.n_ext == n_ext && p.mac_len == mac_len);
	CHECK(ntp_is_kiss(&p, (const char *)p.refid) == (p.stratum == 0));
	check_packet(data, size, &p);
	check_times(&p);
	return 0;
}
