// SPDX-License-Identifier: GPL-2.0
/*
 * "show associations" for people: a row per association under the columns
 * of a router's table (heading, width, attribute and formatter), and "show
 * associations detail", a block per association. Absent values print "-".
 */
#include <inttypes.h>
#include <stdio.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "show.h"

/* Attribute a of association r as attr.c's table says; "-" when absent. */
static void cell(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_cell(buf, len, &kntp_assoc_set, r, a);
}

/*
 * The columns of "show associations" after the tally and "~" marks: the
 * layout; what a cell holds, and in what unit, is the attribute's entry in
 * attr.c (ADDR4's cell is the address of either family).
 */
static const struct kntp_col {
	const char *head;
	int width;		/* negative: left aligned */
	int attr;
} kntp_assoc_cols[] = {
	{ "address",	-24, KNTP_A_ASSOC_ADDR4 },
	{ "ref clock",	-15, KNTP_A_ASSOC_REFID },
	{ "st",		2, KNTP_A_ASSOC_STRATUM },
	{ "when",	6, KNTP_A_ASSOC_RX_AGE },	/* s */
	{ "poll",	6, KNTP_A_ASSOC_POLL },		/* s */
	{ "reach",	5, KNTP_A_ASSOC_REACH },	/* octal */
	{ "delay",	7, KNTP_A_ASSOC_DELAY },	/* ms */
	{ "offset",	8, KNTP_A_ASSOC_OFFSET },	/* ms */
	{ "disp",	9, KNTP_A_ASSOC_DISP },		/* ms */
};

/*
 * '~' marks a configured association. All associations are configured
 * (added with "server" or "peer") until the kernel mobilises ephemeral ones.
 */
static char configured(const struct kntp_rec *r)
{
	(void)r;
	return '~';
}

static void print_cells(FILE *f, const char *cells[])
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kntp_assoc_cols); i++)
		fprintf(f, "%s%*s", i ? " " : "", kntp_assoc_cols[i].width,
			cells[i]);
}

/* " denied" etc. after the row, for each condition in KNTP_A_ASSOC_STATE. */
static void print_state(FILE *f, const struct kntp_rec *r)
{
	size_t i;

	if (!kntp_rec_has(r, KNTP_A_ASSOC_STATE))
		return;
	for (i = 0; i < ARRAY_SIZE(kntp_state_words); i++)
		if (r->v[KNTP_A_ASSOC_STATE].u & kntp_state_words[i].val)
			fprintf(f, " %s", kntp_state_words[i].word);
}

void kntp_show_assocs(FILE *f, const struct kntp_rec *recs, size_t n)
{
	const char *cells[ARRAY_SIZE(kntp_assoc_cols)];
	char buf[ARRAY_SIZE(kntp_assoc_cols)][64];
	size_t i, c;

	for (c = 0; c < ARRAY_SIZE(kntp_assoc_cols); c++)
		cells[c] = kntp_assoc_cols[c].head;
	fputs("  ", f);
	print_cells(f, cells);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		for (c = 0; c < ARRAY_SIZE(kntp_assoc_cols); c++) {
			const struct kntp_col *col = &kntp_assoc_cols[c];

			cell(buf[c], sizeof(buf[c]), &recs[i], col->attr);
			cells[c] = buf[c];
		}
		fprintf(f, "%c%c", kntp_tally_char(&recs[i]),
			configured(&recs[i]));
		print_cells(f, cells);
		print_state(f, &recs[i]);
		fputc('\n', f);
	}
	fputs(" * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured\n",
	      f);
}

/* A counter of the stats nest, "-" when absent. */
static void fmt_counter(char *buf, size_t len, const struct kntp_rec *stats,
			int type)
{
	if (stats && kntp_rec_has(stats, type))
		snprintf(buf, len, "%" PRIu64, stats->v[type].u);
	else
		kntp_fmt_dash(buf, len);
}

/* One "filter NAME =" line: each stage, newest first, "-" when empty. */
static void detail_filter_line(FILE *f, const char *name,
			       const struct kntp_filter *filter, int type)
{
	unsigned int i;
	char v[32];

	fprintf(f, " filter %-6s =", name);
	for (i = 0; i < filter->n && i < KNTP_FILTER_STAGES; i++) {
		const struct kntp_stage *st = &filter->stage[i];

		if (kntp_stage_empty(st) || !kntp_stage_has(st, type))
			kntp_fmt_dash(v, sizeof(v));
		else if (type == KNTP_A_STAGE_OFFSET)
			kntp_fmt_ms(v, sizeof(v), st->offset_ns, 3);
		else if (type == KNTP_A_STAGE_DELAY)
			kntp_fmt_ms(v, sizeof(v), st->delay_ns, 3);
		else if (type == KNTP_A_STAGE_DISP)
			kntp_fmt_ums(v, sizeof(v), st->disp_ns, 3);
		else
			snprintf(v, sizeof(v), "%" PRIu64,
				 st->age_ns / 1000000000);
		fprintf(f, " %7s", v);
	}
	fprintf(f, " %s\n", type == KNTP_A_STAGE_AGE ? "s" : "msec");
}

