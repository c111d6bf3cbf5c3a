// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the peer process (RFC 5905 A.5.1: tests, peer variables,
 * samples) and the poll process (A.5.7: reach register, bursts, poll
 * interval, the packet we send) of one association.
 */
#include "peer.h"
#include "xleave.h"
#include "wire.h"

/**
 * ntp_slew_remaining() - how much of a correction is still to be applied
 * @sl: the correction
 * @t_ns: local time, Unix ns
 *
 * Return: ns; the correction advances linearly over its duration.
 */
s64 ntp_slew_remaining(const struct ntp_slew *sl, s64 t_ns)
{
	u64 left_ns, dur_ns, mag;
	u32 frac;

	if (sl->dur_ns <= 0 || !sl->amount_ns)
		return 0;
	if (t_ns >= sl->start_ns + sl->dur_ns)
		return 0;
	if (t_ns <= sl->start_ns)
		return sl->amount_ns;
	left_ns = sl->start_ns + sl->dur_ns - t_ns;
	dur_ns = sl->dur_ns;
	/* The fraction left, in 32 bits: scale both down until dur fits. */
	while (dur_ns >> 32) {
		left_ns >>= 1;
		dur_ns >>= 1;
	}
	frac = div64_u64(left_ns << 32, dur_ns);
	mag = sl->amount_ns < 0 ? -(u64)sl->amount_ns : (u64)sl->amount_ns;
	mag = mul_u64_u32_shr(mag, frac, 32);
	return sl->amount_ns < 0 ? -(s64)mag : (s64)mag;
}

/* A poll interval of 2^poll_log2 s, in ns. */
s64 ntp_peer_interval_ns(int poll_log2)
{
	if (poll_log2 >= 0)
		return NTP_NSEC_PER_SEC << min_t(int, poll_log2, NTP_MAXPOLL);
	return NTP_NSEC_PER_SEC >> min_t(int, -poll_log2, 30);
}

static s8 ntp_peer_clamp(const struct ntp_peer *p, int poll)
{
	return clamp_t(int, poll, p->minpoll, p->maxpoll);
}

/**
 * ntp_peer_clear() - the state of an association nothing was heard from
 * @p: association; its configuration is kept
 * @now_ns: local time, Unix ns
 *
 * RFC 5905 A.5.5 clear(): used when the association starts.
 */
void ntp_peer_clear(struct ntp_peer *p, s64 now_ns)
{
	p->running = true;
	p->state = 0;
	p->leap = NTP_LEAP_NOSYNC;
	p->stratum = NTP_MAXSTRAT;
	p->ppoll = p->maxpoll;
	p->precision = 0;
	p->root_delay_ns = 0;
	p->root_disp_ns = 0;
	memcpy(p->refid, "INIT", NTP_REFID_LEN);
	p->reftime = 0;
	memset(&p->x, 0, sizeof(p->x));
	ntp_filter_reset(&p->filter, now_ns);
	p->reach = 0;
	p->unreach = 0;
	p->burst = 0;
	p->hpoll = p->minpoll;
	p->poll = p->minpoll;
	p->rx_ns = 0;
	p->tally = NTP_TALLY_REJECT;
	p->reject = NTP_REJ_NOSAMPLE;
	p->root_dist_ns = NTP_MAXDISP_NS;
	p->pmode = 0;
	p->follow = false;
}

/* A.5.1.1: the peer variables from a packet that passed tests 1-3. */
static bool ntp_peer_vars(struct ntp_peer *p, const struct ntp_packet *r)
{
	u8 stratum = ntp_packet_stratum(r);
	bool changed = p->leap != r->leap || p->stratum != stratum ||
		       memcmp(p->refid, r->refid, NTP_REFID_LEN);

	p->leap = r->leap;
	p->stratum = stratum;
	p->ppoll = r->poll;
	p->precision = r->precision;
	p->root_delay_ns = ntp_short_to_ns(r->root_delay);
	p->root_disp_ns = ntp_short_to_ns(r->root_disp);
	memcpy(p->refid, r->refid, NTP_REFID_LEN);
	p->reftime = r->ref_ts;
	return changed;
}

