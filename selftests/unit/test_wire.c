// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/core/wire.c: header decode/encode, the extension-field
 * and MAC walk, and the time-format conversions. Every buffer handed to
 * ntp_decode() is malloc'ed to its exact length, so ASan reports any read
 * past the end.
 *
 * Expected values are worked out by hand in the comments. Calendar facts
 * used below (Unix seconds):
 *   1900-01-01T00:00:00Z  -2208988800  (= -NTP_UNIX_EPOCH_S; NTP era 0 start)
 *   1960-01-01T00:00:00Z   -315619200  (10 years, 3 leap days: 3653 days)
 *   1968-01-20T03:14:08Z    -61505152  (NTP era-0 second 2^31)
 *   2000-01-01T00:00:00Z    946684800
 *   2036-02-07T06:28:16Z   2085978496  (= 2^32 - 2208988800: era 1 start)
 *   2040-01-01T00:00:00Z   2208988800  (70 years with 17 leap days, exactly
 *                                       like 1900..1970)
 *
 * Set WIRE_EXHAUSTIVE=1 to check the ns -> timestamp -> ns round trip for
 * all 10^9 ns of each test second instead of a sample (5 * 10^9 values:
 * about 25 s when built with -O2 and without sanitizers).
 */
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "tap.h"

#define NS		NTP_NSEC_PER_SEC
#define T1900_S		(-2208988800LL)
#define T1960_S		(-315619200LL)
#define T1968_S		(-61505152LL)	/* era 0, second 2^31 */
#define T2000_S		946684800LL
#define T2036_S		2085978496LL	/* era 1, second 0 */
#define T2040_S		2208988800LL

/* xorshift64*: a fixed-seed generator, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A copy of @src in a heap block of exactly @len bytes (ASan guards it). */
static u8 *exact(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, src, len);
	return p;
}

static int decode_exact(const u8 *src, size_t len, struct ntp_packet *pkt)
{
	u8 *p = exact(src, len);
	int rc = ntp_decode(p, len, pkt);

	free(p);
	return rc;
}

/*
 * A reference header with a distinct value in every field:
 * LI 2, VN 4, mode 3 -> 10 100 011 = 0xa3; stratum 2; poll 6;
 * precision -20 = 0xec; root delay 0x00012345; root dispersion 0x0000abcd;
 * refid 192.168.1.1; the four timestamps 0x0102..08, 0x1112..18, ...
 */
static const u8 ref_hdr[NTP_HEADER_LEN] = {
	0xa3, 0x02, 0x06, 0xec,
	0x00, 0x01, 0x23, 0x45,
	0x00, 0x00, 0xab, 0xcd,
	0xc0, 0xa8, 0x01, 0x01,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
};

