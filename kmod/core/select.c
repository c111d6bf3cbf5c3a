// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the system process's choice of sources (RFC 5905 sec. 11.2,
 * Appendix A.5.5): the fit test, selection by intersection, clustering,
 * the system peer and the combined offset and jitter; and the IPv6
 * reference ID (sec. 7.3).
 *
 * Integers only: offsets are s64 ns, distances and jitters u64 ns, every sum
 * saturates or is scaled down before it could overflow. No storage but the
 * candidates themselves: the steps keep their state in each c[i].tally and
 * order the candidates by counting, so there is no limit on their number.
 *
 * Departures from the A.5.5 pseudo-code, each with its reason:
 * - Fit test: a source is unreachable when the last NTP_FIT_REACH_MASK polls
 *   went unanswered, not only when the whole reach register is empty (see
 *   select.h): failover within 3 polls. The rules run in the order of enum
 *   ntp_reject and the first that fails is the reason given.
 * - Root distance (A.5.5.2) takes the peer dispersion already grown to now
 *   (ntp_filter_disp_now()) and adds no PHI * (now - p->t) of its own.
 * - The distance threshold caps sys_poll at NTP_MAXPOLL.
 * - Intersection: instead of sorting the 3m endpoints, the low end of the
 *   intersection is the lowest lower endpoint e with #(lower <= e) -
 *   #(upper < e) >= m - allow, the high end symmetrically. That is what the
 *   sorted scan of A.5.5.1 finds with equal endpoints ordered lower, then
 *   midpoint, then upper (touching intervals intersect); O(m^2) per pass.
 * - When no intersection holds a majority, every fit candidate is marked a
 *   falseticker: the operator sees that selection, not the fit test, refused
 *   them (the RFC only leaves the system peer unset).
 * - Clustering: the selection jitter is an RMS over the n - 1 other
 *   survivors, as sec. 11.2.2 describes it (the A.5.5.4 code omits the
 *   division). A survivor is discarded only while its selection jitter
 *   exceeds the smallest peer jitter (A.5.5.4 also discards at equality,
 *   which can gain nothing); among equal selection jitters the one last in
 *   metric order goes (A.5.5.4 takes the first, the best).
 * - Equal metrics order by association id, then by index: the choice is the
 *   same on every run whatever the order in which samples arrived.
 * - System peer: a surviving prefer peer; else the previous system peer while
 *   it survives and its metric is within ntp_sel_hop_margin() of the best
 *   (anti-clockhop, as ntpd's stickiness); else the first in metric order.
 *   A.5.5.4 always takes the first.
 * - The system peer is always combined; BACKUP marks the survivors beyond
 *   NTP_NMAX_COMBINE - 1 others in metric order.
 * - Combining (A.5.5.5): the selection jitter is taken around the system
 *   peer's offset (A.5.5.5 uses the first survivor, the same peer there).
 *   A prefer system peer gives its own offset; the jitter is the same formula.
 */
#include "select.h"
#include "filter.h"	/* ntp_sqrt_u64() */
#include "md5.h"

/*
 * A.5.5.5: the combining weight of a survivor is 2^NTP_SEL_WEIGHT_SHIFT /
 * lambda_ns. lambda >= MINDISP / 2 = 2.5e6 ns (> 2^21.2), so a weight is below
 * 2^27 and NTP_NMAX_COMBINE of them below 2^31; a root distance of 3 s still
 * weighs 93824.
 */
#define NTP_SEL_WEIGHT_SHIFT	48

/*
 * Offset differences are shifted right until below 2^NTP_SEL_DIFF_BITS ns
 * before they are weighted (weight * difference < 2^57) or squared (< 2^60):
 * granularity 2^shift ns, only when survivors are more than 1 s apart.
 */
#define NTP_SEL_DIFF_BITS	30

/* The combining sums hold NTP_NMAX_COMBINE terms of 2^57 at most. */
#if NTP_NMAX_COMBINE > 16
#error "NTP_NMAX_COMBINE: the combining sums would overflow"
#endif

/* Below 2^-30 s of poll, PHI * 2^poll is under 1 ns (15000 >> 14 is 0). */
#define NTP_SEL_POLL_LOG2_MIN	(-30)

static u64 ntp_sel_add_sat(u64 a, u64 b)
{
	return a > U64_MAX - b ? U64_MAX : a + b;
}

/* a + b, clamped to S64_MAX. S64_MAX - a always fits a u64. */
static s64 ntp_sel_s64_add_sat(s64 a, u64 b)
{
	if (b > (u64)S64_MAX - (u64)a)
		return S64_MAX;
	return (s64)((u64)a + b);
}

/* a - b, clamped to S64_MIN. a - S64_MIN always fits a u64. */
static s64 ntp_sel_s64_sub_sat(s64 a, u64 b)
{
	if (b > (u64)a - (u64)S64_MIN)
		return S64_MIN;
	return (s64)((u64)a - b);
}

/* |a - b| without overflow: the difference of two s64 always fits a u64. */
static u64 ntp_sel_abs_diff(s64 a, s64 b)
{
	return a >= b ? (u64)a - (u64)b : (u64)b - (u64)a;
}

/* PHI * 2^poll_log2 s in ns: the dispersion one poll interval adds. */
static u64 ntp_sel_phi_poll(int poll_log2)
{
	if (poll_log2 > NTP_MAXPOLL)
		poll_log2 = NTP_MAXPOLL;
	if (poll_log2 >= 0)
		return (u64)NTP_PHI_PPB << poll_log2;
	if (poll_log2 < NTP_SEL_POLL_LOG2_MIN)
		return 0;
	return (u64)NTP_PHI_PPB >> -poll_log2;
}

/*
 * Anti-clockhop margin: how much worse (in metric, ns) the previous system
 * peer may be than the best survivor and still be kept. MINDISP is the
 * smallest distance A.5.5.2 resolves; PHI * 2^poll is what one poll interval
 * of dispersion adds, so sources polled at different moments swap places by
 * that much between their polls. The cap at MAXDIST / 2 keeps it below one
 * stratum's step in the metric (MAXDIST): a lower stratum with a comparable
 * distance always wins, which is how a router returns to its own upstream.
 */
static u64 ntp_sel_hop_margin(int poll_log2)
{
	u64 margin = NTP_MINDISP_NS + ntp_sel_phi_poll(poll_log2);

	return margin < NTP_MAXDIST_NS / 2 ? margin : NTP_MAXDIST_NS / 2;
}

/**
 * ntp_root_dist() - root synchronisation distance lambda (A.5.5.2)
 * @c: the candidate; @c->disp_ns must already be grown to now
 *
 * A delay below 0 (which the clock filter never gives) counts as it is: the
 * sum with the root delay is floored at MINDISP anyway.
 *
 * Return: max(MINDISP, root delay + delay) / 2 + root dispersion +
 * dispersion + jitter, ns, saturated at U64_MAX; at least MINDISP / 2.
 */
u64 ntp_root_dist(const struct ntp_cand *c)
{
	u64 sum_ns, neg_ns;

	if (c->delay_ns >= 0) {
		sum_ns = ntp_sel_add_sat(c->root_delay_ns, (u64)c->delay_ns);
	} else {
		neg_ns = (u64)-(c->delay_ns + 1) + 1;	/* |delay|, even S64_MIN */
		sum_ns = c->root_delay_ns > neg_ns ?
			 c->root_delay_ns - neg_ns : 0;
	}
	if (sum_ns < (u64)NTP_MINDISP_NS)
		sum_ns = NTP_MINDISP_NS;
	sum_ns >>= 1;
	sum_ns = ntp_sel_add_sat(sum_ns, c->root_disp_ns);
	sum_ns = ntp_sel_add_sat(sum_ns, c->disp_ns);
	return ntp_sel_add_sat(sum_ns, c->jitter_ns);
}

/*
 * A.5.5.3 fit test: the first rule the candidate fails, in enum order; but
 * a source that answers and says it is unsynchronised is that, not a
 * source still filling its filter: it will not give a sample until it is
 * synchronised, and the first clock update must not wait for it
 * (ntp_system_quorum()).
 */
static enum ntp_reject ntp_sel_fit(const struct ntp_cand *c, u64 maxdist_ns)
{
	bool unsync = c->leap == NTP_LEAP_NOSYNC || c->stratum >= NTP_MAXSTRAT;

	if (!c->has_sample)
		return c->reach && unsync ? NTP_REJ_UNSYNC : NTP_REJ_NOSAMPLE;
	if (!(c->reach & NTP_FIT_REACH_MASK))
		return NTP_REJ_UNREACH;
	if (unsync)
		return NTP_REJ_UNSYNC;
	if (c->root_dist_ns > maxdist_ns)
		return NTP_REJ_DISTANCE;
	if (c->loop)
		return NTP_REJ_LOOP;
	return NTP_REJ_NONE;
}

/* A.5.5.4 merit metric: stratum * MAXDIST + lambda, ns. */
static u64 ntp_sel_metric(const struct ntp_cand *c)
{
	return ntp_sel_add_sat((u64)c->stratum * NTP_MAXDIST_NS,
			       c->root_dist_ns);
}

/* Does candidate a come strictly before b in metric order? */
static bool ntp_sel_before(const struct ntp_cand *c, int a, int b)
{
	u64 ma = ntp_sel_metric(&c[a]), mb = ntp_sel_metric(&c[b]);

	if (ma != mb)
		return ma < mb;
	if (c[a].id != c[b].id)
		return c[a].id < c[b].id;
	return a < b;
}

/* Lower and upper endpoints of the correctness interval, theta -+ lambda. */
static s64 ntp_sel_lower(const struct ntp_cand *c)
{
	return ntp_sel_s64_sub_sat(c->offset_ns, c->root_dist_ns);
}

static s64 ntp_sel_upper(const struct ntp_cand *c)
{
	return ntp_sel_s64_add_sat(c->offset_ns, c->root_dist_ns);
}

/*
 * Intervals that hold the point e, counted from below (lower endpoints up to
 * and including e, less upper endpoints below e) or from above.
 */
static int ntp_sel_chime(const struct ntp_cand *c, int n, s64 e, bool up)
{
	int i, chime = 0;

	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE)
			continue;
		if (up)
			chime += (ntp_sel_lower(&c[i]) <= e) -
				 (ntp_sel_upper(&c[i]) < e);
		else
			chime += (ntp_sel_upper(&c[i]) >= e) -
				 (ntp_sel_lower(&c[i]) > e);
	}
	return chime;
}