/* The gap between the packets of a burst. */
static s64 ntp_peer_burst_ns(const struct ntp_peer *p)
{
	return min_t(s64, (s64)NTP_BTIME * NTP_NSEC_PER_SEC,
		     ntp_peer_interval_ns(p->minpoll));
}

/*
 * The remote side answers again: reach, and the poll at its usual rate.
 * An iburst source that answers after it was unreachable gets a whole
 * burst from now (ntp_peer_phase() moves the poll): its filter fills
 * within seconds of its return, not over eight polls.
 */
static void ntp_peer_reachable(struct ntp_peer *p)
{
	if (!p->reach && p->iburst)
		p->burst = NTP_BCOUNT;
	p->reach |= 1;
	p->unreach = 0;
}

/*
 * Is the remote side in interleaved mode too? Both sides must be
 * configured for it; nothing in a packet switches an association (it
 * would be an attacker's switch). Configured alone we get basic answers
 * to packets in interleaved form: after NTP_XL_ONE_SIDED in a row the
 * association says so (a symmetric peer then sends basic packets it can
 * use, and every NTP_XL_PROBE packets one in interleaved form). The other
 * side, not configured, says so when one comes (ntp_packet_tests()), until
 * NTP_XL_QUIET valid packets without one.
 */
static void ntp_peer_xl_mode(struct ntp_peer *p, bool interleaved)
{
	struct ntp_exchange *x = &p->x;

	if (!p->xleave) {
		if (x->xl_basic < NTP_XL_QUIET)
			x->xl_basic++;
		else
			p->state &= ~NTP_PEER_XLEAVE_PEER;
		return;
	}
	if (interleaved) {
		x->xl_basic = 0;
		p->state &= ~NTP_PEER_XLEAVE_BASIC;
		return;
	}
	/* Our last packet was in interleaved form (ntp_peer_xl_request()). */
	if (!x->xl_org || x->xl_org != x->last.t2)
		return;
	if (x->xl_basic < NTP_XL_ONE_SIDED)
		x->xl_basic++;
	if (x->xl_basic >= NTP_XL_ONE_SIDED)
		p->state |= NTP_PEER_XLEAVE_BASIC;
}

/*
 * The sample an interleaved answer completes (RFC 9769): it carries the
 * transmit timestamp (T3, taken as that left) of the remote side's packet
 * before, which we received at @prev->t4 and named in our last packet (it
 * echoes that as origin). Two exchanges end or begin with that packet:
 *
 * A  our packet before (@prev->t1, received at @prev->t2), answered by it;
 * B  it, answered by our last packet (@t1, received at @r->rec_ts).
 *
 * A client has only A (its requests are answers to nothing). A symmetric
 * peer takes B unless A's local interval is much the shorter (as chrony
 * does, tenfold): the shorter the intervals, the less the frequency error
 * of the two clocks adds to the delay. An exchange a basic answer made a
 * sample of already is not used twice.
 */
static bool ntp_peer_xl_sample(const struct ntp_peer *p,
			       const struct ntp_xl_exchange *prev, u64 t1,
			       const struct ntp_packet *r, s64 rx_ns,
			       struct ntp_packet *m, u64 *dst_ts, s64 *t_ns)
{
	const struct ntp_exchange *x = &p->x;
	bool a_ok = prev->t1 && !prev->used && prev->t2 == x->xl_org;
	bool use_a;

