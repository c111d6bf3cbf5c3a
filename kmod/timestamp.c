// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: packet timestamps.
 *
 * Receive: the skb's own timestamp, taken by the stack when the packet
 * arrived (net_enable_timestamp() makes it stamp every packet), before any
 * queueing; a clock read in our hook only when the skb carries none.
 * Transmit: the sender writes the transmit timestamp last (socket.c) and
 * asks the stack for the driver's transmit timestamp, which comes back on
 * the socket's error queue; it is recorded per association, and the
 * answer to that packet uses it as T1 (kmod/proto.c); for an answer to an
 * interleaved request it is kept for the client's next (kmod/xleave.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errqueue.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "kntp.h"

/**
 * kntp_rx_stamp() - when a packet arrived
 * @kn: instance, for the counters
 * @skb: the received packet
 *
 * A hardware stamp is in the device's clock, not the system's; it is
 * counted but not used until a device clock mapping exists.
 *
 * Return: system clock (CLOCK_REALTIME) ns.
 */
s64 kntp_rx_stamp(struct kntp_net *kn, const struct sk_buff *skb)
{
	if (skb_hwtstamps((struct sk_buff *)skb)->hwtstamp)
		kntp_stat_inc(kn, KNTP_STAT_RX_STAMP_HW);
	/* A delivery time (mono clock) is not an arrival stamp. */
	if (skb->tstamp && !skb->mono_delivery_time) {
		kntp_stat_inc(kn, KNTP_STAT_RX_STAMP_SKB);
		return ktime_to_ns(skb->tstamp);
	}
	kntp_stat_inc(kn, KNTP_STAT_RX_STAMP_LATE);
	return ktime_get_real_ns();
}

/* Ask for the software transmit stamp of skb, reported with tskey. */
void kntp_tx_stamp_request(struct sk_buff *skb, u32 tskey)
{
	skb_shinfo(skb)->tx_flags |= SKBTX_SW_TSTAMP;
	skb_shinfo(skb)->tskey = tskey;
}

/**
 * kntp_tx_stamp_collect() - drain a socket's error queue
 * @ks: socket
 *
 * Process context (the socket's error work), or the receive path before
 * an association's packet is processed (no association lock held: the
 * stamps are recorded under it). Transmit stamps are recorded; ICMP errors
 * are dropped (an unreachable server shows as an empty reach register).
 */
void kntp_tx_stamp_collect(struct kntp_sock *ks)
{
	struct sock *sk = ks->sock->sk;
	struct sk_buff *skb;

	while ((skb = sock_dequeue_err_skb(sk))) {
		struct sock_exterr_skb *serr = SKB_EXT_ERR(skb);
		s64 stamp_ns = ktime_to_ns(skb->tstamp);
		u32 tskey = serr->ee.ee_data;

		if (serr->ee.ee_errno != ENOMSG ||
		    serr->ee.ee_origin != SO_EE_ORIGIN_TIMESTAMPING || !stamp_ns) {
			kfree_skb(skb);
			continue;
		}
		stamp_ns = kntp_clock_from_sys(ks->kn, stamp_ns);
		/* Answers are kept only on port 123. */
		if (tskey & KNTP_TSKEY_XLEAVE) {
			if (!ks->assoc) {
				kntp_xleave_tx(ks->kn, tskey, stamp_ns, true);
				kntp_stat_inc(ks->kn, KNTP_STAT_TX_STAMP);
			}
		} else {
			kntp_assoc_tx_stamp(ks->kn, tskey, stamp_ns);
		}
		kfree_skb(skb);
	}
	sock_error(sk);
}