/*
 * A.5.5.1: the smallest intersection holding at least m - allow intervals and
 * the midpoints of all but allow of the m candidates, for the smallest allow
 * with 2 * allow < m. False when there is none: no majority.
 */
static bool ntp_sel_intersect(const struct ntp_cand *c, int n, int m,
			      s64 *low, s64 *high)
{
	int allow, found, i;

	for (allow = 0; 2 * allow < m; allow++) {
		bool have_lo = false, have_hi = false;
		s64 lo = 0, hi = 0, e;

		for (i = 0; i < n; i++) {
			if (c[i].tally != NTP_TALLY_CANDIDATE)
				continue;
			e = ntp_sel_lower(&c[i]);
			if ((!have_lo || e < lo) &&
			    ntp_sel_chime(c, n, e, true) >= m - allow) {
				lo = e;
				have_lo = true;
			}
			e = ntp_sel_upper(&c[i]);
			if ((!have_hi || e > hi) &&
			    ntp_sel_chime(c, n, e, false) >= m - allow) {
				hi = e;
				have_hi = true;
			}
		}
		if (!have_lo || !have_hi)
			continue;

		found = 0;	/* midpoints outside [lo, hi] */
		for (i = 0; i < n; i++)
			if (c[i].tally == NTP_TALLY_CANDIDATE &&
			    (c[i].offset_ns < lo || c[i].offset_ns > hi))
				found++;
		if (found > allow)
			continue;
		if (hi > lo) {
			*low = lo;
			*high = hi;
			return true;
		}
	}
	return false;
}