	if (!prev->t4 || prev->t4 != x->xl_rec)
		return false;
	if (p->hmode == NTP_MODE_CLIENT)
		use_a = true;
	else
		use_a = a_ok && ntp_ts_diff_ns(t1, prev->t4) >
				10 * ntp_ts_diff_ns(prev->t4, prev->t1);
	*m = *r;
	*dst_ts = prev->t4;
	if (use_a) {
		if (!a_ok)
			return false;
		m->org_ts = prev->t1;
		m->rec_ts = prev->t2;
		*t_ns = prev->t4_ns;
		return true;
	}
	/* B: the remote side received our packet after it sent its own. */
	if (ntp_ts_diff_ns(r->rec_ts, r->xmt_ts) <= 0)
		return false;
	m->org_ts = t1;
	*t_ns = rx_ns;
	return true;
}

/**
 * ntp_peer_receive() - a packet for this association (A.5.1.1 packet())
 * @p: association
 * @r: the packet, from the association's address, in a mode it takes
 * @rx_ns: when it arrived, local Unix ns
 * @t1_ns: when our packet it answers left, as the driver stamped it, local
 *	Unix ns: T1 in place of the origin timestamp, which was written before
 *	the packet was sent (queueing in our host is then no part of the
 *	delay, nor an error in the offset); 0 none
 * @sys: our system variables: the precision, and the correction in
 *	progress (the sample is stored net of what is left of it)
 * @update: set when the system process should run: a new sample reached
 *	the clock filter, or the source's leap, stratum or reference ID
 *	changed (it may have become unfit or fit again)
 * @interleaved: set when the packet was an interleaved answer; its sample,
 *	if any, is that of the exchange before (ntp_peer_xl_sample())
 * @stamped: set when the sample's T1 is the driver's stamp
 *
 * Departure from A.5.1.1: the reach register is set once tests 1-3 pass,
 * before the header tests (as ntpd does), so that an unsynchronised peer
 * shows as reachable; only a sample needs the header tests too.
 *
 * Return: NTP_PKT_OK when a sample went to the clock filter, else why not.
 */
enum ntp_verdict ntp_peer_receive(struct ntp_peer *p,
				  const struct ntp_packet *r, s64 rx_ns,
				  s64 t1_ns, const struct ntp_sysvars *sys,
				  bool *update, bool *interleaved, bool *stamped)
{
	s8 sys_precision = sys->precision;
	u64 dst_ts = ntp_ts_from_ns(rx_ns);
	struct ntp_xl_exchange prev;
	const struct ntp_packet *m = r;
	struct ntp_packet fixed;
	struct ntp_sample s;
	enum ntp_verdict v;
	s64 done_ns, corr_ns, t_ns = rx_ns;
	u64 t1;

	/* The corrections of our clock done by now: all but what is to slew. */
	done_ns = sys->corr_sum_ns - ntp_slew_remaining(&sys->slew, rx_ns);
	*update = false;
	*stamped = t1_ns;
	/* T1 of the exchange this packet completes, written or stamped. */
	t1 = t1_ns ? ntp_ts_from_ns(t1_ns) : p->x.sent;
	v = ntp_packet_tests(&p->x, r, dst_ts, p->xleave, interleaved);
	if (v == NTP_PKT_XLEAVE_PEER) {
		p->state |= NTP_PEER_XLEAVE_PEER;
		p->x.xl_basic = 0;
	}
	if (v != NTP_PKT_OK)
		return v;

	p->rx_ns = rx_ns;
	p->pmode = r->mode;
	ntp_peer_reachable(p);
	*update = ntp_peer_vars(p, r);
	ntp_peer_xl_mode(p, *interleaved);
	if (p->xleave) {
		prev = p->x.last;
		p->x.last.t1 = t1;
		p->x.last.t2 = r->rec_ts;
		p->x.last.t4 = dst_ts;
		p->x.last.t4_ns = rx_ns;
		p->x.last.done_ns = done_ns;
		p->x.last.used = false;
		p->x.last.t1_stamped = t1_ns;
	}

	v = ntp_header_tests(r, *interleaved);
	switch (v) {
	case NTP_PKT_OK:
		break;
	case NTP_PKT_KOD_RATE:
		/*
		 * Sec. 7.4: poll less often, at least as the server asks,
		 * from now on: like ntpd, raise our minpoll to it.
		 */
		p->state |= NTP_PEER_RATE;
		p->hpoll = ntp_peer_clamp(p, max_t(int, p->hpoll + 1, r->poll));
		p->minpoll = p->hpoll;
		p->burst = 0;
		return v;
	case NTP_PKT_KOD_DENY:
		/* Sec. 7.4: stop talking to it. */
		p->state |= NTP_PEER_DENIED;
		p->running = false;
		*update = true;
		return v;
	default:
		return v;
	}
	p->state &= ~NTP_PEER_RATE;

	if (*interleaved) {
		if (!ntp_peer_xl_sample(p, &prev, t1, r, rx_ns, &fixed, &dst_ts,
					&t_ns))
			return NTP_PKT_XLEAVE_SPENT;
		*stamped = fixed.org_ts == t1 ? t1_ns : prev.t1_stamped;
		m = &fixed;
		if (!p->x.xl_first_ns)
			p->x.xl_first_ns = t_ns;
	} else if (t1 != r->org_ts) {
		/* The driver's stamp, or a symmetric packet in interleaved form. */
		fixed = *r;
		fixed.org_ts = t1;
		m = &fixed;
	}
	if (!ntp_sample_compute(m, dst_ts, sys_precision, &s))
		return NTP_PKT_DELAY;
	/* A basic answer's exchange is spent; an interleaved one's is not. */
	p->x.last.used = !*interleaved;
	/*
	 * Stored net of the corrections of our clock not done when it was
	 * measured: what is left of the slew then, and for the exchange
	 * before (an interleaved sample), every one committed since.
	 */
	corr_ns = sys->corr_sum_ns - (t_ns == rx_ns ? done_ns : prev.done_ns);
	if (ntp_filter_add(&p->filter, s.offset_ns - corr_ns, corr_ns,
			   s.delay_ns, s.disp_ns, t_ns,
			   ntp_precision_ns(sys_precision) +
			   ntp_precision_ns(r->precision), p->poll))
		*update = true;
	return NTP_PKT_OK;
}

