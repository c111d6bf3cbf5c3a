// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON output (json.c and show_json.c): -j and --json
 * on the command line, string escapes, the keys of every attribute, and
 * show associations, status and counters as JSON documents.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>
#include <netlink/attr.h>

#include "json.h"
#include "run.h"
#include "show.h"
#include "test_util.h"

static char *escaped(const char *s)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_json_escape(mem, s);
	fclose(mem);
	return text;
}

static void escape_is(const char *s, const char *want, const char *what)
{
	char *text = escaped(s);

	ok(text && !strcmp(text, want), "JSON escape: %s (got %s)", what,
	   text);
	free(text);
}

/* -j and --json, anywhere; only commands with JSON output take them. */
static void test_json_option(void)
{
	struct line *l;

	l = parse("-j show associations");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_assocs,
	   "-j before the command words");
	l = parse("show ntp status --json");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_status,
	   "--json after the command words");
	l = parse("show -j counters 192.0.2.1");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_counters &&
	   is_v4(&l->req, "192.0.2.1") &&
	   !strcmp(l->req.addr_arg, "192.0.2.1"),
	   "-j between the words; the address still parses");
	l = parse("show counters");
	ok(!l->ret && !l->req.json, "without -j: human output");
	l = parse("show status -j --json");
	ok(!l->ret && l->req.json, "-j twice is -j");
	l = parse("-j server 192.0.2.1");
	ok(l->ret && l->err.code == KNTP_PERR_UNKNOWN_OPT &&
	   strstr(l->err.msg, "-j: \"server\" has no JSON output"),
	   "-j on a command without JSON output is a usage error (%s)",
	   l->err.msg);
	l = parse("show ntp metrics -j");
	ok(l->ret && l->err.code == KNTP_PERR_UNKNOWN_OPT &&
	   strstr(l->err.msg, "-j: \"show metrics\" has no JSON output"),
	   "-j on a show command without JSON output names it (%s)",
	   l->err.msg);
	l = parse("-j");
	ok(l->ret && l->err.code == KNTP_PERR_COMMAND,
	   "-j alone: missing command");
	l = parse("clock inject offset -100");
	ok(!l->ret && !l->req.json && l->req.inject_offset_ns == -100000000,
	   "a negative number is not an option");
}

static void test_json_escape(void)
{
	escape_is("LOCL", "\"LOCL\"", "plain");
	escape_is("a\"b\\c/d", "\"a\\\"b\\\\c/d\"", "quote and backslash");
	escape_is("\n\r\t\b\f\x01\x1f\x7f",
		  "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"", "control characters");
	escape_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x95\x90",
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x95\x90\"",
		  "valid UTF-8 passes");
	escape_is("a\xff" "b\xc3", "\"a\\ufffdb\\ufffd\"",
		  "bytes that are not UTF-8");
	escape_is("\xc0\xaf\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "overlong and surrogate forms");
	ok(json_valid("{\"a\": [1, -2, true, null, \"x\\u0001\"], \"b\": {}}\n") &&
	   !json_valid("{\"a\": 1,}\n") && !json_valid("{\"a\" 1}\n") &&
	   !json_valid("[\"a\nb\"]\n") && !json_valid("{} {}\n") &&
	   !json_valid("[01]\n"),
	   "the test's JSON checker accepts JSON and refuses the rest");
}

/* Every attribute of a record has a key; the keys of a set differ. */
static void test_json_keys(void)
{
	const struct kntp_attrset *sets[] = {
		&kntp_assoc_set, &kntp_status_set,
	};
	const char *missing = NULL, *dup = NULL, *nounit = NULL;
	size_t s;
	int t, u;

	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		for (t = 1; t <= sets[s]->max; t++) {
			const char *k = kntp_json_key(sets[s], t);

			if (sets[s]->fields[t].type == KNTP_FT_NONE)
				continue;
			if (!k) {
				missing = kntp_attr_name(sets[s], t);
				continue;
			}
			for (u = 1; u < t; u++)
				if (kntp_json_key(sets[s], u) &&
				    !strcmp(kntp_json_key(sets[s], u), k) &&
				    strcmp(k, "address"))
					dup = k;
			if ((sets[s]->fields[t].type == KNTP_FT_U64 ||
			     sets[s]->fields[t].type == KNTP_FT_S64) &&
			    !strstr(k, "_ns") && !strstr(k, "_ppb") &&
			    !strstr(k, "_ts"))	/* NTP timestamp format */
				nounit = k;
		}
	}
	ok(!missing, "every attribute has a JSON key (missing: %s)",
	   missing ? missing : "none");
	ok(!dup, "JSON keys are unique in a set (dup: %s)", dup ? dup : "none");
	ok(!nounit, "64-bit values carry a unit (%s)", nounit ? nounit : "all");
	ok(!strcmp(kntp_json_key(&kntp_assoc_set, KNTP_A_ASSOC_RX_AGE),
		   "when_ms") &&
	   !strcmp(kntp_json_key(&kntp_assoc_set, KNTP_A_ASSOC_POLL),
		   "poll_log2") &&
	   !strcmp(kntp_json_key(&kntp_status_set, KNTP_A_STATUS_FREQ),
		   "frequency_ppb") &&
	   !strcmp(kntp_json_key(&kntp_stats_set, KNTP_STAT_DROP_SHORT),
		   "drop_short"),
	   "keys name their units; counters keep their names");
}