/*
 * Selection jitter of survivor i (sec. 11.2.2): the RMS of its offset
 * differences to the other nsurv - 1 survivors, each shifted right by shift
 * bits first so that the sum cannot overflow.
 */
static u64 ntp_sel_jitter(const struct ntp_cand *c, int n, int i, int nsurv,
			  int shift)
{
	u64 sum = 0, d;
	int j;

	for (j = 0; j < n; j++) {
		if (j == i || c[j].tally != NTP_TALLY_CANDIDATE)
			continue;
		d = ntp_sel_abs_diff(c[i].offset_ns, c[j].offset_ns) >> shift;
		sum += d * d;
	}
	return (u64)ntp_sqrt_u64(div_u64(sum, nsurv - 1)) << shift;
}

/*
 * A.5.5.4 cluster algorithm: while more than NTP_NMIN survive, discard the
 * survivor with the largest selection jitter if that exceeds the smallest
 * peer jitter. Return: the survivors left.
 */
static int ntp_sel_cluster(struct ntp_cand *c, int n, int nsurv)
{
	while (nsurv > NTP_NMIN) {
		s64 omin = S64_MAX, omax = S64_MIN;
		u64 min_jit = U64_MAX, max_sel = 0, sel;
		int bits = 31, shift = 0, qmax = -1, i;

		for (i = 0; i < n; i++) {
			if (c[i].tally != NTP_TALLY_CANDIDATE)
				continue;
			if (c[i].offset_ns < omin)
				omin = c[i].offset_ns;
			if (c[i].offset_ns > omax)
				omax = c[i].offset_ns;
		}
		/* nsurv - 1 squares below 2^(2 * bits) sum below 2^63 */
		while (bits > 1 && ((u64)nsurv >> (63 - 2 * bits)))
			bits--;
		while (ntp_sel_abs_diff(omax, omin) >> shift >> bits)
			shift++;

		for (i = 0; i < n; i++) {
			if (c[i].tally != NTP_TALLY_CANDIDATE)
				continue;
			if (c[i].jitter_ns < min_jit)
				min_jit = c[i].jitter_ns;
			sel = ntp_sel_jitter(c, n, i, nsurv, shift);
			if (qmax < 0 || sel > max_sel ||
			    (sel == max_sel && ntp_sel_before(c, qmax, i))) {
				max_sel = sel;
				qmax = i;
			}
		}
		if (max_sel <= min_jit)
			break;
		c[qmax].tally = NTP_TALLY_OUTLIER;
		nsurv--;
	}
	return nsurv;
}

