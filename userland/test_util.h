/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests of the kntp tool (test_*.c, one file per module
 * under test) share: TAP (selftests/unit/tap.h, one count for all the
 * files), command lines parsed, reply attributes built, JSON checked,
 * configuration files parsed; and the entry points test_main.c calls.
 */
#ifndef _KNTP_TEST_UTIL_H
#define _KNTP_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "cmd.h"
#include "config.h"

#define TAP_SHARED
#include "tap.h"

/* A command line split at spaces; argv points into a static copy. */
struct line {
	char buf[256];
	char *argv[32];
	int argc;
	const struct kntp_command *cmd;
	struct kntp_req req;
	struct kntp_perr err;
	int ret;
};

struct line *parse(const char *s);
int is_v4(const struct kntp_req *r, const char *dotted);
int is_v6(const struct kntp_req *r, const char *text);
void fails(const char *s, enum kntp_perr_code code, int argi,
	   const char *quote);
int starts(const char *s, const char *prefix);

int put(unsigned char *p, int type, int len, const void *data);
int put_u64(unsigned char *p, int type, uint64_t v);
int put_s64(unsigned char *p, int type, int64_t v);

int json_valid(const char *text);
char *json_of(int what, const struct kntp_reply *r,
	      const struct kntp_rec *recs, const struct kntp_rec *stats,
	      size_t n);

int conf_of(const char *text, struct kntp_conf *conf, char *err, size_t len);
void conf_fails(const char *text, const char *want, const char *what);

/*
 * The entry points, by file (test_main.c has the order they run in). A file
 * whose tests run together has one, named after the file; test_cmd.c,
 * test_attr.c and test_show.c, whose tests run between the others', one for
 * each test.
 */
/* test_cmd.c */
void test_commands(void);
void test_errors(void);
void test_instance_commands(void);
void test_clock_commands(void);
void test_decimal(void);
/* test_attr.c */
void test_encode(void);
void test_offsets(void);
void test_acks(void);
void test_decode(void);
void test_instance_encode(void);
void test_clock_encode(void);
void test_decode_clock(void);
/* test_show.c */
void test_render(void);
void test_show(void);
void test_stats(void);
void test_fmt_measurements(void);
void test_show_measurements(void);
void test_status_lines(void);
void test_tally(void);
void test_status_clock(void);
void test_assoc_detail(void);
/* the others */
void test_metrics(void);
void test_config(void);
void test_auth(void);
void test_json(void);
void test_kernel(void);
void test_acl(void);
void test_ratelimit(void);
void test_monitor(void);
void test_ingress(void);

#endif /* _KNTP_TEST_UTIL_H */
