// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of interleaved client/server mode (RFC 9769 sec. 2): the
 * server's kept answers (kmod/core/xleave.c) and the client's side
 * (kmod/core/packet.c, peer.c), played against each other on one clock.
 *
 * The server's answers wait Q = 10 ms in its own host after their transmit
 * timestamp is written (a queue before the driver); the network takes 1 ms
 * each way; the server answers 1 ms after a request arrives. A basic
 * sample then has T3 10 ms early: offset ((T2 - T1) + (T3 - T4)) / 2 =
 * (1 + (-11)) / 2 = -5 ms, delay (T4 - T1) - (T3 - T2) = 13 - 1 = 12 ms.
 * With the driver's stamp of the answer as T3 (interleaved): offset 0,
 * delay 2 ms.
 */
#include "packet.h"
#include "peer.h"
#include "system.h"
#include "wire.h"
#include "xleave.h"
#include "tap.h"

#define MS	1000000LL	/* ns */
#define T0_NS	(1764000000LL * NTP_NSEC_PER_SEC)	/* late 2025 */
#define Q_NS	(10 * MS)	/* the server's answers wait in its host */
#define XL_BITS	4		/* 16 kept answers */

struct server {
	struct ntp_xl_entry e[1U << XL_BITS];
	bool stamps;		/* the driver's stamps come back */
	s64 q_ns;		/* its answers wait in its host; 0: Q_NS */
	int interleaved, basic_xl;
};

static struct ntp_sysvars server_sys = {
	.leap = NTP_LEAP_NONE, .stratum = 1, .precision = -20,
	.refid = "TEST",
};

/* How long the server's answers wait in its host, ns. */
static s64 server_queue_ns(const struct server *s)
{
	return s->q_ns ?: Q_NS;
}

/* kmod/server.c and kmod/xleave.c, with one client (address hash 7). */
static struct ntp_packet serve(struct server *s, const struct ntp_packet *req,
			       s64 rx_ns, u32 src)
{
	s64 written_ns = rx_ns + MS, tx_ns;
	struct ntp_reply_head h;
	struct ntp_packet r;
	bool il = false;
	u32 i, gen;

	/*
	 * A server on its own clock (kntp's "master", chrony's "local")
	 * sends the time it built the answer as its reference time: later
	 * than the transmit timestamp of an interleaved answer (that of the
	 * answer before), and than its receive timestamp.
	 */
	server_sys.reftime_ns = rx_ns + MS / 2;
	ntp_reply_head_make(&server_sys, &h);
	ntp_reply_build(req, rx_ns, NTP_MODE_SERVER, &h, &r);
	if (!ntp_xl_request(req)) {
		r.xmt_ts = ntp_ts_from_ns(written_ns);
		return r;
	}
	i = ntp_xl_slot(req->org_ts, XL_BITS);
	il = ntp_xl_take(&s->e[i], req->org_ts, src, &tx_ns);
	if (il)
		ntp_xl_answer(&r, req, tx_ns);
	else
		r.xmt_ts = ntp_ts_from_ns(written_ns);
	s->interleaved += il;
	s->basic_xl += !il;
	i = ntp_xl_slot(r.rec_ts, XL_BITS);
	ntp_xl_keep(&s->e[i], r.rec_ts, src, 0xffff);
	gen = s->e[i].gen;
	ntp_xl_tx(&s->e[i], gen, written_ns, false);
	if (s->stamps)
		ntp_xl_tx(&s->e[i], gen, written_ns + server_queue_ns(s), true);
	return r;
}

static void test_request_form(void)
{
	s64 t;
	struct ntp_packet r, q = { .version = 4, .mode = NTP_MODE_CLIENT,
				.org_ts = 0x1234567800000001ULL,
				.rec_ts = 0x1234567900000000ULL,
				.xmt_ts = 0x1234567a00000000ULL };

	ok(ntp_xl_request(&q), "request form: marked origin, receive != transmit");
	q.org_ts &= ~NTP_XL_RX_MARK;
	ok(!ntp_xl_request(&q), "... an unmarked origin is basic");
	q.org_ts = 0;
	ok(!ntp_xl_request(&q), "... no origin is basic");
	q.org_ts = 0x1234567800000001ULL;
	q.rec_ts = q.xmt_ts;
	ok(!ntp_xl_request(&q), "... receive == transmit is basic");
	q.rec_ts = 0x1234567900000000ULL;
	q.version = 3;
	ok(!ntp_xl_request(&q), "... NTPv3 is basic");

	q.version = 4;
	r = (struct ntp_packet){ .rec_ts = 0x1234567b00000001ULL };
	/* A time whose NTP timestamp is odd. */
	for (t = T0_NS; !(ntp_ts_from_ns(t) & 1); t++)
		;
	ntp_xl_answer(&r, &q, t);
	ok(r.org_ts == q.rec_ts && r.xmt_ts == (ntp_ts_from_ns(t) & ~NTP_XL_RX_MARK),
	   "interleaved answer: origin = the request's receive timestamp, transmit even");
}

