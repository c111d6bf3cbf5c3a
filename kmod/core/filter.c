// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: the RFC 5905 clock filter (sec. 10, Appendix A.5.2).
 *
 * Each new sample, or the empty sample of a missed poll (A.5.7), is shifted
 * into an NTP_NSTAGE register. The stages are ranked by delay, the lowest
 * delay sample gives the peer offset and delay, the ranked dispersions give
 * the peer dispersion and the offsets around the best one give the jitter.
 * A sample is used at most once, never after a newer one, and not when the
 * popcorn spike suppressor calls it a spike.
 *
 * Integers only: times are s64 Unix ns, durations u64/s64 ns, and every
 * quantity saturates at NTP_MAXDISP_NS instead of overflowing.
 *
 * Departures from the A.5.2 pseudo-code, each with its reason:
 * - Stages keep epsilon as measured and are aged by PHI * (now - t_i) at
 *   each update: A.5.2 adds PHI * (c.t - p->t) to every stage on every call,
 *   which counts the same seconds again on each call while no sample is used.
 * - Stages with dispersion >= MAXDISP rank last whatever their delay (as
 *   ntpd): A.5.2's missed-poll sample has delay 0 and would rank first. Equal
 *   delays rank the newer sample first (stable sort, stage[0] is newest).
 * - Jitter is the RMS over the valid stages of (theta_j - theta_0), divided
 *   by n - 1 as in sec. 10.3 and ntpd: A.5.2's code sums all eight stages,
 *   valid or not, and never divides.
 * - The jitter floor is the precision the caller gives (local plus peer),
 *   not the local precision alone: neither clock reads finer than its own.
 * - Peer offset, delay and t change only when a sample is used, so they
 *   always describe one sample: A.5.2 overwrites p->offset and p->delay even
 *   with an old sample or a spike. Dispersion and jitter are recomputed on
 *   every call, as in A.5.2.
 * - The spike gate compares the offset step with the jitter from before this
 *   sample: the jitter recomputed around the candidate already holds the
 *   candidate's own step, which then can never exceed SGATE times it.
 * - The spike gate is armed only once a sample was used and while the peer
 *   dispersion is below MAXDIST (as ntpd): else the first samples after a
 *   reset would be judged against a jitter that is only the precision floor.
 * - The spike window is NTP_SGATE_POLLS * 2^poll_log2 s: A.5.2 writes
 *   2 * s.poll with the log2 value (ntpd uses 2^hpoll); the caller passes
 *   the poll exponent it wants (host poll as ntpd, system poll as A.5.2).
 * - No "s.leap != NOSYNC" exception to the use-once rule: the filter does not
 *   know the system leap; the caller may run selection anyway while unsynced.
 * - The return value tells the caller to run the system process; A.5.2 calls
 *   clock_select() itself and skips it during a burst, the caller's business.
 * - Delay and epsilon are floored at the precision (the A.5.1.1 packet()
 *   clamp, repeated here so every caller gets it) and capped at MAXDISP;
 *   time running backwards ages nothing.
 */
#include "discipline.h"	/* ntp_ppb_scale() */
#include "filter.h"

/*
 * Jitter sums NTP_NSTAGE - 1 squared offset differences in u64: the
 * differences are shifted right until the largest is below
 * 2^NTP_JITTER_TERM_BITS ns, so that 7 * 2^60 < 2^64 (granularity 2^shift ns,
 * only when a difference is a second or more).
 */
#define NTP_JITTER_TERM_BITS	30

/* Below 2^-30 s a poll interval is under 1 ns (10^9 < 2^30). */
#define NTP_POLL_LOG2_NS_MIN	(-30)

/**
 * ntp_sqrt_u64() - integer square root, rounded down
 * @x: radicand
 *
 * Digit-by-digit (base 4) method: exact for perfect squares, floor otherwise,
 * for every u64 (the root of U64_MAX is 2^32 - 1, so it fits in u32).
 *
 * Return: floor(sqrt(@x)).
 */
