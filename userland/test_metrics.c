// SPDX-License-Identifier: GPL-2.0
/*
 * "show metrics" (metrics.c): the OpenMetrics text of a status and an
 * association, every figure reasoned from the attributes, checked for form.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>
#include <netlink/attr.h>

#include "metrics.h"
#include "test_util.h"

/*
 * Each family's "# TYPE" once, before its samples; every sample named by
 * the family before it (a counter's with _total); "# EOF" last. Returns
 * the number of samples, or -1 (with the line in bad).
 */
static int metrics_check(const char *text, char *bad, size_t len)
{
	char fam[128] = "", type[16] = "", seen[4096] = " ", line[512];
	const char *p = text, *nl;
	int samples = 0, eof = 0;

	bad[0] = '\0';
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl || eof || (size_t)(nl - p) >= sizeof(line))
			goto fail;
		memcpy(line, p, nl - p);
		line[nl - p] = '\0';
		if (!strcmp(line, "# EOF")) {
			eof = 1;
		} else if (!strncmp(line, "# TYPE ", 7)) {
			char key[140];

			if (sscanf(line + 7, "%127s %15s", fam, type) != 2 ||
			    (strcmp(type, "gauge") && strcmp(type, "counter")))
				goto fail;
			snprintf(key, sizeof(key), " %s ", fam);
			if (strstr(seen, key) ||
			    strlen(seen) + strlen(key) >= sizeof(seen))
				goto fail;
			strcat(seen, key + 1);
		} else if (!strncmp(line, "# UNIT ", 7) ||
			   !strncmp(line, "# HELP ", 7)) {
			size_t k = strlen(fam);

			if (!fam[0] || strncmp(line + 7, fam, k) ||
			    line[7 + k] != ' ')
				goto fail;
			if (line[2] == 'U' &&
			    (strlen(fam) < strlen(line + 8 + k) ||
			     strcmp(fam + strlen(fam) - strlen(line + 8 + k),
				    line + 8 + k)))
				goto fail;	/* the name ends in its unit */
		} else {
			size_t k = strlen(fam);
			const char *rest = line + k;

			if (!fam[0] || strncmp(line, fam, k))
				goto fail;
			if (!strcmp(type, "counter")) {
				if (strncmp(rest, "_total", 6))
					goto fail;
				rest += 6;
			}
			if (*rest == '{')
				rest = strchr(rest, '}') ? strchr(rest, '}') + 1
							 : "";
			if (*rest != ' ' || !rest[1])
				goto fail;
			samples++;
		}
	}
	if (eof)
		return samples;
	snprintf(bad, len, "no # EOF at the end");
	return -1;
fail:
	snprintf(bad, len, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
	return -1;
}

/* The figures of the named namespace, as reasoned from the attributes. */
static const char *const want[] = {
	"kntp_synchronized{netns=\"r\\\"1\\\\\"} 1\n",
	"kntp_stratum{netns=\"r\\\"1\\\\\"} 2\n",
	"kntp_offset_seconds{netns=\"r\\\"1\\\\\"} -0.001234567\n",
	"kntp_jitter_seconds{netns=\"r\\\"1\\\\\"} 0.000250000\n",
	"kntp_frequency_ppm{netns=\"r\\\"1\\\\\"} -12.345\n",
	"kntp_poll_seconds{netns=\"r\\\"1\\\\\"} 0.250000000\n",
	"kntp_clock_steps_total{netns=\"r\\\"1\\\\\"} 1\n",
	"kntp_rx_total{netns=\"r\\\"1\\\\\"} 5\n",
	"kntp_drop_short_total{netns=\"r\\\"1\\\\\"} 2\n",
	"# UNIT kntp_offset_seconds seconds\n",
	"kntp_association_offset_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 0.000001500\n",
	"kntp_association_delay_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 0.002000000\n",
	"kntp_association_poll_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 64\n",
	"kntp_association_reach{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 255\n",
	"kntp_association_tally{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\",state=\"sys_peer\"} 1\n",
	"kntp_association_tally{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\",state=\"reject\"} 0\n",
	"kntp_association_rx_total{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 3\n",
};