static void detail_ts(FILE *f, const char *name, const struct kntp_rec *r,
		      int a, int64_t now_unix)
{
	char ts[96];

	if (kntp_rec_has(r, a))
		kntp_fmt_ntpts(ts, sizeof(ts), r->v[a].u, now_unix);
	else
		kntp_fmt_dash(ts, sizeof(ts));
	fprintf(f, " %s time %s\n", name, ts);
}

/* One association's block of "show associations detail". */
static void detail_auth(FILE *f, const struct kntp_rec *r,
			const struct kntp_rec *stats);

static void detail_block(FILE *f, const struct kntp_rec *r,
			 const struct kntp_rec *stats,
			 const struct kntp_filter *filter, int64_t now_unix)
{
	char addr[64], mode[32], st[8], ref[32], a[8][32];
	const struct kntp_tally_text *t = kntp_tally_of(r);
	const char *ours = "-";

	cell(addr, sizeof(addr), r, KNTP_A_ASSOC_ADDR4);
	cell(mode, sizeof(mode), r, KNTP_A_ASSOC_PMODE);
	cell(st, sizeof(st), r, KNTP_A_ASSOC_STRATUM);
	if (kntp_rec_has(r, KNTP_A_ASSOC_KIND))
		ours = r->v[KNTP_A_ASSOC_KIND].u == KNTP_ASSOC_KIND_PEER ?
		       "symmetric active" : "client";
	fprintf(f, "%s configured", addr);
	if (kntp_rec_has(r, KNTP_A_ASSOC_FLAGS) &&
	    r->v[KNTP_A_ASSOC_FLAGS].u & KNTP_ASSOC_F_PREFER)
		fprintf(f, ", prefer");
	if (t)
		fprintf(f, ", %s", t->word);
	fprintf(f, ", our mode %s, peer mode %s, stratum %s\n", ours, mode, st);

	cell(ref, sizeof(ref), r, KNTP_A_ASSOC_REFID);
	fprintf(f, " ref ID %s\n", ref);

	cell(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_ROOT_DELAY);
	cell(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_ROOT_DISP);
	cell(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_REACH);
	cell(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_ROOT_DIST);
	fprintf(f, " root delay %s msec, root disp %s msec, reach %s, sync dist %s msec\n",
		a[0], a[1], a[2], a[3]);

	cell(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_DELAY);
	cell(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_OFFSET);
	cell(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_RESIDUAL);
	cell(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_DISP);
	cell(a[4], sizeof(a[4]), r, KNTP_A_ASSOC_JITTER);
	/* As chronyc: the offset measured, [after our corrections since]. */
	fprintf(f, " delay %s msec, offset %s [%s] msec, dispersion %s msec, jitter %s msec\n",
		a[0], a[1], a[2], a[3], a[4]);

	cell(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_PRECISION);
	cell(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_VERSION);
	cell(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_LEAP);
	fprintf(f, " precision 2**%s, version %s, leap %s\n", a[0], a[1], a[2]);

	cell(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_POLL);
	cell(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_MINPOLL);
	cell(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_MAXPOLL);
	cell(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_PPOLL);
	cell(a[4], sizeof(a[4]), r, KNTP_A_ASSOC_RX_AGE);
	fprintf(f, " poll %s s (minpoll %s, maxpoll %s), peer poll %s s, when %s s\n",
		a[0], a[1], a[2], a[3], a[4]);

	detail_ts(f, "org", r, KNTP_A_ASSOC_ORG_TS, now_unix);
	detail_ts(f, "rec", r, KNTP_A_ASSOC_REC_TS, now_unix);
	detail_ts(f, "xmt", r, KNTP_A_ASSOC_XMT_TS, now_unix);

	if (filter && filter->n) {
		detail_filter_line(f, "delay", filter, KNTP_A_STAGE_DELAY);
		detail_filter_line(f, "offset", filter, KNTP_A_STAGE_OFFSET);
		detail_filter_line(f, "disp", filter, KNTP_A_STAGE_DISP);
		detail_filter_line(f, "age", filter, KNTP_A_STAGE_AGE);
	}

	fmt_counter(a[0], sizeof(a[0]), stats, KNTP_STAT_RX);
	fmt_counter(a[1], sizeof(a[1]), stats, KNTP_STAT_TX);
	fmt_counter(a[2], sizeof(a[2]), stats, KNTP_STAT_TX_ERR);
	fmt_counter(a[3], sizeof(a[3]), stats, KNTP_STAT_SAMPLES);
	fprintf(f, " packets: rx %s, tx %s, tx errors %s, samples %s\n",
		a[0], a[1], a[2], a[3]);

	fmt_counter(a[0], sizeof(a[0]), stats, KNTP_STAT_DROP_DUP);
	fmt_counter(a[1], sizeof(a[1]), stats, KNTP_STAT_DROP_BOGUS);
	fmt_counter(a[2], sizeof(a[2]), stats, KNTP_STAT_DROP_INVALID);
	fmt_counter(a[3], sizeof(a[3]), stats, KNTP_STAT_DROP_UNSYNC);
	fmt_counter(a[4], sizeof(a[4]), stats, KNTP_STAT_DROP_DISTANCE);
	fmt_counter(a[5], sizeof(a[5]), stats, KNTP_STAT_KOD_RATE);
	fmt_counter(a[6], sizeof(a[6]), stats, KNTP_STAT_KOD_DENY);
	fprintf(f, " drops: dup %s, bogus %s, invalid %s, unsync %s,", a[0],
		a[1], a[2], a[3]);
	fprintf(f, " distance %s, kod rate %s, kod deny %s\n", a[4], a[5], a[6]);

	detail_auth(f, r, stats);

	if (kntp_rec_has(r, KNTP_A_ASSOC_STATE) && r->v[KNTP_A_ASSOC_STATE].u) {
		fprintf(f, " state:");
		print_state(f, r);
		fputc('\n', f);
	}
	if (kntp_rec_has(r, KNTP_A_ASSOC_REJECT)) {
		cell(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_REJECT);
		fprintf(f, " not selectable: %s\n", a[0]);
	}
}