/**
 * ntp_peer_poll() - a poll is due (A.5.7 poll()); the caller then sends
 * @p: association
 * @now_ns: local time, Unix ns
 * @sys_poll: system poll exponent (the discipline's), log2 s
 *
 * The reach register shifts once per poll; a burst (iburst, at each poll
 * while the source is unreachable) sends NTP_BCOUNT packets more at
 * NTP_BTIME intervals, or at minpoll if that is shorter. A source
 * unreachable for NTP_UNREACH polls is polled less often, up to maxpoll,
 * bursts or not; a reachable one at the system poll.
 *
 * Return: ns until the next poll.
 */
s64 ntp_peer_poll(struct ntp_peer *p, s64 now_ns, s8 sys_poll)
{
	s64 interval_ns;

	if (!p->burst) {
		p->reach <<= 1;
		/* Three polls unanswered: the filter learns of it. */
		if (!(p->reach & 0x7))
			ntp_filter_add_missed(&p->filter, now_ns, p->poll);
		if (!p->reach) {
			/*
			 * As ntpd's iburst: every poll of an unreachable
			 * source is a burst, so that one that comes back (a
			 * link up late, a server restarted) fills its filter
			 * within seconds of its first answer.
			 */
			if (p->iburst)
				p->burst = NTP_BCOUNT;
			if (p->unreach < NTP_UNREACH)
				p->unreach++;
			else
				p->hpoll = ntp_peer_clamp(p, p->hpoll + 1);
		} else if (!(p->state & NTP_PEER_RATE)) {
			p->hpoll = ntp_peer_clamp(p, sys_poll);
		}
	} else {
		p->burst--;
	}

	if (!p->reach)
		p->follow = false;

	/*
	 * A.5.7 poll_update(): the shorter of our poll and the remote
	 * side's, so that two symmetric peers poll at one rate.
	 */
	p->poll = ntp_peer_clamp(p, min(p->ppoll, p->hpoll));
	interval_ns = ntp_peer_interval_ns(p->poll);
	/*
	 * Following: this poll only stands in for a late packet; the one we
	 * follow may poll up to 1/16 late (kmod/poll.c).
	 */
	if (p->follow)
		interval_ns += interval_ns / 8;
	if (p->burst)
		interval_ns = ntp_peer_burst_ns(p);
	return interval_ns;
}

