// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: NTP packet decode/encode (RFC 5905 sec. 7.3), extension-field
 * walk (RFC 7822), MAC placement, and time-format conversions (sec. 6).
 *
 * Time formats. A 64-bit NTP timestamp is 32 bits of seconds since the start
 * of its era and 32 bits of fraction (2^-32 s, about 233 ps). Era 0 began
 * 1900-01-01T00:00:00Z; era 1 begins 2036-02-07T06:28:16Z. The wire carries
 * no era number, so a timestamp names one instant in every era, 2^32 s
 * apart; ntp_ts_to_ns() picks the one closest to a pivot time the caller
 * knows is near (its own clock). The short format is 16.16 bits of seconds.
 *
 * Rounding. ns -> fraction rounds to the nearest 2^-32 s (error <= 0.117 ns)
 * and fraction -> ns rounds to the nearest ns (error <= 0.5 ns). Their sum
 * is below 1 ns, so ns -> timestamp -> ns gives back exactly the same
 * integer for every ns: the fraction round trip is exact.
 */
#include "wire.h"

#define NTP_FRAC_SHIFT		32	/* timestamp fraction bits */
#define NTP_FRAC_HALF		0x80000000ULL	/* 0.5, before a shift by 32 */
#define NTP_SHORT_SHIFT		16	/* short-format fraction bits */
#define NTP_SHORT_HALF		0x8000U		/* 0.5, before a shift by 16 */
#define NTP_SHORT_MAX_S		65536	/* first second the short format can't hold */

/* Unix seconds whose ns value (plus up to 1 s of fraction) fits an s64. */
#define NTP_UNIX_S_MAX		(S64_MAX / NTP_NSEC_PER_SEC - 1)
#define NTP_UNIX_S_MIN		(S64_MIN / NTP_NSEC_PER_SEC)

static bool ntp_is_mac_len(size_t len, u8 version)
{
	if (len == NTP_MAC_LEN_NAK || len == NTP_MAC_LEN_MD5 ||
	    len == NTP_MAC_LEN_SHA1)
		return true;
	return version < NTP_VERSION_EXT && len >= NTP_MAC_V3_MIN_LEN &&
	       len <= NTP_MAC_V3_MAX_LEN && !(len % NTP_EXT_ALIGN);
}

/*
 * Walk what follows the header: extension fields (version 4 only), then at
 * most one MAC, which must end the packet exactly.
 */
static int ntp_decode_trailer(const u8 *buf, size_t len, struct ntp_packet *pkt)
{
	size_t pos = NTP_HEADER_LEN;

	while (pos < len) {
		size_t rest = len - pos;
		size_t ext_len;

		if (ntp_is_mac_len(rest, pkt->version)) {
			pkt->mac_len = rest;
			pkt->key_id = ntp_get_be32(buf + pos);
			return 0;
		}
		/* Not a MAC, so an extension field or garbage. */
		if (pkt->version < NTP_VERSION_EXT || rest < NTP_EXT_MIN_LEN)
			return -NTP_WIRE_ETRAILER;
		ext_len = ntp_get_be16(buf + pos + 2);
		if (ext_len < NTP_EXT_MIN_LEN || ext_len % NTP_EXT_ALIGN ||
		    ext_len > rest)
			return -NTP_WIRE_EEXTLEN;
		/* No extension field type is understood yet: skip them all. */
		pkt->n_ext++;
		pos += ext_len;
	}
	return 0;
}

/**
 * ntp_decode() - decode an NTP packet into host order
 * @buf: the UDP payload
 * @len: its length, bytes
 * @pkt: the result; unspecified when an error is returned
 *
 * Decodes the 48-byte header (RFC 5905 sec. 7.3) and walks what follows.
 * Version 4 may carry RFC 7822 extension fields, each skipped and counted
 * in @pkt->n_ext; any version may end with a legacy MAC (key ID + digest),
 * recorded in @pkt->mac_len and @pkt->key_id. At each position after the
 * header, a remainder of exactly 4 (crypto-NAK), 20 (MD5, AES-CMAC) or 24
 * (SHA-1) bytes is the MAC; in versions before 4 also any multiple of 4
 * from 20 to 68 (a longer digest); any other remainder must start an
 * extension field (version 4) whose length is a multiple of 4, at least 16,
 * and fits. The mode
 * and the other header fields are not checked here: dispatch does that.
 *
 * Return: 0, or -NTP_WIRE_E* (enum ntp_wire_err).
 */