static void test_header(void)
{
	static const u8 refid[4] = { 0xc0, 0xa8, 0x01, 0x01 };
	struct ntp_packet p, q;
	u8 buf[NTP_HEADER_LEN];
	int rc;

	rc = decode_exact(ref_hdr, sizeof(ref_hdr), &p);
	is_s64(rc, 0, "decode the reference header");
	is_s64(p.leap, 2, "leap from the top 2 bits of 0xa3");
	is_s64(p.version, 4, "version from bits 5..3 of 0xa3");
	is_s64(p.mode, 3, "mode from the low 3 bits of 0xa3");
	is_s64(p.stratum, 2, "stratum");
	is_s64(p.poll, 6, "poll");
	is_s64(p.precision, -20, "precision 0xec is -20 (signed)");
	is_s64(p.root_delay, 0x00012345, "root delay, big-endian");
	is_s64(p.root_disp, 0x0000abcd, "root dispersion, big-endian");
	ok(!memcmp(p.refid, refid, 4), "refid kept in wire order");
	ok(p.ref_ts == 0x0102030405060708ULL, "reference timestamp");
	ok(p.org_ts == 0x1112131415161718ULL, "origin timestamp");
	ok(p.rec_ts == 0x2122232425262728ULL, "receive timestamp");
	ok(p.xmt_ts == 0xf1f2f3f4f5f6f7f8ULL, "transmit timestamp (top bit set)");
	ok(p.n_ext == 0 && p.mac_len == 0 && p.key_id == 0,
	   "bare header: no extension field, no MAC");

	memset(buf, 0x55, sizeof(buf));
	is_s64(ntp_encode(&p, buf), NTP_HEADER_LEN, "encode returns 48");
	ok(!memcmp(buf, ref_hdr, sizeof(buf)), "encode(decode(h)) == h, byte for byte");

	/* Field extremes survive encode -> decode. */
	memset(&p, 0, sizeof(p));
	p.leap = NTP_LEAP_NOSYNC;
	p.version = 1;
	p.mode = NTP_MODE_PRIVATE;
	p.stratum = 255;
	p.poll = -128;
	p.precision = 127;
	p.root_delay = 0xffffffff;
	p.root_disp = 0x80000001;
	memcpy(p.refid, "RATE", 4);
	p.ref_ts = ~0ULL;
	p.org_ts = 1;
	p.rec_ts = 0x8000000000000000ULL;
	p.xmt_ts = 0x7fffffffffffffffULL;
	ntp_encode(&p, buf);
	is_s64(buf[0], 0xcf, "LI 3, VN 1, mode 7 -> 11 001 111");
	rc = decode_exact(buf, sizeof(buf), &q);
	ok(rc == 0 && q.leap == 3 && q.version == 1 && q.mode == 7 &&
	   q.stratum == 255 && q.poll == -128 && q.precision == 127 &&
	   q.root_delay == 0xffffffff && q.root_disp == 0x80000001 &&
	   !memcmp(q.refid, "RATE", 4) && q.ref_ts == ~0ULL && q.org_ts == 1 &&
	   q.rec_ts == 0x8000000000000000ULL &&
	   q.xmt_ts == 0x7fffffffffffffffULL, "extreme field values round trip");

	/* Out-of-range leap/version/mode are masked, not spilled over. */
	p.leap = 0xff;
	p.version = 0xfc;	/* low 3 bits: 4 */
	p.mode = 0xf9;		/* low 3 bits: 1 */
	ntp_encode(&p, buf);
	is_s64(buf[0], 0xe1, "encode masks leap/version/mode: 11 100 001");

	/* Every (leap, version 1..4, mode) combination. */
	rc = 0;
	for (int li = 0; li < 4; li++)
		for (int vn = 1; vn <= 4; vn++)
			for (int m = 0; m < 8; m++) {
				p.leap = li;
				p.version = vn;
				p.mode = m;
				ntp_encode(&p, buf);
				if (decode_exact(buf, sizeof(buf), &q) ||
				    q.leap != li || q.version != vn || q.mode != m)
					rc++;
			}
	is_s64(rc, 0, "all 128 leap/version/mode combinations round trip");

	/* ntp_encode_xmt() writes bytes 40..47 and nothing else. */
	memcpy(buf, ref_hdr, sizeof(buf));
	ntp_encode_xmt(buf, 0x83aa7e8080000000ULL);
	ok(!memcmp(buf, ref_hdr, NTP_OFF_XMT_TS), "encode_xmt leaves bytes 0..39");
	ok(buf[40] == 0x83 && buf[41] == 0xaa && buf[42] == 0x7e &&
	   buf[43] == 0x80 && buf[44] == 0x80 && buf[45] == 0 &&
	   buf[46] == 0 && buf[47] == 0, "encode_xmt writes big-endian");
	rc = decode_exact(buf, sizeof(buf), &q);
	ok(rc == 0 && q.xmt_ts == 0x83aa7e8080000000ULL &&
	   q.rec_ts == 0x2122232425262728ULL, "decode sees the patched xmt only");
}

static void test_helpers(void)
{
	u8 b[8];

	ntp_put_be64(b, 0x0123456789abcdefULL);
	ok(b[0] == 0x01 && b[3] == 0x67 && b[7] == 0xef, "put_be64 byte order");
	ok(ntp_get_be64(b) == 0x0123456789abcdefULL, "get_be64(put_be64(x))");
	is_s64(ntp_get_be32(b + 1), 0x23456789, "get_be32 at an odd address");
	is_s64(ntp_get_be16(b + 5), 0xabcd, "get_be16 at an odd address");
	ntp_put_be16(b + 1, 0xfffe);
	ok(b[0] == 0x01 && b[1] == 0xff && b[2] == 0xfe && b[3] == 0x67,
	   "put_be16 touches its two bytes only");
}

