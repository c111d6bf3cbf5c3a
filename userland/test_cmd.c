// SPDX-License-Identifier: GPL-2.0
/*
 * Command lines to requests (cmd.c, parse.c): the words and their aliases,
 * an association's options, the instance and clock settings with their
 * exact conversions, and every refusal with its argument and message.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/kntp.h>

#include "parse.h"
#include "run.h"
#include "test_util.h"

/* The seed lines: an association added, no options. */
static void command_seeds(void)
{
	struct line *l;

	l = parse("ntp server 1.1.1.1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
	   l->req.kind == KNTP_ASSOC_KIND_SERVER && is_v4(&l->req, "1.1.1.1") &&
	   l->req.set == 0 && l->req.flags == 0,
	   "seed \"ntp server 1.1.1.1\": add server 1.1.1.1, no options");
	l = parse("ntp peer 10.1.2.2");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
	   l->req.kind == KNTP_ASSOC_KIND_PEER && is_v4(&l->req, "10.1.2.2") &&
	   l->req.set == 0,
	   "seed \"ntp peer 10.1.2.2\": add peer 10.1.2.2, no options");
}

/* The commands with and without "ntp", before or after the first word. */
static void command_aliases(void)
{
	static const char *const ntp[] = {
		"server 192.0.2.1", "ntp server 192.0.2.1",
	};
	static const char *const assoc[] = {
		"show associations", "show ntp associations",
		"ntp show associations",
	};
	static const char *const del[] = {
		"no server 192.0.2.1", "no ntp server 192.0.2.1",
		"ntp no server 192.0.2.1",
	};
	struct line *l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ntp); i++) {
		l = parse(ntp[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
		   l->req.kind == KNTP_ASSOC_KIND_SERVER &&
		   is_v4(&l->req, "192.0.2.1"), "\"%s\" adds a server", ntp[i]);
	}
	for (i = 0; i < ARRAY_SIZE(assoc); i++) {
		l = parse(assoc[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_GET &&
		   l->req.family == 0, "\"%s\" lists associations", assoc[i]);
	}
	for (i = 0; i < ARRAY_SIZE(del); i++) {
		l = parse(del[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_DEL &&
		   l->req.kind == KNTP_ASSOC_KIND_SERVER &&
		   is_v4(&l->req, "192.0.2.1"),
		   "\"%s\" deletes server 192.0.2.1", del[i]);
	}
	l = parse("no peer 2001:db8::1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_DEL &&
	   l->req.kind == KNTP_ASSOC_KIND_PEER && is_v6(&l->req, "2001:db8::1"),
	   "\"no peer 2001:db8::1\" deletes a peer, IPv6");
	l = parse("show ntp status");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_STATUS_GET,
	   "\"show ntp status\" asks for the status");
	l = parse("help server");
	ok(!l->ret && l->cmd->nl_cmd == 0 && l->req.ntopic == 1 &&
	   !strcmp(l->req.topic[0], "server"), "\"help server\" has a topic");
}

/* An association's options, in any order; the kernel checks the ranges. */
static void assoc_options(void)
{
	struct line *l;

	l = parse("peer 2001:db8::1 minpoll -4 maxpoll 10 iburst prefer version 3");
	ok(!l->ret && l->req.kind == KNTP_ASSOC_KIND_PEER &&
	   is_v6(&l->req, "2001:db8::1") &&
	   l->req.set == (KNTP_REQ_MINPOLL | KNTP_REQ_MAXPOLL |
			  KNTP_REQ_FLAGS | KNTP_REQ_VERSION) &&
	   l->req.minpoll == -4 && l->req.maxpoll == 10 &&
	   l->req.version == 3 &&
	   l->req.flags == (KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER),
	   "peer with every option");
	l = parse("server 192.0.2.1 xleave");
	ok(!l->ret && l->req.set == KNTP_REQ_FLAGS &&
	   l->req.flags == KNTP_ASSOC_F_XLEAVE, "server with xleave");
	l = parse("server 192.0.2.1 version 4 prefer maxpoll 8");
	ok(!l->ret && l->req.set == (KNTP_REQ_VERSION | KNTP_REQ_FLAGS |
				     KNTP_REQ_MAXPOLL) &&
	   l->req.version == 4 && l->req.maxpoll == 8 &&
	   l->req.flags == KNTP_ASSOC_F_PREFER,
	   "options in another order, minpoll left unset");
	l = parse("server 192.0.2.1 minpoll 99 version 255 maxpoll -128");
	ok(!l->ret && l->req.minpoll == 99 && l->req.version == 255 &&
	   l->req.maxpoll == -128,
	   "kernel ranges are not checked locally (minpoll 99, version 255)");
	l = parse("server ::ffff:192.0.2.1");
	ok(!l->ret && is_v6(&l->req, "::ffff:192.0.2.1"),
	   "IPv4-mapped IPv6 stays IPv6");
}

void test_commands(void)
{
	command_seeds();
	command_aliases();
	assoc_options();
}

void test_errors(void)
{
	struct line *l;

	fails("server 1.1.1.x", KNTP_PERR_ADDR, 1, "1.1.1.x");
	fails("server 1.1.1.1.1", KNTP_PERR_ADDR, 1, "1.1.1.1.1");
	fails("server 2001:db8::g", KNTP_PERR_ADDR, 1, "2001:db8::g");
	fails("server fe80::1%eth0", KNTP_PERR_ADDR, 1, "fe80::1%eth0");
	fails("server pool.ntp.org", KNTP_PERR_HOSTNAME, 1, "pool.ntp.org");
	fails("ntp server", KNTP_PERR_NO_ADDR, -1, NULL);
	fails("no peer", KNTP_PERR_NO_ADDR, -1, NULL);
	fails("server 1.1.1.1 ibust", KNTP_PERR_UNKNOWN_OPT, 2, "ibust");
	l = parse("server 1.1.1.1 ibust");
	ok(!!strstr(l->err.msg, "minpoll, maxpoll, iburst, prefer, version"),
	   "unknown option lists the options");
	fails("server 1.1.1.1 minpoll abc", KNTP_PERR_NOT_INT, 3, "abc");
	fails("server 1.1.1.1 minpoll 1.5", KNTP_PERR_NOT_INT, 3, "1.5");
	fails("server 1.1.1.1 minpoll 6x", KNTP_PERR_NOT_INT, 3, "6x");
	fails("server 1.1.1.1 minpoll --6", KNTP_PERR_NOT_INT, 3, "--6");
	fails("server 1.1.1.1 version 0x4", KNTP_PERR_NOT_INT, 3, "0x4");
	fails("server 1.1.1.1 maxpoll iburst", KNTP_PERR_NOT_INT, 3, "iburst");
	fails("server 1.1.1.1 minpoll", KNTP_PERR_NO_VALUE, 2, NULL);
	fails("server 1.1.1.1 iburst version", KNTP_PERR_NO_VALUE, 3, NULL);
	fails("server 1.1.1.1 iburst prefer iburst", KNTP_PERR_DUP, 4, "iburst");
	fails("server 1.1.1.1 minpoll 4 minpoll 4", KNTP_PERR_DUP, 4, "minpoll");
	fails("server 1.1.1.1 minpoll 128", KNTP_PERR_RANGE, 3, "128");
	fails("server 1.1.1.1 maxpoll -129", KNTP_PERR_RANGE, 3, "-129");
	fails("server 1.1.1.1 version 256", KNTP_PERR_RANGE, 3, "256");
	fails("server 1.1.1.1 version -1", KNTP_PERR_RANGE, 3, "-1");
	fails("server 1.1.1.1 minpoll 99999999999999999999", KNTP_PERR_RANGE, 3,
	      "99999999999999999999");
	fails("no server 1.1.1.1 iburst", KNTP_PERR_TRAILING, 3, "iburst");
	fails("show status now", KNTP_PERR_TRAILING, 2, "now");
	fails("show assocs", KNTP_PERR_COMMAND, 1, "assocs");
	fails("frobnicate", KNTP_PERR_COMMAND, 0, "frobnicate");
	fails("ntp ntp server 1.1.1.1", KNTP_PERR_COMMAND, 1, "ntp");
	fails("show", KNTP_PERR_COMMAND, -1, NULL);
	fails("", KNTP_PERR_COMMAND, -1, NULL);
}

/* master, no master, enable, disable: the instance settings they send. */
void test_instance_commands(void)
{
	static const struct {
		const char *line;
		unsigned int set;
		int enabled, master;
	} cases[] = {
		{ "master", KNTP_REQ_MASTER, 0, KNTP_MASTER_DEFAULT },
		{ "master 3", KNTP_REQ_MASTER, 0, 3 },
		{ "ntp master 3", KNTP_REQ_MASTER, 0, 3 },
		{ "ntp master", KNTP_REQ_MASTER, 0, 8 },
		{ "master 0", KNTP_REQ_MASTER, 0, 0 },
		{ "master 255", KNTP_REQ_MASTER, 0, 255 },	/* kernel's range */
		{ "master 16", KNTP_REQ_MASTER, 0, 16 },
		{ "no master", KNTP_REQ_MASTER, 0, 0 },
		{ "no ntp master", KNTP_REQ_MASTER, 0, 0 },
		{ "ntp no master", KNTP_REQ_MASTER, 0, 0 },
		{ "enable", KNTP_REQ_ENABLED, 1, 0 },
		{ "ntp enable", KNTP_REQ_ENABLED, 1, 0 },
		{ "disable", KNTP_REQ_ENABLED, 0, 0 },
		{ "ntp disable", KNTP_REQ_ENABLED, 0, 0 },
	};
	struct line *l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		l = parse(cases[i].line);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
		   l->cmd->run == kntp_run_instance &&
		   l->req.set == cases[i].set &&
		   l->req.enabled == cases[i].enabled &&
		   l->req.master == cases[i].master && l->req.family == 0,
		   "\"%s\": INSTANCE_SET, set %#x, enabled %d, master %d (got %d: set %#x, %d, %d)",
		   cases[i].line, cases[i].set, cases[i].enabled,
		   cases[i].master, l->ret, l->req.set, l->req.enabled,
		   l->req.master);
	}
	ok(KNTP_MASTER_DEFAULT == 8, "the default master stratum is 8");

	l = parse("show counters");
	ok(!l->ret && l->cmd->run == kntp_run_show_counters &&
	   l->cmd->nl_cmd == KNTP_CMD_STATUS_GET && l->req.family == 0 &&
	   !l->req.addr_arg, "\"show counters\": the instance's, from the status");
	l = parse("show ntp counters 192.0.2.1");
	ok(!l->ret && l->cmd->run == kntp_run_show_counters &&
	   is_v4(&l->req, "192.0.2.1") && l->req.kind == 0 && l->req.set == 0,
	   "\"show ntp counters 192.0.2.1\": one association's");
	l = parse("show counters 2001:db8::1");
	ok(!l->ret && is_v6(&l->req, "2001:db8::1"),
	   "\"show counters 2001:db8::1\": IPv6");

	fails("master x", KNTP_PERR_NOT_INT, 1, "x");
	fails("master 3.5", KNTP_PERR_NOT_INT, 1, "3.5");
	fails("master 300", KNTP_PERR_RANGE, 1, "300");
	fails("master 256", KNTP_PERR_RANGE, 1, "256");
	fails("master -1", KNTP_PERR_RANGE, 1, "-1");
	fails("master 3 4", KNTP_PERR_TRAILING, 2, "4");
	fails("ntp master 3 prefer", KNTP_PERR_TRAILING, 3, "prefer");
	fails("no master 3", KNTP_PERR_TRAILING, 2, "3");
	fails("enable now", KNTP_PERR_TRAILING, 1, "now");
	fails("disable 1", KNTP_PERR_TRAILING, 1, "1");
	fails("show counters 192.0.2.1 rx", KNTP_PERR_TRAILING, 3, "rx");
	fails("show counters 192.0.2.x", KNTP_PERR_ADDR, 2, "192.0.2.x");
	fails("show counters ntp.example", KNTP_PERR_HOSTNAME, 2, "ntp.example");
	l = parse("master 300");
	ok(!!strstr(l->err.msg, "0..255"), "the range is the u8's (%s)",
	   l->err.msg);
	l = parse("no");
	ok(l->ret && strstr(l->err.msg, "server, peer, master"),
	   "\"no\" lists master (%s)", l->err.msg);
}

