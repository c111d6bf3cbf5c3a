// SPDX-License-Identifier: GPL-2.0
/*
 * The formatters the printers share: values as people read them (refids,
 * polls, milliseconds, ppm, times, NTP timestamps), an attribute of a record
 * as a cell ("-" when the kernel did not send it), and the words of enums
 * and flags that both the text and the JSON print.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "fmt.h"

int kntp_printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

int kntp_fmt_ifname(char *buf, size_t len, uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	if (ifindex && if_indextoname(ifindex, name)) {
		snprintf(buf, len, "%s", name);
		return 1;
	}
	snprintf(buf, len, "ifindex %" PRIu32, ifindex);
	return 0;
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
	for (i = 0; i < n && kntp_printable(refid[i]); i++)
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

void kntp_fmt_dash(char *buf, size_t len)
{
	snprintf(buf, len, "-");
}

/*
 * The cells of attr.c's tables: attribute a of r, which r has (kntp_fmt_cell
 * checks), as people read it.
 */
void kntp_fmt_rec_addr(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	inet_ntop(a == KNTP_A_ASSOC_ADDR6 ? AF_INET6 : AF_INET, r->v[a].b, buf,
		  len);
}

void kntp_fmt_rec_refid(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_refid(buf, len, r->v[a].b,
		       kntp_rec_has(r, KNTP_A_ASSOC_STRATUM) ?
		       (int)r->v[KNTP_A_ASSOC_STRATUM].u : -1);
}

/*
 * The reference ID of the status, read at its stratum. Serving our own
 * clock ("ntp master"), the kernel reports "LOCL" at the master stratum,
 * which would otherwise read as an IPv4 address: show it as the clock name
 * it is.
 */
void kntp_fmt_rec_status_refid(char *buf, size_t len,
			       const struct kntp_rec *r, int a)
{
	const unsigned char *refid = r->v[a].b;
	int stratum = kntp_rec_has(r, KNTP_A_STATUS_STRATUM) ?
		      (int)r->v[KNTP_A_STATUS_STRATUM].u : -1;

	if (kntp_rec_has(r, KNTP_A_STATUS_MASTER) &&
	    r->v[KNTP_A_STATUS_MASTER].u && !memcmp(refid, "LOCL", 4))
		stratum = -1;
	kntp_fmt_refid(buf, len, refid, stratum);
}

void kntp_fmt_rec_uint(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	snprintf(buf, len, "%" PRIu64, r->v[a].u);
}

void kntp_fmt_rec_int(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	snprintf(buf, len, "%" PRId64, r->v[a].s);
}

void kntp_fmt_rec_octal(char *buf, size_t len, const struct kntp_rec *r,
			int a)
{
	snprintf(buf, len, "%" PRIo64, r->v[a].u);
}

void kntp_fmt_rec_poll(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_poll(buf, len, (int)r->v[a].s);
}

void kntp_fmt_rec_ms(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_ms(buf, len, r->v[a].s, 3);
}

void kntp_fmt_rec_ums(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_ums(buf, len, r->v[a].u, 3);
}

void kntp_fmt_rec_ums2(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_ums(buf, len, r->v[a].u, 2);
}

void kntp_fmt_rec_age(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_age(buf, len, r->v[a].u);
}

void kntp_fmt_rec_ppm(char *buf, size_t len, const struct kntp_rec *r, int a)
{
	kntp_fmt_ppm(buf, len, r->v[a].s);
}

