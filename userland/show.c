// SPDX-License-Identifier: GPL-2.0
/*
 * "show associations" and "show status" for people.
 *
 * Every value comes from a decoded attribute; an attribute the kernel did not
 * send prints as "-". The columns of "show associations" are a table of
 * heading, width, attribute and formatter.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/kntp.h>

#include "json.h"
#include "ratelimit.h"
#include "show.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * A reference ID as a router shows it: ".INIT." for a kiss code or clock
 * name (printable ASCII, trailing NULs trimmed), else a dotted quad. At
 * stratum 2..15 the refid is an address (or an IPv6 hash) whatever its bytes
 * look like, except "LOCL": a server's own clock ("ntp master N", ntpd's
 * local clock) at any stratum. Pass stratum -1 when it is not known.
 */
void kntp_fmt_refid(char *buf, size_t len, const unsigned char refid[4],
		    int stratum)
{
	int n = 4, i;

	while (n > 0 && !refid[n - 1])
		n--;
	for (i = 0; i < n && printable(refid[i]); i++)
		;
	if (n > 0 && i == n && (stratum < 2 || stratum >= KNTP_MAXSTRAT ||
				!memcmp(refid, "LOCL", 4))) {
		snprintf(buf, len, ".%.*s.", n, (const char *)refid);
		return;
	}
	snprintf(buf, len, "%u.%u.%u.%u", refid[0], refid[1], refid[2],
		 refid[3]);
}

/*
 * A poll interval of 2^poll seconds, in seconds: "64", "0.25", "0.0625".
 * 2^-n is 5^n / 10^n: exactly n decimals, the digits of 5^n.
 */
void kntp_fmt_poll(char *buf, size_t len, int poll)
{
	uint64_t five = 1;
	int i;

	if (poll >= 0 && poll < 63) {
		snprintf(buf, len, "%" PRIu64, (uint64_t)1 << poll);
	} else if (poll < 0 && poll >= -20) {
		for (i = 0; i < -poll; i++)
			five *= 5;
		snprintf(buf, len, "0.%0*" PRIu64, -poll, five);
	} else {
		snprintf(buf, len, "2^%d", poll);
	}
}

/*
 * A magnitude in units 10^unit_digits times smaller than the printed ones
 * (6: ns as ms), with 1..unit_digits decimals, rounded half away from zero.
 */
void kntp_fmt_fixed_mag(char *buf, size_t len, uint64_t mag, int neg,
			int unit_digits, int decimals)
{
	uint64_t unit = 1, scale = 1;
	int i, up;

	if (decimals < 1)
		decimals = 1;
	if (decimals > unit_digits)
		decimals = unit_digits;
	for (i = 0; i < unit_digits; i++)
		unit *= 10;
	for (i = 0; i < decimals; i++)
		scale *= 10;
	unit /= scale;			/* units per last printed digit */
	up = unit > 1 && mag % unit >= unit / 2;	/* no overflow */
	mag = mag / unit + up;		/* in units of the last digit */
	snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64,
		 neg && mag ? "-" : "", mag / scale, decimals, mag % scale);
}

/* A magnitude of nanoseconds as milliseconds, rounded half away. */
static void fmt_ms_mag(char *buf, size_t len, uint64_t mag, int neg,
		       int decimals)
{
	kntp_fmt_fixed_mag(buf, len, mag, neg, 6, decimals);
}

/* Nanoseconds as milliseconds with 1..6 decimals, rounded half away. */
void kntp_fmt_ms(char *buf, size_t len, int64_t ns, int decimals)
{
	fmt_ms_mag(buf, len, ns < 0 ? -(uint64_t)ns : (uint64_t)ns, ns < 0,
		   decimals);
}

/* Unsigned nanoseconds (a u64 attribute) as kntp_fmt_ms() does. */
void kntp_fmt_ums(char *buf, size_t len, uint64_t ns, int decimals)
{
	fmt_ms_mag(buf, len, ns, 0, decimals);
}

/* Parts per billion as parts per million with 3 decimals, exactly. */
void kntp_fmt_ppm(char *buf, size_t len, int64_t ppb)
{
	kntp_fmt_fixed_mag(buf, len, ppb < 0 ? -(uint64_t)ppb : (uint64_t)ppb,
			   ppb < 0, 3, 3);
}

/* Milliseconds of age as whole seconds, truncated: "when" of a router. */
void kntp_fmt_age(char *buf, size_t len, uint64_t ms)
{
	snprintf(buf, len, "%" PRIu64, ms / 1000);
}

/*
 * Nanoseconds since the Unix epoch as ISO 8601 UTC with nanoseconds:
 * "2024-05-01T12:34:56.123456789Z" (GNU date -d reads it back).
 */
