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

/* Send one request (with an association nest if assoc), run fn on replies. */
static int request(const char *ctx, uint8_t cmd, int flags,
		   const struct kntp_req *assoc, kntp_nl_reply_fn fn,
		   void *arg)
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
	if (!msg || (assoc && kntp_attr_put_assoc(msg, assoc))) {
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
	return request(ctx, c->nl_cmd, 0, &r, NULL, NULL) ?
	       KNTP_EXIT_FAIL : KNTP_EXIT_OK;
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
	ret = request(ctx, c->nl_cmd, NLM_F_DUMP, NULL, assoc_cb, &l);
	if (!ret)
		kntp_show_assocs(stdout, l.recs, l.n);
	free(l.recs);
	return ret ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

struct status_reply {
	struct kntp_rec rec;
	int got;
};

static int status_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct status_reply *s = arg;
	struct nlattr *a = reply_attr(nlh, KNTP_A_STATUS);

	if (!a)
		return 0;
	kntp_rec_decode(&kntp_status_set, nla_data(a), nla_len(a), &s->rec);
	s->got = 1;
	return 0;
}

int kntp_run_show_status(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx)
{
	struct status_reply s;

	(void)req;
	memset(&s, 0, sizeof(s));
	if (request(ctx, c->nl_cmd, 0, NULL, status_cb, &s))
		return KNTP_EXIT_FAIL;
	if (!s.got) {
		fprintf(stderr, "kntp: %s: no status in the reply\n", ctx);
		return KNTP_EXIT_FAIL;
	}
	kntp_show_status(stdout, &s.rec);
	return KNTP_EXIT_OK;
}
