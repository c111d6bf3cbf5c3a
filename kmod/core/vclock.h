/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: a clock defined against a reference clock - piecewise linear,
 * with an oscillator error and the discipline's corrections. In the kernel
 * it is an instance's virtual clock (the reference is the system clock); in
 * the simulator it is a host's clock (the reference is true time). Its error
 * against the reference is the ground truth tests measure.
 */
#ifndef _KNTP_CORE_VCLOCK_H
#define _KNTP_CORE_VCLOCK_H

#include "ntp.h"
#include "discipline.h"

/*
 * Each rate (@err_ppb, @freq_ppb, @slew_ppb) is clamped to +-25 %: their sum
 * stays above -10^9 ppb, so the clock never runs backwards, and every
 * product in the arithmetic fits in 64 bits for spans up to 390 years.
 */
#define NTP_VCLOCK_MAX_PPB	(NTP_NSEC_PER_SEC / 4)

/**
 * struct ntp_vclock - clock = reference, scaled and shifted
 * @ref0_ns: reference time of the last rebase, ns
 * @t0_ns: this clock's time at @ref0_ns, ns (whole part) ...
 * @t0_sub: ... plus this many 10^-9 ns, 0..10^9 - 1: rebases carry the
 *	fraction, so they never move the clock, not even by a rounding
 * @err_ppb: oscillator frequency error (injected), ppb
 * @freq_ppb: frequency correction of the discipline, ppb
 * @slew_ppb: extra rate of the slew in progress, ppb
 * @slew_end_ns: reference time the slew ends; no slew when <= @ref0_ns
 *
 * Between @ref0_ns and @slew_end_ns the clock runs at
 * 1 + (err + freq + slew) / 10^9 of the reference, after it at
 * 1 + (err + freq) / 10^9. A read is the exact value rounded down.
 */
struct ntp_vclock {
	s64 ref0_ns;
	s64 t0_ns;
	s64 t0_sub;
	s64 err_ppb;
	s64 freq_ppb;
	s64 slew_ppb;
	s64 slew_end_ns;
};

void ntp_vclock_init(struct ntp_vclock *c, s64 ref_ns, s64 offset_ns);
s64 ntp_vclock_read(const struct ntp_vclock *c, s64 ref_ns);
void ntp_vclock_apply(struct ntp_vclock *c, s64 ref_ns,
		      const struct ntp_disc_action *a);
void ntp_vclock_inject(struct ntp_vclock *c, s64 ref_ns, s64 offset_ns,
		       s64 err_ppb);

#endif /* _KNTP_CORE_VCLOCK_H */
