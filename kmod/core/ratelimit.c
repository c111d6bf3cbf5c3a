// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: rate limiting of one source (see ratelimit.h).
 *
 * The bucket holds up to burst answers and gains one every period
 * (2^interval s); each answer within the limit takes one. Refills are
 * counted in whole periods from last_ns, and the remainder of a period is
 * kept (last_ns moves by whole periods) so that a source polling just
 * above the limit is not starved by rounding. From a full bucket at t0, a
 * source is answered within the limit at most burst + (t - t0) / period
 * times up to t: what the tests check.
 *
 * Times are monotonic ns (never the instance's clock, which may be
 * stepped); a time before last_ns refills nothing.
 */
#include "ratelimit.h"
#include "peer.h"

/**
 * ntp_rl_period_ns() - the refill period of an interval
 * @interval: log2 s, -19..12 (wider is clamped to 2^-30 .. 2^30 s)
 *
 * Return: 2^@interval s in ns, rounded down (2^-19 s is 1907 ns), at least 1.
 */
u64 ntp_rl_period_ns(s8 interval)
{
	u64 period_ns;

	if (interval >= 0)
		return (u64)NTP_NSEC_PER_SEC << min_t(int, interval, 30);
	period_ns = (u64)NTP_NSEC_PER_SEC >> min_t(int, -interval, 30);
	return period_ns ? period_ns : 1;
}

/**
 * ntp_rl_start() - a bucket for a source seen for the first time
 * @b: the record's bucket
 * @cfg: limits
 * @now_ns: monotonic ns
 *
 * Full: a new source gets its burst.
 */
void ntp_rl_start(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		  s64 now_ns)
{
	b->last_ns = now_ns;
	b->kod_ns = 0;
	b->tokens = cfg->burst;
}

/**
 * ntp_rl_refill() - add the answers gained since the last refill
 * @b: bucket
 * @cfg: limits
 * @now_ns: monotonic ns
 */
void ntp_rl_refill(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		   s64 now_ns)
{
	u64 period_ns = ntp_rl_period_ns(cfg->interval);
	u64 n;

	if (b->tokens >= cfg->burst) {
		/* Full: nothing to gain; idle time is not saved up. */
		b->tokens = cfg->burst;
		b->last_ns = max(b->last_ns, now_ns);
		return;
	}
	if (now_ns <= b->last_ns)
		return;
	n = div64_u64((u64)(now_ns - b->last_ns), period_ns);
	if (n >= (u64)(cfg->burst - b->tokens)) {
		b->tokens = cfg->burst;
		b->last_ns = now_ns;
		return;
	}
	b->tokens += (u16)n;
	b->last_ns += (s64)(n * period_ns);
}

/**
 * ntp_rl_active() - whether forgetting the source would lose anything
 * @b: bucket, refilled to @now_ns
 * @cfg: limits
 * @now_ns: monotonic ns
 *
 * Return: true while the bucket is not full again or a kiss is still
 * being held back: a fresh record would treat the source more kindly.
 */
bool ntp_rl_active(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		   s64 now_ns)
{
	ntp_rl_refill(b, cfg, now_ns);
	return b->tokens < cfg->burst || now_ns < b->kod_ns;
}

/**
 * ntp_rl_decide() - what to do with one request of a source
 * @b: its bucket
 * @cfg: limits
 * @now_ns: monotonic ns, when the request arrived
 * @rnd: a random number (the leak's draw)
 *
 * Return: enum ntp_rl_verdict; @b is updated.
 */
enum ntp_rl_verdict ntp_rl_decide(struct ntp_rl_bucket *b,
				  const struct ntp_rl_cfg *cfg, s64 now_ns,
				  u32 rnd)
{
	ntp_rl_refill(b, cfg, now_ns);
	if (b->tokens) {
		b->tokens--;
		return NTP_RL_ANSWER;
	}
	/* One in 2^leak: the low bits of a uniform draw are all zero. */
	if (cfg->leak && !(rnd & ((1U << cfg->leak) - 1)))
		return NTP_RL_LEAK;
	/* The kiss is limited too: one per period, or it would be a reply. */
	if (cfg->kod && now_ns >= b->kod_ns) {
		b->kod_ns = now_ns + (s64)ntp_rl_period_ns(cfg->interval);
		return NTP_RL_KISS;
	}
	return NTP_RL_DROP;
}

/**
 * ntp_rl_kiss() - turn an answer into a RATE kiss-o'-death
 * @r: the answer ntp_reply_build() made (origin: the request's transmit
 *	timestamp; mode 4 or 2)
 * @cfg: limits
 *
 * RFC 5905 sec. 7.4: leap 3 (unsynchronised), stratum 0, the kiss code in
 * the reference ID. The poll field says how often the source may ask.
 * No longer than the answer, and so never longer than the request.
 */
void ntp_rl_kiss(struct ntp_packet *r, const struct ntp_rl_cfg *cfg)
{
	ntp_reply_kiss(r, NTP_KISS_RATE);
	r->ref_ts = 0;
	r->poll = max(r->poll, cfg->interval);
}
