// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the poll process (RFC 5905 sec. 13, Appendix A.5.7) - one timer per
 * association, the reach register, bursts, the poll interval, and the
 * packets we send to servers (mode 3) and peers (mode 1).
 *
 * The timer runs in softirq and takes the association's lock; it re-arms
 * itself only while the association runs, so kntp_poll_stop() can stop it
 * for good with one del_timer_sync().
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

	kntp_vars_read(assoc->kn, &sys);
	ntp_peer_xmit(&assoc->p, &sys, &p);
	ntp_encode(&p, buf);

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
	ntp_peer_sent(&assoc->p, ntp_ts_from_ns(xmt_ns));
	assoc->xmt_ns = xmt_ns;
	kntp_assoc_stat_inc(assoc, KNTP_STAT_TX);
}

static void kntp_poll_timer(struct timer_list *t)
{
	struct kntp_assoc *assoc = from_timer(assoc, t, timer);
	struct kntp_net *kn = assoc->kn;
	s64 next_ns;
	s8 sys_poll;

	sys_poll = READ_ONCE(kn->vars.poll);
	spin_lock(&assoc->lock);
	if (assoc->running && assoc->p.running) {
		bool was_reachable = assoc->p.reach & NTP_FIT_REACH_MASK;

		next_ns = ntp_peer_poll(&assoc->p, kntp_clock_now(kn), sys_poll);
		/*
		 * Shorten each interval by up to 1/16 at random: two
		 * symmetric peers polling at the same rate must not lock in
		 * phase, or each would send before the other's packet
		 * arrived and every packet would be bogus (test 2).
		 */
		next_ns -= div_s64(next_ns, 16 * KNTP_POLL_JITTER_MAX) *
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
		mod_timer(&assoc->timer,
			  jiffies + max_t(unsigned long, 1, nsecs_to_jiffies(next_ns)));
	}
	spin_unlock(&assoc->lock);
}

void kntp_poll_init(struct kntp_assoc *assoc)
{
	timer_setup(&assoc->timer, kntp_poll_timer, 0);
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
	assoc->running = true;
	/* Spread the first packets of many associations a little. */
	mod_timer(&assoc->timer, jiffies +
		  msecs_to_jiffies(get_random_u32_below(KNTP_FIRST_POLL_MS) + 1));
	spin_unlock_bh(&assoc->lock);
}

/**
 * kntp_poll_stop() - stop polling; the timer is not running on return
 * @assoc: association
 *
 * Process context.
 */
void kntp_poll_stop(struct kntp_assoc *assoc)
{
	spin_lock_bh(&assoc->lock);
	assoc->running = false;
	spin_unlock_bh(&assoc->lock);
	del_timer_sync(&assoc->timer);
}