static void test_kept_answer(void)
{
	struct ntp_xl_entry e = { 0 };
	u64 rx = ntp_ts_from_ns(T0_NS) | NTP_XL_RX_MARK;
	s64 tx_ns = 0;
	u32 gen;

	ntp_xl_keep(&e, rx, 7, 0xff);
	gen = e.gen;
	ok(!ntp_xl_take(&e, rx, 7, &tx_ns), "kept answer: not given out before it was sent");
	ntp_xl_tx(&e, gen, T0_NS + MS, false);
	ntp_xl_tx(&e, gen + 1, T0_NS + 99 * MS, true);
	ok(e.tx_ns == T0_NS + MS && !e.stamped,
	   "... a stamp of another generation is not taken");
	ntp_xl_tx(&e, gen, T0_NS + 11 * MS, true);
	ntp_xl_tx(&e, gen, T0_NS + 2 * MS, false);
	ok(e.tx_ns == T0_NS + 11 * MS && e.stamped,
	   "... the driver's stamp wins over the written time, whichever comes first");
	ok(!ntp_xl_take(&e, rx, 8, &tx_ns), "... not to another address");
	ok(!ntp_xl_take(&e, rx + 2, 7, &tx_ns), "... not for another receive timestamp");
	ok(ntp_xl_take(&e, rx, 7, &tx_ns) && tx_ns == T0_NS + 11 * MS,
	   "... to its client, with the driver's stamp");
	ok(!ntp_xl_take(&e, rx, 7, &tx_ns), "... only once (a replayed request gets basic)");
	ntp_xl_keep(&e, rx, 7, 0xff);
	ok(e.gen == ((gen + 1) & 0xff), "... a new answer in the slot is a new generation");
}

struct client {
	struct ntp_peer p;
	s64 t_ns;		/* the next request */
	int samples, interleaved, spent;
	s64 off_ns, delay_ns;	/* of the last sample */
	s64 corr_ns;		/* corrections of its clock: it reads this ahead */
};

static struct ntp_sysvars client_sys = {
	.leap = NTP_LEAP_NOSYNC, .stratum = 16, .precision = -20,
};

static void client_init(struct client *c, bool xleave)
{
	memset(c, 0, sizeof(*c));
	c->p.hmode = NTP_MODE_CLIENT;
	c->p.version = 4;
	c->p.minpoll = 4;
	c->p.maxpoll = 4;
	c->p.xleave = xleave;
	c->t_ns = T0_NS;
	ntp_peer_clear(&c->p, T0_NS);
}

/* One poll: request, and the answer unless @lose; returns the verdict. */
static enum ntp_verdict exchange(struct client *c, struct server *s, bool lose,
				 struct ntp_packet *req_out)
{
	struct ntp_packet req, r;
	bool update, il, stamped;
	enum ntp_verdict v;
	s64 t1 = c->t_ns + c->corr_ns;

	ntp_peer_xmit(&c->p, &client_sys, &req);
	req.xmt_ts = ntp_ts_from_ns(t1);
	ntp_peer_sent(&c->p, &req, req.xmt_ts);
	if (req_out)
		*req_out = req;
	c->t_ns += 16 * NTP_NSEC_PER_SEC;
	r = serve(s, &req, t1 - c->corr_ns + MS, 7);
	if (lose)
		return NTP_PKT_INVALID;
	/* written at t1 + 2 ms, leaves at + 12 ms, arrives at + 13 ms */
	v = ntp_peer_receive(&c->p, &r, t1 + 2 * MS + server_queue_ns(s) + MS,
			     t1, &client_sys, &update, &il, &stamped);
	c->interleaved += il;
	if (v == NTP_PKT_OK) {
		c->samples++;
		c->off_ns = c->p.filter.stage[0].offset_ns;
		c->delay_ns = c->p.filter.stage[0].delay_ns;
	}
	c->spent += v == NTP_PKT_XLEAVE_SPENT;
	return v;
}

