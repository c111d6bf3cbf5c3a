// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON of "-j": "show associations", "show status" and "show counters"
 * as one JSON document each, on one line, keyed by the tables below.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/kntp.h>

#include "json.h"
#include "ratelimit.h"
#include "show.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
		   KNTP_J_TEXT, kntp_fmt_rec_addr),
	KNTP_J_WORDS(KNTP_A_ASSOC_KIND, "kind", KNTP_J_ENUM, kntp_kind_words),
	KNTP_J(0, "configured", KNTP_J_TRUE),
	KNTP_J(KNTP_A_ASSOC_TALLY, "tally", KNTP_J_TALLY),
	KNTP_J_WORDS(KNTP_A_ASSOC_REJECT, "reject", KNTP_J_ENUM,
		     kntp_reject_words),
	KNTP_J_FMT(KNTP_A_ASSOC_REFID, 0, "refid", KNTP_J_REFID,
		   kntp_fmt_rec_refid),
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

/* kntp_fmt_status_refid() with the stratum of the record. */
static void fmt_status_refid(char *buf, size_t len, const struct kntp_rec *r,
			     int a)
{
	(void)a;
	kntp_fmt_status_refid(buf, len, r,
			      kntp_rec_has(r, KNTP_A_STATUS_STRATUM) ?
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

const char *kntp_kind_word(const struct kntp_rec *r)
{
	const char *w = kntp_word_of(kntp_kind_words,
				     ARRAY_SIZE(kntp_kind_words),
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
		w = kntp_word_of(e->words, e->nwords, v);
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
			    !kntp_word_of(e->words, e->nwords,
					  (uint64_t)1 << i)) {
				snprintf(buf, sizeof(buf), "bit%zu", i);
				kntp_json_str(j, NULL, buf);
			}
		kntp_json_close(j, ']');
		break;
	case KNTP_J_TALLY:
		buf[0] = kntp_tally_char(r);
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
	const struct kntp_rec *sys = kntp_status_sys_peer(r, assocs, n);
	uint64_t id = r->v[KNTP_A_STATUS_SYS_PEER].u;
	const char *peer = NULL;
	struct kntp_json j;
	char addr[64];

	kntp_json_init(&j, f);
	kntp_json_open(&j, NULL, '{');
	kntp_json_bool(&j, "synchronized", kntp_status_synced(r));
	if (sys) {
		kntp_fmt_rec_addr(addr, sizeof(addr), sys, 0);
		peer = addr;
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
