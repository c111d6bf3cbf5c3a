// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON of "-j": "show associations", "show status" and "show counters"
 * as one JSON document each, on one line, keyed by attr.c's tables.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "json.h"
#include "ratelimit.h"
#include "show.h"

/*
 * Machine output ("-j"): one JSON document per command. Each attribute of
 * a record is written under its key, as its entry in attr.c's table says
 * (struct kntp_field: key, json, words), in the order of the table.
 * Absent attributes are left out.
 */
const char *kntp_json_key(const struct kntp_attrset *set, int type)
{
	const struct kntp_field *f = kntp_attr_field(set, type);

	return f ? f->key : NULL;
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
		if (kntp_rec_has(stats, t) && kntp_json_key(&kntp_stats_set, t))
			kntp_json_u64(j, kntp_json_key(&kntp_stats_set, t),
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
		       const struct kntp_field *f, const struct kntp_rec *r,
		       int a, const struct kntp_rec *stats,
		       const struct kntp_filter *filter)
{
	uint64_t v = r->v[a].u;
	const char *w, *s;
	char buf[64], *p;
	size_t i, len;

	switch (f->json) {
	case KNTP_J_NONE:
		break;
	case KNTP_J_NUM:
		if (kntp_attr_signed(set, a))
			kntp_json_s64(j, f->key, r->v[a].s);
		else
			kntp_json_u64(j, f->key, v);
		break;
	case KNTP_J_BOOL:
		kntp_json_bool(j, f->key, v);
		break;
	case KNTP_J_TEXT:
	case KNTP_J_REFID:
		kntp_fmt_cell(buf, sizeof(buf), set, r, a);
		p = buf;
		len = strlen(buf);
		if (f->json == KNTP_J_REFID && len >= 2 && buf[0] == '.' &&
		    buf[len - 1] == '.') {	/* ".INIT." */
			buf[len - 1] = '\0';
			p++;
		}
		kntp_json_str(j, f->key, p);
		break;
	case KNTP_J_STR:
		s = kntp_rec_str(r, set, a);
		if (s)
			kntp_json_str(j, f->key, s);
		break;
	case KNTP_J_ENUM:
		w = kntp_word_of(f->words, f->nwords, v);
		if (w)
			kntp_json_str(j, f->key, w);
		else
			kntp_json_u64(j, f->key, v);
		break;
	case KNTP_J_FLAGS:
		kntp_json_open(j, f->key, '[');
		for (i = 0; i < f->nwords; i++)
			if (v & f->words[i].val)
				kntp_json_str(j, NULL, f->words[i].word);
		for (i = 0; i < 64; i++)	/* bits without a word */
			if (v >> i & 1 &&
			    !kntp_word_of(f->words, f->nwords,
					  (uint64_t)1 << i)) {
				snprintf(buf, sizeof(buf), "bit%zu", i);
				kntp_json_str(j, NULL, buf);
			}
		kntp_json_close(j, ']');
		break;
	case KNTP_J_TALLY:
		buf[0] = kntp_tally_char(r);
		buf[1] = '\0';
		kntp_json_str(j, f->key, buf);
		break;
	case KNTP_J_COUNTERS:
		if (stats)
			json_counters(j, f->key, stats);
		break;
	case KNTP_J_NTPTS:
		snprintf(buf, sizeof(buf), "%016" PRIx64, v);
		kntp_json_str(j, f->key, buf);
		break;
	case KNTP_J_FILTER:
		if (filter && filter->n)
			json_filter(j, f->key, filter);
		break;
	}
}

/* A nest's object or array (the counters, the filter): written last. */
static int json_nest(const struct kntp_field *f)
{
	return f->json == KNTP_J_COUNTERS || f->json == KNTP_J_FILTER;
}

/* Whether r has an attribute that a stands in for (ADDR6 for ADDR4). */
static int json_shadowed(const struct kntp_attrset *set,
			 const struct kntp_rec *r, int a)
{
	int b;

	for (b = 1; b <= set->max; b++)
		if (kntp_attr_field(set, b) && kntp_attr_field(set, b)->alt == a &&
		    kntp_rec_has(r, b))
			return 1;
	return 0;
}

/*
 * The members of r (of set) that it has, in the order of the set's table:
 * the values (nests 0) or the nests' objects and arrays (nests 1), which
 * come last; stats: its counters, filter: its clock filter, or NULL.
 */
static void json_members(struct kntp_json *j, const struct kntp_attrset *set,
			 const struct kntp_rec *r, int nests,
			 const struct kntp_rec *stats,
			 const struct kntp_filter *filter)
{
	int a;

	for (a = 1; a <= set->max; a++) {
		const struct kntp_field *f = kntp_attr_field(set, a);

		if (f && f->key && kntp_rec_has(r, a) &&
		    json_nest(f) == nests && !json_shadowed(set, r, a))
			json_field(j, set, f, r, a, stats, filter);
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
		json_members(&j, &kntp_assoc_set, &recs[i], 0, NULL, NULL);
		/* All are configured until the kernel mobilises others. */
		kntp_json_bool(&j, "configured", 1);
		json_members(&j, &kntp_assoc_set, &recs[i], 1,
			     stats ? &stats[i] : NULL,
			     filters ? &filters[i] : NULL);
		kntp_json_close(&j, '}');
	}
	kntp_json_close(&j, ']');
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/* "ingress": ["b-a", "eth1"], the devices by name ("ifindex 7" without). */
static void json_ingress(struct kntp_json *j, const char *key,
			 const struct kntp_ifindexes *in)
{
	char name[32];
	unsigned int i;

	kntp_json_open(j, key, '[');
	for (i = 0; i < in->n; i++) {
		kntp_fmt_ifname(name, sizeof(name), in->ifindex[i]);
		kntp_json_str(j, NULL, name);
	}
	kntp_json_close(j, ']');
}

/*
 * The status as one object: "synchronized" as "show status" decides it,
 * "system_peer" the peer's address (null without a system peer, or when
 * assocs does not name it) and "system_peer_id" its association, then the
 * attributes by kntp_status_json; last the rate limiting and the devices
 * answered at ("ingress", an array, empty when none; left out only when
 * the kernel did not send it, as an older module does not).
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
		kntp_fmt_cell(addr, sizeof(addr), &kntp_assoc_set, sys,
			      KNTP_A_ASSOC_ADDR4);
		peer = addr;
	}
	if (peer)
		kntp_json_str(&j, "system_peer", peer);
	else
		kntp_json_null(&j, "system_peer");
	if (kntp_rec_has(r, KNTP_A_STATUS_SYS_PEER))
		kntp_json_u64(&j, "system_peer_id", id);
	json_members(&j, &kntp_status_set, r, 0, NULL, NULL);
	json_members(&j, &kntp_status_set, r, 1,
		     kntp_reply_nest(reply, &kntp_status_set,
				     KNTP_A_STATUS_STATS), NULL);
	kntp_rl_json(&j, kntp_reply_nest(reply, &kntp_status_set,
					 KNTP_A_STATUS_RATELIMIT));
	if (kntp_rec_has(r, KNTP_A_STATUS_INGRESS))
		json_ingress(&j, kntp_json_key(&kntp_status_set,
					       KNTP_A_STATUS_INGRESS),
			     &reply->ingress);
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