static void test_basic_client(void)
{
	struct server s = { .stamps = true };
	struct client c;
	int i;

	client_init(&c, false);
	for (i = 0; i < 6; i++)
		exchange(&c, &s, false, NULL);
	ok(c.samples == 6 && c.interleaved == 0 && s.basic_xl == 0,
	   "basic client: 6 samples, no request in interleaved form (%d, %d)",
	   c.samples, s.basic_xl);
	is_s64(c.off_ns, -5 * MS, "... offset -5 ms: T3 was written 10 ms before the answer left");
	is_s64(c.delay_ns, 12 * MS, "... delay 12 ms");
	is_s64(ntp_peer_obs_from(&c.p), 0,
	       "... every sample may tell the first frequency");
}

static void test_xleave_client(void)
{
	struct server s = { .stamps = true };
	struct ntp_packet req;
	enum ntp_verdict v;
	struct client c;
	int i;

	client_init(&c, true);
	v = exchange(&c, &s, false, &req);
	ok(v == NTP_PKT_OK && !req.org_ts && !req.rec_ts,
	   "xleave client: the first request is basic, and so is its sample");
	is_s64(c.off_ns, -5 * MS, "... offset -5 ms");
	is_s64(ntp_peer_obs_from(&c.p), S64_MAX,
	       "... not one to tell the first frequency yet");
	v = exchange(&c, &s, false, &req);
	ok(v == NTP_PKT_OK && (req.org_ts & NTP_XL_RX_MARK) && req.rec_ts &&
	   c.interleaved == 0 && s.basic_xl == 1,
	   "the second request is in interleaved form; the server had kept nothing: basic");
	v = exchange(&c, &s, false, NULL);
	ok(v == NTP_PKT_XLEAVE_SPENT && c.interleaved == 1 && s.interleaved == 1,
	   "the third answer is interleaved: its exchange was a basic sample already");
	v = exchange(&c, &s, false, NULL);
	ok(v == NTP_PKT_OK && c.interleaved == 2, "the fourth is an interleaved sample");
	is_s64(c.off_ns, 0, "... offset 0: T3 is when the answer left");
	is_s64(c.delay_ns, 2 * MS, "... delay 2 ms");
	is_s64(ntp_peer_obs_from(&c.p), c.p.filter.stage[0].t_ns,
	       "... samples from it on tell the first frequency");
	for (i = 0; i < 4; i++)
		exchange(&c, &s, false, NULL);
	ok(c.interleaved == 6 && c.samples == 7 && c.off_ns == 0,
	   "... and so on (%d interleaved, %d samples)", c.interleaved, c.samples);

	/* A lost answer: the next request is basic, the one after names it. */
	exchange(&c, &s, true, NULL);
	v = exchange(&c, &s, false, &req);
	ok(v == NTP_PKT_OK && !req.org_ts && c.off_ns == -5 * MS,
	   "after a lost answer the request is basic, and so is the sample");
	v = exchange(&c, &s, false, &req);
	ok(v == NTP_PKT_OK && req.org_ts && c.off_ns == -5 * MS,
	   "... then interleaved form, answered basic (the basic request was not kept)");
	exchange(&c, &s, false, NULL);
	v = exchange(&c, &s, false, NULL);
	ok(v == NTP_PKT_OK && c.off_ns == 0, "... and interleaved again two polls later");
}

/*
 * Our clock is corrected by 10 ms (committed and done at once) between two
 * exchanges: the next interleaved sample is of the exchange before, which
 * our clock measured 0 off; now it is 10 ms ahead, and the sample, stored
 * net of the corrections since it was measured, must say -10 ms (not 0:
 * that made an acquisition's first slews count twice - a clock 100 ms off
 * went 54 ms the other way in a guest). The sample after is measured
 * after the correction: -10 ms as measured.
 */
