/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the packet tests of RFC 5905 sec. 8 and Appendix A.5.1.1, and
 * the offset, delay and dispersion of one exchange.
 */
#ifndef _KNTP_CORE_PACKET_H
#define _KNTP_CORE_PACKET_H

#include "ntp.h"

/*
 * An interleaved answer was built, at most this long after its receive
 * timestamp (its reference time may be as late): 1 s, far above any
 * server's processing time.
 */
#define NTP_XL_BUILD_NS		NTP_NSEC_PER_SEC

/**
 * struct ntp_xl_exchange - one exchange, for interleaved mode (RFC 9769),
 *	in which the remote side sends the transmit timestamp of a packet
 *	(its T3) with its next packet
 * @t1: when our packet left: the driver's stamp, else the time written in
 *	it; NTP format; 0: no exchange
 * @t2: the remote side's receive timestamp of it, NTP format
 * @t4: when the answer arrived, NTP format
 * @t4_ns: the same, local Unix ns
 * @done_ns: the corrections of our clock done by @t4_ns (the committed
 *	ones, struct ntp_sysvars.corr_sum_ns, less what was still to slew):
 *	its sample, made a poll later, is net of those done or committed since
 * @used: a basic answer made a sample of it already
 * @t1_stamped: @t1 is the driver's stamp
 */
struct ntp_xl_exchange {
	u64 t1;
	u64 t2;
	u64 t4;
	s64 t4_ns;
	s64 done_ns;
	bool used;
	bool t1_stamped;
};

/**
 * struct ntp_exchange - the timestamps an association keeps (sec. 9.1)
 * @org: the remote side's transmit timestamp in the last packet that
 *	answered ours (T3 of that packet), echoed as origin in our next
 *	packet; NTP format
 * @rec: when we received that packet (T4), NTP format
 * @xmt: the transmit timestamp field of our last packet, which a basic
 *	answer echoes; NTP format
 * @sent: when our last packet was sent, as written (T1 unless the driver's
 *	stamp comes); the same as @xmt but for a symmetric packet in
 *	interleaved form, which carries the time of the packet before
 * @init_org: the transmit timestamp of the last packet that did not answer
 *	ours (a symmetric peer starting, or our packets crossing); echoed
 *	instead of @org only when no answer came since we last sent
 * @init_rec: when we received that packet
 * @valid_rx: an answer to our last packet came (at most one is used)
 * @init_updated: @init_org changed since we last sent
 * @xl_org: the origin timestamp field of our last packet
 * @xl_rec: its receive timestamp field; in interleaved form our T4 of the
 *	remote side's packet before, which an interleaved answer echoes as its
 *	origin (RFC 9769)
 * @txs: packets we sent since the last answer
 * @txs_prev: packets we had sent between the two last answers
 * @xl_basic: interleaved mode: consecutive basic answers to packets in
 *	interleaved form; basic mode: valid packets since the last
 *	interleaved one from the remote side
 * @xl_probe: packets sent while the remote side answers basic only
 * @xl_first_ns: local time of the first interleaved sample (of the exchange
 *	it completes), Unix ns; 0 none yet
 * @last: the last exchange an answer completed, kept for the interleaved
 *	answer that brings its T3
 */
struct ntp_exchange {
	u64 org;
	u64 rec;
	u64 xmt;
	u64 sent;
	u64 init_org;
	u64 init_rec;
	bool valid_rx;
	bool init_updated;
	u64 xl_org;
	u64 xl_rec;
	u8 txs;
	u8 txs_prev;
	u8 xl_basic;
	u8 xl_probe;
	s64 xl_first_ns;
	struct ntp_xl_exchange last;
};

/* Outcome of the packet tests; the names match the drop counters. */
enum ntp_verdict {
	NTP_PKT_OK,
	NTP_PKT_DUP,		/* test 1: duplicate or replay */
	NTP_PKT_BOGUS,		/* test 2: origin is not our transmit time */
	NTP_PKT_INVALID,	/* test 3: zero timestamps */
	NTP_PKT_UNSYNC,		/* sender unsynchronised */
	NTP_PKT_DISTANCE,	/* root distance or reference time invalid */
	NTP_PKT_KOD_RATE,	/* kiss-o'-death RATE: slow down */
	NTP_PKT_KOD_DENY,	/* kiss-o'-death DENY or RSTR: stop */
	NTP_PKT_DELAY,		/* negative delay: a clock jumped meanwhile */
	NTP_PKT_XLEAVE_SPENT,	/* interleaved answer: exchange used already */
	NTP_PKT_XLEAVE_PEER,	/* interleaved packet, but we are basic */
};

/**
 * struct ntp_sample - what one exchange measured (sec. 8)
 * @offset_ns: remote clock minus ours, theta
 * @delay_ns: round-trip delay, delta, at least the local precision
 * @disp_ns: dispersion, epsilon: both precisions plus PHI times the delay
 */
struct ntp_sample {
	s64 offset_ns;
	s64 delay_ns;
	u64 disp_ns;
};

enum ntp_verdict ntp_packet_tests(struct ntp_exchange *x,
				  const struct ntp_packet *r, u64 dst_ts,
				  bool xleave, bool *interleaved);
enum ntp_verdict ntp_header_tests(const struct ntp_packet *r,
				  bool interleaved);
u8 ntp_packet_stratum(const struct ntp_packet *r);
bool ntp_sample_compute(const struct ntp_packet *r, u64 dst_ts,
			s8 sys_precision, struct ntp_sample *s);
u64 ntp_precision_ns(s8 precision);

#endif /* _KNTP_CORE_PACKET_H */