static void test_lengths(void)
{
	u8 big[NTP_WIRE_MAX_LEN + 1];
	struct ntp_packet p;
	int bad = 0;

	/* Every truncation of a valid header is "short". */
	for (size_t len = 0; len < NTP_HEADER_LEN; len++)
		if (decode_exact(ref_hdr, len, &p) != -NTP_WIRE_ESHORT)
			bad++;
	is_s64(bad, 0, "lengths 0..47 all give -NTP_WIRE_ESHORT");

	/*
	 * The longest accepted packet: header, one 1024-byte extension
	 * field, a 24-byte MAC = 48 + 1024 + 24 = 1096 bytes.
	 */
	memset(big, 0, sizeof(big));
	memcpy(big, ref_hdr, NTP_HEADER_LEN);
	ntp_put_be16(big + 48, 0x0104);		/* some type */
	ntp_put_be16(big + 50, 1024);
	ntp_put_be32(big + 48 + 1024, 77);	/* key ID */
	is_s64(NTP_WIRE_MAX_LEN, 1096, "bound: 48 + 1024 + 24");
	is_s64(decode_exact(big, 1096, &p), 0, "1096 bytes: accepted");
	ok(p.n_ext == 1 && p.mac_len == 24 && p.key_id == 77,
	   "1096 bytes: one extension field and a SHA-1 MAC, key 77");
	is_s64(decode_exact(big, 1097, &p), -NTP_WIRE_ETOOLONG,
	       "1097 bytes: too long");
	big[0] = 0;	/* version 0 as well: the length is checked first */
	is_s64(decode_exact(big, 1097, &p), -NTP_WIRE_ETOOLONG,
	       "too long is reported before the version");
}

static void test_versions(void)
{
	u8 buf[NTP_HEADER_LEN];
	struct ntp_packet p;

	memcpy(buf, ref_hdr, sizeof(buf));
	for (int vn = 0; vn < 8; vn++) {
		int want = vn >= 1 && vn <= 4 ? 0 : -NTP_WIRE_EVERSION;

		buf[0] = (u8)(0x03 | vn << 3);	/* LI 0, mode 3 */
		is_s64(decode_exact(buf, sizeof(buf), &p), want,
		       "version %d: %s", vn, want ? "rejected" : "accepted");
	}
	/* The decoder leaves mode checks to dispatch. */
	buf[0] = 0x20;	/* LI 0, VN 4, mode 0 */
	ok(decode_exact(buf, sizeof(buf), &p) == 0 && p.mode == 0,
	   "mode 0 decodes as mode 0");
}

/* Header (version @vn) + @tail of @tail_len bytes, decoded at exact size. */
static int decode_tail(int vn, const u8 *tail, size_t tail_len,
		       struct ntp_packet *p)
{
	u8 buf[NTP_WIRE_MAX_LEN];

	memcpy(buf, ref_hdr, NTP_HEADER_LEN);
	buf[0] = (u8)(0x03 | vn << 3);
	memcpy(buf + NTP_HEADER_LEN, tail, tail_len);
	return decode_exact(buf, NTP_HEADER_LEN + tail_len, p);
}

/* An extension field header: type, length in bytes; body zero-filled. */
static size_t put_ef(u8 *at, u16 type, u16 len, size_t fill)
{
	memset(at, 0, fill);
	ntp_put_be16(at, type);
	ntp_put_be16(at + 2, len);
	return fill;
}

static void test_extensions(void)
{
	struct ntp_packet p;
	u8 t[1024];
	size_t n;
	int rc;

	n = put_ef(t, 0x0104, 16, 16);
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 1 && p.mac_len == 0,
	   "one extension field of exactly 16 bytes");

	n = put_ef(t, 0x0104, 16, 16);
	n += put_ef(t + n, 0x0204, 32, 32);
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 2 && p.mac_len == 0,
	   "two extension fields (16 + 32)");

	n = put_ef(t, 0x0104, 28, 28);
	ntp_put_be32(t + n, 0x01020304);
	n += 20;
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 1 && p.mac_len == 20 && p.key_id == 0x01020304,
	   "extension field + 20-byte MAC: key ID read");

	n = put_ef(t, 0x0104, 28, 28);
	n += put_ef(t + n, 0x0104, 16, 16);
	memset(t + n, 0, 24);
	ntp_put_be32(t + n, 0xfffffffe);
	n += 24;
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 2 && p.mac_len == 24 && p.key_id == 0xfffffffe,
	   "two extension fields + 24-byte MAC");

	n = put_ef(t, 0x0104, 28, 28);
	ntp_put_be32(t + n, 0);
	n += 4;
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 1 && p.mac_len == 4 && p.key_id == 0,
	   "extension field + crypto-NAK");

	/* 61 fields of 16 bytes: 48 + 976 = 1024 bytes, + a 24-byte MAC. */
	n = 0;
	for (int i = 0; i < 61; i++)
		n += put_ef(t + n, (u16)i, 16, 16);
	memset(t + n, 0, 24);
	n += 24;
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 61 && p.mac_len == 24, "61 extension fields + MAC");

	/* Bad lengths; the remainder is never a MAC size. */
	n = put_ef(t, 0x0104, 12, 16);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN, "length 12 < 16");
	n = put_ef(t, 0x0104, 0, 16);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN,
	       "length 0 (would loop forever if skipped)");
	n = put_ef(t, 0x0104, 18, 32);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN,
	       "length 18, not a multiple of 4");
	n = put_ef(t, 0x0104, 32, 28);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN,
	       "length 32 with 28 bytes left");
	n = put_ef(t, 0x0104, 0xfffc, 64);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN,
	       "length 0xfffc with 64 bytes left");
	n = put_ef(t, 0x0104, 16, 16);
	n += put_ef(t + n, 0x0104, 36, 32);
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_EEXTLEN,
	       "second field runs past the end");

	/*
	 * An extension field followed by 8 bytes: neither EF nor MAC. (Not
	 * a 16-byte field: 16 + 8 = 24 would be read as a SHA-1 MAC.)
	 */
	n = put_ef(t, 0x0104, 28, 28);
	memset(t + n, 0, 8);
	n += 8;
	is_s64(decode_tail(4, t, n, &p), -NTP_WIRE_ETRAILER,
	       "extension field + 8 stray bytes");

	/*
	 * The length rule decides, not the content: a lone 20-byte extension
	 * field (no MAC) is taken for an MD5 MAC, and so is a 16-byte field
	 * followed by a crypto-NAK. RFC 5905 (erratum 3627) asks senders to
	 * make a lone or last field without MAC at least 28 bytes for this
	 * reason.
	 */
	n = put_ef(t, 0x0104, 20, 20);
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 0 && p.mac_len == 20 && p.key_id == 0x01040014,
	   "lone 20-byte field reads as a MAC (key ID = type:length)");
	n = put_ef(t, 0x0104, 16, 16);
	memset(t + n, 0, 4);
	n += 4;
	rc = decode_tail(4, t, n, &p);
	ok(rc == 0 && p.n_ext == 0 && p.mac_len == 20,
	   "16-byte field + crypto-NAK reads as a 20-byte MAC");
}