/* The clock commands: the one setting each sends, converted exactly. */
static const struct clock_case {
	const char *line;
	unsigned int set;
	uint8_t clock;
	uint64_t step, panic, stepout;
	int64_t offset, freq;
} clock_cases[] = {
	{ "clock system", KNTP_REQ_CLOCK, .clock = KNTP_CLOCK_SYSTEM },
	{ "ntp clock system", KNTP_REQ_CLOCK,
	  .clock = KNTP_CLOCK_SYSTEM },
	{ "clock virtual", KNTP_REQ_CLOCK, .clock = KNTP_CLOCK_VIRTUAL },
	{ "ntp clock virtual", KNTP_REQ_CLOCK,
	  .clock = KNTP_CLOCK_VIRTUAL },
	{ "clock step-threshold 0.5", KNTP_REQ_STEP_THRESHOLD,
	  .step = 500000 },
	{ "ntp clock step-threshold 128", KNTP_REQ_STEP_THRESHOLD,
	  .step = 128000000 },
	{ "clock step-threshold 0", KNTP_REQ_STEP_THRESHOLD, .step = 0 },
	{ "clock step-threshold -0", KNTP_REQ_STEP_THRESHOLD, .step = 0 },
	{ "clock step-threshold .25", KNTP_REQ_STEP_THRESHOLD,
	  .step = 250000 },
	{ "clock step-threshold 0.000001", KNTP_REQ_STEP_THRESHOLD,
	  .step = 1 },
	/* half a ns rounds away from zero */
	{ "clock step-threshold 0.0000005", KNTP_REQ_STEP_THRESHOLD,
	  .step = 1 },
	{ "clock step-threshold 0.00000049999", KNTP_REQ_STEP_THRESHOLD,
	  .step = 0 },
	{ "clock step-threshold 18446744073709.551615",
	  KNTP_REQ_STEP_THRESHOLD, .step = UINT64_MAX },
	/* not 0.1 in binary: no float */
	{ "clock step-threshold 0.1", KNTP_REQ_STEP_THRESHOLD,
	  .step = 100000 },
	{ "clock panic-threshold 1000", KNTP_REQ_PANIC_THRESHOLD,
	  .panic = 1000000000000ULL },
	{ "clock panic-threshold 0", KNTP_REQ_PANIC_THRESHOLD,
	  .panic = 0 },
	{ "clock panic-threshold 0.3", KNTP_REQ_PANIC_THRESHOLD,
	  .panic = 300000000 },
	{ "clock stepout 900", KNTP_REQ_STEPOUT,
	  .stepout = 900000000000ULL },
	{ "clock stepout 0.000000001", KNTP_REQ_STEPOUT, .stepout = 1 },
	{ "clock stepout +2.5", KNTP_REQ_STEPOUT,
	  .stepout = 2500000000ULL },
	{ "clock inject offset 300 frequency -100",
	  KNTP_REQ_INJECT_OFFSET | KNTP_REQ_INJECT_FREQ,
	  .offset = 300000000, .freq = -100000 },
	{ "ntp clock inject frequency 30 offset 50",
	  KNTP_REQ_INJECT_OFFSET | KNTP_REQ_INJECT_FREQ,
	  .offset = 50000000, .freq = 30000 },
	{ "clock inject offset -40", KNTP_REQ_INJECT_OFFSET,
	  .offset = -40000000 },
	{ "clock inject frequency -0.001", KNTP_REQ_INJECT_FREQ,
	  .freq = -1 },
	{ "clock inject frequency 1.0005", KNTP_REQ_INJECT_FREQ,
	  .freq = 1001 },
	{ "clock inject frequency -1.0005", KNTP_REQ_INJECT_FREQ,
	  .freq = -1001 },
	{ "clock inject offset -0.0000005", KNTP_REQ_INJECT_OFFSET,
	  .offset = -1 },
	{ "clock inject offset 9223372036854.775807",
	  KNTP_REQ_INJECT_OFFSET, .offset = INT64_MAX },
	{ "clock inject offset -9223372036854.775808",
	  KNTP_REQ_INJECT_OFFSET, .offset = INT64_MIN },
};

