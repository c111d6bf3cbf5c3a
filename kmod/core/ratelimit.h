/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the decision of rate limiting for one source - a token bucket
 * in integers, the random leak, and the RATE kiss-o'-death that may take
 * the place of silence. The table that holds a bucket per source is the
 * kernel's (kmod/ratelimit.c); this is only arithmetic on one record.
 */
#ifndef _KNTP_CORE_RATELIMIT_H
#define _KNTP_CORE_RATELIMIT_H

#include "ntp.h"

/**
 * struct ntp_rl_cfg - the limits (enum kntp_a_ratelimit)
 * @interval: log2 s: a bucket gains one answer per 2^@interval s
 * @burst: answers a bucket holds at most, 1..255
 * @leak: log2: one in 2^@leak requests over the limit is answered anyway,
 *	0 none
 * @kod: answer over the limit with a RATE kiss rather than silence
 */
struct ntp_rl_cfg {
	s8 interval;
	u16 burst;
	u8 leak;
	bool kod;
};

/**
 * struct ntp_rl_bucket - the state of one source
 * @last_ns: monotonic ns up to which refills are counted in @tokens
 * @kod_ns: monotonic ns before which no kiss is sent; 0 none sent yet
 * @tokens: answers the source may still have now, 0..burst
 */
struct ntp_rl_bucket {
	s64 last_ns;
	s64 kod_ns;
	u16 tokens;
};

/* What to do with one request. */
enum ntp_rl_verdict {
	NTP_RL_ANSWER,		/* within the limit: answer */
	NTP_RL_LEAK,		/* over it, picked by the leak: answer */
	NTP_RL_KISS,		/* over it: a RATE kiss instead */
	NTP_RL_DROP,		/* over it: no answer */
};

u64 ntp_rl_period_ns(s8 interval);
void ntp_rl_start(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		  s64 now_ns);
void ntp_rl_refill(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		   s64 now_ns);
bool ntp_rl_active(struct ntp_rl_bucket *b, const struct ntp_rl_cfg *cfg,
		   s64 now_ns);
enum ntp_rl_verdict ntp_rl_decide(struct ntp_rl_bucket *b,
				  const struct ntp_rl_cfg *cfg, s64 now_ns,
				  u32 rnd);
void ntp_rl_kiss(struct ntp_packet *r, const struct ntp_rl_cfg *cfg);

#endif /* _KNTP_CORE_RATELIMIT_H */