static void json_is(char *text, const char *want, const char *what)
{
	int same = text && !strcmp(text, want);

	ok(same && json_valid(text), "JSON %s", what);
	if (!same) {
		printf("# got:  %s", text ? text : "(null)\n");
		printf("# want: %s", want);
	}
	free(text);
}

/* A server as the kernel sends it, with the counters nest. */
static int json_server(unsigned char *buf, const unsigned char *nest, int m)
{
	uint32_t id = 1, age = 120, state = KNTP_ASSOC_S_DENIED | (1U << 30);
	int n = 0;

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "LOCL");
	n += put(buf + n, KNTP_A_ASSOC_REACH, 1, "\xff");
	n += put(buf + n, KNTP_A_ASSOC_POLL, 1, "\xfc");	/* -4 */
	n += put(buf + n, KNTP_A_ASSOC_RX_AGE, 4, &age);
	n += put_s64(buf + n, KNTP_A_ASSOC_OFFSET, -1500);
	n += put_s64(buf + n, KNTP_A_ASSOC_DELAY, 250000);
	n += put_u64(buf + n, KNTP_A_ASSOC_DISP, 18446744073709551615ULL);
	n += put(buf + n, KNTP_A_ASSOC_STATE, 4, &state);
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x06");
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	return n;
}

/* A peer at stratum 3 whose refid is an address; no counters. */
static int json_peer(unsigned char *buf)
{
	uint32_t id2 = 2;
	int n = 0;

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id2);
	n += put(buf + n, KNTP_A_ASSOC_ADDR6, 16,
		 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x03");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "\xc0\x00\x02\x09");
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REJECT, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_FLAGS, 4, "\x03\0\0\0");
	return n;
}

/* show associations: the two, none, the server without some attributes. */
static void json_assocs(struct kntp_rec *recs, const struct kntp_rec *stats)
{
	json_is(json_of(0, NULL, recs, stats, 2),
		"{\"associations\": [{\"id\": 1, \"address\": \"192.0.2.1\", "
		"\"kind\": \"server\", \"stratum\": 1, \"refid\": \"LOCL\", "
		"\"reach\": 255, \"poll_log2\": -4, \"when_ms\": 120, "
		"\"offset_ns\": -1500, \"delay_ns\": 250000, "
		"\"disp_ns\": 18446744073709551615, "
		"\"state\": [\"denied\", \"bit30\"], \"tally\": \"*\", "
		"\"configured\": true, \"counters\": {\"rx\": 5, \"tx\": 6}}, "
		"{\"id\": 2, \"address\": \"2001:db8::1\", \"kind\": \"peer\", "
		"\"flags\": [\"iburst\", \"prefer\"], \"stratum\": 3, "
		"\"refid\": \"192.0.2.9\", \"tally\": \" \", "
		"\"reject\": \"unreachable\", \"configured\": true}]}\n",
		"associations: keys, units, words, counters, IPv6, refid forms");
	json_is(json_of(0, NULL, NULL, NULL, 0), "{\"associations\": []}\n",
		"no associations: an empty array");
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_ID);
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_TALLY);
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_STATS);
	{
		char *t = json_of(0, NULL, recs, NULL, 1);

		ok(t && json_valid(t) &&
		   starts(t, "{\"associations\": [{\"address\": \"192.0.2.1\", "
			  "\"kind\": \"server\", \"stratum\": 1, ") &&
		   strstr(t, "\"configured\": true}") && !strstr(t, "tally") &&
		   !strstr(t, "counters"),
		   "absent attributes are left out");
		free(t);
	}
	recs[0].present |= KNTP_REC_BIT(KNTP_A_ASSOC_ID);
}