/**
 * ntp_peer_phase() - when to send next, after an answer
 * @p: association; ntp_peer_receive() has just been given the packet
 * @sys_stratum: our stratum
 * @rx_ns: when the packet arrived, local Unix ns
 *
 * A source back from unreachable starts its burst (ntp_peer_reachable()).
 *
 * Two peers that poll at one rate each send on their own timer. Whenever
 * one sends before the other's packet has arrived the packets cross, and
 * both are bogus (test 2) to their receivers: the closer the two phases,
 * the more often. Nothing in RFC 5905 keeps them apart; as chrony does,
 * the phase is chosen from the other side's packets:
 *
 * - its stratum is above ours (it is, or may be, synchronising to us): we
 *   send as soon as its packet arrives, so that its exchange is as short as
 *   a client's (T3 - T2 small) and our packet always answers its last one;
 * - the same stratum: we send half an interval after its packet, so that
 *   both sides' packets alternate evenly;
 * - below ours: we keep our schedule, and it follows us.
 *
 * Only the first answer to our last packet moves the schedule: a spoofed
 * packet cannot (it does not know our transmit timestamp), and no packet
 * is sent sooner than half an interval after our last one, so that two
 * sides that both follow cannot drive each other faster.
 *
 * Return: ns from @rx_ns until our next packet, or -1: keep the schedule.
 */
s64 ntp_peer_phase(struct ntp_peer *p, u8 sys_stratum, s64 rx_ns)
{
	s64 interval_ns, since_tx_ns;

	/* ntp_peer_receive() took this packet as the answer (tests 1-3). */
	if (!p->running || !p->x.valid_rx || p->rx_ns != rx_ns ||
	    (p->state & NTP_PEER_RATE))
		return -1;
	if (p->burst == NTP_BCOUNT)
		return ntp_peer_burst_ns(p);
	if (p->hmode != NTP_MODE_ACTIVE || p->burst)
		return -1;

	interval_ns = ntp_peer_interval_ns(p->poll);
	p->follow = p->stratum > sys_stratum;
	if (p->stratum < sys_stratum)
		return -1;
	if (!p->follow)
		return interval_ns / 2;
	since_tx_ns = ntp_ts_diff_ns(ntp_ts_from_ns(rx_ns), p->x.sent);
	if (since_tx_ns < 0)
		since_tx_ns = 0;
	return max_t(s64, interval_ns / 2 - since_tx_ns, 0);
}

/*
 * A packet in interleaved form (RFC 9769), when our last packet was
 * answered: the origin timestamp is the remote side's receive timestamp of
 * our last packet, by which a server finds the transmit stamp of its
 * answer (a peer knows it for its own); the receive timestamp is when that
 * answer arrived, which an interleaved answer echoes. A symmetric peer's
 * transmit timestamp is when our last packet left (a client's is written
 * as it is sent). Otherwise (the first packet, or the last one
 * unanswered) basic: the remote side's transmit timestamp must be that of
 * the exchange we just completed.
 */
static void ntp_peer_xl_request(const struct ntp_peer *p,
				struct ntp_packet *pkt)
{
	const struct ntp_xl_exchange *l = &p->x.last;

