// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the system process (RFC 5905 sec. 11.2, A.5.5): selection,
 * the system variables, the clock update, and what happens when no source
 * is left.
 */
#include "system.h"

/* Unsynchronised (sec. 11.2): what a fresh instance serves. */
static void ntp_system_unsync(struct ntp_system *s)
{
	s->v.leap = NTP_LEAP_NOSYNC;
	s->v.stratum = NTP_MAXSTRAT;
	memcpy(s->v.refid, NTP_REFID_INIT, NTP_REFID_LEN);
	s->v.root_delay_ns = 0;
	s->v.root_disp_ns = 0;
	s->synced = false;
	s->sys_peer_id = 0;
	s->lost_ns = 0;
	s->leap_at_s = 0;
}

/* Our own clock as the reference ("ntp master"), always current. */
static void ntp_system_local(struct ntp_system *s, s64 now_ns)
{
	s->v.leap = NTP_LEAP_NONE;
	s->v.stratum = s->master;
	memcpy(s->v.refid, NTP_REFID_LOCL, NTP_REFID_LEN);
	s->v.reftime_ns = now_ns;
	s->v.root_delay_ns = 0;
	s->v.root_disp_ns = 0;
	s->synced = true;
	s->sys_peer_id = 0;
	s->lost_ns = 0;
	s->leap_at_s = 0;
}

/**
 * ntp_system_default_cfg() - the discipline's defaults (RFC 5905 A.1.1)
 * @cfg: filled
 *
 * The system poll may go as low as the discipline allows: each
 * association keeps to its own minpoll and maxpoll.
 */
void ntp_system_default_cfg(struct ntp_disc_cfg *cfg)
{
	cfg->step_ns = NTP_STEPT_NS;
	cfg->panic_ns = NTP_PANICT_NS;
	cfg->stepout_ns = NTP_WATCH_NS;
	cfg->minpoll = NTP_DISC_POLL_MIN;
	cfg->maxpoll = NTP_MAXPOLL;
}

/**
 * ntp_system_init() - a fresh, unsynchronised system process
 * @s: state
 * @precision: our clock's precision, log2 s
 * @cfg: discipline settings
 */
void ntp_system_init(struct ntp_system *s, s8 precision,
		     const struct ntp_disc_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	ntp_disc_init(&s->disc, cfg, 0);
	s->v.precision = precision;
	s->v.poll = s->disc.poll;
	s->src_poll = s->disc.poll;
	ntp_system_unsync(s);
}

/**
 * ntp_system_set_master() - serve our own clock at a stratum, or stop
 * @s: state
 * @stratum: 1..15, or 0 to stop
 * @now_ns: local time, Unix ns
 *
 * Our own clock takes part in selection as a source at @stratum - 1: a
 * source that would give us a lower stratum wins over it.
 */
void ntp_system_set_master(struct ntp_system *s, u8 stratum, s64 now_ns)
{
	bool was_local = s->synced && !s->sys_peer_id && s->master;

	s->master = stratum;
	if (stratum && (!s->synced || was_local ||
			s->v.stratum > stratum))
		ntp_system_local(s, now_ns);
	else if (!stratum && was_local)
		ntp_system_unsync(s);
}

/**
 * ntp_system_new_clock() - the instance now disciplines another clock
 * @s: state
 * @now_ns: local time on the new clock, Unix ns
 *
 * Nothing learnt on the old clock applies to the new one: the discipline
 * starts afresh from a zero frequency correction (its settings kept), no
 * slew is in progress, and until the next clock update the instance serves
 * as unsynchronised (or its own clock, as master). The caller restarts
 * every clock filter: their samples were taken on the old clock.
 */
void ntp_system_new_clock(struct ntp_system *s, s64 now_ns)
{
	struct ntp_disc_cfg cfg = s->disc.cfg;

	ntp_disc_init(&s->disc, &cfg, 0);
	memset(&s->v.slew, 0, sizeof(s->v.slew));
	s->v.poll = s->disc.poll;
	s->sample_ns = 0;
	s->first_fit_ns = 0;
	s->obs_id = 0;
	s->obs_ns = 0;
	s->offset_ns = 0;
	s->jitter_ns = 0;
	s->result = NTP_DISC_IGNORE;
	ntp_system_unsync(s);
	if (s->master)
		ntp_system_local(s, now_ns);
}

/**
 * ntp_system_extra() - what the system needs of an association besides its
 *	candidate (ntp_peer_cand())
 * @p: association
 * @x: filled but for the refid, which only the caller knows
 */
