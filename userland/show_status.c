// SPDX-License-Identifier: GPL-2.0
/*
 * "show status" for people, one fact per line as a router's "show ntp
 * status" has them, and "show counters", a "NAME VALUE" line per counter.
 */
#include <inttypes.h>
#include <stdio.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "show.h"

static int has_any(const struct kntp_rec *r, uint64_t bits)
{
	return !!(r->present & bits);
}

/*
 * The association of assocs (n records) that the status r names as its
 * system peer, when that has an address; NULL without a system peer, or
 * when assocs does not name it.
 */
const struct kntp_rec *kntp_status_sys_peer(const struct kntp_rec *r,
					    const struct kntp_rec *assocs,
					    size_t n)
{
	uint64_t id = r->v[KNTP_A_STATUS_SYS_PEER].u;
	size_t i;

	for (i = 0; kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER) && i < n; i++) {
		if (!kntp_rec_has(&assocs[i], KNTP_A_ASSOC_ID) ||
		    assocs[i].v[KNTP_A_ASSOC_ID].u != id ||
		    !has_any(&assocs[i], KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				     KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6)))
			continue;
		return &assocs[i];
	}
	return NULL;
}

/*
 * "system peer is ADDR": the address of the association SYS_PEER names,
 * looked up in assocs; "none" without a system peer.
 */
static void status_sys_peer(FILE *f, const struct kntp_rec *r,
			    const struct kntp_rec *assocs, size_t n)
{
	const struct kntp_rec *peer = kntp_status_sys_peer(r, assocs, n);
	char addr[64];

	if (!kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER)) {
		fprintf(f, "system peer is none\n");
		return;
	}
	if (peer) {
		kntp_fmt_cell(addr, sizeof(addr), &kntp_assoc_set, peer,
			      KNTP_A_ASSOC_ADDR4);
		fprintf(f, "system peer is %s\n", addr);
		return;
	}
	/* Deleted between the two requests, or the list failed. */
	fprintf(f, "system peer is association %" PRIu64 "\n",
		r->v[KNTP_A_STATUS_SYS_PEER].u);
}

/* Attribute a of status r as attr.c's table says; "-" when absent. */
static void cell(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_cell(buf, len, &kntp_status_set, r, a);
}

/* The words of enum kntp_disc_state: "loop state is ...". */
static const char *const kntp_disc_words[] = {
	[KNTP_DISC_NSET]	= "unset",
	[KNTP_DISC_SYNC]	= "tracking",
	[KNTP_DISC_SPIKE]	= "waiting for stepout",
	[KNTP_DISC_PANIC]	= "panic: offset refused",
	[KNTP_DISC_FREE]	= "free-running (step only)",
	[KNTP_DISC_HANDS_OFF]	= "hands off: the clock is not ours",
};

static void status_loop(FILE *f, const struct kntp_rec *r)
{
	uint64_t st = r->v[KNTP_A_STATUS_DISC_STATE].u;

	if (!kntp_rec_has(r, KNTP_A_STATUS_DISC_STATE))
		return;
	if (st < ARRAY_SIZE(kntp_disc_words) && kntp_disc_words[st])
		fprintf(f, "loop state is %s\n", kntp_disc_words[st]);
	else
		fprintf(f, "loop state is unknown (%" PRIu64 ")\n", st);
}

/* A note of the kernel's, unprintable bytes as '?'. */
static void put_sanitized(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(kntp_printable(*s) ? *s : '?', f);
}

/* Which clock, whose, and a virtual clock's error; then its note. */
static void status_clock(FILE *f, const struct kntp_rec *r)
{
	const char *note = kntp_rec_str(r, &kntp_status_set,
					KNTP_A_STATUS_CLOCK_NOTE);
	uint64_t kind = r->v[KNTP_A_STATUS_CLOCK].u;
	char err[32];

	if (kntp_rec_has(r, KNTP_A_STATUS_CLOCK) && kind == KNTP_CLOCK_SYSTEM) {
		fprintf(f, "clock is system (%s)\n",
			kntp_rec_has(r, KNTP_A_STATUS_CLOCK_OWNER) &&
			r->v[KNTP_A_STATUS_CLOCK_OWNER].u ?
			"owned" : "not owned");
	} else if (kntp_rec_has(r, KNTP_A_STATUS_CLOCK) &&
		   kind == KNTP_CLOCK_VIRTUAL) {
		if (kntp_rec_has(r, KNTP_A_STATUS_CLOCK_ERROR))
			kntp_fmt_ms(err, sizeof(err),
				    r->v[KNTP_A_STATUS_CLOCK_ERROR].s, 6);
		else
			kntp_fmt_dash(err, sizeof(err));
		fprintf(f, "clock is virtual, error %s msec against the system clock\n",
			err);
	} else if (kntp_rec_has(r, KNTP_A_STATUS_CLOCK)) {
		fprintf(f, "clock is unknown (%" PRIu64 ")\n", kind);
	}
	if (note) {
		fputs("clock note: ", f);
		put_sanitized(f, note);
		fputc('\n', f);
	}
}

