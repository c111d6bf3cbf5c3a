/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: one association's protocol state - the peer process (RFC 5905
 * sec. 9 and Appendix A.5.1) and the poll process (sec. 13, A.5.7) - with
 * no sockets, timers or locks: the kernel and the simulator supply those.
 */
#ifndef _KNTP_CORE_PEER_H
#define _KNTP_CORE_PEER_H

#include "ntp.h"
#include "filter.h"
#include "packet.h"
#include "select.h"

/**
 * struct ntp_slew - the clock correction in progress
 * @start_ns: local time it began, Unix ns
 * @amount_ns: phase it moves the clock by, ns
 * @dur_ns: over this long; 0 when there is none
 */
struct ntp_slew {
	s64 start_ns;
	s64 amount_ns;
	s64 dur_ns;
};

s64 ntp_slew_remaining(const struct ntp_slew *sl, s64 t_ns);

/**
 * struct ntp_sysvars - the system variables every packet we send carries
 * (sec. 11.2, A.1.2), and the correction in progress
 * @slew: the clock correction in progress (not on the wire): samples taken
 *	while it runs are stored net of what is left of it
 * @corr_sum_ns: every correction of our clock committed so far (steps and
 *	slews, as ntp_system_run() reports them), summed, ns (not on the
 *	wire): an interleaved sample is the exchange before, a poll old, and
 *	is stored net of what was committed since (struct ntp_xl_exchange)
 * @leap: leap indicator; NTP_LEAP_NOSYNC while unsynchronised
 * @stratum: 1..15, or NTP_MAXSTRAT unsynchronised
 * @precision: log2 s
 * @poll: system poll exponent, log2 s
 * @refid: reference ID, wire order
 * @reftime_ns: local time of the last clock update, Unix ns; 0 never
 * @root_delay_ns: round-trip delay to the primary reference, ns
 * @root_disp_ns: dispersion to the primary reference at @reftime_ns, ns
 */
struct ntp_sysvars {
	u8 leap;
	u8 stratum;
	s8 precision;
	s8 poll;
	u8 refid[NTP_REFID_LEN];
	s64 reftime_ns;
	u64 root_delay_ns;
	u64 root_disp_ns;
	struct ntp_slew slew;
	s64 corr_sum_ns;
};

/**
 * struct ntp_reply_head - what every answer takes from our clock, made
 * ready for the wire once per update of the system variables rather than
 * once per answer (ntp_reply_head_make())
 * @leap: leap indicator
 * @stratum: as on the wire: 0 while unsynchronised (sec. 7.3)
 * @precision: log2 s
 * @ref_now: our own clock is the reference (LOCL): the reference time
 *	is the answer's receive time
 * @grows: the root dispersion grows by PHI from @reftime_ns (A.5.5.7);
 *	else @root_disp is the one to send
 * @refid: reference ID, wire order
 * @root_delay: NTP short format
 * @root_disp: NTP short format, when it does not grow
 * @ref_ts: reference timestamp, NTP format; 0 never set
 * @reftime_ns: local time of the last clock update, Unix ns
 * @root_disp_ns: root dispersion at @reftime_ns, ns
 */
struct ntp_reply_head {
	u8 leap;
	u8 stratum;
	s8 precision;
	bool ref_now;
	bool grows;
	u8 refid[NTP_REFID_LEN];
	u32 root_delay;
	u32 root_disp;
	u64 ref_ts;
	s64 reftime_ns;
	u64 root_disp_ns;
};

/* Conditions of an association (struct ntp_peer.state). */
#define NTP_PEER_DENIED		BIT_ULL(0)	/* DENY/RSTR kiss: stopped */
#define NTP_PEER_RATE		BIT_ULL(1)	/* last packet was a RATE kiss */
/* Interleaved mode: the remote side answers in basic mode only. */
#define NTP_PEER_XLEAVE_BASIC	BIT_ULL(2)
/* Basic mode: the remote side sends interleaved packets. */
#define NTP_PEER_XLEAVE_PEER	BIT_ULL(3)

/* Basic answers in a row to packets in interleaved form: one-sided. */
#define NTP_XL_ONE_SIDED	4
/* One-sided, one packet in so many is in interleaved form still. */
#define NTP_XL_PROBE		16
/* Valid packets without an interleaved one before that is forgotten. */
#define NTP_XL_QUIET		32

