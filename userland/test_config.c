// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration files (config.c): parsed, refused with the line quoted,
 * compared with what the kernel runs, and printed back as the running
 * configuration.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "config.h"
#include "test_util.h"

static int conf_addr_is(const struct kntp_conf_assoc *a, const char *text)
{
	char buf[INET6_ADDRSTRLEN];

	kntp_conf_fmt_addr(buf, sizeof(buf), a);
	return !strcmp(buf, text);
}

/* A file with every setting, comments and blank lines; 0 when it parses. */
static int config_parse_file(void)
{
	struct kntp_conf conf;
	char err[1024];
	int ret;

	ret = conf_of("! R1\n"
		      "ntp server 192.0.2.1   ! upstream\n"
		      "\n"
		      "   \t\n"
		      "# a comment\n"
		      "ntp peer 198.51.100.2 ! the other router\n"
		      "server 2001:db8::1 minpoll 4 iburst prefer\n"
		      "ntp peer 198.51.100.3 version 3 maxpoll 4\n"
		      "ntp master 3\n"
		      "ntp clock step-threshold 100\n"
		      "ntp clock panic-threshold 0\n"
		      "ntp clock stepout 60.5\n"
		      "ntp clock virtual", &conf, err, sizeof(err));
	ok(!ret, "config: comments, blank lines, trailing ! (%s)", err);
	if (ret)
		return ret;
	ok(conf.n == 4, "config: four associations (%zu)", conf.n);
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[0], "192.0.2.1") &&
	   conf.assocs[0].kind == KNTP_ASSOC_KIND_SERVER &&
	   conf.assocs[0].line == 2 && conf.assocs[0].version == 4 &&
	   conf.assocs[0].minpoll == 6 && conf.assocs[0].maxpoll == 10 &&
	   conf.assocs[0].flags == 0 && conf.assocs[0].req.set == 0,
	   "config: line 2 server 192.0.2.1, defaults");
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[1], "198.51.100.2") &&
	   conf.assocs[1].kind == KNTP_ASSOC_KIND_PEER &&
	   conf.assocs[1].line == 6,
	   "config: line 6 peer 198.51.100.2 (trailing comment cut)");
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[2], "2001:db8::1") &&
	   conf.assocs[2].minpoll == 4 && conf.assocs[2].maxpoll == 10 &&
	   conf.assocs[2].flags == (KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER),
	   "config: IPv6 server, minpoll 4, iburst prefer");
	ok(conf.n == 4 && conf.assocs[3].version == 3 &&
	   conf.assocs[3].minpoll == 4 && conf.assocs[3].maxpoll == 4,
	   "config: maxpoll 4 alone: minpoll follows down, as the kernel does");
	ok((conf.set & KNTP_REQ_MASTER) && conf.master == 3,
	   "config: master 3");
	ok((conf.set & KNTP_REQ_STEP_THRESHOLD) && conf.step_ns == 100000000 &&
	   (conf.set & KNTP_REQ_PANIC_THRESHOLD) && conf.panic_ns == 0 &&
	   (conf.set & KNTP_REQ_STEPOUT) && conf.stepout_ns == 60500000000ULL,
	   "config: thresholds and stepout in ns");
	ok((conf.set & KNTP_REQ_CLOCK) && conf.clock == KNTP_CLOCK_VIRTUAL,
	   "config: clock virtual (last line without newline)");
	ok(conf.ntext == 13 &&
	   !strcmp(conf.text[1], "ntp server 192.0.2.1   ! upstream"),
	   "config: the lines kept, trimmed, to quote");
	kntp_conf_free(&conf);
	return 0;
}

/* An empty file, CRLF line ends, a host name. */
static void config_parse_small(void)
{
	struct kntp_conf conf;
	char err[1024];
	int ret;

	ret = conf_of("", &conf, err, sizeof(err));
	ok(!ret && conf.n == 0 && conf.set == 0, "config: an empty file");
	kntp_conf_free(&conf);
	ret = conf_of("ntp server 127.0.0.1\r\n", &conf, err, sizeof(err));
	ok(!ret && conf.n == 1, "config: CRLF line ends (%s)", err);
	kntp_conf_free(&conf);
	ret = conf_of("server localhost\n", &conf, err, sizeof(err));
	if (ret && strstr(err, "cannot resolve"))
		skip("localhost does not resolve: %s", err);
	else
		ok(!ret && conf.n == 1 &&
		   (conf_addr_is(&conf.assocs[0], "127.0.0.1") ||
		    conf_addr_is(&conf.assocs[0], "::1")),
		   "config: a host name is resolved (localhost) %s", err);
	if (!ret)
		kntp_conf_free(&conf);
}

