// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that talk to the kntp module.
 *
 * Each sends one request; replies are decoded into struct kntp_rec (attr.c)
 * and handed to the printers (show_*.c). A failure prints one line:
 *
 *	kntp: CONTEXT: strerror(errno): kernel's message (attribute NAME)
 */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "array_size.h"
#include "acl.h"
#include "attr.h"
#include "config.h"
#include "json.h"
#include "ratelimit.h"
#include "run.h"
#include "metrics.h"
#include "show.h"

/* The module's NL_SET_ERR_MSG_MOD prefix; we print our own. */
#define KNTP_MOD_PREFIX	"kntp: "

void kntp_format_error(char *buf, size_t len, const char *ctx,
		       const struct kntp_ack *ack, const struct nlmsghdr *req)
{
	const struct kntp_attrset *set = &kntp_top_set;
	const char *m = ack->msg;
	const char *name;
	size_t n;

	if (!strncmp(m, KNTP_MOD_PREFIX, strlen(KNTP_MOD_PREFIX)))
		m += strlen(KNTP_MOD_PREFIX);
	n = snprintf(buf, len, "kntp: %s: %s", ctx, strerror(ack->error));
	if (n < len && *m)
		n += snprintf(buf + n, len - n, ": %s", m);
	else if (n < len && ack->error == EPERM && !ack->local)
		n += snprintf(buf + n, len - n, " (needs CAP_NET_ADMIN)");
	else if (n < len && ack->error == EADDRINUSE && !ack->local)
		n += snprintf(buf + n, len - n,
			      " (does another NTP daemon hold port 123?)");

	if (n < len && ack->has_offs) {
		name = req ? kntp_attr_name_at(req, ack->offs, NULL) : NULL;
		if (name)
			n += snprintf(buf + n, len - n, " (attribute %s)",
				      name);
		else
			n += snprintf(buf + n, len - n,
				      " (attribute at offset %u)", ack->offs);
	}
	if (n < len && ack->has_miss_type) {
		const char *nest = NULL;

		if (ack->has_miss_nest)
			nest = req ? kntp_attr_name_at(req, ack->miss_nest,
						       &set) : NULL;
		name = kntp_attr_name(set, ack->miss_type);
		if (name)
			n += snprintf(buf + n, len - n,
				      " (missing attribute %s", name);
		else
			n += snprintf(buf + n, len - n,
				      " (missing attribute %u", ack->miss_type);
		if (n < len && nest)
			n += snprintf(buf + n, len - n, " in %s", nest);
		if (n < len)
			snprintf(buf + n, len - n, ")");
	}
}

/*
 * Send one request (with the attributes put puts from req, if put is not
 * NULL), run fn on the replies. Returns 0, or -1 after saying why; with
 * quiet_eperm, a refusal for want of privilege is -EPERM, unsaid.
 */
static int request_as(const char *ctx, uint8_t cmd, int flags, kntp_put_fn put,
		      const struct kntp_req *req, kntp_nl_reply_fn fn,
		      void *arg, int quiet_eperm)
{
	char line[512];
	struct kntp_ack ack;
	struct kntp_nl nl;
	struct nl_msg *msg;
	int ret = -1;

	if (kntp_nl_open(&nl, KNTP_GENL_NAME, line, sizeof(line))) {
		fprintf(stderr, "kntp: %s\n", line);
		return -1;
	}
	msg = kntp_nl_msg(nl.family, cmd, flags);
	if (!msg || (put && put(msg, req))) {
		fprintf(stderr, "kntp: %s: cannot build the netlink message\n", ctx);
		goto out;
	}
	if (kntp_nl_talk(&nl, msg, fn, arg, &ack)) {
		if (quiet_eperm && ack.error == EPERM && !ack.local) {
			ret = -EPERM;
			goto out;
		}
		kntp_format_error(line, sizeof(line), ctx, &ack,
				  nlmsg_hdr(msg));
		fprintf(stderr, "%s\n", line);
		goto out;
	}
	if (ack.msg[0])		/* a success can carry a warning */
		fprintf(stderr, "kntp: %s: warning: %s\n", ctx, ack.msg);
	ret = 0;
out:
	if (msg)
		nlmsg_free(msg);
	kntp_nl_close(&nl);
	return ret;
}

static int request(const char *ctx, uint8_t cmd, int flags, kntp_put_fn put,
		   const struct kntp_req *req, kntp_nl_reply_fn fn, void *arg)
{
	return request_as(ctx, cmd, flags, put, req, fn, arg, 0);
}

/* request(), for the other files' commands (acl.c). */
int kntp_request(const char *ctx, uint8_t cmd, int flags, kntp_put_fn put,
		 const struct kntp_req *req, kntp_nl_reply_fn fn, void *arg)
{
	return request(ctx, cmd, flags, put, req, fn, arg);
}

/* The payload of the first top-level attribute type in a reply, or NULL. */
struct nlattr *kntp_reply_attr(const struct nlmsghdr *nlh, int type)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return NULL;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem)
		if (nla_type(a) == type)
			return a;
	return NULL;
}

/* The records of a dump: each message's top-level @type, decoded by @set. */
struct rec_list {
	int type;
	const struct kntp_attrset *set;
	struct kntp_rec *recs;
	size_t n, cap;
};

