// SPDX-License-Identifier: GPL-2.0
/*
 * "kntp show metrics": the status, the counters and every association in
 * the OpenMetrics text format, for Prometheus and its node_exporter's
 * textfile collector (see kntp(8) for a systemd timer that writes it).
 *
 * Names end in their unit, as OpenMetrics asks: times in seconds, written
 * exactly from the kernel's nanoseconds (nine decimals, no floating point),
 * frequencies in ppm (three decimals, from ppb) - fmt.c's fixed-point
 * formatters. Only gauges and counters:
 * the Prometheus text format (0.0.4) that the textfile collector parses
 * reads them too (it takes the "# UNIT" and "# EOF" lines for comments).
 * A state (the selection's tally) is a gauge per state, 1 for the one in
 * force.
 *
 * Labels: netns, the name of the tool's network namespace under
 * /run/netns (ip netns), when it has one, so that the files of several
 * namespaces can sit side by side; per association also its address and
 * kind. A figure the kernel did not report is left out.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/kntp.h>

#include "array_size.h"
#include "metrics.h"
#include "show.h"

#define NS_PER_S	1000000000ULL

static const char *const unit_words[] = {
	[KNTP_M_COUNT] = NULL,
	[KNTP_M_SECONDS] = "seconds",
	[KNTP_M_PPM] = "ppm",
	[KNTP_M_POLL] = "seconds",
};

/*
 * The name of the namespace the tool runs in, as "ip netns" knows it: the
 * entry of /run/netns that is the same namespace as /proc/self/ns/net.
 * Empty when there is none (the initial namespace, or an unnamed one).
 */
void kntp_metrics_netns(char *buf, size_t len)
{
	struct stat self, st;
	struct dirent *e;
	char path[300];
	DIR *d;

	buf[0] = '\0';
	if (stat("/proc/self/ns/net", &self))
		return;
	d = opendir("/run/netns");
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		if (!stat(path, &st) && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino) {
			snprintf(buf, len, "%s", e->d_name);
			break;
		}
	}
	closedir(d);
}

/* A label value, escaped as the format asks (backslash, quote, newline). */
static void put_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

/*
 * The labels of a sample: netns (when named), then the association's
 * address and kind (when r), then one more (when key).
 */
static void put_labels(FILE *f, const char *netns, const struct kntp_rec *r,
		       const char *key, const char *val)
{
	const char *sep = "";
	char addr[64];

	if (!netns[0] && !r && !key)
		return;
	fputc('{', f);
	if (netns[0]) {
		fputs("netns=\"", f);
		put_value(f, netns);
		fputc('"', f);
		sep = ",";
	}
	if (r) {
		kntp_fmt_cell(addr, sizeof(addr), &kntp_assoc_set, r,
			      KNTP_A_ASSOC_ADDR4);
		fprintf(f, "%saddress=\"", sep);
		put_value(f, addr);
		fputs("\",kind=\"", f);
		put_value(f, kntp_kind_word(r));
		fputc('"', f);
		sep = ",";
	}
	if (key) {
		fprintf(f, "%s%s=\"", sep, key);
		put_value(f, val);
		fputc('"', f);
	}
	fputc('}', f);
}

/* ns as seconds, exactly: nine decimals. */
static void fmt_seconds(char *buf, size_t len, uint64_t mag, int neg)
{
	kntp_fmt_fixed_mag(buf, len, mag, neg, 9, 9);
}

static void put_number(FILE *f, const struct kntp_attrset *set,
		       const struct kntp_rec *r, int a)
{
	int sgn = kntp_attr_signed(set, a);
	int64_t s = r->v[a].s;
	uint64_t u = r->v[a].u;
	char buf[48];

	switch (kntp_attr_field(set, a)->munit) {
	case KNTP_M_SECONDS:
		if (sgn)
			fmt_seconds(buf, sizeof(buf),
				    s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0);
		else
			fmt_seconds(buf, sizeof(buf), u, 0);
		break;
	case KNTP_M_PPM:	/* KNTP_A_STATUS_FREQ: s64 ppb */
		kntp_fmt_ppm(buf, sizeof(buf), s);
		break;
	case KNTP_M_POLL:	/* KNTP_POLL_MIN..MAX: 1/16 s .. 2^17 s */
		if (s >= 0)
			snprintf(buf, sizeof(buf), "%" PRIu64,
				 (uint64_t)1 << (s & 63));
		else
			fmt_seconds(buf, sizeof(buf), NS_PER_S >> (-s & 63), 0);
		break;
	default:
		if (sgn)
			snprintf(buf, sizeof(buf), "%" PRId64, s);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64, u);
	}
	fputs(buf, f);
}

static void put_family(FILE *f, const char *name, const char *type,
		       const char *unit, const char *help)
{
	fprintf(f, "# TYPE %s %s\n", name, type);
	if (unit)
		fprintf(f, "# UNIT %s %s\n", name, unit);
	fprintf(f, "# HELP %s %s\n", name, help);
}

