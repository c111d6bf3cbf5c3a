// SPDX-License-Identifier: GPL-2.0
/*
 * Rate limiting, "ntp ratelimit [interval N] [burst N] [leak N] [kod]
 * [table-size N] [ipv6-prefix N]": the words, checked against the ranges
 * of include/uapi/linux/kntp.h before anything is sent (a file's error
 * then quotes its line before any change); the netlink nest; the running
 * configuration's line; "show status" and JSON.
 *
 * The line gives every setting at once: what it leaves out takes its
 * default, as chrony's directive and a router's command line do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/kntp.h>
#include <netlink/attr.h>

#include "array_size.h"
#include "ratelimit.h"

enum {
	RL_INTERVAL,
	RL_BURST,
	RL_LEAK,
	RL_KOD,
	RL_TABLE_SIZE,
	RL_PREFIX6,
};

/* The words, in the order of the synopsis and of the running config. */
static const struct {
	const char *name;
	long min, max;		/* min > max: a word without a value */
	const char *unit;	/* after the range in errors */
} rl_words[] = {
	[RL_INTERVAL]	= { "interval", KNTP_RATELIMIT_INTERVAL_MIN,
			    KNTP_RATELIMIT_INTERVAL_MAX, ", log2 seconds" },
	[RL_BURST]	= { "burst", KNTP_RATELIMIT_BURST_MIN,
			    KNTP_RATELIMIT_BURST_MAX, "" },
	[RL_LEAK]	= { "leak", 0, KNTP_RATELIMIT_LEAK_MAX,
			    ": one in 2^N answered over the limit, 0 none" },
	[RL_KOD]	= { "kod", 1, 0, "" },
	[RL_TABLE_SIZE]	= { "table-size", KNTP_RATELIMIT_TABLE_MIN,
			    KNTP_RATELIMIT_TABLE_MAX, ", a power of two" },
	[RL_PREFIX6]	= { "ipv6-prefix", KNTP_RATELIMIT_PREFIX6_MIN,
			    KNTP_RATELIMIT_PREFIX6_MAX, " bits" },
};

void kntp_rl_defaults(struct kntp_rl *rl)
{
	memset(rl, 0, sizeof(*rl));
	rl->enabled = 1;
	rl->interval = KNTP_RATELIMIT_INTERVAL_DEFAULT;
	rl->burst = KNTP_RATELIMIT_BURST_DEFAULT;
	rl->leak = KNTP_RATELIMIT_LEAK_DEFAULT;
	rl->table_size = KNTP_RATELIMIT_TABLE_DEFAULT;
	rl->prefix6 = KNTP_RATELIMIT_PREFIX6_DEFAULT;
}

static void rl_set(struct kntp_rl *rl, int w, long v)
{
	switch (w) {
	case RL_INTERVAL:
		rl->interval = (int8_t)v;
		break;
	case RL_BURST:
		rl->burst = (uint16_t)v;
		break;
	case RL_LEAK:
		rl->leak = (uint8_t)v;
		break;
	case RL_KOD:
		rl->kod = 1;
		break;
	case RL_TABLE_SIZE:
		rl->table_size = (uint32_t)v;
		break;
	case RL_PREFIX6:
		rl->prefix6 = (uint8_t)v;
		break;
	}
}

static int rl_word(const char *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rl_words); i++)
		if (!strcmp(arg, rl_words[i].name))
			return (int)i;
	return -1;
}

/* "ratelimit [options]": the options in any order, each at most once. */
int kntp_parse_ratelimit(int argc, char **argv, int argi,
			 struct kntp_req *req, struct kntp_perr *err)
{
	unsigned int seen = 0;
	int w, ret;
	long v;