u32 ntp_sqrt_u64(u64 x)
{
	u64 rem = x;
	u64 root = 0;
	u64 bit = 1ULL << 62;	/* highest power of 4 in a u64 */

	while (bit > rem)
		bit >>= 2;
	while (bit) {
		if (rem >= root + bit) {
			rem -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return (u32)root;
}

/**
 * ntp_disp_grow() - a dispersion grown by PHI from one time to another
 * @disp_ns: dispersion at @from_ns, ns
 * @from_ns: local time @disp_ns refers to, Unix ns
 * @to_ns: local time wanted, Unix ns
 *
 * Dispersion grows by NTP_PHI_PPB (15 us) per second (sec. 10). When @to_ns
 * is not after @from_ns nothing is added.
 *
 * Return: @disp_ns + PHI * (@to_ns - @from_ns), at most NTP_MAXDISP_NS.
 */
u64 ntp_disp_grow(u64 disp_ns, s64 from_ns, s64 to_ns)
{
	u64 age_ns, grow_ns;

	if (disp_ns >= (u64)NTP_MAXDISP_NS)
		return NTP_MAXDISP_NS;
	if (to_ns <= from_ns)
		return disp_ns;
	age_ns = (u64)to_ns - (u64)from_ns;	/* exact: to_ns > from_ns */
	/* past this age (12 days) PHI * age exceeds MAXDISP anyway */
	if (age_ns > U64_MAX / NTP_PHI_PPB)
		return NTP_MAXDISP_NS;
	grow_ns = div_u64(age_ns * NTP_PHI_PPB, NTP_NSEC_PER_SEC);
	if (grow_ns >= (u64)NTP_MAXDISP_NS - disp_ns)
		return NTP_MAXDISP_NS;
	return disp_ns + grow_ns;
}

/**
 * ntp_filter_stage_disp() - dispersion of one stage, aged to a given time
 * @s: the stage
 * @now_ns: local time, Unix ns
 *
 * Return: epsilon of @s plus PHI times its age, at most NTP_MAXDISP_NS.
 */
u64 ntp_filter_stage_disp(const struct ntp_filter_stage *s, s64 now_ns)
{
	return ntp_disp_grow(s->disp_ns, s->t_ns, now_ns);
}

/**
 * ntp_filter_disp_now() - peer dispersion grown to a given time
 * @f: the filter
 * @now_ns: local time, Unix ns
 *
 * For show commands and the root distance (A.5.5.2). The growth counts from
 * @f->update_ns, when @f->disp_ns was computed from stages already aged to
 * that time; A.5.5.2 adds PHI * (c.t - p->t), which counts the time between
 * p->t and the last update twice.
 *
 * Return: @f->disp_ns + PHI * (@now_ns - @f->update_ns), at most
 * NTP_MAXDISP_NS.
 */
u64 ntp_filter_disp_now(const struct ntp_filter *f, s64 now_ns)
{
	return ntp_disp_grow(f->disp_ns, f->update_ns, now_ns);
}

/* |a - b| without overflow: the difference of two s64 always fits a u64. */
static u64 ntp_abs_diff(s64 a, s64 b)
{
	return a >= b ? (u64)a - (u64)b : (u64)b - (u64)a;
}

/* a - b, saturated to the s64 range. */
static s64 ntp_sat_sub(s64 a, s64 b)
{
	if (b > 0 && a < S64_MIN + b)
		return S64_MIN;
	if (b < 0 && a > S64_MAX + b)
		return S64_MAX;
	return a - b;
}

/* a + b, saturated to the s64 range. */
static s64 ntp_sat_add(s64 a, s64 b)
{
	if (b > 0 && a > S64_MAX - b)
		return S64_MAX;
	if (b < 0 && a < S64_MIN - b)
		return S64_MIN;
	return a + b;
}

/* A poll interval of 2^poll_log2 s in ns, poll_log2 capped at NTP_MAXPOLL. */
static u64 ntp_poll_ns(int poll_log2)
{
	if (poll_log2 > NTP_MAXPOLL)
		poll_log2 = NTP_MAXPOLL;
	if (poll_log2 >= 0)
		return (u64)NTP_NSEC_PER_SEC << poll_log2;
	if (poll_log2 <= NTP_POLL_LOG2_NS_MIN)
		return 1;
	return (u64)NTP_NSEC_PER_SEC >> -poll_log2;
}

/**
 * ntp_filter_reset() - empty a clock filter (sec. 10.1, A.5.5.1 clear())
 * @f: the filter
 * @now_ns: local time, Unix ns
 *
 * Every stage becomes (offset 0, delay MAXDISP, dispersion MAXDISP, @now_ns)
 * as in sec. 10.1; the peer variables are zero but for the dispersion, which
 * is MAXDISP as in clear(). The jitter is 0 until the first sample brings a
 * precision to floor it with.
 */
void ntp_filter_reset(struct ntp_filter *f, s64 now_ns)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < NTP_NSTAGE; i++) {
		f->stage[i].delay_ns = NTP_MAXDISP_NS;
		f->stage[i].disp_ns = NTP_MAXDISP_NS;
		f->stage[i].t_ns = now_ns;
		f->order[i] = i;
	}
	f->disp_ns = NTP_MAXDISP_NS;
	f->update_ns = now_ns;
}