static void test_xleave_corrected(void)
{
	struct server s = { .stamps = true };
	struct client c;
	enum ntp_verdict v;
	int i;

	client_init(&c, true);
	for (i = 0; i < 4; i++)
		exchange(&c, &s, false, NULL);
	ok(c.interleaved == 2 && c.off_ns == 0,
	   "corrected: interleaved samples 0 off before");
	c.corr_ns += 10 * MS;
	client_sys.corr_sum_ns += 10 * MS;
	ntp_filter_compensate(&c.p.filter, 10 * MS, 0, c.t_ns);
	v = exchange(&c, &s, false, NULL);
	ok(v == NTP_PKT_OK && c.interleaved == 3,
	   "corrected: the next answer is interleaved, of the exchange before");
	is_s64(c.off_ns, -10 * MS,
	       "... its sample net of the 10 ms correction since: -10 ms");
	v = exchange(&c, &s, false, NULL);
	is_s64(c.off_ns, -10 * MS, "... and the one after, measured after: -10 ms");
	client_sys.corr_sum_ns = 0;
}

/* A system process of the default configuration, precision 2^-20 s. */
static void system_init(struct ntp_system *sys)
{
	struct ntp_disc_cfg cfg;

	ntp_system_default_cfg(&cfg);
	ntp_system_init(sys, -20, &cfg);
}

/*
 * One exchange, then the system process with the client as its one
 * candidate; @x gets the candidate's extra, @act the action.
 *
 * Return: ntp_system_run()'s.
 */
static int exchange_system(struct client *c, struct server *s,
			   struct ntp_system *sys, struct ntp_sys_extra *x,
			   struct ntp_disc_action *act)
{
	struct ntp_cand cand;
	s64 corr;

	exchange(c, s, false, NULL);
	ntp_peer_cand(&c->p, c->t_ns, &cand);
	cand.id = 1;
	ntp_system_extra(&c->p, x);
	return ntp_system_run(sys, &cand, x, 1, c->t_ns, act, &corr);
}

/*
 * Before the first clock update the system process observes the samples of
 * its would-be system peer for the first frequency (ntp_disc_observe()):
 * of an interleaved association, the interleaved ones only. The clock is
 * right; the server's answers wait 0.8 ms after their T3 is written, so
 * the basic samples read -0.4 ms (delay 2.8 ms: not enough above the
 * interleaved 2 ms to count as having waited), the interleaved ones 0. A
 * point at -0.4 ms among them is a first frequency off by that over the
 * burst's span. Six polls: two basic samples (the server had kept nothing
 * for the second), one spent answer, three interleaved samples
 * (test_xleave_client()); no quorum yet (too few samples).
 */
static void test_xleave_observed(void)
{
	struct server s = { .stamps = true, .q_ns = 800000 };
	struct ntp_disc_action act;
	struct ntp_sys_extra x;
	struct ntp_system sys;
	struct client c;
	u32 i, off = 0;
	int k;

	system_init(&sys);
	client_init(&c, true);
	for (k = 0; k < 6; k++)
		exchange_system(&c, &s, &sys, &x, &act);
	for (i = 0; i < sys.disc.n_pts; i++)
		off += sys.disc.pts[i].y_ns != 0;
	ok(sys.disc.state == NTP_DISC_NSET && sys.disc.n_pts == 3 && !off,
	   "observed: the three interleaved samples, no basic one (%u points, %u off)",
	   sys.disc.n_pts, off);
}

/*
 * The first update waits for the quorum, not for a sample that did not
 * wait: a basic client whose server's answers queue 0.8 ms (delay 2.8 ms,
 * offset -0.4 ms), then 5 ms from the seventh on (7 ms, -2.5 ms; waited,
 * ntp_disc_waited()). The root distance comes under NTP_QUORUM_DIST_NS
 * with a sample that waited; from then on the newest sample always
 * waited, and the first update is the clock filter's pick, the line of
 * the six observed points: -0.4 ms.
 */