void kntp_fmt_time(char *buf, size_t len, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	struct tm tm;
	time_t t;

	if (frac < 0) {			/* before 1970: floor */
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if ((int64_t)t != sec || !gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "%" PRId64 " ns", ns);
		return;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%09" PRId64 "Z", frac);
}

static void fmt_dash(char *buf, size_t len)
{
	snprintf(buf, len, "-");
}

static void fmt_addr(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	(void)a;
	if (kntp_rec_has(r, KNTP_A_ASSOC_ADDR4))
		inet_ntop(AF_INET, r->v[KNTP_A_ASSOC_ADDR4].b, buf, len);
	else if (kntp_rec_has(r, KNTP_A_ASSOC_ADDR6))
		inet_ntop(AF_INET6, r->v[KNTP_A_ASSOC_ADDR6].b, buf, len);
	else
		fmt_dash(buf, len);
}

void kntp_fmt_addr(char *buf, size_t len, const struct kntp_rec *r)
{
	fmt_addr(buf, len, r, 0);
}

static void fmt_refid(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	int st = kntp_rec_has(r, KNTP_A_ASSOC_STRATUM) ?
		 (int)r->v[KNTP_A_ASSOC_STRATUM].u : -1;

	if (kntp_rec_has(r, a))
		kntp_fmt_refid(buf, len, r->v[a].b, st);
	else
		fmt_dash(buf, len);
}

static void fmt_uint(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		snprintf(buf, len, "%" PRIu64, r->v[a].u);
	else
		fmt_dash(buf, len);
}

static void fmt_octal(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		snprintf(buf, len, "%" PRIo64, r->v[a].u);
	else
		fmt_dash(buf, len);
}

static void fmt_poll(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_poll(buf, len, (int)r->v[a].s);
	else
		fmt_dash(buf, len);
}

/* Signed nanoseconds as milliseconds, 3 decimals. */
static void fmt_ms(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_ms(buf, len, r->v[a].s, 3);
	else
		fmt_dash(buf, len);
}

/* Unsigned nanoseconds as milliseconds, 3 decimals. */
static void fmt_ums(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_ums(buf, len, r->v[a].u, 3);
	else
		fmt_dash(buf, len);
}

/* Milliseconds as whole seconds. */
static void fmt_age(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_age(buf, len, r->v[a].u);
	else
		fmt_dash(buf, len);
}

/* The columns of "show associations" after the tally and "~" marks. */
static const struct kntp_col {
	const char *head;
	int width;		/* negative: left aligned */
	int attr;
	void (*fmt)(char *buf, size_t len, const struct kntp_rec *r, int a);
} kntp_assoc_cols[] = {
	{ "address",	-24, KNTP_A_ASSOC_ADDR4, fmt_addr },
	{ "ref clock",	-15, KNTP_A_ASSOC_REFID, fmt_refid },
	{ "st",		2, KNTP_A_ASSOC_STRATUM, fmt_uint },
	{ "when",	6, KNTP_A_ASSOC_RX_AGE, fmt_age },	/* s */
	{ "poll",	6, KNTP_A_ASSOC_POLL, fmt_poll },
	{ "reach",	5, KNTP_A_ASSOC_REACH, fmt_octal },
	{ "delay",	7, KNTP_A_ASSOC_DELAY, fmt_ms },	/* ms */
	{ "offset",	8, KNTP_A_ASSOC_OFFSET, fmt_ms },	/* ms */
	{ "disp",	9, KNTP_A_ASSOC_DISP, fmt_ums },	/* ms */
};

/* A value of an enum, or a bit of a set of flags, and its word. */
struct kntp_word {
	uint64_t val;
	const char *word;
};

/*
 * Words after a row for the conditions of an association (enum
 * kntp_assoc_state); also the words of its "state" in JSON.
 */
static const struct kntp_word kntp_state_words[] = {
	{ KNTP_ASSOC_S_DENIED, "denied" },	/* DENY/RSTR kiss: stopped */
	{ KNTP_ASSOC_S_RATE, "rate" },		/* RATE kiss: backed off */
	/* xleave here, basic answers only: one-sided, or a basic server */
	{ KNTP_ASSOC_S_XLEAVE_BASIC, "xleave_unanswered" },
	/* basic here, interleaved packets: xleave on the peer's side only */
	{ KNTP_ASSOC_S_XLEAVE_PEER, "xleave_peer_only" },
};

/*
 * The tally code of RFC 5905 selection (enum kntp_tally), as routers show it
 * before the address.
 */
static const char kntp_tally_chars[] = {
	[KNTP_TALLY_REJECT]		= ' ',	/* not selectable */
	[KNTP_TALLY_FALSETICKER]	= 'x',
	[KNTP_TALLY_OUTLIER]		= '-',
	[KNTP_TALLY_BACKUP]		= '#',	/* selected, not combined */
	[KNTP_TALLY_CANDIDATE]		= '+',	/* selected and combined */
	[KNTP_TALLY_SYSPEER]		= '*',
};

/* The tally character; a space when absent or unknown. */
static char tally(const struct kntp_rec *r)
{
	uint64_t t = r->v[KNTP_A_ASSOC_TALLY].u;

	if (!kntp_rec_has(r, KNTP_A_ASSOC_TALLY) ||
	    t >= ARRAY_SIZE(kntp_tally_chars) || !kntp_tally_chars[t])
		return ' ';
	return kntp_tally_chars[t];
}

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

			col->fmt(buf[c], sizeof(buf[c]), &recs[i], col->attr);
			cells[c] = buf[c];
		}
		fprintf(f, "%c%c", tally(&recs[i]), configured(&recs[i]));
		print_cells(f, cells);
		print_state(f, &recs[i]);
		fputc('\n', f);
	}
	fputs(" * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured\n",
	      f);
}

static void status_ms(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_ums(buf, len, r->v[a].u, 2);
	else
		fmt_dash(buf, len);
}

/*
 * The reference ID of the status. Serving our own clock ("ntp master"), the
 * kernel reports "LOCL" at the master stratum, which would otherwise read
 * as an IPv4 address: show it as the clock name it is.
 */