/**
 * ntp_filter_measured() - the peer offset as it was measured
 * @f: the filter, with a sample used
 *
 * Return: @f->offset_ns plus the corrections of our clock since, ns: what
 * the remote clock minus ours was when the sample was taken.
 */
s64 ntp_filter_measured(const struct ntp_filter *f)
{
	return ntp_sat_add(f->offset_ns, f->corr_ns);
}

/**
 * ntp_filter_newest() - the newest sample still valid
 * @f: the filter
 * @offset_ns: its offset, ns
 * @delay_ns: its round-trip delay, ns
 * @excess_ns: how much longer its delay was than the lowest of the valid
 *	stages (as ranked at the last update), ns, >= 0: the queueing it met
 *	beyond the best of them, half of which its offset may carry (all of
 *	it on one leg)
 *
 * Return: its local time, Unix ns; 0 when no stage is valid.
 */
s64 ntp_filter_newest(const struct ntp_filter *f, s64 *offset_ns,
		      s64 *delay_ns, s64 *excess_ns)
{
	s64 least_ns;
	int i;

	for (i = 0; i < NTP_NSTAGE; i++)
		if (f->stage[i].disp_ns < (u64)NTP_MAXDISP_NS &&
		    f->stage[i].delay_ns < NTP_MAXDISP_NS) {
			*offset_ns = f->stage[i].offset_ns;
			*delay_ns = f->stage[i].delay_ns;
			least_ns = f->nvalid ? f->stage[f->order[0]].delay_ns :
					       f->stage[i].delay_ns;
			*excess_ns = max_t(s64, f->stage[i].delay_ns - least_ns,
					   0);
			return f->stage[i].t_ns;
		}
	return 0;
}

/* Does stage a rank strictly before stage b? disp_ns[] is aged to now. */
static bool ntp_filter_before(const struct ntp_filter *f, const u64 *disp_ns,
			      int a, int b)
{
	if (disp_ns[a] >= (u64)NTP_MAXDISP_NS)
		return false;
	if (disp_ns[b] >= (u64)NTP_MAXDISP_NS)
		return true;
	return f->stage[a].delay_ns < f->stage[b].delay_ns;
}

/*
 * Jitter (sec. 10.3) of the n valid ranked stages: RMS of the offsets'
 * differences to the best one, floored at the precision, capped at MAXDISP.
 */
static u64 ntp_filter_jitter(const struct ntp_filter *f, int n)
{
	s64 best_ns = f->stage[f->order[0]].offset_ns;
	u64 diff_ns[NTP_NSTAGE] = { 0 };
	u64 max_ns = 0, sum = 0, jitter_ns = 0;
	int i, shift = 0;

	for (i = 1; i < n; i++) {
		diff_ns[i] = ntp_abs_diff(f->stage[f->order[i]].offset_ns,
					  best_ns);
		if (diff_ns[i] > max_ns)
			max_ns = diff_ns[i];
	}
	while ((max_ns >> shift) >= (1ULL << NTP_JITTER_TERM_BITS))
		shift++;
	for (i = 1; i < n; i++)
		sum += (diff_ns[i] >> shift) * (diff_ns[i] >> shift);
	if (n > 1)
		jitter_ns = (u64)ntp_sqrt_u64(div_u64(sum, n - 1)) << shift;
	if (jitter_ns > (u64)NTP_MAXDISP_NS)
		jitter_ns = NTP_MAXDISP_NS;
	if (jitter_ns < f->precision_ns)
		jitter_ns = f->precision_ns;
	return jitter_ns;
}

/*
 * Move one offset measured at @t_ns, and the corrections @corr_ns it is net
 * of, for a correction of @by_ns and a change of frequency by @df_ppb at
 * @now_ns (see ntp_filter_compensate()).
 */