void ntp_system_extra(const struct ntp_peer *p, struct ntp_sys_extra *x)
{
	x->sample_ns = p->filter.t_ns;
	x->newest_ns = ntp_filter_newest(&p->filter, &x->newest_offset_ns,
					 &x->newest_delay_ns,
					 &x->newest_excess_ns);
	x->obs_from_ns = ntp_peer_obs_from(p);
	x->poll = p->poll;
}

/**
 * ntp_system_clock_moved() - the clock backend moved the clock by more than
 *	the discipline asked (kmod/clock.c: a slew that ran beyond, or short
 *	of, its reckoned end)
 * @s: state
 * @moved_ns: how much more, ns (added to the clock)
 *
 * Taken as a correction committed and done at once. The caller shifts
 * every association's samples by it, as for any committed correction
 * (ntp_filter_compensate()).
 */
void ntp_system_clock_moved(struct ntp_system *s, s64 moved_ns)
{
	s->v.corr_sum_ns += moved_ns;
	ntp_disc_clock_moved(&s->disc, moved_ns);
}

/*
 * A.5.5.4 clock_update(): the system variables follow the system peer -
 * but the leap warning follows a majority of the truechimers, and only on
 * the last day of a month (leap.h).
 */
static void ntp_system_follow(struct ntp_system *s, const struct ntp_cand *c,
			      int n, const struct ntp_cand *p,
			      const struct ntp_sys_extra *x,
			      const struct ntp_select_result *res, s64 now_ns)
{
	u64 abs_offset_ns = res->offset_ns < 0 ? -(u64)res->offset_ns :
						  (u64)res->offset_ns;
	u64 disp_ns;

	s->v.leap = ntp_leap_warning(ntp_leap_vote(c, n), now_ns,
				     &s->leap_at_s);
	s->v.stratum = p->stratum + 1;
	memcpy(s->v.refid, x->refid, NTP_REFID_LEN);
	s->v.root_delay_ns = p->root_delay_ns + (p->delay_ns > 0 ? p->delay_ns : 0);
	/* Root dispersion: the source's, its peer dispersion and jitter,
	 * and how far the survivors' combination is from our clock.
	 */
	disp_ns = p->root_disp_ns + p->disp_ns + res->jitter_ns + abs_offset_ns;
	s->v.root_disp_ns = max_t(u64, disp_ns, NTP_MINDISP_NS);
	/*
	 * Followed before its first clock update (one waits for a sample
	 * newer than the last used): the reference time is now, or the root
	 * dispersion served would grow from 1970 (ntp_sysvars_now()).
	 */
	if (!s->v.reftime_ns)
		s->v.reftime_ns = now_ns;
	s->synced = true;
	s->lost_ns = 0;
	s->sys_peer_id = p->id;
	s->peer_poll = x->poll;
	s->offset_ns = res->offset_ns;
	s->jitter_ns = res->jitter_ns;
}

/*
 * The first clock update waits for a quorum. At start the associations'
 * clock filters fill at different times, and the first source to become
 * selectable would otherwise be followed alone - even if it is the one
 * falseticker of four. So until the first update, the survivors of the
 * intersection must be a majority of the selectable sources plus those
 * still filling their filter (reachable, but no sample or too far yet),
 * and the would-be system peer's root distance below NTP_QUORUM_DIST_NS:
 * early on every interval is wide, and a falseticker would pass the
 * intersection. This waits at most NTP_QUORUM_WAIT_POLLS polls of the
 * would-be system peer.
 */
static bool ntp_system_quorum(struct ntp_system *s, const struct ntp_cand *c,
			      int n, int peer, s8 poll, s64 now_ns)
{
	int i, fit = 0, pending = 0, survivors = 0;

	if (s->synced || s->disc.state != NTP_DISC_NSET)
		return true;
	for (i = 0; i < n; i++) {
		if (c[i].reject == NTP_REJ_NONE)
			fit++;
		else if (c[i].reach && (c[i].reject == NTP_REJ_NOSAMPLE ||
					c[i].reject == NTP_REJ_DISTANCE))
			pending++;
		if (c[i].tally >= NTP_TALLY_OUTLIER)
			survivors++;
	}
	if (!s->first_fit_ns)
		s->first_fit_ns = now_ns;
	if (now_ns - s->first_fit_ns >=
	    NTP_QUORUM_WAIT_POLLS * ntp_peer_interval_ns(poll))
		return true;
	return survivors * 2 > fit + pending &&
	       c[peer].root_dist_ns < NTP_QUORUM_DIST_NS;
}

/*
 * Before the first clock update, while the quorum is awaited, the samples
 * of the source most likely to become the system peer (the would-be system
 * peer, else the one kept so far while it is still a candidate, else the
 * nearest that only lacks samples for its distance) already tell the
 * discipline the frequency (ntp_disc_observe()): the first update can set
 * it at once. The discipline forgets them when the source changes.
 */