	kntp_rl_defaults(&req->rl);
	for (; argi < argc; argi++) {
		w = rl_word(argv[argi]);
		if (w < 0) {
			kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
				      "ratelimit: unknown option \"%s\" (expected interval, burst, leak, kod, table-size, ipv6-prefix)",
				      argv[argi]);
			return -1;
		}
		if (seen & (1U << w)) {
			kntp_perr_set(err, KNTP_PERR_DUP, argi,
				      "ratelimit: \"%s\" given twice",
				      argv[argi]);
			return -1;
		}
		seen |= 1U << w;
		if (rl_words[w].min > rl_words[w].max) {
			rl_set(&req->rl, w, 1);
			continue;
		}
		if (argi + 1 >= argc) {
			kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi,
				      "ratelimit: %s needs a value (%ld..%ld%s)",
				      rl_words[w].name, rl_words[w].min,
				      rl_words[w].max, rl_words[w].unit);
			return -1;
		}
		argi++;
		ret = kntp_parse_int(argv[argi], rl_words[w].min,
				     rl_words[w].max, &v);
		if (ret == -EINVAL) {
			kntp_perr_set(err, KNTP_PERR_NOT_INT, argi,
				      "ratelimit: %s \"%s\": not an integer",
				      rl_words[w].name, argv[argi]);
			return -1;
		}
		if (!ret && w == RL_TABLE_SIZE && (v & (v - 1)))
			ret = -ERANGE;
		if (ret) {
			kntp_perr_set(err, KNTP_PERR_RANGE, argi,
				      "ratelimit: %s \"%s\": out of range (%ld..%ld%s)",
				      rl_words[w].name, argv[argi],
				      rl_words[w].min, rl_words[w].max,
				      rl_words[w].unit);
			return -1;
		}
		rl_set(&req->rl, w, v);
	}
	req->set |= KNTP_REQ_RATELIMIT;
	return 0;
}

int kntp_rl_same(const struct kntp_rl *a, const struct kntp_rl *b)
{
	if (!a->enabled || !b->enabled)
		return a->enabled == b->enabled;
	return a->interval == b->interval && a->burst == b->burst &&
	       a->leak == b->leak && !a->kod == !b->kod &&
	       a->table_size == b->table_size && a->prefix6 == b->prefix6;
}

/*
 * The line that gives rl: "ntp ratelimit" and the settings that are not
 * the default, in the synopsis's order; "no ntp ratelimit" when off.
 */
void kntp_rl_fmt(char *buf, size_t len, const struct kntp_rl *rl)
{
	struct kntp_rl d;
	size_t n;

	if (!rl->enabled) {
		snprintf(buf, len, "no ntp ratelimit");
		return;
	}
	kntp_rl_defaults(&d);
	n = (size_t)snprintf(buf, len, "ntp ratelimit");
	if (rl->interval != d.interval && n < len)
		n += (size_t)snprintf(buf + n, len - n, " interval %d",
				      rl->interval);
	if (rl->burst != d.burst && n < len)
		n += (size_t)snprintf(buf + n, len - n, " burst %u", rl->burst);
	if (rl->leak != d.leak && n < len)
		n += (size_t)snprintf(buf + n, len - n, " leak %u", rl->leak);
	if (rl->kod && n < len)
		n += (size_t)snprintf(buf + n, len - n, " kod");
	if (rl->table_size != d.table_size && n < len)
		n += (size_t)snprintf(buf + n, len - n, " table-size %u",
				      rl->table_size);
	if (rl->prefix6 != d.prefix6 && n < len)
		snprintf(buf + n, len - n, " ipv6-prefix %u", rl->prefix6);
}

