/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP for the userspace unit tests of kmod/core and of the tool:
 * ok(), is_s64(), skip(), diag(), done(). Each test program prints
 * "ok N - ..."/"not ok N - ..." lines and a final plan, and exits non-zero
 * when anything failed.
 */
#ifndef _KNTP_TAP_H
#define _KNTP_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The counts. A test program of several files defines TAP_SHARED before
 * including this header, in each of them, and tap_n and tap_failed in one.
 */
#ifdef TAP_SHARED
extern int tap_n, tap_failed;
#else
static int tap_n, tap_failed;
#endif

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

/* A test not run, which passes: "ok N - # SKIP why". */
static inline __attribute__((format(printf, 1, 2)))
void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - # SKIP ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* When cond is false: text (len bytes, or up to its NUL) as "# " lines. */
static inline void diag(int cond, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (!cond && p && p < end && *p) {
		const char *nl = memchr(p, '\n', end - p);
		int n = nl ? (int)(nl - p) : (int)(end - p);

		printf("# %.*s\n", n, p);
		p = nl ? nl + 1 : NULL;
	}
}

static inline int done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* _KNTP_TAP_H */