static void test_trailers(void)
{
	struct ntp_packet p;
	u8 t[80];
	int rc;

	for (int i = 0; i < 24; i++)
		t[i] = (u8)(0xa0 + i);
	/* Legacy MACs alone: the key ID is the first 4 bytes, a0 a1 a2 a3. */
	for (int vn = 1; vn <= 4; vn++) {
		static const size_t sizes[] = { 4, 20, 24 };

		for (int i = 0; i < 3; i++) {
			rc = decode_tail(vn, t, sizes[i], &p);
			ok(rc == 0 && p.mac_len == sizes[i] && p.n_ext == 0 &&
			   p.key_id == 0xa0a1a2a3,
			   "version %d, %zu-byte MAC", vn, sizes[i]);
		}
	}

	/* Sizes that are neither a MAC nor room for an extension field. */
	is_s64(decode_tail(4, t, 1, &p), -NTP_WIRE_ETRAILER, "1 stray byte");
	is_s64(decode_tail(4, t, 8, &p), -NTP_WIRE_ETRAILER, "8 stray bytes");
	is_s64(decode_tail(4, t, 12, &p), -NTP_WIRE_ETRAILER, "12 stray bytes");
	/* 21 bytes: room for a field, so its header is read: a0a1 a2a3. */
	is_s64(decode_tail(4, t, 21, &p), -NTP_WIRE_EEXTLEN,
	       "21 bytes: length 0xa2a3 does not fit");
	memset(t, 0, 21);
	ntp_put_be16(t + 2, 16);
	is_s64(decode_tail(4, t, 21, &p), -NTP_WIRE_ETRAILER,
	       "21 bytes: a 16-byte field, then 5 stray bytes");

	/* NTPv3 and older have no extension fields (RFC 1305). */
	memset(t, 0, sizeof(t));
	ntp_put_be16(t, 0x0104);
	ntp_put_be16(t + 2, 16);
	is_s64(decode_tail(4, t, 16, &p), 0, "v4: a 16-byte extension field");
	is_s64(decode_tail(3, t, 16, &p), -NTP_WIRE_ETRAILER,
	       "v3: the same 16 bytes are rejected");
	/* ... and any 4-aligned remainder of 20..68 bytes is a MAC. */
	is_s64(decode_tail(3, t, 36, &p), 0, "v3: 36 bytes are a MAC");
	ok(p.mac_len == 36 && p.key_id == 0x01040010 && !p.n_ext,
	   "  a whole SHA-256 digest after the key id, as chrony sends");
	is_s64(decode_tail(2, t, 32, &p), 0, "v2: 32 bytes are a MAC");
	is_s64(decode_tail(3, t, 68, &p), 0, "v3: 68 bytes (SHA-512) are a MAC");
	is_s64(decode_tail(3, t, 72, &p), -NTP_WIRE_ETRAILER,
	       "v3: 72 bytes are too long for a MAC");
	is_s64(decode_tail(3, t, 30, &p), -NTP_WIRE_ETRAILER,
	       "v3: 30 bytes are not 4-aligned");
}

