/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP for the userspace unit tests of kmod/core: ok(), is_s64(),
 * done(). Each test program prints "ok N - ..."/"not ok N - ..." lines and a
 * final plan, and exits non-zero when anything failed.
 */
#ifndef _KNTP_TAP_H
#define _KNTP_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3)))
int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

/* Compare two integers; on failure print both. */
#define is_s64(got, want, ...) do {					\
	int64_t __g = (got), __w = (want);				\
	if (!ok(__g == __w, __VA_ARGS__))				\
		printf("#   got %" PRId64 ", want %" PRId64 "\n", __g, __w); \
} while (0)

static inline int done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* _KNTP_TAP_H */