/* A status as the kernel sends it: synchronised at stratum 2, counters. */
static int metrics_status(unsigned char *sbuf)
{
	unsigned char snest[128];
	uint32_t peer = 9;
	int64_t off = -1234567, freq = -12345;
	uint64_t jit = 250000, steps = 1;
	int n = 0, m = 0;

	m += put_u64(snest + m, KNTP_STAT_RX, 5);
	m += put_u64(snest + m, KNTP_STAT_DROP_SHORT, 2);
	n += put(sbuf + n, KNTP_A_STATUS_LEAP, 1, "\x00");
	n += put(sbuf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(sbuf + n, KNTP_A_STATUS_OFFSET, 8, &off);
	n += put(sbuf + n, KNTP_A_STATUS_JITTER, 8, &jit);
	n += put(sbuf + n, KNTP_A_STATUS_FREQ, 8, &freq);
	n += put(sbuf + n, KNTP_A_STATUS_POLL, 1, "\xfe");
	n += put(sbuf + n, KNTP_A_STATUS_STEPS, 4, &steps);
	n += put(sbuf + n, KNTP_A_STATUS_SYS_PEER, 4, &peer);
	n += put(sbuf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, snest);
	return n;
}

/* The system peer: a server, measured, with its counters. */
static int metrics_assoc(unsigned char *abuf)
{
	unsigned char anest[128];
	uint32_t id = 9;
	int64_t aoff = 1500;
	uint64_t delay = 2000000;
	int k = 0, a = 0;

	k += put_u64(anest + k, KNTP_STAT_RX, 3);
	a += put(abuf + a, KNTP_A_ASSOC_ID, 4, &id);
	a += put(abuf + a, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	a += put(abuf + a, KNTP_A_ASSOC_KIND, 1, "\x01");
	a += put(abuf + a, KNTP_A_ASSOC_OFFSET, 8, &aoff);
	a += put(abuf + a, KNTP_A_ASSOC_DELAY, 8, &delay);
	a += put(abuf + a, KNTP_A_ASSOC_POLL, 1, "\x06");
	a += put(abuf + a, KNTP_A_ASSOC_REACH, 1, "\xff");
	a += put(abuf + a, KNTP_A_ASSOC_TALLY, 1, "\x06");
	a += put(abuf + a, KNTP_A_ASSOC_STATS | NLA_F_NESTED, k, anest);
	return a;
}

/*
 * A named namespace and one association: every figure, well formed,
 * nothing the kernel did not report. bad: the line metrics_check() refused.
 */
static void metrics_named(const struct kntp_reply *status, char *bad,
			  size_t len)
{
	unsigned char abuf[512];
	struct kntp_reply assoc;
	const struct kntp_rec *astats;
	char *text = NULL;
	int samples, i, good;
	size_t size = 0;
	FILE *mem;

	kntp_reply_decode(&kntp_assoc_set, abuf, metrics_assoc(abuf), &assoc);
	astats = kntp_reply_nest(&assoc, &kntp_assoc_set, KNTP_A_ASSOC_STATS);

	mem = open_memstream(&text, &size);
	kntp_show_metrics(mem, "r\"1\\", status, &assoc.rec, astats, 1);
	fclose(mem);
	for (i = 0, good = 0; text && i < (int)ARRAY_SIZE(want); i++)
		good += !!strstr(text, want[i]);
	ok(good == (int)ARRAY_SIZE(want),
	   "metrics: %d of %d figures as reasoned (seconds to the ns, ppm, 2^poll, tally, _total, escaped labels)",
	   good, (int)ARRAY_SIZE(want));
	diag(good == (int)ARRAY_SIZE(want), text, size);
	samples = text ? metrics_check(text, bad, len) : -1;
	ok(samples > 0, "metrics: well formed (%d samples; bad line: \"%s\")",
	   samples, bad);
	ok(text && !strstr(text, "kntp_root_delay_seconds") &&
	   !strstr(text, "kntp_association_jitter"),
	   "metrics: what the kernel did not report is left out");
	free(text);
}

/* Unnamed namespace, leap 3: no labels on the instance's figures. */
static void metrics_unnamed(const struct kntp_reply *status, char *bad,
			    size_t len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem;

	mem = open_memstream(&text, &size);
	kntp_show_metrics(mem, "", status, NULL, NULL, 0);
	fclose(mem);
	ok(text && strstr(text, "\nkntp_synchronized 0\n") &&
	   strstr(text, "\nkntp_leap 3\n") &&
	   !strstr(text, "kntp_association") &&
	   metrics_check(text, bad, len) > 0,
	   "metrics: unsynchronised, no namespace, no associations (bad line: \"%s\")",
	   bad);
	free(text);
}

/*
 * "show metrics": a status and one association, as the kernel sends them.
 * Every figure reasoned from the attributes: ns as seconds to the ns,
 * ppb as ppm, poll as 2^poll s, tally a gauge per state, counters _total.
 */
void test_metrics(void)
{
	unsigned char sbuf[512];
	struct kntp_reply status;
	char bad[512];
	int n = metrics_status(sbuf);

	kntp_reply_decode(&kntp_status_set, sbuf, n, &status);
	metrics_named(&status, bad, sizeof(bad));
	sbuf[4] = 3;	/* the LEAP attribute's value, first in sbuf */
	kntp_reply_decode(&kntp_status_set, sbuf, n, &status);
	metrics_unnamed(&status, bad, sizeof(bad));
}
