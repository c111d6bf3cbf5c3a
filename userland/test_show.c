// SPDX-License-Identifier: GPL-2.0
/*
 * The printers (fmt.c, show_assoc.c, show_status.c): refids, polls and
 * measurements formatted, the association table and its tally, the status
 * lines, the counters, and "show associations detail" as text and as JSON.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "run.h"
#include "show.h"
#include "test_util.h"

static void refid(const char *bytes, int stratum, const char *want)
{
	char buf[32];

	kntp_fmt_refid(buf, sizeof(buf), (const unsigned char *)bytes, stratum);
	ok(!strcmp(buf, want), "ref clock at stratum %d is %s (got %s)", stratum,
	   want, buf);
}

void test_render(void)
{
	char buf[64], *end;
	int p, all = 1;

	refid("INIT", 16, ".INIT.");
	refid("GPS\0", 1, ".GPS.");
	refid("LOCL", 0, ".LOCL.");
	refid("RATE", -1, ".RATE.");
	refid("\xc0\x00\x02\x01", 16, "192.0.2.1");
	refid("\xc0\x00\x02\x01", 3, "192.0.2.1");
	refid("ABCD", 3, "65.66.67.68");	/* stratum 2+: an address */
	refid("LOCL", 3, ".LOCL.");	/* but a server's own clock is named */
	refid("\0\0\0\0", 16, "0.0.0.0");
	refid("I\0T\0", 16, "73.0.84.0");	/* NUL inside: not ASCII */
	refid("\x7fTST", 16, "127.84.83.84");

	kntp_fmt_poll(buf, sizeof(buf), 6);
	ok(!strcmp(buf, "64"), "poll 6 is 64 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), -2);
	ok(!strcmp(buf, "0.25"), "poll -2 is 0.25 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), -4);
	ok(!strcmp(buf, "0.0625"), "poll -4 is 0.0625 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), 17);
	ok(!strcmp(buf, "131072"), "poll 17 is 131072 s (%s)", buf);
	for (p = -20; p < 63; p++) {
		kntp_fmt_poll(buf, sizeof(buf), p);
		if (strtod(buf, &end) != ldexp(1.0, p) || *end)
			all = 0;
	}
	ok(all, "poll -20..62 prints exactly 2^poll");
	kntp_fmt_poll(buf, sizeof(buf), -128);
	ok(!strcmp(buf, "2^-128"), "poll -128 prints as a power (%s)", buf);

	kntp_fmt_ms(buf, sizeof(buf), 0, 2);
	ok(!strcmp(buf, "0.00"), "0 ns is 0.00 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 1234999, 2);
	ok(!strcmp(buf, "1.23"), "1234999 ns is 1.23 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 1235000, 2);
	ok(!strcmp(buf, "1.24"), "1235000 ns rounds to 1.24 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 4294967295LL, 2);
	ok(!strcmp(buf, "4294.97"), "u32 max ns is 4294.97 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), -1500000, 3);
	ok(!strcmp(buf, "-1.500"), "-1.5 ms signed (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), -400, 3);
	ok(!strcmp(buf, "0.000"), "-400 ns rounds to 0.000, no sign (%s)", buf);
}

/* Column of the n-th (from 0) whitespace-separated field of s, or -1. */
static int field_col(const char *s, int n, char *out, size_t len)
{
	const char *p = s, *start;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return -1;
		start = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (!n--) {
			snprintf(out, len, "%.*s", (int)(p - start), start);
			return start - s;
		}
	}
}

/* Two associations, IPv4 and a long IPv6 address, stratum 16, poll 6. */
static void two_assocs(struct kntp_rec *recs)
{
	int i;

	memset(recs, 0, 2 * sizeof(*recs));
	memcpy(recs[0].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
	memcpy(recs[1].v[KNTP_A_ASSOC_ADDR6].b,
	       "\x20\x01\x0d\xb8\xaa\xaa\xbb\xbb\xcc\xcc\xdd\xdd\xee\xee\xff\x01",
	       16);
	for (i = 0; i < 2; i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REFID) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_POLL) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REACH) |
				  KNTP_REC_BIT(i ? KNTP_A_ASSOC_ADDR6 :
					       KNTP_A_ASSOC_ADDR4);
		recs[i].v[KNTP_A_ASSOC_STRATUM].u = 16;
		memcpy(recs[i].v[KNTP_A_ASSOC_REFID].b, "INIT", 4);
		recs[i].v[KNTP_A_ASSOC_POLL].s = 6;
		recs[i].v[KNTP_A_ASSOC_REACH].u = 9;
	}
}

/* The association table: header, rows aligned, legend. */
static void show_assocs_table(void)
{
	struct kntp_rec recs[2];
	unsigned char rest[5];
	char *text = NULL, *l1, *l2, *l3, f[64];
	size_t size = 0;
	FILE *mem;
	int i, aligned = 1;

	two_assocs(recs);
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, 2);
	fclose(mem);
	l1 = text;
	l2 = strchr(l1, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;

	/* Short address: every value sits under the end of its heading. */
	for (i = 1; i < 9; i++) {
		char h[32];
		int hc = field_col(l1, i + (i > 1), h, sizeof(h));
		int vc = field_col(l2, i, f, sizeof(f));

		if (i == 1) {	/* "ref clock" starts where .INIT. starts */
			if (hc != vc)
				aligned = 0;
			continue;
		}
		if (hc < 0 || vc < 0 ||
		    hc + strlen(h) != vc + strlen(f))
			aligned = 0;
	}
	ok(l2[0] == ' ' && l2[1] == '~' && aligned,
	   "association row aligned under the header");
	field_col(l2, 0, f, sizeof(f));
	ok(!strcmp(f, "~192.0.2.1"), "address column (%s)", f);
	field_col(l2, 5, f, sizeof(f));
	ok(!strcmp(f, "11"), "reach is octal (%s)", f);
	for (i = 0; i < 5; i++)
		rest[i] = field_col(l3, 2 + i, f, sizeof(f)) >= 0 ? f[0] : 0;
	field_col(l3, 0, f, sizeof(f));
	ok(!strcmp(f, "~2001:db8:aaaa:bbbb:cccc:dddd:eeee:ff01") &&
	   field_col(l3, 8, f, sizeof(f)) >= 0 && field_col(l3, 9, f, 2) < 0 &&
	   rest[0] == '1' && rest[1] == '-' && rest[2] == '6',
	   "a long IPv6 address keeps the columns apart");
	ok(strstr(l3, ".INIT.") && strstr(l3, "\n "),
	   "kiss code shown, legend follows");
	free(text);
}

/* The status's first line; absent attributes print -. */
static void show_status_first(void)
{
	struct kntp_rec st;
	char *text;
	size_t size = 0;
	FILE *mem;

	memset(&st, 0, sizeof(st));
	st.present = KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
		     KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
		     KNTP_REC_BIT(KNTP_A_STATUS_REFID) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DELAY);
	st.v[KNTP_A_STATUS_LEAP].u = 0;
	st.v[KNTP_A_STATUS_STRATUM].u = 3;
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "\xc0\x00\x02\x01", 4);
	st.v[KNTP_A_STATUS_ROOT_DELAY].u = 12345678;
	text = NULL;
	mem = open_memstream(&text, &size);
	kntp_show_status(mem, &st, NULL, 0);
	fclose(mem);
	ok(starts(text, "Clock is synchronized, stratum 3, reference is 192.0.2.1\n") &&
	   strstr(text, "root delay is 12.35 msec") &&
	   strstr(text, "root dispersion is - msec") &&
	   strstr(text, "associations: -"),
	   "synchronized status; absent attributes print -");
	free(text);

	st.v[KNTP_A_STATUS_LEAP].u = 3;
	text = NULL;
	mem = open_memstream(&text, &size);
	kntp_show_status(mem, &st, NULL, 0);
	fclose(mem);
	ok(starts(text, "Clock is unsynchronized, stratum 3, no reference clock\n"),
	   "leap 3 is unsynchronized");
	free(text);
}

void test_show(void)
{
	show_assocs_table();
	show_status_first();
}

/* A stats nest as the kernel builds it: padding (type 0), any order. */
static int stats_nest(unsigned char *nest)
{
	uint32_t four = 4;
	int m = 0;

	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_DROP_SHORT, 2);
	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_RX, 0x100000005ULL);
	m += put_u64(nest + m, KNTP_STAT_REPLY_SERVER, 0);
	m += put_u64(nest + m, KNTP_STAT_SAMPLES, 18446744073709551615ULL);
	m += put(nest + m, KNTP_STAT_TX, 4, &four);	/* wrong length */
	m += put_u64(nest + m, KNTP_STAT_MAX + 1, 9);	/* unknown */
	return m;
}