static void test_kiss_strerror(void)
{
	struct ntp_packet p;
	const char *names[__NTP_WIRE_EMAX];
	int distinct = 1;

	memset(&p, 0, sizeof(p));
	memcpy(p.refid, "RATE", 4);
	ok(ntp_is_kiss(&p, "RATE"), "stratum 0, RATE: kiss RATE");
	ok(!ntp_is_kiss(&p, "DENY"), "stratum 0, RATE: not DENY");
	ok(!ntp_is_kiss(&p, "RATF"), "last byte differs: not RATE");
	p.stratum = 1;
	ok(!ntp_is_kiss(&p, "RATE"), "stratum 1 is never a kiss");

	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_ESHORT), "short"), "name short");
	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_EVERSION), "version"), "name version");
	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_EEXTLEN), "ext-length"),
	   "name ext-length");
	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_ETRAILER), "trailer"), "name trailer");
	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_ETOOLONG), "too-long"),
	   "name too-long");
	ok(!strcmp(ntp_wire_strerror(0), "ok"), "name of 0");
	ok(!strcmp(ntp_wire_strerror(-NTP_WIRE_EMAX - 1), "unknown"),
	   "name of an out-of-range error");
	for (int i = 1; i <= NTP_WIRE_EMAX; i++) {
		names[i] = ntp_wire_strerror(-i);
		if (!strcmp(names[i], "unknown"))
			distinct = 0;
		for (int j = 1; j < i; j++)
			if (!strcmp(names[i], names[j]))
				distinct = 0;
	}
	ok(distinct, "every error has its own name");
}

/* Random bytes: the decoder stays in bounds and is consistent. */
static void test_garbage(void)
{
	static const int errs[] = {
		-NTP_WIRE_ESHORT, -NTP_WIRE_ETOOLONG, -NTP_WIRE_EVERSION,
		-NTP_WIRE_EEXTLEN, -NTP_WIRE_ETRAILER,
	};
	int n_ok = 0, n_err = 0, n_ext = 0, n_mac = 0, bad = 0;
	u8 src[NTP_WIRE_MAX_LEN + 8], enc[NTP_HEADER_LEN];
	struct ntp_packet p;

	for (int iter = 0; iter < 300000; iter++) {
		size_t len = rng() % (iter & 1 ? sizeof(src) : 160);
		size_t pos = NTP_HEADER_LEN;
		int rc, known = 0;

		for (size_t i = 0; i < len; i++)
			src[i] = (u8)rng();
		/* Make half of them plausible: v4 and valid-ish EF lengths. */
		if (iter & 2 && len) {
			src[0] = (src[0] & 0xc7) | 4 << 3;
			while (pos + 4 <= len && rng() % 8) {
				u16 l = (u16)(16 + 4 * (rng() % 8));

				if (rng() % 16 == 0)
					l = (u16)rng();
				ntp_put_be16(src + pos + 2, l);
				pos += l;
			}
		}
		rc = decode_exact(src, len, &p);
		if (rc) {
			for (size_t i = 0; i < ARRAY_SIZE(errs); i++)
				known |= rc == errs[i];
			if (!known)
				bad++;
			n_err++;
			continue;
		}
		n_ok++;
		n_ext += p.n_ext > 0;
		n_mac += p.mac_len > 0;
		/* Consistent: fields in range, the parts fit in len. */
		if (p.version < 1 || p.version > 4 || p.leap > 3 || p.mode > 7 ||
		    (p.version < 4 && p.n_ext) ||
		    !(p.mac_len == 0 || p.mac_len == 4 || p.mac_len == 20 ||
		      p.mac_len == 24 ||
		      (p.version < 4 && p.mac_len % 4 == 0 &&
		       p.mac_len >= NTP_MAC_V3_MIN_LEN &&
		       p.mac_len <= NTP_MAC_V3_MAX_LEN)) ||
		    len < NTP_HEADER_LEN + 16U * p.n_ext + p.mac_len ||
		    (p.mac_len && p.key_id != ntp_get_be32(src + len - p.mac_len)) ||
		    (!p.n_ext && len != NTP_HEADER_LEN + (size_t)p.mac_len))
			bad++;
		ntp_encode(&p, enc);
		if (memcmp(enc, src, NTP_HEADER_LEN))
			bad++;
	}
	is_s64(bad, 0, "300000 random packets: known error or consistent packet");
	ok(n_ok > 1000 && n_err > 1000 && n_ext > 100 && n_mac > 100,
	   "the random packets reach every outcome (ok %d, err %d, ext %d, mac %d)",
	   n_ok, n_err, n_ext, n_mac);
}