#define REC_LIST(type, set)	{ (type), (set), NULL, 0, 0 }
#define ASSOC_LIST		REC_LIST(KNTP_A_ASSOC, &kntp_assoc_set)

static int rec_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rec_list *l = arg;
	struct nlattr *a = kntp_reply_attr(nlh, l->type);

	if (!a)
		return 0;	/* nothing we know: skip */
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct kntp_rec *p = realloc(l->recs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->recs = p;
		l->cap = cap;
	}
	kntp_rec_decode(l->set, nla_data(a), nla_len(a), &l->recs[l->n++]);
	return 0;
}

int kntp_run_assoc(const struct kntp_command *c, const struct kntp_req *req,
		   const char *ctx)
{
	struct kntp_req r = *req;

	r.kind = c->kind;
	return request(ctx, c->nl_cmd, 0, kntp_attr_put_assoc, &r, NULL,
		       NULL) ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

int kntp_run_instance(const struct kntp_command *c, const struct kntp_req *req,
		      const char *ctx)
{
	return request(ctx, c->nl_cmd, 0, kntp_attr_put_instance, req, NULL,
		       NULL) ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

static int put_key_set(struct nl_msg *msg, const struct kntp_req *req)
{
	return kntp_attr_put_key(msg, req, KNTP_CMD_KEY_SET);
}

static int put_key_del(struct nl_msg *msg, const struct kntp_req *req)
{
	return kntp_attr_put_key(msg, req, KNTP_CMD_KEY_DEL);
}

static int put_key_trust(struct nl_msg *msg, const struct kntp_req *req)
{
	return kntp_attr_put_key(msg, req, KNTP_CMD_KEY_TRUST);
}

/* A key request of cmd (KNTP_CMD_KEY_SET, _DEL, _TRUST) from req. */
static int key_request(const char *ctx, uint8_t cmd, const struct kntp_req *req)
{
	kntp_put_fn put = cmd == KNTP_CMD_KEY_SET ? put_key_set :
			  cmd == KNTP_CMD_KEY_DEL ? put_key_del : put_key_trust;

	return request(ctx, cmd, 0, put, req, NULL, NULL);
}

int kntp_run_key(const struct kntp_command *c, const struct kntp_req *req,
		 const char *ctx)
{
	if (c->nl_cmd == KNTP_CMD_KEY_SET && req->secret_is_fp) {
		fprintf(stderr,
			"kntp: %s: a FINGERPRINT: names a key, it cannot set one (give the secret)\n",
			ctx);
		return KNTP_EXIT_USAGE;
	}
	return key_request(ctx, c->nl_cmd, req) ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

/*
 * "serve ingress IFNAME", "no serve ingress IFNAME": the device's name
 * resolved here (nothing is sent for a name without a device), its index
 * sent.
 */
int kntp_run_ingress(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx)
{
	struct kntp_req r = *req;
	char why[160];

	if (kntp_resolve_ifname(req->ifname, &r.ifindex, why, sizeof(why))) {
		fprintf(stderr, "kntp: %s: %s\n", ctx, why);
		return KNTP_EXIT_FAIL;
	}
	return request(ctx, c->nl_cmd, 0, kntp_attr_put_ingress, &r, NULL,
		       NULL) ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

/* "show authentication-keys": id, type, trusted, fingerprint. */
int kntp_run_show_keys(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx)
{
	struct rec_list l = REC_LIST(KNTP_A_KEY, &kntp_key_set);
	char fp[2 * KNTP_FP_LEN + 1];
	struct kntp_json j;
	size_t i;

	if (request(ctx, c->nl_cmd, NLM_F_DUMP, NULL, NULL, rec_cb, &l)) {
		free(l.recs);
		return KNTP_EXIT_FAIL;
	}
	if (req->json) {
		kntp_json_init(&j, stdout);
		kntp_json_open(&j, NULL, '{');
		kntp_json_open(&j, "keys", '[');
	} else {
		printf("  key  type            trusted  fingerprint\n");
	}
	for (i = 0; i < l.n; i++) {
		const struct kntp_rec *r = &l.recs[i];

		kntp_fmt_fingerprint(fp, sizeof(fp),
				     r->v[KNTP_A_KEY_FINGERPRINT].b);
		if (!req->json) {
			printf("%5u  %-14s  %-7s  %s\n",
			       (unsigned int)r->v[KNTP_A_KEY_ID].u,
			       kntp_key_type_name(r->v[KNTP_A_KEY_TYPE].u),
			       r->v[KNTP_A_KEY_TRUSTED].u ? "yes" : "no", fp);
			continue;
		}
		kntp_json_open(&j, NULL, '{');
		kntp_json_u64(&j, "id", r->v[KNTP_A_KEY_ID].u);
		kntp_json_str(&j, "type",
			      kntp_key_type_name(r->v[KNTP_A_KEY_TYPE].u));
		kntp_json_bool(&j, "trusted", (int)r->v[KNTP_A_KEY_TRUSTED].u);
		kntp_json_str(&j, "fingerprint", fp);
		kntp_json_close(&j, '}');
	}
	if (req->json) {
		kntp_json_close(&j, ']');
		kntp_json_close(&j, '}');
		kntp_json_end(&j);
	}
	free(l.recs);
	return KNTP_EXIT_OK;
}

/*
 * The associations and, for JSON and "detail", the counters and clock
 * filter of each: stats[i], filters[i].
 */
struct assoc_stats_list {
	struct rec_list l;
	struct kntp_rec *stats;
	struct kntp_filter *filters;
	size_t cap;
};

static int assoc_stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct assoc_stats_list *s = arg;
	struct nlattr *a = kntp_reply_attr(nlh, KNTP_A_ASSOC);
	const struct kntp_rec *stats;
	struct kntp_reply reply;
	size_t n = s->l.n;
	int ret = rec_cb(nlh, &s->l);

	if (ret || s->l.n == n)
		return ret;
	if (s->cap < s->l.cap) {
		struct kntp_rec *p = realloc(s->stats,
					     s->l.cap * sizeof(*p));
		struct kntp_filter *q;

		if (!p)
			return -ENOMEM;
		s->stats = p;
		q = realloc(s->filters, s->l.cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		s->filters = q;
		s->cap = s->l.cap;
	}
	kntp_reply_decode(&kntp_assoc_set, nla_data(a), nla_len(a), &reply);
	stats = kntp_reply_nest(&reply, &kntp_assoc_set, KNTP_A_ASSOC_STATS);
	if (stats)
		s->stats[n] = *stats;
	else
		memset(&s->stats[n], 0, sizeof(s->stats[n]));
	s->filters[n] = reply.filter;
	return 0;
}

/* Every association with its counters and filter; 0 or -1 (said why). */
static int assoc_stats_dump(const char *ctx, struct assoc_stats_list *s)
{
	return request(ctx, KNTP_CMD_ASSOC_GET, NLM_F_DUMP, NULL, NULL,
		       assoc_stats_cb, s);
}

static void assoc_stats_free(struct assoc_stats_list *s)
{
	free(s->l.recs);
	free(s->stats);
	free(s->filters);
}

/* JSON ("-j"), or "show associations detail" (a block each) when detail. */
static int show_assocs(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx, int detail)
{
	struct assoc_stats_list s = { ASSOC_LIST, NULL, NULL, 0 };
	int ret;

	if (req->json || detail) {
		ret = assoc_stats_dump(ctx, &s);
		if (!ret && req->json)
			kntp_show_assocs_json(stdout, s.l.recs, s.stats,
					      s.filters, s.l.n);
		else if (!ret)
			kntp_show_assocs_detail(stdout, s.l.recs, s.stats,
						s.filters, s.l.n,
						(int64_t)time(NULL));
	} else {
		ret = request(ctx, c->nl_cmd, NLM_F_DUMP, NULL, NULL, rec_cb,
			      &s.l);
		if (!ret)
			kntp_show_assocs(stdout, s.l.recs, s.l.n);
	}
	assoc_stats_free(&s);
	return ret ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

int kntp_run_show_assocs(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx)
{
	return show_assocs(c, req, ctx, 0);
}

int kntp_run_show_assocs_detail(const struct kntp_command *c,
				const struct kntp_req *req, const char *ctx)
{
	return show_assocs(c, req, ctx, 1);
}

/* The one reply nest of a doit request. */
struct one_reply {
	int type;			/* KNTP_A_ASSOC or KNTP_A_STATUS */
	const struct kntp_attrset *set;
	struct kntp_reply reply;
	int got;
};

static int one_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct one_reply *o = arg;
	struct nlattr *a = kntp_reply_attr(nlh, o->type);

	if (!a)
		return 0;
	kntp_reply_decode(o->set, nla_data(a), nla_len(a), &o->reply);
	o->got = 1;
	return 0;
}

/*
 * The reply to cmd: the association of req's address (KNTP_CMD_ASSOC_GET)
 * or the status. Prints why and returns -1 on failure.
 */
static int get_one(const char *ctx, uint8_t cmd, const struct kntp_req *req,
		   struct one_reply *o)
{
	memset(o, 0, sizeof(*o));
	if (cmd == KNTP_CMD_ASSOC_GET) {
		o->type = KNTP_A_ASSOC;
		o->set = &kntp_assoc_set;
	} else {
		o->type = KNTP_A_STATUS;
		o->set = &kntp_status_set;
	}
	if (request(ctx, cmd, 0, cmd == KNTP_CMD_ASSOC_GET ?
		    kntp_attr_put_assoc : NULL, req, one_cb, o))
		return -1;
	if (!o->got) {
		fprintf(stderr, "kntp: %s: no %s in the reply\n", ctx,
			o->set->name);
		return -1;
	}
	return 0;
}

/*
 * The status, and, when there is a system peer, every association (a dump)
 * to name its address. A failed dump still shows the status, with the
 * peer's association id, but fails the command.
 */
int kntp_run_show_status(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx)
{
	struct rec_list l = ASSOC_LIST;
	struct one_reply o;
	int ret = 0;

	if (get_one(ctx, c->nl_cmd, req, &o))
		return KNTP_EXIT_FAIL;
	if (kntp_rec_has(&o.reply.rec, KNTP_A_STATUS_SYS_PEER))
		ret = request(ctx, KNTP_CMD_ASSOC_GET, NLM_F_DUMP, NULL, NULL,
			      rec_cb, &l);
	if (req->json)
		kntp_show_status_json(stdout, &o.reply, l.recs, l.n);
	else
		kntp_show_status(stdout, &o.reply.rec, l.recs, l.n);
	if (!req->json) {
		kntp_show_ingress(stdout, &o.reply.ingress);
		kntp_rl_show(stdout, kntp_reply_nest(&o.reply, &kntp_status_set,
						     KNTP_A_STATUS_RATELIMIT));
	}
	free(l.recs);
	return ret ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

/*
 * The status and every association with its counters, as OpenMetrics
 * text (metrics.c). All or nothing: a failed request prints no metrics,
 * so that a scrape never reads half a file.
 */
int kntp_run_show_metrics(const struct kntp_command *c,
			  const struct kntp_req *req, const char *ctx)
{
	struct assoc_stats_list s = { ASSOC_LIST, NULL, NULL, 0 };
	struct one_reply o;
	char netns[256];
	int ret;

	(void)c;
	if (get_one(ctx, KNTP_CMD_STATUS_GET, req, &o))
		return KNTP_EXIT_FAIL;
	ret = assoc_stats_dump(ctx, &s);
	if (!ret) {
		kntp_metrics_netns(netns, sizeof(netns));
		kntp_show_metrics(stdout, netns, &o.reply, s.l.recs, s.stats,
				  s.l.n);
	}
	assoc_stats_free(&s);
	return ret ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

/*
 * The counters of the instance (from the status) or, with an address, of
 * that association (its doit, the request holding the address only).
 */
int kntp_run_show_counters(const struct kntp_command *c,
			   const struct kntp_req *req, const char *ctx)
{
	uint8_t cmd = req->family ? KNTP_CMD_ASSOC_GET : c->nl_cmd;
	const struct kntp_rec *stats;
	struct kntp_req r = *req;
	struct one_reply o;

	r.kind = 0;
	r.set = 0;
	if (get_one(ctx, cmd, &r, &o))
		return KNTP_EXIT_FAIL;
	stats = kntp_reply_nest(&o.reply, o.set, req->family ?
				KNTP_A_ASSOC_STATS : KNTP_A_STATUS_STATS);
	if (!stats) {
		fprintf(stderr, "kntp: %s: no counters in the reply\n", ctx);
		return KNTP_EXIT_FAIL;
	}
	if (req->json)
		kntp_show_counters_json(stdout, stats);
	else
		kntp_show_counters(stdout, stats);
	return KNTP_EXIT_OK;
}

/*
 * The whole of a file, NUL-terminated, or NULL with errno set. "-" is the
 * standard input.
 */
static char *read_all(const char *name)
{
	int std = !strcmp(name, "-");
	FILE *f = std ? stdin : fopen(name, "r");
	size_t n = 0, cap = 4096, got;
	char *buf = NULL, *p;

	if (!f)
		return NULL;
	for (;;) {
		p = realloc(buf, cap + 1);
		if (!p)
			break;
		buf = p;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap) {
			if (ferror(f))
				break;
			buf[n] = '\0';
			if (memchr(buf, '\0', n)) {
				errno = EINVAL;	/* not text */
				break;
			}
			if (!std)
				fclose(f);
			return buf;
		}
		cap *= 2;
	}
	free(buf);
	if (!std)
		fclose(f);
	return NULL;
}

/* The kernel's keys into conf; a requester who may not list them is told. */
static int kernel_keys(const char *ctx, struct kntp_conf *conf)
{
	struct rec_list l = REC_LIST(KNTP_A_KEY, &kntp_key_set);
	struct kntp_conf_key k;
	size_t i;
	int ret;

	ret = request_as(ctx, KNTP_CMD_KEY_GET, NLM_F_DUMP, NULL, NULL, rec_cb,
			 &l, 1);
	if (ret == -EPERM)
		conf->keys_hidden = 1;
	for (i = 0; !ret && i < l.n; i++) {
		memset(&k, 0, sizeof(k));
		k.id = (uint16_t)l.recs[i].v[KNTP_A_KEY_ID].u;
		k.type = (uint8_t)l.recs[i].v[KNTP_A_KEY_TYPE].u;
		memcpy(k.fp, l.recs[i].v[KNTP_A_KEY_FINGERPRINT].b, KNTP_FP_LEN);
		if (kntp_conf_add_key(conf, &k)) {
			fprintf(stderr, "kntp: %s: out of memory\n", ctx);
			ret = -1;
		}
	}
	free(l.recs);
	return ret == -EPERM ? 0 : ret;
}

/*
 * The status as the running configuration needs it: its record, and what
 * the record does not hold - the trusted key ids and the access groups.
 */
struct conf_status {
	struct one_reply o;
	uint64_t trusted[KNTP_TRUST_WORDS];
	struct kntp_acl_conf acl;
};

static int conf_status_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct conf_status *cs = arg;
	struct nlattr *a = kntp_reply_attr(nlh, KNTP_A_STATUS);

	if (a) {
		kntp_attr_trusted(nla_data(a), nla_len(a), cs->trusted,
				  kntp_conf_trust_range);
		kntp_acl_conf_groups(&cs->acl, nla_data(a), nla_len(a));
	}
	return one_cb(nlh, &cs->o);
}

/* The kernel's configuration: keys, every association and the status. */
static int kernel_conf(const char *ctx, struct kntp_conf *conf)
{
	struct rec_list l = ASSOC_LIST;
	const struct kntp_rec *rl;
	struct conf_status *cs;
	int ret = -1;

	cs = calloc(1, sizeof(*cs));
	if (!cs) {
		fprintf(stderr, "kntp: %s: out of memory\n", ctx);
		return -1;
	}
	cs->o.type = KNTP_A_STATUS;
	cs->o.set = &kntp_status_set;
	cs->acl.block = -1;
	if (request(ctx, KNTP_CMD_ASSOC_GET, NLM_F_DUMP, NULL, NULL, rec_cb,
		    &l) ||
	    request(ctx, KNTP_CMD_STATUS_GET, 0, NULL, NULL, conf_status_cb, cs))
		goto out;
	if (kntp_conf_from_kernel(conf, l.recs, l.n, cs->o.got ?
				  &cs->o.reply.rec : NULL)) {
		fprintf(stderr, "kntp: %s: out of memory\n", ctx);
		goto out;
	}
	rl = kntp_reply_nest(&cs->o.reply, &kntp_status_set,
			     KNTP_A_STATUS_RATELIMIT);
	if (rl) {
		conf->set |= KNTP_REQ_RATELIMIT;
		kntp_rl_from_rec(&conf->rl, rl);
	}
	kntp_conf_ingress_from_kernel(conf, &cs->o.reply.ingress);
	memcpy(conf->trusted, cs->trusted, sizeof(conf->trusted));
	conf->acl = cs->acl;
	cs->acl.lists = NULL;	/* conf owns them now */
	cs->acl.n = 0;
	if (kernel_keys(ctx, conf) || kntp_acl_conf_lists(ctx, &conf->acl)) {
		kntp_conf_free(conf);
		goto out;
	}
	ret = 0;
out:
	kntp_acl_conf_free(&cs->acl);
	free(cs);
	free(l.recs);
	return ret;
}

int kntp_run_show_config(const struct kntp_command *c,
			 const struct kntp_req *req, const char *ctx)
{
	struct kntp_conf conf;
	struct kntp_json j;
	char *text = NULL, *line, *save;
	size_t size;
	FILE *mem;

	(void)c;
	if (kernel_conf(ctx, &conf))
		return KNTP_EXIT_FAIL;
	if (!req->json) {
		kntp_conf_print(stdout, &conf);
		kntp_conf_free(&conf);
		return KNTP_EXIT_OK;
	}
	/* JSON: the same lines, without the comments, as an array. */
	mem = open_memstream(&text, &size);
	if (!mem) {
		kntp_conf_free(&conf);
		return KNTP_EXIT_FAIL;
	}
	kntp_conf_print(mem, &conf);
	fclose(mem);
	kntp_conf_free(&conf);
	kntp_json_init(&j, stdout);
	kntp_json_open(&j, NULL, '{');
	kntp_json_open(&j, "running_config", '[');
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != '!')
			kntp_json_str(&j, NULL, line);
	kntp_json_close(&j, ']');
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
	free(text);
	return KNTP_EXIT_OK;
}

/* 'FILE:LINE: "TEXT"': the context of a line's request. */
static void line_ctx(char *buf, size_t len, const char *name,
		     const struct kntp_conf *file, int line)
{
	if (line > 0 && (size_t)line <= file->ntext)
		snprintf(buf, len, "%s:%d: \"%s\"", name, line,
			 file->text[line - 1]);
	else
		snprintf(buf, len, "%s", name);
}

/* One instance setting (what r sets) for line, printing what as done. */
static int apply_setting(const char *name, const struct kntp_conf *file,
			 int line, const struct kntp_req *r, const char *what,
			 int *changes)
{
	char ctx[1200];

	line_ctx(ctx, sizeof(ctx), name, file, line);
	if (!line)
		snprintf(ctx, sizeof(ctx), "%s", what);
	if (request(ctx, KNTP_CMD_INSTANCE_SET, 0, kntp_attr_put_instance, r,
		    NULL, NULL))
		return -1;
	printf("%s\n", what);
	fflush(stdout);
	(*changes)++;
	return 0;
}

static int apply_settings(const char *name, const struct kntp_conf *file,
			  const struct kntp_conf *kern, int *changes)
{
	static const struct {
		unsigned int bit;
		const char *name;
		int digits;
	} nums[] = {
		{ KNTP_REQ_STEP_THRESHOLD, "step-threshold", 6 },
		{ KNTP_REQ_PANIC_THRESHOLD, "panic-threshold", 9 },
		{ KNTP_REQ_STEPOUT, "stepout", 9 },
	};
	char what[96], num[32];
	struct kntp_req r;
	size_t i;

	if ((file->set & KNTP_REQ_CLOCK) &&
	    (!(kern->set & KNTP_REQ_CLOCK) || kern->clock != file->clock)) {
		memset(&r, 0, sizeof(r));
		r.set = KNTP_REQ_CLOCK;
		r.clock = file->clock;
		snprintf(what, sizeof(what), "clock %s",
			 file->clock == KNTP_CLOCK_SYSTEM ? "system" : "virtual");
		if (apply_setting(name, file, file->lines[6], &r, what, changes))
			return -1;
	}
	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		const uint64_t *fv, *kv;
		int bit = nums[i].bit == KNTP_REQ_STEP_THRESHOLD ? 7 :
			  nums[i].bit == KNTP_REQ_PANIC_THRESHOLD ? 8 : 9;

		if (!(file->set & nums[i].bit))
			continue;
		fv = bit == 7 ? &file->step_ns : bit == 8 ? &file->panic_ns :
		     &file->stepout_ns;
		kv = bit == 7 ? &kern->step_ns : bit == 8 ? &kern->panic_ns :
		     &kern->stepout_ns;
		if ((kern->set & nums[i].bit) && *kv == *fv)
			continue;
		memset(&r, 0, sizeof(r));
		r.set = nums[i].bit;
		r.step_ns = file->step_ns;
		r.panic_ns = file->panic_ns;
		r.stepout_ns = file->stepout_ns;
		kntp_fmt_decimal(num, sizeof(num), *fv, 0, nums[i].digits);
		snprintf(what, sizeof(what), "clock %s %s", nums[i].name, num);
		if (apply_setting(name, file, file->lines[bit], &r, what,
				  changes))
			return -1;
	}
	return 0;
}

static int apply_master(const char *name, const struct kntp_conf *file,
			const struct kntp_conf *kern, int *changes)
{
	uint8_t want = file->set & KNTP_REQ_MASTER ? file->master : 0;
	char what[32];
	struct kntp_req r;

	if (want == kern->master)
		return 0;
	memset(&r, 0, sizeof(r));
	r.set = KNTP_REQ_MASTER;
	r.master = want;
	if (want)
		snprintf(what, sizeof(what), "master %u", want);
	else
		snprintf(what, sizeof(what), "no master");
	return apply_setting(name, file, want ? file->lines[5] : 0, &r, what,
			     changes);
}

/* Rate limiting: the file's line, or off without one. */
static int apply_ratelimit(const char *name, const struct kntp_conf *file,
			   const struct kntp_conf *kern, int *changes)
{
	struct kntp_rl off, have;
	const struct kntp_rl *want = &off;
	struct kntp_req r;
	char what[160];

	memset(&off, 0, sizeof(off));
	if (file->set & KNTP_REQ_RATELIMIT)
		want = &file->rl;
	have = kern->set & KNTP_REQ_RATELIMIT ? kern->rl : off;
	if (kntp_rl_same(want, &have))
		return 0;
	memset(&r, 0, sizeof(r));
	r.set = KNTP_REQ_RATELIMIT;
	r.rl = *want;
	/* "ratelimit interval 2", "no ratelimit", as the other settings. */
	if (want->enabled)
		kntp_rl_fmt(what, sizeof(what), want);
	else
		snprintf(what, sizeof(what), "ntp no ratelimit");
	return apply_setting(name, file, want->enabled ? file->lines[14] : 0,
			     &r, what + strlen("ntp "), changes);
}

/* One change of the diff: deleting, re-adding, adding an association. */
static int apply_change(const char *name, const struct kntp_conf *file,
			const struct kntp_conf_change *ch, int *changes)
{
	char addr[INET6_ADDRSTRLEN], ctx[1200];
	struct kntp_req r;

	if (ch->op == KNTP_CONF_KEEP)
		return 0;
	if (ch->op == KNTP_CONF_DEL || ch->op == KNTP_CONF_REPLACE) {
		kntp_conf_fmt_addr(addr, sizeof(addr), ch->kern);
		if (ch->op == KNTP_CONF_DEL)
			snprintf(ctx, sizeof(ctx), "no %s %s",
				 kntp_conf_kind_name(ch->kern->kind), addr);
		else
			line_ctx(ctx, sizeof(ctx), name, file, ch->file->line);
		r = ch->kern->req;
		r.set = 0;
		if (request(ctx, KNTP_CMD_ASSOC_DEL, 0, kntp_attr_put_assoc, &r,
			    NULL, NULL))
			return -1;
		if (ch->op == KNTP_CONF_DEL) {
			printf("- %s %s\n", kntp_conf_kind_name(ch->kern->kind),
			       addr);
			fflush(stdout);
			(*changes)++;
			return 0;
		}
	}
	kntp_conf_fmt_addr(addr, sizeof(addr), ch->file);
	line_ctx(ctx, sizeof(ctx), name, file, ch->file->line);
	if (request(ctx, KNTP_CMD_ASSOC_ADD, 0, kntp_attr_put_assoc,
		    &ch->file->req, NULL, NULL)) {
		if (ch->op == KNTP_CONF_REPLACE)
			printf("- %s %s (could not re-add it)\n",
			       kntp_conf_kind_name(ch->kern->kind), addr);
		return -1;
	}
	if (ch->op == KNTP_CONF_REPLACE)
		printf("~ %s %s (%s)\n", kntp_conf_kind_name(ch->file->kind),
		       addr, ch->why);
	else
		printf("+ %s %s\n", kntp_conf_kind_name(ch->file->kind), addr);
	fflush(stdout);
	(*changes)++;
	return 0;
}

static const struct kntp_conf_key *find_key(const struct kntp_conf *conf,
					    uint16_t id)
{
	size_t i;

	for (i = 0; i < conf->nkeys; i++)
		if (conf->keys[i].id == id)
			return &conf->keys[i];
	return NULL;
}

static int same_key(const struct kntp_conf_key *a,
		    const struct kntp_conf_key *b)
{
	return a && b && a->type == b->type && !memcmp(a->fp, b->fp, KNTP_FP_LEN);
}

/*
 * Before anything changes: a key the file names by its fingerprint (as show
 * running-config prints it) must be the kernel's already - a fingerprint
 * cannot make a key.
 */
static int check_keys(const char *name, const struct kntp_conf *file,
		      const struct kntp_conf *kern)
{
	char ctx[1200];
	size_t i;

	for (i = 0; i < file->nkeys; i++) {
		const struct kntp_conf_key *f = &file->keys[i];

		if (kern->keys_hidden) {
			line_ctx(ctx, sizeof(ctx), name, file, f->line);
			fprintf(stderr, "kntp: %s: %s\n", ctx,
				"the kernel's keys cannot be listed (needs CAP_NET_ADMIN)");
			return -1;
		}
		if (f->secret_is_fp && !same_key(f, find_key(kern, f->id))) {
			line_ctx(ctx, sizeof(ctx), name, file, f->line);
			fprintf(stderr, "kntp: %s: key %u: %s, %s\n", ctx,
				f->id,
				"the kernel has no such key with this type and fingerprint",
				"and a fingerprint cannot set one (give the secret)");
			return -1;
		}
	}
	return 0;
}

/* Keys the kernel lacks, or holds with another type or secret. */
static int apply_keys(const char *name, const struct kntp_conf *file,
		      const struct kntp_conf *kern, int *changes)
{
	struct kntp_req r;
	char ctx[1200];
	size_t i;

	for (i = 0; i < file->nkeys; i++) {
		const struct kntp_conf_key *f = &file->keys[i];
		const struct kntp_conf_key *k = find_key(kern, f->id);

		if (f->secret_is_fp || same_key(f, k))
			continue;
		memset(&r, 0, sizeof(r));
		r.key_id = f->id;
		r.key_type = f->type;
		r.secret_len = f->secret_len;
		memcpy(r.secret, f->secret, f->secret_len);
		line_ctx(ctx, sizeof(ctx), name, file, f->line);
		if (key_request(ctx, KNTP_CMD_KEY_SET, &r)) {
			memset(&r, 0, sizeof(r));
			return -1;
		}
		memset(&r, 0, sizeof(r));
		if (k)
			printf("~ authentication-key %u (%s)\n", f->id,
			       k->type != f->type ? "type changed" :
			       "secret changed");
		else
			printf("+ authentication-key %u\n", f->id);
		fflush(stdout);
		(*changes)++;
	}
	return 0;
}

/* The kernel's keys the file does not give. */
static int delete_keys(const struct kntp_conf *file,
		       const struct kntp_conf *kern, int *changes)
{
	struct kntp_req r;
	char ctx[64];
	size_t i;

	for (i = 0; i < kern->nkeys; i++) {
		if (find_key(file, kern->keys[i].id))
			continue;
		memset(&r, 0, sizeof(r));
		r.key_id = kern->keys[i].id;
		snprintf(ctx, sizeof(ctx), "no authentication-key %u", r.key_id);
		if (key_request(ctx, KNTP_CMD_KEY_DEL, &r))
			return -1;
		printf("- authentication-key %u\n", r.key_id);
		fflush(stdout);
		(*changes)++;
	}
	return 0;
}

/* Trust what the file trusts and the kernel does not, and the reverse. */
static int apply_trust(const struct kntp_conf *file,
		       const struct kntp_conf *kern, int *changes)
{
	uint64_t diff[KNTP_TRUST_WORDS];
	uint32_t first, last, from;
	struct kntp_req r;
	char ctx[64];
	int on;
	size_t w;

	for (on = 1; on >= 0; on--) {
		for (w = 0; w < KNTP_TRUST_WORDS; w++)
			diff[w] = on ? file->trusted[w] & ~kern->trusted[w] :
				       kern->trusted[w] & ~file->trusted[w];
		for (from = 0; kntp_conf_trusted(diff, from, &first, &last);
		     from = last + 1) {
			memset(&r, 0, sizeof(r));
			r.key_id = (uint16_t)first;
			r.key_last = (uint16_t)last;
			r.trust = (uint8_t)on;
			snprintf(ctx, sizeof(ctx), "%strusted-key %u-%u",
				 on ? "" : "no ", first, last);
			if (key_request(ctx, KNTP_CMD_KEY_TRUST, &r))
				return -1;
			printf("%c trusted-key %u-%u\n", on ? '+' : '-', first,
			       last);
			fflush(stdout);
			(*changes)++;
		}
	}
	return 0;
}

static int apply_authenticate(const char *name, const struct kntp_conf *file,
			      const struct kntp_conf *kern, int *changes)
{
	uint8_t want = file->set & KNTP_REQ_AUTHENTICATE ? file->authenticate : 0;
	struct kntp_req r;

	if (want == kern->authenticate)
		return 0;
	memset(&r, 0, sizeof(r));
	r.set = KNTP_REQ_AUTHENTICATE;
	r.authenticate = want;
	return apply_setting(name, file, want ? file->lines[13] : 0, &r,
			     want ? "authenticate" : "no authenticate",
			     changes);
}

/*
 * The devices answered at: the kernel's that the file does not name are
 * let go, then the file's that the kernel lacks are added, in the file's
 * order. Last of all, so that the access groups and rate limiting are the
 * file's before a new device is answered at.
 */
static int apply_ingress(const char *name, const struct kntp_conf *file,
			 const struct kntp_conf *kern, int *changes)
{
	char ctx[1200], dev[32];
	struct kntp_req r;
	size_t i;

	for (i = 0; i < kern->ningress; i++) {
		const struct kntp_conf_ingress *k = &kern->ingress[i];

		if (kntp_conf_find_ingress(file, k->ifindex))
			continue;
		memset(&r, 0, sizeof(r));
		r.ifindex = k->ifindex;
		kntp_conf_ingress_name(dev, sizeof(dev), k);
		snprintf(ctx, sizeof(ctx), "no serve ingress %s", dev);
		if (request(ctx, KNTP_CMD_INGRESS_DEL, 0, kntp_attr_put_ingress,
			    &r, NULL, NULL))
			return -1;
		printf("- serve ingress %s\n", dev);
		fflush(stdout);
		(*changes)++;
	}
	for (i = 0; i < file->ningress; i++) {
		const struct kntp_conf_ingress *f = &file->ingress[i];

		if (kntp_conf_find_ingress(kern, f->ifindex))
			continue;
		memset(&r, 0, sizeof(r));
		r.ifindex = f->ifindex;
		line_ctx(ctx, sizeof(ctx), name, file, f->line);
		if (request(ctx, KNTP_CMD_INGRESS_ADD, 0, kntp_attr_put_ingress,
			    &r, NULL, NULL))
			return -1;
		printf("+ serve ingress %s\n", f->name);
		fflush(stdout);
		(*changes)++;
	}
	return 0;
}

/*
 * A file with secrets must be readable by its owner alone: name it, and its
 * mode, rather than read the secrets from it.
 */
static int check_secrets_mode(const char *name, const struct kntp_conf *file)
{
	struct stat st;

	if (!file->secrets_line || !strcmp(name, "-"))
		return 0;
	if (stat(name, &st)) {
		fprintf(stderr, "kntp: %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (st.st_mode & 0044) {
		fprintf(stderr, "kntp: %s: holds secrets (authentication-key on line %d)",
			name, file->secrets_line);
		fprintf(stderr, " but is readable by %s (mode %04o): chmod go-rwx %s\n",
			(st.st_mode & 0044) == 0044 ? "group and others" :
			st.st_mode & 0040 ? "group" : "others",
			(unsigned int)(st.st_mode & 07777), name);
		return -1;
	}
	return 0;
}

/*
 * Make the instance's configuration that of a file: parse and check all of
 * it, read the kernel's, and send the differences, one request each,
 * printing each change. Stops at the first refusal.
 */
int kntp_run_apply(const struct kntp_command *c, const struct kntp_req *req,
		   const char *ctx)
{
	const char *name = req->file ? req->file : KNTP_CONF_DEFAULT;
	struct kntp_conf file, kern;
	struct kntp_conf_change *ch = NULL;
	size_t nch = 0, i;
	int changes = 0, ret = KNTP_EXIT_FAIL;
	char err[1600], *text;

	(void)c;
	text = read_all(name);
	if (!text) {
		fprintf(stderr, "kntp: %s: %s\n", name, strerror(errno));
		return KNTP_EXIT_FAIL;
	}
	if (kntp_conf_parse(name, text, &file, err, sizeof(err))) {
		fprintf(stderr, "kntp: %s\n", err);
		free(text);
		return KNTP_EXIT_USAGE;
	}
	free(text);
	if (check_secrets_mode(name, &file)) {
		kntp_conf_free(&file);
		return KNTP_EXIT_FAIL;
	}
	if (kernel_conf(ctx, &kern)) {
		kntp_conf_free(&file);
		return KNTP_EXIT_FAIL;
	}
	if (check_keys(name, &file, &kern))
		goto out;
	if (kntp_conf_diff(kern.assocs, kern.n, file.assocs, file.n, &ch,
			   &nch)) {
		fprintf(stderr, "kntp: %s: out of memory\n", ctx);
		goto out;
	}
	if (apply_keys(name, &file, &kern, &changes) ||
	    apply_trust(&file, &kern, &changes))
		goto out;
	if (apply_settings(name, &file, &kern, &changes))
		goto out;
	if (kntp_acl_apply(name, &file.acl, &kern.acl, file.text, file.ntext,
			   &changes))
		goto out;
	for (i = 0; i < nch; i++)
		if (apply_change(name, &file, &ch[i], &changes))
			goto out;
	if (apply_master(name, &file, &kern, &changes) ||
	    apply_authenticate(name, &file, &kern, &changes) ||
	    delete_keys(&file, &kern, &changes))
		goto out;
	if (apply_ratelimit(name, &file, &kern, &changes) ||
	    apply_ingress(name, &file, &kern, &changes))
		goto out;
	if (!changes)
		printf("no change\n");
	ret = KNTP_EXIT_OK;
out:
	free(ch);
	kntp_conf_free(&file);
	kntp_conf_free(&kern);
	return ret;
}