/**
 * struct ntp_peer - an association's protocol state (A.1.3 peer variables)
 * @hmode: what we send: NTP_MODE_CLIENT or NTP_MODE_ACTIVE
 * @version: NTP version we send
 * @minpoll: log2 s
 * @maxpoll: log2 s
 * @iburst: send a burst while unreachable
 * @prefer: prefer this source in selection
 * @xleave: interleaved mode (RFC 9769): a client asks for the transmit
 *	timestamp of the server's last answer, taken as that left
 * @running: the poll process runs: set by ntp_peer_clear(), cleared by a
 *	DENY kiss code (and by whoever stops the association)
 * @state: NTP_PEER_* flags
 * @leap: leap indicator the remote side reported
 * @stratum: stratum the remote side reported (0 on the wire -> 16)
 * @ppoll: poll exponent the remote side reported, log2 s
 * @precision: precision the remote side reported, log2 s
 * @root_delay_ns: root delay the remote side reported, ns
 * @root_disp_ns: root dispersion the remote side reported, ns
 * @refid: reference ID the remote side reported, wire order
 * @reftime: reference timestamp the remote side reported, NTP format
 * @x: timestamps of the exchange
 * @filter: clock filter
 * @reach: reach register, bit 0 the latest poll
 * @unreach: polls since the association was last reachable
 * @burst: packets left in the current burst
 * @hpoll: host poll exponent, log2 s
 * @poll: poll exponent in use, log2 s
 * @rx_ns: local time of the last packet that passed tests 1-3, Unix ns
 * @tally: enum ntp_tally of the last selection
 * @reject: enum ntp_reject of the last selection
 * @root_dist_ns: root distance of the last selection, ns
 * @pmode: mode of the remote side's last packet
 * @follow: symmetric mode, the remote side's stratum is above ours: we send
 *	right after its packets (ntp_peer_phase()), and our own poll falls
 *	back to 9/8 of the interval when one is late
 */
struct ntp_peer {
	u8 hmode;
	u8 version;
	s8 minpoll;
	s8 maxpoll;
	bool iburst;
	bool prefer;
	bool xleave;

	bool running;
	u32 state;
	u8 leap;
	u8 stratum;
	s8 ppoll;
	s8 precision;
	u64 root_delay_ns;
	u64 root_disp_ns;
	u8 refid[NTP_REFID_LEN];
	u64 reftime;
	struct ntp_exchange x;
	struct ntp_filter filter;
	u8 reach;
	u8 unreach;
	u8 burst;
	s8 hpoll;
	s8 poll;
	s64 rx_ns;
	u8 tally;
	u8 reject;
	u64 root_dist_ns;
	u8 pmode;
	bool follow;
};

void ntp_peer_clear(struct ntp_peer *p, s64 now_ns);
enum ntp_verdict ntp_peer_receive(struct ntp_peer *p,
				  const struct ntp_packet *r, s64 rx_ns,
				  s64 t1_ns, const struct ntp_sysvars *sys,
				  bool *update, bool *interleaved,
				  bool *stamped);
s64 ntp_peer_poll(struct ntp_peer *p, s64 now_ns, s8 sys_poll);
s64 ntp_peer_phase(struct ntp_peer *p, u8 sys_stratum, s64 rx_ns);
void ntp_peer_xmit(const struct ntp_peer *p, const struct ntp_sysvars *sys,
		   struct ntp_packet *pkt);
void ntp_peer_sent(struct ntp_peer *p, const struct ntp_packet *pkt,
		   u64 xmt_ts);
void ntp_sysvars_fill(const struct ntp_sysvars *sys, struct ntp_packet *pkt);
u64 ntp_root_disp_at(u64 root_disp_ns, s64 reftime_ns, s64 now_ns);
void ntp_reply_head_make(const struct ntp_sysvars *sys,
			 struct ntp_reply_head *h);
void ntp_reply_build(const struct ntp_packet *req, s64 rx_ns, u8 mode,
		     const struct ntp_reply_head *h, struct ntp_packet *r);
void ntp_reply_kiss(struct ntp_packet *r, const char code[NTP_REFID_LEN]);
void ntp_peer_cand(const struct ntp_peer *p, s64 now_ns, struct ntp_cand *c);
s64 ntp_peer_obs_from(const struct ntp_peer *p);
s64 ntp_peer_interval_ns(int poll_log2);

#endif /* _KNTP_CORE_PEER_H */