/* A word of a table with its "_" read as " "; the number when unknown. */
static void fmt_word(char *buf, size_t len, const struct kntp_field *f,
		     const struct kntp_rec *r, int a)
{
	const char *word = kntp_word_of(f->words, f->nwords, r->v[a].u);
	char *p;

	if (!word) {
		snprintf(buf, len, "%" PRIu64, r->v[a].u);
		return;
	}
	snprintf(buf, len, "%s", word);
	for (p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
}

void kntp_fmt_cell(char *buf, size_t len, const struct kntp_attrset *set,
		   const struct kntp_rec *r, int a)
{
	const struct kntp_field *f = kntp_attr_field(set, a);

	if (f && !kntp_rec_has(r, a) && f->alt && kntp_rec_has(r, f->alt)) {
		a = f->alt;
		f = kntp_attr_field(set, a);
	}
	if (!f || !kntp_rec_has(r, a))
		kntp_fmt_dash(buf, len);
	else if (f->cell)
		f->cell(buf, len, r, a);
	else if (f->words)
		fmt_word(buf, len, f, r, a);
	else if (kntp_attr_signed(set, a))
		kntp_fmt_rec_int(buf, len, r, a);
	else
		kntp_fmt_rec_uint(buf, len, r, a);
}

/*
 * Words after a row for the conditions of an association (enum
 * kntp_assoc_state); also the words of its "state" in JSON.
 */
const struct kntp_word kntp_state_words[] = {
	{ KNTP_ASSOC_S_DENIED, "denied" },	/* DENY/RSTR kiss: stopped */
	{ KNTP_ASSOC_S_RATE, "rate" },		/* RATE kiss: backed off */
	/* xleave here, basic answers only: one-sided, or a basic server */
	{ KNTP_ASSOC_S_XLEAVE_BASIC, "xleave_unanswered" },
	/* basic here, interleaved packets: xleave on the peer's side only */
	{ KNTP_ASSOC_S_XLEAVE_PEER, "xleave_peer_only" },
};

const struct kntp_word kntp_reject_words[] = {
	{ KNTP_REJECT_NOSAMPLE, "no_sample" },
	{ KNTP_REJECT_UNREACH, "unreachable" },
	{ KNTP_REJECT_UNSYNC, "unsynchronized" },
	{ KNTP_REJECT_DISTANCE, "distance" },
	{ KNTP_REJECT_LOOP, "loop" },
};

/* enum kntp_auth: the names of the KNTP_STAT_AUTH_* counters. */
const struct kntp_word kntp_auth_words[] = {
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
const struct kntp_word kntp_mode_words[] = {
	{ KNTP_MODE_ACTIVE, "symmetric_active" },
	{ KNTP_MODE_PASSIVE, "symmetric_passive" },
	{ KNTP_MODE_CLIENT, "client" },
	{ KNTP_MODE_SERVER, "server" },
	{ KNTP_MODE_BROADCAST, "broadcast" },
};

const struct kntp_word kntp_kind_words[] = {
	{ KNTP_ASSOC_KIND_SERVER, "server" },
	{ KNTP_ASSOC_KIND_PEER, "peer" },
};

const struct kntp_word kntp_flag_words[] = {
	{ KNTP_ASSOC_F_IBURST, "iburst" },
	{ KNTP_ASSOC_F_PREFER, "prefer" },
	{ KNTP_ASSOC_F_XLEAVE, "xleave" },
};

/* The leap indicator for people (RFC 5905 sec. 7.3). */
const struct kntp_word kntp_leap_words[] = {
	{ KNTP_LEAP_NONE, "none" },
	{ KNTP_LEAP_ADD, "add_second" },
	{ KNTP_LEAP_DEL, "delete_second" },
	{ KNTP_LEAP_UNSYNC, "unsynchronized" },
};

const struct kntp_word kntp_clock_words[] = {
	{ KNTP_CLOCK_SYSTEM, "system" },
	{ KNTP_CLOCK_VIRTUAL, "virtual" },
};

/* enum kntp_disc_state as a key word ("loop state is ..." for people). */
const struct kntp_word kntp_disc_keys[] = {
	{ KNTP_DISC_NSET, "unset" },
	{ KNTP_DISC_SYNC, "tracking" },
	{ KNTP_DISC_SPIKE, "spike" },
	{ KNTP_DISC_PANIC, "panic" },
	{ KNTP_DISC_FREE, "free" },
	{ KNTP_DISC_HANDS_OFF, "hands_off" },
};

const char *kntp_word_of(const struct kntp_word *w, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i].val == v)
			return w[i].word;
	return NULL;
}

/*
 * The tally codes of RFC 5905 selection (enum kntp_tally): the character
 * routers show before the address, the words of "show associations
 * detail", the state label of the metrics' tally gauge.
 */
const struct kntp_tally_text kntp_tallies[KNTP_TALLY_SYSPEER + 1] = {
	[KNTP_TALLY_REJECT]	 = { ' ', "rejected", "reject" },	/* not selectable */
	[KNTP_TALLY_FALSETICKER] = { 'x', "falseticker", "falseticker" },
	[KNTP_TALLY_OUTLIER]	 = { '-', "outlyer", "outlier" },
	/* selected, not combined */
	[KNTP_TALLY_BACKUP]	 = { '#', "selected", "backup" },
	/* selected and combined */
	[KNTP_TALLY_CANDIDATE]	 = { '+', "candidate", "candidate" },
	[KNTP_TALLY_SYSPEER]	 = { '*', "sys.peer", "sys_peer" },
};

const struct kntp_tally_text *kntp_tally_of(const struct kntp_rec *r)
{
	uint64_t t = r->v[KNTP_A_ASSOC_TALLY].u;

	if (!kntp_rec_has(r, KNTP_A_ASSOC_TALLY) ||
	    t >= ARRAY_SIZE(kntp_tallies) || !kntp_tallies[t].word)
		return NULL;
	return &kntp_tallies[t];
}

char kntp_tally_char(const struct kntp_rec *r)
{
	const struct kntp_tally_text *t = kntp_tally_of(r);

	return t ? t->c : ' ';
}