static void ntp_system_observe(struct ntp_system *s, const struct ntp_cand *c,
			       const struct ntp_sys_extra *x, int n,
			       int peer, s64 now_ns)
{
	int i, best = peer;

	if (s->disc.state != NTP_DISC_NSET)
		return;
	for (i = 0; i < n && best < 0; i++)
		if (c[i].id == s->obs_id && (c[i].reject == NTP_REJ_NONE ||
					     c[i].reject == NTP_REJ_DISTANCE))
			best = i;
	for (i = 0; i < n; i++)
		if (peer < 0 && c[i].reject == NTP_REJ_DISTANCE &&
		    (best < 0 || (c[best].id != s->obs_id &&
				  c[i].root_dist_ns < c[best].root_dist_ns)))
			best = i;
	if (best < 0 || !x[best].newest_ns || x[best].newest_ns <= s->obs_ns ||
	    x[best].newest_ns < x[best].obs_from_ns)
		return;
	if (c[best].id != s->obs_id) {
		ntp_disc_reset(&s->disc);
		s->obs_id = c[best].id;
	}
	s->obs_ns = x[best].newest_ns;
	ntp_disc_observe(&s->disc, x[best].newest_offset_ns +
			 ntp_slew_remaining(&s->v.slew, now_ns),
			 x[best].newest_ns, x[best].newest_delay_ns);
}

/**
 * ntp_system_poll() - the poll interval to report
 * @s: state
 *
 * The discipline's poll is the system poll the associations are asked to
 * use; each clamps it to its own minpoll and maxpoll. While unsynchronised
 * it sits at the discipline's minimum (2^-6 s), which no source is polled
 * at: report the poll actually used - the system peer's, or without one
 * the shortest among the sources.
 *
 * Return: log2 s.
 */
s8 ntp_system_poll(const struct ntp_system *s)
{
	if (s->synced && s->sys_peer_id)
		return s->peer_poll;
	return s->src_poll;
}

/**
 * ntp_system_run() - select, update the system variables and the clock
 * @s: state
 * @c: the candidates; their tallies are set
 * @x: per candidate, what struct ntp_cand does not hold
 * @n: number of candidates
 * @now_ns: local time, Unix ns
 * @act: what the clock backend must do, when the return value says so;
 *	all zero when the discipline was not asked
 * @corr_ns: the correction newly committed to the clock, ns: the caller
 *	shifts every association's samples by it, and rebases them on
 *	@act->df_ppb (ntp_filter_compensate())
 *
 * A clock update happens only with a system peer sample newer than the
 * last one used (A.5.5.4): the clock filter's pick, or its newest sample
 * when the pick is too old for the discipline. Before the first update,
 * the would-be system peer's samples are observed (ntp_system_observe()).
 * With no selectable source the system variables are held for one poll
 * interval (the longer of the system poll and the lost system peer's) -
 * enough for a reselection to find a new system peer without telling
 * clients we are unsynchronised, short enough that downstream servers stop
 * using us within a poll - then the instance is unsynchronised (stratum
 * 16). It keeps its frequency.
 *
 * Return: enum ntp_disc_result of a clock update (NTP_DISC_SLEW or
 * NTP_DISC_STEP: apply @act; NTP_DISC_REFUSED: a panic, nothing to do),
 * or NTP_DISC_IGNORE.
 */
int ntp_system_run(struct ntp_system *s, struct ntp_cand *c,
		   const struct ntp_sys_extra *x, int n, s64 now_ns,
		   struct ntp_disc_action *act, s64 *corr_ns)
{
	struct ntp_select_result res;
	const struct ntp_cand *p = NULL;
	const struct ntp_sys_extra *xp;
	s64 left_ns, offset_ns, sample_ns, age_ns;
	int i, result;
	bool waited;

	memset(act, 0, sizeof(*act));
	*corr_ns = 0;
	s->src_poll = s->disc.poll;
	for (i = 0; i < n; i++)
		if (!i || x[i].poll < s->src_poll)
			s->src_poll = x[i].poll;

	ntp_select(c, n, s->disc.poll, s->sys_peer_id, &res);
	/* Not ours to steer: we cannot vouch for the clock we serve. */
	if (s->disc.cfg.ctl == NTP_DISC_CTL_NONE) {
		s->disc.state = NTP_DISC_HANDS_OFF;
		ntp_system_unsync(s);
		return NTP_DISC_IGNORE;
	}
	if (res.sys_peer >= 0 &&
	    ntp_system_quorum(s, c, n, res.sys_peer, x[res.sys_peer].poll,
			      now_ns))
		p = &c[res.sys_peer];
	else
		ntp_system_observe(s, c, x, n, res.sys_peer, now_ns);