/* An association's reply with the nest, decoded; its counters printed. */
static void stats_assoc(const unsigned char *nest, int m)
{
	unsigned char buf[512];
	uint32_t id = 7;
	uint16_t port = 123;
	int64_t off = -1234567;
	const struct kntp_rec *stats;
	struct kntp_reply reply;
	struct kntp_rec flat;
	char *text = NULL;
	size_t size = 0;
	int n = 0, same;
	FILE *mem;

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_PAD, 0, "");
	n += put(buf + n, KNTP_A_ASSOC_OFFSET, 8, &off);
	n += put(buf + n, KNTP_A_ASSOC_LOCAL_PORT, 2, &port);
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	n += put(buf + n, KNTP_A_ASSOC_MAX + 1, 4, &id);	/* unknown */

	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_assoc_set, KNTP_A_ASSOC_STATS);
	ok(kntp_rec_has(&reply.rec, KNTP_A_ASSOC_ID) &&
	   reply.rec.v[KNTP_A_ASSOC_ID].u == 7 &&
	   reply.rec.v[KNTP_A_ASSOC_OFFSET].s == -1234567 &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_LOCAL_PORT) &&
	   reply.rec.v[KNTP_A_ASSOC_LOCAL_PORT].u == 123 &&
	   !kntp_rec_has(&reply.rec, KNTP_A_ASSOC_PAD) &&
	   !kntp_rec_has(&reply.rec, KNTP_A_ASSOC_MAX + 1),
	   "association with a stats nest: s64, u16; padding and unknown absent");
	ok(stats && kntp_rec_has(stats, KNTP_STAT_RX) &&
	   stats->v[KNTP_STAT_RX].u == 0x100000005ULL &&
	   stats->v[KNTP_STAT_DROP_SHORT].u == 2 &&
	   kntp_rec_has(stats, KNTP_STAT_REPLY_SERVER) &&
	   stats->v[KNTP_STAT_SAMPLES].u == 18446744073709551615ULL &&
	   !kntp_rec_has(stats, KNTP_STAT_TX) &&
	   !kntp_rec_has(stats, KNTP_STAT_MAX + 1) &&
	   !kntp_rec_has(stats, KNTP_STAT_KOD_DENY) && !kntp_rec_has(stats, 0),
	   "stats nest: u64 values; wrong length, unknown, absent, padding absent");

	kntp_rec_decode(&kntp_assoc_set, buf, n, &flat);
	ok(kntp_rec_has(&flat, KNTP_A_ASSOC_STATS) &&
	   flat.v[KNTP_A_ASSOC_ID].u == 7,
	   "a flat decode marks the nest present");

	mem = open_memstream(&text, &size);
	kntp_show_counters(mem, stats);
	fclose(mem);
	same = text && !strcmp(text,
		       "rx                   4294967301\n"
		       "drop_short           2\n"
		       "reply_server         0\n"
		       "samples              18446744073709551615\n");
	ok(same, "counters: \"%%-20s %%llu\", enum order, every one reported");
	diag(same, text, size);
	free(text);
}

/* The status's nest, through the status set; then none, then truncated. */
static void stats_status(const unsigned char *nest, int m)
{
	unsigned char buf[512];
	const struct kntp_rec *stats;
	struct kntp_reply reply;
	int n = 0;

	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS);
	ok(stats && stats->v[KNTP_STAT_DROP_SHORT].u == 2 &&
	   reply.rec.v[KNTP_A_STATUS_STRATUM].u == 16,
	   "the status's stats nest decodes too");
	ok(!kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STRATUM) &&
	   !kntp_reply_nest(&reply, &kntp_assoc_set, KNTP_A_ASSOC_STATS),
	   "no nest for a value attribute or an attribute not sent");

	/* A reply without the nest, then a truncated nest. */
	n = put(buf, KNTP_A_STATUS_STRATUM, 1, "\x03");
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	ok(!kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS),
	   "without STATS there are no counters");
	n = put(buf, KNTP_A_STATUS_STATS, 6, nest + 4 + 4);
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS);
	ok(stats && !stats->present, "a truncated nest decodes to nothing");
}

/* "show counters": the nest decoded, then printed in enum order. */
void test_stats(void)
{
	unsigned char nest[256];
	int m = stats_nest(nest);

	stats_assoc(nest, m);
	stats_status(nest, m);
}