static void status_refid(char *buf, size_t len, const struct kntp_rec *r,
			 int stratum)
{
	const unsigned char *refid = r->v[KNTP_A_STATUS_REFID].b;

	if (!kntp_rec_has(r, KNTP_A_STATUS_REFID)) {
		fmt_dash(buf, len);
		return;
	}
	if (kntp_rec_has(r, KNTP_A_STATUS_MASTER) &&
	    r->v[KNTP_A_STATUS_MASTER].u && !memcmp(refid, "LOCL", 4))
		stratum = -1;
	kntp_fmt_refid(buf, len, refid, stratum);
}

static int has_any(const struct kntp_rec *r, uint64_t bits)
{
	return !!(r->present & bits);
}

/*
 * "system peer is ADDR": the address of the association SYS_PEER names,
 * looked up in assocs; "none" without a system peer.
 */
static void status_sys_peer(FILE *f, const struct kntp_rec *r,
			    const struct kntp_rec *assocs, size_t n)
{
	uint64_t id = r->v[KNTP_A_STATUS_SYS_PEER].u;
	char addr[64];
	size_t i;

	if (!kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER)) {
		fprintf(f, "system peer is none\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if (!kntp_rec_has(&assocs[i], KNTP_A_ASSOC_ID) ||
		    assocs[i].v[KNTP_A_ASSOC_ID].u != id ||
		    !has_any(&assocs[i], KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				     KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6)))
			continue;
		fmt_addr(addr, sizeof(addr), &assocs[i], 0);
		fprintf(f, "system peer is %s\n", addr);
		return;
	}
	/* Deleted between the two requests, or the list failed. */
	fprintf(f, "system peer is association %" PRIu64 "\n", id);
}

/* Signed parts per billion as ppm, 3 decimals. */
static void fmt_ppm(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		kntp_fmt_ppm(buf, len, r->v[a].s);
	else
		fmt_dash(buf, len);
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
		fputc(printable(*s) ? *s : '?', f);
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
			fmt_dash(err, sizeof(err));
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
		fmt_dash(buf, len);
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
		fmt_dash(amount, sizeof(amount));
	kntp_fmt_time(when, sizeof(when), r->v[KNTP_A_STATUS_LAST_STEP].s);
	fmt_uint(steps, sizeof(steps), r, KNTP_A_STATUS_STEPS);
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
	int has_st = kntp_rec_has(r, KNTP_A_STATUS_STRATUM);
	int st = has_st ? (int)r->v[KNTP_A_STATUS_STRATUM].u : -1;
	char stratum[16], ref[32], delay[32], disp[32], count[32], when[64];
	char offset[32], jitter[32], freq[32], poll[32];
	int synced;

	synced = kntp_status_synced(r);
	fmt_uint(stratum, sizeof(stratum), r, KNTP_A_STATUS_STRATUM);
	status_refid(ref, sizeof(ref), r, st);
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
		fmt_ms(offset, sizeof(offset), r, KNTP_A_STATUS_OFFSET);
		fmt_ums(jitter, sizeof(jitter), r, KNTP_A_STATUS_JITTER);
		fprintf(f, "clock offset is %s msec, jitter is %s msec\n",
			offset, jitter);
	}

	status_ms(delay, sizeof(delay), r, KNTP_A_STATUS_ROOT_DELAY);
	status_ms(disp, sizeof(disp), r, KNTP_A_STATUS_ROOT_DISP);
	fprintf(f, "root delay is %s msec, root dispersion is %s msec\n",
		delay, disp);

	if (kntp_rec_has(r, KNTP_A_STATUS_FREQ)) {
		fmt_ppm(freq, sizeof(freq), r, KNTP_A_STATUS_FREQ);
		fprintf(f, "frequency is %s ppm\n", freq);
	}
	if (kntp_rec_has(r, KNTP_A_STATUS_POLL)) {
		fmt_poll(poll, sizeof(poll), r, KNTP_A_STATUS_POLL);
		fprintf(f, "poll interval is %s s\n", poll);
	}
	status_loop(f, r);
	status_clock(f, r);
	status_thresholds(f, r);
	status_last_step(f, r);

	fmt_uint(count, sizeof(count), r, KNTP_A_STATUS_ASSOC_COUNT);
	fprintf(f, "associations: %s\n", count);
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

/*
 * Machine output ("-j"): one JSON document per command. Each attribute of
 * a record maps to one key in the tables below, whose name carries the
 * unit (_ns, _ms, _ppb, _log2 for log2 seconds, _unix_ns for nanoseconds
 * since the Unix epoch); the values are the attribute's, unconverted,
 * except enums and flags, which are words. Absent attributes are left out.
 */

enum kntp_jkind {
	KNTP_J_NUM,	/* the value; signed as the attribute's type is */
	KNTP_J_BOOL,	/* non-zero: true */
	KNTP_J_TEXT,	/* fmt's text */
	KNTP_J_REFID,	/* fmt's text without the dots of ".INIT." */
	KNTP_J_STR,	/* a string attribute */
	KNTP_J_ENUM,	/* the word of the value, else the number */
	KNTP_J_FLAGS,	/* an array of the words of the bits set */
	KNTP_J_TALLY,	/* the tally character */
	KNTP_J_COUNTERS, /* the stats nest as an object */
	KNTP_J_TRUE,	/* always true, whatever is present (configured) */
	KNTP_J_NTPTS,	/* an NTP timestamp: a string of 16 hex digits */
	KNTP_J_FILTER,	/* the filter stages: an array of objects */
};

