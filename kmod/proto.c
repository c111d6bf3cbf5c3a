// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the receive path - decode, dispatch by mode (RFC 5905 sec. 9,
 * Fig. 20), the packet tests (sec. 8) and the sample for the clock filter.
 *
 * Runs in softirq, from the UDP receive hook, for every packet to our
 * sockets. Every packet is either answered, used, or dropped and counted
 * under its reason. Dispatch decides what a packet is - a request, or a
 * packet for an association - and only then are the access groups asked
 * (kmod/acl.c) and, if they allow it, the MAC checked (kmod/auth.c): a
 * request with a valid MAC is answered with one, an association may need
 * one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "kntp.h"
#include "core/wire.h"

/* Where the packet came from and was sent to, and the sender's port. */
static void kntp_proto_addrs(const struct sk_buff *skb, struct kntp_addr *src,
			     struct kntp_addr *dst, __be16 *sport)
{
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (skb->protocol == htons(ETH_P_IP)) {
		src->family = AF_INET;
		src->v4 = ip_hdr(skb)->saddr;
		dst->family = AF_INET;
		dst->v4 = ip_hdr(skb)->daddr;
	} else {
		src->family = AF_INET6;
		src->v6 = ipv6_hdr(skb)->saddr;
		dst->family = AF_INET6;
		dst->v6 = ipv6_hdr(skb)->daddr;
	}
	*sport = udp_hdr(skb)->source;
}

/*
 * Sent to a multicast or broadcast address? Such a packet reaches every
 * host on the link: answering it would turn one packet into a reply from
 * each of them, from an address that is not ours to send from.
 */
static bool kntp_proto_not_unicast(const struct sk_buff *skb)
{
	const struct rtable *rt;

	if (skb->pkt_type != PACKET_HOST)
		return true;
	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr);
	if (ipv4_is_multicast(ip_hdr(skb)->daddr) ||
	    ipv4_is_lbcast(ip_hdr(skb)->daddr))
		return true;
	/* Directed (subnet) broadcasts are known from the input route. */
	rt = skb_rtable(skb);
	return rt && (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST));
}

static const enum kntp_stat kntp_wire_stat[] = {
	[NTP_WIRE_ESHORT]	= KNTP_STAT_DROP_SHORT,
	[NTP_WIRE_EVERSION]	= KNTP_STAT_DROP_VERSION,
	[NTP_WIRE_EEXTLEN]	= KNTP_STAT_DROP_EXT_LENGTH,
	[NTP_WIRE_ETRAILER]	= KNTP_STAT_DROP_TRAILER,
	[NTP_WIRE_ETOOLONG]	= KNTP_STAT_DROP_TOO_LONG,
};

static const enum kntp_stat kntp_verdict_stat[] = {
	[NTP_PKT_DUP]		= KNTP_STAT_DROP_DUP,
	[NTP_PKT_BOGUS]		= KNTP_STAT_DROP_BOGUS,
	[NTP_PKT_INVALID]	= KNTP_STAT_DROP_INVALID,
	[NTP_PKT_UNSYNC]	= KNTP_STAT_DROP_UNSYNC,
	[NTP_PKT_DISTANCE]	= KNTP_STAT_DROP_DISTANCE,
	[NTP_PKT_KOD_RATE]	= KNTP_STAT_KOD_RATE,
	[NTP_PKT_KOD_DENY]	= KNTP_STAT_KOD_DENY,
	[NTP_PKT_DELAY]		= KNTP_STAT_DROP_DELAY,
	[NTP_PKT_XLEAVE_SPENT]	= KNTP_STAT_XLEAVE_SPENT,
	[NTP_PKT_XLEAVE_PEER]	= KNTP_STAT_DROP_XLEAVE_PEER,
};

/*
 * Interleaved mode configured on one side only (core/peer.c): say so once
 * when it is found, as the association's state says so for as long.
 */
static void kntp_proto_xleave_note(const struct kntp_assoc *assoc, u32 before)
{
	u32 now = assoc->p.state & ~before;
	const char *what;

	if (now & NTP_PEER_XLEAVE_BASIC)
		what = "answers in basic mode only (xleave on this side only?)";
	else if (now & NTP_PEER_XLEAVE_PEER)
		what = "sends interleaved packets (xleave on its side only?)";
	else
		return;
	if (assoc->cfg.addr.family == AF_INET)
		pr_notice_ratelimited("%pI4 %s\n", &assoc->cfg.addr.v4, what);
	else
		pr_notice_ratelimited("%pI6c %s\n", &assoc->cfg.addr.v6, what);
}

/*
 * A packet for an association (kmod/core/peer.c does the protocol): count
 * what became of it, and kick the system process when there is news.
 * Nothing of a packet that the access groups refuse or that fails
 * authentication reaches the protocol. Under RCU.
 */
