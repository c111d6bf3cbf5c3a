/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: RFC 5905 constants, time formats and the few portable helpers
 * the kernel-independent algorithms need. Everything under kmod/core/ builds
 * unchanged in the kernel and in userspace (unit tests, fuzzers, simulator).
 *
 * Time inside the core is s64 nanoseconds on the Unix epoch (the scale of
 * ktime_get_real_ns()); durations are s64/u64 nanoseconds; frequencies are
 * s64 in parts per billion (ppb) unless a name says otherwise.
 */
#ifndef _KNTP_CORE_NTP_H
#define _KNTP_CORE_NTP_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/bits.h>
#else
#include "kcompat.h"	/* selftests/unit: the same names in userspace */
#endif

#define NTP_NSEC_PER_SEC	1000000000LL

/* RFC 5905 sec. 7.2, global parameters. */
#define NTP_PORT		123
#define NTP_VERSION		4	/* VERSION */
#define NTP_PHI_PPB		15000	/* TOLERANCE 15e-6 s/s, in ns per s */
#define NTP_MINPOLL		4	/* MINPOLL, log2 s (configurable lower) */
#define NTP_MAXPOLL		17	/* MAXPOLL, log2 s */
#define NTP_MAXDISP_NS		(16 * NTP_NSEC_PER_SEC)	/* MAXDISP 16 s */
#define NTP_MINDISP_NS		5000000LL		/* MINDISP .005 s */
#define NTP_MAXDIST_NS		(1 * NTP_NSEC_PER_SEC)	/* MAXDIST 1 s */
#define NTP_MAXSTRAT		16	/* MAXSTRAT: unsynchronised */

/* RFC 5905 Appendix A.1.1, parameters of the reference implementation. */
#define NTP_NSTAGE		8	/* clock filter stages */
#define NTP_SGATE		3	/* spike gate (clock filter) */
#define NTP_BCOUNT		8	/* packets in a burst */
#define NTP_BTIME		2	/* burst interval, s */
#define NTP_UNREACH		12	/* unreach counter threshold */

/* RFC 5905 sec. 7.3, header fields. */
#define NTP_LEAP_NONE		0	/* no warning */
#define NTP_LEAP_ADD		1	/* last minute of the day has 61 s */
#define NTP_LEAP_DEL		2	/* last minute of the day has 59 s */
#define NTP_LEAP_NOSYNC		3	/* unknown: clock unsynchronised */

enum ntp_mode {
	NTP_MODE_RESERVED	= 0,
	NTP_MODE_ACTIVE		= 1,	/* symmetric active */
	NTP_MODE_PASSIVE	= 2,	/* symmetric passive */
	NTP_MODE_CLIENT		= 3,
	NTP_MODE_SERVER		= 4,
	NTP_MODE_BROADCAST	= 5,
	NTP_MODE_CONTROL	= 6,	/* NTP control messages (RFC 9327) */
	NTP_MODE_PRIVATE	= 7,	/* reserved for private use (ntpdc) */
};

#define NTP_HEADER_LEN		48	/* sec. 7.3, without extensions */

/*
 * Time formats, sec. 6. A timestamp is 32 bits of seconds since the start of
 * the current era (era 0 began 1900-01-01) and 32 bits of fraction; the short
 * format is 16.16 bits, for root delay and dispersion.
 */
#define NTP_UNIX_EPOCH_S	2208988800LL	/* 1970-01-01 in era 0, s */
#define NTP_ERA_S		BIT_ULL(32)	/* an era, s (136 years) */

/* The reference ID is four bytes on the wire; kiss codes are ASCII (7.4). */
#define NTP_REFID_LEN		4
#define NTP_KISS_RATE		"RATE"	/* poll less often */
#define NTP_KISS_DENY		"DENY"	/* access denied: stop */

/**
 * struct ntp_packet - an NTP header (sec. 7.3) in host order, plus what the
 * decoder found after it
 * @leap: leap indicator, NTP_LEAP_*
 * @version: version number, 1..4
 * @mode: enum ntp_mode
 * @stratum: stratum as on the wire (0 = unspecified or kiss-o'-death)
 * @poll: log2 s
 * @precision: log2 s
 * @root_delay: NTP short format (16.16 s)
 * @root_disp: NTP short format (16.16 s)
 * @refid: reference ID, wire order
 * @ref_ts: reference timestamp, NTP timestamp format
 * @org_ts: origin timestamp
 * @rec_ts: receive timestamp
 * @xmt_ts: transmit timestamp
 * @n_ext: extension fields found (RFC 7822), all skipped
 * @mac_len: length of the MAC trailer (key ID + digest), 0 if none
 * @key_id: key ID of the MAC, when @mac_len is not 0
 */
struct ntp_packet {
	u8 leap;
	u8 version;
	u8 mode;
	u8 stratum;
	s8 poll;
	s8 precision;
	u32 root_delay;
	u32 root_disp;
	u8 refid[NTP_REFID_LEN];
	u64 ref_ts;
	u64 org_ts;
	u64 rec_ts;
	u64 xmt_ts;
	u16 n_ext;
	u8 mac_len;
	u32 key_id;
};

#endif /* _KNTP_CORE_NTP_H */
