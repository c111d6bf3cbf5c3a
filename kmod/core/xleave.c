// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: interleaved client/server mode, the server's side (RFC 9769
 * sec. 2).
 *
 * A server writes its transmit timestamp into an answer before the answer
 * leaves; how long it then waits in the host (the qdisc, the driver's
 * queue) is an error in the client's offset that no client can see. In
 * interleaved mode the server keeps when each answer really left (the
 * driver's transmit stamp, from the socket's error queue) and sends it
 * with its next answer to the same client:
 *
 *   client                                  server
 *   request k: org = T2 of request k-1  -->  finds the answer to k-1 by
 *              rec = T4 of answer k-1        its receive timestamp T2
 *   answer k:  org = the request's rec  <--  rec = T2 of request k,
 *                                            xmt = T3 of answer k-1
 *
 * The client tells the two kinds of answer apart by their origin (its
 * transmit timestamp: basic; its receive timestamp: interleaved). Only a
 * request in interleaved form is looked up and has its answer kept, so a
 * client in basic mode costs nothing more; a new client's third answer is
 * the first that can be interleaved. A kept answer is given out once, and
 * only to the address it went to.
 */
#include "xleave.h"
#include "wire.h"

/**
 * ntp_xl_request() - does a client request ask for interleaved mode?
 * @req: a mode 3 request
 *
 * NTPv4, an origin timestamp marked as one of our receive timestamps
 * (NTP_XL_RX_MARK), and receive and transmit timestamps that differ (a
 * basic request's receive timestamp is zero, or a copy of its transmit
 * timestamp in some clients).
 *
 * Return: true when it does.
 */
bool ntp_xl_request(const struct ntp_packet *req)
{
	return req->version == NTP_VERSION && (req->org_ts & NTP_XL_RX_MARK) &&
	       req->rec_ts != req->xmt_ts;
}

/**
 * ntp_xl_take() - the transmit time of a kept answer, once
 * @e: the slot the request's origin timestamp selects
 * @org: the request's origin timestamp: our receive timestamp of the
 *	request that answer answered
 * @src: the requester, hashed as when the answer was kept
 * @tx_ns: when the answer left, local Unix ns
 *
 * The entry is spent: a replay of the request, or a second request naming
 * the same answer, is answered in basic mode.
 *
 * Return: true when @e is that answer, sent, to that client.
 */
bool ntp_xl_take(struct ntp_xl_entry *e, u64 org, u32 src, s64 *tx_ns)
{
	if (!e->rx_ts || e->rx_ts != org || e->src != src || !e->tx_ns)
		return false;
	*tx_ns = e->tx_ns;
	e->rx_ts = 0;
	return true;
}

/**
 * ntp_xl_keep() - take a slot for an answer about to be sent
 * @e: the slot its receive timestamp selects (an older answer there is
 *	forgotten)
 * @rx_ts: the receive timestamp the answer carries (marked), NTP format
 * @src: the client, hashed
 * @gen_mask: the bits of the generation that the transmit stamp's key
 *	carries
 */
void ntp_xl_keep(struct ntp_xl_entry *e, u64 rx_ts, u32 src, u32 gen_mask)
{
	e->rx_ts = rx_ts;
	e->src = src;
	e->gen = (e->gen + 1) & gen_mask;
	e->tx_ns = 0;
	e->stamped = false;
}

/**
 * ntp_xl_tx() - when a kept answer left
 * @e: its slot
 * @gen: the generation ntp_xl_keep() gave it (a late stamp of the answer
 *	that held the slot before has another)
 * @tx_ns: local Unix ns
 * @driver: @tx_ns is the driver's stamp; else the time written into the
 *	answer, kept only until the stamp comes
 */
void ntp_xl_tx(struct ntp_xl_entry *e, u32 gen, s64 tx_ns, bool driver)
{
	if (e->gen != gen || !e->rx_ts || (!driver && e->stamped))
		return;
	e->tx_ns = tx_ns;
	e->stamped = driver;
}

/**
 * ntp_xl_answer() - make a basic answer interleaved
 * @r: the answer ntp_reply_build() made (receive timestamp of this request)
 * @req: the request
 * @tx_ns: when our answer to the client's request before left, Unix ns
 *
 * The origin is the request's receive timestamp, by which the client knows
 * an interleaved answer; the transmit timestamp is set here, not by the
 * sender, with its lowest bit 0 as in every answer (NTP_XL_RX_MARK).
 */
void ntp_xl_answer(struct ntp_packet *r, const struct ntp_packet *req,
		   s64 tx_ns)
{
	r->org_ts = req->rec_ts;
	r->xmt_ts = ntp_ts_from_ns(tx_ns) & ~NTP_XL_RX_MARK;
}

/**
 * ntp_xl_slot() - the slot of a receive timestamp
 * @rx_ts: NTP format
 * @bits: log2 of the number of slots, 1..31
 *
 * Our receive timestamps are not chosen by the client, only named by it.
 *
 * Return: 0..2^@bits - 1.
 */
u32 ntp_xl_slot(u64 rx_ts, unsigned int bits)
{
	/* Fibonacci hashing: the golden ratio in 64 bits. */
	return (u32)((rx_ts * 0x61c8864680b583ebULL) >> (64 - bits));
}