struct kntp_jfield {
	int attr;
	int alt;		/* another attribute of the same key, or 0 */
	const char *key;
	enum kntp_jkind kind;
	void (*fmt)(char *buf, size_t len, const struct kntp_rec *r, int a);
	const struct kntp_word *words;	/* KNTP_J_ENUM, KNTP_J_FLAGS */
	size_t nwords;
};

#define KNTP_J(a, k, kind)	{ (a), 0, (k), (kind), NULL, NULL, 0 }
#define KNTP_J_FMT(a, alt, k, kind, fmt) \
	{ (a), (alt), (k), (kind), (fmt), NULL, 0 }
#define KNTP_J_WORDS(a, k, kind, w) \
	{ (a), 0, (k), (kind), NULL, (w), ARRAY_SIZE(w) }

static const struct kntp_word kntp_kind_words[] = {
	{ KNTP_ASSOC_KIND_SERVER, "server" },
	{ KNTP_ASSOC_KIND_PEER, "peer" },
};

static const struct kntp_word kntp_flag_words[] = {
	{ KNTP_ASSOC_F_IBURST, "iburst" },
	{ KNTP_ASSOC_F_PREFER, "prefer" },
	{ KNTP_ASSOC_F_XLEAVE, "xleave" },
};

static const struct kntp_word kntp_reject_words[] = {
	{ KNTP_REJECT_NOSAMPLE, "no_sample" },
	{ KNTP_REJECT_UNREACH, "unreachable" },
	{ KNTP_REJECT_UNSYNC, "unsynchronized" },
	{ KNTP_REJECT_DISTANCE, "distance" },
	{ KNTP_REJECT_LOOP, "loop" },
};

/* enum kntp_auth: the names of the KNTP_STAT_AUTH_* counters. */
static const struct kntp_word kntp_auth_words[] = {
	{ KNTP_AUTH_NONE, "none" },
	{ KNTP_AUTH_OK, "ok" },
	{ KNTP_AUTH_MISSING, "missing" },
	{ KNTP_AUTH_UNKNOWN_KEY, "unknown_key" },
	{ KNTP_AUTH_UNTRUSTED, "untrusted" },
	{ KNTP_AUTH_BAD_LENGTH, "bad_length" },
	{ KNTP_AUTH_BAD_MAC, "bad_mac" },
	{ KNTP_AUTH_WRONG_KEY, "wrong_key" },
	{ KNTP_AUTH_NAK, "nak" },
};

/* enum kntp_mode (KNTP_A_ASSOC_PMODE); people read "_" as " ". */
static const struct kntp_word kntp_mode_words[] = {
	{ KNTP_MODE_ACTIVE, "symmetric_active" },
	{ KNTP_MODE_PASSIVE, "symmetric_passive" },
	{ KNTP_MODE_CLIENT, "client" },
	{ KNTP_MODE_SERVER, "server" },
	{ KNTP_MODE_BROADCAST, "broadcast" },
};

static const struct kntp_word kntp_clock_words[] = {
	{ KNTP_CLOCK_SYSTEM, "system" },
	{ KNTP_CLOCK_VIRTUAL, "virtual" },
};

/* enum kntp_disc_state as a key word ("loop state is ..." for people). */
static const struct kntp_word kntp_disc_keys[] = {
	{ KNTP_DISC_NSET, "unset" },
	{ KNTP_DISC_SYNC, "tracking" },
	{ KNTP_DISC_SPIKE, "spike" },
	{ KNTP_DISC_PANIC, "panic" },
	{ KNTP_DISC_FREE, "free" },
	{ KNTP_DISC_HANDS_OFF, "hands_off" },
};