static void kntp_proto_assoc(struct kntp_assoc *assoc,
			     const struct kntp_rx *rx)
{
	const struct ntp_packet *r = &rx->r;
	struct kntp_net *kn = assoc->kn;
	struct kntp_event ev = { 0 };
	const struct kntp_key *key;
	struct ntp_sysvars sys;
	enum ntp_verdict v;
	s64 t1_ns;
	bool update, was_reachable, kod, interleaved, stamped;
	u32 state;
	u8 auth;

	if (kntp_acl_refused(kn, &rx->src, NTP_ACL_NEED_PEER, &kod)) {
		/* An association's packet: never a kiss (RFC 5905 sec. 7.4). */
		spin_lock(&assoc->lock);
		kntp_assoc_stat_inc(assoc, KNTP_STAT_DROP_ACCESS);
		spin_unlock(&assoc->lock);
		return;
	}
	auth = kntp_auth_verify(kn, rx->buf, rx->len, r, &key);
	kntp_event_assoc(&ev, assoc);
	kntp_vars_read(kn, rx->rx_ns, &sys);
	/*
	 * The stack queued the transmit stamp of the packet this one answers
	 * when that left, before this one could arrive: take it now rather
	 * than wait for the error queue's work.
	 */
	kntp_tx_stamp_collect(rx->ks);
	spin_lock(&assoc->lock);
	if (!assoc->p.running)
		goto unlock;
	assoc->stats[KNTP_STAT_RX]++;
	auth = kntp_auth_assoc(kn, assoc->cfg.key_id, auth, key);
	assoc->auth = auth;
	if (auth != KNTP_AUTH_NONE)
		kntp_assoc_stat_inc(assoc, kntp_auth_stat(auth));
	if (auth != KNTP_AUTH_NONE && auth != KNTP_AUTH_OK)
		goto unlock;
	was_reachable = assoc->p.reach & NTP_FIT_REACH_MASK;
	/* A stamp of our last packet lies between its writing and now. */
	t1_ns = assoc->tx_stamp_ns >= assoc->xmt_ns &&
		assoc->tx_stamp_ns <= rx->rx_ns ? assoc->tx_stamp_ns : 0;
	state = assoc->p.state;
	v = ntp_peer_receive(&assoc->p, r, rx->rx_ns, t1_ns, &sys, &update,
			     &interleaved, &stamped);
	kntp_proto_xleave_note(assoc, state);
	kntp_poll_phase(assoc, sys.stratum, rx->rx_ns);
	if (!was_reachable && (assoc->p.reach & NTP_FIT_REACH_MASK)) {
		ev.type = KNTP_EVENT_REACHABLE;
		kntp_nl_event(kn, &ev);
	}
	if (v == NTP_PKT_KOD_RATE || v == NTP_PKT_KOD_DENY) {
		ev.type = KNTP_EVENT_KOD;
		memcpy(ev.kiss, r->refid, sizeof(ev.kiss));
		kntp_nl_event(kn, &ev);
	}
	if (v == NTP_PKT_OK && interleaved)
		kntp_assoc_stat_inc(assoc, KNTP_STAT_SAMPLE_INTERLEAVED);
	if (v == NTP_PKT_OK && stamped)
		kntp_assoc_stat_inc(assoc, KNTP_STAT_SAMPLE_TX_STAMP);
	if (v == NTP_PKT_OK)
		kntp_assoc_stat_inc(assoc, KNTP_STAT_SAMPLES);
	else
		kntp_assoc_stat_inc(assoc, kntp_verdict_stat[v]);
	if (v != NTP_PKT_DUP && v != NTP_PKT_BOGUS)
		assoc->local = rx->local;
	if (v == NTP_PKT_KOD_DENY) {
		/* ntp_peer_receive() stopped it: the timer does not re-arm. */
		if (assoc->cfg.addr.family == AF_INET)
			pr_notice_ratelimited("%pI4 sent kiss code %.4s: association stopped\n",
					      &assoc->cfg.addr.v4, r->refid);
		else
			pr_notice_ratelimited("%pI6c sent kiss code %.4s: association stopped\n",
					      &assoc->cfg.addr.v6, r->refid);
	}
	if (update)
		kntp_system_kick(kn);
unlock:
	spin_unlock(&assoc->lock);
}

/* Mode 1 and 2 from a configured peer; NULL when there is none. */
static struct kntp_assoc *kntp_proto_peer(struct kntp_net *kn,
					  const struct kntp_addr *src)
{
	struct kntp_assoc *assoc = kntp_assoc_lookup_rcu(kn, src);

	return assoc && assoc->cfg.kind == KNTP_ASSOC_KIND_PEER ? assoc : NULL;
}

/*
 * A request we answer without state: mode 3 (answered in mode 4), or mode
 * 1 from a peer we have not configured (mode 2; it never steers us, and no
 * association is mobilised whatever key signed it). The access groups
 * first, so that a refused source costs no digest; a request with a MAC
 * that fails goes unanswered; a signed one is answered with its key. Under
 * RCU.
 */
