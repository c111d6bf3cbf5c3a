// SPDX-License-Identifier: GPL-2.0
/*
 * knl: raw generic netlink client for the kntp selftests (see knl.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "knl.h"

#define KNL_ALIGN(len) (((len) + 3U) & ~3U)

static uint32_t knl_last;

static void *knl_tail(struct knl *k)
{
	return (char *)k->nlh + KNL_ALIGN(k->nlh->nlmsg_len);
}

static struct nlattr *knl_attr_next(struct nlattr *a, int *rem)
{
	int len = KNL_ALIGN(a->nla_len);

	*rem -= len;
	return (struct nlattr *)((char *)a + len);
}

static bool knl_attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= rem;
}

/* The attributes of a generic netlink message; *rem gets their length. */
static struct nlattr *knl_genl_attrs(struct nlmsghdr *h, int *rem)
{
	*rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
}

static void *knl_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static int knl_data_len(struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

void knl_start(struct knl *k, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(k->req, 0, sizeof(k->req));
	k->nlh = (struct nlmsghdr *)k->req;
	k->nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	k->nlh->nlmsg_type = k->family;
	k->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	k->nlh->nlmsg_seq = ++k->seq;
	g = NLMSG_DATA(k->nlh);
	g->cmd = cmd;
	g->version = KNTP_GENL_VERSION;
	k->nest = NULL;
}

void knl_put(struct knl *k, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = knl_tail(k);

	knl_last = (char *)a - (char *)k->nlh;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(knl_data(a), data, len);
	k->nlh->nlmsg_len = KNL_ALIGN(k->nlh->nlmsg_len) + a->nla_len;
}

uint32_t knl_last_offs(struct knl *k)
{
	(void)k;
	return knl_last;
}

void knl_nest_start(struct knl *k, uint16_t type)
{
	k->nest = knl_tail(k);
	knl_put(k, type | NLA_F_NESTED, NULL, 0);
}

void knl_nest_end(struct knl *k)
{
	k->nest->nla_len = (char *)k->nlh + k->nlh->nlmsg_len -
			   (char *)k->nest;
	k->nest = NULL;
}

static void knl_parse_ack(struct knl *k, struct nlmsghdr *h)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *a;
	int rem, off;

	k->error = e->error;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	rem = h->nlmsg_len - NLMSG_HDRLEN - off;
	for (a = (struct nlattr *)((char *)e + off); knl_attr_ok(a, rem);
	     a = knl_attr_next(a, &rem)) {
		switch (a->nla_type) {
		case NLMSGERR_ATTR_MSG:
			snprintf(k->msg, sizeof(k->msg), "%.*s",
				 knl_data_len(a), (char *)knl_data(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			k->bad_offs = *(uint32_t *)knl_data(a);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			k->miss_type = *(uint32_t *)knl_data(a);
			break;
		}
	}
}

/*
 * Receive until the ack of the current request (or NLMSG_DONE of a dump),
 * handing every data message to cb.
 */
static int knl_recv(struct knl *k, void (*cb)(struct nlmsghdr *, void *),
		    void *arg)
{
	static char buf[KNL_BUF];

	k->error = 0;
	k->msg[0] = '\0';
	k->bad_offs = 0;
	k->miss_type = 0;
	for (;;) {
		ssize_t n = recv(k->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != k->seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				knl_parse_ack(k, h);
				return k->error;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				k->error = *(int *)NLMSG_DATA(h);
				return k->error;
			}
			if (cb)
				cb(h, arg);
		}
	}
}

int knl_send(struct knl *k)
{
	if (send(k->fd, k->nlh, k->nlh->nlmsg_len, 0) < 0)
		return -errno;
	return knl_recv(k, NULL, NULL);
}

static void knl_ctrl_cb(struct nlmsghdr *h, void *arg)
{
	struct nlattr *a;
	int rem;

	for (a = knl_genl_attrs(h, &rem); knl_attr_ok(a, rem);
	     a = knl_attr_next(a, &rem))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)arg = *(uint16_t *)knl_data(a);
}

int knl_open(struct knl *k)
{
	int one = 1;
	int err;

	memset(k, 0, sizeof(*k));
	k->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (k->fd < 0)
		return -errno;
	setsockopt(k->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(k->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	k->family = GENL_ID_CTRL;
	knl_start(k, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)NLMSG_DATA(k->nlh))->version = 1;
	knl_put(k, CTRL_ATTR_FAMILY_NAME, KNTP_GENL_NAME,
		sizeof(KNTP_GENL_NAME));
	if (send(k->fd, k->nlh, k->nlh->nlmsg_len, 0) < 0)
		return -errno;
	k->family = 0;
	err = knl_recv(k, knl_ctrl_cb, &k->family);
	if (err)
		return err;
	return k->family ? 0 : -ENOENT;
}

void knl_close(struct knl *k)
{
	close(k->fd);
}

static int knl_u8(struct nlattr *a)
{
	return *(uint8_t *)knl_data(a);
}

static int knl_s8(struct nlattr *a)
{
	return *(int8_t *)knl_data(a);
}

static void knl_refid(char *out, struct nlattr *a)
{
	memcpy(out, knl_data(a), 4);
	out[4] = '\0';
}

/* The first attribute of a kntp reply is its one nest; return its payload. */
static struct nlattr *knl_reply_nest(struct nlmsghdr *h, uint16_t type,
				     int *len)
{
	struct nlattr *a;
	int rem;

	for (a = knl_genl_attrs(h, &rem); knl_attr_ok(a, rem);
	     a = knl_attr_next(a, &rem))
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			*len = knl_data_len(a);
			return knl_data(a);
		}
	return NULL;
}