static void test_first_update_waited(void)
{
	struct server s = { .q_ns = 800000 };
	int k, r, synced_at = -1, update_at = -1;
	struct ntp_disc_action act, first;
	struct ntp_sys_extra x;
	struct ntp_system sys;
	struct client c;
	s64 newest_ns = 0;

	system_init(&sys);
	client_init(&c, false);
	for (k = 0; k < 12 && update_at < 0; k++) {
		s.q_ns = k < 6 ? 800000 : 5 * MS;
		r = exchange_system(&c, &s, &sys, &x, &act);
		if (sys.synced && synced_at < 0) {
			synced_at = k;
			newest_ns = x.newest_delay_ns;
		}
		if (r != NTP_DISC_IGNORE) {
			update_at = k;
			first = act;
		}
	}
	ok(synced_at >= 6 && newest_ns == 7 * MS,
	   "first update, newest waited: the quorum with a sample that waited (sample %d, delay %lld ns)",
	   synced_at + 1, (long long)newest_ns);
	ok(update_at == synced_at,
	   "first update, newest waited: with the quorum, not a poll later (sample %d for %d)",
	   update_at + 1, synced_at + 1);
	ok(update_at >= 0 && first.slew_ns > -450000 && first.slew_ns < -350000,
	   "first update, newest waited: from the unqueued samples (%lld ns for -400000)",
	   update_at >= 0 ? (long long)first.slew_ns : 0LL);
}

/*
 * After a first update that found no line, samples that waited are taken:
 * the server's answers queue 0.8 ms for the first two (delay 2.8 ms), then
 * 5 ms (7 ms: waited). The first update comes from the two unqueued
 * samples - too few for a line, so no frequency - and every later sample
 * waited: holding a clock of unknown frequency 16 s costs up to 8 ms
 * (500 ppm), a sample that waited 4.2 ms more is at most 2.1 ms off. So
 * each is used, the first of them while the unqueued ones are still in the
 * clock filter (its best delay 2.8 ms), and from the third point on there
 * is a frequency. Before (ntp_disc_hold_costs() not asked): no update
 * until the unqueued samples had left the filter, a poll later.
 */
static void test_waited_no_frequency(void)
{
	struct server s = { .q_ns = 800000 };
	int k, r, first_at = -1, after = 0, next_at = -1;
	struct ntp_disc_action act;
	bool line_at_first = true;
	struct ntp_sys_extra x;
	struct ntp_system sys;
	struct client c;

	system_init(&sys);
	client_init(&c, false);
	for (k = 0; k < 14; k++) {
		s.q_ns = k < 2 ? 800000 : 5 * MS;
		r = exchange_system(&c, &s, &sys, &x, &act);
		if (r == NTP_DISC_IGNORE)
			continue;
		if (first_at < 0) {
			first_at = k;
			line_at_first = sys.disc.fit.n;
		} else {
			after++;
			if (next_at < 0)
				next_at = k;
		}
	}
	ok(first_at >= 2 && !line_at_first,
	   "waited, no frequency: the first update (sample %d) has no line",
	   first_at + 1);
	ok(first_at >= 0 && next_at == first_at + 1,
	   "waited, no frequency: the next sample (7 ms against a best of 2.8 ms) is used at once (sample %d)",
	   next_at + 1);
	ok(first_at >= 0 && after == 13 - first_at,
	   "waited, no frequency: every later sample, all waited, is used (%d of %d)",
	   after, 13 - first_at);
	ok(sys.disc.fit.n >= 3,
	   "waited, no frequency: a line, so a frequency (%u points)",
	   sys.disc.fit.n);
}

/* No driver stamps: the interleaved T3 is the time written, no duplicate. */
static void test_no_stamps(void)
{
	struct server s = { .stamps = false };
	struct client c;
	int i;

	client_init(&c, true);
	for (i = 0; i < 6; i++)
		exchange(&c, &s, false, NULL);
	ok(c.interleaved == 4 && c.samples == 5,
	   "server without stamps: interleaved answers are taken, none a duplicate (%d, %d)",
	   c.interleaved, c.samples);
	is_s64(c.off_ns, -5 * MS, "... the offset is the basic one");
}

/*
 * CVE-2016-1548: a packet must not switch an association between basic
 * and interleaved mode. A spoofed answer that claims to be interleaved
 * (origin = anything but our timestamps) is bogus to an xleave client and
 * to a basic one; a basic client never takes an interleaved answer even
 * from its server; an xleave client's real answers still count.
 */