static void kntp_proto_request(const struct kntp_rx *rx, u8 mode)
{
	struct kntp_net *kn = rx->ks->kn;
	const struct kntp_key *key;
	bool kod;
	u8 auth;

	if (kntp_acl_refused(kn, &rx->src, mode == NTP_MODE_SERVER ?
			     NTP_ACL_NEED_CLIENT : NTP_ACL_NEED_PASSIVE, &kod)) {
		kntp_stat_inc(kn, KNTP_STAT_DROP_ACCESS);
		if (kod && kntp_server_kiss(rx, mode, NTP_KISS_DENY))
			kntp_stat_inc(kn, KNTP_STAT_KOD_DENY_SENT);
		return;
	}
	auth = kntp_auth_verify(kn, rx->buf, rx->len, &rx->r, &key);
	if (auth != KNTP_AUTH_NONE) {
		kntp_stat_inc(kn, kntp_auth_stat(auth));
		if (auth != KNTP_AUTH_OK)
			return;
	}
	kntp_server_reply(rx, mode, key);
}

static void kntp_proto_dispatch(const struct kntp_rx *rx)
{
	struct kntp_sock *ks = rx->ks;
	struct kntp_net *kn = ks->kn;
	struct kntp_assoc *assoc;

	switch (rx->r.mode) {
	case NTP_MODE_CLIENT:
		/* Requests go to port 123, not to our client ports. */
		if (ks->assoc)
			break;
		kntp_proto_request(rx, NTP_MODE_SERVER);
		return;
	case NTP_MODE_SERVER:
		assoc = ks->assoc;
		if (!assoc || !kntp_addr_equal(&assoc->cfg.addr, &rx->src)) {
			kntp_stat_inc(kn, KNTP_STAT_DROP_NO_ASSOC);
			return;
		}
		kntp_proto_assoc(assoc, rx);
		return;
	case NTP_MODE_ACTIVE:
		if (ks->assoc)
			break;
		assoc = kntp_proto_peer(kn, &rx->src);
		if (assoc)
			kntp_proto_assoc(assoc, rx);
		else
			kntp_proto_request(rx, NTP_MODE_PASSIVE);
		return;
	case NTP_MODE_PASSIVE:
		if (ks->assoc)
			break;
		assoc = kntp_proto_peer(kn, &rx->src);
		if (!assoc) {
			kntp_stat_inc(kn, KNTP_STAT_DROP_NO_ASSOC);
			return;
		}
		kntp_proto_assoc(assoc, rx);
		return;
	case NTP_MODE_BROADCAST:
		kntp_stat_inc(kn, KNTP_STAT_DROP_BROADCAST);
		return;
	case NTP_MODE_CONTROL:
		kntp_stat_inc(kn, KNTP_STAT_DROP_CONTROL);
		return;
	case NTP_MODE_PRIVATE:
		kntp_stat_inc(kn, KNTP_STAT_DROP_PRIVATE);
		return;
	}
	kntp_stat_inc(kn, KNTP_STAT_DROP_MODE);
}

/**
 * kntp_proto_rcv() - handle one UDP packet to one of our sockets
 * @ks: the socket it arrived on
 * @skb: the packet; skb->data is its UDP header. Consumed.
 *
 * Return: 0 (the packet never goes further up the stack).
 */
int kntp_proto_rcv(struct kntp_sock *ks, struct sk_buff *skb)
{
	kntp_proto_rcv_l2(ks, skb, NULL);
	return 0;
}

/**
 * kntp_proto_rcv_l2() - kntp_proto_rcv(), answers out of @l2 when set
 * @ks: the socket it is for
 * @skb: the packet, its transport header set. Consumed.
 * @l2: the device it arrived on and the sender's link address (answers go
 *	back that way, unrouted), or NULL
 */
void kntp_proto_rcv_l2(struct kntp_sock *ks, struct sk_buff *skb,
		       const struct kntp_l2 *l2)
{
	struct kntp_net *kn = ks->kn;
	struct kntp_rx rx = { .ks = ks, .skb = &skb, .l2 = l2 };
	unsigned int off;
	int err;

	/* First: when it arrived, on the instance's clock. */
	rx.rx_ns = kntp_clock_from_sys(kn, kntp_rx_stamp(kn, skb));
	kntp_stat_inc(kn, KNTP_STAT_RX);

	if (kntp_proto_not_unicast(skb)) {
		kntp_stat_inc(kn, KNTP_STAT_DROP_NOT_UNICAST);
		goto out;
	}
	/* The UDP layer trimmed the skb to the datagram. */
	off = skb_transport_offset(skb) + sizeof(struct udphdr);
	rx.len = skb->len - off;
	if (rx.len > NTP_WIRE_MAX_LEN) {
		kntp_stat_inc(kn, KNTP_STAT_DROP_TOO_LONG);
		goto out;
	}
	if (!pskb_may_pull(skb, off + rx.len)) {
		kntp_stat_inc(kn, KNTP_STAT_DROP_SHORT);
		goto out;
	}
	rx.buf = skb->data + off;
	err = ntp_decode(rx.buf, rx.len, &rx.r);
	if (err) {
		kntp_stat_inc(kn, kntp_wire_stat[-err]);
		goto out;
	}
	kntp_proto_addrs(skb, &rx.src, &rx.local, &rx.sport);
	/* A key found stays valid until the reply is signed. */
	rcu_read_lock();
	kntp_proto_dispatch(&rx);
	rcu_read_unlock();
out:
	consume_skb(skb);
}
