// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's engine: the event queue, the network, and the glue that
 * drives kmod/core the way the module does - the poll timer (kmod/poll.c),
 * the receive dispatch and server replies (kmod/proto.c, kmod/server.c) and
 * the system process (kmod/system.c) - with struct ntp_vclock as each
 * host's clock against true time.
 *
 * Every random number comes from a seeded xorshift64* generator and every
 * tie in the event queue is broken by insertion order, so a seed gives the
 * same run, event for event, on every machine.
 *
 * Environment, for investigation only: SIM_TRACE set prints one line per
 * clock update; SIM_DISC_MINPOLL=n replaces the discipline's minpoll
 * (the module's is KNTP_POLL_MIN).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"
#include "uapi/linux/kntp.h"

/* A server's time from receiving a request to sending the answer (softirq). */
#define SIM_SERVER_TURN_NS	(20 * SIM_US)
/* A packet never arrives sooner than this after it left. */
#define SIM_MIN_DELAY_NS	(1 * SIM_US)
/* The kernel spreads the first polls over this (KNTP_FIRST_POLL_MS). */
#define SIM_FIRST_POLL_NS	(500 * SIM_MS)
/* The system process also runs once a second (KNTP_SYSTEM_PERIOD). */
#define SIM_TICK_NS		SIM_S
/* Parts per million. */
#define SIM_PPM			1000000U

/* --- random numbers ------------------------------------------------------ */

void sim_rng_seed(struct sim_rng *r, u64 seed)
{
	/* splitmix64 of the seed: any seed, even 0, gives a good state */
	u64 z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) | 1;
}

u64 sim_rng_next(struct sim_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

u32 sim_rng_frac32(struct sim_rng *r)
{
	return sim_rng_next(r) >> 32;
}

s64 sim_rng_pm(struct sim_rng *r, s64 span)
{
	if (span <= 0)
		return 0;
	return (s64)(sim_rng_next(r) % (2 * (u64)span + 1)) - span;
}

s64 sim_rng_exp(struct sim_rng *r, s64 mean)
{
	/* u in (0, 1]: -log(u) is finite */
	double u = ((double)sim_rng_frac32(r) + 1.0) / 4294967296.0;

	if (mean <= 0)
		return 0;
	return (s64)(-log(u) * (double)mean);
}

/* --- event queue: a binary min-heap on (t_ns, seq) ------------------------ */

static bool sim_ev_before(const struct sim_ev *a, const struct sim_ev *b)
{
	if (a->t_ns != b->t_ns)
		return a->t_ns < b->t_ns;
	return a->seq < b->seq;
}

static void sim_push(struct sim *s, struct sim_ev *ev)
{
	size_t i;

	if (s->q_len == s->q_cap) {
		size_t cap = s->q_cap ? 2 * s->q_cap : 256;
		struct sim_ev *q = realloc(s->q, cap * sizeof(*q));

		if (!q) {
			fprintf(stderr, "sim: out of memory\n");
			exit(2);
		}
		s->q = q;
		s->q_cap = cap;
	}
	ev->seq = s->seq++;
	i = s->q_len++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!sim_ev_before(ev, &s->q[parent]))
			break;
		s->q[i] = s->q[parent];
		i = parent;
	}
	s->q[i] = *ev;
}

static void sim_pop(struct sim *s, struct sim_ev *ev)
{
	struct sim_ev last;
	size_t i = 0;

	*ev = s->q[0];
	last = s->q[--s->q_len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = l;

		if (l >= s->q_len)
			break;
		if (r < s->q_len && sim_ev_before(&s->q[r], &s->q[l]))
			m = r;
		if (!sim_ev_before(&s->q[m], &last))
			break;
		s->q[i] = s->q[m];
		i = m;
	}
	if (s->q_len)
		s->q[i] = last;
}

/* --- the world ------------------------------------------------------------ */

void sim_init(struct sim *s, u64 seed)
{
	memset(s, 0, sizeof(*s));
	s->now_ns = SIM_EPOCH_NS;
	sim_rng_seed(&s->rng, seed);
	s->trace = getenv("SIM_TRACE");
}

void sim_free(struct sim *s)
{
	free(s->q);
	s->q = NULL;
	s->q_len = 0;
	s->q_cap = 0;
}

s64 sim_clock(const struct sim *s, int host)
{
	return ntp_vclock_read(&s->hosts[host].clk, s->now_ns);
}