/*
 * A threshold of u64 nanoseconds in a unit 10^digits ns, exactly: "128
 * msec"; zero is the word zero.
 */
static void fmt_threshold(char *buf, size_t len, const struct kntp_rec *r,
			  int a, int digits, const char *unit,
			  const char *zero)
{
	size_t n;

	if (kntp_rec_has(r, a) && !r->v[a].u) {
		snprintf(buf, len, "%s", zero);
		return;
	}
	if (kntp_rec_has(r, a))
		kntp_fmt_decimal(buf, len, r->v[a].u, 0, digits);
	else
		kntp_fmt_dash(buf, len);
	n = strlen(buf);
	snprintf(buf + n, len - n, " %s", unit);
}

static void status_thresholds(FILE *f, const struct kntp_rec *r)
{
	char step[48], panic[48], stepout[48];

	if (!has_any(r, KNTP_REC_BIT(KNTP_A_STATUS_STEP_THRESHOLD) |
		     KNTP_REC_BIT(KNTP_A_STATUS_PANIC_THRESHOLD) |
		     KNTP_REC_BIT(KNTP_A_STATUS_STEPOUT)))
		return;
	fmt_threshold(step, sizeof(step), r, KNTP_A_STATUS_STEP_THRESHOLD, 6,
		      "msec", "never");
	fmt_threshold(panic, sizeof(panic), r, KNTP_A_STATUS_PANIC_THRESHOLD,
		      9, "s", "none");
	fmt_threshold(stepout, sizeof(stepout), r, KNTP_A_STATUS_STEPOUT, 9,
		      "s", "0 s");
	fprintf(f, "step threshold %s, panic threshold %s, stepout %s\n",
		step, panic, stepout);
}

/* "last step: -300.000000 msec at TIME (1 steps)" or "no step yet". */
static void status_last_step(FILE *f, const struct kntp_rec *r)
{
	char amount[32], when[64], steps[32];

	if (!kntp_rec_has(r, KNTP_A_STATUS_LAST_STEP)) {
		if (kntp_rec_has(r, KNTP_A_STATUS_STEPS))
			fprintf(f, "no step yet\n");
		return;
	}
	if (kntp_rec_has(r, KNTP_A_STATUS_LAST_STEP_AMOUNT))
		kntp_fmt_ms(amount, sizeof(amount),
			    r->v[KNTP_A_STATUS_LAST_STEP_AMOUNT].s, 6);
	else
		kntp_fmt_dash(amount, sizeof(amount));
	kntp_fmt_time(when, sizeof(when), r->v[KNTP_A_STATUS_LAST_STEP].s);
	cell(steps, sizeof(steps), r, KNTP_A_STATUS_STEPS);
	fprintf(f, "last step: %s msec at %s (%s steps)\n", amount, when,
		steps);
}

/* Synchronised: a leap indicator other than the alarm, stratum 1..15. */
int kntp_status_synced(const struct kntp_rec *r)
{
	int st = kntp_rec_has(r, KNTP_A_STATUS_STRATUM) ?
		 (int)r->v[KNTP_A_STATUS_STRATUM].u : -1;

	return kntp_rec_has(r, KNTP_A_STATUS_LEAP) &&
	       r->v[KNTP_A_STATUS_LEAP].u != KNTP_LEAP_UNSYNC &&
	       st >= 1 && st < KNTP_MAXSTRAT;
}

/*
 * A router's "show ntp status": one fact per line, each with stable leading
 * words. assocs (n records, from an ASSOC_GET dump) give the system peer's
 * address. Lines of what this kernel does not report are left out.
 */