/*
 * The system peer among the survivors: a prefer peer, else the previous
 * system peer if its metric is within the anti-clockhop margin of the best,
 * else the best.
 */
static int ntp_sel_sys_peer(const struct ntp_cand *c, int n, u32 prev_id,
			    int poll_log2)
{
	int best = -1, pref = -1, prev = -1, i;

	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE)
			continue;
		if (best < 0 || ntp_sel_before(c, i, best))
			best = i;
		if (c[i].prefer && (pref < 0 || ntp_sel_before(c, i, pref)))
			pref = i;
		if (prev_id && c[i].id == prev_id && prev < 0)
			prev = i;
	}
	if (pref >= 0)
		return pref;
	if (prev >= 0 &&
	    ntp_sel_metric(&c[prev]) <=
	    ntp_sel_add_sat(ntp_sel_metric(&c[best]),
			    ntp_sel_hop_margin(poll_log2)))
		return prev;
	return best;
}

/* Survivors other than the system peer past NTP_NMAX_COMBINE - 1 are backups. */
static void ntp_sel_backup(struct ntp_cand *c, int n, int sys)
{
	int i, j, rank;

	for (i = 0; i < n; i++) {
		if (i == sys || c[i].tally != NTP_TALLY_CANDIDATE)
			continue;
		rank = 0;	/* others before i, backups already marked too */
		for (j = 0; j < n; j++)
			if (j != sys && j != i &&
			    (c[j].tally == NTP_TALLY_CANDIDATE ||
			     c[j].tally == NTP_TALLY_BACKUP) &&
			    ntp_sel_before(c, j, i))
				rank++;
		if (rank >= NTP_NMAX_COMBINE - 1)
			c[i].tally = NTP_TALLY_BACKUP;
	}
}

/* (a * frac) >> 32 for frac <= 2^32, without overflow. */
/* A survivor's weight in the combination: 1 / root distance, scaled. */
static u64 ntp_sel_weight(const struct ntp_cand *c)
{
	u64 w = div64_u64(BIT_ULL(NTP_SEL_WEIGHT_SHIFT), c->root_dist_ns);

	return w ?: 1;
}

static u64 ntp_sel_mul_frac32(u64 a, u64 frac)
{
	return (a >> 32) * frac + (((a & U32_MAX) * frac) >> 32);
}

/* sqrt(a^2 + b^2), saturated at U64_MAX. */
static u64 ntp_sel_hypot(u64 a, u64 b)
{
	u64 r;
	int shift = 0;

	while ((a >> shift) >> 31 || (b >> shift) >> 31)
		shift++;
	a >>= shift;
	b >>= shift;
	r = ntp_sqrt_u64(a * a + b * b);
	if (shift && r > U64_MAX >> shift)
		return U64_MAX;
	return r << shift;
}

/*
 * A.5.5.5 clock_combine(): offsets weighted by 1 / lambda, and the selection
 * jitter, an RMS of the offsets around the system peer's with the same
 * weights, combined with the system peer's jitter.
 */