static const struct kntp_jfield kntp_assoc_json[] = {
	KNTP_J(KNTP_A_ASSOC_ID, "id", KNTP_J_NUM),
	KNTP_J_FMT(KNTP_A_ASSOC_ADDR4, KNTP_A_ASSOC_ADDR6, "address",
		   KNTP_J_TEXT, fmt_addr),
	KNTP_J_WORDS(KNTP_A_ASSOC_KIND, "kind", KNTP_J_ENUM, kntp_kind_words),
	KNTP_J(0, "configured", KNTP_J_TRUE),
	KNTP_J(KNTP_A_ASSOC_TALLY, "tally", KNTP_J_TALLY),
	KNTP_J_WORDS(KNTP_A_ASSOC_REJECT, "reject", KNTP_J_ENUM,
		     kntp_reject_words),
	KNTP_J_FMT(KNTP_A_ASSOC_REFID, 0, "refid", KNTP_J_REFID, fmt_refid),
	KNTP_J(KNTP_A_ASSOC_STRATUM, "stratum", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_LEAP, "leap", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_REACH, "reach", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_POLL, "poll_log2", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_PPOLL, "peer_poll_log2", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_PRECISION, "precision_log2", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_RX_AGE, "when_ms", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_DELAY, "delay_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_OFFSET, "offset_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_RESIDUAL, "residual_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_DISP, "disp_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_JITTER, "jitter_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_ROOT_DELAY, "root_delay_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_ROOT_DISP, "root_disp_ns", KNTP_J_NUM),
	KNTP_J_WORDS(KNTP_A_ASSOC_STATE, "state", KNTP_J_FLAGS,
		     kntp_state_words),
	KNTP_J(KNTP_A_ASSOC_VERSION, "version", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_MINPOLL, "minpoll_log2", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_MAXPOLL, "maxpoll_log2", KNTP_J_NUM),
	KNTP_J_WORDS(KNTP_A_ASSOC_FLAGS, "flags", KNTP_J_FLAGS,
		     kntp_flag_words),
	KNTP_J(KNTP_A_ASSOC_LOCAL_PORT, "local_port", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_XMT, "xmt_unix_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_TX_STAMP, "tx_stamp_unix_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_ASSOC_ROOT_DIST, "root_dist_ns", KNTP_J_NUM),
	KNTP_J_WORDS(KNTP_A_ASSOC_PMODE, "peer_mode", KNTP_J_ENUM,
		     kntp_mode_words),
	KNTP_J(KNTP_A_ASSOC_ORG_TS, "org_ts", KNTP_J_NTPTS),
	KNTP_J(KNTP_A_ASSOC_REC_TS, "rec_ts", KNTP_J_NTPTS),
	KNTP_J(KNTP_A_ASSOC_XMT_TS, "xmt_ts", KNTP_J_NTPTS),
	KNTP_J(KNTP_A_ASSOC_STATS, "counters", KNTP_J_COUNTERS),
	KNTP_J(KNTP_A_ASSOC_FILTER, "filter", KNTP_J_FILTER),
	KNTP_J(KNTP_A_ASSOC_KEY, "key", KNTP_J_NUM),
	KNTP_J_WORDS(KNTP_A_ASSOC_AUTH, "auth", KNTP_J_ENUM, kntp_auth_words),
};

/* status_refid() with the stratum of the record. */
static void fmt_status_refid(char *buf, size_t len, const struct kntp_rec *r,
			     int a)
{
	(void)a;
	status_refid(buf, len, r, kntp_rec_has(r, KNTP_A_STATUS_STRATUM) ?
		     (int)r->v[KNTP_A_STATUS_STRATUM].u : -1);
}

/* "synchronized" and "system_peer" come first, from kntp_show_status_json. */
static const struct kntp_jfield kntp_status_json[] = {
	KNTP_J(KNTP_A_STATUS_STRATUM, "stratum", KNTP_J_NUM),
	KNTP_J_FMT(KNTP_A_STATUS_REFID, 0, "refid", KNTP_J_REFID,
		   fmt_status_refid),
	KNTP_J(KNTP_A_STATUS_LEAP, "leap", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_ENABLED, "enabled", KNTP_J_BOOL),
	KNTP_J(KNTP_A_STATUS_MASTER, "master_stratum", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_PRECISION, "precision_log2", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_REFTIME, "reftime_unix_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_OFFSET, "offset_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_JITTER, "jitter_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_ROOT_DELAY, "root_delay_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_ROOT_DISP, "root_disp_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_FREQ, "frequency_ppb", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_POLL, "poll_log2", KNTP_J_NUM),
	KNTP_J_WORDS(KNTP_A_STATUS_CLOCK, "clock", KNTP_J_ENUM,
		     kntp_clock_words),
	KNTP_J(KNTP_A_STATUS_CLOCK_OWNER, "clock_owner", KNTP_J_BOOL),
	KNTP_J(KNTP_A_STATUS_CLOCK_LOST, "clock_lost", KNTP_J_BOOL),
	KNTP_J(KNTP_A_STATUS_CLOCK_ERROR, "clock_error_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_CLOCK_NOTE, "clock_note", KNTP_J_STR),
	KNTP_J_WORDS(KNTP_A_STATUS_DISC_STATE, "loop_state", KNTP_J_ENUM,
		     kntp_disc_keys),
	KNTP_J(KNTP_A_STATUS_STEP_THRESHOLD, "step_threshold_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_PANIC_THRESHOLD, "panic_threshold_ns",
	       KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_STEPOUT, "stepout_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_LAST_STEP, "last_step_unix_ns", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_LAST_STEP_AMOUNT, "last_step_amount_ns",
	       KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_STEPS, "steps", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_ASSOC_COUNT, "associations", KNTP_J_NUM),
	KNTP_J(KNTP_A_STATUS_AUTHENTICATE, "authenticate", KNTP_J_BOOL),
	KNTP_J(KNTP_A_STATUS_STATS, "counters", KNTP_J_COUNTERS),
};

/* The table of a set; NULL for a set without one. */
static const struct kntp_jfield *json_table(const struct kntp_attrset *set,
					    size_t *n)
{
	if (set == &kntp_assoc_set) {
		*n = ARRAY_SIZE(kntp_assoc_json);
		return kntp_assoc_json;
	}
	if (set == &kntp_status_set) {
		*n = ARRAY_SIZE(kntp_status_json);
		return kntp_status_json;
	}
	*n = 0;
	return NULL;
}

const char *kntp_json_key(const struct kntp_attrset *set, int type)
{
	const struct kntp_jfield *t;
	size_t i, n;

	if (set == &kntp_stats_set)
		return kntp_attr_name(set, type);
	if (set == &kntp_status_set && type == KNTP_A_STATUS_SYS_PEER)
		return "system_peer_id";	/* kntp_show_status_json */
	if (set == &kntp_status_set && type == KNTP_A_STATUS_RATELIMIT)
		return "ratelimit";		/* kntp_rl_json */
	t = json_table(set, &n);
	for (i = 0; i < n; i++)
		if (type > 0 && (t[i].attr == type || t[i].alt == type))
			return t[i].key;
	return NULL;
}

static const char *word_of(const struct kntp_word *w, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i].val == v)
			return w[i].word;
	return NULL;
}