	/* Our own clock wins over sources that would give a worse stratum. */
	if (s->master && (!p || p->stratum + 1 > s->master)) {
		if (p)
			c[res.sys_peer].tally = NTP_TALLY_CANDIDATE;
		ntp_system_local(s, now_ns);
		return NTP_DISC_IGNORE;
	}
	if (!p) {
		if (!s->synced)
			return NTP_DISC_IGNORE;
		/* Held: a leap warning still ends with its day. */
		if (s->leap_at_s &&
		    now_ns >= s->leap_at_s * NTP_NSEC_PER_SEC) {
			s->v.leap = NTP_LEAP_NONE;
			s->leap_at_s = 0;
		}
		if (!s->lost_ns)
			s->lost_ns = now_ns;
		if (now_ns - s->lost_ns >=
		    ntp_peer_interval_ns(max(s->disc.poll, s->peer_poll)))
			ntp_system_unsync(s);
		return NTP_DISC_IGNORE;
	}

	ntp_system_follow(s, c, n, p, &x[res.sys_peer], &res, now_ns);
	/*
	 * The offset: the combined one, from the filters' picks (the lowest
	 * delay of eight samples), while the system peer's pick is recent
	 * enough for the discipline (ntp_disc_max_age_ns(): 0 until it knows
	 * the frequency); else the system peer's newest sample. A filter may
	 * keep its pick for eight polls: at long polls, and while the
	 * frequency is unknown, the newest sample is the news - unless it
	 * waited on its way (ntp_disc_waited() against the filter's best:
	 * under TCG, one 11 ms against 1.7 ms, its offset 4.5 ms off, taken
	 * at poll 4 as news) - then, before the first update, the pick; after
	 * it, nothing until waiting costs more than the wait may have
	 * (ntp_disc_hold_costs(): at once while no frequency is known). Either
	 * is used once.
	 */
	xp = &x[res.sys_peer];
	left_ns = ntp_slew_remaining(&s->v.slew, now_ns);
	age_ns = ntp_disc_max_age_ns(&s->disc, xp->newest_offset_ns + left_ns,
				     xp->newest_excess_ns, now_ns);
	waited = ntp_disc_waited(xp->newest_delay_ns,
				 xp->newest_delay_ns - xp->newest_excess_ns) &&
		 !ntp_disc_hold_costs(&s->disc, xp->newest_excess_ns, now_ns);
	/*
	 * Before the first update a newest sample that waited gives way to
	 * the pick, not a poll more at the start's error: the points observed
	 * carry the line to now (the pick is one of them). Under TCG at
	 * poll 6 delays of 4.3 and 6.6 ms came among 1.6 ms ones: each such
	 * newest sample held the first update 64 s.
	 */
	if (xp->sample_ns > s->sample_ns &&
	    (now_ns - xp->sample_ns <= age_ns ||
	     (s->disc.state == NTP_DISC_NSET && waited))) {
		offset_ns = res.offset_ns;
		sample_ns = xp->sample_ns;
	} else if ((now_ns - xp->sample_ns > age_ns ||
		    now_ns - s->disc.last_ns >= age_ns) && !waited) {
		offset_ns = xp->newest_offset_ns;
		sample_ns = xp->newest_ns;
	} else {
		return NTP_DISC_IGNORE;
	}
	if (sample_ns <= s->sample_ns)
		return NTP_DISC_IGNORE;
	s->sample_ns = sample_ns;
	s->v.reftime_ns = now_ns;
	/* Observed before the first update, but another source: forget. */
	if (s->disc.state == NTP_DISC_NSET && p->id != s->obs_id)
		ntp_disc_reset(&s->disc);