void kntp_show_status(FILE *f, const struct kntp_rec *r,
		      const struct kntp_rec *assocs, size_t n)
{
	char stratum[16], ref[32], delay[32], disp[32], count[32], when[64];
	char offset[32], jitter[32], freq[32], poll[32];
	int synced;

	synced = kntp_status_synced(r);
	cell(stratum, sizeof(stratum), r, KNTP_A_STATUS_STRATUM);
	cell(ref, sizeof(ref), r, KNTP_A_STATUS_REFID);
	if (synced)
		fprintf(f, "Clock is synchronized, stratum %s, reference is %s\n",
			stratum, ref);
	else
		fprintf(f, "Clock is unsynchronized, stratum %s, no reference clock\n",
			stratum);

	/* Served only on a month's last day, for the midnight ending it. */
	if (synced && (r->v[KNTP_A_STATUS_LEAP].u == KNTP_LEAP_ADD ||
		       r->v[KNTP_A_STATUS_LEAP].u == KNTP_LEAP_DEL))
		fprintf(f, "leap second: one %s at the end of this day (UTC)\n",
			r->v[KNTP_A_STATUS_LEAP].u == KNTP_LEAP_ADD ?
			"inserted" : "deleted");
	if (kntp_rec_has(r, KNTP_A_STATUS_ENABLED))
		fprintf(f, "kntp is %s\n", r->v[KNTP_A_STATUS_ENABLED].u ?
			"enabled" : "disabled");
	if (kntp_rec_has(r, KNTP_A_STATUS_MASTER) &&
	    r->v[KNTP_A_STATUS_MASTER].u)
		fprintf(f, "serving our own clock at stratum %" PRIu64
			" (ntp master)\n", r->v[KNTP_A_STATUS_MASTER].u);
	if (kntp_rec_has(r, KNTP_A_STATUS_AUTHENTICATE) &&
	    r->v[KNTP_A_STATUS_AUTHENTICATE].u)
		fprintf(f, "sources must authenticate with a trusted key (ntp authenticate)\n");
	status_sys_peer(f, r, assocs, n);

	if (kntp_rec_has(r, KNTP_A_STATUS_PRECISION))
		fprintf(f, "precision is 2**%" PRId64 "\n",
			r->v[KNTP_A_STATUS_PRECISION].s);
	else
		fprintf(f, "precision is -\n");

	if (kntp_rec_has(r, KNTP_A_STATUS_REFTIME)) {
		kntp_fmt_time(when, sizeof(when),
			      r->v[KNTP_A_STATUS_REFTIME].s);
		fprintf(f, "reference time is %s\n", when);
	}

	if (has_any(r, KNTP_REC_BIT(KNTP_A_STATUS_OFFSET) |
		    KNTP_REC_BIT(KNTP_A_STATUS_JITTER))) {
		cell(offset, sizeof(offset), r, KNTP_A_STATUS_OFFSET);
		cell(jitter, sizeof(jitter), r, KNTP_A_STATUS_JITTER);
		fprintf(f, "clock offset is %s msec, jitter is %s msec\n",
			offset, jitter);
	}

	cell(delay, sizeof(delay), r, KNTP_A_STATUS_ROOT_DELAY);
	cell(disp, sizeof(disp), r, KNTP_A_STATUS_ROOT_DISP);
	fprintf(f, "root delay is %s msec, root dispersion is %s msec\n",
		delay, disp);

	if (kntp_rec_has(r, KNTP_A_STATUS_FREQ)) {
		cell(freq, sizeof(freq), r, KNTP_A_STATUS_FREQ);
		fprintf(f, "frequency is %s ppm\n", freq);
	}
	if (kntp_rec_has(r, KNTP_A_STATUS_POLL)) {
		cell(poll, sizeof(poll), r, KNTP_A_STATUS_POLL);
		fprintf(f, "poll interval is %s s\n", poll);
	}
	status_loop(f, r);
	status_clock(f, r);
	status_thresholds(f, r);
	status_last_step(f, r);

	cell(count, sizeof(count), r, KNTP_A_STATUS_ASSOC_COUNT);
	fprintf(f, "associations: %s\n", count);
}

/*
 * "Answering at ingress: b-a, eth1": the devices of "ntp serve ingress",
 * in the order they were added, by their names in this namespace ("ifindex
 * 7" for one without); no line when there is none.
 */
void kntp_show_ingress(FILE *f, const struct kntp_ifindexes *in)
{
	char name[32];
	unsigned int i;

	if (!in->n)
		return;
	fprintf(f, "Answering at ingress: ");
	for (i = 0; i < in->n; i++) {
		kntp_fmt_ifname(name, sizeof(name), in->ifindex[i]);
		fprintf(f, "%s%s", i ? ", " : "", name);
	}
	fputc('\n', f);
}

/*
 * One line per counter the kernel reported, in enum kntp_stat order:
 * "NAME VALUE", the name padded to a column. Nothing else is printed, so
 * that scripts can read it with awk '$1 == "drop_short" { print $2 }'.
 */
void kntp_show_counters(FILE *f, const struct kntp_rec *stats)
{
	int t;

	for (t = 1; t <= kntp_stats_set.max; t++)
		if (kntp_rec_has(stats, t))
			fprintf(f, "%-20s %" PRIu64 "\n",
				kntp_attr_name(&kntp_stats_set, t),
				stats->v[t].u);
}