static void test_spoof(void)
{
	struct server s = { .stamps = true };
	struct ntp_packet req, fake;
	bool update, il, stamped;
	enum ntp_verdict v;
	struct client c, b;
	int i;

	client_init(&c, true);
	for (i = 0; i < 4; i++)
		exchange(&c, &s, false, NULL);
	ntp_peer_xmit(&c.p, &client_sys, &req);
	req.xmt_ts = ntp_ts_from_ns(c.t_ns);
	ntp_peer_sent(&c.p, &req, req.xmt_ts);
	fake = serve(&s, &req, c.t_ns + MS, 7);
	fake.org_ts = req.org_ts;	/* what an observer of the request knows */
	v = ntp_peer_receive(&c.p, &fake, c.t_ns + 3 * MS, 0, &client_sys,
			     &update, &il, &stamped);
	ok(v == NTP_PKT_BOGUS && !il, "spoof: an answer echoing the request's origin is bogus");
	fake.org_ts = req.rec_ts + 1;
	fake.xmt_ts += 3;	/* not a duplicate of the first */
	v = ntp_peer_receive(&c.p, &fake, c.t_ns + 3 * MS, 0, &client_sys,
			     &update, &il, &stamped);
	ok(v == NTP_PKT_BOGUS && !il, "... and one echoing a guess of its receive timestamp");
	fake.org_ts = req.rec_ts;
	fake.xmt_ts += 5;
	v = ntp_peer_receive(&c.p, &fake, c.t_ns + 3 * MS, 0, &client_sys,
			     &update, &il, &stamped);
	ok(v == NTP_PKT_OK && il, "... an on-path answer with the right origin is the one taken");
	v = ntp_peer_receive(&c.p, &fake, c.t_ns + 4 * MS, 0, &client_sys,
			     &update, &il, &stamped);
	ok(v != NTP_PKT_OK, "... and only once");

	client_init(&b, false);
	exchange(&b, &s, false, NULL);
	ntp_peer_xmit(&b.p, &client_sys, &req);
	ok(!req.org_ts && !req.rec_ts, "a basic client never sends a request in interleaved form");
	req.xmt_ts = ntp_ts_from_ns(b.t_ns);
	ntp_peer_sent(&b.p, &req, req.xmt_ts);
	fake = serve(&s, &req, b.t_ns + MS, 7);
	fake.org_ts = b.p.x.last.t4 ? b.p.x.last.t4 : ntp_ts_from_ns(b.t_ns - 3 * MS);
	v = ntp_peer_receive(&b.p, &fake, b.t_ns + 3 * MS, 0, &client_sys,
			     &update, &il, &stamped);
	ok(v == NTP_PKT_BOGUS && !il,
	   "... and takes no answer whose origin is not its transmit timestamp");
}

/*
 * Symmetric peers (RFC 9769 sec. 3), both on one clock, each one's packets
 * waiting Q in its own host after the transmit timestamp is written, 1 ms
 * on the wire. A polls; B answers 1 ms after A's packet arrives. With the
 * written T3, each measures the other -Q/2 off; interleaved, 0.
 */
struct sym {
	struct ntp_peer p;
	s64 sent_ns;		/* when its last packet was written; 0 none */
	int samples, interleaved, xl_peer;
	s64 off_ns;
};

static const struct ntp_sysvars peer_sys = {
	.leap = NTP_LEAP_NONE, .stratum = 2, .precision = -20,
	.refid = "TEST", .reftime_ns = T0_NS - NTP_NSEC_PER_SEC,
};

static void sym_init(struct sym *s, bool xleave)
{
	memset(s, 0, sizeof(*s));
	s->p.hmode = NTP_MODE_ACTIVE;
	s->p.version = 4;
	s->p.xleave = xleave;
	ntp_peer_clear(&s->p, T0_NS);
}

/* @from sends at @t_ns; @to receives it Q + 1 ms later. */
static void sym_send(struct sym *from, struct sym *to, s64 t_ns)
{
	bool update, il, stamped;
	struct ntp_packet pkt;
	enum ntp_verdict v;

	ntp_peer_xmit(&from->p, &peer_sys, &pkt);
	ntp_peer_sent(&from->p, &pkt, ntp_ts_from_ns(t_ns));
	if (!pkt.xmt_ts)
		pkt.xmt_ts = ntp_ts_from_ns(t_ns);
	from->sent_ns = t_ns;
	/* The driver's stamp of @to's last packet: written + Q. */
	v = ntp_peer_receive(&to->p, &pkt, t_ns + Q_NS + MS,
			     to->sent_ns ? to->sent_ns + Q_NS : 0, &peer_sys,
			     &update, &il, &stamped);
	to->interleaved += il;
	to->xl_peer += v == NTP_PKT_XLEAVE_PEER;
	if (v == NTP_PKT_OK) {
		to->samples++;
		to->off_ns = to->p.filter.stage[0].offset_ns;
	}
}

