/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the NTP wire format. Decoding and encoding of the 48-byte
 * header (RFC 5905 sec. 7.3), the walk over extension fields (RFC 7822) and
 * the legacy MAC trailer, and the conversions between NTP time formats
 * (sec. 6) and Unix-epoch nanoseconds. Integers only; no allocation.
 */
#ifndef _KNTP_CORE_WIRE_H
#define _KNTP_CORE_WIRE_H

#include "ntp.h"

/* RFC 5905 sec. 7.3, offsets of the header fields, bytes. */
#define NTP_OFF_LVM		0	/* LI (2 bits), VN (3), Mode (3) */
#define NTP_OFF_STRATUM		1
#define NTP_OFF_POLL		2
#define NTP_OFF_PRECISION	3
#define NTP_OFF_ROOT_DELAY	4
#define NTP_OFF_ROOT_DISP	8
#define NTP_OFF_REFID		12
#define NTP_OFF_REF_TS		16
#define NTP_OFF_ORG_TS		24
#define NTP_OFF_REC_TS		32
#define NTP_OFF_XMT_TS		40

#define NTP_LI_SHIFT		6
#define NTP_VN_SHIFT		3
#define NTP_LI_MASK		0x3
#define NTP_VN_MASK		0x7
#define NTP_MODE_MASK		0x7

/* Versions a receiver accepts (sec. 9.1 keeps older versions working). */
#define NTP_VERSION_MIN		1
/* The first version with extension fields (sec. 7.5). */
#define NTP_VERSION_EXT		4

/*
 * RFC 7822 sec. 3, extension fields: 16-bit type, 16-bit length in bytes
 * that includes the 4-byte type/length header; the length is a multiple of
 * 4 and at least 16.
 */
#define NTP_EXT_HDR_LEN		4
#define NTP_EXT_MIN_LEN		16
#define NTP_EXT_ALIGN		4

/*
 * RFC 5905 sec. 7.3 and Appendix C, RFC 7822 sec. 7.5: the legacy MAC
 * trailer is a 4-byte key ID and a digest. The decoder tells it from an
 * extension field by what remains of the packet: exactly one of these sizes
 * is a MAC, anything else must be an extension field.
 */
#define NTP_KEYID_LEN		4
#define NTP_MAC_LEN_NAK		4	/* crypto-NAK: key ID only */
#define NTP_MAC_LEN_MD5		20	/* key ID + 16-byte MD5 or AES-CMAC (RFC 8573) */
#define NTP_MAC_LEN_SHA1	24	/* key ID + 20-byte SHA-1 */
#define NTP_MAC_MAX_LEN		NTP_MAC_LEN_SHA1
/*
 * NTPv3 and older have no extension fields: anything after the header is a
 * MAC, and its digest may be longer than 20 bytes (chrony sends a whole
 * SHA-256 digest in NTPv3 packets). Up to a SHA-512 digest, 4-byte aligned.
 */
#define NTP_MAC_V3_MIN_LEN	NTP_MAC_LEN_MD5
#define NTP_MAC_V3_MAX_LEN	(NTP_KEYID_LEN + 64)

/*
 * The longest datagram the decoder accepts, bytes. RFC 5905 sets no limit.
 * 1024 bytes of extension fields (the bound chrony also assumes) hold an
 * NTS (RFC 8915) server response with eight cookies; with the header and
 * the largest MAC the packet still fits one unfragmented UDP datagram on a
 * 1280-byte IPv6 minimum-MTU path (1232 bytes of payload). Anything longer
 * is not NTP we can use and would only cost walking time.
 */
#define NTP_EXT_MAX_TOTAL	1024
#define NTP_WIRE_MAX_LEN	(NTP_HEADER_LEN + NTP_EXT_MAX_TOTAL + NTP_MAC_MAX_LEN)

/*
 * Decode errors. ntp_decode() returns 0 or the negative of one of these;
 * ntp_wire_strerror() names them (the names double as drop-counter names).
 */
enum ntp_wire_err {
	NTP_WIRE_ESHORT = 1,	/* shorter than the 48-byte header */
	NTP_WIRE_ETOOLONG,	/* longer than NTP_WIRE_MAX_LEN */
	NTP_WIRE_EVERSION,	/* version 0, 5, 6 or 7 */
	NTP_WIRE_EEXTLEN,	/* extension field length bad or past the end */
	NTP_WIRE_ETRAILER,	/* bytes that are neither extension field nor MAC */

	__NTP_WIRE_EMAX,
	NTP_WIRE_EMAX = __NTP_WIRE_EMAX - 1
};

/* Big-endian loads and stores, byte by byte: any alignment, any host order. */
static inline u16 ntp_get_be16(const u8 *p)
{
	return (u16)((u16)p[0] << 8 | p[1]);
}

static inline u32 ntp_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 ntp_get_be64(const u8 *p)
{
	return (u64)ntp_get_be32(p) << 32 | ntp_get_be32(p + 4);
}

static inline void ntp_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void ntp_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void ntp_put_be64(u8 *p, u64 v)
{
	ntp_put_be32(p, v >> 32);
	ntp_put_be32(p + 4, v);
}

int ntp_decode(const u8 *buf, size_t len, struct ntp_packet *pkt);
const char *ntp_wire_strerror(int err);
size_t ntp_encode(const struct ntp_packet *pkt, u8 *buf);
void ntp_encode_xmt(u8 *buf, u64 xmt_ts);
bool ntp_is_kiss(const struct ntp_packet *pkt, const char code[NTP_REFID_LEN]);

u64 ntp_ts_from_ns(s64 unix_ns);
s64 ntp_ts_to_ns(u64 ts, s64 pivot_ns);
s64 ntp_ts_diff_ns(u64 a, u64 b);
u32 ntp_short_from_ns(s64 ns);
u64 ntp_short_to_ns(u32 s);

#endif /* _KNTP_CORE_WIRE_H */