int ntp_decode(const u8 *buf, size_t len, struct ntp_packet *pkt)
{
	u8 lvm;

	if (len < NTP_HEADER_LEN)
		return -NTP_WIRE_ESHORT;
	if (len > NTP_WIRE_MAX_LEN)
		return -NTP_WIRE_ETOOLONG;

	lvm = buf[NTP_OFF_LVM];
	pkt->leap = (lvm >> NTP_LI_SHIFT) & NTP_LI_MASK;
	pkt->version = (lvm >> NTP_VN_SHIFT) & NTP_VN_MASK;
	pkt->mode = lvm & NTP_MODE_MASK;
	if (pkt->version < NTP_VERSION_MIN || pkt->version > NTP_VERSION)
		return -NTP_WIRE_EVERSION;

	pkt->stratum = buf[NTP_OFF_STRATUM];
	pkt->poll = (s8)buf[NTP_OFF_POLL];
	pkt->precision = (s8)buf[NTP_OFF_PRECISION];
	pkt->root_delay = ntp_get_be32(buf + NTP_OFF_ROOT_DELAY);
	pkt->root_disp = ntp_get_be32(buf + NTP_OFF_ROOT_DISP);
	memcpy(pkt->refid, buf + NTP_OFF_REFID, NTP_REFID_LEN);
	pkt->ref_ts = ntp_get_be64(buf + NTP_OFF_REF_TS);
	pkt->org_ts = ntp_get_be64(buf + NTP_OFF_ORG_TS);
	pkt->rec_ts = ntp_get_be64(buf + NTP_OFF_REC_TS);
	pkt->xmt_ts = ntp_get_be64(buf + NTP_OFF_XMT_TS);
	pkt->n_ext = 0;
	pkt->mac_len = 0;
	pkt->key_id = 0;

	return ntp_decode_trailer(buf, len, pkt);
}

/**
 * ntp_wire_strerror() - short name of a decode error
 * @err: a return value of ntp_decode() (0 or -NTP_WIRE_E*)
 *
 * Return: a lowercase name fit for a drop counter ("short", "version", ...),
 * "ok" for 0, "unknown" for anything else.
 */
const char *ntp_wire_strerror(int err)
{
	switch (-err) {
	case 0:
		return "ok";
	case NTP_WIRE_ESHORT:
		return "short";
	case NTP_WIRE_ETOOLONG:
		return "too-long";
	case NTP_WIRE_EVERSION:
		return "version";
	case NTP_WIRE_EEXTLEN:
		return "ext-length";
	case NTP_WIRE_ETRAILER:
		return "trailer";
	}
	return "unknown";
}

/**
 * ntp_encode() - encode an NTP header in network order
 * @pkt: the header; @n_ext, @mac_len and @key_id are ignored
 * @buf: at least NTP_HEADER_LEN bytes
 *
 * Writes the 48-byte header of RFC 5905 sec. 7.3, no extension field and no
 * MAC. Leap, version and mode are masked to their 2, 3 and 3 bits.
 *
 * Return: NTP_HEADER_LEN, the bytes written.
 */