/*
 * The gauge of attribute a of set (its METRIC() in attr.c), a sample per
 * record that has it.
 */
static void put_gauge(FILE *f, const char *netns,
		      const struct kntp_attrset *set, int a,
		      const struct kntp_rec *recs, size_t n, int per_assoc)
{
	const struct kntp_field *m = kntp_attr_field(set, a);
	size_t i, have = 0;

	for (i = 0; i < n; i++)
		have += kntp_rec_has(&recs[i], a);
	if (!have)
		return;
	put_family(f, m->metric, "gauge", unit_words[m->munit], m->help);
	for (i = 0; i < n; i++) {
		if (!kntp_rec_has(&recs[i], a))
			continue;
		fputs(m->metric, f);
		put_labels(f, netns, per_assoc ? &recs[i] : NULL, NULL, NULL);
		fputc(' ', f);
		put_number(f, set, &recs[i], a);
		fputc('\n', f);
	}
}

/* The gauges of set, in the order of its table. */
static void put_gauges(FILE *f, const char *netns,
		       const struct kntp_attrset *set,
		       const struct kntp_rec *recs, size_t n, int per_assoc)
{
	int a;

	for (a = 1; a <= set->max; a++)
		if (kntp_attr_field(set, a) && kntp_attr_field(set, a)->metric)
			put_gauge(f, netns, set, a, recs, n, per_assoc);
}

/*
 * The counters: a family each, kntp_NAME (instance) or
 * kntp_association_NAME (per association), samples NAME_total.
 */
static void put_counters(FILE *f, const char *netns, const char *prefix,
			 const struct kntp_rec *stats,
			 const struct kntp_rec *recs, size_t n)
{
	char name[96], help[160];
	size_t i, have;
	int t;

	for (t = 1; t <= kntp_stats_set.max; t++) {
		const char *word = kntp_attr_name(&kntp_stats_set, t);

		for (i = 0, have = 0; i < n; i++)
			have += kntp_rec_has(&stats[i], t);
		if (!have || !word)
			continue;
		snprintf(name, sizeof(name), "%s_%s", prefix, word);
		snprintf(help, sizeof(help),
			 "The counter %s of \"kntp show counters\" (kntp(8)).",
			 word);
		put_family(f, name, "counter", NULL, help);
		for (i = 0; i < n; i++) {
			if (!kntp_rec_has(&stats[i], t))
				continue;
			fprintf(f, "%s_total", name);
			put_labels(f, netns, recs ? &recs[i] : NULL, NULL,
				   NULL);
			fprintf(f, " %" PRIu64 "\n", stats[i].v[t].u);
		}
	}
}

void kntp_show_metrics(FILE *f, const char *netns,
		       const struct kntp_reply *status,
		       const struct kntp_rec *assocs,
		       const struct kntp_rec *stats, size_t n)
{
	const struct kntp_rec *r = &status->rec;
	const struct kntp_rec *st = kntp_reply_nest(status, &kntp_status_set,
						    KNTP_A_STATUS_STATS);
	size_t i, k;

	put_family(f, "kntp_synchronized", "gauge", NULL,
		   "1 when the clock is synchronised (leap not 3, stratum 1..15).");
	fputs("kntp_synchronized", f);
	put_labels(f, netns, NULL, NULL, NULL);
	fprintf(f, " %d\n", kntp_status_synced(r));
	put_gauges(f, netns, &kntp_status_set, r, 1, 0);
	if (kntp_rec_has(r, KNTP_A_STATUS_STEPS)) {
		put_family(f, "kntp_clock_steps", "counter", NULL,
			   "Steps of the clock since the instance began.");
		fputs("kntp_clock_steps_total", f);
		put_labels(f, netns, NULL, NULL, NULL);
		fprintf(f, " %" PRIu64 "\n", r->v[KNTP_A_STATUS_STEPS].u);
	}
	if (st)
		put_counters(f, netns, "kntp", st, NULL, 1);

	put_gauges(f, netns, &kntp_assoc_set, assocs, n, 1);
	for (i = 0; i < n && !kntp_rec_has(&assocs[i], KNTP_A_ASSOC_TALLY); i++)
		;
	if (i < n)
		put_family(f, "kntp_association_tally", "gauge", NULL,
			   "1 for the selection's verdict on the association (state label), else 0.");
	for (i = 0; i < n; i++) {
		uint64_t tally = assocs[i].v[KNTP_A_ASSOC_TALLY].u;

		if (!kntp_rec_has(&assocs[i], KNTP_A_ASSOC_TALLY))
			continue;
		for (k = KNTP_TALLY_REJECT; k <= KNTP_TALLY_SYSPEER; k++) {
			fputs("kntp_association_tally", f);
			put_labels(f, netns, &assocs[i], "state",
				   kntp_tallies[k].label);
			fprintf(f, " %d\n", tally == k);
		}
	}
	if (stats)
		put_counters(f, netns, "kntp_association", stats, assocs, n);
	fputs("# EOF\n", f);
}
