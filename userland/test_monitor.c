// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of monitor.c: an event's attributes as a line of words and as
 * a JSON object (through json.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/kntp.h>
#include <netlink/attr.h>

#include "monitor.h"
#include "test_util.h"

/*
 * The event whose attributes fill len bytes of buf, printed: one line,
 * returned without its newline ("(no newline)" when it had none); the
 * caller frees it.
 */
static char *event_line(unsigned char *buf, int len, int json)
{
	struct nlattr *tb[KNTP_A_EVENT_MAX + 1];
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	if (nla_parse(tb, KNTP_A_EVENT_MAX, (struct nlattr *)buf, len, NULL))
		return strdup("(parse failed)");
	f = open_memstream(&out, &n);
	if (!f)
		return strdup("(no stream)");
	kntp_monitor_print(f, tb, json);
	fclose(f);
	n = strlen(out);
	if (!n || out[n - 1] != '\n' || memchr(out, '\n', n - 1)) {
		free(out);
		return strdup("(not one line)");
	}
	out[n - 1] = '\0';
	return out;
}

/* json_valid() wants the document's newline. */
static int json_line_valid(const char *line)
{
	char doc[512];

	snprintf(doc, sizeof(doc), "%s\n", line);
	return json_valid(doc);
}

/* A system peer change to 192.0.2.1 (association 3) at stratum 2. */
static int syspeer_event(unsigned char *buf)
{
	uint32_t type = KNTP_EVENT_SYSPEER, id = 3;
	uint8_t stratum = 2;
	struct in_addr a;
	int len = 0;

	inet_pton(AF_INET, "192.0.2.1", &a);
	len += put(buf + len, KNTP_A_EVENT_TYPE, 4, &type);
	/* 2026-11-29T12:00:00.000000123Z */
	len += put_u64(buf + len, KNTP_A_EVENT_TIME,
		       1795953600ULL * 1000000000ULL + 123);
	len += put(buf + len, KNTP_A_EVENT_ASSOC_ID, 4, &id);
	len += put(buf + len, KNTP_A_EVENT_ADDR4, 4, &a);
	len += put(buf + len, KNTP_A_EVENT_STRATUM, 1, &stratum);
	return len;
}

static void test_monitor_syspeer(void)
{
	unsigned char buf[256];
	int len = syspeer_event(buf);
	char *text = event_line(buf, len, 0);
	char *json = event_line(buf, len, 1);

	ok(!strcmp(text, "2026-11-29T12:00:00.000000123Z syspeer 192.0.2.1 (association 3) 2"),
	   "monitor: a system peer as words: time, event, address, association, stratum (%s)",
	   text);
	ok(!strcmp(json, "{\"time_ns\": 1795953600000000123, "
			 "\"event\": \"syspeer\", \"association\": 3, "
			 "\"address\": \"192.0.2.1\", \"stratum\": 2}"),
	   "monitor -j: the same as one JSON object on a line (%s)", json);
	free(text);
	free(json);
}

/* No system peer any more: "none", and null in JSON. */
static void test_monitor_no_peer(void)
{
	uint32_t type = KNTP_EVENT_SYSPEER;
	unsigned char buf[64];
	int len = put(buf, KNTP_A_EVENT_TYPE, 4, &type);
	char *text = event_line(buf, len, 0);
	char *json = event_line(buf, len, 1);

	ok(!strcmp(text, "- syspeer none"),
	   "monitor: no system peer, no time: \"- syspeer none\" (%s)", text);
	ok(!strcmp(json, "{\"time_ns\": 0, \"event\": \"syspeer\", \"association\": null}"),
	   "monitor -j: association null (%s)", json);
	free(text);
	free(json);
}

/*
 * A kiss code is four bytes from the network: printable ones are kept,
 * others become "?", and in JSON a quote or a backslash is escaped.
 */
static void test_monitor_kiss(void)
{
	uint32_t type = KNTP_EVENT_KOD;
	unsigned char buf[64];
	int len = 0;
	char *text, *json;

	len += put(buf + len, KNTP_A_EVENT_TYPE, 4, &type);
	len += put(buf + len, KNTP_A_EVENT_KISS, 4, "R\"\\\x01");
	text = event_line(buf, len, 0);
	json = event_line(buf, len, 1);
	ok(!strcmp(text, "- kod kiss R\"\\?"),
	   "monitor: a kiss code's unprintable byte as \"?\" (%s)", text);
	ok(json_line_valid(json) && strstr(json, "\"kiss\": \"R\\\"\\\\?\""),
	   "monitor -j: a kiss code with a quote and a backslash stays valid JSON (%s)",
	   json);
	free(text);
	free(json);
}

/* An event type this tool does not know is named so, not dropped. */
static void test_monitor_unknown(void)
{
	uint32_t type = 200;
	int64_t step_ns = -1500000;
	unsigned char buf[64];
	int len = 0;
	char *text, *json;

	len += put(buf + len, KNTP_A_EVENT_TYPE, 4, &type);
	len += put_s64(buf + len, KNTP_A_EVENT_STEP, step_ns);
	text = event_line(buf, len, 0);
	json = event_line(buf, len, 1);
	ok(!strcmp(text, "- unknown -1500000 ns"),
	   "monitor: an unknown event type, with a negative step (%s)", text);
	ok(json_line_valid(json) && strstr(json, "\"event\": \"unknown\"") &&
	   strstr(json, "\"step_ns\": -1500000"),
	   "monitor -j: the same (%s)", json);
	free(text);
	free(json);
}

void test_monitor(void)
{
	test_monitor_syspeer();
	test_monitor_no_peer();
	test_monitor_kiss();
	test_monitor_unknown();
}
