/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the server's side of interleaved client/server mode (RFC 9769
 * sec. 2) - which requests ask for it, what is kept of an answer, and the
 * interleaved answer. The table of kept answers and its locks are the
 * kernel's (kmod/xleave.c).
 */
#ifndef _KNTP_CORE_XLEAVE_H
#define _KNTP_CORE_XLEAVE_H

#include "ntp.h"

/*
 * The lowest bit of the fraction of the receive timestamp in our answers
 * is 1 (a quarter of a nanosecond), and of the transmit timestamp 0, as
 * chrony's: a request whose origin has it set may be naming one of our
 * receive timestamps, and only such a request is looked up (a basic
 * client that echoes our transmit timestamp, as ntpd's do, costs nothing).
 * chrony clients and servers rely on the same.
 */
#define NTP_XL_RX_MARK		1ULL

/**
 * struct ntp_xl_entry - one kept answer
 * @rx_ts: our receive timestamp of the request, as sent in the answer
 *	(marked), NTP format; 0: empty
 * @tx_ns: when the answer left: the driver's stamp once it came, else the
 *	time written into it; local Unix ns; 0 not sent (yet)
 * @src: a keyed hash of the client's address
 * @gen: changes each time the slot is taken, so that a late transmit
 *	stamp of the answer before is not taken for this one
 * @stamped: @tx_ns is the driver's stamp
 */
struct ntp_xl_entry {
	u64 rx_ts;
	s64 tx_ns;
	u32 src;
	u32 gen;
	bool stamped;
};

bool ntp_xl_request(const struct ntp_packet *req);
bool ntp_xl_take(struct ntp_xl_entry *e, u64 org, u32 src, s64 *tx_ns);
void ntp_xl_keep(struct ntp_xl_entry *e, u64 rx_ts, u32 src, u32 gen_mask);
void ntp_xl_tx(struct ntp_xl_entry *e, u32 gen, s64 tx_ns, bool driver);
void ntp_xl_answer(struct ntp_packet *r, const struct ntp_packet *req,
		   s64 tx_ns);
u32 ntp_xl_slot(u64 rx_ts, unsigned int bits);

#endif /* _KNTP_CORE_XLEAVE_H */