static void test_ts_vectors(void)
{
	/* 1970-01-01 is era-0 second 2208988800 = 0x83aa7e80, fraction 0. */
	ok(ntp_ts_from_ns(0) == 0x83aa7e8000000000ULL, "1970-01-01 -> 0x83aa7e80.00000000");
	/* 0.5 s is exactly 2^31 / 2^32. */
	ok(ntp_ts_from_ns(NS / 2) == 0x83aa7e8080000000ULL, "+0.5 s -> .80000000");
	/* 1 ns = 2^32 / 1e9 = 4.295 units -> 4. */
	ok(ntp_ts_from_ns(1) == 0x83aa7e8000000004ULL, "+1 ns -> .00000004");
	/*
	 * -1 ns is second 0x83aa7e7f, fraction (1e9 - 1) * 2^32 / 1e9 =
	 * 2^32 - 4.295 = 4294967291.705 -> 4294967292 = 0xfffffffc.
	 */
	ok(ntp_ts_from_ns(-1) == 0x83aa7e7ffffffffcULL, "-1 ns -> 0x83aa7e7f.fffffffc");
	/* 1900-01-01 and 2036-02-07T06:28:16Z are both second 0 of an era. */
	ok(ntp_ts_from_ns(T1900_S * NS) == 0, "1900-01-01 -> 0");
	ok(ntp_ts_from_ns(T2036_S * NS) == 0, "2036-02-07T06:28:16Z -> 0 (era 1)");
	ok(ntp_ts_from_ns(T2036_S * NS - 1) == 0xfffffffffffffffcULL,
	   "1 ns before era 1 -> 0xffffffff.fffffffc");
	/* 2000-01-01: 946684800 + 2208988800 = 3155673600 = 0xbc17c200. */
	ok(ntp_ts_from_ns(T2000_S * NS) == 0xbc17c20000000000ULL, "2000-01-01 -> 0xbc17c200");
	/* 2040-01-01: 2 * 2208988800 - 2^32 = 123010304 = 0x0754fd00. */
	ok(ntp_ts_from_ns(T2040_S * NS) == 0x0754fd0000000000ULL, "2040-01-01 -> 0x0754fd00");

	is_s64(ntp_ts_to_ns(0x83aa7e8000000000ULL, 0), 0, "0x83aa7e80 near 1970 -> 0");
	is_s64(ntp_ts_to_ns(0xbc17c20080000000ULL, T2036_S * NS), T2000_S * NS + NS / 2,
	       "2000-01-01T00:00:00.5 read with a pivot in 2036");
	/* 0xffffffff fraction is 1e9 - 0.233 ns -> 1e9: carries into seconds. */
	is_s64(ntp_ts_to_ns(0x83aa7e7fffffffffULL, 0), 0, "0x83aa7e7f.ffffffff -> 0 ns");
}