const char *kntp_kind_word(const struct kntp_rec *r)
{
	const char *w = word_of(kntp_kind_words, ARRAY_SIZE(kntp_kind_words),
				r->v[KNTP_A_ASSOC_KIND].u);

	return kntp_rec_has(r, KNTP_A_ASSOC_KIND) && w ? w : "unknown";
}

/* Every counter the kernel reported, in enum kntp_stat order. */
static void json_counters(struct kntp_json *j, const char *key,
			  const struct kntp_rec *stats)
{
	int t;

	kntp_json_open(j, key, '{');
	for (t = 1; t <= kntp_stats_set.max; t++)
		if (kntp_rec_has(stats, t) && kntp_attr_name(&kntp_stats_set, t))
			kntp_json_u64(j, kntp_attr_name(&kntp_stats_set, t),
				      stats->v[t].u);
	kntp_json_close(j, '}');
}

/* [{"offset_ns": N, "delay_ns": N, "disp_ns": N, "age_ns": N}, ...] */
static void json_filter(struct kntp_json *j, const char *key,
			const struct kntp_filter *filter)
{
	unsigned int i;

	kntp_json_open(j, key, '[');
	for (i = 0; i < filter->n && i < KNTP_FILTER_STAGES; i++) {
		const struct kntp_stage *st = &filter->stage[i];

		kntp_json_open(j, NULL, '{');
		if (kntp_stage_has(st, KNTP_A_STAGE_OFFSET))
			kntp_json_s64(j, "offset_ns", st->offset_ns);
		if (kntp_stage_has(st, KNTP_A_STAGE_DELAY))
			kntp_json_s64(j, "delay_ns", st->delay_ns);
		if (kntp_stage_has(st, KNTP_A_STAGE_DISP))
			kntp_json_u64(j, "disp_ns", st->disp_ns);
		if (kntp_stage_has(st, KNTP_A_STAGE_AGE))
			kntp_json_u64(j, "age_ns", st->age_ns);
		kntp_json_close(j, '}');
	}
	kntp_json_close(j, ']');
}

static void json_field(struct kntp_json *j, const struct kntp_attrset *set,
		       const struct kntp_jfield *e, const struct kntp_rec *r,
		       int a, const struct kntp_rec *stats,
		       const struct kntp_filter *filter)
{
	uint64_t v = r->v[a].u;
	const char *w, *s;
	char buf[64], *p;
	size_t i, len;

	switch (e->kind) {
	case KNTP_J_NUM:
		if (kntp_attr_signed(set, a))
			kntp_json_s64(j, e->key, r->v[a].s);
		else
			kntp_json_u64(j, e->key, v);
		break;
	case KNTP_J_BOOL:
	case KNTP_J_TRUE:
		kntp_json_bool(j, e->key, e->kind == KNTP_J_TRUE || v);
		break;
	case KNTP_J_TEXT:
	case KNTP_J_REFID:
		e->fmt(buf, sizeof(buf), r, a);
		p = buf;
		len = strlen(buf);
		if (e->kind == KNTP_J_REFID && len >= 2 && buf[0] == '.' &&
		    buf[len - 1] == '.') {	/* ".INIT." */
			buf[len - 1] = '\0';
			p++;
		}
		kntp_json_str(j, e->key, p);
		break;
	case KNTP_J_STR:
		s = kntp_rec_str(r, set, a);
		if (s)
			kntp_json_str(j, e->key, s);
		break;
	case KNTP_J_ENUM:
		w = word_of(e->words, e->nwords, v);
		if (w)
			kntp_json_str(j, e->key, w);
		else
			kntp_json_u64(j, e->key, v);
		break;
	case KNTP_J_FLAGS:
		kntp_json_open(j, e->key, '[');
		for (i = 0; i < e->nwords; i++)
			if (v & e->words[i].val)
				kntp_json_str(j, NULL, e->words[i].word);
		for (i = 0; i < 64; i++)	/* bits without a word */
			if (v >> i & 1 &&
			    !word_of(e->words, e->nwords, (uint64_t)1 << i)) {
				snprintf(buf, sizeof(buf), "bit%zu", i);
				kntp_json_str(j, NULL, buf);
			}
		kntp_json_close(j, ']');
		break;
	case KNTP_J_TALLY:
		buf[0] = tally(r);
		buf[1] = '\0';
		kntp_json_str(j, e->key, buf);
		break;
	case KNTP_J_COUNTERS:
		if (stats)
			json_counters(j, e->key, stats);
		break;
	case KNTP_J_NTPTS:
		snprintf(buf, sizeof(buf), "%016" PRIx64, v);
		kntp_json_str(j, e->key, buf);
		break;
	case KNTP_J_FILTER:
		if (filter && filter->n)
			json_filter(j, e->key, filter);
		break;
	}
}

/*
 * The members of r (of set) by its table; stats: its counters, filter: its
 * clock filter, or NULL.
 */