/* Rounds of 1 s: a sends, b @gap_ns after a's packet arrives. */
static void sym_rounds(struct sym *a, struct sym *b, int n, s64 *t_ns,
		       s64 gap_ns)
{
	while (n--) {
		sym_send(a, b, *t_ns);
		sym_send(b, a, *t_ns + Q_NS + MS + gap_ns);
		*t_ns += NTP_NSEC_PER_SEC;
	}
}

static bool near_ns(s64 x, s64 want)
{
	return x - want < 1000 && want - x < 1000;
}

static void test_symmetric(void)
{
	s64 t = T0_NS;
	struct sym a, b;
	int il_a, il_b;

	sym_init(&a, false);
	sym_init(&b, false);
	sym_rounds(&a, &b, 6, &t, MS);
	ok(a.samples >= 4 && b.samples >= 4 && near_ns(a.off_ns, -Q_NS / 2) &&
	   near_ns(b.off_ns, -Q_NS / 2),
	   "basic peers: each sees the other -Q/2 off (%lld, %lld ns)",
	   (long long)a.off_ns, (long long)b.off_ns);

	t = T0_NS;
	sym_init(&a, true);
	sym_init(&b, true);
	sym_rounds(&a, &b, 4, &t, MS);
	il_a = a.interleaved;
	il_b = b.interleaved;
	sym_rounds(&a, &b, 6, &t, MS);
	ok(a.interleaved - il_a == 6 && b.interleaved - il_b == 6,
	   "xleave peers: every packet interleaved once started (%d, %d of 6)",
	   a.interleaved - il_a, b.interleaved - il_b);
	ok(near_ns(a.off_ns, 0) && near_ns(b.off_ns, 0),
	   "... and each sees the other 0 off (%lld, %lld ns)",
	   (long long)a.off_ns, (long long)b.off_ns);
	ok(!(a.p.state & (NTP_PEER_XLEAVE_BASIC | NTP_PEER_XLEAVE_PEER)) &&
	   !(b.p.state & (NTP_PEER_XLEAVE_BASIC | NTP_PEER_XLEAVE_PEER)),
	   "... and neither reports a one-sided configuration");
	/* Half an interval apart (peers of one stratum): the other pairing. */
	sym_rounds(&a, &b, 6, &t, NTP_NSEC_PER_SEC / 2 - Q_NS);
	ok(a.interleaved - il_a == 12 && b.interleaved - il_b == 12 &&
	   near_ns(a.off_ns, 0) && near_ns(b.off_ns, 0),
	   "xleave peers half an interval apart: interleaved, 0 off (%lld, %lld ns)",
	   (long long)a.off_ns, (long long)b.off_ns);

	/* One-sided: a is configured for interleaved mode, b is not. */
	t = T0_NS;
	sym_init(&a, true);
	sym_init(&b, false);
	sym_rounds(&a, &b, 8, &t, MS);
	ok(a.p.state & NTP_PEER_XLEAVE_BASIC,
	   "one-sided: the xleave side reports basic answers only");
	ok(b.xl_peer > 0 && (b.p.state & NTP_PEER_XLEAVE_PEER),
	   "... the other side reports interleaved packets it was not configured for (%d)",
	   b.xl_peer);
	ok(a.interleaved == 0 && near_ns(a.off_ns, -Q_NS / 2),
	   "... the xleave side uses the basic answers");
	b.samples = 0;
	sym_rounds(&a, &b, 8, &t, MS);
	ok(b.samples >= 6,
	   "... and, back to basic packets, gives the other side samples (%d of 8)",
	   b.samples);
}

int main(void)
{
	test_request_form();
	test_kept_answer();
	test_basic_client();
	test_xleave_client();
	test_xleave_corrected();
	test_xleave_observed();
	test_first_update_waited();
	test_waited_no_frequency();
	test_no_stamps();
	test_spoof();
	test_symmetric();
	return done();
}