s64 sim_error(const struct sim *s, int host)
{
	return sim_clock(s, host) - s->now_ns;
}

bool sim_synced(const struct sim *s, int host)
{
	const struct ntp_system *sys = &s->hosts[host].sys;

	return sys->synced && sys->v.stratum < NTP_MAXSTRAT &&
	       sys->v.leap != NTP_LEAP_NOSYNC;
}

static struct sim_assoc *sim_assoc_by_id(struct sim_host *h, u32 id)
{
	int i;

	for (i = 0; i < h->n_as; i++)
		if (h->as[i].id == id)
			return &h->as[i];
	return NULL;
}

/* The host our system peer is, -1 when we follow none (or our own clock). */
int sim_sys_peer_host(const struct sim *s, int host)
{
	struct sim_host *h = (struct sim_host *)&s->hosts[host];
	struct sim_assoc *a;

	if (!h->sys.synced || !h->sys.sys_peer_id)
		return -1;
	a = sim_assoc_by_id(h, h->sys.sys_peer_id);
	return a ? a->remote : -1;
}

const struct sim_assoc *sim_assoc_to(const struct sim *s, int host, int remote)
{
	const struct sim_host *h = &s->hosts[host];
	int i;

	for (i = 0; i < h->n_as; i++)
		if (h->as[i].remote == remote)
			return &h->as[i];
	return NULL;
}

/* Our reference ID as others name us: the IPv4 address, network order. */
static void sim_addr_refid(u32 addr, u8 refid[NTP_REFID_LEN])
{
	ntp_put_be32(refid, addr);
}