	if (!p->xleave || !p->x.valid_rx || !l->t1 || !l->t2 || !l->t4 ||
	    l->t2 == l->t4)
		return;
	if (p->hmode == NTP_MODE_ACTIVE) {
		/*
		 * RFC 9769 sec. 3: only the first packet after an answer to
		 * our last one, which was our only packet since the answer
		 * before: else the peer could match our transmit timestamp
		 * with the wrong packet of ours.
		 */
		if (p->x.txs || p->x.txs_prev != 1 || l->t1 == l->t2 ||
		    l->t1 == l->t4)
			return;
		if ((p->state & NTP_PEER_XLEAVE_BASIC) &&
		    p->x.xl_probe % NTP_XL_PROBE)
			return;
		pkt->xmt_ts = l->t1;
	}
	pkt->org_ts = l->t2;
	pkt->rec_ts = l->t4;
}

/**
 * ntp_peer_xmit() - the packet to send for this association (A.5.8)
 * @p: association
 * @sys: our system variables
 * @pkt: the packet; its transmit timestamp is left to the sender, who
 *	writes it last, unless it is set here (a symmetric packet in
 *	interleaved form carries the time our packet before left)
 *
 * A symmetric peer gets our clock's variables and the echo of its last
 * packet. A server needs nothing but our transmit timestamp: the other
 * fields stay zero (less to learn about us from a request).
 */
void ntp_peer_xmit(const struct ntp_peer *p, const struct ntp_sysvars *sys,
		   struct ntp_packet *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->version = p->version;
	pkt->mode = p->hmode;
	pkt->poll = p->hpoll;
	if (p->hmode != NTP_MODE_ACTIVE) {
		ntp_peer_xl_request(p, pkt);
		return;
	}
	ntp_sysvars_fill(sys, pkt);
	/* No answer since we last sent: answer what did come (packet.c). */
	if (!p->x.valid_rx && p->x.init_org) {
		pkt->org_ts = p->x.init_org;
		pkt->rec_ts = p->x.init_rec;
	} else {
		pkt->org_ts = p->x.org;
		pkt->rec_ts = p->x.rec;
	}
	ntp_peer_xl_request(p, pkt);
}

/**
 * ntp_sysvars_fill() - the header fields that describe our clock
 * @sys: our system variables
 * @pkt: the packet being built
 *
 * Unsynchronised we send leap 3 and stratum 0 (sec. 7.3: stratum 16 is 0
 * on the wire), with the refid the system process left (INIT).
 */
void ntp_sysvars_fill(const struct ntp_sysvars *sys, struct ntp_packet *pkt)
{
	pkt->leap = sys->leap;
	pkt->stratum = sys->stratum >= NTP_MAXSTRAT ? 0 : sys->stratum;
	pkt->precision = sys->precision;
	pkt->root_delay = ntp_short_from_ns(sys->root_delay_ns);
	pkt->root_disp = ntp_short_from_ns(sys->root_disp_ns);
	memcpy(pkt->refid, sys->refid, NTP_REFID_LEN);
	pkt->ref_ts = sys->reftime_ns ? ntp_ts_from_ns(sys->reftime_ns) : 0;
}

/**
 * ntp_reply_build() - a stateless answer (A.5.3 fast_xmit())
 * @req: the request (mode 3, or mode 1 from a peer we do not know)
 * @rx_ns: when it arrived, local Unix ns
 * @mode: NTP_MODE_SERVER, or NTP_MODE_PASSIVE
 * @h: our system variables as published (ntp_reply_head_make())
 * @r: the answer; its transmit timestamp is left to the sender
 */
void ntp_reply_build(const struct ntp_packet *req, s64 rx_ns, u8 mode,
		     const struct ntp_reply_head *h, struct ntp_packet *r)
{
	memset(r, 0, sizeof(*r));
	r->version = req->version;
	r->mode = mode;
	r->poll = req->poll;
	r->org_ts = req->xmt_ts;
	r->rec_ts = ntp_ts_from_ns(rx_ns);
	r->leap = h->leap;
	r->stratum = h->stratum;
	r->precision = h->precision;
	memcpy(r->refid, h->refid, NTP_REFID_LEN);
	r->root_delay = h->root_delay;
	r->root_disp = h->grows ?
		ntp_short_from_ns(ntp_root_disp_at(h->root_disp_ns,
						   h->reftime_ns, rx_ns)) :
		h->root_disp;
	if (!h->ref_now)
		r->ref_ts = h->ref_ts;
	else if (rx_ns)
		r->ref_ts = r->rec_ts;
	/* A client may name it in an interleaved request (core/xleave.h). */
	if (mode == NTP_MODE_SERVER)
		r->rec_ts |= NTP_XL_RX_MARK;
}