/*
 * The association's key and what the last packet's MAC proved; the
 * failures by reason once there are any.
 */
static void detail_auth(FILE *f, const struct kntp_rec *r,
			const struct kntp_rec *stats)
{
	static const struct { int stat; const char *name; } fails[] = {
		{ KNTP_STAT_AUTH_MISSING, "missing" },
		{ KNTP_STAT_AUTH_UNKNOWN_KEY, "unknown key" },
		{ KNTP_STAT_AUTH_UNTRUSTED, "untrusted" },
		{ KNTP_STAT_AUTH_BAD_LENGTH, "bad length" },
		{ KNTP_STAT_AUTH_BAD_MAC, "bad mac" },
		{ KNTP_STAT_AUTH_WRONG_KEY, "wrong key" },
		{ KNTP_STAT_AUTH_NAK, "nak" },
	};
	char last[32], ok[32], n[32];
	size_t i;

	cell(last, sizeof(last), r, KNTP_A_ASSOC_AUTH);
	fmt_counter(ok, sizeof(ok), stats, KNTP_STAT_AUTH_OK);
	if (kntp_rec_has(r, KNTP_A_ASSOC_KEY))
		fprintf(f, " authentication: key %u, last packet %s, ok %s",
			(unsigned int)r->v[KNTP_A_ASSOC_KEY].u, last, ok);
	else
		fprintf(f, " authentication: no key, last packet %s, ok %s",
			last, ok);
	for (i = 0; i < ARRAY_SIZE(fails); i++) {
		if (!stats || !kntp_rec_has(stats, fails[i].stat) ||
		    !stats->v[fails[i].stat].u)
			continue;
		fmt_counter(n, sizeof(n), stats, fails[i].stat);
		fprintf(f, ", %s %s", fails[i].name, n);
	}
	fputc('\n', f);
}

/*
 * "show associations detail": a block per association, a blank line
 * between blocks. stats[i] and filters[i] (either array may be NULL) are
 * the counters and clock filter of recs[i]; now_unix picks the era of the
 * NTP timestamps.
 */
void kntp_show_assocs_detail(FILE *f, const struct kntp_rec *recs,
			     const struct kntp_rec *stats,
			     const struct kntp_filter *filters, size_t n,
			     int64_t now_unix)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		detail_block(f, &recs[i], stats ? &stats[i] : NULL,
			     filters ? &filters[i] : NULL, now_unix);
	}
}