static void fmt_is(void (*fmt)(char *, size_t, int64_t, int), int64_t ns,
		   int decimals, const char *want)
{
	char buf[64];

	fmt(buf, sizeof(buf), ns, decimals);
	ok(!strcmp(buf, want), "%lld ns with %d decimals is %s ms (got %s)",
	   (long long)ns, decimals, want, buf);
}

void test_fmt_measurements(void)
{
	char buf[64];

	fmt_is(kntp_fmt_ms, 123456, 3, "0.123");
	fmt_is(kntp_fmt_ms, -1234000, 3, "-1.234");
	fmt_is(kntp_fmt_ms, -1234499, 3, "-1.234");
	fmt_is(kntp_fmt_ms, -1234500, 3, "-1.235");	/* half away from 0 */
	fmt_is(kntp_fmt_ms, 1234500, 3, "1.235");
	fmt_is(kntp_fmt_ms, 999500, 3, "1.000");
	fmt_is(kntp_fmt_ms, -499, 3, "0.000");
	fmt_is(kntp_fmt_ms, -500, 3, "-0.001");
	fmt_is(kntp_fmt_ms, 999, 6, "0.000999");
	fmt_is(kntp_fmt_ms, INT64_MIN, 3, "-9223372036854.776");
	fmt_is(kntp_fmt_ms, INT64_MAX, 3, "9223372036854.776");
	kntp_fmt_ums(buf, sizeof(buf), UINT64_MAX, 3);
	ok(!strcmp(buf, "18446744073709.552"),
	   "u64 max ns does not wrap (%s)", buf);
	kntp_fmt_ums(buf, sizeof(buf), 16000000000ULL, 3);
	ok(!strcmp(buf, "16000.000"), "MAXDISP 16 s is 16000.000 ms (%s)",
	   buf);

	kntp_fmt_age(buf, sizeof(buf), 0);
	ok(!strcmp(buf, "0"), "age 0 ms is 0 s (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 1999);
	ok(!strcmp(buf, "1"), "age 1999 ms is 1 s, truncated (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 64000);
	ok(!strcmp(buf, "64"), "age 64000 ms is 64 s (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 4294967295U);
	ok(!strcmp(buf, "4294967"), "age u32 max (%s)", buf);

	kntp_fmt_time(buf, sizeof(buf), 0);
	ok(!strcmp(buf, "1970-01-01T00:00:00.000000000Z"), "epoch (%s)", buf);
	kntp_fmt_time(buf, sizeof(buf), 1714566896123456789LL);
	ok(!strcmp(buf, "2024-05-01T12:34:56.123456789Z"),
	   "a reference time in UTC with ns (%s)", buf);
	kntp_fmt_time(buf, sizeof(buf), -1);
	ok(!strcmp(buf, "1969-12-31T23:59:59.999999999Z"),
	   "before the epoch rounds down (%s)", buf);
}

/* Two associations: one measured, one denied without a sample. */
static void measured_assocs(struct kntp_rec *recs)
{
	size_t i;

	memset(recs, 0, 2 * sizeof(*recs));
	for (i = 0; i < 2; i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REFID) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_POLL) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REACH) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_DISP) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STATE);
		memcpy(recs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
		recs[i].v[KNTP_A_ASSOC_POLL].s = 6;
	}
	recs[0].present |= KNTP_REC_BIT(KNTP_A_ASSOC_RX_AGE) |
			   KNTP_REC_BIT(KNTP_A_ASSOC_DELAY) |
			   KNTP_REC_BIT(KNTP_A_ASSOC_OFFSET);
	recs[0].v[KNTP_A_ASSOC_STRATUM].u = 2;
	memcpy(recs[0].v[KNTP_A_ASSOC_REFID].b, "\x0a\x00\x00\x01", 4);
	recs[0].v[KNTP_A_ASSOC_REACH].u = 0377;
	recs[0].v[KNTP_A_ASSOC_RX_AGE].u = 1999;
	recs[0].v[KNTP_A_ASSOC_DELAY].s = 123456;
	recs[0].v[KNTP_A_ASSOC_OFFSET].s = -1234500;
	recs[0].v[KNTP_A_ASSOC_DISP].u = 1250000;
	recs[1].v[KNTP_A_ASSOC_STRATUM].u = 16;
	memcpy(recs[1].v[KNTP_A_ASSOC_REFID].b, "DENY", 4);
	recs[1].v[KNTP_A_ASSOC_DISP].u = 16000000000ULL;
	recs[1].v[KNTP_A_ASSOC_STATE].u = KNTP_ASSOC_S_DENIED;
}

/* "show associations" with measurements: the values under their headings. */
void test_show_measurements(void)
{
	static const char *const heads[] = {
		"when", "poll", "reach", "delay", "offset", "disp",
	};
	struct kntp_rec recs[2];
	char *text = NULL, *l1, *l2, *l3, h[32], f[64];
	static const char *const want2[] = {
		"1", "64", "377", "0.123", "-1.235", "1.250",
	};
	static const char *const want3[] = {
		"-", "64", "0", "-", "-", "16000.000",
	};
	size_t size = 0, i;
	int ok2 = 1, ok3 = 1;
	FILE *mem;

	measured_assocs(recs);
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, 2);
	fclose(mem);
	l1 = text;
	l2 = strchr(l1, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		int hc = field_col(l1, 4 + i, h, sizeof(h));
		int vc = field_col(l2, 3 + i, f, sizeof(f));

		if (strcmp(h, heads[i]) || strcmp(f, want2[i]) ||
		    hc + strlen(h) != vc + strlen(f))
			ok2 = 0;
		vc = field_col(l3, 3 + i, f, sizeof(f));
		if (strcmp(f, want3[i]) || hc + strlen(h) != vc + strlen(f))
			ok3 = 0;
	}
	ok2 = ok2 && field_col(l2, 1, f, sizeof(f)) >= 0 &&
	      !strcmp(f, "10.0.0.1") && field_col(l2, 9, f, sizeof(f)) < 0;
	ok(ok2, "measured: when 1, delay 0.123, offset -1.235, disp 1.250, aligned");
	ok(ok3, "no sample: when, delay, offset are -, disp 16000.000");
	diag(ok2 && ok3, text, size);
	field_col(l3, 1, f, sizeof(f));
	ok(!strcmp(f, ".DENY.") && field_col(l3, 9, f, sizeof(f)) >= 0 &&
	   !strcmp(f, "denied") && field_col(l3, 10, f, sizeof(f)) < 0,
	   "a denied association: .DENY. and \"denied\" after the row");
	free(text);

	recs[1].v[KNTP_A_ASSOC_STATE].u = KNTP_ASSOC_S_RATE;
	text = NULL;
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs + 1, 1);
	fclose(mem);
	l2 = strchr(text, '\n') + 1;
	ok(field_col(l2, 9, f, sizeof(f)) >= 0 && !strcmp(f, "rate") &&
	   !strstr(text, "denied"), "a rate-limited association: \"rate\"");
	free(text);
}

