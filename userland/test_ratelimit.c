// SPDX-License-Identifier: GPL-2.0
/*
 * Rate limiting of clients (ratelimit.c): "ntp ratelimit" and its options,
 * their ranges, the running configuration's line, the status nest, files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "config.h"
#include "ratelimit.h"
#include "test_util.h"

/* The words: chrony's defaults, every option, the ranges. */
static void ratelimit_words(void)
{
	struct kntp_rl d;
	struct line *l;

	l = parse("ratelimit");
	kntp_rl_defaults(&d);
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
	   (l->req.set & KNTP_REQ_RATELIMIT) && kntp_rl_same(&l->req.rl, &d) &&
	   l->req.rl.interval == 3 && l->req.rl.burst == 8 &&
	   l->req.rl.leak == 2 && !l->req.rl.kod &&
	   l->req.rl.table_size == 4096 && l->req.rl.prefix6 == 64,
	   "\"ratelimit\": on, chrony's defaults (interval 3, burst 8, leak 2), table 4096, /64");
	l = parse("ntp ratelimit ipv6-prefix 56 kod table-size 256 leak 0 burst 16 interval -2");
	ok(!l->ret && l->req.rl.enabled && l->req.rl.interval == -2 &&
	   l->req.rl.burst == 16 && l->req.rl.leak == 0 && l->req.rl.kod &&
	   l->req.rl.table_size == 256 && l->req.rl.prefix6 == 56,
	   "every option, in any order");
	l = parse("ratelimit interval -19 burst 255 leak 4 table-size 1048576 ipv6-prefix 128");
	ok(!l->ret, "the upper and lower ends of the ranges are taken");
	l = parse("ratelimit interval 12 burst 1 table-size 64 ipv6-prefix 32");
	ok(!l->ret, "the other ends too");
	l = parse("no ntp ratelimit");
	ok(!l->ret && (l->req.set & KNTP_REQ_RATELIMIT) && !l->req.rl.enabled,
	   "\"no ntp ratelimit\": off");
	fails("ratelimit interval 13", KNTP_PERR_RANGE, 2, "13");
	fails("ratelimit interval -20", KNTP_PERR_RANGE, 2, "-20");
	fails("ratelimit burst 0", KNTP_PERR_RANGE, 2, "0");
	fails("ratelimit burst 256", KNTP_PERR_RANGE, 2, "256");
	fails("ratelimit leak 5", KNTP_PERR_RANGE, 2, "5");
	fails("ratelimit leak -1", KNTP_PERR_RANGE, 2, "-1");
	fails("ratelimit table-size 1000", KNTP_PERR_RANGE, 2, "1000");
	fails("ratelimit table-size 32", KNTP_PERR_RANGE, 2, "32");
	fails("ratelimit table-size 2097152", KNTP_PERR_RANGE, 2, "2097152");
	fails("ratelimit ipv6-prefix 31", KNTP_PERR_RANGE, 2, "31");
	fails("ratelimit ipv6-prefix 129", KNTP_PERR_RANGE, 2, "129");
	fails("ratelimit burst x", KNTP_PERR_NOT_INT, 2, "x");
	fails("ratelimit burst", KNTP_PERR_NO_VALUE, 1, NULL);
	fails("ratelimit fast", KNTP_PERR_UNKNOWN_OPT, 1, "fast");
	fails("ratelimit kod burst 2 kod", KNTP_PERR_DUP, 4, "kod");
	fails("no ratelimit kod", KNTP_PERR_TRAILING, 2, "kod");
	l = parse("ratelimit burst 0");
	ok(strstr(l->err.msg, "burst") && strstr(l->err.msg, "1..255"),
	   "a range error names the word and the range (%s)", l->err.msg);
	l = parse("ratelimit table-size 1000");
	ok(strstr(l->err.msg, "table-size") && strstr(l->err.msg, "power of two"),
	   "table-size: says it must be a power of two (%s)", l->err.msg);
}