/* Refusals: the file, the line number and the line quoted. */
static void config_parse_errors(void)
{
	conf_fails("! R1\nntp server 192.0.2.1\nntp srver 1.1.1.1 ! typo\n",
		   "t.conf:3: \"ntp srver 1.1.1.1 ! typo\": unknown command \"srver\" (expected server, peer, no, master, enable, disable, clock, authentication-key, trusted-key, authenticate, access-group, access-list, ipv6, show, ratelimit, serve, apply, monitor, help)",
		   "unknown command, line 3 quoted");
	conf_fails("ntp server 192.0.2.1\n\nntp peer 192.0.2.1\n",
		   "t.conf:3: \"ntp peer 192.0.2.1\": duplicate address 192.0.2.1 (also on line 1)",
		   "duplicate address across kinds");
	conf_fails("server 2001:db8::1\nserver 2001:DB8:0::1\n",
		   "t.conf:2: \"server 2001:DB8:0::1\": duplicate address 2001:db8::1 (also on line 1)",
		   "duplicate IPv6 address, spelt differently");
	conf_fails("ntp server 192.0.2.1 minpoll\n",
		   "t.conf:1: \"ntp server 192.0.2.1 minpoll\": minpoll: missing value (minpoll N)",
		   "missing option value");
	conf_fails("ntp server\n",
		   "t.conf:1: \"ntp server\": server: missing address",
		   "missing address");
	conf_fails("ntp server 192.0.2.1 burst\n",
		   "t.conf:1: \"ntp server 192.0.2.1 burst\": unknown option \"burst\" (expected minpoll, maxpoll, iburst, prefer, version, key, xleave)",
		   "unknown option");
	conf_fails("ntp server 192.0.2.300\n",
		   "t.conf:1: \"ntp server 192.0.2.300\": \"192.0.2.300\": not an IPv4 or IPv6 address",
		   "bad address");
	conf_fails("show associations\n",
		   "t.conf:1: \"show associations\": \"show associations\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "show is not configuration");
	conf_fails("no server 192.0.2.1\n",
		   "t.conf:1: \"no server 192.0.2.1\": \"no server\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "no server is not configuration");
	conf_fails("ntp clock inject offset 5\n",
		   "t.conf:1: \"ntp clock inject offset 5\": \"clock inject\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "clock inject is not configuration");
	conf_fails("ntp master 3\nntp master\n",
		   "t.conf:2: \"ntp master\": \"master\" given twice (also on line 1)",
		   "a setting given twice");
	conf_fails("ntp clock stepout -1\n",
		   "t.conf:1: \"ntp clock stepout -1\": stepout \"-1\": out of range for the attribute type (0..18446744073.709551615)",
		   "negative stepout");
	conf_fails("server bad.invalid\n",
		   "t.conf:1: \"server bad.invalid\": \"bad.invalid\": cannot resolve: *",
		   "unresolvable host name");
}

static void test_config_parse(void)
{
	if (config_parse_file())
		return;
	config_parse_small();
	config_parse_errors();
}

/* An association config for the diff tests. */
static struct kntp_conf_assoc ca(const char *addr, int kind, int version,
				 int minpoll, int maxpoll, uint32_t flags)
{
	struct kntp_conf_assoc a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, addr, &a.addr.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &a.addr.v6) == 1)
		a.family = AF_INET6;
	a.kind = kind;
	a.version = version;
	a.minpoll = minpoll;
	a.maxpoll = maxpoll;
	a.flags = flags;
	return a;
}

/* The diff as text: "+A -B ~C(why) =D", in order. */
static void diff_text(char *buf, size_t len,
		      const struct kntp_conf_assoc *k, size_t nk,
		      const struct kntp_conf_assoc *f, size_t nf)
{
	struct kntp_conf_change *ch;
	char addr[INET6_ADDRSTRLEN];
	size_t n, i, m = 0;

	buf[0] = '\0';
	if (kntp_conf_diff(k, nk, f, nf, &ch, &n)) {
		snprintf(buf, len, "ENOMEM");
		return;
	}
	for (i = 0; i < n && m < len; i++) {
		kntp_conf_fmt_addr(addr, sizeof(addr),
				   ch[i].file ? ch[i].file : ch[i].kern);
		m += snprintf(buf + m, len - m, "%s%c%s", m ? " " : "",
			      "=+-~"[ch[i].op], addr);
		if (ch[i].op == KNTP_CONF_REPLACE && m < len)
			m += snprintf(buf + m, len - m, "(%s)", ch[i].why);
	}
	free(ch);
}

static void diff_is(const struct kntp_conf_assoc *k, size_t nk,
		    const struct kntp_conf_assoc *f, size_t nf,
		    const char *want, const char *what)
{
	char got[1024];

	diff_text(got, sizeof(got), k, nk, f, nf);
	ok(!strcmp(got, want), "diff: %s: \"%s\"", what, got);
	if (strcmp(got, want))
		printf("# want: \"%s\"\n", want);
}

static void test_config_diff(void)
{
	const int S = KNTP_ASSOC_KIND_SERVER, P = KNTP_ASSOC_KIND_PEER;
	const uint32_t IB = KNTP_ASSOC_F_IBURST, PR = KNTP_ASSOC_F_PREFER;
	struct kntp_conf_assoc k[4], f[4];

	k[0] = ca("192.0.2.1", S, 4, 6, 10, 0);
	k[1] = ca("198.51.100.2", P, 4, 6, 10, 0);
	diff_is(k, 0, k, 0, "", "nothing and nothing");
	diff_is(k, 0, k, 2, "+192.0.2.1 +198.51.100.2", "empty kernel: all added");
	diff_is(k, 2, f, 0, "-192.0.2.1 -198.51.100.2", "empty file: all deleted");
	diff_is(k, 2, k, 2, "=192.0.2.1 =198.51.100.2", "the same: all kept");

	f[0] = ca("198.51.100.2", P, 4, 6, 10, 0);
	f[1] = ca("192.0.2.1", S, 4, 6, 10, 0);
	diff_is(k, 2, f, 2, "=198.51.100.2 =192.0.2.1",
		"order does not matter");

	f[0] = ca("192.0.2.1", S, 4, 4, 10, 0);
	diff_is(k, 2, f, 1, "-198.51.100.2 ~192.0.2.1(minpoll 6 -> 4)",
		"peer removed, server's minpoll changed");

	f[0] = ca("192.0.2.1", P, 3, 6, 12, IB);
	diff_is(k, 1, f, 1,
		"~192.0.2.1(server -> peer, version 4 -> 3, maxpoll 10 -> 12, iburst)",
		"several differences listed");

	k[2] = ca("192.0.2.9", S, 4, 6, 10, IB | PR);
	f[0] = ca("192.0.2.9", S, 4, 6, 10, IB);
	diff_is(k + 2, 1, f, 1, "~192.0.2.9(no prefer)", "a flag removed");

	k[0] = ca("2001:db8::1", S, 4, 6, 10, 0);
	k[1] = ca("192.0.2.1", S, 4, 6, 10, 0);
	f[0] = ca("192.0.2.1", S, 4, 6, 10, 0);
	f[1] = ca("2001:db8::2", S, 4, 6, 10, 0);
	f[2] = ca("192.0.2.2", P, 4, 6, 10, 0);
	diff_is(k, 2, f, 3, "-2001:db8::1 =192.0.2.1 +2001:db8::2 +192.0.2.2",
		"deletes first, then the file's order");
}

/* A server and a peer with options, and a status with settings. */
static void running_recs(struct kntp_rec *recs, struct kntp_rec *st)
{
	memset(recs, 0, 2 * sizeof(*recs));
	memset(st, 0, sizeof(*st));
	recs[0].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
		KNTP_REC_BIT(KNTP_A_ASSOC_KIND) |
		KNTP_REC_BIT(KNTP_A_ASSOC_VERSION) |
		KNTP_REC_BIT(KNTP_A_ASSOC_MINPOLL) |
		KNTP_REC_BIT(KNTP_A_ASSOC_MAXPOLL) |
		KNTP_REC_BIT(KNTP_A_ASSOC_FLAGS);
	inet_pton(AF_INET, "192.0.2.1", recs[0].v[KNTP_A_ASSOC_ADDR4].b);
	recs[0].v[KNTP_A_ASSOC_KIND].u = KNTP_ASSOC_KIND_SERVER;
	recs[0].v[KNTP_A_ASSOC_VERSION].u = 4;
	recs[0].v[KNTP_A_ASSOC_MINPOLL].s = 4;
	recs[0].v[KNTP_A_ASSOC_MAXPOLL].s = 10;
	recs[0].v[KNTP_A_ASSOC_FLAGS].u = KNTP_ASSOC_F_IBURST;
	recs[1] = recs[0];
	recs[1].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4);
	recs[1].present |= KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6);
	inet_pton(AF_INET6, "2001:db8::2", recs[1].v[KNTP_A_ASSOC_ADDR6].b);
	recs[1].v[KNTP_A_ASSOC_KIND].u = KNTP_ASSOC_KIND_PEER;
	recs[1].v[KNTP_A_ASSOC_VERSION].u = 3;
	recs[1].v[KNTP_A_ASSOC_MINPOLL].s = -2;
	recs[1].v[KNTP_A_ASSOC_MAXPOLL].s = -2;
	recs[1].v[KNTP_A_ASSOC_FLAGS].u = KNTP_ASSOC_F_PREFER |
					   KNTP_ASSOC_F_XLEAVE;
	st->present = KNTP_REC_BIT(KNTP_A_STATUS_MASTER) |
		KNTP_REC_BIT(KNTP_A_STATUS_CLOCK) |
		KNTP_REC_BIT(KNTP_A_STATUS_STEP_THRESHOLD) |
		KNTP_REC_BIT(KNTP_A_STATUS_PANIC_THRESHOLD) |
		KNTP_REC_BIT(KNTP_A_STATUS_STEPOUT);
	st->v[KNTP_A_STATUS_MASTER].u = 5;
	st->v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_VIRTUAL;
	st->v[KNTP_A_STATUS_STEP_THRESHOLD].u = 128000000;	/* default */
	st->v[KNTP_A_STATUS_PANIC_THRESHOLD].u = 0;
	st->v[KNTP_A_STATUS_STEPOUT].u = 1500000000;
}