static char *status_text(const struct kntp_rec *st)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_status(mem, st, NULL, 0);
	fclose(mem);
	return text;
}

/* ok() with the status text as diagnostics when it fails. */
static void status_ok(int cond, const char *text, const char *what)
{
	ok(cond, "%s", what);
	diag(cond, text, strlen(text));
}

void test_status_lines(void)
{
	struct kntp_rec st;
	char *text;

	memset(&st, 0, sizeof(st));
	st.present = KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
		     KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
		     KNTP_REC_BIT(KNTP_A_STATUS_REFID) |
		     KNTP_REC_BIT(KNTP_A_STATUS_PRECISION) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DELAY) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DISP) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ASSOC_COUNT) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ENABLED) |
		     KNTP_REC_BIT(KNTP_A_STATUS_MASTER) |
		     KNTP_REC_BIT(KNTP_A_STATUS_REFTIME);
	st.v[KNTP_A_STATUS_LEAP].u = 0;
	st.v[KNTP_A_STATUS_STRATUM].u = 8;
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "LOCL", 4);
	st.v[KNTP_A_STATUS_PRECISION].s = -20;
	st.v[KNTP_A_STATUS_ROOT_DISP].u = 10000000;
	st.v[KNTP_A_STATUS_ENABLED].u = 1;
	st.v[KNTP_A_STATUS_MASTER].u = 8;
	st.v[KNTP_A_STATUS_REFTIME].s = 1714566896123456789LL;
	text = status_text(&st);
	status_ok(!strcmp(text,
			  "Clock is synchronized, stratum 8, reference is .LOCL.\n"
			  "kntp is enabled\n"
			  "serving our own clock at stratum 8 (ntp master)\n"
			  "system peer is none\n"
			  "precision is 2**-20\n"
			  "reference time is 2024-05-01T12:34:56.123456789Z\n"
			  "root delay is 0.00 msec, root dispersion is 10.00 msec\n"
			  "associations: 0\n"),
		  text, "master status, every line");
	free(text);

	st.v[KNTP_A_STATUS_MASTER].u = 0;
	st.v[KNTP_A_STATUS_ENABLED].u = 0;
	st.present &= ~KNTP_REC_BIT(KNTP_A_STATUS_REFTIME);
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "\xc0\x00\x02\x01", 4);
	text = status_text(&st);
	status_ok(starts(text, "Clock is synchronized, stratum 8, reference is 192.0.2.1\n") &&
		  strstr(text, "\nkntp is disabled\n") &&
		  !strstr(text, "master") && !strstr(text, "reference time"),
		  text, "not master: an address at stratum 8; disabled; no reftime");
	free(text);

	st.v[KNTP_A_STATUS_STRATUM].u = 16;
	st.v[KNTP_A_STATUS_LEAP].u = 3;
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "INIT", 4);
	st.present &= ~(KNTP_REC_BIT(KNTP_A_STATUS_ENABLED) |
			KNTP_REC_BIT(KNTP_A_STATUS_MASTER));
	text = status_text(&st);
	status_ok(starts(text, "Clock is unsynchronized, stratum 16, no reference clock\n"
			 "system peer is none\n"
			 "precision is 2**-20\n"),
		  text, "unsynchronized first; without ENABLED and MASTER no such lines");
	free(text);

	st.v[KNTP_A_STATUS_STRATUM].u = 8;
	st.v[KNTP_A_STATUS_LEAP].u = 3;
	st.present |= KNTP_REC_BIT(KNTP_A_STATUS_MASTER);
	st.v[KNTP_A_STATUS_MASTER].u = 8;
	text = status_text(&st);
	status_ok(starts(text, "Clock is unsynchronized, stratum 8, no reference clock\n") &&
		  strstr(text, "\nserving our own clock at stratum 8 (ntp master)\n"),
		  text, "master set but leap 3: unsynchronized first line");
	free(text);
}

/*
 * The shared word tables are as long as fmt.h says: a shorter one would
 * end in an entry without a word (the compiler fills it in).
 */
static void test_word_tables(void)
{
	static const struct {
		const char *name;
		const struct kntp_word *w;
		size_t n;
	} t[] = {
		{ "state", kntp_state_words, ARRAY_SIZE(kntp_state_words) },
		{ "reject", kntp_reject_words, ARRAY_SIZE(kntp_reject_words) },
		{ "auth", kntp_auth_words, ARRAY_SIZE(kntp_auth_words) },
		{ "mode", kntp_mode_words, ARRAY_SIZE(kntp_mode_words) },
		{ "kind", kntp_kind_words, ARRAY_SIZE(kntp_kind_words) },
		{ "flag", kntp_flag_words, ARRAY_SIZE(kntp_flag_words) },
		{ "leap", kntp_leap_words, ARRAY_SIZE(kntp_leap_words) },
		{ "clock", kntp_clock_words, ARRAY_SIZE(kntp_clock_words) },
		{ "loop state", kntp_disc_keys, ARRAY_SIZE(kntp_disc_keys) },
	};
	size_t i, j, empty;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		for (j = 0, empty = 0; j < t[i].n; j++)
			empty += !t[i].w[j].word || !*t[i].w[j].word;
		ok(!empty, "the %s words: all %zu entries have a word",
		   t[i].name, t[i].n);
	}
}

/*
 * A cell is what attr.c's entry says: its formatter, else its word ("_"
 * read as " ", the number for a value without one), else the number;
 * "-" when absent, and for what is not an attribute of the set.
 */
