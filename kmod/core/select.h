/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the system process's choice of sources - the fit test,
 * selection by intersection, clustering and combining (RFC 5905 sec. 11.2,
 * Appendix A.5.5) - and reference IDs (sec. 7.3).
 */
#ifndef _KNTP_CORE_SELECT_H
#define _KNTP_CORE_SELECT_H

#include "ntp.h"

/* RFC 5905 A.1.1 parameters of the system process. */
#define NTP_NSANE		1	/* minimum intersection survivors */
#define NTP_NMIN		3	/* minimum cluster survivors */
#define NTP_NMAX_COMBINE	10	/* survivors combined at most (MAXCLOCK) */

/**
 * enum ntp_tally - what selection made of a candidate, as routers show it
 * @NTP_TALLY_REJECT: ' ' failed the fit test (see enum ntp_reject)
 * @NTP_TALLY_FALSETICKER: 'x' outside the intersection
 * @NTP_TALLY_OUTLIER: '-' discarded by the cluster algorithm
 * @NTP_TALLY_BACKUP: '#' survived, but beyond NTP_NMAX_COMBINE
 * @NTP_TALLY_CANDIDATE: '+' survived and combined
 * @NTP_TALLY_SYSPEER: '*' the system peer
 */
enum ntp_tally {
	NTP_TALLY_REJECT,
	NTP_TALLY_FALSETICKER,
	NTP_TALLY_OUTLIER,
	NTP_TALLY_BACKUP,
	NTP_TALLY_CANDIDATE,
	NTP_TALLY_SYSPEER,
};

/**
 * enum ntp_reject - why a candidate failed the fit test (A.5.5.3)
 * @NTP_REJ_NONE: it did not
 * @NTP_REJ_NOSAMPLE: no sample in the clock filter yet
 * @NTP_REJ_UNREACH: no answer to the last NTP_FIT_REACH_MASK polls
 * @NTP_REJ_UNSYNC: leap 3 or stratum 16
 * @NTP_REJ_DISTANCE: root distance above MAXDIST plus one poll of PHI
 * @NTP_REJ_LOOP: stratum > 1 and its reference ID is one of our addresses:
 *	it is synchronised to us
 */
enum ntp_reject {
	NTP_REJ_NONE,
	NTP_REJ_NOSAMPLE,
	NTP_REJ_UNREACH,
	NTP_REJ_UNSYNC,
	NTP_REJ_DISTANCE,
	NTP_REJ_LOOP,
};

/*
 * A.5.5.3 rejects a source only when its reach register is empty (8 polls).
 * We reject it when the last 3 polls went unanswered - the point where A.5.7
 * itself starts feeding the clock filter empty samples - so that a lost
 * source is given up within 3 polls and failover is prompt.
 */
#define NTP_FIT_REACH_MASK	0x07

/**
 * struct ntp_cand - one association as the system process sees it
 *
 * Filled by the caller:
 * @id: the caller's identifier (association id)
 * @offset_ns: peer offset theta from the clock filter
 * @delay_ns: peer delay delta
 * @disp_ns: peer dispersion epsilon, grown to now (ntp_filter_disp_now())
 * @jitter_ns: peer jitter psi
 * @root_delay_ns: root delay the source reported
 * @root_disp_ns: root dispersion the source reported
 * @stratum: stratum the source reported (16 unsynchronised)
 * @leap: leap indicator the source reported
 * @reach: reach register
 * @has_sample: the clock filter has a sample
 * @prefer: configured "prefer"
 * @loop: stratum > 1 and its reference ID is one of our addresses
 *
 * Set by ntp_select():
 * @root_dist_ns: root distance lambda (A.5.5.2)
 * @reject: enum ntp_reject
 * @tally: enum ntp_tally
 */
struct ntp_cand {
	u32 id;
	s64 offset_ns;
	s64 delay_ns;
	u64 disp_ns;
	u64 jitter_ns;
	u64 root_delay_ns;
	u64 root_disp_ns;
	u8 stratum;
	u8 leap;
	u8 reach;
	bool has_sample;
	bool prefer;
	bool loop;

	u64 root_dist_ns;
	u8 reject;
	u8 tally;
};

/**
 * struct ntp_select_result - what the system process should follow
 * @sys_peer: index into the candidates of the system peer, -1 if none
 * @offset_ns: combined offset of the survivors (A.5.5.5), or the prefer
 *	peer's offset when one survived
 * @jitter_ns: system jitter: the selection jitter of the survivors around
 *	the system peer combined with the system peer's jitter (A.5.5.5)
 * @survivors: candidates left after clustering
 */
struct ntp_select_result {
	int sys_peer;
	s64 offset_ns;
	u64 jitter_ns;
	int survivors;
};

u64 ntp_root_dist(const struct ntp_cand *c);
int ntp_select(struct ntp_cand *c, int n, s8 sys_poll, u32 prev_sys_peer_id,
	       struct ntp_select_result *res);
void ntp_refid_ipv6(const u8 addr[16], u8 refid[NTP_REFID_LEN]);

#endif /* _KNTP_CORE_SELECT_H */
