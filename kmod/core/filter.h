/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the RFC 5905 clock filter (sec. 10, Appendix A.5.2), one per
 * association. It keeps the last NTP_NSTAGE (offset, delay, dispersion, time)
 * samples, picks the one with the lowest delay and derives the peer offset,
 * delay, dispersion and jitter the selection and clustering algorithms use.
 */
#ifndef _KNTP_CORE_FILTER_H
#define _KNTP_CORE_FILTER_H

#include "ntp.h"

/*
 * A.5.2 popcorn spike suppressor: a sample is a spike candidate only while it
 * is less than this many poll intervals newer than the last sample used.
 */
#define NTP_SGATE_POLLS		2

/*
 * A.5.2 (as ntpd does): the spike gate is armed only while the peer
 * dispersion is below MAXDIST, i.e. from the fourth valid sample in the
 * register on (the empty stages weigh 15/256 MAXDISP = 0.94 s); before
 * that the jitter is not yet a meaningful yardstick.
 */
#define NTP_SGATE_MAXDISP_NS	NTP_MAXDIST_NS

/**
 * struct ntp_filter_stage - one sample in the clock filter shift register
 * @offset_ns: clock offset theta, ns (positive: the peer is ahead of us)
 * @delay_ns: round-trip delay delta, ns
 * @disp_ns: dispersion epsilon when the sample was taken, ns; it grows by
 *	NTP_PHI_PPB per second of age (see ntp_filter_stage_disp())
 * @t_ns: local time the sample was taken, Unix ns
 * @corr_ns: corrections of our clock since it was measured (including what
 *	was still to be slewed then), less the rebase of its frequency's
 *	changes since (ntp_filter_compensate()), ns: @offset_ns + @corr_ns is
 *	the offset as measured
 */
struct ntp_filter_stage {
	s64 offset_ns;
	s64 delay_ns;
	u64 disp_ns;
	s64 t_ns;
	s64 corr_ns;
};

/**
 * struct ntp_filter - clock filter state of one association (sec. 10)
 * @stage: shift register, stage[0] newest
 * @order: stage indices sorted as the filter ranked them at @update_ns:
 *	valid samples by increasing delay (newer first on ties), then the
 *	samples whose dispersion reached NTP_MAXDISP_NS
 * @nvalid: stages whose dispersion was below NTP_MAXDISP_NS at @update_ns
 * @used: a sample has been used; @offset_ns, @delay_ns and @t_ns are its
 * @offset_ns: peer offset theta, ns: offset of the sample last used, net of
 *	the corrections of our clock since it was measured
 * @corr_ns: those corrections, ns (@offset_ns + @corr_ns: as measured)
 * @delay_ns: peer delay delta, ns: delay of the sample last used
 * @disp_ns: peer dispersion epsilon at @update_ns, ns (sec. 10.2); recomputed
 *	on every sample and missed poll, capped at NTP_MAXDISP_NS
 * @jitter_ns: peer jitter psi, ns (sec. 10.3): RMS of the valid offsets
 *	around the best one, at least @precision_ns, at most NTP_MAXDISP_NS;
 *	recomputed on every sample while any stage is valid
 * @t_ns: local time the sample last used was taken (p->t), Unix ns; 0 if none
 * @update_ns: local time @disp_ns and @jitter_ns were computed, Unix ns
 * @precision_ns: local plus peer precision given with the last sample, ns
 * @n_spike: samples refused by the popcorn spike suppressor
 */
struct ntp_filter {
	struct ntp_filter_stage stage[NTP_NSTAGE];
	u8 order[NTP_NSTAGE];
	u8 nvalid;
	bool used;
	s64 offset_ns;
	s64 corr_ns;
	s64 delay_ns;
	u64 disp_ns;
	u64 jitter_ns;
	s64 t_ns;
	s64 update_ns;
	u64 precision_ns;
	u32 n_spike;
};

void ntp_filter_reset(struct ntp_filter *f, s64 now_ns);
bool ntp_filter_add(struct ntp_filter *f, s64 offset_ns, s64 corr_ns,
		    s64 delay_ns, u64 disp_ns, s64 now_ns, u64 precision_ns,
		    int poll_log2);
bool ntp_filter_add_missed(struct ntp_filter *f, s64 now_ns, int poll_log2);
u64 ntp_filter_disp_now(const struct ntp_filter *f, s64 now_ns);
void ntp_filter_compensate(struct ntp_filter *f, s64 corr_ns, s64 df_ppb,
			   s64 now_ns);
s64 ntp_filter_measured(const struct ntp_filter *f);
s64 ntp_filter_newest(const struct ntp_filter *f, s64 *offset_ns,
		      s64 *delay_ns, s64 *excess_ns);
u64 ntp_filter_stage_disp(const struct ntp_filter_stage *s, s64 now_ns);
u64 ntp_disp_grow(u64 disp_ns, s64 from_ns, s64 to_ns);
u32 ntp_sqrt_u64(u64 x);

#endif /* _KNTP_CORE_FILTER_H */