static void test_cells(void)
{
	static const struct {
		int type;
		uint64_t v;
		const char *want;
	} cases[] = {
		{ KNTP_A_ASSOC_LEAP, KNTP_LEAP_ADD, "add second" },
		{ KNTP_A_ASSOC_LEAP, 7, "7" },			/* no word */
		{ KNTP_A_ASSOC_REJECT, KNTP_REJECT_NOSAMPLE, "no sample" },
		{ KNTP_A_ASSOC_PRECISION, (uint64_t)-20, "-20" }, /* signed */
		{ KNTP_A_ASSOC_VERSION, 4, "4" },
		{ KNTP_A_ASSOC_REACH, 0377, "377" },		/* octal */
		{ KNTP_A_ASSOC_DELAY, 1500000, "1.500" },	/* ms */
		{ KNTP_A_ASSOC_ROOT_DELAY, 1500000, "1.50" },
		{ KNTP_A_ASSOC_RX_AGE, 65999, "65" },		/* s */
		{ KNTP_A_ASSOC_PAD, 1, "-" },		/* not shown */
	};
	struct kntp_rec r;
	const char *name;
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		name = kntp_attr_name(&kntp_assoc_set, cases[i].type);
		if (!name)
			name = "pad";
		memset(&r, 0, sizeof(r));
		kntp_fmt_cell(buf, sizeof(buf), &kntp_assoc_set, &r,
			      cases[i].type);
		ok(!strcmp(buf, "-"), "cell of an absent %s: - (got %s)", name,
		   buf);
		r.present = KNTP_REC_BIT(cases[i].type);
		r.v[cases[i].type].u = cases[i].v;
		kntp_fmt_cell(buf, sizeof(buf), &kntp_assoc_set, &r,
			      cases[i].type);
		ok(!strcmp(buf, cases[i].want), "cell of %s %" PRId64 ": %s (got %s)",
		   name, (int64_t)cases[i].v, cases[i].want, buf);
	}
}

/* The first character of "show associations" is the tally's. */
void test_tally(void)
{
	static const struct {
		int present;
		uint64_t tally;
		char c;
	} cases[] = {
		{ 0, 0, ' ' },
		{ 1, KNTP_TALLY_REJECT, ' ' },
		{ 1, KNTP_TALLY_FALSETICKER, 'x' },
		{ 1, KNTP_TALLY_OUTLIER, '-' },
		{ 1, KNTP_TALLY_BACKUP, '#' },
		{ 1, KNTP_TALLY_CANDIDATE, '+' },
		{ 1, KNTP_TALLY_SYSPEER, '*' },
		{ 1, 0, ' ' },			/* not a tally */
		{ 1, KNTP_TALLY_SYSPEER + 1, ' ' },	/* a future one */
	};
	struct kntp_rec recs[ARRAY_SIZE(cases)];
	char *text = NULL, *row, f[64];
	size_t size = 0, i;
	int all = 1, cols = 1;
	FILE *mem;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM);
		if (cases[i].present)
			recs[i].present |= KNTP_REC_BIT(KNTP_A_ASSOC_TALLY);
		memcpy(recs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
		recs[i].v[KNTP_A_ASSOC_ADDR4].b[3] = 1 + i;
		recs[i].v[KNTP_A_ASSOC_STRATUM].u = 2;
		recs[i].v[KNTP_A_ASSOC_TALLY].u = cases[i].tally;
	}
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, ARRAY_SIZE(cases));
	fclose(mem);
	row = strchr(text, '\n') + 1;
	for (i = 0; i < ARRAY_SIZE(cases); i++, row = strchr(row, '\n') + 1) {
		char want[32];

		if (row[0] != cases[i].c || row[1] != '~')
			all = 0;
		/* As the shell tests read it: strip two, split at blanks. */
		snprintf(want, sizeof(want), "192.0.2.%zu", 1 + i);
		if (field_col(row + 2, 0, f, sizeof(f)) != 0 ||
		    strcmp(f, want) || field_col(row + 2, 2, f, sizeof(f)) < 0 ||
		    strcmp(f, "2"))
			cols = 0;
	}
	ok(all, "tally: absent ' ', reject ' ', x - # + *, unknown ' '");
	ok(cols, "after the tally and '~' the columns are unchanged");
	diag(all && cols, text, size);
	free(text);
	test_word_tables();
	test_cells();
}

static char *status_text_with(const struct kntp_rec *st,
			      const struct kntp_rec *assocs, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_status(mem, st, assocs, n);
	fclose(mem);
	return text;
}

/* The line of text that starts with prefix, as "grep ^prefix" finds it. */
static int has_line(const char *text, const char *line)
{
	const char *p;
	size_t n = strlen(line);

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* A synchronised instance with a virtual clock, as the kernel sends it. */
static int status_clock_attrs(unsigned char *buf)
{
	unsigned char u8v;
	int8_t poll = 6, prec = -20;
	uint32_t peer = 7, steps = 1, count3 = 3;
	int n = 0;

	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\0");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_STATUS_PRECISION, 1, &prec);
	n += put_u64(buf + n, KNTP_A_STATUS_ROOT_DELAY, 1234567);
	n += put_u64(buf + n, KNTP_A_STATUS_ROOT_DISP, 2345678);
	n += put(buf + n, KNTP_A_STATUS_ASSOC_COUNT, 4, &count3);
	n += put(buf + n, KNTP_A_STATUS_ENABLED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_MASTER, 1, "\0");
	n += put_s64(buf + n, KNTP_A_STATUS_REFTIME, 1714566896123456789LL);
	u8v = KNTP_CLOCK_VIRTUAL;
	n += put(buf + n, KNTP_A_STATUS_CLOCK, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_CLOCK_OWNER, 1, "\0");
	n += put_s64(buf + n, KNTP_A_STATUS_CLOCK_ERROR, -1234567);
	n += put_s64(buf + n, KNTP_A_STATUS_OFFSET, 123456);
	n += put_u64(buf + n, KNTP_A_STATUS_JITTER, 45500);
	n += put_s64(buf + n, KNTP_A_STATUS_FREQ, -12345);
	n += put(buf + n, KNTP_A_STATUS_POLL, 1, &poll);
	n += put(buf + n, KNTP_A_STATUS_SYS_PEER, 4, &peer);
	u8v = KNTP_DISC_SYNC;
	n += put(buf + n, KNTP_A_STATUS_DISC_STATE, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_STEPS, 4, &steps);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP, 1714566896123456789LL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP_AMOUNT, -50000123);
	n += put_u64(buf + n, KNTP_A_STATUS_STEP_THRESHOLD, 128000000);
	n += put_u64(buf + n, KNTP_A_STATUS_PANIC_THRESHOLD, 1000000000000ULL);
	n += put_u64(buf + n, KNTP_A_STATUS_STEPOUT, 900000000000ULL);
	return n;
}

