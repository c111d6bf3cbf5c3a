// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the packet tests (RFC 5905 sec. 8, Appendix A.5.1.1) and the
 * offset, delay and dispersion of an exchange.
 *
 * An exchange, as seen by the side computing the sample:
 *
 *   T1  our transmit time, echoed back as the packet's origin timestamp
 *   T2  the remote side's receive time      (packet's receive timestamp)
 *   T3  the remote side's transmit time     (packet's transmit timestamp)
 *   T4  our receive time                    (the skb's timestamp)
 *
 *   offset = ((T2 - T1) + (T3 - T4)) / 2        delay = (T4 - T1) - (T3 - T2)
 */
#include "packet.h"
#include "wire.h"

/**
 * ntp_precision_ns() - a precision exponent as a duration
 * @precision: log2 s
 *
 * Return: 2^precision s in ns, capped at MAXDISP.
 */
u64 ntp_precision_ns(s8 precision)
{
	if (precision >= 0)
		return precision >= 4 ? NTP_MAXDISP_NS :
		       (u64)NTP_NSEC_PER_SEC << precision;
	if (precision <= -63)
		return 0;
	return (u64)NTP_NSEC_PER_SEC >> -precision;
}

/**
 * ntp_packet_stratum() - the sender's stratum as the algorithms use it
 * @r: received packet
 *
 * Stratum 0 on the wire ("unspecified", or a kiss-o'-death) and anything
 * above 16 mean unsynchronised: MAXSTRAT (sec. 7.3).
 */
u8 ntp_packet_stratum(const struct ntp_packet *r)
{
	if (r->stratum == 0 || r->stratum > NTP_MAXSTRAT)
		return NTP_MAXSTRAT;
	return r->stratum;
}

/**
 * ntp_packet_tests() - tests 1 to 3 of sec. 8, and the exchange update
 * @x: the association's timestamps; updated unless the packet is a
 *	duplicate or has no transmit timestamp
 * @r: received packet, from the association's remote address
 * @dst_ts: our receive timestamp of @r (T4), NTP format
 * @xleave: the association is configured for interleaved mode (RFC 9769)
 * @interleaved: set when @r is an interleaved answer to our last request
 *
 * In symmetric mode our next packet echoes the remote side's last transmit
 * timestamp, or the remote side gets no sample from it (sec. 8). RFC 5905
 * takes it from any packet that is not a duplicate, so that one spoofed
 * packet per poll, from an attacker who knows nothing but the two
 * addresses, makes every packet we send bogus to the real peer. As chrony
 * does, only an answer to our last packet (which names our transmit
 * timestamp, unknown off the path) sets what we echo; any other packet is
 * kept apart (init_org) and echoed only when no answer came between two of
 * our packets - a peer starting, a packet lost, two packets crossing - so
 * that the protocol starts and restarts. Only the first answer to each of
 * our packets is used (a second is bogus).
 *
 * Interleaved mode is configured, never learnt from a packet (an attacker
 * who could switch an association to it would choose its timestamps:
 * CVE-2016-1548). An association configured for it takes two answers to
 * its last request: a basic one, whose origin is our transmit timestamp,
 * and an interleaved one, whose origin is the receive timestamp of our
 * request (our T4 of the answer before, sec. 2); both are unknown off the
 * path. The transmit timestamp of an interleaved answer is that of the
 * answer before, which may equal that answer's (a server without the
 * driver's stamp): a duplicate then has the receive timestamp too. A
 * symmetric peer not configured for it recognises an interleaved packet
 * (its origin is the receive timestamp we sent) only to report it.
 *
 * Return: NTP_PKT_OK, NTP_PKT_DUP, NTP_PKT_BOGUS, NTP_PKT_INVALID or
 * NTP_PKT_XLEAVE_PEER (bogus: interleaved, and we are not).
 */
enum ntp_verdict ntp_packet_tests(struct ntp_exchange *x,
				  const struct ntp_packet *r, u64 dst_ts,
				  bool xleave, bool *interleaved)
{
	bool answer, xl_answer;

	*interleaved = false;
	/* Test 3, first part: no transmit timestamp, nothing to learn. */
	if (!r->xmt_ts)
		return NTP_PKT_INVALID;
	/* Test 1: a transmit timestamp seen before is a duplicate or replay. */
	if (r->xmt_ts == x->init_org ||
	    (r->xmt_ts == x->org && (!xleave || r->rec_ts == x->last.t2)))
		return NTP_PKT_DUP;

	/*
	 * Test 2: it must answer our last packet; test 3: the sender must
	 * have heard from us (not so in the first symmetric packet).
	 */
	answer = x->xmt && r->org_ts == x->xmt && r->rec_ts;
	xl_answer = !answer && xleave && x->xl_rec &&
		    r->org_ts == x->xl_rec && r->rec_ts;
	if (answer || xl_answer) {
		/* Later answers to the same packet only move org forward. */
		if (!x->valid_rx || ntp_ts_diff_ns(r->xmt_ts, x->org) > 0) {
			x->org = r->xmt_ts;
			x->rec = dst_ts;
			x->init_org = 0;
			x->init_rec = 0;
		}
		if (x->valid_rx)
			return NTP_PKT_BOGUS;
		x->valid_rx = true;
		x->txs_prev = x->txs;
		x->txs = 0;
		*interleaved = xl_answer;
		return NTP_PKT_OK;
	}
	if (!x->init_updated || ntp_ts_diff_ns(r->xmt_ts, x->init_org) > 0) {
		x->init_org = r->xmt_ts;
		x->init_rec = dst_ts;
		x->init_updated = true;
	}
	if (!r->org_ts || !r->rec_ts)
		return NTP_PKT_INVALID;
	/* An interleaved answer to a peer not configured for it. */
	if (!xleave && x->xl_rec && r->org_ts == x->xl_rec)
		return NTP_PKT_XLEAVE_PEER;
	return NTP_PKT_BOGUS;
}

/**
 * ntp_header_tests() - may the sender's header be used for a sample?
 * @r: received packet that passed ntp_packet_tests()
 * @interleaved: it is an interleaved answer
 *
 * Kiss codes first (sec. 7.4: RATE, DENY, RSTR act on the association),
 * then the synchronisation and root distance checks of A.5.1.1.
 *
 * Return: NTP_PKT_OK or the reason not to use the packet.
 */
enum ntp_verdict ntp_header_tests(const struct ntp_packet *r,
				  bool interleaved)
{
	u64 distance_ns;
	s64 after_ns;

	if (ntp_is_kiss(r, "RATE"))
		return NTP_PKT_KOD_RATE;
	if (ntp_is_kiss(r, "DENY") || ntp_is_kiss(r, "RSTR"))
		return NTP_PKT_KOD_DENY;
	if (r->leap == NTP_LEAP_NOSYNC || ntp_packet_stratum(r) >= NTP_MAXSTRAT)
		return NTP_PKT_UNSYNC;

	distance_ns = ntp_short_to_ns(r->root_delay) / 2 +
		      ntp_short_to_ns(r->root_disp);
	if (distance_ns >= NTP_MAXDISP_NS)
		return NTP_PKT_DISTANCE;
	/*
	 * A reference time after the packet left is nonsense (0: never). An
	 * interleaved answer carries the transmit timestamp of the answer
	 * before; it was built after its receive timestamp, and may carry the
	 * time it was built as reference time (a server on its own clock).
	 */
	if (!r->ref_ts)
		return NTP_PKT_OK;
	if (interleaved)
		after_ns = ntp_ts_diff_ns(r->ref_ts, r->rec_ts) - NTP_XL_BUILD_NS;
	else
		after_ns = ntp_ts_diff_ns(r->ref_ts, r->xmt_ts);
	if (after_ns > 0)
		return NTP_PKT_DISTANCE;
	return NTP_PKT_OK;
}

/**
 * ntp_sample_compute() - offset, delay and dispersion of one exchange
 * @r: received packet that passed the tests (T1 = origin, T2, T3)
 * @dst_ts: our receive timestamp (T4), NTP format
 * @sys_precision: our clock's precision, log2 s
 * @s: the result
 *
 * Differences are taken between timestamps of the same side first, so the
 * result is right across an era boundary as long as the clocks are within
 * 68 years of each other (sec. 6).
 *
 * A delay below our precision is floored to it (A.5.1.1). A delay more
 * negative than both sides' precision together is no measurement: one of
 * the clocks was stepped or slewed hard between the timestamps, and the
 * floored sample, with the smallest delay of all, would win the clock
 * filter for eight polls.
 *
 * Return: false when the delay is negative beyond the precisions: the
 * sample must not be used.
 */
bool ntp_sample_compute(const struct ntp_packet *r, u64 dst_ts,
			s8 sys_precision, struct ntp_sample *s)
{
	s64 t21 = ntp_ts_diff_ns(r->rec_ts, r->org_ts);	/* T2 - T1 */
	s64 t34 = ntp_ts_diff_ns(r->xmt_ts, dst_ts);		/* T3 - T4 */
	s64 t41 = ntp_ts_diff_ns(dst_ts, r->org_ts);		/* T4 - T1 */
	s64 t32 = ntp_ts_diff_ns(r->xmt_ts, r->rec_ts);	/* T3 - T2 */
	u64 floor_ns = ntp_precision_ns(sys_precision);
	u64 span_ns;

	/* Halve each term first: their sum cannot overflow then. */
	s->offset_ns = t21 / 2 + t34 / 2 + (t21 % 2 + t34 % 2) / 2;
	s->delay_ns = t41 - t32;
	if (s->delay_ns + (s64)floor_ns + (s64)ntp_precision_ns(r->precision) < 0)
		return false;
	if (s->delay_ns < (s64)floor_ns)
		s->delay_ns = floor_ns;

	/* epsilon = rho_r + rho + PHI * (T4 - T1), A.5.1.1. */
	span_ns = t41 > 0 ? t41 : 0;
	if (span_ns > NTP_MAXDISP_NS)
		span_ns = NTP_MAXDISP_NS;
	s->disp_ns = ntp_precision_ns(r->precision) + floor_ns +
		     div_u64(span_ns * NTP_PHI_PPB, NTP_NSEC_PER_SEC);
	if (s->disp_ns > NTP_MAXDISP_NS)
		s->disp_ns = NTP_MAXDISP_NS;
	return true;
}
