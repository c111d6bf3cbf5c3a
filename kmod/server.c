// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: answers - mode 4 to clients and stateless mode 2 to symmetric
 * active peers we have not configured (RFC 5905 A.5.3 fast_xmit()), built
 * in the receive path from the system variables the system process
 * publishes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "kntp.h"
#include "core/wire.h"
#include "core/xleave.h"

/*
 * A consistent copy of @len bytes at @pub, which the system process
 * publishes under vars_lock (kntp_system_publish()). Any context.
 */
static void kntp_pub_read(struct kntp_net *kn, const void *pub, void *dst,
			  size_t len)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&kn->vars_lock);
		memcpy(dst, pub, len);
	} while (read_seqretry(&kn->vars_lock, seq));
}

/**
 * kntp_vars_read() - the system variables to put in a packet
 * @kn: instance
 * @now_ns: when, the instance's clock, Unix ns: now, or a packet's arrival
 *	(the dispersion grows by PHI, 15 ns in a ms, and that saves a clock
 *	read)
 * @v: a consistent copy, root dispersion grown to @now_ns
 *
 * Any context.
 */
void kntp_vars_read(struct kntp_net *kn, s64 now_ns, struct ntp_sysvars *v)
{
	struct ntp_sysvars pub;

	kntp_pub_read(kn, &kn->vars, &pub, sizeof(pub));
	ntp_sysvars_now(&pub, now_ns, v);
}

/*
 * The answer to a request, from the system variables as published: their
 * reply head, in the wire's formats already.
 */
static void kntp_server_build(const struct kntp_rx *rx, u8 mode,
			      struct ntp_packet *r)
{
	struct kntp_net *kn = rx->ks->kn;
	struct ntp_reply_head h;

	kntp_pub_read(kn, &kn->reply_head, &h, sizeof(h));
	ntp_reply_build(&rx->r, rx->rx_ns, mode, &h, r);
}

/*
 * Encode, sign with @key (NULL: none) and send; count tx or tx_err. A
 * non-zero @tskey asks for the transmit stamp (kmod/xleave.c), and then
 * the packet may carry its transmit timestamp already (@xmt_set).
 */
static bool kntp_server_send(const struct kntp_rx *rx,
			     const struct ntp_packet *r,
			     const struct kntp_key *key, u32 tskey,
			     bool xmt_set)
{
	struct kntp_net *kn = rx->ks->kn;
	u8 buf[NTP_HEADER_LEN];
	struct kntp_xmit xm = {
		.ks = rx->ks,
		.dst = &rx->src,
		.dport = rx->sport,
		.src = rx->local,
		.pkt = buf,
		.len = sizeof(buf),
		.tskey = tskey,
		.xmt_set = xmt_set,
		.xmt_even = r->mode == NTP_MODE_SERVER,
		.key = key,
		.request = rx->skb,
		.l2 = rx->l2,
	};
	s64 xmt_ns;

	ntp_encode(r, buf);
	if (kntp_sock_send(&xm, &xmt_ns)) {
		kntp_stat_inc(kn, KNTP_STAT_TX_ERR);
		return false;
	}
	if (tskey)
		kntp_xleave_tx(kn, tskey, xmt_ns, false);
	kntp_stat_inc(kn, KNTP_STAT_TX);
	return true;
}

/**
 * kntp_server_reply() - answer a request in the receive path
 * @rx: the request (mode 3, or mode 1 from a peer we have not configured)
 * @mode: NTP_MODE_SERVER for a client, NTP_MODE_PASSIVE for a peer
 * @key: the key that signed the request, to sign the reply with (under
 *	RCU); NULL for none
 *
 * No state is kept for the requester, but for rate limiting's record
 * (kmod/ratelimit.c), which may keep the answer back or make it a kiss,
 * and, for a client that asks for interleaved mode, the answer's transmit
 * time (kmod/xleave.c): such a request that names our answer before gets
 * that answer's transmit stamp.
 */
void kntp_server_reply(const struct kntp_rx *rx, u8 mode,
		       const struct kntp_key *key)
{
	struct kntp_net *kn = rx->ks->kn;
	bool xl, interleaved = false;
	struct ntp_rl_cfg rl_cfg;
	enum ntp_rl_verdict rl;
	struct ntp_packet r;
	u32 tskey = 0;

	rl = kntp_ratelimit(kn, &rx->src, &rl_cfg);
	if (rl == NTP_RL_DROP)
		return;
	kntp_server_build(rx, mode, &r);
	/* A kiss is never interleaved. */
	xl = rl != NTP_RL_KISS && mode == NTP_MODE_SERVER &&
	     ntp_xl_request(&rx->r);
	if (rl == NTP_RL_KISS)
		ntp_rl_kiss(&r, &rl_cfg);
	if (xl)
		interleaved = kntp_xleave_answer(kn, rx, &r, &tskey);
	if (!kntp_server_send(rx, &r, key, tskey, interleaved))
		return;
	if (rl == NTP_RL_KISS)
		kntp_stat_inc(kn, KNTP_STAT_RATE_KOD_SENT);
	else
		kntp_stat_inc(kn, mode == NTP_MODE_SERVER ?
				  KNTP_STAT_REPLY_SERVER :
				  KNTP_STAT_REPLY_PASSIVE);
	if (xl)
		kntp_stat_inc(kn, interleaved ? KNTP_STAT_REPLY_INTERLEAVED :
						KNTP_STAT_REPLY_XLEAVE_BASIC);
	if (key)
		kntp_stat_inc(kn, KNTP_STAT_REPLY_AUTH);
}

/**
 * kntp_server_kiss() - a kiss-o'-death in place of an answer
 * @rx: the request
 * @mode: as for kntp_server_reply()
 * @code: the kiss code (NTP_KISS_DENY)
 *
 * Unsigned, never longer than the request.
 *
 * Return: true when it was sent.
 */
bool kntp_server_kiss(const struct kntp_rx *rx, u8 mode,
		      const char code[NTP_REFID_LEN])
{
	struct ntp_packet r;

	kntp_server_build(rx, mode, &r);
	ntp_reply_kiss(&r, code);
	return kntp_server_send(rx, &r, NULL, 0, false);
}