/* The dump: the system peer is the second, an IPv6 address. */
static void status_clock_assocs(struct kntp_rec *assocs)
{
	int i;

	memset(assocs, 0, 3 * sizeof(*assocs));
	for (i = 0; i < 3; i++) {
		assocs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ID) |
				    KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4);
		assocs[i].v[KNTP_A_ASSOC_ID].u = 6 + i;
		memcpy(assocs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x09", 4);
	}
	assocs[1].present = KNTP_REC_BIT(KNTP_A_ASSOC_ID) |
			    KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6);
	memcpy(assocs[1].v[KNTP_A_ASSOC_ADDR6].b,
	       "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05", 16);
}

/* Every line of a virtual clock's status; a system peer not in the dump. */
static void status_virtual(const struct kntp_rec *st,
			   const struct kntp_rec *assocs)
{
	char *text;

	text = status_text_with(st, assocs, 3);
	status_ok(!strcmp(text,
			  "Clock is synchronized, stratum 2, reference is 192.0.2.1\n"
			  "kntp is enabled\n"
			  "system peer is 2001:db8::5\n"
			  "precision is 2**-20\n"
			  "reference time is 2024-05-01T12:34:56.123456789Z\n"
			  "clock offset is 0.123 msec, jitter is 0.046 msec\n"
			  "root delay is 1.23 msec, root dispersion is 2.35 msec\n"
			  "frequency is -12.345 ppm\n"
			  "poll interval is 64 s\n"
			  "loop state is tracking\n"
			  "clock is virtual, error -1.234567 msec against the system clock\n"
			  "step threshold 128 msec, panic threshold 1000 s, stepout 900 s\n"
			  "last step: -50.000123 msec at 2024-05-01T12:34:56.123456789Z (1 steps)\n"
			  "associations: 3\n"),
		  text, "virtual clock status, every line");
	free(text);

	/* Not in the dump (deleted meanwhile): its id. */
	text = status_text_with(st, assocs, 1);
	status_ok(has_line(text, "system peer is association 7"), text,
		  "a system peer missing from the dump: its association id");
	free(text);
}

/* The system clock, owned, with a note; thresholds off; no step. */
static void status_system(unsigned char *buf, int n, struct kntp_rec *st,
			  const struct kntp_rec *assocs)
{
	char *text;

	n += put(buf + n, KNTP_A_STATUS_CLOCK_NOTE, 15, "step only\x1b[2J");
	kntp_rec_decode(&kntp_status_set, buf, n, st);
	st->v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_SYSTEM;
	st->v[KNTP_A_STATUS_CLOCK_OWNER].u = 1;
	st->present &= ~(KNTP_REC_BIT(KNTP_A_STATUS_CLOCK_ERROR) |
			 KNTP_REC_BIT(KNTP_A_STATUS_SYS_PEER) |
			 KNTP_REC_BIT(KNTP_A_STATUS_LAST_STEP) |
			 KNTP_REC_BIT(KNTP_A_STATUS_LAST_STEP_AMOUNT));
	st->v[KNTP_A_STATUS_STEPS].u = 0;
	st->v[KNTP_A_STATUS_STEP_THRESHOLD].u = 0;
	st->v[KNTP_A_STATUS_PANIC_THRESHOLD].u = 0;
	st->v[KNTP_A_STATUS_STEPOUT].u = 1500000;
	st->v[KNTP_A_STATUS_POLL].s = -2;
	st->v[KNTP_A_STATUS_FREQ].s = 500000;
	st->v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_PANIC;
	text = status_text_with(st, assocs, 3);
	status_ok(has_line(text, "system peer is none") &&
		  has_line(text, "clock is system (owned)") &&
		  has_line(text, "clock note: step only?[2J") &&
		  has_line(text, "step threshold never, panic threshold none, stepout 0.0015 s") &&
		  has_line(text, "no step yet") && !strstr(text, "last step") &&
		  has_line(text, "poll interval is 0.25 s") &&
		  has_line(text, "frequency is 500.000 ppm") &&
		  has_line(text, "loop state is panic: offset refused") &&
		  !strstr(text, "virtual") && !strstr(text, "error"),
		  text, "system clock owned, a note (sanitised), thresholds off, no step");
	free(text);

	st->v[KNTP_A_STATUS_CLOCK_OWNER].u = 0;
	st->v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_SPIKE;
	text = status_text_with(st, NULL, 0);
	status_ok(has_line(text, "clock is system (not owned)") &&
		  has_line(text, "loop state is waiting for stepout"),
		  text, "system clock not owned; waiting for stepout");
	free(text);
}

/* Loop states and clocks unset or unknown; an older module's status. */
static void status_unknowns(struct kntp_rec *st)
{
	char *text;

	st->v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_NSET;
	st->v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_VIRTUAL;
	st->present &= ~KNTP_REC_BIT(KNTP_A_STATUS_CLOCK_NOTE);
	text = status_text_with(st, NULL, 0);
	status_ok(has_line(text, "loop state is unset") &&
		  has_line(text, "clock is virtual, error - msec against the system clock") &&
		  !strstr(text, "clock note"),
		  text, "unset loop; a virtual clock without its error prints -");
	free(text);

	st->v[KNTP_A_STATUS_DISC_STATE].u = 9;
	st->v[KNTP_A_STATUS_CLOCK].u = 9;
	text = status_text_with(st, NULL, 0);
	status_ok(has_line(text, "loop state is unknown (9)") &&
		  has_line(text, "clock is unknown (9)"),
		  text, "values this tool does not know print as numbers");
	free(text);

	/* An older module: none of the clock attributes, none of the lines. */
	st->present &= KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
		       KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
		       KNTP_REC_BIT(KNTP_A_STATUS_REFID);
	text = status_text_with(st, NULL, 0);
	status_ok(!strstr(text, "clock is") && !strstr(text, "offset") &&
		  !strstr(text, "frequency") && !strstr(text, "poll") &&
		  !strstr(text, "loop") && !strstr(text, "threshold") &&
		  !strstr(text, "step") && has_line(text, "system peer is none"),
		  text, "without the clock attributes the clock lines are left out");
	free(text);
}

/* "show status" of a synchronised instance with a virtual clock. */
void test_status_clock(void)
{
	unsigned char buf[1024];
	struct kntp_rec st, assocs[3];
	int n = status_clock_attrs(buf);

	kntp_rec_decode(&kntp_status_set, buf, n, &st);
	status_clock_assocs(assocs);
	status_virtual(&st, assocs);
	status_system(buf, n, &st, assocs);
	status_unknowns(&st);
}

static char *json_of_filters(const struct kntp_rec *recs,
			     const struct kntp_rec *stats,
			     const struct kntp_filter *filters, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_assocs_json(mem, recs, stats, filters, n);
	fclose(mem);
	return text;
}