static void ntp_filter_move(s64 *offset_ns, s64 *corr_ns, s64 t_ns,
			    s64 by_ns, s64 df_ppb, s64 now_ns)
{
	s64 rebase_ns = ntp_ppb_scale(now_ns - t_ns, df_ppb);

	*offset_ns = ntp_sat_add(ntp_sat_sub(*offset_ns, by_ns), rebase_ns);
	*corr_ns = ntp_sat_sub(ntp_sat_add(*corr_ns, by_ns), rebase_ns);
}

/**
 * ntp_filter_compensate() - the clock was corrected: move every sample
 * @f: the filter
 * @corr_ns: the correction committed to the clock (added to it), ns
 * @df_ppb: the change of its frequency, ppb, made at @now_ns
 *	(ntp_disc_action.df_ppb); |@df_ppb| <= 2 NTP_MAXFREQ_PPB
 * @now_ns: local time, Unix ns
 *
 * A sample measured the remote clock minus ours; once our clock has been
 * moved by @corr_ns the same measurement reads @corr_ns less. And had the
 * new frequency been in use all along, a sample an age ago would have read
 * @df_ppb times that age more: the discipline rebases its points so, and
 * the samples here follow, or the best of them would hand out, for eight
 * polls, the drift of a frequency the discipline has since corrected (an
 * acquisition's first frequency 30 ppm off: 4 ms at the two minutes a
 * burst's sample stays the best one). Keeping the samples current this
 * way (as chrony does) lets the filter go on picking its best sample
 * without handing out offsets a correction already acted on. The ranking
 * and the dispersion do not change; the jitter is computed afresh from the
 * moved offsets. @offset_ns + @corr_ns of a stage stays the offset as
 * measured.
 */
void ntp_filter_compensate(struct ntp_filter *f, s64 corr_ns, s64 df_ppb,
			   s64 now_ns)
{
	struct ntp_filter_stage *st;
	int i;

	for (i = 0; i < NTP_NSTAGE; i++) {
		st = &f->stage[i];
		ntp_filter_move(&st->offset_ns, &st->corr_ns, st->t_ns,
				corr_ns, df_ppb, now_ns);
	}
	if (f->used)
		ntp_filter_move(&f->offset_ns, &f->corr_ns, f->t_ns,
				corr_ns, df_ppb, now_ns);
	if (df_ppb && f->nvalid)
		f->jitter_ns = ntp_filter_jitter(f, f->nvalid);
}

/*
 * Popcorn spike suppressor (A.5.2): the best sample, newer than the last one
 * used, steps the offset by more than SGATE times the jitter from before it,
 * less than NTP_SGATE_POLLS poll intervals after the last sample used.
 */
static bool ntp_filter_spike(const struct ntp_filter *f,
			     const struct ntp_filter_stage *best,
			     u64 jitter_ns, int poll_log2)
{
	u64 step_ns, since_ns;

	if (!f->used || f->disp_ns >= (u64)NTP_SGATE_MAXDISP_NS)
		return false;
	step_ns = ntp_abs_diff(best->offset_ns, f->offset_ns);
	if (step_ns <= NTP_SGATE * jitter_ns)
		return false;
	since_ns = (u64)best->t_ns - (u64)f->t_ns;	/* best is newer */
	return since_ns < NTP_SGATE_POLLS * ntp_poll_ns(poll_log2);
}

/* Rank the stages, recompute the peer variables; true if a sample was used. */
static bool ntp_filter_update(struct ntp_filter *f, s64 now_ns, int poll_log2)
{
	u64 disp_ns[NTP_NSTAGE];	/* stage i's dispersion at now_ns */
	u64 jitter_prev_ns = f->jitter_ns;
	const struct ntp_filter_stage *best;
	u64 sum_ns = 0;
	int i, j, n = 0;

	for (i = 0; i < NTP_NSTAGE; i++)
		disp_ns[i] = ntp_filter_stage_disp(&f->stage[i], now_ns);

	/* Stable insertion sort of the stage indices (sec. 10.2). */
	for (i = 0; i < NTP_NSTAGE; i++) {
		for (j = i; j > 0 &&
		     ntp_filter_before(f, disp_ns, i, f->order[j - 1]); j--)
			f->order[j] = f->order[j - 1];
		f->order[j] = i;
	}

	/* Peer dispersion, sec. 10.2: sum of epsilon_i / 2^(i + 1). */
	for (i = 0; i < NTP_NSTAGE; i++) {
		sum_ns += disp_ns[f->order[i]] >> (i + 1);
		if (disp_ns[f->order[i]] < (u64)NTP_MAXDISP_NS)
			n++;
	}
	f->disp_ns = sum_ns;
	f->nvalid = n;
	f->update_ns = now_ns;
	if (!n)
		return false;	/* only the dispersion changes */

	best = &f->stage[f->order[0]];
	f->jitter_ns = ntp_filter_jitter(f, n);

	/* Use a sample only once and never one older than the last used. */
	if (f->used && best->t_ns <= f->t_ns)
		return false;
	if (ntp_filter_spike(f, best, jitter_prev_ns, poll_log2)) {
		f->n_spike++;
		return false;
	}

	f->offset_ns = best->offset_ns;
	f->corr_ns = best->corr_ns;
	f->delay_ns = best->delay_ns;
	f->t_ns = best->t_ns;
	f->used = true;
	return true;
}

