// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the poll process (RFC 5905 sec. 13, Appendix A.5.7) - one timer per
 * association, the reach register, bursts, the poll interval, and the
 * packets we send to servers (mode 3) and peers (mode 1).
 *
 * The timer is an hrtimer in softirq mode. The timer wheel would do for
 * the intervals but not for their phase: it rounds an expiry up to its
 * level's granularity, counted from jiffy 0 (256 ms for a 4 s poll at
 * HZ=250, 2 s from 16 s on), so every timer of the system due in the same
 * slot fires on the same tick, and the random part of an interval below
 * the granularity is lost. Two symmetric peers on one host then sent in
 * the same tick again and again, and their packets crossed (test 2).
 *
 * The timer only queues the association's poll work (system_highpri_wq),
 * which polls and sends in process context. Sent from the timer's softirq,
 * our packet waited after its driver stamp (T1): on a veth the stamp is
 * taken where the packet is queued to the peer device, which handles it in
 * the NET_RX softirq - raised from the timer's, it ran a round later or in
 * ksoftirqd. In a TCG guest that was 100-300 us of the outbound leg the
 * stamp did not see: our delays that much longer than chronyd's on the
 * same path, our offsets 100-160 us high (basic and interleaved alike; the
 * accuracy benchmark's clock 170 us ahead). From process context, the
 * packet goes on at the unlock (local_bh_enable() runs NET_RX). A real NIC
 * sends at its driver stamp either way; the work costs one wakeup a poll.
 *
 * The work takes the association's lock and re-arms the timer, under that
 * lock, only while the association runs; the receive path moves it
 * (kntp_poll_phase()) under the same lock, on the same condition. So once
 * kntp_poll_stop() has cleared p.running, hrtimer_cancel() and then
 * cancel_work_sync() stop both for good: neither can start the other
 * again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>

#include "kntp.h"
#include "core/wire.h"

/* The first packet goes out within this, so a new association is usable. */
#define KNTP_FIRST_POLL_MS	500
/* Resolution of the random part of a poll interval. */
#define KNTP_POLL_JITTER_MAX	1024

/* Send our packet (A.5.8 peer_xmit()). Holds assoc->lock. */
static void kntp_poll_xmit(struct kntp_assoc *assoc)
{
	const struct kntp_assoc_cfg *cfg = &assoc->cfg;
	struct ntp_sysvars sys;
	struct ntp_packet p;
	u8 buf[NTP_HEADER_LEN];
	struct kntp_xmit xm = {
		.dst = &cfg->addr,
		.dport = htons(NTP_PORT),
		.pkt = buf,
		.len = sizeof(buf),
		.tskey = assoc->id,
	};
	s64 xmt_ns;
	int err;

	kntp_vars_read(assoc->kn, kntp_clock_now(assoc->kn), &sys);
	ntp_peer_xmit(&assoc->p, &sys, &p);
	ntp_encode(&p, buf);
	/* A symmetric packet in interleaved form carries it (core/peer.c). */
	xm.xmt_set = p.xmt_ts;

	rcu_read_lock();
	if (cfg->key_id) {
		xm.key = kntp_key_lookup_rcu(assoc->kn, cfg->key_id);
		if (!xm.key) {
			/* Unsigned, the packet would only be dropped there. */
			rcu_read_unlock();
			kntp_assoc_stat_inc(assoc, KNTP_STAT_TX_NO_KEY);
			return;
		}
	}
	xm.ks = cfg->kind == KNTP_ASSOC_KIND_PEER ?
		kntp_sock_for(assoc->kn, cfg->addr.family) : assoc->sock;
	err = xm.ks ? kntp_sock_send(&xm, &xmt_ns) : -ENOTCONN;
	rcu_read_unlock();
	if (err) {
		kntp_assoc_stat_inc(assoc, KNTP_STAT_TX_ERR);
		return;
	}
	ntp_peer_sent(&assoc->p, &p, ntp_ts_from_ns(xmt_ns));
	assoc->xmt_ns = xmt_ns;
	kntp_assoc_stat_inc(assoc, KNTP_STAT_TX);
}

/* Holds assoc->lock; the association runs. */
static void kntp_poll_arm(struct kntp_assoc *assoc, s64 wait_ns)
{
	hrtimer_start(&assoc->timer, ns_to_ktime(max_t(s64, wait_ns, 1)),
		      HRTIMER_MODE_REL_SOFT);
}

static enum hrtimer_restart kntp_poll_timer(struct hrtimer *t)
{
	struct kntp_assoc *assoc = container_of(t, struct kntp_assoc, timer);

	queue_work(system_highpri_wq, &assoc->poll_work);
	return HRTIMER_NORESTART;
}

static void kntp_poll_work(struct work_struct *work)
{
	struct kntp_assoc *assoc = container_of(work, struct kntp_assoc,
						poll_work);
	struct kntp_net *kn = assoc->kn;
	s64 next_ns;
	s8 sys_poll;

	sys_poll = READ_ONCE(kn->vars.poll);
	spin_lock_bh(&assoc->lock);
	if (assoc->p.running) {
		bool was_reachable = assoc->p.reach & NTP_FIT_REACH_MASK;

		next_ns = ntp_peer_poll(&assoc->p, kntp_clock_now(kn), sys_poll);
		/*
		 * Lengthen each interval by up to 1/16 at random, so that
		 * the polls of many associations, and of many clients of one
		 * server, do not bunch up, and a symmetric peer that keeps
		 * its own schedule cannot stay in phase with ours (peers
		 * that set their phase from ours: kntp_poll_phase()). Never
		 * shorter: a peer following us (chronyd, or kntp) falls back
		 * to its own poll only when ours is a little overdue.
		 */
		next_ns += div_s64(next_ns, 16 * KNTP_POLL_JITTER_MAX) *
			   get_random_u32_below(KNTP_POLL_JITTER_MAX);
		if (was_reachable && !(assoc->p.reach & NTP_FIT_REACH_MASK)) {
			struct kntp_event ev = {
				.type = KNTP_EVENT_UNREACHABLE,
			};

			kntp_event_assoc(&ev, assoc);
			kntp_nl_event(kn, &ev);
			kntp_system_kick(kn);
		}
		kntp_poll_xmit(assoc);
		kntp_poll_arm(assoc, next_ns);
	}
	spin_unlock_bh(&assoc->lock);
}

void kntp_poll_init(struct kntp_assoc *assoc)
{
	hrtimer_init(&assoc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	assoc->timer.function = kntp_poll_timer;
	INIT_WORK(&assoc->poll_work, kntp_poll_work);
}

/**
 * kntp_poll_phase() - an answer came: perhaps send at another time
 * @assoc: association, locked, given the packet by ntp_peer_receive()
 * @sys_stratum: our stratum
 * @rx_ns: when the packet arrived, instance clock ns
 *
 * ntp_peer_phase() (kmod/core/peer.c) says when: a source back from
 * unreachable starts its burst now, and a symmetric peer's packets and
 * ours must not cross.
 */
void kntp_poll_phase(struct kntp_assoc *assoc, u8 sys_stratum, s64 rx_ns)
{
	s64 wait_ns;

	lockdep_assert_held(&assoc->lock);
	if (!assoc->p.running)
		return;
	wait_ns = ntp_peer_phase(&assoc->p, sys_stratum, rx_ns);
	if (wait_ns >= 0)
		kntp_poll_arm(assoc, wait_ns);
}

/**
 * kntp_poll_start() - clear an association and start polling (A.5.5 clear())
 * @assoc: a stopped association
 */
void kntp_poll_start(struct kntp_assoc *assoc)
{
	s64 now_ns = kntp_clock_now(assoc->kn);

	spin_lock_bh(&assoc->lock);
	ntp_peer_clear(&assoc->p, now_ns);
	/* Spread the first packets of many associations a little. */
	kntp_poll_arm(assoc, (s64)get_random_u32_below(KNTP_FIRST_POLL_MS * 1000) *
			     NSEC_PER_USEC);
	spin_unlock_bh(&assoc->lock);
}

/**
 * kntp_poll_stop() - stop polling; neither the timer nor the poll work is
 * running or queued on return
 * @assoc: association
 *
 * Process context; sleeps.
 */
void kntp_poll_stop(struct kntp_assoc *assoc)
{
	spin_lock_bh(&assoc->lock);
	assoc->p.running = false;
	spin_unlock_bh(&assoc->lock);
	hrtimer_cancel(&assoc->timer);
	cancel_work_sync(&assoc->poll_work);
}
