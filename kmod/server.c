// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: answers - mode 4 to clients and stateless mode 2 to symmetric
 * active peers we have not configured (RFC 5905 A.5.3 fast_xmit()), built
 * in the receive path from the system variables, and the system variables
 * every packet we send carries.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "kntp.h"
#include "core/wire.h"

/**
 * kntp_fill_sys() - the header fields that describe our clock
 * @kn: instance
 * @pkt: packet being built
 *
 * Unsynchronised, we send leap 3 and stratum 0 with refid "INIT" (sec. 7.3:
 * stratum 16 is 0 on the wire; 7.4: INIT, not yet synchronised).
 */
void kntp_fill_sys(struct kntp_net *kn, struct ntp_packet *pkt)
{
	struct kntp_sys sys;

	kntp_sys_read(kn, &sys);
	pkt->leap = sys.leap;
	pkt->stratum = sys.stratum >= NTP_MAXSTRAT ? 0 : sys.stratum;
	pkt->precision = sys.precision;
	pkt->root_delay = ntp_short_from_ns(sys.root_delay_ns);
	pkt->root_disp = ntp_short_from_ns(sys.root_disp_ns);
	memcpy(pkt->refid, sys.refid, sizeof(pkt->refid));
	pkt->ref_ts = sys.reftime_ns ? ntp_ts_from_ns(sys.reftime_ns) : 0;
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
 *
 * No state is kept for the requester.
 */
void kntp_server_reply(struct kntp_net *kn, struct kntp_sock *ks,
		       const struct kntp_addr *client, __be16 sport,
		       const struct kntp_addr *local,
		       const struct ntp_packet *req, s64 rx_ns, u8 mode)
{
	struct ntp_packet r = {
		.version = req->version,
		.mode = mode,
		.poll = req->poll,
		.org_ts = req->xmt_ts,
		.rec_ts = ntp_ts_from_ns(rx_ns),
	};
	u8 buf[NTP_HEADER_LEN];
	struct kntp_xmit xm = {
		.ks = ks,
		.dst = client,
		.dport = sport,
		.src = *local,
		.pkt = buf,
		.len = sizeof(buf),
	};
	s64 xmt_ns;

	kntp_fill_sys(kn, &r);
	ntp_encode(&r, buf);
	if (kntp_sock_send(&xm, &xmt_ns)) {
		kntp_stat_inc(kn, KNTP_STAT_TX_ERR);
		return;
	}
	kntp_stat_inc(kn, KNTP_STAT_TX);
	kntp_stat_inc(kn, mode == NTP_MODE_SERVER ? KNTP_STAT_REPLY_SERVER :
						    KNTP_STAT_REPLY_PASSIVE);
}
