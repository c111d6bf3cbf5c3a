/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARRAY_SIZE() for the tool's .c files, as the kernel's: the number of
 * elements of an array (not of a pointer) known at compile time.
 * selftests/unit/tap.h defines the same for the unit tests.
 */
#ifndef KNTP_ARRAY_SIZE_H
#define KNTP_ARRAY_SIZE_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* KNTP_ARRAY_SIZE_H */