/* Shift a stage in at stage[0], dropping the oldest. */
static void ntp_filter_shift(struct ntp_filter *f,
			     const struct ntp_filter_stage *s)
{
	int i;

	for (i = NTP_NSTAGE - 1; i > 0; i--)
		f->stage[i] = f->stage[i - 1];
	f->stage[0] = *s;
}

/**
 * ntp_filter_add() - run the clock filter on a new sample (A.5.2)
 * @f: the filter
 * @offset_ns: clock offset theta of the sample, net of @corr_ns, ns
 * @corr_ns: the correction of our clock still to be applied when it was
 *	measured (the rest of a slew), ns; 0 none
 * @delay_ns: round-trip delay delta of the sample, ns; floored at
 *	@precision_ns
 * @disp_ns: dispersion epsilon of the sample, ns; floored at @precision_ns,
 *	capped at NTP_MAXDISP_NS
 * @now_ns: local time of the sample, Unix ns
 * @precision_ns: local plus peer precision, ns: floor of delay, dispersion
 *	and jitter
 * @poll_log2: poll exponent, log2 s: the spike suppressor's window is
 *	NTP_SGATE_POLLS such intervals
 *
 * Return: true when a sample newer than the last one used was picked and
 * passed the spike suppressor: the peer offset, delay and t now describe it
 * and the system process should run. False otherwise; the dispersion and
 * jitter are updated either way.
 */
bool ntp_filter_add(struct ntp_filter *f, s64 offset_ns, s64 corr_ns,
		    s64 delay_ns, u64 disp_ns, s64 now_ns, u64 precision_ns,
		    int poll_log2)
{
	struct ntp_filter_stage s;

	if (precision_ns > (u64)NTP_MAXDISP_NS)
		precision_ns = NTP_MAXDISP_NS;
	if (disp_ns < precision_ns)
		disp_ns = precision_ns;
	if (disp_ns > (u64)NTP_MAXDISP_NS)
		disp_ns = NTP_MAXDISP_NS;
	if (delay_ns < (s64)precision_ns)
		delay_ns = precision_ns;
	f->precision_ns = precision_ns;

	s.offset_ns = offset_ns;
	s.corr_ns = corr_ns;
	s.delay_ns = delay_ns;
	s.disp_ns = disp_ns;
	s.t_ns = now_ns;
	ntp_filter_shift(f, &s);
	return ntp_filter_update(f, now_ns, poll_log2);
}

/**
 * ntp_filter_add_missed() - shift in the empty sample of a missed poll
 * @f: the filter
 * @now_ns: local time of the poll, Unix ns
 * @poll_log2: poll exponent, log2 s, as for ntp_filter_add()
 *
 * A.5.7 poll(): a poll with no answer feeds clock_filter(p, 0, 0, MAXDISP).
 * The empty stage (offset 0, delay and dispersion MAXDISP) ranks last and
 * raises the peer dispersion.
 *
 * Return: as ntp_filter_add(); true only if a stage not yet used (one the
 * spike suppressor refused before) now qualifies.
 */
bool ntp_filter_add_missed(struct ntp_filter *f, s64 now_ns, int poll_log2)
{
	struct ntp_filter_stage s = {
		.offset_ns = 0,
		.delay_ns = NTP_MAXDISP_NS,
		.disp_ns = NTP_MAXDISP_NS,
		.t_ns = now_ns,
	};

	ntp_filter_shift(f, &s);
	return ntp_filter_update(f, now_ns, poll_log2);
}