static void clock_settings(void)
{
	const struct clock_case *cases = clock_cases;
	struct line *l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(clock_cases); i++) {
		l = parse(cases[i].line);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
		   l->cmd->run == kntp_run_instance &&
		   l->req.set == cases[i].set &&
		   l->req.clock == cases[i].clock &&
		   l->req.step_ns == cases[i].step &&
		   l->req.panic_ns == cases[i].panic &&
		   l->req.stepout_ns == cases[i].stepout &&
		   l->req.inject_offset_ns == cases[i].offset &&
		   l->req.inject_freq_ppb == cases[i].freq &&
		   l->req.family == 0,
		   "\"%s\": set %#x clock %u step %llu panic %llu stepout %llu offset %lld freq %lld (got %d: %#x %u %llu %llu %llu %lld %lld)",
		   cases[i].line, cases[i].set, cases[i].clock,
		   (unsigned long long)cases[i].step,
		   (unsigned long long)cases[i].panic,
		   (unsigned long long)cases[i].stepout,
		   (long long)cases[i].offset, (long long)cases[i].freq,
		   l->ret, l->req.set, l->req.clock,
		   (unsigned long long)l->req.step_ns,
		   (unsigned long long)l->req.panic_ns,
		   (unsigned long long)l->req.stepout_ns,
		   (long long)l->req.inject_offset_ns,
		   (long long)l->req.inject_freq_ppb);
	}
	l = parse("clock stepout 900");
	ok(!l->ret && l->req.value_arg && !strcmp(l->req.value_arg, "900"),
	   "the number typed is kept for the error context");
}