/* The running config's line: non-default settings only; from the status. */
static void ratelimit_line(void)
{
	struct kntp_rl rl, d;
	struct kntp_rec r;
	char buf[160];

	kntp_rl_defaults(&d);
	kntp_rl_fmt(buf, sizeof(buf), &d);
	ok(!strcmp(buf, "ntp ratelimit"), "defaults: \"ntp ratelimit\" (%s)", buf);
	rl = d;
	rl.interval = -2;
	rl.kod = 1;
	rl.prefix6 = 48;
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "ntp ratelimit interval -2 kod ipv6-prefix 48"),
	   "non-defaults in the synopsis's order (%s)", buf);
	memset(&rl, 0, sizeof(rl));
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "no ntp ratelimit"), "off: \"no ntp ratelimit\"");

	/* From the status nest. */
	memset(&r, 0, sizeof(r));
	r.present = KNTP_REC_BIT(KNTP_A_RATELIMIT_ENABLED) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_INTERVAL) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_BURST) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_LEAK) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_KOD) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_TABLE_SIZE) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_IPV6_PREFIX);
	r.v[KNTP_A_RATELIMIT_ENABLED].u = 1;
	r.v[KNTP_A_RATELIMIT_INTERVAL].s = 1;
	r.v[KNTP_A_RATELIMIT_BURST].u = 4;
	r.v[KNTP_A_RATELIMIT_LEAK].u = 0;
	r.v[KNTP_A_RATELIMIT_KOD].u = 1;
	r.v[KNTP_A_RATELIMIT_TABLE_SIZE].u = 64;
	r.v[KNTP_A_RATELIMIT_IPV6_PREFIX].u = 64;
	kntp_rl_from_rec(&rl, &r);
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "ntp ratelimit interval 1 burst 4 leak 0 kod table-size 64"),
	   "from the status nest (%s)", buf);
	r.v[KNTP_A_RATELIMIT_ENABLED].u = 0;
	kntp_rl_from_rec(&rl, &r);
	ok(!rl.enabled, "ENABLED 0 in the nest: off");
	kntp_rl_from_rec(&rl, NULL);
	ok(!rl.enabled, "no nest (an older kernel): off");
}

/* A file: the line, its errors quoted, given twice refused. */
static void ratelimit_file(void)
{
	struct kntp_conf conf, back;
	char err[1024];
	char *text = NULL;
	size_t len;
	FILE *f;

	ok(!conf_of("ntp server 192.0.2.1\nntp ratelimit burst 4 kod\n", &conf,
		    err, sizeof(err)) && (conf.set & KNTP_REQ_RATELIMIT) &&
	   conf.rl.enabled && conf.rl.burst == 4 && conf.rl.kod &&
	   conf.rl.interval == 3,
	   "a file's ratelimit line (%s)", err);
	if (!err[0]) {
		f = open_memstream(&text, &len);
		if (f) {
			kntp_conf_print(f, &conf);
			fclose(f);
			ok(!!strstr(text, "\nntp ratelimit burst 4 kod\n"),
			   "running-config prints it");
			ok(!conf_of(text, &back, err, sizeof(err)) &&
			   kntp_rl_same(&back.rl, &conf.rl),
			   "and it parses back the same (%s)", err);
			if (!err[0])
				kntp_conf_free(&back);
			free(text);
		}
		kntp_conf_free(&conf);
	}
	conf_fails("ntp ratelimit\nntp ratelimit burst 2\n",
		   "t.conf:2: \"ntp ratelimit burst 2\": \"ratelimit\" given twice (also on line 1)",
		   "ratelimit twice");
	conf_fails("! limits\nntp ratelimit burst 0\n",
		   "t.conf:2: \"ntp ratelimit burst 0\": ratelimit: burst \"0\": out of range (1..255)",
		   "a bad value quotes the line");
	conf_fails("no ntp ratelimit\n",
		   "t.conf:1: \"no ntp ratelimit\": \"no ratelimit\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "no ratelimit in a file: leave the line out");
}

/* "ntp ratelimit ...", "no ntp ratelimit": words, ranges, file, round trip. */
void test_ratelimit(void)
{
	ratelimit_words();
	ratelimit_line();
	ratelimit_file();
}