static void test_eras(void)
{
	u64 before = 0xffffffff80000000ULL;	/* 2036-02-07T06:28:15.5Z */
	u64 after = 0x0000000080000000ULL;	/* 2036-02-07T06:28:16.5Z */

	/* Second 0 of some era, read with pivots at various times. */
	is_s64(ntp_ts_to_ns(0, T2040_S * NS), T2036_S * NS, "ts 0, pivot 2040 -> 2036");
	is_s64(ntp_ts_to_ns(0, T2000_S * NS), T2036_S * NS,
	       "ts 0, pivot 2000 -> 2036 (within 68 years)");
	is_s64(ntp_ts_to_ns(0, 0), T2036_S * NS, "ts 0, pivot 1970 -> 2036");
	is_s64(ntp_ts_to_ns(0, T1960_S * NS), T1900_S * NS, "ts 0, pivot 1960 -> 1900");
	/*
	 * The window is [pivot - 2^31 s, pivot + 2^31 s). Pivot at era-0
	 * second 2^31 (1968-01-20T03:14:08Z): 0 is exactly 2^31 s before it,
	 * inside -> 1900. One second later, 1900 is 2^31 + 1 s behind (out)
	 * and 2036 is 2^31 - 1 s ahead (in) -> 2036.
	 */
	is_s64(ntp_ts_to_ns(0, T1968_S * NS), T1900_S * NS,
	       "ts 0, pivot 1968-01-20T03:14:08 -> 1900 (edge, -2^31 s)");
	is_s64(ntp_ts_to_ns(0, (T1968_S + 1) * NS), T2036_S * NS,
	       "ts 0, pivot 1 s later -> 2036 (+2^31 - 1 s)");
	is_s64(ntp_ts_to_ns(0, (T1968_S + 1) * NS - 1), T1900_S * NS,
	       "ts 0, pivot 1 ns earlier still in the same second -> 1900");

	/* Both sides of 2036-02-07T06:28:16Z, pivots just before and after. */
	is_s64(ntp_ts_to_ns(before, (T2036_S - 1) * NS), T2036_S * NS - NS / 2,
	       "06:28:15.5, pivot 1 s before the boundary");
	is_s64(ntp_ts_to_ns(after, (T2036_S - 1) * NS), T2036_S * NS + NS / 2,
	       "06:28:16.5, pivot 1 s before the boundary -> era 1");
	is_s64(ntp_ts_to_ns(before, (T2036_S + 1) * NS), T2036_S * NS - NS / 2,
	       "06:28:15.5, pivot 1 s after the boundary -> era 0");
	is_s64(ntp_ts_to_ns(after, (T2036_S + 1) * NS), T2036_S * NS + NS / 2,
	       "06:28:16.5, pivot 1 s after the boundary");
	/* A 2020 timestamp (era 0) read with a clock in 2050 (era 1). */
	is_s64(ntp_ts_to_ns(ntp_ts_from_ns(1577836800LL * NS), 2524608000LL * NS),
	       1577836800LL * NS, "2020-01-01 read in 2050");
	/* And 2050 read in 2020. */
	is_s64(ntp_ts_to_ns(ntp_ts_from_ns(2524608000LL * NS), 1577836800LL * NS),
	       2524608000LL * NS, "2050-01-01 read in 2020");

	/* Differences across the boundary are modular. */
	is_s64(ntp_ts_diff_ns(after, before), NS, "diff across 2036: +1 s");
	is_s64(ntp_ts_diff_ns(before, after), -NS, "diff across 2036: -1 s");
	is_s64(ntp_ts_diff_ns(0x0000000100000000ULL, 0xffffffff00000000ULL), 2 * NS,
	       "era-1 second 1 minus era-0 last second: 2 s");
	/* -0.25 s: d = 2^64 - 2^30 = second -1 + fraction 0.75. */
	is_s64(ntp_ts_diff_ns(0, 0x0000000040000000ULL), -NS / 4, "diff -0.25 s");
	is_s64(ntp_ts_diff_ns(0x0000000040000000ULL, 0), NS / 4, "diff +0.25 s");
	is_s64(ntp_ts_diff_ns(5, 5), 0, "diff of equal timestamps");
	is_s64(ntp_ts_diff_ns(0x7fffffff00000000ULL, 0), 2147483647LL * NS,
	       "diff 2^31 - 1 s: the largest positive second");
	is_s64(ntp_ts_diff_ns(0x8000000000000000ULL, 0), -2147483648LL * NS,
	       "diff of 2^31 s wraps to -2^31 s (past the 68-year validity)");
	/* Matches ntp_ts_to_ns() on both sides, to within rounding. */
	is_s64(ntp_ts_diff_ns(ntp_ts_from_ns(T2036_S * NS + 123456789),
			      ntp_ts_from_ns(T2036_S * NS - 987654321)),
	       123456789 + 987654321, "diff of converted times across 2036");

	/* Saturation for extreme pivots, never overflow. */
	ok(ntp_ts_to_ns(~0ULL, S64_MAX) == S64_MAX, "pivot S64_MAX, late ts saturates");
	ok(ntp_ts_to_ns(0, S64_MIN) == S64_MIN, "pivot S64_MIN, early ts saturates");
}

/* Every ns in the first and last 10^5 and around 0.5 s, else every 997th. */
static s64 next_sample(s64 ns, int all)
{
	static const s64 dense[][2] = {		/* [from, to) */
		{ 0, 100000 }, { NS / 2 - 1000, NS / 2 + 1000 }, { NS - 100000, NS },
	};

	if (all)
		return ns + 1;
	for (size_t i = 0; i < ARRAY_SIZE(dense); i++) {
		if (ns + 1 >= dense[i][0] && ns + 1 < dense[i][1])
			return ns + 1;
		if (ns < dense[i][0] && ns + 997 > dense[i][0])
			return dense[i][0];
	}
	return ns + 997;
}