/* A FILTER_STAGE nest: offset, delay, disp, age (ns), with padding. */
static int put_stage(unsigned char *p, int64_t off, int64_t delay,
		     uint64_t disp, uint64_t age)
{
	unsigned char b[128];
	int n = 0;

	n += put(b + n, KNTP_A_STAGE_PAD, 0, "");
	n += put_s64(b + n, KNTP_A_STAGE_OFFSET, off);
	n += put_s64(b + n, KNTP_A_STAGE_DELAY, delay);
	n += put_u64(b + n, KNTP_A_STAGE_DISP, disp);
	n += put_u64(b + n, KNTP_A_STAGE_AGE, age);
	n += put_u64(b + n, KNTP_A_STAGE_MAX + 1, 99);	/* unknown */
	return put(p, KNTP_A_ASSOC_FILTER_STAGE | NLA_F_NESTED, n, b);
}

/* The reference time of the detail tests: 2026-11-26T14:05:01Z. */
static const int64_t detail_now = 1795701901;
/* The dispersion of an empty filter stage, ns. */
static const uint64_t empty_disp = 16000000000ULL;

/* A server's filter: two stages, six empty; what is not a stage ignored. */
static int detail_filter(unsigned char *filt)
{
	uint32_t id = 1;
	int k = 0, i;

	k += put_stage(filt + k, -1500, 76000, 45000, 1000000000);
	k += put(filt + k, 2, 4, &id);		/* not a stage: ignored */
	k += put_stage(filt + k, 2500, 80500, 1045000, 65900000000ULL);
	for (i = 2; i < 8; i++)
		k += put_stage(filt + k, 0, 0, empty_disp, 0);
	k += put_stage(filt + k, 7, 7, 7, 7);	/* a ninth: ignored */
	return k;
}

/* A server with every detail attribute, its counters and its filter. */
static int detail_server(unsigned char *buf)
{
	unsigned char filt[1024], nest[256];
	uint32_t id = 1, age = 3500, state = KNTP_ASSOC_S_RATE;
	int n = 0, m = 0, k = detail_filter(filt);

	m += put_u64(nest + m, KNTP_STAT_RX, 10);
	m += put_u64(nest + m, KNTP_STAT_TX, 11);
	m += put_u64(nest + m, KNTP_STAT_SAMPLES, 9);
	m += put_u64(nest + m, KNTP_STAT_DROP_DUP, 1);
	m += put_u64(nest + m, KNTP_STAT_KOD_RATE, 2);

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_VERSION, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_MINPOLL, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_MAXPOLL, 1, "\x0a");
	n += put(buf + n, KNTP_A_ASSOC_FLAGS, 4, "\x02\0\0\0");	/* prefer */
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "LOCL");
	n += put(buf + n, KNTP_A_ASSOC_REACH, 1, "\xff");
	n += put(buf + n, KNTP_A_ASSOC_POLL, 1, "\x06");
	n += put(buf + n, KNTP_A_ASSOC_LEAP, 1, "\x00");
	n += put(buf + n, KNTP_A_ASSOC_PPOLL, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_PRECISION, 1, "\xe8");	/* -24 */
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DELAY, 0);
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DISP, 10000);
	n += put(buf + n, KNTP_A_ASSOC_RX_AGE, 4, &age);
	n += put_s64(buf + n, KNTP_A_ASSOC_OFFSET, -1500);
	n += put_s64(buf + n, KNTP_A_ASSOC_RESIDUAL, 3000);
	n += put_s64(buf + n, KNTP_A_ASSOC_DELAY, 76000);
	n += put_u64(buf + n, KNTP_A_ASSOC_DISP, 45000);
	n += put_u64(buf + n, KNTP_A_ASSOC_JITTER, 10000);
	n += put(buf + n, KNTP_A_ASSOC_STATE, 4, &state);
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x06");
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DIST, 120000);
	n += put(buf + n, KNTP_A_ASSOC_PMODE, 1, "\x04");
	n += put_u64(buf + n, KNTP_A_ASSOC_ORG_TS, 0xEEB2BB0D12345678ULL);
	n += put_u64(buf + n, KNTP_A_ASSOC_REC_TS, 0xEEB2BB0D80000000ULL);
	n += put_u64(buf + n, KNTP_A_ASSOC_XMT_TS, 0);
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	n += put(buf + n, KNTP_A_ASSOC_FILTER | NLA_F_NESTED, k, filt);
	return n;
}

/* The server decoded: the new attributes, the filter's stages, in order. */
static void detail_decode(struct kntp_reply *out)
{
	unsigned char buf[2048];
	struct kntp_reply reply;
	struct kntp_rec flat;
	int n = detail_server(buf);

	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	ok(kntp_rec_has(&reply.rec, KNTP_A_ASSOC_ROOT_DIST) &&
	   reply.rec.v[KNTP_A_ASSOC_ROOT_DIST].u == 120000 &&
	   reply.rec.v[KNTP_A_ASSOC_PMODE].u == 4 &&
	   reply.rec.v[KNTP_A_ASSOC_ORG_TS].u == 0xEEB2BB0D12345678ULL &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_XMT_TS) &&
	   reply.rec.v[KNTP_A_ASSOC_XMT_TS].u == 0 &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_FILTER),
	   "root distance, peer mode, timestamps and filter decode");
	ok(reply.filter.n == 8 &&
	   reply.filter.stage[0].offset_ns == -1500 &&
	   reply.filter.stage[0].delay_ns == 76000 &&
	   reply.filter.stage[0].disp_ns == 45000 &&
	   reply.filter.stage[0].age_ns == 1000000000 &&
	   reply.filter.stage[1].delay_ns == 80500 &&
	   reply.filter.stage[1].age_ns == 65900000000ULL &&
	   reply.filter.stage[7].disp_ns == empty_disp &&
	   !kntp_stage_empty(&reply.filter.stage[1]) &&
	   kntp_stage_empty(&reply.filter.stage[2]) &&
	   !kntp_stage_has(&reply.filter.stage[0], KNTP_A_STAGE_PAD),
	   "filter: 8 stages in order; other attributes and a ninth ignored");
	kntp_rec_decode(&kntp_assoc_set, buf, n, &flat);
	ok(kntp_rec_has(&flat, KNTP_A_ASSOC_FILTER) &&
	   flat.v[KNTP_A_ASSOC_ID].u == 1, "a flat decode marks the filter present");
	*out = reply;
}

