/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: the clock discipline (RFC 5905 sec. 11.3, Appendix A.5.5.6) -
 * what to do with the combined offset of each clock update: step, slew, or
 * refuse; the frequency estimate; the system poll interval.
 *
 * The discipline only decides. A clock backend (the kernel's clock through
 * adjtimex, a virtual clock, the simulator's clock) carries out the
 * actions; see struct ntp_disc_action. discipline.c explains the servo (a
 * regression over the recent offsets, instead of the RFC's PLL/FLL).
 */
#ifndef _KNTP_CORE_DISCIPLINE_H
#define _KNTP_CORE_DISCIPLINE_H

#include "ntp.h"

/* RFC 5905 A.1.1 / sec. 11.3 defaults. */
#define NTP_STEPT_NS		(128 * 1000000LL)	/* STEPT, step threshold */
#define NTP_PANICT_NS		(1000 * NTP_NSEC_PER_SEC) /* PANICT */
#define NTP_WATCH_NS		(900 * NTP_NSEC_PER_SEC) /* WATCH, stepout */
#define NTP_MAXFREQ_PPB		500000	/* MAXFREQ 500 ppm: frequency clamp */
#define NTP_PGATE		4	/* poll-adjust gate */
#define NTP_LIMIT		30	/* poll-adjust threshold */
#define NTP_AVG			4	/* A.1.1 AVG: averaging constant */
/* Fastest slew a backend is asked for: 1/12, as chrony's default. */
#define NTP_MAXSLEW_PPB		83333333LL

/* Poll exponents the discipline accepts, log2 s (chrony's lowest is -6). */
#define NTP_DISC_POLL_MIN	(-6)
#define NTP_DISC_POLL_MAX	NTP_MAXPOLL

/**
 * enum ntp_disc_ctl - what the clock backend can do with the actions
 * @NTP_DISC_CTL_FULL: step, slew and run at a frequency
 * @NTP_DISC_CTL_STEP: step only: the clock runs free otherwise, so no
 *	frequency is learnt and nothing is slewed (the kernel's clock without
 *	its adjtimex machinery)
 * @NTP_DISC_CTL_NONE: nothing: the clock is not ours to steer (another
 *	process took the kernel's clock over); the instance is unsynchronised
 */
enum ntp_disc_ctl {
	NTP_DISC_CTL_FULL,
	NTP_DISC_CTL_STEP,
	NTP_DISC_CTL_NONE,
};

/**
 * struct ntp_disc_cfg - settings of the discipline
 * @step_ns: offsets above this are stepped, not slewed; 0: never step
 * @panic_ns: offsets above this are refused (panic); 0: no limit
 * @stepout_ns: once synchronised, an offset above @step_ns must persist
 *	this long before it is stepped (RFC WATCH); the first update after
 *	start steps at once
 * @minpoll: lowest system poll exponent, log2 s
 * @maxpoll: highest system poll exponent, log2 s
 * @ctl: enum ntp_disc_ctl, what the clock can do
 *
 * The thresholds and @ctl may be changed between updates; the poll limits
 * are read by ntp_disc_init() only.
 */
struct ntp_disc_cfg {
	u64 step_ns;
	u64 panic_ns;
	u64 stepout_ns;
	s8 minpoll;
	s8 maxpoll;
	u8 ctl;
};

/**
 * enum ntp_disc_state - where the discipline is
 * @NTP_DISC_NSET: no update yet
 * @NTP_DISC_SYNC: tracking
 * @NTP_DISC_SPIKE: the offset is above the step threshold; waiting for the
 *	stepout before stepping
 * @NTP_DISC_PANIC: the last offset was above the panic threshold and was
 *	refused; the clock is left alone
 * @NTP_DISC_FREE: step only (NTP_DISC_CTL_STEP): the offset is below the
 *	step threshold and the clock runs free
 * @NTP_DISC_HANDS_OFF: the clock is not ours (NTP_DISC_CTL_NONE)
 */
enum ntp_disc_state {
	NTP_DISC_NSET,
	NTP_DISC_SYNC,
	NTP_DISC_SPIKE,
	NTP_DISC_PANIC,
	NTP_DISC_FREE,
	NTP_DISC_HANDS_OFF,
};

/**
 * enum ntp_disc_result - what ntp_disc_update() did
 * @NTP_DISC_IGNORE: nothing (e.g. waiting for the stepout)
 * @NTP_DISC_SLEW: a frequency and phase correction
 * @NTP_DISC_STEP: a step (and a frequency correction)
 * @NTP_DISC_REFUSED: panic: the offset is above the panic threshold
 *
 * After IGNORE and REFUSED the backend must do nothing (the slew in
 * progress goes on); the action then only repeats the frequency.
 */
enum ntp_disc_result {
	NTP_DISC_IGNORE,
	NTP_DISC_SLEW,
	NTP_DISC_STEP,
	NTP_DISC_REFUSED,
};

/**
 * struct ntp_disc_action - what a clock backend must do now
 * @step_ns: step the clock by this (added to it); 0 for no step
 * @freq_ppb: run at this frequency correction from now on, ppb; within
 *	+-NTP_MAXFREQ_PPB
 * @slew_ns: and on top of it, move the phase by this much ...
 * @slew_dur_ns: ... over this long (> 0 when @slew_ns is not 0); the rate
 *	slew_ns / slew_dur_ns never exceeds NTP_MAXSLEW_PPB. A new action
 *	replaces what is left of the previous slew.
 * @df_ppb: @freq_ppb less the frequency before, ppb: had it been in use all
 *	along, an offset measured an age ago would have read @df_ppb times
 *	that age more - the discipline's points are rebased so, and the
 *	caller rebases the samples it keeps (ntp_filter_compensate())
 */
struct ntp_disc_action {
	s64 step_ns;
	s64 freq_ppb;
	s64 slew_ns;
	s64 slew_dur_ns;
	s64 df_ppb;
};

/* Offsets the discipline keeps for its regression (see discipline.c). */
#define NTP_DISC_NPOINTS	64

/**
 * struct ntp_disc_point - one offset in the discipline's history
 * @t_ns: local time it was measured, Unix ns (moved with our steps)
 * @y_ns: the offset it would have shown on the clock as it runs now: as
 *	measured, less every phase correction made since, and as if the
 *	current frequency had been in use all along, ns
 * @delay_ns: its round-trip delay, ns, for the offsets observed before
 *	the first update (ntp_disc_observe()); 0 for the others
 */
struct ntp_disc_point {
	s64 t_ns;
	s64 y_ns;
	s64 delay_ns;
};

/**
 * struct ntp_disc_fit - a straight line through the newest points
 * @n: points it went through (the newest @n); 0: none
 * @runs: runs of residuals of one sign among them
 * @npos: residuals >= 0 among them
 * @slope_ppb: its slope: the frequency correction still missing, ppb
 * @sd_slope_ppb: the standard error of @slope_ppb, ppb
 * @y_ns: the line at the update: the offset of the clock now, ns
 * @sd_y_ns: the standard error of @y_ns, ns
 * @sigma_ns: RMS of the residuals (n - 2 degrees of freedom): the noise
 *	of the offsets, ns
 * @noise_ns: the noise alone, from successive residuals' differences, ns
 */
struct ntp_disc_fit {
	u32 n;
	u32 runs;
	u32 npos;
	s64 slope_ppb;
	u64 sd_slope_ppb;
	s64 y_ns;
	u64 sd_y_ns;
	u64 sigma_ns;
	u64 noise_ns;
};

/**
 * struct ntp_disc - state of the discipline
 * @cfg: settings
 * @state: enum ntp_disc_state
 * @freq_ppb: frequency correction estimate, ppb
 * @freq_sd_ppb: its standard error, ppb; NTP_MAXFREQ_PPB when unknown
 * @prior_ppb: the frequency known before the history began (kept over
 *	ntp_disc_reset() and a stepout), ppb
 * @prior_sd_ppb: its standard error; NTP_MAXFREQ_PPB: none
 * @last_ns: local time of the last update, Unix ns (after its step); 0 none
 * @offset_ns: offset of the last update, ns (RFC c.last: 0 after a step)
 * @spike_ns: when the offset first went above the step threshold; 0 none
 * @jitter_ns: the noise of the offsets (the regression's residuals), ns
 * @fitted: a line was fitted since the first update (@jitter_ns is its
 *	noise, not the precision)
 * @count: poll-adjust hysteresis counter (A.5.5.6)
 * @poll: system poll exponent, log2 s, @cfg.minpoll..@cfg.maxpoll
 * @step_t_ns: local time of the last step, Unix ns; 0 none
 * @step_amount_ns: size of the last step, ns
 * @n_steps: steps so far
 * @slew_ns: phase slew of the last action, ns
 * @slew_dur_ns: its duration, ns
 * @n_pts: points in @pts
 * @pts: the history, oldest first
 * @fit: the regression of the last update
 */
struct ntp_disc {
	struct ntp_disc_cfg cfg;
	u8 state;
	s64 freq_ppb;
	u64 freq_sd_ppb;
	s64 prior_ppb;
	u64 prior_sd_ppb;
	s64 last_ns;
	s64 offset_ns;
	s64 spike_ns;
	u64 jitter_ns;
	bool fitted;
	s32 count;
	s8 poll;
	s64 step_t_ns;
	s64 step_amount_ns;
	u32 n_steps;
	s64 slew_ns;
	s64 slew_dur_ns;
	u32 n_pts;
	struct ntp_disc_point pts[NTP_DISC_NPOINTS];
	struct ntp_disc_fit fit;
};

void ntp_disc_init(struct ntp_disc *d, const struct ntp_disc_cfg *cfg,
		   s64 freq_ppb);
int ntp_disc_update(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
		    s64 now_ns, u64 precision_ns, struct ntp_disc_action *a);
void ntp_disc_observe(struct ntp_disc *d, s64 offset_ns, s64 sample_ns,
		      s64 delay_ns);
void ntp_disc_reset(struct ntp_disc *d);
void ntp_disc_clock_moved(struct ntp_disc *d, s64 moved_ns);
bool ntp_disc_waited(s64 delay_ns, s64 least_ns);
bool ntp_disc_hold_costs(const struct ntp_disc *d, s64 excess_ns, s64 now_ns);
bool ntp_disc_fresh(const struct ntp_disc *d, s64 sample_ns);
s64 ntp_disc_max_age_ns(const struct ntp_disc *d, s64 offset_ns,
			s64 excess_ns, s64 now_ns);

/* Exact rate arithmetic, shared with the clocks (vclock.c). */
s64 ntp_ppb_scale(s64 dur_ns, s64 rate_ppb);
s64 ntp_ppb_rate(s64 delta_ns, s64 dur_ns);

#endif /* _KNTP_CORE_DISCIPLINE_H */