struct knl_dump_ctx {
	struct knl_assoc *out;
	int max, n;
};

static void knl_dump_cb(struct nlmsghdr *h, void *arg)
{
	struct knl_dump_ctx *ctx = arg;
	struct knl_assoc *as;
	struct nlattr *a, *nest;
	int len, rem;

	nest = knl_reply_nest(h, KNTP_A_ASSOC, &len);
	if (!nest || ctx->n >= ctx->max)
		return;
	as = &ctx->out[ctx->n++];
	memset(as, 0xff, sizeof(*as));
	as->family = 0;
	for (a = nest, rem = len; knl_attr_ok(a, rem);
	     a = knl_attr_next(a, &rem)) {
		switch (a->nla_type) {
		case KNTP_A_ASSOC_ID:
			as->id = *(uint32_t *)knl_data(a);
			break;
		case KNTP_A_ASSOC_ADDR4:
			as->family = AF_INET;
			memcpy(as->addr, knl_data(a), 4);
			break;
		case KNTP_A_ASSOC_ADDR6:
			as->family = AF_INET6;
			memcpy(as->addr, knl_data(a), 16);
			break;
		case KNTP_A_ASSOC_KIND:
			as->kind = knl_u8(a);
			break;
		case KNTP_A_ASSOC_VERSION:
			as->version = knl_u8(a);
			break;
		case KNTP_A_ASSOC_MINPOLL:
			as->minpoll = knl_s8(a);
			break;
		case KNTP_A_ASSOC_MAXPOLL:
			as->maxpoll = knl_s8(a);
			break;
		case KNTP_A_ASSOC_FLAGS:
			as->flags = *(uint32_t *)knl_data(a);
			break;
		case KNTP_A_ASSOC_STRATUM:
			as->stratum = knl_u8(a);
			break;
		case KNTP_A_ASSOC_REFID:
			knl_refid(as->refid, a);
			break;
		case KNTP_A_ASSOC_REACH:
			as->reach = knl_u8(a);
			break;
		case KNTP_A_ASSOC_POLL:
			as->poll = knl_s8(a);
			break;
		}
	}
}

int knl_dump(struct knl *k, struct knl_assoc *out, int max)
{
	struct knl_dump_ctx ctx = { .out = out, .max = max };
	int err;

	knl_start(k, KNTP_CMD_ASSOC_GET, NLM_F_DUMP);
	if (send(k->fd, k->nlh, k->nlh->nlmsg_len, 0) < 0)
		return -errno;
	err = knl_recv(k, knl_dump_cb, &ctx);
	return err ? err : ctx.n;
}

static void knl_status_cb(struct nlmsghdr *h, void *arg)
{
	struct knl_status *st = arg;
	struct nlattr *a, *nest;
	int len, rem;

	nest = knl_reply_nest(h, KNTP_A_STATUS, &len);
	if (!nest)
		return;
	for (a = nest, rem = len; knl_attr_ok(a, rem);
	     a = knl_attr_next(a, &rem)) {
		switch (a->nla_type) {
		case KNTP_A_STATUS_LEAP:
			st->leap = knl_u8(a);
			break;
		case KNTP_A_STATUS_STRATUM:
			st->stratum = knl_u8(a);
			break;
		case KNTP_A_STATUS_PRECISION:
			st->precision = knl_s8(a);
			break;
		case KNTP_A_STATUS_REFID:
			knl_refid(st->refid, a);
			break;
		case KNTP_A_STATUS_ROOT_DELAY:
			memcpy(&st->root_delay_ns, knl_data(a), 8);
			break;
		case KNTP_A_STATUS_ROOT_DISP:
			memcpy(&st->root_disp_ns, knl_data(a), 8);
			break;
		case KNTP_A_STATUS_ASSOC_COUNT:
			st->assoc_count = *(uint32_t *)knl_data(a);
			break;
		}
	}
}

int knl_status(struct knl *k, struct knl_status *st)
{
	memset(st, 0xff, sizeof(*st));
	knl_start(k, KNTP_CMD_STATUS_GET, 0);
	if (send(k->fd, k->nlh, k->nlh->nlmsg_len, 0) < 0)
		return -errno;
	return knl_recv(k, knl_status_cb, st);
}

bool knl_put_addr(struct knl *k, const char *addr)
{
	uint8_t buf[16];

	if (inet_pton(AF_INET, addr, buf) == 1) {
		knl_put(k, KNTP_A_ASSOC_ADDR4, buf, 4);
		return true;
	}
	if (inet_pton(AF_INET6, addr, buf) == 1) {
		knl_put(k, KNTP_A_ASSOC_ADDR6, buf, 16);
		return true;
	}
	return false;
}

static int knl_addr_cmd(struct knl *k, uint8_t cmd, const char *addr,
			int kind)
{
	uint8_t k8 = kind;

	knl_start(k, cmd, 0);
	knl_nest_start(k, KNTP_A_ASSOC);
	if (!knl_put_addr(k, addr))
		return -EINVAL;
	if (kind)
		knl_put(k, KNTP_A_ASSOC_KIND, &k8, 1);
	knl_nest_end(k);
	return knl_send(k);
}

int knl_add(struct knl *k, const char *addr, int kind)
{
	return knl_addr_cmd(k, KNTP_CMD_ASSOC_ADD, addr, kind);
}

int knl_del(struct knl *k, const char *addr, int kind)
{
	return knl_addr_cmd(k, KNTP_CMD_ASSOC_DEL, addr, kind);
}
