/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the system process (RFC 5905 sec. 11.2, A.5.5 clock_select()
 * and clock_update()) - from the associations' candidates to the system
 * peer, the system variables we serve, and the clock discipline's action.
 */
#ifndef _KNTP_CORE_SYSTEM_H
#define _KNTP_CORE_SYSTEM_H

#include "ntp.h"
#include "peer.h"
#include "select.h"
#include "discipline.h"
#include "leap.h"

/* Reference name of our own clock ("ntp master"), sec. 7.3. */
#define NTP_REFID_LOCL		"LOCL"
/* Kiss code while unsynchronised, sec. 7.4. */
#define NTP_REFID_INIT		"INIT"

/**
 * struct ntp_system - the system process of one instance
 * @v: the system variables, as served
 * @disc: the clock discipline
 * @master: stratum of our own clock as a reference ("ntp master"), 0 off
 * @sys_peer_id: candidate id of the system peer, 0 none
 * @peer_poll: poll exponent of the system peer, log2 s
 * @src_poll: the shortest poll exponent among the sources at the last run,
 *	log2 s; the discipline's while there are none
 * @sample_ns: p->t of the sample of the last clock update, Unix ns
 * @lost_ns: when selection last came up empty while synchronised; 0 not
 * @offset_ns: combined offset of the last selection, ns
 * @jitter_ns: system jitter of the last selection, ns
 * @first_fit_ns: when a source was first selectable, before the first
 *	clock update, Unix ns; 0 none
 * @leap_at_s: when the leap second served in @v ends (a UTC midnight,
 *	Unix s), 0 none
 * @obs_id: candidate id of the source observed before the first clock
 *	update (ntp_system_observe()), 0 none
 * @obs_ns: local time of its last sample observed, Unix ns
 * @result: enum ntp_disc_result of the last clock update
 * @synced: the system variables describe a synchronised clock
 */
struct ntp_system {
	struct ntp_sysvars v;
	struct ntp_disc disc;
	u8 master;
	u32 sys_peer_id;
	s8 peer_poll;
	s8 src_poll;
	s64 sample_ns;
	s64 lost_ns;
	s64 offset_ns;
	u64 jitter_ns;
	s64 first_fit_ns;
	s64 leap_at_s;
	u32 obs_id;
	s64 obs_ns;
	u8 result;
	bool synced;
};

/*
 * Before the first clock update, sources still filling their clock filter
 * get this many of the system peer's polls to join the vote (see
 * ntp_system_quorum()).
 */
#define NTP_QUORUM_WAIT_POLLS	16
/*
 * ... and the system peer's root distance must be below this: with the
 * clock filter nearly full (7 of 8 stages), intervals are narrow enough
 * for the intersection to tell a falseticker tens of ms off.
 */
#define NTP_QUORUM_DIST_NS	(NTP_MAXDIST_NS / 16)

/**
 * struct ntp_sys_extra - what the system needs of a candidate besides
 * struct ntp_cand (kept apart so that candidates stay one array)
 * @sample_ns: p->t of the candidate's last sample used, Unix ns
 * @newest_ns: local time of its newest valid sample, Unix ns; 0 none
 * @newest_offset_ns: that sample's offset, ns
 * @newest_delay_ns: its round-trip delay, ns
 * @newest_excess_ns: its delay less the lowest in the filter, ns (see
 *	ntp_filter_newest())
 * @obs_from_ns: its samples from this local time on may be observed before
 *	the first update, Unix ns (ntp_peer_obs_from())
 * @poll: the candidate's poll exponent, log2 s
 * @refid: the reference ID we serve when it is the system peer: its IPv4
 *	address, or the hash of its IPv6 address (ntp_refid_ipv6())
 */
struct ntp_sys_extra {
	s64 sample_ns;
	s64 newest_ns;
	s64 newest_offset_ns;
	s64 newest_delay_ns;
	s64 newest_excess_ns;
	s64 obs_from_ns;
	s8 poll;
	u8 refid[NTP_REFID_LEN];
};

void ntp_system_extra(const struct ntp_peer *p, struct ntp_sys_extra *x);
void ntp_system_default_cfg(struct ntp_disc_cfg *cfg);
void ntp_system_init(struct ntp_system *s, s8 precision,
		     const struct ntp_disc_cfg *cfg);
s8 ntp_system_poll(const struct ntp_system *s);
int ntp_system_run(struct ntp_system *s, struct ntp_cand *c,
		   const struct ntp_sys_extra *x, int n, s64 now_ns,
		   struct ntp_disc_action *act, s64 *corr_ns);
void ntp_system_set_master(struct ntp_system *s, u8 stratum, s64 now_ns);
void ntp_system_new_clock(struct ntp_system *s, s64 now_ns);
void ntp_system_clock_moved(struct ntp_system *s, s64 moved_ns);
void ntp_sysvars_now(const struct ntp_sysvars *v, s64 now_ns,
		     struct ntp_sysvars *out);

#endif /* _KNTP_CORE_SYSTEM_H */