int sim_add_host(struct sim *s, const struct sim_host_cfg *cfg)
{
	struct ntp_disc_cfg dcfg;
	struct sim_host *h;
	struct sim_ev ev = { .type = SIM_EV_TICK };
	int idx = s->n_hosts;

	if (idx >= SIM_MAX_HOSTS)
		return -1;
	ntp_system_default_cfg(&dcfg);	/* as the module */
	if (getenv("SIM_DISC_MINPOLL"))
		dcfg.minpoll = atoi(getenv("SIM_DISC_MINPOLL"));
	h = &s->hosts[s->n_hosts++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", cfg->name);
	h->addr = 0x0a000001 + idx;	/* 10.0.0.1, 10.0.0.2, ... */
	h->wander_ppb = cfg->wander_ppb;
	sim_rng_seed(&h->rng, sim_rng_next(&s->rng));
	ntp_vclock_init(&h->clk, s->now_ns, cfg->offset_ns);
	ntp_vclock_inject(&h->clk, s->now_ns, 0, cfg->err_ppb);
	dcfg.ctl = cfg->disc_ctl;
	h->clock_steps_only = cfg->clock_steps_only;
	ntp_system_init(&h->sys, cfg->precision, &dcfg);
	if (cfg->master)
		ntp_system_set_master(&h->sys, cfg->master, sim_clock(s, idx));

	/* The once-a-second run, at a phase of its own. */
	ev.host = idx;
	ev.t_ns = s->now_ns + 1 + (s64)((u64)sim_rng_frac32(&h->rng) *
					SIM_TICK_NS >> 32);
	sim_push(s, &ev);
	return idx;
}

int sim_add_link(struct sim *s, int a, int b, const struct sim_link_cfg *cfg)
{
	struct sim_link *l;

	if (s->n_links >= SIM_MAX_LINKS)
		return -1;
	l = &s->links[s->n_links];
	memset(l, 0, sizeof(*l));
	l->a = a;
	l->b = b;
	l->delay_ns = cfg->delay_ns;
	l->asym_ns = cfg->asym_ns;
	l->jitter_ns = cfg->jitter_ns;
	l->kind = cfg->kind;
	l->loss_ppm = cfg->loss_ppm;
	l->up = true;
	return s->n_links++;
}

int sim_add_assoc(struct sim *s, int host, int remote, u8 hmode,
		  s8 minpoll, s8 maxpoll, bool iburst)
{
	struct sim_host *h = &s->hosts[host];
	struct sim_ev ev = { .type = SIM_EV_POLL };
	struct sim_assoc *a;

	if (h->n_as >= SIM_MAX_ASSOCS)
		return -1;
	a = &h->as[h->n_as];
	memset(a, 0, sizeof(*a));
	a->remote = remote;
	a->id = h->n_as + 1;
	sim_addr_refid(s->hosts[remote].addr, a->refid);
	a->p.hmode = hmode;
	a->p.version = NTP_VERSION;
	a->p.minpoll = minpoll;
	a->p.maxpoll = maxpoll;
	a->p.iburst = iburst;
	ntp_peer_clear(&a->p, sim_clock(s, host));

	/* kntp_poll_start(): the first poll within half a second */
	ev.host = host;
	ev.arg = h->n_as;
	ev.t_ns = s->now_ns + 1 + (s64)((u64)sim_rng_frac32(&h->rng) *
					SIM_FIRST_POLL_NS >> 32);
	a->next_poll_ns = ev.t_ns;
	sim_push(s, &ev);
	return h->n_as++;
}

void sim_link_at(struct sim *s, int link, s64 t_ns, bool up)
{
	struct sim_ev ev = {
		.type = SIM_EV_LINK,
		.t_ns = t_ns,
		.arg = link,
		.up = up,
	};

	sim_push(s, &ev);
}

/* --- the network ---------------------------------------------------------- */

static struct sim_link *sim_link_between(struct sim *s, int a, int b)
{
	int i;

	for (i = 0; i < s->n_links; i++) {
		struct sim_link *l = &s->links[i];

		if ((l->a == a && l->b == b) || (l->a == b && l->b == a))
			return l;
	}
	return NULL;
}

/* A datagram leaves host from at true time t_ns for host to. */
static void sim_send(struct sim *s, int from, int to, const u8 *buf,
		     size_t len, s64 t_ns)
{
	struct sim_link *l = sim_link_between(s, from, to);
	struct sim_ev ev = { .type = SIM_EV_PKT };
	s64 delay;

	if (!l)
		return;
	l->sent++;
	/* the draws happen whatever becomes of the packet: runs stay aligned */
	delay = l->delay_ns + (from == l->a ? l->asym_ns / 2 : -l->asym_ns / 2);
	if (l->kind == SIM_JITTER_EXP)
		delay += sim_rng_exp(&s->rng, l->jitter_ns);
	else
		delay += sim_rng_pm(&s->rng, l->jitter_ns);
	if (!l->up || (u64)sim_rng_frac32(&s->rng) * SIM_PPM >> 32 <
		      l->loss_ppm) {
		l->lost++;
		return;
	}
	if (delay < SIM_MIN_DELAY_NS)
		delay = SIM_MIN_DELAY_NS;
	ev.t_ns = t_ns + delay;
	ev.host = to;
	ev.arg = from;
	ev.len = len;
	memcpy(ev.buf, buf, len);
	sim_push(s, &ev);
}

/* --- the system process (kmod/system.c) ----------------------------------- */

/*
 * SIM_TRACE: one line per clock update - true time, host, the age of the
 * system peer's sample, the combined offset, the true error before the
 * action, and the action.
 */
static void sim_trace(const struct sim *s, int host, int result, s64 now,
		      const struct ntp_disc_action *act)
{
	const struct sim_host *h = &s->hosts[host];
	s64 age = h->sys.sample_ns == S64_MIN ? 0 : now - h->sys.sample_ns;

	printf("#T %10.3f %-3s %s age %.3f s off %+.6f ms err %+.6f ms",
	       (double)(s->now_ns - SIM_EPOCH_NS) / SIM_S, h->name,
	       result == NTP_DISC_STEP ? "STEP" : "slew", (double)age / SIM_S,
	       (double)h->sys.offset_ns / SIM_MS,
	       (double)sim_error(s, host) / SIM_MS);
	printf(" step %+.3f ms freq %+lld ppb slew %+.6f ms/%.3f s poll %d\n",
	       (double)act->step_ns / SIM_MS, (long long)act->freq_ppb,
	       (double)act->slew_ns / SIM_MS,
	       (double)act->slew_dur_ns / SIM_S, h->sys.disc.poll);
}

static void sim_system_run(struct sim *s, int host)
{
	struct sim_host *h = &s->hosts[host];
	struct ntp_cand c[SIM_MAX_ASSOCS];
	struct ntp_sys_extra x[SIM_MAX_ASSOCS];
	struct ntp_disc_action act;
	s64 corr_ns;
	u8 own[NTP_REFID_LEN];
	s64 now = sim_clock(s, host);
	int i, result;

	sim_addr_refid(h->addr, own);
	for (i = 0; i < h->n_as; i++) {
		struct sim_assoc *a = &h->as[i];

		ntp_peer_cand(&a->p, now, &c[i]);
		c[i].id = a->id;
		/* loop: a source synchronised to us names us as its refid */
		c[i].loop = c[i].stratum > 1 && c[i].stratum < NTP_MAXSTRAT &&
			    !memcmp(a->p.refid, own, NTP_REFID_LEN);
		ntp_system_extra(&a->p, &x[i]);
		memcpy(x[i].refid, a->refid, NTP_REFID_LEN);
	}
	h->n_runs++;
	result = ntp_system_run(&h->sys, c, x, h->n_as, now, &act, &corr_ns);
	if (result == NTP_DISC_SLEW || result == NTP_DISC_STEP) {
		if (s->trace)
			sim_trace(s, host, result, now, &act);
		if (h->clock_steps_only) {	/* as kntp_sysclock_step() alone */
			act.freq_ppb = h->clk.freq_ppb;
			act.slew_ns = 0;
			act.slew_dur_ns = 0;
		}
		ntp_vclock_apply(&h->clk, s->now_ns, &act);
	}
	if (result == NTP_DISC_SLEW)
		h->n_slews++;
	if (result == NTP_DISC_STEP) {
		h->n_steps++;
		now = sim_clock(s, host);
	}
	for (i = 0; i < h->n_as; i++) {
		h->as[i].p.tally = c[i].tally;
		h->as[i].p.reject = c[i].reject;
		ntp_filter_compensate(&h->as[i].p.filter, corr_ns, act.df_ppb,
				      now);
		if (result == NTP_DISC_STEP)
			ntp_filter_reset(&h->as[i].p.filter, now);
	}
}

/* --- packets (kmod/proto.c, kmod/server.c, kmod/poll.c) ------------------- */

static struct sim_assoc *sim_assoc_for(struct sim_host *h, int remote,
				       bool peer)
{
	int i;

	for (i = 0; i < h->n_as; i++) {
		struct sim_assoc *a = &h->as[i];

		bool active = a->p.hmode == NTP_MODE_ACTIVE;

		if (a->remote == remote && active == peer)
			return a;
	}
	return NULL;
}

/* kntp_server_reply(): a stateless answer from the receive path. */
static void sim_reply(struct sim *s, int host, int to,
		      const struct ntp_packet *req, s64 rx_ns, u8 mode)
{
	struct sim_host *h = &s->hosts[host];
	s64 t_send = s->now_ns + SIM_SERVER_TURN_NS;
	struct ntp_reply_head head;
	struct ntp_packet r;
	u8 buf[NTP_HEADER_LEN];

	ntp_reply_head_make(&h->sys.v, &head);
	ntp_reply_build(req, rx_ns, mode, &head, &r);
	ntp_encode(&r, buf);
	/* the transmit timestamp is written last, at departure */
	ntp_encode_xmt(buf, ntp_ts_from_ns(ntp_vclock_read(&h->clk, t_send)));
	sim_send(s, host, to, buf, sizeof(buf), t_send);
}

/* kntp_proto_assoc(): a packet for an association. */
static void sim_deliver(struct sim *s, int host, struct sim_assoc *a,
			const struct ntp_packet *r, s64 rx_ns)
{
	struct sim_host *h = &s->hosts[host];
	enum ntp_verdict v;
	bool update, il, stamped;
	s64 wait_ns;

	if (!a->p.running)
		return;
	a->rx++;
	v = ntp_peer_receive(&a->p, r, rx_ns, 0, &h->sys.v, &update, &il,
			     &stamped);
	if (v == NTP_PKT_OK)
		a->samples++;
	else if (v == NTP_PKT_BOGUS)
		a->bogus++;
	/* kntp_poll_phase(): the next poll moves */
	wait_ns = ntp_peer_phase(&a->p, h->sys.v.stratum, rx_ns);
	if (wait_ns >= 0) {
		struct sim_ev ev = {
			.type = SIM_EV_POLL,
			.host = host,
			.arg = a - h->as,
			.t_ns = s->now_ns + wait_ns,
		};

		a->next_poll_ns = ev.t_ns;
		sim_push(s, &ev);
	}
	if (update)
		sim_system_run(s, host);
}

static void sim_ev_pkt(struct sim *s, const struct sim_ev *ev)
{
	struct sim_host *h = &s->hosts[ev->host];
	struct ntp_packet r;
	struct sim_assoc *a;
	s64 rx_ns;

	/* first: when it arrived, on the receiver's clock */
	rx_ns = sim_clock(s, ev->host);
	if (ntp_decode(ev->buf, ev->len, &r)) {
		s->n_decode_err++;
		return;
	}
	switch (r.mode) {
	case NTP_MODE_CLIENT:
		sim_reply(s, ev->host, ev->arg, &r, rx_ns, NTP_MODE_SERVER);
		return;
	case NTP_MODE_SERVER:
		a = sim_assoc_for(h, ev->arg, false);
		if (a)
			sim_deliver(s, ev->host, a, &r, rx_ns);
		return;
	case NTP_MODE_ACTIVE:
		a = sim_assoc_for(h, ev->arg, true);
		if (a)
			sim_deliver(s, ev->host, a, &r, rx_ns);
		else
			sim_reply(s, ev->host, ev->arg, &r, rx_ns,
				  NTP_MODE_PASSIVE);
		return;
	case NTP_MODE_PASSIVE:
		a = sim_assoc_for(h, ev->arg, true);
		if (a)
			sim_deliver(s, ev->host, a, &r, rx_ns);
		return;
	default:
		return;
	}
}

/* kntp_poll_timer() and kntp_poll_xmit(). */
static void sim_ev_poll(struct sim *s, const struct sim_ev *ev)
{
	struct sim_host *h = &s->hosts[ev->host];
	struct sim_assoc *a = &h->as[ev->arg];
	struct sim_ev next = *ev;
	struct ntp_sysvars v;
	struct ntp_packet pkt;
	u8 buf[NTP_HEADER_LEN];
	s64 now = sim_clock(s, ev->host), interval;
	u64 xmt;

	/* a poll moved by ntp_peer_phase() left its old event behind */
	if (!a->p.running || ev->t_ns != a->next_poll_ns)
		return;
	interval = ntp_peer_poll(&a->p, now, h->sys.v.poll);
	/* kmod/poll.c: up to 1/16 longer at random (no phase lock) */
	interval += interval / (16 * 1024) * (s64)(sim_rng_next(&h->rng) % 1024);

	ntp_sysvars_now(&h->sys.v, now, &v);
	ntp_peer_xmit(&a->p, &v, &pkt);
	ntp_encode(&pkt, buf);
	xmt = ntp_ts_from_ns(sim_clock(s, ev->host));
	ntp_encode_xmt(buf, xmt);
	ntp_peer_sent(&a->p, &pkt, xmt);
	a->tx++;
	sim_send(s, ev->host, a->remote, buf, sizeof(buf), s->now_ns);

	/* the timer runs on the host's clock; its rate error is below 1e-3 */
	next.t_ns = s->now_ns + max_t(s64, interval, 1);
	a->next_poll_ns = next.t_ns;
	sim_push(s, &next);
}

static void sim_ev_tick(struct sim *s, const struct sim_ev *ev)
{
	struct sim_host *h = &s->hosts[ev->host];
	struct sim_ev next = *ev;

	if (h->wander_ppb)
		ntp_vclock_inject(&h->clk, s->now_ns, 0, h->clk.err_ppb +
				  sim_rng_pm(&h->rng, h->wander_ppb));
	sim_system_run(s, ev->host);
	next.t_ns = s->now_ns + SIM_TICK_NS;
	sim_push(s, &next);
}

/**
 * sim_run_until() - process every event up to and including a time
 * @s: the world
 * @t_ns: true time to stop at; @s->now_ns is @t_ns on return
 */
void sim_run_until(struct sim *s, s64 t_ns)
{
	struct sim_ev ev;

	while (s->q_len && s->q[0].t_ns <= t_ns) {
		sim_pop(s, &ev);
		s->now_ns = ev.t_ns;
		s->n_events++;
		switch (ev.type) {
		case SIM_EV_PKT:
			sim_ev_pkt(s, &ev);
			break;
		case SIM_EV_POLL:
			sim_ev_poll(s, &ev);
			break;
		case SIM_EV_TICK:
			sim_ev_tick(s, &ev);
			break;
		case SIM_EV_LINK:
			s->links[ev.arg].up = ev.up;
			break;
		}
		if (s->hook)
			s->hook(s, &ev, s->hook_priv);
	}
	s->now_ns = t_ns;
}