/* NTP timestamps as hex and UTC, in the era nearest to now. */
static void detail_ntpts(void)
{
	char ts[96];

	kntp_fmt_ntpts(ts, sizeof(ts), 0xEEB2BB0D12345678ULL, detail_now);
	ok(!strcmp(ts, "EEB2BB0D.12345678 (2026-11-26T14:05:01.071111110Z)"),
	   "NTP timestamp: hex and UTC (got %s)", ts);
	kntp_fmt_ntpts(ts, sizeof(ts), 0x0000001080000000ULL,
		       2085978496 + 86400);
	ok(!strcmp(ts, "00000010.80000000 (2036-02-07T06:28:32.500000000Z)"),
	   "NTP timestamp after 2036: era 1 (got %s)", ts);
	kntp_fmt_ntpts(ts, sizeof(ts), 0x83AA7E8000000000ULL, detail_now);
	ok(!strcmp(ts, "83AA7E80.00000000 (1970-01-01T00:00:00.000000000Z)"),
	   "NTP timestamp of 1970 in 2026: era 0 (got %s)", ts);
}

/* A peer: rejected, no filter, no counters, no peer mode. */
static int detail_peer(unsigned char *buf)
{
	int n = 0;

	n += put(buf + n, KNTP_A_ASSOC_ADDR6, 16,
		 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "INIT");
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REJECT, 1, "\x01");
	return n;
}

/* The text: a block each, a blank line between. */
static void detail_text(const struct kntp_rec *recs,
			const struct kntp_rec *stats,
			const struct kntp_filter *filters)
{
	char *text = NULL;
	size_t size = 0;
	int same;
	FILE *mem;

	mem = open_memstream(&text, &size);
	kntp_show_assocs_detail(mem, recs, stats, filters, 2, detail_now);
	fclose(mem);
	same = text && !strcmp(text,
"192.0.2.1 configured, prefer, sys.peer, our mode client, peer mode server, stratum 1\n"
" ref ID .LOCL.\n"
" root delay 0.00 msec, root disp 0.01 msec, reach 377, sync dist 0.120 msec\n"
" delay 0.076 msec, offset -0.002 [0.003] msec, dispersion 0.045 msec, jitter 0.010 msec\n"
" precision 2**-24, version 4, leap none\n"
" poll 64 s (minpoll 4, maxpoll 10), peer poll 16 s, when 3 s\n"
" org time EEB2BB0D.12345678 (2026-11-26T14:05:01.071111110Z)\n"
" rec time EEB2BB0D.80000000 (2026-11-26T14:05:01.500000000Z)\n"
" xmt time 00000000.00000000 (never)\n"
" filter delay  =   0.076   0.081       -       -       -       -       -       - msec\n"
" filter offset =  -0.002   0.003       -       -       -       -       -       - msec\n"
" filter disp   =   0.045   1.045       -       -       -       -       -       - msec\n"
" filter age    =       1      65       -       -       -       -       -       - s\n"
" packets: rx 10, tx 11, tx errors -, samples 9\n"
" drops: dup 1, bogus -, invalid -, unsync -, distance -, kod rate 2, kod deny -\n"
		" authentication: no key, last packet -, ok -\n"
" state: rate\n"
"\n"
"2001:db8::1 configured, rejected, our mode symmetric active, peer mode -, stratum 16\n"
" ref ID .INIT.\n"
" root delay - msec, root disp - msec, reach -, sync dist - msec\n"
" delay - msec, offset - [-] msec, dispersion - msec, jitter - msec\n"
" precision 2**-, version -, leap -\n"
" poll - s (minpoll -, maxpoll -), peer poll - s, when - s\n"
" org time -\n"
" rec time -\n"
" xmt time -\n"
" packets: rx -, tx -, tx errors -, samples -\n"
" drops: dup -, bogus -, invalid -, unsync -, distance -, kod rate -, kod deny -\n"
		" authentication: no key, last packet -, ok -\n"
" not selectable: no sample\n");
	ok(same, "show associations detail: a block each, blank line between");
	diag(same, text, size);
	free(text);
}

/* The JSON: the new keys and the filter; without filters, no filter key. */
static void detail_json(const struct kntp_rec *recs,
			const struct kntp_rec *stats,
			const struct kntp_filter *filters)
{
	char *text;

	text = json_of_filters(recs, stats, filters, 1);
	ok(text && json_valid(text) &&
	   strstr(text, "\"root_dist_ns\": 120000, \"peer_mode\": \"server\", "
		  "\"org_ts\": \"eeb2bb0d12345678\", "
		  "\"rec_ts\": \"eeb2bb0d80000000\", "
		  "\"xmt_ts\": \"0000000000000000\"") &&
	   strstr(text, "\"configured\": true, \"counters\": {") &&
	   strstr(text, "\"filter\": [{\"offset_ns\": -1500, "
		  "\"delay_ns\": 76000, \"disp_ns\": 45000, "
		  "\"age_ns\": 1000000000}, {\"offset_ns\": 2500, ") &&
	   strstr(text, "{\"offset_ns\": 0, \"delay_ns\": 0, "
		  "\"disp_ns\": 16000000000, \"age_ns\": 0}]}]}\n"),
	   "JSON: root distance, peer mode, hex timestamps, 8-stage filter");
	if (text && !strstr(text, "\"filter\""))
		printf("# got: %s", text);
	free(text);
	text = json_of(0, NULL, recs, stats, 1);
	ok(text && json_valid(text) && !strstr(text, "\"filter\""),
	   "JSON without filters: no filter key");
	free(text);
}

/* "show associations detail": the new attributes, the filter, the block. */
void test_assoc_detail(void)
{
	unsigned char buf[256];
	struct kntp_rec recs[2], stats[2];
	struct kntp_filter filters[2];
	struct kntp_reply reply;
	struct line *l;

	detail_decode(&reply);
	detail_ntpts();
	recs[0] = reply.rec;
	stats[0] = reply.nest[0];
	filters[0] = reply.filter;
	kntp_reply_decode(&kntp_assoc_set, buf, detail_peer(buf), &reply);
	recs[1] = reply.rec;
	stats[1] = reply.nest[0];
	filters[1] = reply.filter;
	detail_text(recs, stats, filters);
	detail_json(recs, stats, filters);

	l = parse("show ntp associations detail -j");
	ok(!l->ret && l->cmd && l->cmd->run == kntp_run_show_assocs_detail &&
	   l->req.json,
	   "\"show ntp associations detail -j\" is the detail command");
	l = parse("show ntp associations ntp");
	ok(l->ret == -1,
	   "a word after \"show associations\" other than detail fails");
}