/* The status of a synchronised virtual clock; its peer is recs[0]. */
static int json_status_attrs(unsigned char *buf, const unsigned char *nest,
			     int m)
{
	uint32_t id = 1;
	int n = 0;

	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\x00");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_STATUS_SYS_PEER, 4, &id);
	n += put_s64(buf + n, KNTP_A_STATUS_OFFSET, -2000);
	n += put_u64(buf + n, KNTP_A_STATUS_JITTER, 300);
	n += put_s64(buf + n, KNTP_A_STATUS_FREQ, -12345);
	n += put(buf + n, KNTP_A_STATUS_POLL, 1, "\x06");
	n += put(buf + n, KNTP_A_STATUS_CLOCK, 1, "\x02");
	n += put_s64(buf + n, KNTP_A_STATUS_CLOCK_ERROR, 7);
	n += put(buf + n, KNTP_A_STATUS_CLOCK_NOTE, 9, "a \"b\"\n\xff");
	n += put(buf + n, KNTP_A_STATUS_DISC_STATE, 1, "\x02");
	n += put_u64(buf + n, KNTP_A_STATUS_STEP_THRESHOLD, 128000000);
	n += put_u64(buf + n, KNTP_A_STATUS_PANIC_THRESHOLD, 0);
	n += put_u64(buf + n, KNTP_A_STATUS_STEPOUT, 900000000000ULL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP, 1714566896000000000LL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP_AMOUNT, -300000000);
	n += put(buf + n, KNTP_A_STATUS_STEPS, 4, "\x01\0\0\0");
	n += put(buf + n, KNTP_A_STATUS_ENABLED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	return n;
}

/* show status, synchronised or not, and show counters. */
static void json_status(const struct kntp_rec *recs,
			const unsigned char *nest, int m)
{
	unsigned char buf[1024];
	struct kntp_reply st;
	int n = json_status_attrs(buf, nest, m);

	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(1, &st, recs, NULL, 2),
		"{\"synchronized\": true, \"system_peer\": \"192.0.2.1\", "
		"\"system_peer_id\": 1, \"leap\": 0, \"stratum\": 2, "
		"\"refid\": \"192.0.2.1\", \"enabled\": true, "
		"\"clock\": \"virtual\", \"clock_error_ns\": 7, "
		"\"offset_ns\": -2000, \"jitter_ns\": 300, "
		"\"frequency_ppb\": -12345, \"poll_log2\": 6, "
		"\"loop_state\": \"tracking\", \"steps\": 1, "
		"\"last_step_unix_ns\": 1714566896000000000, "
		"\"last_step_amount_ns\": -300000000, "
		"\"step_threshold_ns\": 128000000, \"panic_threshold_ns\": 0, "
		"\"stepout_ns\": 900000000000, "
		"\"clock_note\": \"a \\\"b\\\"\\n\\ufffd\", "
		"\"counters\": {\"rx\": 5, \"tx\": 6}}\n",
		"status: synchronized, peer address, clock, note escaped");
	{
		char *t = json_of(1, &st, NULL, NULL, 0);

		ok(t && json_valid(t) &&
		   starts(t, "{\"synchronized\": true, \"system_peer\": null, "
			  "\"system_peer_id\": 1, \"leap\": 0, \"stratum\": 2"),
		   "a system peer not in the list: null, with its id");
		free(t);
	}
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\x03");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "INIT");
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(1, &st, NULL, NULL, 0),
		"{\"synchronized\": false, \"system_peer\": null, "
		"\"leap\": 3, \"stratum\": 16, \"refid\": \"INIT\"}\n",
		"unsynchronized status: system_peer null, no counters");
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_STRATUM | NLA_F_NESTED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(2, &st, NULL, NULL, 0),
		"{\"counters\": {\"rx\": 5, \"tx\": 6}}\n", "counters");
}

/* show associations, status and counters as JSON documents. */
static void test_json_show(void)
{
	unsigned char buf[1024], nest[128];
	struct kntp_reply reply;
	struct kntp_rec recs[2], stats[2];
	int m = 0;

	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_RX, 5);
	m += put_u64(nest + m, KNTP_STAT_TX, 6);

	kntp_reply_decode(&kntp_assoc_set, buf, json_server(buf, nest, m),
			  &reply);
	recs[0] = reply.rec;
	stats[0] = reply.nest[0];
	kntp_reply_decode(&kntp_assoc_set, buf, json_peer(buf), &reply);
	recs[1] = reply.rec;
	stats[1] = reply.nest[0];
	json_assocs(recs, stats);
	json_status(recs, nest, m);
}

void test_json(void)
{
	test_json_option();
	test_json_escape();
	test_json_keys();
	test_json_show();
}
