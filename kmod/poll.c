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

static unsigned long kntp_poll_jiffies(s8 exp)
{
	if (exp >= 0)
		return (unsigned long)HZ << exp;
	return max_t(unsigned long, 1, HZ >> -exp);
}

static s8 kntp_poll_clamp(const struct kntp_assoc *assoc, int poll)
{
	return clamp_t(int, poll, assoc->cfg.minpoll, assoc->cfg.maxpoll);
}

/* Build and send our packet (A.5.8 peer_xmit()). Holds assoc->lock. */
static void kntp_poll_xmit(struct kntp_assoc *assoc)
{
	const struct kntp_assoc_cfg *cfg = &assoc->cfg;
	struct ntp_packet p = {
		.version = cfg->version,
		.poll = assoc->hpoll,
	};
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

	if (cfg->kind == KNTP_ASSOC_KIND_PEER) {
		/* Symmetric: our clock, and the echo of the peer's last packet. */
		p.mode = NTP_MODE_ACTIVE;
		kntp_fill_sys(assoc->kn, &p);
		p.org_ts = assoc->x.org;
		p.rec_ts = assoc->x.rec;
	} else {
		/* Client: a server needs nothing but the transmit timestamp. */
		p.mode = NTP_MODE_CLIENT;
	}
	ntp_encode(&p, buf);

	rcu_read_lock();
	xm.ks = cfg->kind == KNTP_ASSOC_KIND_PEER ?
		kntp_sock_for(assoc->kn, cfg->addr.family) : assoc->sock;
	err = xm.ks ? kntp_sock_send(&xm, &xmt_ns) : -ENOTCONN;
	rcu_read_unlock();
	if (err) {
		kntp_assoc_stat_inc(assoc, KNTP_STAT_TX_ERR);
		return;
	}
	assoc->x.xmt = ntp_ts_from_ns(xmt_ns);
	assoc->xmt_ns = xmt_ns;
	kntp_assoc_stat_inc(assoc, KNTP_STAT_TX);
}

/* A.5.7 poll(): the reach register, bursts and backoff; then send. */
static void kntp_poll(struct kntp_assoc *assoc)
{
	unsigned long interval;

	if (!assoc->burst) {
		assoc->reach <<= 1;
		/* Three polls unanswered: the filter learns of it. */
		if (!(assoc->reach & 0x7))
			ntp_filter_add_missed(&assoc->filter,
					      ktime_get_real_ns(), assoc->poll);
		if (!assoc->reach) {
			if ((assoc->cfg.flags & KNTP_ASSOC_F_IBURST) &&
			    !assoc->unreach)
				assoc->burst = NTP_BCOUNT;
			else if (assoc->unreach < NTP_UNREACH)
				assoc->unreach++;
			else
				assoc->hpoll = kntp_poll_clamp(assoc,
							       assoc->hpoll + 1);
		}
	} else {
		assoc->burst--;
	}

	/* A.5.7 poll_update(): never faster than the remote side polls. */
	assoc->poll = kntp_poll_clamp(assoc, min(assoc->ppoll, assoc->hpoll));
	/* A burst is never slower than polling at minpoll would be. */
	interval = kntp_poll_jiffies(assoc->poll);
	if (assoc->burst)
		interval = min_t(unsigned long, NTP_BTIME * HZ,
				 kntp_poll_jiffies(assoc->cfg.minpoll));
	assoc->next_jiffies = jiffies + interval;
	kntp_poll_xmit(assoc);
}

static void kntp_poll_timer(struct timer_list *t)
{
	struct kntp_assoc *assoc = from_timer(assoc, t, timer);

	spin_lock(&assoc->lock);
	if (assoc->running) {
		kntp_poll(assoc);
		mod_timer(&assoc->timer, assoc->next_jiffies);
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
	s64 now_ns = ktime_get_real_ns();

	spin_lock_bh(&assoc->lock);
	assoc->state = 0;
	assoc->leap = NTP_LEAP_NOSYNC;
	assoc->stratum = NTP_MAXSTRAT;
	assoc->ppoll = assoc->cfg.maxpoll;
	assoc->precision = 0;
	assoc->root_delay_ns = 0;
	assoc->root_disp_ns = 0;
	memcpy(assoc->refid, KNTP_REFID_INIT, sizeof(assoc->refid));
	assoc->reftime = 0;
	memset(&assoc->x, 0, sizeof(assoc->x));
	ntp_filter_reset(&assoc->filter, now_ns);
	assoc->reach = 0;
	assoc->unreach = 0;
	assoc->burst = 0;
	assoc->hpoll = assoc->cfg.minpoll;
	assoc->poll = assoc->cfg.minpoll;
	assoc->rx_ns = 0;
	assoc->running = true;
	/* Spread the first packets of many associations a little. */
	assoc->next_jiffies = jiffies +
		msecs_to_jiffies(get_random_u32_below(KNTP_FIRST_POLL_MS) + 1);
	mod_timer(&assoc->timer, assoc->next_jiffies);
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

/**
 * kntp_poll_reachable() - a packet passed tests 1-3
 * @assoc: association, locked
 *
 * Until the system process drives the poll interval, a source that
 * answers again is polled at minpoll again.
 */
void kntp_poll_reachable(struct kntp_assoc *assoc)
{
	if (!assoc->reach)
		assoc->hpoll = assoc->cfg.minpoll;
	assoc->reach |= 1;
	assoc->unreach = 0;
}

/**
 * kntp_poll_backoff() - a RATE kiss code: poll less often (sec. 7.4)
 * @assoc: association, locked
 * @server_poll: the poll interval the server asked for, log2 s
 */
void kntp_poll_backoff(struct kntp_assoc *assoc, s8 server_poll)
{
	assoc->hpoll = kntp_poll_clamp(assoc, max_t(int, assoc->hpoll + 1,
						    server_poll));
	assoc->burst = 0;
}