static void json_rec(struct kntp_json *j, const struct kntp_attrset *set,
		     const struct kntp_rec *r, const struct kntp_rec *stats,
		     const struct kntp_filter *filter)
{
	const struct kntp_jfield *t;
	size_t i, n;

	t = json_table(set, &n);
	for (i = 0; i < n; i++) {
		int a = t[i].attr;

		if (t[i].kind != KNTP_J_TRUE && !kntp_rec_has(r, a)) {
			a = t[i].alt;
			if (!a || !kntp_rec_has(r, a))
				continue;
		}
		json_field(j, set, &t[i], r, a, stats, filter);
	}
}

/*
 * {"associations": [{...}, ...]}. stats[i], when stats is not NULL, holds
 * the counters of recs[i] (shown when recs[i] has KNTP_A_ASSOC_STATS);
 * filters[i], when filters is not NULL, its clock filter (shown when
 * recs[i] has KNTP_A_ASSOC_FILTER).
 */
void kntp_show_assocs_json(FILE *f, const struct kntp_rec *recs,
			   const struct kntp_rec *stats,
			   const struct kntp_filter *filters, size_t n)
{
	struct kntp_json j;
	size_t i;

	kntp_json_init(&j, f);
	kntp_json_open(&j, NULL, '{');
	kntp_json_open(&j, "associations", '[');
	for (i = 0; i < n; i++) {
		kntp_json_open(&j, NULL, '{');
		json_rec(&j, &kntp_assoc_set, &recs[i],
			 stats ? &stats[i] : NULL,
			 filters ? &filters[i] : NULL);
		kntp_json_close(&j, '}');
	}
	kntp_json_close(&j, ']');
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/*
 * The status as one object: "synchronized" as "show status" decides it,
 * "system_peer" the peer's address (null without a system peer, or when
 * assocs does not name it) and "system_peer_id" its association, then the
 * attributes by kntp_status_json.
 */
void kntp_show_status_json(FILE *f, const struct kntp_reply *reply,
			   const struct kntp_rec *assocs, size_t n)
{
	const struct kntp_rec *r = &reply->rec;
	uint64_t id = r->v[KNTP_A_STATUS_SYS_PEER].u;
	const char *peer = NULL;
	struct kntp_json j;
	char addr[64];
	size_t i;

	kntp_json_init(&j, f);
	kntp_json_open(&j, NULL, '{');
	kntp_json_bool(&j, "synchronized", kntp_status_synced(r));
	for (i = 0; kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER) && i < n; i++) {
		if (!kntp_rec_has(&assocs[i], KNTP_A_ASSOC_ID) ||
		    assocs[i].v[KNTP_A_ASSOC_ID].u != id ||
		    !has_any(&assocs[i], KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				     KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6)))
			continue;
		fmt_addr(addr, sizeof(addr), &assocs[i], 0);
		peer = addr;
		break;
	}
	if (peer)
		kntp_json_str(&j, "system_peer", peer);
	else
		kntp_json_null(&j, "system_peer");
	if (kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER))
		kntp_json_u64(&j, "system_peer_id", id);
	json_rec(&j, &kntp_status_set, r,
		 kntp_reply_nest(reply, &kntp_status_set, KNTP_A_STATUS_STATS),
		 NULL);
	kntp_rl_json(&j, kntp_reply_nest(reply, &kntp_status_set,
					 KNTP_A_STATUS_RATELIMIT));
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/* {"counters": {"rx": N, ...}}. */
void kntp_show_counters_json(FILE *f, const struct kntp_rec *stats)
{
	struct kntp_json j;

	kntp_json_init(&j, f);
	kntp_json_open(&j, NULL, '{');
	json_counters(&j, "counters", stats);
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/*
 * An NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the
 * low 32) as "E9A4B7C1.12345678 (2026-11-26T14:05:01.071234567Z)": the raw
 * value, then UTC. Its era (RFC 5905 sec. 6) is the one of 0 and 1 that
 * puts it nearer to now_unix (seconds since the Unix epoch), so within 68
 * years of it. Zero, "never set", has no date.
 */
#define KNTP_NTP_UNIX_DELTA	2208988800LL	/* 1900 to 1970, seconds */

void kntp_fmt_ntpts(char *buf, size_t len, uint64_t ts, int64_t now_unix)
{
	uint32_t sec = ts >> 32, frac = (uint32_t)ts;
	int64_t t0 = (int64_t)sec - KNTP_NTP_UNIX_DELTA;
	int64_t t1 = t0 + ((int64_t)1 << 32);
	int64_t t = (t1 - now_unix < now_unix - t0) ? t1 : t0;
	int64_t ns = (int64_t)(((uint64_t)frac * 1000000000ULL) >> 32);
	char when[64];
	int n;

	n = snprintf(buf, len, "%08" PRIX32 ".%08" PRIX32, sec, frac);
	if (n < 0 || (size_t)n >= len)
		return;
	if (!ts) {
		snprintf(buf + n, len - n, " (never)");
		return;
	}
	kntp_fmt_time(when, sizeof(when), t * 1000000000 + ns);
	snprintf(buf + n, len - n, " (%s)", when);
}

/* The words of a tally code for people (enum kntp_tally). */
static const char *const kntp_tally_words[] = {
	[KNTP_TALLY_REJECT]		= "rejected",
	[KNTP_TALLY_FALSETICKER]	= "falseticker",
	[KNTP_TALLY_OUTLIER]		= "outlyer",
	[KNTP_TALLY_BACKUP]		= "selected",
	[KNTP_TALLY_CANDIDATE]		= "candidate",
	[KNTP_TALLY_SYSPEER]		= "sys.peer",
};

/* The leap indicator for people (RFC 5905 sec. 7.3). */
static const char *const kntp_leap_words[] = {
	"none", "add second", "delete second", "unsynchronized",
};

/* A word of a table with its "_" read as " "; the number when unknown. */
static void fmt_word(char *buf, size_t len, const struct kntp_word *w,
		     size_t n, const struct kntp_rec *r, int a)
{
	const char *word;
	char *p;

	if (!kntp_rec_has(r, a)) {
		fmt_dash(buf, len);
		return;
	}
	word = word_of(w, n, r->v[a].u);
	if (!word) {
		snprintf(buf, len, "%" PRIu64, r->v[a].u);
		return;
	}
	snprintf(buf, len, "%s", word);
	for (p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
}

static void fmt_ints(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	if (kntp_rec_has(r, a))
		snprintf(buf, len, "%" PRId64, r->v[a].s);
	else
		fmt_dash(buf, len);
}

/* A counter of the stats nest, "-" when absent. */
static void fmt_counter(char *buf, size_t len, const struct kntp_rec *stats,
			int type)
{
	if (stats && kntp_rec_has(stats, type))
		snprintf(buf, len, "%" PRIu64, stats->v[type].u);
	else
		fmt_dash(buf, len);
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
			fmt_dash(v, sizeof(v));
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
		fmt_dash(ts, sizeof(ts));
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
	uint64_t t = r->v[KNTP_A_ASSOC_TALLY].u;
	const char *ours = "-";

	fmt_addr(addr, sizeof(addr), r, 0);
	fmt_word(mode, sizeof(mode), kntp_mode_words,
		 ARRAY_SIZE(kntp_mode_words), r, KNTP_A_ASSOC_PMODE);
	fmt_uint(st, sizeof(st), r, KNTP_A_ASSOC_STRATUM);
	if (kntp_rec_has(r, KNTP_A_ASSOC_KIND))
		ours = r->v[KNTP_A_ASSOC_KIND].u == KNTP_ASSOC_KIND_PEER ?
		       "symmetric active" : "client";
	fprintf(f, "%s configured", addr);
	if (kntp_rec_has(r, KNTP_A_ASSOC_FLAGS) &&
	    r->v[KNTP_A_ASSOC_FLAGS].u & KNTP_ASSOC_F_PREFER)
		fprintf(f, ", prefer");
	if (kntp_rec_has(r, KNTP_A_ASSOC_TALLY) &&
	    t < ARRAY_SIZE(kntp_tally_words) && kntp_tally_words[t])
		fprintf(f, ", %s", kntp_tally_words[t]);
	fprintf(f, ", our mode %s, peer mode %s, stratum %s\n", ours, mode, st);

	fmt_refid(ref, sizeof(ref), r, KNTP_A_ASSOC_REFID);
	fprintf(f, " ref ID %s\n", ref);

	status_ms(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_ROOT_DELAY);
	status_ms(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_ROOT_DISP);
	fmt_octal(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_REACH);
	fmt_ums(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_ROOT_DIST);
	fprintf(f, " root delay %s msec, root disp %s msec, reach %s, sync dist %s msec\n",
		a[0], a[1], a[2], a[3]);

	fmt_ms(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_DELAY);
	fmt_ms(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_OFFSET);
	fmt_ms(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_RESIDUAL);
	fmt_ums(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_DISP);
	fmt_ums(a[4], sizeof(a[4]), r, KNTP_A_ASSOC_JITTER);
	/* As chronyc: the offset measured, [after our corrections since]. */
	fprintf(f, " delay %s msec, offset %s [%s] msec, dispersion %s msec, jitter %s msec\n",
		a[0], a[1], a[2], a[3], a[4]);

	fmt_ints(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_PRECISION);
	fmt_uint(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_VERSION);
	if (kntp_rec_has(r, KNTP_A_ASSOC_LEAP))
		snprintf(a[2], sizeof(a[2]), "%s",
			 kntp_leap_words[r->v[KNTP_A_ASSOC_LEAP].u & 3]);
	else
		fmt_dash(a[2], sizeof(a[2]));
	fprintf(f, " precision 2**%s, version %s, leap %s\n", a[0], a[1], a[2]);

	fmt_poll(a[0], sizeof(a[0]), r, KNTP_A_ASSOC_POLL);
	fmt_ints(a[1], sizeof(a[1]), r, KNTP_A_ASSOC_MINPOLL);
	fmt_ints(a[2], sizeof(a[2]), r, KNTP_A_ASSOC_MAXPOLL);
	fmt_poll(a[3], sizeof(a[3]), r, KNTP_A_ASSOC_PPOLL);
	fmt_age(a[4], sizeof(a[4]), r, KNTP_A_ASSOC_RX_AGE);
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
		fmt_word(a[0], sizeof(a[0]), kntp_reject_words,
			 ARRAY_SIZE(kntp_reject_words), r,
			 KNTP_A_ASSOC_REJECT);
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

	if (kntp_rec_has(r, KNTP_A_ASSOC_AUTH))
		fmt_word(last, sizeof(last), kntp_auth_words,
			 ARRAY_SIZE(kntp_auth_words), r, KNTP_A_ASSOC_AUTH);
	else
		fmt_dash(last, sizeof(last));
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