/* One KNTP_A_INSTANCE_RATELIMIT nest (inside the instance nest). */
int kntp_rl_put(struct nl_msg *msg, const struct kntp_rl *rl)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_INSTANCE_RATELIMIT | NLA_F_NESTED);
	if (!nest)
		return -1;
	if (nla_put_u8(msg, KNTP_A_RATELIMIT_ENABLED, rl->enabled))
		return -1;
	if (rl->enabled &&
	    (nla_put_s8(msg, KNTP_A_RATELIMIT_INTERVAL, rl->interval) ||
	     nla_put_u16(msg, KNTP_A_RATELIMIT_BURST, rl->burst) ||
	     nla_put_u8(msg, KNTP_A_RATELIMIT_LEAK, rl->leak) ||
	     nla_put_u8(msg, KNTP_A_RATELIMIT_KOD, rl->kod) ||
	     nla_put_u32(msg, KNTP_A_RATELIMIT_TABLE_SIZE, rl->table_size) ||
	     nla_put_u8(msg, KNTP_A_RATELIMIT_IPV6_PREFIX, rl->prefix6)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* The settings of a KNTP_A_STATUS_RATELIMIT nest; NULL or empty: off. */
void kntp_rl_from_rec(struct kntp_rl *rl, const struct kntp_rec *r)
{
	memset(rl, 0, sizeof(*rl));
	if (!r || !kntp_rec_has(r, KNTP_A_RATELIMIT_ENABLED) ||
	    !r->v[KNTP_A_RATELIMIT_ENABLED].u)
		return;
	kntp_rl_defaults(rl);
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_INTERVAL))
		rl->interval = (int8_t)r->v[KNTP_A_RATELIMIT_INTERVAL].s;
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_BURST))
		rl->burst = (uint16_t)r->v[KNTP_A_RATELIMIT_BURST].u;
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_LEAK))
		rl->leak = (uint8_t)r->v[KNTP_A_RATELIMIT_LEAK].u;
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_KOD))
		rl->kod = (uint8_t)r->v[KNTP_A_RATELIMIT_KOD].u;
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_TABLE_SIZE))
		rl->table_size = (uint32_t)r->v[KNTP_A_RATELIMIT_TABLE_SIZE].u;
	if (kntp_rec_has(r, KNTP_A_RATELIMIT_IPV6_PREFIX))
		rl->prefix6 = (uint8_t)r->v[KNTP_A_RATELIMIT_IPV6_PREFIX].u;
}

/* "show status": two lines, or one when off; none from an older kernel. */
void kntp_rl_show(FILE *f, const struct kntp_rec *r)
{
	struct kntp_rl rl;

	if (!r || !kntp_rec_has(r, KNTP_A_RATELIMIT_ENABLED))
		return;
	kntp_rl_from_rec(&rl, r);
	if (!rl.enabled) {
		fprintf(f, "rate limiting is off\n");
		return;
	}
	fprintf(f, "rate limiting: interval 2**%d s, burst %u, leak ",
		rl.interval, rl.burst);
	if (rl.leak)
		fprintf(f, "1/%u", 1U << rl.leak);
	else
		fprintf(f, "none");
	fprintf(f, ", kod %s\n", rl.kod ? "on" : "off");
	fprintf(f, "rate limit table: %" PRIu64 " of %u records used, ipv6 prefix /%u\n",
		r->v[KNTP_A_RATELIMIT_TABLE_USED].u, rl.table_size,
		rl.prefix6);
}

/* JSON: "ratelimit": {"enabled": ..., the settings, "table_used": N}. */
void kntp_rl_json(struct kntp_json *j, const struct kntp_rec *r)
{
	struct kntp_rl rl;

	if (!r || !kntp_rec_has(r, KNTP_A_RATELIMIT_ENABLED))
		return;
	kntp_rl_from_rec(&rl, r);
	kntp_json_open(j, "ratelimit", '{');
	kntp_json_bool(j, "enabled", rl.enabled);
	if (rl.enabled) {
		kntp_json_s64(j, "interval_log2", rl.interval);
		kntp_json_u64(j, "burst", rl.burst);
		kntp_json_u64(j, "leak_log2", rl.leak);
		kntp_json_bool(j, "kod", rl.kod);
		kntp_json_u64(j, "table_size", rl.table_size);
		kntp_json_u64(j, "table_used",
			      r->v[KNTP_A_RATELIMIT_TABLE_USED].u);
		kntp_json_u64(j, "ipv6_prefix_len", rl.prefix6);
	}
	kntp_json_close(j, '}');
}
