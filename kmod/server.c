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

/**
 * kntp_vars_read() - the system variables to put in a packet, now
 * @kn: instance
 * @v: a consistent copy, root dispersion grown to now
 *
 * Any context.
 */
void kntp_vars_read(struct kntp_net *kn, struct ntp_sysvars *v)
{
	struct ntp_sysvars pub;
	unsigned int seq;

	do {
		seq = read_seqbegin(&kn->vars_lock);
		pub = kn->vars;
	} while (read_seqretry(&kn->vars_lock, seq));
	ntp_sysvars_now(&pub, kntp_clock_now(kn), v);
}

/**
 * kntp_server_reply() - answer a request in the receive path
 * @kn: instance
 * @ks: the socket the request came in on (port 123)
 * @client: the requester
 * @sport: the requester's port, network order
 * @local: the address the request was sent to: the reply comes from it
 * @req: the request
 * @rx_ns: when the request arrived, Unix ns
 * @mode: NTP_MODE_SERVER for a client, NTP_MODE_PASSIVE for a peer
 * @key: the key that signed the request, to sign the reply with (under
 *	RCU); NULL for none
 *
 * No state is kept for the requester, but for rate limiting's record
 * (kmod/ratelimit.c), which may keep the answer back or make it a kiss.
 */
void kntp_server_reply(struct kntp_net *kn, struct kntp_sock *ks,
		       const struct kntp_addr *client, __be16 sport,
		       const struct kntp_addr *local,
		       const struct ntp_packet *req, s64 rx_ns, u8 mode,
		       const struct kntp_key *key)
{
	struct ntp_sysvars v;
	struct ntp_packet r;
	u8 buf[NTP_HEADER_LEN];
	struct kntp_xmit xm = {
		.ks = ks,
		.dst = client,
		.dport = sport,
		.src = *local,
		.pkt = buf,
		.len = sizeof(buf),
		.key = key,
	};
	struct ntp_rl_cfg rl_cfg;
	enum ntp_rl_verdict rl;
	s64 xmt_ns;

	rl = kntp_ratelimit(kn, client, &rl_cfg);
	if (rl == NTP_RL_DROP)
		return;
	kntp_vars_read(kn, &v);
	ntp_reply_build(req, rx_ns, mode, &v, &r);
	if (rl == NTP_RL_KISS)
		ntp_rl_kiss(&r, &rl_cfg);
	ntp_encode(&r, buf);
	if (kntp_sock_send(&xm, &xmt_ns)) {
		kntp_stat_inc(kn, KNTP_STAT_TX_ERR);
		return;
	}
	kntp_stat_inc(kn, KNTP_STAT_TX);
	if (rl == NTP_RL_KISS)
		kntp_stat_inc(kn, KNTP_STAT_RATE_KOD_SENT);
	else
		kntp_stat_inc(kn, mode == NTP_MODE_SERVER ?
				  KNTP_STAT_REPLY_SERVER :
				  KNTP_STAT_REPLY_PASSIVE);
	if (key)
		kntp_stat_inc(kn, KNTP_STAT_REPLY_AUTH);
}
