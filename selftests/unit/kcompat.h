/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel names kmod/core uses, for building it in userspace (unit
 * tests, fuzzers, the simulator). Only what the core needs.
 */
#ifndef _KNTP_KCOMPAT_H
#define _KNTP_KCOMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define U64_MAX UINT64_MAX
#define S64_MAX INT64_MAX
#define S64_MIN INT64_MIN
#define U32_MAX UINT32_MAX
#define U8_MAX UINT8_MAX
#define BIT_ULL(n) (1ULL << (n))

/* As the kernel's: each argument evaluated once. */
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b);	\
		    _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b);	\
		    _a > _b ? _a : _b; })
#define min_t(t, a, b) ({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b) ({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp_t(t, v, lo, hi) ({ t _v = (v); t _lo = (lo); t _hi = (hi); \
				 _v < _lo ? _lo : _v > _hi ? _hi : _v; })

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline s64 div_s64(s64 dividend, s32 divisor)
{
	return dividend / divisor;
}

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

static inline s64 div64_s64(s64 dividend, s64 divisor)
{
	return dividend / divisor;
}

static inline u64 mul_u64_u32_shr(u64 a, u32 mul, unsigned int shift)
{
	return (u64)(((__uint128_t)a * mul) >> shift);
}

#endif /* _KNTP_KCOMPAT_H */
