// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that talk to the kntp module.
 *
 * Each sends one request; replies are decoded into struct kntp_rec (attr.c)
 * and handed to the printers (show.c). A failure prints one line:
 *
 *	kntp: CONTEXT: strerror(errno): kernel's message (attribute NAME)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "attr.h"
#include "run.h"
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

/* Puts the attributes of a request from req (kntp_attr_put_*). */
typedef int (*kntp_put_fn)(struct nl_msg *msg, const struct kntp_req *req);

/*
 * Send one request (with the attributes put puts from req, if put is not
 * NULL), run fn on the replies.
 */
static int request(const char *ctx, uint8_t cmd, int flags, kntp_put_fn put,
		   const struct kntp_req *req, kntp_nl_reply_fn fn, void *arg)
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

/* The payload of the first top-level attribute type in a reply, or NULL. */
static struct nlattr *reply_attr(const struct nlmsghdr *nlh, int type)
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

struct assoc_list {
	struct kntp_rec *recs;
	size_t n, cap;
};

static int assoc_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct assoc_list *l = arg;
	struct nlattr *a = reply_attr(nlh, KNTP_A_ASSOC);

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
	kntp_rec_decode(&kntp_assoc_set, nla_data(a), nla_len(a),
			&l->recs[l->n++]);
	return 0;
}

int kntp_run_show_assocs(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx)
{
	struct assoc_list l = { NULL, 0, 0 };
	int ret;

	(void)req;
	ret = request(ctx, c->nl_cmd, NLM_F_DUMP, NULL, NULL, assoc_cb, &l);
	if (!ret)
		kntp_show_assocs(stdout, l.recs, l.n);
	free(l.recs);
	return ret ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
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
	struct nlattr *a = reply_attr(nlh, o->type);

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
	struct assoc_list l = { NULL, 0, 0 };
	struct one_reply o;
	int ret = 0;

	if (get_one(ctx, c->nl_cmd, req, &o))
		return KNTP_EXIT_FAIL;
	if (kntp_rec_has(&o.reply.rec, KNTP_A_STATUS_SYS_PEER))
		ret = request(ctx, KNTP_CMD_ASSOC_GET, NLM_F_DUMP, NULL, NULL,
			      assoc_cb, &l);
	kntp_show_status(stdout, &o.reply.rec, l.recs, l.n);
	free(l.recs);
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
	kntp_show_counters(stdout, stats);
	return KNTP_EXIT_OK;
}