size_t ntp_encode(const struct ntp_packet *pkt, u8 *buf)
{
	buf[NTP_OFF_LVM] = (pkt->leap & NTP_LI_MASK) << NTP_LI_SHIFT |
			   (pkt->version & NTP_VN_MASK) << NTP_VN_SHIFT |
			   (pkt->mode & NTP_MODE_MASK);
	buf[NTP_OFF_STRATUM] = pkt->stratum;
	buf[NTP_OFF_POLL] = (u8)pkt->poll;
	buf[NTP_OFF_PRECISION] = (u8)pkt->precision;
	ntp_put_be32(buf + NTP_OFF_ROOT_DELAY, pkt->root_delay);
	ntp_put_be32(buf + NTP_OFF_ROOT_DISP, pkt->root_disp);
	memcpy(buf + NTP_OFF_REFID, pkt->refid, NTP_REFID_LEN);
	ntp_put_be64(buf + NTP_OFF_REF_TS, pkt->ref_ts);
	ntp_put_be64(buf + NTP_OFF_ORG_TS, pkt->org_ts);
	ntp_put_be64(buf + NTP_OFF_REC_TS, pkt->rec_ts);
	ntp_encode_xmt(buf, pkt->xmt_ts);
	return NTP_HEADER_LEN;
}

/**
 * ntp_encode_xmt() - patch the transmit timestamp of an encoded header
 * @buf: a header written by ntp_encode()
 * @xmt_ts: the transmit timestamp, NTP timestamp format
 *
 * Touches only bytes 40..47, so the kernel can stamp the packet as the very
 * last step before handing it to the stack.
 */
void ntp_encode_xmt(u8 *buf, u64 xmt_ts)
{
	ntp_put_be64(buf + NTP_OFF_XMT_TS, xmt_ts);
}

/**
 * ntp_is_kiss() - is this a kiss-o'-death packet with the given code?
 * @pkt: a decoded packet
 * @code: the four ASCII characters of the kiss code (sec. 7.4), e.g. "RATE"
 *
 * Return: true when the stratum is 0 and the reference ID is @code.
 */
bool ntp_is_kiss(const struct ntp_packet *pkt, const char code[NTP_REFID_LEN])
{
	return pkt->stratum == 0 && !memcmp(pkt->refid, code, NTP_REFID_LEN);
}

/* ns in [0, 1e9) to a 32-bit fraction of a second, rounded to nearest. */
static u32 ntp_frac_from_ns(u32 ns)
{
	/* < 1e9 * 2^32 < 2^62: no overflow. The result is <= 2^32 - 4. */
	return div_u64(((u64)ns << NTP_FRAC_SHIFT) + NTP_NSEC_PER_SEC / 2,
		       NTP_NSEC_PER_SEC);
}

/* A 32-bit fraction of a second to ns, rounded to nearest; 0..1e9. */
static u32 ntp_frac_to_ns(u32 frac)
{
	return ((u64)frac * NTP_NSEC_PER_SEC + NTP_FRAC_HALF) >> NTP_FRAC_SHIFT;
}

/* Floor division of ns by 1e9: seconds, and the remainder in [0, 1e9). */
static s64 ntp_split_ns(s64 ns, u32 *rem_ns)
{
	s64 sec = div_s64(ns, NTP_NSEC_PER_SEC);
	s64 rem = ns - sec * NTP_NSEC_PER_SEC;

	if (rem < 0) {
		sec--;
		rem += NTP_NSEC_PER_SEC;
	}
	*rem_ns = rem;
	return sec;
}

/**
 * ntp_ts_from_ns() - Unix-epoch ns to an NTP timestamp
 * @unix_ns: ns since 1970-01-01T00:00:00Z (the scale of ktime_get_real_ns())
 *
 * The seconds are taken modulo the era (2^32 s), as on the wire; the
 * fraction is rounded to the nearest 2^-32 s (never carries into seconds).
 *
 * Return: 32.32 NTP timestamp (sec. 6).
 */
u64 ntp_ts_from_ns(s64 unix_ns)
{
	u32 rem_ns;
	s64 sec = ntp_split_ns(unix_ns, &rem_ns);
	u32 era_s = (u32)(sec + NTP_UNIX_EPOCH_S);

	return (u64)era_s << NTP_FRAC_SHIFT | ntp_frac_from_ns(rem_ns);
}