/* Not a number, or out of the attribute's range. */
static void clock_number_errors(void)
{
	struct line *l;

	fails("clock step-threshold abc", KNTP_PERR_NOT_NUM, 2, "abc");
	l = parse("clock step-threshold abc");
	ok(!strcmp(l->err.msg, "step-threshold \"abc\": not a number"),
	   "not a number: the setting and the argument quoted (%s)",
	   l->err.msg);
	fails("clock step-threshold 1e3", KNTP_PERR_NOT_NUM, 2, "1e3");
	fails("clock step-threshold 5.", KNTP_PERR_NOT_NUM, 2, "5.");
	fails("clock step-threshold .", KNTP_PERR_NOT_NUM, 2, ".");
	fails("clock step-threshold -", KNTP_PERR_NOT_NUM, 2, "-");
	fails("clock step-threshold 1.2.3", KNTP_PERR_NOT_NUM, 2, "1.2.3");
	fails("clock step-threshold 0x10", KNTP_PERR_NOT_NUM, 2, "0x10");
	fails("clock step-threshold --1", KNTP_PERR_NOT_NUM, 2, "--1");
	fails("clock step-threshold inf", KNTP_PERR_NOT_NUM, 2, "inf");
	fails("clock step-threshold 5ms", KNTP_PERR_NOT_NUM, 2, "5ms");
	fails("clock step-threshold 1,5", KNTP_PERR_NOT_NUM, 2, "1,5");
	fails("clock step-threshold -1", KNTP_PERR_RANGE, 2, "-1");
	l = parse("clock step-threshold -1");
	ok(!!strstr(l->err.msg, "(0..18446744073709.551615)"),
	   "the range is the u64's, in msec (%s)", l->err.msg);
	fails("clock step-threshold 18446744073709.551616", KNTP_PERR_RANGE, 2,
	      "18446744073709.551616");
	fails("clock step-threshold 18446744073709.5516155", KNTP_PERR_RANGE,
	      2, "18446744073709.5516155");	/* rounds up past the max */
	fails("clock step-threshold 99999999999999999999", KNTP_PERR_RANGE, 2,
	      "99999999999999999999");
	fails("clock panic-threshold -0.5", KNTP_PERR_RANGE, 2, "-0.5");
	fails("clock panic-threshold 18446744074", KNTP_PERR_RANGE, 2,
	      "18446744074");
	fails("clock stepout x", KNTP_PERR_NOT_NUM, 2, "x");
	fails("clock stepout -5", KNTP_PERR_RANGE, 2, "-5");
}