/* The running configuration of a kernel's records, and back. */
static void test_config_print(void)
{
	struct kntp_rec recs[2], st;
	struct kntp_conf kern, back;
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *f;
	int ret;

	running_recs(recs, &st);
	ret = kntp_conf_from_kernel(&kern, recs, 2, &st);
	if (ret) {
		ok(0, "running-config: cannot build");
		return;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		ok(0, "running-config: cannot build");
		kntp_conf_free(&kern);
		return;
	}
	kntp_conf_print(f, &kern);
	fclose(f);
	ret = !strcmp(text, "! kntp running configuration\n"
			 "ntp clock virtual\n"
			 "ntp clock panic-threshold 0\n"
			 "ntp clock stepout 1.5\n"
			 "ntp master 5\n"
			 "ntp server 192.0.2.1 minpoll 4 iburst\n"
			 "ntp peer 2001:db8::2 version 3 minpoll -2 maxpoll -2 prefer xleave\n");
	ok(ret, "running-config: non-default options and settings only");
	diag(ret, text, strlen(text));
	ret = conf_of(text, &back, err, sizeof(err));
	ok(!ret, "running-config parses back (%s)", err);
	if (!ret) {
		char got[256];

		diff_text(got, sizeof(got), kern.assocs, kern.n, back.assocs,
			  back.n);
		ok(!strcmp(got, "=192.0.2.1 =2001:db8::2"),
		   "running-config applied again: no change (%s)", got);
		ok(back.master == 5 && back.clock == KNTP_CLOCK_VIRTUAL &&
		   back.panic_ns == 0 && back.stepout_ns == 1500000000 &&
		   !(back.set & KNTP_REQ_STEP_THRESHOLD),
		   "running-config: the settings parse back");
		kntp_conf_free(&back);
	}
	free(text);
	kntp_conf_free(&kern);
}

/* Configuration files: parsed, compared with the kernel's, printed back. */
void test_config(void)
{
	test_config_parse();
	test_config_diff();
	test_config_print();
}