static void ntp_sel_combine(const struct ntp_cand *c, int n, int sys,
			    struct ntp_select_result *res)
{
	s64 sys_ns = c[sys].offset_ns, wsum_d = 0;
	u64 range = 0, wsum = 0, ms = 0, w, d, mean;
	int shift = 0, i;

	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE &&
		    c[i].tally != NTP_TALLY_SYSPEER)
			continue;
		d = ntp_sel_abs_diff(c[i].offset_ns, sys_ns);
		if (d > range)
			range = d;
	}
	while (range >> shift >> NTP_SEL_DIFF_BITS)
		shift++;

	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE &&
		    c[i].tally != NTP_TALLY_SYSPEER)
			continue;
		w = ntp_sel_weight(&c[i]);
		d = ntp_sel_abs_diff(c[i].offset_ns, sys_ns) >> shift;
		wsum += w;
		if (c[i].offset_ns >= sys_ns)
			wsum_d += (s64)(w * d);
		else
			wsum_d -= (s64)(w * d);
	}

	/* weighted mean of the differences, rounded to nearest */
	if (wsum_d >= 0) {
		mean = div64_u64((u64)wsum_d + wsum / 2, wsum);
		res->offset_ns = ntp_sel_s64_add_sat(sys_ns, mean << shift);
	} else {
		mean = div64_u64((u64)-wsum_d + wsum / 2, wsum);
		res->offset_ns = ntp_sel_s64_sub_sat(sys_ns, mean << shift);
	}

	/* weighted mean square: weights as fractions of 2^32 */
	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE &&
		    c[i].tally != NTP_TALLY_SYSPEER)
			continue;
		w = ntp_sel_weight(&c[i]);
		d = ntp_sel_abs_diff(c[i].offset_ns, sys_ns) >> shift;
		ms += ntp_sel_mul_frac32(d * d, div64_u64(w << 32, wsum));
	}
	res->jitter_ns = ntp_sel_hypot((u64)ntp_sqrt_u64(ms) << shift,
				       c[sys].jitter_ns);

	if (c[sys].prefer)
		res->offset_ns = sys_ns;
}

/**
 * ntp_select() - fit test, selection, clustering and combining (sec. 11.2)
 * @c: the candidates, one per association; the caller fills the inputs
 *	(see struct ntp_cand), ntp_select() sets root_dist_ns, reject, tally
 * @n: number of candidates
 * @sys_poll: system poll exponent, log2 s: the distance threshold is
 *	MAXDIST + PHI * 2^@sys_poll
 * @prev_sys_peer_id: id of the current system peer, 0 if none: it stays the
 *	system peer while it survives and is not worse than the best survivor
 *	by more than the anti-clockhop margin
 * @res: the outcome
 *
 * Return: @res->sys_peer, the index of the system peer, or -1 if none.
 */
int ntp_select(struct ntp_cand *c, int n, s8 sys_poll, u32 prev_sys_peer_id,
	       struct ntp_select_result *res)
{
	u64 maxdist_ns = NTP_MAXDIST_NS + ntp_sel_phi_poll(sys_poll);
	int i, m = 0, ntrue = 0, sys;
	s64 low, high;

	memset(res, 0, sizeof(*res));
	res->sys_peer = -1;
	if (n <= 0)
		return -1;

	for (i = 0; i < n; i++) {
		c[i].root_dist_ns = ntp_root_dist(&c[i]);
		c[i].reject = ntp_sel_fit(&c[i], maxdist_ns);
		if (c[i].reject == NTP_REJ_NONE) {
			c[i].tally = NTP_TALLY_CANDIDATE;
			m++;
		} else {
			c[i].tally = NTP_TALLY_REJECT;
		}
	}
	if (!m)
		return -1;

	if (!ntp_sel_intersect(c, n, m, &low, &high)) {
		for (i = 0; i < n; i++)
			if (c[i].tally == NTP_TALLY_CANDIDATE)
				c[i].tally = NTP_TALLY_FALSETICKER;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (c[i].tally != NTP_TALLY_CANDIDATE)
			continue;
		if (ntp_sel_upper(&c[i]) < low || ntp_sel_lower(&c[i]) > high)
			c[i].tally = NTP_TALLY_FALSETICKER;
		else
			ntrue++;
	}
	if (ntrue < NTP_NSANE)
		return -1;

	res->survivors = ntp_sel_cluster(c, n, ntrue);
	sys = ntp_sel_sys_peer(c, n, prev_sys_peer_id, sys_poll);
	ntp_sel_backup(c, n, sys);
	c[sys].tally = NTP_TALLY_SYSPEER;
	ntp_sel_combine(c, n, sys, res);
	res->sys_peer = sys;
	return sys;
}

/**
 * ntp_refid_ipv6() - reference ID of an IPv6 system peer (sec. 7.3)
 * @addr: the peer's address, network order
 * @refid: the first four octets of the MD5 digest of @addr
 */
void ntp_refid_ipv6(const u8 addr[16], u8 refid[NTP_REFID_LEN])
{
	u8 digest[NTP_MD5_LEN];

	ntp_md5(addr, 16, digest);
	memcpy(refid, digest, NTP_REFID_LEN);
}