/**
 * ntp_ts_to_ns() - NTP timestamp to Unix-epoch ns, era chosen by a pivot
 * @ts: 32.32 NTP timestamp
 * @pivot_ns: a Unix-epoch time known to be near @ts, ns (e.g. our clock)
 *
 * The era is not on the wire. Of all the instants @ts names (one per era,
 * 2^32 s apart), return the one whose second lies within [-2^31, 2^31) s
 * (about 68 years either way) of @pivot_ns's second. This is the era
 * handling across 2036-02-07T06:28:16Z, where era 0 ends: with a pivot
 * after about 1968-01-20, seconds value 0 is read as 2036, not 1900; with a
 * pivot in 2036 or later, 0xffffffff is read as the second before 2036.
 *
 * Return: ns since 1970-01-01; saturated to S64_MIN/S64_MAX when the
 * instant is outside what s64 ns can hold (about 1677..2262), which only an
 * extreme @pivot_ns can cause.
 */
s64 ntp_ts_to_ns(u64 ts, s64 pivot_ns)
{
	u32 rem_ns;
	s64 pivot_s = ntp_split_ns(pivot_ns, &rem_ns);
	u32 pivot_era_s = (u32)(pivot_s + NTP_UNIX_EPOCH_S);
	/* Seconds from the pivot to @ts, modulo 2^32, read as signed. */
	s32 delta_s = (s32)((u32)(ts >> NTP_FRAC_SHIFT) - pivot_era_s);
	s64 unix_s = pivot_s + delta_s;

	if (unix_s > NTP_UNIX_S_MAX)
		return S64_MAX;
	if (unix_s < NTP_UNIX_S_MIN)
		return S64_MIN;
	return unix_s * NTP_NSEC_PER_SEC + ntp_frac_to_ns((u32)ts);
}

/**
 * ntp_ts_diff_ns() - difference of two NTP timestamps
 * @a: 32.32 NTP timestamp
 * @b: 32.32 NTP timestamp
 *
 * Computed modulo the era, so a pair that straddles 2036-02-07 (or any era
 * boundary) still gives the right answer. Valid when the true difference is
 * within [-2^31, 2^31) s (68 years): sec. 6 requires as much of timestamps
 * that are compared.
 *
 * Return: @a - @b, ns, rounded to nearest.
 */
s64 ntp_ts_diff_ns(u64 a, u64 b)
{
	u64 d = a - b;
	/* floor(d / 2^32) as a signed 32-bit number of seconds ... */
	s32 sec = (s32)(u32)(d >> NTP_FRAC_SHIFT);

	/* ... plus the non-negative fraction. |result| < 2^31 * 1e9 + 1e9. */
	return (s64)sec * NTP_NSEC_PER_SEC + ntp_frac_to_ns((u32)d);
}

/**
 * ntp_short_from_ns() - ns to the NTP short format
 * @ns: a duration, ns
 *
 * Return: 16.16 s, rounded to nearest, saturated: 0 for @ns <= 0 (root
 * delay and dispersion are unsigned), 0xffffffff (65535.99998 s) for @ns
 * that rounds to it or beyond.
 */
u32 ntp_short_from_ns(s64 ns)
{
	u32 rem_ns;
	s64 sec;
	u64 v;

	if (ns <= 0)
		return 0;
	sec = ntp_split_ns(ns, &rem_ns);
	if (sec >= NTP_SHORT_MAX_S)
		return U32_MAX;
	v = ((u64)sec << NTP_SHORT_SHIFT) +
	    div_u64(((u64)rem_ns << NTP_SHORT_SHIFT) + NTP_NSEC_PER_SEC / 2,
		    NTP_NSEC_PER_SEC);
	return v > U32_MAX ? U32_MAX : (u32)v;
}

/**
 * ntp_short_to_ns() - NTP short format to ns
 * @s: 16.16 s
 *
 * Return: ns, rounded to nearest (0 .. 65535999984741).
 */
u64 ntp_short_to_ns(u32 s)
{
	u64 frac = (u64)(s & 0xffff) * NTP_NSEC_PER_SEC;

	return (u64)(s >> NTP_SHORT_SHIFT) * NTP_NSEC_PER_SEC +
	       ((frac + NTP_SHORT_HALF) >> NTP_SHORT_SHIFT);
}