	/*
	 * The system poll follows the system peer's, as ntpd clamps it to the
	 * peer's limits: at least its poll (updates come no faster), at most
	 * one step above (the sources follow a rise one step at a time; a
	 * system poll far above what they can do would only stretch the
	 * holdover when they go).
	 */
	if (s->disc.poll < xp->poll)
		s->disc.poll = min(xp->poll, s->disc.cfg.maxpoll);
	if (s->disc.poll > xp->poll + 1)
		s->disc.poll = max_t(int, xp->poll + 1, s->disc.cfg.minpoll);
	/*
	 * Samples are stored net of every correction committed (see
	 * ntp_filter_compensate()); the discipline wants the offset one
	 * would measure now, with what is left of the slew in progress.
	 */
	result = ntp_disc_update(&s->disc, offset_ns + left_ns, sample_ns,
				 now_ns, ntp_precision_ns(s->v.precision), act);
	s->result = result;
	s->v.poll = s->disc.poll;
	if (result == NTP_DISC_REFUSED) {
		/* Panic: our clock is too far off to claim anything. */
		ntp_system_unsync(s);
		return result;
	}
	if (result != NTP_DISC_SLEW && result != NTP_DISC_STEP)
		return result;
	/* The new action replaces what was left of the previous slew. */
	*corr_ns = act->step_ns + act->slew_ns - left_ns;
	s->v.corr_sum_ns += *corr_ns;
	s->v.slew.start_ns = now_ns + act->step_ns;
	s->v.slew.amount_ns = act->slew_ns;
	/* Our clock gains the slew while it runs: it lasts dur + slew here. */
	s->v.slew.dur_ns = act->slew_ns ? act->slew_dur_ns + act->slew_ns : 0;
	/*
	 * After a step, local times jump: any new sample is newer. And every
	 * clock filter starts afresh (A.5.5.6): until they refill there is no
	 * source to vouch for the clock, so we serve as unsynchronised from
	 * now (as ntpd does), not from one poll on.
	 */
	if (result == NTP_DISC_STEP) {
		s->sample_ns = S64_MIN;
		ntp_system_unsync(s);
		/* The step took the offset out: none is left to show. */
		s->offset_ns = 0;
	}
	return result;
}

/**
 * ntp_root_disp_at() - the root dispersion grown to a time (A.5.5.7)
 * @root_disp_ns: root dispersion at the last clock update, ns
 * @reftime_ns: local time of that update, Unix ns
 * @now_ns: local time, Unix ns
 *
 * Return: @root_disp_ns plus PHI for every second since @reftime_ns, ns.
 */
u64 ntp_root_disp_at(u64 root_disp_ns, s64 reftime_ns, s64 now_ns)
{
	u64 span_ns;

	if (now_ns <= reftime_ns)
		return root_disp_ns;
	/* 10^6 s of growth is far past MAXDISP: cap to avoid overflow. */
	span_ns = min_t(u64, now_ns - reftime_ns, 1000000 * NTP_NSEC_PER_SEC);
	return root_disp_ns + div_u64(span_ns * NTP_PHI_PPB, NTP_NSEC_PER_SEC);
}

/* Does our own clock serve as the reference (sec. 7.3, "LOCL")? */
static bool ntp_sysvars_local(const struct ntp_sysvars *v)
{
	return !memcmp(v->refid, NTP_REFID_LOCL, NTP_REFID_LEN);
}

/**
 * ntp_sysvars_now() - the system variables as of now, for a packet
 * @v: the system variables of the last update
 * @now_ns: local time, Unix ns
 * @out: a copy whose root dispersion has grown by PHI since the update
 *	(A.5.5.7), and whose reference time is now for our own clock
 */
void ntp_sysvars_now(const struct ntp_sysvars *v, s64 now_ns,
		     struct ntp_sysvars *out)
{
	*out = *v;
	if (v->stratum >= NTP_MAXSTRAT)
		return;
	if (ntp_sysvars_local(v)) {
		out->reftime_ns = now_ns;
		return;
	}
	out->root_disp_ns = ntp_root_disp_at(v->root_disp_ns, v->reftime_ns,
					     now_ns);
}

/**
 * ntp_reply_head_make() - the system variables made ready for answers
 * @sys: the system variables of the last update
 * @h: what ntp_reply_build() puts in every answer, as ntp_sysvars_now()
 *	then ntp_sysvars_fill() would at the answer's receive time
 *
 * The conversions to the wire's formats happen here, once per update; an
 * answer is left only the root dispersion's growth, and for our own clock
 * the reference time, its receive time.
 */
void ntp_reply_head_make(const struct ntp_sysvars *sys,
			 struct ntp_reply_head *h)
{
	struct ntp_packet p = { 0 };

	ntp_sysvars_fill(sys, &p);
	memset(h, 0, sizeof(*h));
	h->leap = p.leap;
	h->stratum = p.stratum;
	h->precision = p.precision;
	memcpy(h->refid, p.refid, NTP_REFID_LEN);
	h->root_delay = p.root_delay;
	h->root_disp = p.root_disp;
	h->ref_ts = p.ref_ts;
	if (sys->stratum >= NTP_MAXSTRAT)
		return;
	h->ref_now = ntp_sysvars_local(sys);
	h->grows = !h->ref_now;
	h->reftime_ns = sys->reftime_ns;
	h->root_disp_ns = sys->root_disp_ns;
}