/* clock inject: a signed range, its two options, each once. */
static void clock_inject_errors(void)
{
	struct line *l;

	fails("clock inject offset 9223372036854.775808", KNTP_PERR_RANGE, 3,
	      "9223372036854.775808");
	l = parse("clock inject offset 9223372036854.775808");
	ok(!!strstr(l->err.msg,
		    "(-9223372036854.775808..9223372036854.775807)"),
	   "the range is the s64's, in msec (%s)", l->err.msg);
	fails("clock inject offset -9223372036854.775809", KNTP_PERR_RANGE, 3,
	      "-9223372036854.775809");
	fails("clock inject frequency x", KNTP_PERR_NOT_NUM, 3, "x");
	l = parse("clock inject frequency x");
	ok(!strcmp(l->err.msg, "frequency \"x\": not a number"),
	   "inject names the option (%s)", l->err.msg);
	fails("clock inject", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("clock inject offset", KNTP_PERR_NO_VALUE, 2, NULL);
	fails("clock inject offset 1 frequency", KNTP_PERR_NO_VALUE, 4, NULL);
	fails("clock inject offset 1 offset 2", KNTP_PERR_DUP, 4, "offset");
	fails("clock inject drift 3", KNTP_PERR_UNKNOWN_OPT, 2, "drift");
	l = parse("clock inject drift 3");
	ok(!!strstr(l->err.msg, "(expected offset, frequency)"),
	   "inject lists its options (%s)", l->err.msg);
}

/* A missing value, a word too many, an unknown clock word. */
static void clock_word_errors(void)
{
	struct line *l;

	fails("clock step-threshold", KNTP_PERR_NO_VALUE, -1, NULL);
	l = parse("clock step-threshold");
	ok(!strcmp(l->err.msg, "missing value (MSEC)"),
	   "missing value: its unit (%s)", l->err.msg);
	fails("clock stepout", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("clock step-threshold 1 2", KNTP_PERR_TRAILING, 3, "2");
	fails("clock system now", KNTP_PERR_TRAILING, 2, "now");
	fails("clock virtual 1", KNTP_PERR_TRAILING, 2, "1");
	fails("clock wall", KNTP_PERR_COMMAND, 1, "wall");
	fails("clock", KNTP_PERR_COMMAND, -1, NULL);
	l = parse("clock");
	ok(l->ret && strstr(l->err.msg,
			    "system, virtual, step-threshold, panic-threshold, stepout, inject"),
	   "\"clock\" lists its words (%s)", l->err.msg);
}

void test_clock_commands(void)
{
	clock_settings();
	clock_number_errors();
	clock_inject_errors();
	clock_word_errors();
}

/* kntp_parse_decimal() and its inverse, directly. */
void test_decimal(void)
{
	static const struct {
		const char *text;
		int digits;
		uint64_t mag;
		int neg;
		const char *back;	/* kntp_fmt_decimal() of the result */
	} cases[] = {
		{ "0", 6, 0, 0, "0" },
		{ "-0", 6, 0, 1, "0" },
		{ "1", 0, 1, 0, "1" },
		{ "1.5", 0, 2, 0, "2" },	/* half away */
		{ "-1.5", 0, 2, 1, "-2" },
		{ "1.4999", 0, 1, 0, "1" },
		{ "0.5", 6, 500000, 0, "0.5" },
		{ "128", 6, 128000000, 0, "128" },
		{ "-100", 3, 100000, 1, "-100" },
		{ "007.010", 3, 7010, 0, "7.01" },
		{ "0.000000001", 9, 1, 0, "0.000000001" },
		{ "18446744073709551615", 0, UINT64_MAX, 0,
		  "18446744073709551615" },
		{ "18446744073709.551615", 6, UINT64_MAX, 0,
		  "18446744073709.551615" },
	};
	static const char *const sign[] = { "", "-" };
	char buf[48];
	uint64_t mag;
	size_t i;
	int neg;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = kntp_parse_decimal(cases[i].text, cases[i].digits,
					     &mag, &neg);

		kntp_fmt_decimal(buf, sizeof(buf), mag, neg, cases[i].digits);
		ok(!ret && mag == cases[i].mag && neg == cases[i].neg &&
		   !strcmp(buf, cases[i].back),
		   "\"%s\" with %d digits is %s%llu, prints %s (got %d %d %llu %s)",
		   cases[i].text, cases[i].digits, sign[cases[i].neg],
		   (unsigned long long)cases[i].mag, cases[i].back, ret, neg,
		   (unsigned long long)mag, buf);
	}
	ok(kntp_parse_decimal("18446744073709551616", 0, &mag, &neg) ==
	   -ERANGE && kntp_parse_decimal("18446744073709551615.5", 0, &mag,
					 &neg) == -ERANGE &&
	   kntp_parse_decimal("", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("+", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("1 ", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("99999999999999999999x", 3, &mag, &neg) ==
	   -EINVAL,
	   "overflow is -ERANGE, bad syntax -EINVAL (even when long)");
}