/*
 * ns -> timestamp -> ns is exact for every ns in [0, 1e9): the first step
 * errs by at most 2^-33 s (0.117 ns), the second by at most 0.5 ns, so the
 * result is within 0.617 ns of the integer we started from, and is itself an
 * integer. Checked over a sample (WIRE_EXHAUSTIVE: all of them), in both
 * eras and on both sides of 1970, together with the seconds field and the
 * fraction strictly increasing with ns.
 */
static void test_fraction_round_trip(void)
{
	static const s64 bases[] = { 1700000000LL, T2036_S - 1, T2036_S, T1900_S, -1 };
	int exhaustive = !!getenv("WIRE_EXHAUSTIVE");
	u64 checked = 0, bad = 0, nonmono = 0;

	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		s64 base = bases[b] * NS;
		u32 want_s = (u32)(bases[b] + NTP_UNIX_EPOCH_S);
		u32 prev_frac = 0;
		s64 prev_ns = -2;

		for (s64 ns = 0; ns < NS; ns = next_sample(ns, exhaustive)) {
			u64 ts = ntp_ts_from_ns(base + ns);

			checked++;
			if (ntp_ts_to_ns(ts, base) != base + ns ||
			    (u32)(ts >> 32) != want_s)
				bad++;
			if (prev_ns == ns - 1 && (u32)ts <= prev_frac)
				nonmono++;
			prev_frac = (u32)ts;
			prev_ns = ns;
		}
	}
	ok(checked >= (exhaustive ? 5000000000ULL : 5000000ULL),
	   "fraction round trip: %llu values checked", (unsigned long long)checked);
	is_s64(bad, 0, "ns -> ts -> ns exact, seconds field right");
	is_s64(nonmono, 0, "fraction strictly increasing with ns");
}

static void test_short(void)
{
	int bad = 0;

	is_s64(ntp_short_from_ns(NS), 0x00010000, "1 s -> 0x00010000");
	is_s64(ntp_short_from_ns(NS / 2), 0x00008000, "0.5 s -> 0x00008000");
	/* One unit is 1e9 / 65536 = 15258.789 ns; half of it 7629.39 ns. */
	is_s64(ntp_short_from_ns(7629), 0, "7629 ns rounds down to 0");
	is_s64(ntp_short_from_ns(7630), 1, "7630 ns rounds up to 1");
	is_s64(ntp_short_from_ns(0), 0, "0 -> 0");
	is_s64(ntp_short_from_ns(-5), 0, "negative saturates at 0");
	is_s64(ntp_short_from_ns(S64_MIN), 0, "S64_MIN saturates at 0");
	/*
	 * 0xffffffff is 65535 + 65535/65536 s = 65535999984741.2 ns; the
	 * rounding boundary below it is 0xfffffffe.8 = 65535999977111.8 ns.
	 */
	is_s64(ntp_short_from_ns(65535999977111LL), 0xfffffffe, "just below 0xffffffff.8");
	is_s64(ntp_short_from_ns(65535999977112LL), 0xffffffff, "rounds to 0xffffffff");
	is_s64(ntp_short_from_ns(65535999999999LL), 0xffffffff,
	       "65535.999999999 s saturates (would round to 2^32)");
	is_s64(ntp_short_from_ns(65536LL * NS), 0xffffffff, "65536 s saturates");
	is_s64(ntp_short_from_ns(S64_MAX), 0xffffffff, "S64_MAX saturates");

	is_s64(ntp_short_to_ns(0x00010000), NS, "0x00010000 -> 1 s");
	is_s64(ntp_short_to_ns(1), 15259, "1 unit -> 15258.79 -> 15259 ns");
	is_s64(ntp_short_to_ns(0x8000), NS / 2, "0x8000 -> 0.5 s");
	is_s64(ntp_short_to_ns(0xffffffff), 65535999984741LL, "0xffffffff -> 65535999984741 ns");

	/* short -> ns -> short is exact: 0.5 ns is 3.3e-5 of a unit. */
	for (u64 s = 0; s <= 0xffffffffULL; s += 0x10001 + (s & 0xff))
		if (ntp_short_from_ns((s64)ntp_short_to_ns((u32)s)) != s)
			bad++;
	for (u32 s = 0; s < 70000; s++)
		if (ntp_short_from_ns((s64)ntp_short_to_ns(s)) != s ||
		    ntp_short_from_ns((s64)ntp_short_to_ns(~s)) != ~s)
			bad++;
	is_s64(bad, 0, "short -> ns -> short exact");
}

int main(void)
{
	test_helpers();
	test_header();
	test_lengths();
	test_versions();
	test_extensions();
	test_trailers();
	test_kiss_strerror();
	test_garbage();
	test_ts_vectors();
	test_eras();
	test_fraction_round_trip();
	test_short();
	return done();
}