/**
 * ntp_reply_kiss() - turn an answer into a kiss-o'-death (sec. 7.4)
 * @r: the answer ntp_reply_build() made
 * @code: the kiss code, ASCII
 *
 * Leap 3 (unsynchronised), stratum 0, the code in the reference ID; the
 * rest stays the answer's, so a kiss is never longer than the request.
 */
void ntp_reply_kiss(struct ntp_packet *r, const char code[NTP_REFID_LEN])
{
	r->leap = NTP_LEAP_NOSYNC;
	r->stratum = 0;
	memcpy(r->refid, code, NTP_REFID_LEN);
}

/**
 * ntp_peer_sent() - our packet left: its answer is awaited
 * @p: association
 * @pkt: the packet ntp_peer_xmit() made
 * @xmt_ts: when it was sent, as written (T1 of the next sample unless the
 *	driver's stamp comes), NTP format; written into it unless @pkt
 *	carries a transmit timestamp already
 */
void ntp_peer_sent(struct ntp_peer *p, const struct ntp_packet *pkt,
		   u64 xmt_ts)
{
	struct ntp_exchange *x = &p->x;

	x->xl_org = pkt->org_ts;
	x->xl_rec = pkt->rec_ts;
	if (p->state & NTP_PEER_XLEAVE_BASIC)
		x->xl_probe++;
	if (x->txs < U8_MAX)
		x->txs++;
	x->sent = xmt_ts;
	x->xmt = pkt->xmt_ts ? pkt->xmt_ts : xmt_ts;
	p->x.valid_rx = false;
	p->x.init_updated = false;
}

/**
 * ntp_peer_obs_from() - from when the association's samples may tell the
 *	first frequency (ntp_disc_observe())
 * @p: association
 *
 * In interleaved mode, from its first interleaved sample on. The basic
 * answers before it carry the remote side's transmit time as written
 * before it sent, late by its send path; the interleaved ones the time its
 * packet left. A line through both kinds is off by the difference over the
 * burst's span: in a guest, a basic sample 0.9 ms off the interleaved ones
 * made the first frequency 41 ppm wrong (10 ppm without it).
 *
 * Return: local time, Unix ns: 0 (every sample) in basic mode and while the
 * remote side answers basic only; S64_MAX until the first interleaved one.
 */
s64 ntp_peer_obs_from(const struct ntp_peer *p)
{
	if (!p->xleave || (p->state & NTP_PEER_XLEAVE_BASIC))
		return 0;
	return p->x.xl_first_ns ?: S64_MAX;
}

/**
 * ntp_peer_cand() - the association as a selection candidate
 * @p: association
 * @now_ns: local time, Unix ns
 * @c: filled but for id and loop, which only the caller knows
 */
void ntp_peer_cand(const struct ntp_peer *p, s64 now_ns, struct ntp_cand *c)
{
	memset(c, 0, sizeof(*c));
	c->offset_ns = p->filter.offset_ns;
	c->delay_ns = p->filter.delay_ns;
	c->disp_ns = ntp_filter_disp_now(&p->filter, now_ns);
	c->jitter_ns = p->filter.jitter_ns;
	c->root_delay_ns = p->root_delay_ns;
	c->root_disp_ns = p->root_disp_ns;
	c->stratum = p->stratum;
	c->leap = p->leap;
	c->reach = p->reach;
	c->has_sample = p->filter.used;
	c->prefer = p->prefer;
}
