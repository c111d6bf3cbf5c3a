// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kntp tool without the module: command
 * lines to requests, requests to netlink attributes, extended acks to
 * messages, replies to records, and the renderers. Prints TAP.
 *
 * The last tests talk to the running kernel's "nlctrl" family to check that
 * a real extended ack (message and attribute offset) reaches us.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "attr.h"
#include "auth.h"
#include "cmd.h"
#include "json.h"
#include "metrics.h"
#include "config.h"
#include "nl.h"
#include "parse.h"
#include "ratelimit.h"
#include "run.h"
#include "show.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int test_num, test_failed;

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		test_failed++;
}

/* text as TAP diagnostics ("# " lines), when cond failed. */
static void diag(int cond, const char *text, int len)
{
	const char *p = text, *end = text + len;

	while (!cond && p && p < end && *p) {
		const char *nl = memchr(p, '\n', end - p);
		int n = nl ? (int)(nl - p) : (int)(end - p);

		printf("# %.*s\n", n, p);
		p = nl ? nl + 1 : NULL;
	}
}

/* A command line split at spaces; argv points into a static copy. */
struct line {
	char buf[256];
	char *argv[32];
	int argc;
	const struct kntp_command *cmd;
	struct kntp_req req;
	struct kntp_perr err;
	int ret;
};

static struct line *parse(const char *s)
{
	static struct line l;
	char *tok;

	memset(&l, 0, sizeof(l));
	snprintf(l.buf, sizeof(l.buf), "%s", s);
	for (tok = strtok(l.buf, " "); tok && l.argc < 31;
	     tok = strtok(NULL, " "))
		l.argv[l.argc++] = tok;
	l.ret = kntp_cmd_parse(l.argc, l.argv, &l.cmd, &l.req, &l.err);
	return &l;
}

static int is_v4(const struct kntp_req *r, const char *dotted)
{
	struct in_addr a;

	inet_pton(AF_INET, dotted, &a);
	return r->family == AF_INET && r->addr.v4.s_addr == a.s_addr;
}

static int is_v6(const struct kntp_req *r, const char *text)
{
	struct in6_addr a;

	inet_pton(AF_INET6, text, &a);
	return r->family == AF_INET6 && !memcmp(&r->addr.v6, &a, sizeof(a));
}

static void test_commands(void)
{
	static const char *const ntp[] = {
		"server 192.0.2.1", "ntp server 192.0.2.1",
	};
	static const char *const assoc[] = {
		"show associations", "show ntp associations",
		"ntp show associations",
	};
	static const char *const del[] = {
		"no server 192.0.2.1", "no ntp server 192.0.2.1",
		"ntp no server 192.0.2.1",
	};
	struct line *l;
	size_t i;

	l = parse("ntp server 1.1.1.1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
	   l->req.kind == KNTP_ASSOC_KIND_SERVER && is_v4(&l->req, "1.1.1.1") &&
	   l->req.set == 0 && l->req.flags == 0,
	   "seed \"ntp server 1.1.1.1\": add server 1.1.1.1, no options");
	l = parse("ntp peer 10.1.2.2");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
	   l->req.kind == KNTP_ASSOC_KIND_PEER && is_v4(&l->req, "10.1.2.2") &&
	   l->req.set == 0,
	   "seed \"ntp peer 10.1.2.2\": add peer 10.1.2.2, no options");

	for (i = 0; i < ARRAY_SIZE(ntp); i++) {
		l = parse(ntp[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_ADD &&
		   l->req.kind == KNTP_ASSOC_KIND_SERVER &&
		   is_v4(&l->req, "192.0.2.1"), "\"%s\" adds a server", ntp[i]);
	}
	for (i = 0; i < ARRAY_SIZE(assoc); i++) {
		l = parse(assoc[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_GET &&
		   l->req.family == 0, "\"%s\" lists associations", assoc[i]);
	}
	for (i = 0; i < ARRAY_SIZE(del); i++) {
		l = parse(del[i]);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_DEL &&
		   l->req.kind == KNTP_ASSOC_KIND_SERVER &&
		   is_v4(&l->req, "192.0.2.1"),
		   "\"%s\" deletes server 192.0.2.1", del[i]);
	}
	l = parse("no peer 2001:db8::1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_ASSOC_DEL &&
	   l->req.kind == KNTP_ASSOC_KIND_PEER && is_v6(&l->req, "2001:db8::1"),
	   "\"no peer 2001:db8::1\" deletes a peer, IPv6");
	l = parse("show ntp status");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_STATUS_GET,
	   "\"show ntp status\" asks for the status");
	l = parse("help server");
	ok(!l->ret && l->cmd->nl_cmd == 0 && l->req.ntopic == 1 &&
	   !strcmp(l->req.topic[0], "server"), "\"help server\" has a topic");

	l = parse("peer 2001:db8::1 minpoll -4 maxpoll 10 iburst prefer version 3");
	ok(!l->ret && l->req.kind == KNTP_ASSOC_KIND_PEER &&
	   is_v6(&l->req, "2001:db8::1") &&
	   l->req.set == (KNTP_REQ_MINPOLL | KNTP_REQ_MAXPOLL |
			  KNTP_REQ_FLAGS | KNTP_REQ_VERSION) &&
	   l->req.minpoll == -4 && l->req.maxpoll == 10 &&
	   l->req.version == 3 &&
	   l->req.flags == (KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER),
	   "peer with every option");
	l = parse("server 192.0.2.1 xleave");
	ok(!l->ret && l->req.set == KNTP_REQ_FLAGS &&
	   l->req.flags == KNTP_ASSOC_F_XLEAVE, "server with xleave");
	l = parse("server 192.0.2.1 version 4 prefer maxpoll 8");
	ok(!l->ret && l->req.set == (KNTP_REQ_VERSION | KNTP_REQ_FLAGS |
				     KNTP_REQ_MAXPOLL) &&
	   l->req.version == 4 && l->req.maxpoll == 8 &&
	   l->req.flags == KNTP_ASSOC_F_PREFER,
	   "options in another order, minpoll left unset");
	l = parse("server 192.0.2.1 minpoll 99 version 255 maxpoll -128");
	ok(!l->ret && l->req.minpoll == 99 && l->req.version == 255 &&
	   l->req.maxpoll == -128,
	   "kernel ranges are not checked locally (minpoll 99, version 255)");
	l = parse("server ::ffff:192.0.2.1");
	ok(!l->ret && is_v6(&l->req, "::ffff:192.0.2.1"),
	   "IPv4-mapped IPv6 stays IPv6");
}

/* Parsing s fails with code at argument argi, the message quoting quote. */
static void fails(const char *s, enum kntp_perr_code code, int argi,
		  const char *quote)
{
	struct line *l = parse(s);
	char q[64];

	snprintf(q, sizeof(q), "\"%s\"", quote ? quote : "");
	ok(l->ret && l->err.code == code && l->err.argi == argi &&
	   (!quote || strstr(l->err.msg, q)),
	   "\"%s\" is refused: code %d argi %d (got %d %d: %s)", s, code, argi,
	   l->err.code, l->err.argi, l->err.msg);
}

static void test_errors(void)
{
	struct line *l;

	fails("server 1.1.1.x", KNTP_PERR_ADDR, 1, "1.1.1.x");
	fails("server 1.1.1.1.1", KNTP_PERR_ADDR, 1, "1.1.1.1.1");
	fails("server 2001:db8::g", KNTP_PERR_ADDR, 1, "2001:db8::g");
	fails("server fe80::1%eth0", KNTP_PERR_ADDR, 1, "fe80::1%eth0");
	fails("server pool.ntp.org", KNTP_PERR_HOSTNAME, 1, "pool.ntp.org");
	fails("ntp server", KNTP_PERR_NO_ADDR, -1, NULL);
	fails("no peer", KNTP_PERR_NO_ADDR, -1, NULL);
	fails("server 1.1.1.1 ibust", KNTP_PERR_UNKNOWN_OPT, 2, "ibust");
	l = parse("server 1.1.1.1 ibust");
	ok(!!strstr(l->err.msg, "minpoll, maxpoll, iburst, prefer, version"),
	   "unknown option lists the options");
	fails("server 1.1.1.1 minpoll abc", KNTP_PERR_NOT_INT, 3, "abc");
	fails("server 1.1.1.1 minpoll 1.5", KNTP_PERR_NOT_INT, 3, "1.5");
	fails("server 1.1.1.1 minpoll 6x", KNTP_PERR_NOT_INT, 3, "6x");
	fails("server 1.1.1.1 minpoll --6", KNTP_PERR_NOT_INT, 3, "--6");
	fails("server 1.1.1.1 version 0x4", KNTP_PERR_NOT_INT, 3, "0x4");
	fails("server 1.1.1.1 maxpoll iburst", KNTP_PERR_NOT_INT, 3, "iburst");
	fails("server 1.1.1.1 minpoll", KNTP_PERR_NO_VALUE, 2, NULL);
	fails("server 1.1.1.1 iburst version", KNTP_PERR_NO_VALUE, 3, NULL);
	fails("server 1.1.1.1 iburst prefer iburst", KNTP_PERR_DUP, 4, "iburst");
	fails("server 1.1.1.1 minpoll 4 minpoll 4", KNTP_PERR_DUP, 4, "minpoll");
	fails("server 1.1.1.1 minpoll 128", KNTP_PERR_RANGE, 3, "128");
	fails("server 1.1.1.1 maxpoll -129", KNTP_PERR_RANGE, 3, "-129");
	fails("server 1.1.1.1 version 256", KNTP_PERR_RANGE, 3, "256");
	fails("server 1.1.1.1 version -1", KNTP_PERR_RANGE, 3, "-1");
	fails("server 1.1.1.1 minpoll 99999999999999999999", KNTP_PERR_RANGE, 3,
	      "99999999999999999999");
	fails("no server 1.1.1.1 iburst", KNTP_PERR_TRAILING, 3, "iburst");
	fails("show status now", KNTP_PERR_TRAILING, 2, "now");
	fails("show assocs", KNTP_PERR_COMMAND, 1, "assocs");
	fails("frobnicate", KNTP_PERR_COMMAND, 0, "frobnicate");
	fails("ntp ntp server 1.1.1.1", KNTP_PERR_COMMAND, 1, "ntp");
	fails("show", KNTP_PERR_COMMAND, -1, NULL);
	fails("", KNTP_PERR_COMMAND, -1, NULL);
}

/* The message a parsed line becomes, with family id 0x42. */
static struct nl_msg *build(const char *s)
{
	struct line *l = parse(s);
	struct nl_msg *msg;

	if (l->ret)
		return NULL;
	msg = kntp_nl_msg(0x42, l->cmd->nl_cmd, 0);
	if (msg && kntp_attr_put_assoc(msg, &l->req)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The one top-level attribute of msg; its nested attributes into tb. */
static struct nlattr *assoc_nest(struct nl_msg *msg, struct nlattr **tb,
				 int *ntop)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a, *nest = NULL, *n;
	int rem, rem2;

	*ntop = 0;
	memset(tb, 0, (KNTP_A_ASSOC_MAX + 1) * sizeof(*tb));
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		(*ntop)++;
		nest = a;
	}
	if (!nest)
		return NULL;
	nla_for_each_nested(n, nest, rem2) {
		if (nla_type(n) > KNTP_A_ASSOC_MAX || tb[nla_type(n)])
			return NULL;	/* unknown or twice: a failure */
		tb[nla_type(n)] = n;
	}
	return nest;
}

static int count(struct nlattr **tb)
{
	int i, n = 0;

	for (i = 0; i <= KNTP_A_ASSOC_MAX; i++)
		n += !!tb[i];
	return n;
}

static void test_encode(void)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1], *nest;
	struct nl_msg *msg;
	int ntop;

	msg = build("ntp server 1.1.1.1");
	nest = msg ? assoc_nest(msg, tb, &ntop) : NULL;
	ok(nest && ntop == 1 && nest->nla_type == (KNTP_A_ASSOC | NLA_F_NESTED) &&
	   count(tb) == 2 && tb[KNTP_A_ASSOC_ADDR4] &&
	   nla_len(tb[KNTP_A_ASSOC_ADDR4]) == 4 &&
	   !memcmp(nla_data(tb[KNTP_A_ASSOC_ADDR4]), "\1\1\1\1", 4) &&
	   tb[KNTP_A_ASSOC_KIND] && nla_len(tb[KNTP_A_ASSOC_KIND]) == 1 &&
	   nla_get_u8(tb[KNTP_A_ASSOC_KIND]) == KNTP_ASSOC_KIND_SERVER,
	   "server 1.1.1.1 sends exactly ASSOC{ADDR4, KIND}, NLA_F_NESTED set");
	ok(msg && ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd ==
	   KNTP_CMD_ASSOC_ADD && ((struct genlmsghdr *)
	   nlmsg_data(nlmsg_hdr(msg)))->version == KNTP_GENL_VERSION,
	   "genl header: ASSOC_ADD, version 1");
	nlmsg_free(msg);

	msg = build("peer 2001:db8::1 minpoll -4 maxpoll 17 iburst prefer version 3");
	nest = msg ? assoc_nest(msg, tb, &ntop) : NULL;
	ok(nest && count(tb) == 6 && tb[KNTP_A_ASSOC_ADDR6] &&
	   nla_len(tb[KNTP_A_ASSOC_ADDR6]) == 16 &&
	   ((unsigned char *)nla_data(tb[KNTP_A_ASSOC_ADDR6]))[0] == 0x20 &&
	   ((unsigned char *)nla_data(tb[KNTP_A_ASSOC_ADDR6]))[15] == 1 &&
	   nla_get_u8(tb[KNTP_A_ASSOC_KIND]) == KNTP_ASSOC_KIND_PEER &&
	   nla_len(tb[KNTP_A_ASSOC_MINPOLL]) == 1 &&
	   nla_get_s8(tb[KNTP_A_ASSOC_MINPOLL]) == -4 &&
	   nla_get_s8(tb[KNTP_A_ASSOC_MAXPOLL]) == 17 &&
	   nla_get_u8(tb[KNTP_A_ASSOC_VERSION]) == 3 &&
	   nla_len(tb[KNTP_A_ASSOC_FLAGS]) == 4 &&
	   nla_get_u32(tb[KNTP_A_ASSOC_FLAGS]) ==
	   (KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER),
	   "peer with options: ADDR6, KIND, MINPOLL s8, MAXPOLL, VERSION, FLAGS");
	nlmsg_free(msg);

	msg = build("no peer 10.1.2.2");
	nest = msg ? assoc_nest(msg, tb, &ntop) : NULL;
	ok(nest && count(tb) == 2 && tb[KNTP_A_ASSOC_ADDR4] &&
	   nla_get_u8(tb[KNTP_A_ASSOC_KIND]) == KNTP_ASSOC_KIND_PEER,
	   "no peer sends ASSOC{ADDR4, KIND peer}");
	nlmsg_free(msg);
}

/* Offset of attribute type inside msg's association nest, or 0. */
static uint32_t offset_of(struct nl_msg *msg, int type)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	int ntop;
	struct nlattr *nest = assoc_nest(msg, tb, &ntop);

	if (type == KNTP_A_ASSOC)
		return nest ? (unsigned char *)nest -
			      (unsigned char *)nlmsg_hdr(msg) : 0;
	if (!tb[type])
		return 0;
	return (unsigned char *)tb[type] - (unsigned char *)nlmsg_hdr(msg);
}

static void test_offsets(void)
{
	struct nl_msg *msg = build("server 192.0.2.1 iburst minpoll 3 version 4");
	const struct kntp_attrset *set;
	const char *name;

	if (!msg) {
		ok(0, "build the request for the offset tests");
		return;
	}
	name = kntp_attr_name_at(nlmsg_hdr(msg),
				 offset_of(msg, KNTP_A_ASSOC_MINPOLL), &set);
	ok(name && !strcmp(name, "minpoll") && !set,
	   "offset of MINPOLL names minpoll");
	name = kntp_attr_name_at(nlmsg_hdr(msg),
				 offset_of(msg, KNTP_A_ASSOC_VERSION), NULL);
	ok(name && !strcmp(name, "version"), "offset of VERSION names version");
	name = kntp_attr_name_at(nlmsg_hdr(msg),
				 offset_of(msg, KNTP_A_ASSOC_ADDR4), NULL);
	ok(name && !strcmp(name, "address"), "offset of ADDR4 names address");
	name = kntp_attr_name_at(nlmsg_hdr(msg),
				 offset_of(msg, KNTP_A_ASSOC), &set);
	ok(name && !strcmp(name, "association") && set == &kntp_assoc_set,
	   "offset of the nest names it and gives its set");
	ok(!kntp_attr_name_at(nlmsg_hdr(msg), 4, NULL) &&
	   !kntp_attr_name_at(nlmsg_hdr(msg), 4096, NULL),
	   "offsets in the header or past the end name nothing");
	nlmsg_free(msg);
}

/*
 * An NLMSG_ERROR for req as the kernel builds it: capped (header only) or
 * with the whole request, then the TLVs.
 */
static size_t make_error(unsigned char *buf, size_t size,
			 const struct nlmsghdr *req, int error, int capped,
			 const char *text, int offs_type, uint32_t offs,
			 int tlvs)
{
	struct nlmsghdr *nlh = (void *)buf;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t len, copy = capped ? NLMSG_HDRLEN : req->nlmsg_len;
	struct nlattr *a;

	memset(buf, 0, size);
	e->error = -error;
	memcpy(&e->msg, req, copy);
	len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int) + copy);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			   (tlvs ? NLM_F_ACK_TLVS : 0);
	if (text) {
		a = (void *)(buf + len);
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = NLA_HDRLEN + strlen(text) + 1;
		memcpy((char *)a + NLA_HDRLEN, text, strlen(text) + 1);
		len += NLA_ALIGN(a->nla_len);
	}
	if (offs_type) {
		a = (void *)(buf + len);
		a->nla_type = offs_type;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy((char *)a + NLA_HDRLEN, &offs, 4);
		len += NLA_ALIGN(a->nla_len);
	}
	nlh->nlmsg_len = len;
	return len;
}

static void test_acks(void)
{
	struct nl_msg *msg = build("server 192.0.2.1 minpoll 40");
	unsigned char buf[1024];
	struct kntp_ack ack;
	char line[512], want[128];
	uint32_t offs;
	int capped;

	if (!msg) {
		ok(0, "build the request for the ack tests");
		return;
	}
	offs = offset_of(msg, KNTP_A_ASSOC_MINPOLL);
	for (capped = 0; capped <= 1; capped++) {
		memset(&ack, 0, sizeof(ack));
		make_error(buf, sizeof(buf), nlmsg_hdr(msg), ERANGE, capped,
			   "kntp: minpoll out of range", NLMSGERR_ATTR_OFFS,
			   offs, 1);
		kntp_nl_parse_ack((void *)buf, &ack);
		ok(ack.error == ERANGE && ack.has_offs && ack.offs == offs &&
		   !strcmp(ack.msg, "kntp: minpoll out of range") &&
		   !ack.has_miss_type,
		   "%s error ack: errno, message and offset", capped ?
		   "capped" : "uncapped");
	}
	kntp_format_error(line, sizeof(line), "server 192.0.2.1", &ack,
			  nlmsg_hdr(msg));
	snprintf(want, sizeof(want), "kntp: server 192.0.2.1: %s: ",
		 strerror(ERANGE));
	ok(!strncmp(line, want, strlen(want)) &&
	   strstr(line, ": minpoll out of range") &&
	   !strstr(line, "kntp: kntp:") && !strstr(line, ": kntp: ") &&
	   strstr(line, "(attribute minpoll)"),
	   "error line: context, strerror, message, attribute (%s)", line);

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), EEXIST, 1, "x",
		   NLMSGERR_ATTR_OFFS, offs, 0);
	kntp_nl_parse_ack((void *)buf, &ack);
	ok(ack.error == EEXIST && !ack.msg[0] && !ack.has_offs,
	   "without NLM_F_ACK_TLVS the TLVs are not read");

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), EINVAL, 1, NULL,
		   NLMSGERR_ATTR_MISS_TYPE, KNTP_A_ASSOC_KIND, 1);
	kntp_nl_parse_ack((void *)buf, &ack);
	ack.has_miss_nest = 1;
	ack.miss_nest = offset_of(msg, KNTP_A_ASSOC);
	kntp_format_error(line, sizeof(line), "server 192.0.2.1", &ack,
			  nlmsg_hdr(msg));
	ok(ack.error == EINVAL && ack.has_miss_type &&
	   strstr(line, "(missing attribute kind in association)"),
	   "missing attribute named with its nest (%s)", line);

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), EPERM, 1, NULL, 0, 0, 0);
	kntp_nl_parse_ack((void *)buf, &ack);
	kntp_format_error(line, sizeof(line), "server 192.0.2.1", &ack,
			  nlmsg_hdr(msg));
	ok(ack.error == EPERM && strstr(line, strerror(EPERM)),
	   "EPERM is reported (%s)", line);

	{
		struct {
			struct nlmsghdr h;
			int error;
			struct nlattr a;
			char text[8];
		} done = {
			{ sizeof(done), NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS,
			  0, 0 }, -EPERM, { NLA_HDRLEN + 5, NLMSGERR_ATTR_MSG },
			"nope"
		};

		memset(&ack, 0, sizeof(ack));
		kntp_nl_parse_ack(&done.h, &ack);
		ok(ack.error == EPERM && !strcmp(ack.msg, "nope"),
		   "NLMSG_DONE carries the dump's error and message");
	}
	nlmsg_free(msg);
}

/* A nest of attributes for the decoder: type, length, bytes. */
static int put(unsigned char *p, int type, int len, const void *data)
{
	struct nlattr *a = (void *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(a->nla_len);
}

static void test_decode(void)
{
	unsigned char buf[256], st = 16, reach = 0377, bad[2] = { 1, 2 };
	int8_t poll = -2;
	uint32_t id = 7, future = 9;
	struct kntp_rec rec;
	int n = 0;

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, &st);
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "INIT");
	n += put(buf + n, KNTP_A_ASSOC_POLL, 1, &poll);
	n += put(buf + n, KNTP_A_ASSOC_REACH, 1, &reach);
	n += put(buf + n, KNTP_A_ASSOC_KIND, 2, bad);	/* wrong length */
	n += put(buf + n, KNTP_A_ASSOC_MAX + 1, 4, &future); /* unknown */
	kntp_rec_decode(&kntp_assoc_set, buf, n, &rec);
	ok(kntp_rec_has(&rec, KNTP_A_ASSOC_ID) && rec.v[KNTP_A_ASSOC_ID].u == 7 &&
	   kntp_rec_has(&rec, KNTP_A_ASSOC_STRATUM) &&
	   rec.v[KNTP_A_ASSOC_STRATUM].u == 16 &&
	   rec.v[KNTP_A_ASSOC_POLL].s == -2 &&
	   rec.v[KNTP_A_ASSOC_REACH].u == 0377 &&
	   !memcmp(rec.v[KNTP_A_ASSOC_REFID].b, "INIT", 4) &&
	   !memcmp(rec.v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4),
	   "reply attributes decode with their types");
	ok(!kntp_rec_has(&rec, KNTP_A_ASSOC_KIND) &&
	   !kntp_rec_has(&rec, KNTP_A_ASSOC_ADDR6) &&
	   !kntp_rec_has(&rec, KNTP_A_ASSOC_MAX + 1) &&
	   !kntp_rec_has(&rec, KNTP_A_ASSOC_FLAGS),
	   "wrong-length, unknown and absent attributes are absent");
}

static void refid(const char *bytes, int stratum, const char *want)
{
	char buf[32];

	kntp_fmt_refid(buf, sizeof(buf), (const unsigned char *)bytes, stratum);
	ok(!strcmp(buf, want), "ref clock at stratum %d is %s (got %s)", stratum,
	   want, buf);
}

static void test_render(void)
{
	char buf[64], *end;
	int p, all = 1;

	refid("INIT", 16, ".INIT.");
	refid("GPS\0", 1, ".GPS.");
	refid("LOCL", 0, ".LOCL.");
	refid("RATE", -1, ".RATE.");
	refid("\xc0\x00\x02\x01", 16, "192.0.2.1");
	refid("\xc0\x00\x02\x01", 3, "192.0.2.1");
	refid("ABCD", 3, "65.66.67.68");	/* stratum 2+: an address */
	refid("LOCL", 3, ".LOCL.");	/* but a server's own clock is named */
	refid("\0\0\0\0", 16, "0.0.0.0");
	refid("I\0T\0", 16, "73.0.84.0");	/* NUL inside: not ASCII */
	refid("\x7fTST", 16, "127.84.83.84");

	kntp_fmt_poll(buf, sizeof(buf), 6);
	ok(!strcmp(buf, "64"), "poll 6 is 64 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), -2);
	ok(!strcmp(buf, "0.25"), "poll -2 is 0.25 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), -4);
	ok(!strcmp(buf, "0.0625"), "poll -4 is 0.0625 s (%s)", buf);
	kntp_fmt_poll(buf, sizeof(buf), 17);
	ok(!strcmp(buf, "131072"), "poll 17 is 131072 s (%s)", buf);
	for (p = -20; p < 63; p++) {
		kntp_fmt_poll(buf, sizeof(buf), p);
		if (strtod(buf, &end) != ldexp(1.0, p) || *end)
			all = 0;
	}
	ok(all, "poll -20..62 prints exactly 2^poll");
	kntp_fmt_poll(buf, sizeof(buf), -128);
	ok(!strcmp(buf, "2^-128"), "poll -128 prints as a power (%s)", buf);

	kntp_fmt_ms(buf, sizeof(buf), 0, 2);
	ok(!strcmp(buf, "0.00"), "0 ns is 0.00 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 1234999, 2);
	ok(!strcmp(buf, "1.23"), "1234999 ns is 1.23 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 1235000, 2);
	ok(!strcmp(buf, "1.24"), "1235000 ns rounds to 1.24 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), 4294967295LL, 2);
	ok(!strcmp(buf, "4294.97"), "u32 max ns is 4294.97 ms (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), -1500000, 3);
	ok(!strcmp(buf, "-1.500"), "-1.5 ms signed (%s)", buf);
	kntp_fmt_ms(buf, sizeof(buf), -400, 3);
	ok(!strcmp(buf, "0.000"), "-400 ns rounds to 0.000, no sign (%s)", buf);
}

/* Column of the n-th (from 0) whitespace-separated field of s, or -1. */
static int field_col(const char *s, int n, char *out, size_t len)
{
	const char *p = s, *start;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return -1;
		start = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (!n--) {
			snprintf(out, len, "%.*s", (int)(p - start), start);
			return start - s;
		}
	}
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void test_show(void)
{
	struct kntp_rec recs[2];
	unsigned char rest[5];
	char *text = NULL, *l1, *l2, *l3, f[64];
	size_t size = 0;
	FILE *mem;
	int i, aligned = 1;

	memset(recs, 0, sizeof(recs));
	memcpy(recs[0].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
	memcpy(recs[1].v[KNTP_A_ASSOC_ADDR6].b,
	       "\x20\x01\x0d\xb8\xaa\xaa\xbb\xbb\xcc\xcc\xdd\xdd\xee\xee\xff\x01",
	       16);
	for (i = 0; i < 2; i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REFID) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_POLL) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REACH) |
				  KNTP_REC_BIT(i ? KNTP_A_ASSOC_ADDR6 :
					       KNTP_A_ASSOC_ADDR4);
		recs[i].v[KNTP_A_ASSOC_STRATUM].u = 16;
		memcpy(recs[i].v[KNTP_A_ASSOC_REFID].b, "INIT", 4);
		recs[i].v[KNTP_A_ASSOC_POLL].s = 6;
		recs[i].v[KNTP_A_ASSOC_REACH].u = 9;
	}
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, 2);
	fclose(mem);
	l1 = text;
	l2 = strchr(l1, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;

	/* Short address: every value sits under the end of its heading. */
	for (i = 1; i < 9; i++) {
		char h[32];
		int hc = field_col(l1, i + (i > 1), h, sizeof(h));
		int vc = field_col(l2, i, f, sizeof(f));

		if (i == 1) {	/* "ref clock" starts where .INIT. starts */
			if (hc != vc)
				aligned = 0;
			continue;
		}
		if (hc < 0 || vc < 0 ||
		    hc + strlen(h) != vc + strlen(f))
			aligned = 0;
	}
	ok(l2[0] == ' ' && l2[1] == '~' && aligned,
	   "association row aligned under the header");
	field_col(l2, 0, f, sizeof(f));
	ok(!strcmp(f, "~192.0.2.1"), "address column (%s)", f);
	field_col(l2, 5, f, sizeof(f));
	ok(!strcmp(f, "11"), "reach is octal (%s)", f);
	for (i = 0; i < 5; i++)
		rest[i] = field_col(l3, 2 + i, f, sizeof(f)) >= 0 ? f[0] : 0;
	field_col(l3, 0, f, sizeof(f));
	ok(!strcmp(f, "~2001:db8:aaaa:bbbb:cccc:dddd:eeee:ff01") &&
	   field_col(l3, 8, f, sizeof(f)) >= 0 && field_col(l3, 9, f, 2) < 0 &&
	   rest[0] == '1' && rest[1] == '-' && rest[2] == '6',
	   "a long IPv6 address keeps the columns apart");
	ok(strstr(l3, ".INIT.") && strstr(l3, "\n "),
	   "kiss code shown, legend follows");
	free(text);

	{
		struct kntp_rec st;

		memset(&st, 0, sizeof(st));
		st.present = KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
			     KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
			     KNTP_REC_BIT(KNTP_A_STATUS_REFID) |
			     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DELAY);
		st.v[KNTP_A_STATUS_LEAP].u = 0;
		st.v[KNTP_A_STATUS_STRATUM].u = 3;
		memcpy(st.v[KNTP_A_STATUS_REFID].b, "\xc0\x00\x02\x01", 4);
		st.v[KNTP_A_STATUS_ROOT_DELAY].u = 12345678;
		text = NULL;
		mem = open_memstream(&text, &size);
		kntp_show_status(mem, &st, NULL, 0);
		fclose(mem);
		ok(starts(text, "Clock is synchronized, stratum 3, reference is 192.0.2.1\n") &&
		   strstr(text, "root delay is 12.35 msec") &&
		   strstr(text, "root dispersion is - msec") &&
		   strstr(text, "associations: -"),
		   "synchronized status; absent attributes print -");
		free(text);

		st.v[KNTP_A_STATUS_LEAP].u = 3;
		text = NULL;
		mem = open_memstream(&text, &size);
		kntp_show_status(mem, &st, NULL, 0);
		fclose(mem);
		ok(starts(text, "Clock is unsynchronized, stratum 3, no reference clock\n"),
		   "leap 3 is unsynchronized");
		free(text);
	}
}

/* master, no master, enable, disable: the instance settings they send. */
static void test_instance_commands(void)
{
	static const struct {
		const char *line;
		unsigned int set;
		int enabled, master;
	} cases[] = {
		{ "master", KNTP_REQ_MASTER, 0, KNTP_MASTER_DEFAULT },
		{ "master 3", KNTP_REQ_MASTER, 0, 3 },
		{ "ntp master 3", KNTP_REQ_MASTER, 0, 3 },
		{ "ntp master", KNTP_REQ_MASTER, 0, 8 },
		{ "master 0", KNTP_REQ_MASTER, 0, 0 },
		{ "master 255", KNTP_REQ_MASTER, 0, 255 },	/* kernel's range */
		{ "master 16", KNTP_REQ_MASTER, 0, 16 },
		{ "no master", KNTP_REQ_MASTER, 0, 0 },
		{ "no ntp master", KNTP_REQ_MASTER, 0, 0 },
		{ "ntp no master", KNTP_REQ_MASTER, 0, 0 },
		{ "enable", KNTP_REQ_ENABLED, 1, 0 },
		{ "ntp enable", KNTP_REQ_ENABLED, 1, 0 },
		{ "disable", KNTP_REQ_ENABLED, 0, 0 },
		{ "ntp disable", KNTP_REQ_ENABLED, 0, 0 },
	};
	struct line *l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		l = parse(cases[i].line);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
		   l->cmd->run == kntp_run_instance &&
		   l->req.set == cases[i].set &&
		   l->req.enabled == cases[i].enabled &&
		   l->req.master == cases[i].master && l->req.family == 0,
		   "\"%s\": INSTANCE_SET, set %#x, enabled %d, master %d (got %d: set %#x, %d, %d)",
		   cases[i].line, cases[i].set, cases[i].enabled,
		   cases[i].master, l->ret, l->req.set, l->req.enabled,
		   l->req.master);
	}
	ok(KNTP_MASTER_DEFAULT == 8, "the default master stratum is 8");

	l = parse("show counters");
	ok(!l->ret && l->cmd->run == kntp_run_show_counters &&
	   l->cmd->nl_cmd == KNTP_CMD_STATUS_GET && l->req.family == 0 &&
	   !l->req.addr_arg, "\"show counters\": the instance's, from the status");
	l = parse("show ntp counters 192.0.2.1");
	ok(!l->ret && l->cmd->run == kntp_run_show_counters &&
	   is_v4(&l->req, "192.0.2.1") && l->req.kind == 0 && l->req.set == 0,
	   "\"show ntp counters 192.0.2.1\": one association's");
	l = parse("show counters 2001:db8::1");
	ok(!l->ret && is_v6(&l->req, "2001:db8::1"),
	   "\"show counters 2001:db8::1\": IPv6");

	fails("master x", KNTP_PERR_NOT_INT, 1, "x");
	fails("master 3.5", KNTP_PERR_NOT_INT, 1, "3.5");
	fails("master 300", KNTP_PERR_RANGE, 1, "300");
	fails("master 256", KNTP_PERR_RANGE, 1, "256");
	fails("master -1", KNTP_PERR_RANGE, 1, "-1");
	fails("master 3 4", KNTP_PERR_TRAILING, 2, "4");
	fails("ntp master 3 prefer", KNTP_PERR_TRAILING, 3, "prefer");
	fails("no master 3", KNTP_PERR_TRAILING, 2, "3");
	fails("enable now", KNTP_PERR_TRAILING, 1, "now");
	fails("disable 1", KNTP_PERR_TRAILING, 1, "1");
	fails("show counters 192.0.2.1 rx", KNTP_PERR_TRAILING, 3, "rx");
	fails("show counters 192.0.2.x", KNTP_PERR_ADDR, 2, "192.0.2.x");
	fails("show counters ntp.example", KNTP_PERR_HOSTNAME, 2, "ntp.example");
	l = parse("master 300");
	ok(!!strstr(l->err.msg, "0..255"), "the range is the u8's (%s)",
	   l->err.msg);
	l = parse("no");
	ok(l->ret && strstr(l->err.msg, "server, peer, master"),
	   "\"no\" lists master (%s)", l->err.msg);
}

/* The message a parsed instance command becomes, family id 0x42. */
static struct nl_msg *build_instance(const char *s)
{
	struct line *l = parse(s);
	struct nl_msg *msg;

	if (l->ret)
		return NULL;
	msg = kntp_nl_msg(0x42, l->cmd->nl_cmd, 0);
	if (msg && kntp_attr_put_instance(msg, &l->req)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * The one top-level attribute of msg if it has type top; its nested
 * attributes into tb (size KNTP_A_ASSOC_MAX + 1).
 */
static struct nlattr *top_nest(struct nl_msg *msg, int top, struct nlattr **tb)
{
	int ntop;
	struct nlattr *nest = assoc_nest(msg, tb, &ntop);

	if (!nest || ntop != 1 || nla_type(nest) != top ||
	    !(nest->nla_type & NLA_F_NESTED))
		return NULL;
	return nest;
}

static void test_instance_encode(void)
{
	static const struct {
		const char *line;
		int type;	/* the one attribute sent */
		int value;
	} cases[] = {
		{ "master", KNTP_A_INSTANCE_MASTER, 8 },
		{ "master 3", KNTP_A_INSTANCE_MASTER, 3 },
		{ "master 255", KNTP_A_INSTANCE_MASTER, 255 },
		{ "no master", KNTP_A_INSTANCE_MASTER, 0 },
		{ "enable", KNTP_A_INSTANCE_ENABLED, 1 },
		{ "disable", KNTP_A_INSTANCE_ENABLED, 0 },
	};
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	const struct kntp_attrset *set;
	struct kntp_ack ack;
	unsigned char buf[1024];
	struct nl_msg *msg;
	char line[512];
	const char *name;
	uint32_t offs;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		msg = build_instance(cases[i].line);
		ok(msg && top_nest(msg, KNTP_A_INSTANCE, tb) && count(tb) == 1 &&
		   tb[cases[i].type] && nla_len(tb[cases[i].type]) == 1 &&
		   nla_get_u8(tb[cases[i].type]) == cases[i].value &&
		   genlmsg_hdr(nlmsg_hdr(msg))->cmd == KNTP_CMD_INSTANCE_SET,
		   "\"%s\" sends INSTANCE{%s %d} only", cases[i].line,
		   kntp_attr_name(&kntp_instance_set, cases[i].type),
		   cases[i].value);
		if (msg)
			nlmsg_free(msg);
	}

	/* show counters ADDR: the association's doit, the address alone. */
	msg = build("show counters 192.0.2.1");
	ok(msg && top_nest(msg, KNTP_A_ASSOC, tb) && count(tb) == 1 &&
	   tb[KNTP_A_ASSOC_ADDR4] && nla_len(tb[KNTP_A_ASSOC_ADDR4]) == 4,
	   "show counters 192.0.2.1 sends ASSOC{ADDR4} only");
	if (msg)
		nlmsg_free(msg);

	/* The kernel refuses a stratum: the error names the attribute. */
	msg = build_instance("master 20");
	if (!msg || !top_nest(msg, KNTP_A_INSTANCE, tb) ||
	    !tb[KNTP_A_INSTANCE_MASTER]) {
		ok(0, "build the request for the master error tests");
		return;
	}
	offs = (unsigned char *)tb[KNTP_A_INSTANCE_MASTER] -
	       (unsigned char *)nlmsg_hdr(msg);
	name = kntp_attr_name_at(nlmsg_hdr(msg), offs, &set);
	ok(name && !strcmp(name, "master") && !set,
	   "offset of MASTER names master");
	name = kntp_attr_name_at(nlmsg_hdr(msg),
				 offset_of(msg, KNTP_A_ASSOC), &set);
	ok(name && !strcmp(name, "instance") && set == &kntp_instance_set,
	   "offset of the instance nest names it and gives its set");

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), ERANGE, 1,
		   "kntp: master stratum out of range (1..15, 0 = off)",
		   NLMSGERR_ATTR_OFFS, offs, 1);
	kntp_nl_parse_ack((void *)buf, &ack);
	kntp_format_error(line, sizeof(line), "master", &ack, nlmsg_hdr(msg));
	ok(starts(line, "kntp: master: ") &&
	   strstr(line, ": master stratum out of range (1..15, 0 = off) (attribute master)"),
	   "kernel's range error quoted (%s)", line);

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), EADDRINUSE, 1, NULL, 0,
		   0, 0);
	kntp_nl_parse_ack((void *)buf, &ack);
	kntp_format_error(line, sizeof(line), "enable", &ack, nlmsg_hdr(msg));
	ok(strstr(line, strerror(EADDRINUSE)) && strstr(line, "port 123"),
	   "EADDRINUSE without a message gets a hint (%s)", line);

	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), EADDRINUSE, 1,
		   "port 123 is in use", 0, 0, 1);
	kntp_nl_parse_ack((void *)buf, &ack);
	kntp_format_error(line, sizeof(line), "enable", &ack, nlmsg_hdr(msg));
	ok(strstr(line, ": port 123 is in use") && !strstr(line, "daemon"),
	   "the kernel's message replaces the hint (%s)", line);
	nlmsg_free(msg);
}

static int put_u64(unsigned char *p, int type, uint64_t v)
{
	return put(p, type, 8, &v);
}

/*
 * Each family's "# TYPE" once, before its samples; every sample named by
 * the family before it (a counter's with _total); "# EOF" last. Returns
 * the number of samples, or -1 (with the line in bad).
 */
static int metrics_check(const char *text, char *bad, size_t len)
{
	char fam[128] = "", type[16] = "", seen[4096] = " ", line[512];
	const char *p = text, *nl;
	int samples = 0, eof = 0;

	bad[0] = '\0';
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl || eof || (size_t)(nl - p) >= sizeof(line))
			goto fail;
		memcpy(line, p, nl - p);
		line[nl - p] = '\0';
		if (!strcmp(line, "# EOF")) {
			eof = 1;
		} else if (!strncmp(line, "# TYPE ", 7)) {
			char key[140];

			if (sscanf(line + 7, "%127s %15s", fam, type) != 2 ||
			    (strcmp(type, "gauge") && strcmp(type, "counter")))
				goto fail;
			snprintf(key, sizeof(key), " %s ", fam);
			if (strstr(seen, key) ||
			    strlen(seen) + strlen(key) >= sizeof(seen))
				goto fail;
			strcat(seen, key + 1);
		} else if (!strncmp(line, "# UNIT ", 7) ||
			   !strncmp(line, "# HELP ", 7)) {
			size_t k = strlen(fam);

			if (!fam[0] || strncmp(line + 7, fam, k) ||
			    line[7 + k] != ' ')
				goto fail;
			if (line[2] == 'U' &&
			    (strlen(fam) < strlen(line + 8 + k) ||
			     strcmp(fam + strlen(fam) - strlen(line + 8 + k),
				    line + 8 + k)))
				goto fail;	/* the name ends in its unit */
		} else {
			size_t k = strlen(fam);
			const char *rest = line + k;

			if (!fam[0] || strncmp(line, fam, k))
				goto fail;
			if (!strcmp(type, "counter")) {
				if (strncmp(rest, "_total", 6))
					goto fail;
				rest += 6;
			}
			if (*rest == '{')
				rest = strchr(rest, '}') ? strchr(rest, '}') + 1
							 : "";
			if (*rest != ' ' || !rest[1])
				goto fail;
			samples++;
		}
	}
	if (eof)
		return samples;
	snprintf(bad, len, "no # EOF at the end");
	return -1;
fail:
	snprintf(bad, len, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
	return -1;
}

/*
 * "show metrics": a status and one association, as the kernel sends them.
 * Every figure reasoned from the attributes: ns as seconds to the ns,
 * ppb as ppm, poll as 2^poll s, tally a gauge per state, counters _total.
 */
static void test_metrics(void)
{
	unsigned char sbuf[512], abuf[512], snest[128], anest[128];
	uint32_t id = 9, peer = 9;
	int64_t off = -1234567, freq = -12345, aoff = 1500;
	uint64_t jit = 250000, delay = 2000000, steps = 1;
	struct kntp_reply status, assoc;
	const struct kntp_rec *astats;
	char *text = NULL, bad[512];
	int n = 0, m = 0, k = 0, a = 0, samples, i, good;
	size_t size = 0;
	FILE *mem;
	static const char *const want[] = {
		"kntp_synchronized{netns=\"r\\\"1\\\\\"} 1\n",
		"kntp_stratum{netns=\"r\\\"1\\\\\"} 2\n",
		"kntp_offset_seconds{netns=\"r\\\"1\\\\\"} -0.001234567\n",
		"kntp_jitter_seconds{netns=\"r\\\"1\\\\\"} 0.000250000\n",
		"kntp_frequency_ppm{netns=\"r\\\"1\\\\\"} -12.345\n",
		"kntp_poll_seconds{netns=\"r\\\"1\\\\\"} 0.250000000\n",
		"kntp_clock_steps_total{netns=\"r\\\"1\\\\\"} 1\n",
		"kntp_rx_total{netns=\"r\\\"1\\\\\"} 5\n",
		"kntp_drop_short_total{netns=\"r\\\"1\\\\\"} 2\n",
		"# UNIT kntp_offset_seconds seconds\n",
		"kntp_association_offset_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 0.000001500\n",
		"kntp_association_delay_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 0.002000000\n",
		"kntp_association_poll_seconds{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 64\n",
		"kntp_association_reach{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 255\n",
		"kntp_association_tally{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\",state=\"sys_peer\"} 1\n",
		"kntp_association_tally{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\",state=\"reject\"} 0\n",
		"kntp_association_rx_total{netns=\"r\\\"1\\\\\",address=\"192.0.2.1\",kind=\"server\"} 3\n",
	};

	m += put_u64(snest + m, KNTP_STAT_RX, 5);
	m += put_u64(snest + m, KNTP_STAT_DROP_SHORT, 2);
	n += put(sbuf + n, KNTP_A_STATUS_LEAP, 1, "\x00");
	n += put(sbuf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(sbuf + n, KNTP_A_STATUS_OFFSET, 8, &off);
	n += put(sbuf + n, KNTP_A_STATUS_JITTER, 8, &jit);
	n += put(sbuf + n, KNTP_A_STATUS_FREQ, 8, &freq);
	n += put(sbuf + n, KNTP_A_STATUS_POLL, 1, "\xfe");
	n += put(sbuf + n, KNTP_A_STATUS_STEPS, 4, &steps);
	n += put(sbuf + n, KNTP_A_STATUS_SYS_PEER, 4, &peer);
	n += put(sbuf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, snest);
	kntp_reply_decode(&kntp_status_set, sbuf, n, &status);

	k += put_u64(anest + k, KNTP_STAT_RX, 3);
	a += put(abuf + a, KNTP_A_ASSOC_ID, 4, &id);
	a += put(abuf + a, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	a += put(abuf + a, KNTP_A_ASSOC_KIND, 1, "\x01");
	a += put(abuf + a, KNTP_A_ASSOC_OFFSET, 8, &aoff);
	a += put(abuf + a, KNTP_A_ASSOC_DELAY, 8, &delay);
	a += put(abuf + a, KNTP_A_ASSOC_POLL, 1, "\x06");
	a += put(abuf + a, KNTP_A_ASSOC_REACH, 1, "\xff");
	a += put(abuf + a, KNTP_A_ASSOC_TALLY, 1, "\x06");
	a += put(abuf + a, KNTP_A_ASSOC_STATS | NLA_F_NESTED, k, anest);
	kntp_reply_decode(&kntp_assoc_set, abuf, a, &assoc);
	astats = kntp_reply_nest(&assoc, &kntp_assoc_set, KNTP_A_ASSOC_STATS);

	mem = open_memstream(&text, &size);
	kntp_show_metrics(mem, "r\"1\\", &status, &assoc.rec, astats, 1);
	fclose(mem);
	for (i = 0, good = 0; text && i < (int)ARRAY_SIZE(want); i++)
		good += !!strstr(text, want[i]);
	ok(good == (int)ARRAY_SIZE(want),
	   "metrics: %d of %d figures as reasoned (seconds to the ns, ppm, 2^poll, tally, _total, escaped labels)",
	   good, (int)ARRAY_SIZE(want));
	diag(good == (int)ARRAY_SIZE(want), text, size);
	samples = text ? metrics_check(text, bad, sizeof(bad)) : -1;
	ok(samples > 0, "metrics: well formed (%d samples; bad line: \"%s\")",
	   samples, bad);
	ok(text && !strstr(text, "kntp_root_delay_seconds") &&
	   !strstr(text, "kntp_association_jitter"),
	   "metrics: what the kernel did not report is left out");
	free(text);

	/* Unnamed namespace, leap 3: no labels on the instance's figures. */
	sbuf[4] = 3;	/* the LEAP attribute's value, first in sbuf */
	kntp_reply_decode(&kntp_status_set, sbuf, n, &status);
	text = NULL;
	mem = open_memstream(&text, &size);
	kntp_show_metrics(mem, "", &status, NULL, NULL, 0);
	fclose(mem);
	ok(text && strstr(text, "\nkntp_synchronized 0\n") &&
	   strstr(text, "\nkntp_leap 3\n") &&
	   !strstr(text, "kntp_association") &&
	   metrics_check(text, bad, sizeof(bad)) > 0,
	   "metrics: unsynchronised, no namespace, no associations (bad line: \"%s\")",
	   bad);
	free(text);
}

/* "show counters": the nest decoded, then printed in enum order. */
static void test_stats(void)
{
	unsigned char buf[512], nest[256];
	uint32_t id = 7, four = 4;
	uint16_t port = 123;
	int64_t off = -1234567;
	const struct kntp_rec *stats;
	struct kntp_reply reply;
	struct kntp_rec flat;
	char *text = NULL;
	size_t size = 0;
	int n = 0, m = 0, same;
	FILE *mem;

	/* As the kernel builds it: padding (type 0), any order. */
	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_DROP_SHORT, 2);
	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_RX, 0x100000005ULL);
	m += put_u64(nest + m, KNTP_STAT_REPLY_SERVER, 0);
	m += put_u64(nest + m, KNTP_STAT_SAMPLES, 18446744073709551615ULL);
	m += put(nest + m, KNTP_STAT_TX, 4, &four);	/* wrong length */
	m += put_u64(nest + m, KNTP_STAT_MAX + 1, 9);	/* unknown */

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_PAD, 0, "");
	n += put(buf + n, KNTP_A_ASSOC_OFFSET, 8, &off);
	n += put(buf + n, KNTP_A_ASSOC_LOCAL_PORT, 2, &port);
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	n += put(buf + n, KNTP_A_ASSOC_MAX + 1, 4, &id);	/* unknown */

	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_assoc_set, KNTP_A_ASSOC_STATS);
	ok(kntp_rec_has(&reply.rec, KNTP_A_ASSOC_ID) &&
	   reply.rec.v[KNTP_A_ASSOC_ID].u == 7 &&
	   reply.rec.v[KNTP_A_ASSOC_OFFSET].s == -1234567 &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_LOCAL_PORT) &&
	   reply.rec.v[KNTP_A_ASSOC_LOCAL_PORT].u == 123 &&
	   !kntp_rec_has(&reply.rec, KNTP_A_ASSOC_PAD) &&
	   !kntp_rec_has(&reply.rec, KNTP_A_ASSOC_MAX + 1),
	   "association with a stats nest: s64, u16; padding and unknown absent");
	ok(stats && kntp_rec_has(stats, KNTP_STAT_RX) &&
	   stats->v[KNTP_STAT_RX].u == 0x100000005ULL &&
	   stats->v[KNTP_STAT_DROP_SHORT].u == 2 &&
	   kntp_rec_has(stats, KNTP_STAT_REPLY_SERVER) &&
	   stats->v[KNTP_STAT_SAMPLES].u == 18446744073709551615ULL &&
	   !kntp_rec_has(stats, KNTP_STAT_TX) &&
	   !kntp_rec_has(stats, KNTP_STAT_MAX + 1) &&
	   !kntp_rec_has(stats, KNTP_STAT_KOD_DENY) && !kntp_rec_has(stats, 0),
	   "stats nest: u64 values; wrong length, unknown, absent, padding absent");

	kntp_rec_decode(&kntp_assoc_set, buf, n, &flat);
	ok(kntp_rec_has(&flat, KNTP_A_ASSOC_STATS) &&
	   flat.v[KNTP_A_ASSOC_ID].u == 7,
	   "a flat decode marks the nest present");

	mem = open_memstream(&text, &size);
	kntp_show_counters(mem, stats);
	fclose(mem);
	same = text && !strcmp(text,
		       "rx                   4294967301\n"
		       "drop_short           2\n"
		       "reply_server         0\n"
		       "samples              18446744073709551615\n");
	ok(same, "counters: \"%%-20s %%llu\", enum order, every one reported");
	diag(same, text, size);
	free(text);

	/* The status's nest, through the status set. */
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS);
	ok(stats && stats->v[KNTP_STAT_DROP_SHORT].u == 2 &&
	   reply.rec.v[KNTP_A_STATUS_STRATUM].u == 16,
	   "the status's stats nest decodes too");
	ok(!kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STRATUM) &&
	   !kntp_reply_nest(&reply, &kntp_assoc_set, KNTP_A_ASSOC_STATS),
	   "no nest for a value attribute or an attribute not sent");

	/* A reply without the nest, then a truncated nest. */
	n = put(buf, KNTP_A_STATUS_STRATUM, 1, "\x03");
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	ok(!kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS),
	   "without STATS there are no counters");
	n = put(buf, KNTP_A_STATUS_STATS, 6, nest + 4 + 4);
	kntp_reply_decode(&kntp_status_set, buf, n, &reply);
	stats = kntp_reply_nest(&reply, &kntp_status_set, KNTP_A_STATUS_STATS);
	ok(stats && !stats->present, "a truncated nest decodes to nothing");
}

static void fmt_is(void (*fmt)(char *, size_t, int64_t, int), int64_t ns,
		   int decimals, const char *want)
{
	char buf[64];

	fmt(buf, sizeof(buf), ns, decimals);
	ok(!strcmp(buf, want), "%lld ns with %d decimals is %s ms (got %s)",
	   (long long)ns, decimals, want, buf);
}

static void test_fmt_measurements(void)
{
	char buf[64];

	fmt_is(kntp_fmt_ms, 123456, 3, "0.123");
	fmt_is(kntp_fmt_ms, -1234000, 3, "-1.234");
	fmt_is(kntp_fmt_ms, -1234499, 3, "-1.234");
	fmt_is(kntp_fmt_ms, -1234500, 3, "-1.235");	/* half away from 0 */
	fmt_is(kntp_fmt_ms, 1234500, 3, "1.235");
	fmt_is(kntp_fmt_ms, 999500, 3, "1.000");
	fmt_is(kntp_fmt_ms, -499, 3, "0.000");
	fmt_is(kntp_fmt_ms, -500, 3, "-0.001");
	fmt_is(kntp_fmt_ms, 999, 6, "0.000999");
	fmt_is(kntp_fmt_ms, INT64_MIN, 3, "-9223372036854.776");
	fmt_is(kntp_fmt_ms, INT64_MAX, 3, "9223372036854.776");
	kntp_fmt_ums(buf, sizeof(buf), UINT64_MAX, 3);
	ok(!strcmp(buf, "18446744073709.552"),
	   "u64 max ns does not wrap (%s)", buf);
	kntp_fmt_ums(buf, sizeof(buf), 16000000000ULL, 3);
	ok(!strcmp(buf, "16000.000"), "MAXDISP 16 s is 16000.000 ms (%s)",
	   buf);

	kntp_fmt_age(buf, sizeof(buf), 0);
	ok(!strcmp(buf, "0"), "age 0 ms is 0 s (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 1999);
	ok(!strcmp(buf, "1"), "age 1999 ms is 1 s, truncated (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 64000);
	ok(!strcmp(buf, "64"), "age 64000 ms is 64 s (%s)", buf);
	kntp_fmt_age(buf, sizeof(buf), 4294967295U);
	ok(!strcmp(buf, "4294967"), "age u32 max (%s)", buf);

	kntp_fmt_time(buf, sizeof(buf), 0);
	ok(!strcmp(buf, "1970-01-01T00:00:00.000000000Z"), "epoch (%s)", buf);
	kntp_fmt_time(buf, sizeof(buf), 1714566896123456789LL);
	ok(!strcmp(buf, "2024-05-01T12:34:56.123456789Z"),
	   "a reference time in UTC with ns (%s)", buf);
	kntp_fmt_time(buf, sizeof(buf), -1);
	ok(!strcmp(buf, "1969-12-31T23:59:59.999999999Z"),
	   "before the epoch rounds down (%s)", buf);
}

/* "show associations" with measurements: the values under their headings. */
static void test_show_measurements(void)
{
	static const char *const heads[] = {
		"when", "poll", "reach", "delay", "offset", "disp",
	};
	struct kntp_rec recs[2];
	char *text = NULL, *l1, *l2, *l3, h[32], f[64];
	static const char *const want2[] = {
		"1", "64", "377", "0.123", "-1.235", "1.250",
	};
	static const char *const want3[] = {
		"-", "64", "0", "-", "-", "16000.000",
	};
	size_t size = 0, i;
	int ok2 = 1, ok3 = 1;
	FILE *mem;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < 2; i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REFID) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_POLL) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_REACH) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_DISP) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STATE);
		memcpy(recs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
		recs[i].v[KNTP_A_ASSOC_POLL].s = 6;
	}
	recs[0].present |= KNTP_REC_BIT(KNTP_A_ASSOC_RX_AGE) |
			   KNTP_REC_BIT(KNTP_A_ASSOC_DELAY) |
			   KNTP_REC_BIT(KNTP_A_ASSOC_OFFSET);
	recs[0].v[KNTP_A_ASSOC_STRATUM].u = 2;
	memcpy(recs[0].v[KNTP_A_ASSOC_REFID].b, "\x0a\x00\x00\x01", 4);
	recs[0].v[KNTP_A_ASSOC_REACH].u = 0377;
	recs[0].v[KNTP_A_ASSOC_RX_AGE].u = 1999;
	recs[0].v[KNTP_A_ASSOC_DELAY].s = 123456;
	recs[0].v[KNTP_A_ASSOC_OFFSET].s = -1234500;
	recs[0].v[KNTP_A_ASSOC_DISP].u = 1250000;
	recs[1].v[KNTP_A_ASSOC_STRATUM].u = 16;
	memcpy(recs[1].v[KNTP_A_ASSOC_REFID].b, "DENY", 4);
	recs[1].v[KNTP_A_ASSOC_DISP].u = 16000000000ULL;
	recs[1].v[KNTP_A_ASSOC_STATE].u = KNTP_ASSOC_S_DENIED;

	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, 2);
	fclose(mem);
	l1 = text;
	l2 = strchr(l1, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		int hc = field_col(l1, 4 + i, h, sizeof(h));
		int vc = field_col(l2, 3 + i, f, sizeof(f));

		if (strcmp(h, heads[i]) || strcmp(f, want2[i]) ||
		    hc + strlen(h) != vc + strlen(f))
			ok2 = 0;
		vc = field_col(l3, 3 + i, f, sizeof(f));
		if (strcmp(f, want3[i]) || hc + strlen(h) != vc + strlen(f))
			ok3 = 0;
	}
	ok2 = ok2 && field_col(l2, 1, f, sizeof(f)) >= 0 &&
	      !strcmp(f, "10.0.0.1") && field_col(l2, 9, f, sizeof(f)) < 0;
	ok(ok2, "measured: when 1, delay 0.123, offset -1.235, disp 1.250, aligned");
	ok(ok3, "no sample: when, delay, offset are -, disp 16000.000");
	diag(ok2 && ok3, text, size);
	field_col(l3, 1, f, sizeof(f));
	ok(!strcmp(f, ".DENY.") && field_col(l3, 9, f, sizeof(f)) >= 0 &&
	   !strcmp(f, "denied") && field_col(l3, 10, f, sizeof(f)) < 0,
	   "a denied association: .DENY. and \"denied\" after the row");
	free(text);

	recs[1].v[KNTP_A_ASSOC_STATE].u = KNTP_ASSOC_S_RATE;
	text = NULL;
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs + 1, 1);
	fclose(mem);
	l2 = strchr(text, '\n') + 1;
	ok(field_col(l2, 9, f, sizeof(f)) >= 0 && !strcmp(f, "rate") &&
	   !strstr(text, "denied"), "a rate-limited association: \"rate\"");
	free(text);
}

static char *status_text(const struct kntp_rec *st)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_status(mem, st, NULL, 0);
	fclose(mem);
	return text;
}

/* ok() with the status text as diagnostics when it fails. */
static void status_ok(int cond, const char *text, const char *what)
{
	ok(cond, "%s", what);
	diag(cond, text, strlen(text));
}

static void test_status_lines(void)
{
	struct kntp_rec st;
	char *text;

	memset(&st, 0, sizeof(st));
	st.present = KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
		     KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
		     KNTP_REC_BIT(KNTP_A_STATUS_REFID) |
		     KNTP_REC_BIT(KNTP_A_STATUS_PRECISION) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DELAY) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ROOT_DISP) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ASSOC_COUNT) |
		     KNTP_REC_BIT(KNTP_A_STATUS_ENABLED) |
		     KNTP_REC_BIT(KNTP_A_STATUS_MASTER) |
		     KNTP_REC_BIT(KNTP_A_STATUS_REFTIME);
	st.v[KNTP_A_STATUS_LEAP].u = 0;
	st.v[KNTP_A_STATUS_STRATUM].u = 8;
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "LOCL", 4);
	st.v[KNTP_A_STATUS_PRECISION].s = -20;
	st.v[KNTP_A_STATUS_ROOT_DISP].u = 10000000;
	st.v[KNTP_A_STATUS_ENABLED].u = 1;
	st.v[KNTP_A_STATUS_MASTER].u = 8;
	st.v[KNTP_A_STATUS_REFTIME].s = 1714566896123456789LL;
	text = status_text(&st);
	status_ok(!strcmp(text,
			  "Clock is synchronized, stratum 8, reference is .LOCL.\n"
			  "kntp is enabled\n"
			  "serving our own clock at stratum 8 (ntp master)\n"
			  "system peer is none\n"
			  "precision is 2**-20\n"
			  "reference time is 2024-05-01T12:34:56.123456789Z\n"
			  "root delay is 0.00 msec, root dispersion is 10.00 msec\n"
			  "associations: 0\n"),
		  text, "master status, every line");
	free(text);

	st.v[KNTP_A_STATUS_MASTER].u = 0;
	st.v[KNTP_A_STATUS_ENABLED].u = 0;
	st.present &= ~KNTP_REC_BIT(KNTP_A_STATUS_REFTIME);
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "\xc0\x00\x02\x01", 4);
	text = status_text(&st);
	status_ok(starts(text, "Clock is synchronized, stratum 8, reference is 192.0.2.1\n") &&
		  strstr(text, "\nkntp is disabled\n") &&
		  !strstr(text, "master") && !strstr(text, "reference time"),
		  text, "not master: an address at stratum 8; disabled; no reftime");
	free(text);

	st.v[KNTP_A_STATUS_STRATUM].u = 16;
	st.v[KNTP_A_STATUS_LEAP].u = 3;
	memcpy(st.v[KNTP_A_STATUS_REFID].b, "INIT", 4);
	st.present &= ~(KNTP_REC_BIT(KNTP_A_STATUS_ENABLED) |
			KNTP_REC_BIT(KNTP_A_STATUS_MASTER));
	text = status_text(&st);
	status_ok(starts(text, "Clock is unsynchronized, stratum 16, no reference clock\n"
			 "system peer is none\n"
			 "precision is 2**-20\n"),
		  text, "unsynchronized first; without ENABLED and MASTER no such lines");
	free(text);

	st.v[KNTP_A_STATUS_STRATUM].u = 8;
	st.v[KNTP_A_STATUS_LEAP].u = 3;
	st.present |= KNTP_REC_BIT(KNTP_A_STATUS_MASTER);
	st.v[KNTP_A_STATUS_MASTER].u = 8;
	text = status_text(&st);
	status_ok(starts(text, "Clock is unsynchronized, stratum 8, no reference clock\n") &&
		  strstr(text, "\nserving our own clock at stratum 8 (ntp master)\n"),
		  text, "master set but leap 3: unsynchronized first line");
	free(text);
}

/* The clock commands: the one setting each sends, converted exactly. */
static void test_clock_commands(void)
{
	static const struct {
		const char *line;
		unsigned int set;
		uint8_t clock;
		uint64_t step, panic, stepout;
		int64_t offset, freq;
	} cases[] = {
		{ "clock system", KNTP_REQ_CLOCK, .clock = KNTP_CLOCK_SYSTEM },
		{ "ntp clock system", KNTP_REQ_CLOCK,
		  .clock = KNTP_CLOCK_SYSTEM },
		{ "clock virtual", KNTP_REQ_CLOCK, .clock = KNTP_CLOCK_VIRTUAL },
		{ "ntp clock virtual", KNTP_REQ_CLOCK,
		  .clock = KNTP_CLOCK_VIRTUAL },
		{ "clock step-threshold 0.5", KNTP_REQ_STEP_THRESHOLD,
		  .step = 500000 },
		{ "ntp clock step-threshold 128", KNTP_REQ_STEP_THRESHOLD,
		  .step = 128000000 },
		{ "clock step-threshold 0", KNTP_REQ_STEP_THRESHOLD, .step = 0 },
		{ "clock step-threshold -0", KNTP_REQ_STEP_THRESHOLD, .step = 0 },
		{ "clock step-threshold .25", KNTP_REQ_STEP_THRESHOLD,
		  .step = 250000 },
		{ "clock step-threshold 0.000001", KNTP_REQ_STEP_THRESHOLD,
		  .step = 1 },
		/* half a ns rounds away from zero */
		{ "clock step-threshold 0.0000005", KNTP_REQ_STEP_THRESHOLD,
		  .step = 1 },
		{ "clock step-threshold 0.00000049999", KNTP_REQ_STEP_THRESHOLD,
		  .step = 0 },
		{ "clock step-threshold 18446744073709.551615",
		  KNTP_REQ_STEP_THRESHOLD, .step = UINT64_MAX },
		/* not 0.1 in binary: no float */
		{ "clock step-threshold 0.1", KNTP_REQ_STEP_THRESHOLD,
		  .step = 100000 },
		{ "clock panic-threshold 1000", KNTP_REQ_PANIC_THRESHOLD,
		  .panic = 1000000000000ULL },
		{ "clock panic-threshold 0", KNTP_REQ_PANIC_THRESHOLD,
		  .panic = 0 },
		{ "clock panic-threshold 0.3", KNTP_REQ_PANIC_THRESHOLD,
		  .panic = 300000000 },
		{ "clock stepout 900", KNTP_REQ_STEPOUT,
		  .stepout = 900000000000ULL },
		{ "clock stepout 0.000000001", KNTP_REQ_STEPOUT, .stepout = 1 },
		{ "clock stepout +2.5", KNTP_REQ_STEPOUT,
		  .stepout = 2500000000ULL },
		{ "clock inject offset 300 frequency -100",
		  KNTP_REQ_INJECT_OFFSET | KNTP_REQ_INJECT_FREQ,
		  .offset = 300000000, .freq = -100000 },
		{ "ntp clock inject frequency 30 offset 50",
		  KNTP_REQ_INJECT_OFFSET | KNTP_REQ_INJECT_FREQ,
		  .offset = 50000000, .freq = 30000 },
		{ "clock inject offset -40", KNTP_REQ_INJECT_OFFSET,
		  .offset = -40000000 },
		{ "clock inject frequency -0.001", KNTP_REQ_INJECT_FREQ,
		  .freq = -1 },
		{ "clock inject frequency 1.0005", KNTP_REQ_INJECT_FREQ,
		  .freq = 1001 },
		{ "clock inject frequency -1.0005", KNTP_REQ_INJECT_FREQ,
		  .freq = -1001 },
		{ "clock inject offset -0.0000005", KNTP_REQ_INJECT_OFFSET,
		  .offset = -1 },
		{ "clock inject offset 9223372036854.775807",
		  KNTP_REQ_INJECT_OFFSET, .offset = INT64_MAX },
		{ "clock inject offset -9223372036854.775808",
		  KNTP_REQ_INJECT_OFFSET, .offset = INT64_MIN },
	};
	struct line *l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		l = parse(cases[i].line);
		ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
		   l->cmd->run == kntp_run_instance &&
		   l->req.set == cases[i].set &&
		   l->req.clock == cases[i].clock &&
		   l->req.step_ns == cases[i].step &&
		   l->req.panic_ns == cases[i].panic &&
		   l->req.stepout_ns == cases[i].stepout &&
		   l->req.inject_offset_ns == cases[i].offset &&
		   l->req.inject_freq_ppb == cases[i].freq &&
		   l->req.family == 0,
		   "\"%s\": set %#x clock %u step %llu panic %llu stepout %llu offset %lld freq %lld (got %d: %#x %u %llu %llu %llu %lld %lld)",
		   cases[i].line, cases[i].set, cases[i].clock,
		   (unsigned long long)cases[i].step,
		   (unsigned long long)cases[i].panic,
		   (unsigned long long)cases[i].stepout,
		   (long long)cases[i].offset, (long long)cases[i].freq,
		   l->ret, l->req.set, l->req.clock,
		   (unsigned long long)l->req.step_ns,
		   (unsigned long long)l->req.panic_ns,
		   (unsigned long long)l->req.stepout_ns,
		   (long long)l->req.inject_offset_ns,
		   (long long)l->req.inject_freq_ppb);
	}
	l = parse("clock stepout 900");
	ok(!l->ret && l->req.value_arg && !strcmp(l->req.value_arg, "900"),
	   "the number typed is kept for the error context");

	fails("clock step-threshold abc", KNTP_PERR_NOT_NUM, 2, "abc");
	l = parse("clock step-threshold abc");
	ok(!strcmp(l->err.msg, "step-threshold \"abc\": not a number"),
	   "not a number: the setting and the argument quoted (%s)",
	   l->err.msg);
	fails("clock step-threshold 1e3", KNTP_PERR_NOT_NUM, 2, "1e3");
	fails("clock step-threshold 5.", KNTP_PERR_NOT_NUM, 2, "5.");
	fails("clock step-threshold .", KNTP_PERR_NOT_NUM, 2, ".");
	fails("clock step-threshold -", KNTP_PERR_NOT_NUM, 2, "-");
	fails("clock step-threshold 1.2.3", KNTP_PERR_NOT_NUM, 2, "1.2.3");
	fails("clock step-threshold 0x10", KNTP_PERR_NOT_NUM, 2, "0x10");
	fails("clock step-threshold --1", KNTP_PERR_NOT_NUM, 2, "--1");
	fails("clock step-threshold inf", KNTP_PERR_NOT_NUM, 2, "inf");
	fails("clock step-threshold 5ms", KNTP_PERR_NOT_NUM, 2, "5ms");
	fails("clock step-threshold 1,5", KNTP_PERR_NOT_NUM, 2, "1,5");
	fails("clock step-threshold -1", KNTP_PERR_RANGE, 2, "-1");
	l = parse("clock step-threshold -1");
	ok(!!strstr(l->err.msg, "(0..18446744073709.551615)"),
	   "the range is the u64's, in msec (%s)", l->err.msg);
	fails("clock step-threshold 18446744073709.551616", KNTP_PERR_RANGE, 2,
	      "18446744073709.551616");
	fails("clock step-threshold 18446744073709.5516155", KNTP_PERR_RANGE,
	      2, "18446744073709.5516155");	/* rounds up past the max */
	fails("clock step-threshold 99999999999999999999", KNTP_PERR_RANGE, 2,
	      "99999999999999999999");
	fails("clock panic-threshold -0.5", KNTP_PERR_RANGE, 2, "-0.5");
	fails("clock panic-threshold 18446744074", KNTP_PERR_RANGE, 2,
	      "18446744074");
	fails("clock stepout x", KNTP_PERR_NOT_NUM, 2, "x");
	fails("clock stepout -5", KNTP_PERR_RANGE, 2, "-5");
	fails("clock inject offset 9223372036854.775808", KNTP_PERR_RANGE, 3,
	      "9223372036854.775808");
	l = parse("clock inject offset 9223372036854.775808");
	ok(!!strstr(l->err.msg,
		    "(-9223372036854.775808..9223372036854.775807)"),
	   "the range is the s64's, in msec (%s)", l->err.msg);
	fails("clock inject offset -9223372036854.775809", KNTP_PERR_RANGE, 3,
	      "-9223372036854.775809");
	fails("clock inject frequency x", KNTP_PERR_NOT_NUM, 3, "x");
	l = parse("clock inject frequency x");
	ok(!strcmp(l->err.msg, "frequency \"x\": not a number"),
	   "inject names the option (%s)", l->err.msg);
	fails("clock inject", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("clock inject offset", KNTP_PERR_NO_VALUE, 2, NULL);
	fails("clock inject offset 1 frequency", KNTP_PERR_NO_VALUE, 4, NULL);
	fails("clock inject offset 1 offset 2", KNTP_PERR_DUP, 4, "offset");
	fails("clock inject drift 3", KNTP_PERR_UNKNOWN_OPT, 2, "drift");
	l = parse("clock inject drift 3");
	ok(!!strstr(l->err.msg, "(expected offset, frequency)"),
	   "inject lists its options (%s)", l->err.msg);
	fails("clock step-threshold", KNTP_PERR_NO_VALUE, -1, NULL);
	l = parse("clock step-threshold");
	ok(!strcmp(l->err.msg, "missing value (MSEC)"),
	   "missing value: its unit (%s)", l->err.msg);
	fails("clock stepout", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("clock step-threshold 1 2", KNTP_PERR_TRAILING, 3, "2");
	fails("clock system now", KNTP_PERR_TRAILING, 2, "now");
	fails("clock virtual 1", KNTP_PERR_TRAILING, 2, "1");
	fails("clock wall", KNTP_PERR_COMMAND, 1, "wall");
	fails("clock", KNTP_PERR_COMMAND, -1, NULL);
	l = parse("clock");
	ok(l->ret && strstr(l->err.msg,
			    "system, virtual, step-threshold, panic-threshold, stepout, inject"),
	   "\"clock\" lists its words (%s)", l->err.msg);
}

/* kntp_parse_decimal() and its inverse, directly. */
static void test_decimal(void)
{
	static const struct {
		const char *text;
		int digits;
		uint64_t mag;
		int neg;
		const char *back;	/* kntp_fmt_decimal() of the result */
	} cases[] = {
		{ "0", 6, 0, 0, "0" },
		{ "-0", 6, 0, 1, "0" },
		{ "1", 0, 1, 0, "1" },
		{ "1.5", 0, 2, 0, "2" },	/* half away */
		{ "-1.5", 0, 2, 1, "-2" },
		{ "1.4999", 0, 1, 0, "1" },
		{ "0.5", 6, 500000, 0, "0.5" },
		{ "128", 6, 128000000, 0, "128" },
		{ "-100", 3, 100000, 1, "-100" },
		{ "007.010", 3, 7010, 0, "7.01" },
		{ "0.000000001", 9, 1, 0, "0.000000001" },
		{ "18446744073709551615", 0, UINT64_MAX, 0,
		  "18446744073709551615" },
		{ "18446744073709.551615", 6, UINT64_MAX, 0,
		  "18446744073709.551615" },
	};
	static const char *const sign[] = { "", "-" };
	char buf[48];
	uint64_t mag;
	size_t i;
	int neg;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = kntp_parse_decimal(cases[i].text, cases[i].digits,
					     &mag, &neg);

		kntp_fmt_decimal(buf, sizeof(buf), mag, neg, cases[i].digits);
		ok(!ret && mag == cases[i].mag && neg == cases[i].neg &&
		   !strcmp(buf, cases[i].back),
		   "\"%s\" with %d digits is %s%llu, prints %s (got %d %d %llu %s)",
		   cases[i].text, cases[i].digits, sign[cases[i].neg],
		   (unsigned long long)cases[i].mag, cases[i].back, ret, neg,
		   (unsigned long long)mag, buf);
	}
	ok(kntp_parse_decimal("18446744073709551616", 0, &mag, &neg) ==
	   -ERANGE && kntp_parse_decimal("18446744073709551615.5", 0, &mag,
					 &neg) == -ERANGE &&
	   kntp_parse_decimal("", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("+", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("1 ", 3, &mag, &neg) == -EINVAL &&
	   kntp_parse_decimal("99999999999999999999x", 3, &mag, &neg) ==
	   -EINVAL,
	   "overflow is -ERANGE, bad syntax -EINVAL (even when long)");
}

static void test_clock_encode(void)
{
	static const struct {
		const char *line;
		int type;	/* the one attribute sent */
		int len;
		int64_t value;
	} cases[] = {
		{ "clock system", KNTP_A_INSTANCE_CLOCK, 1, KNTP_CLOCK_SYSTEM },
		{ "clock virtual", KNTP_A_INSTANCE_CLOCK, 1, KNTP_CLOCK_VIRTUAL },
		{ "clock step-threshold 0.5", KNTP_A_INSTANCE_STEP_THRESHOLD, 8,
		  500000 },
		{ "clock step-threshold 0", KNTP_A_INSTANCE_STEP_THRESHOLD, 8,
		  0 },
		{ "clock panic-threshold 1000", KNTP_A_INSTANCE_PANIC_THRESHOLD,
		  8, 1000000000000LL },
		{ "clock stepout 900", KNTP_A_INSTANCE_STEPOUT, 8,
		  900000000000LL },
		{ "clock inject offset -40", KNTP_A_INSTANCE_INJECT_OFFSET, 8,
		  -40000000 },
		{ "clock inject frequency 30", KNTP_A_INSTANCE_INJECT_FREQ, 8,
		  30000 },
	};
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	struct kntp_ack ack;
	unsigned char buf[1024];
	struct nl_msg *msg;
	char line[512];
	const char *name;
	uint32_t offs;
	int64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		msg = build_instance(cases[i].line);
		v = -1;
		if (msg && top_nest(msg, KNTP_A_INSTANCE, tb) &&
		    tb[cases[i].type] && cases[i].len == 1)
			v = nla_get_u8(tb[cases[i].type]);
		else if (msg && tb[cases[i].type])
			v = nla_get_s64(tb[cases[i].type]);
		ok(msg && top_nest(msg, KNTP_A_INSTANCE, tb) && count(tb) == 1 &&
		   tb[cases[i].type] &&
		   nla_len(tb[cases[i].type]) == cases[i].len &&
		   v == cases[i].value &&
		   genlmsg_hdr(nlmsg_hdr(msg))->cmd == KNTP_CMD_INSTANCE_SET,
		   "\"%s\" sends INSTANCE{%s %lld} only (got %lld)",
		   cases[i].line,
		   kntp_attr_name(&kntp_instance_set, cases[i].type),
		   (long long)cases[i].value, (long long)v);
		if (msg)
			nlmsg_free(msg);
	}

	msg = build_instance("clock inject offset 300 frequency -100");
	if (!msg || !top_nest(msg, KNTP_A_INSTANCE, tb) ||
	    !tb[KNTP_A_INSTANCE_INJECT_OFFSET] ||
	    !tb[KNTP_A_INSTANCE_INJECT_FREQ]) {
		ok(0, "build the request for the inject tests");
		if (msg)
			nlmsg_free(msg);
		return;
	}
	ok(count(tb) == 2 &&
	   nla_get_s64(tb[KNTP_A_INSTANCE_INJECT_OFFSET]) == 300000000 &&
	   nla_get_s64(tb[KNTP_A_INSTANCE_INJECT_FREQ]) == -100000,
	   "inject offset 300 frequency -100: INJECT_OFFSET 300000000 ns, INJECT_FREQ -100000 ppb");

	/* The kernel refuses the frequency: the error names it. */
	offs = (unsigned char *)tb[KNTP_A_INSTANCE_INJECT_FREQ] -
	       (unsigned char *)nlmsg_hdr(msg);
	name = kntp_attr_name_at(nlmsg_hdr(msg), offs, NULL);
	ok(name && !strcmp(name, "inject_freq"),
	   "offset of INJECT_FREQ names inject_freq");
	memset(&ack, 0, sizeof(ack));
	make_error(buf, sizeof(buf), nlmsg_hdr(msg), ERANGE, 1,
		   "kntp: injected frequency error beyond 10 %",
		   NLMSGERR_ATTR_OFFS, offs, 1);
	kntp_nl_parse_ack((void *)buf, &ack);
	kntp_format_error(line, sizeof(line), "clock inject", &ack,
			  nlmsg_hdr(msg));
	ok(starts(line, "kntp: clock inject: ") &&
	   strstr(line, ": injected frequency error beyond 10 % (attribute inject_freq)"),
	   "kernel's refusal quoted with the attribute (%s)", line);
	nlmsg_free(msg);
}

/* The first character of "show associations" is the tally's. */
static void test_tally(void)
{
	static const struct {
		int present;
		uint64_t tally;
		char c;
	} cases[] = {
		{ 0, 0, ' ' },
		{ 1, KNTP_TALLY_REJECT, ' ' },
		{ 1, KNTP_TALLY_FALSETICKER, 'x' },
		{ 1, KNTP_TALLY_OUTLIER, '-' },
		{ 1, KNTP_TALLY_BACKUP, '#' },
		{ 1, KNTP_TALLY_CANDIDATE, '+' },
		{ 1, KNTP_TALLY_SYSPEER, '*' },
		{ 1, 0, ' ' },			/* not a tally */
		{ 1, KNTP_TALLY_SYSPEER + 1, ' ' },	/* a future one */
	};
	struct kntp_rec recs[ARRAY_SIZE(cases)];
	char *text = NULL, *row, f[64];
	size_t size = 0, i;
	int all = 1, cols = 1;
	FILE *mem;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		recs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
				  KNTP_REC_BIT(KNTP_A_ASSOC_STRATUM);
		if (cases[i].present)
			recs[i].present |= KNTP_REC_BIT(KNTP_A_ASSOC_TALLY);
		memcpy(recs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x01", 4);
		recs[i].v[KNTP_A_ASSOC_ADDR4].b[3] = 1 + i;
		recs[i].v[KNTP_A_ASSOC_STRATUM].u = 2;
		recs[i].v[KNTP_A_ASSOC_TALLY].u = cases[i].tally;
	}
	mem = open_memstream(&text, &size);
	kntp_show_assocs(mem, recs, ARRAY_SIZE(cases));
	fclose(mem);
	row = strchr(text, '\n') + 1;
	for (i = 0; i < ARRAY_SIZE(cases); i++, row = strchr(row, '\n') + 1) {
		char want[32];

		if (row[0] != cases[i].c || row[1] != '~')
			all = 0;
		/* As the shell tests read it: strip two, split at blanks. */
		snprintf(want, sizeof(want), "192.0.2.%zu", 1 + i);
		if (field_col(row + 2, 0, f, sizeof(f)) != 0 ||
		    strcmp(f, want) || field_col(row + 2, 2, f, sizeof(f)) < 0 ||
		    strcmp(f, "2"))
			cols = 0;
	}
	ok(all, "tally: absent ' ', reject ' ', x - # + *, unknown ' '");
	ok(cols, "after the tally and '~' the columns are unchanged");
	diag(all && cols, text, size);
	free(text);
}

/* A status nest as the kernel sends it, decoded: every new type. */
static int put_s64(unsigned char *p, int type, int64_t v)
{
	return put(p, type, 8, &v);
}

static void test_decode_clock(void)
{
	unsigned char buf[1024], u8v;
	char note[KNTP_CLOCK_NOTE_MAX + 40];
	int8_t poll = -3;
	uint32_t peer = 7, steps = 2;
	struct kntp_rec rec;
	const char *str;
	int n = 0;

	u8v = KNTP_CLOCK_VIRTUAL;
	n += put(buf + n, KNTP_A_STATUS_CLOCK, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_PAD, 0, "");
	n += put_s64(buf + n, KNTP_A_STATUS_CLOCK_ERROR, -300000000);
	n += put_s64(buf + n, KNTP_A_STATUS_OFFSET, -1500);
	n += put_u64(buf + n, KNTP_A_STATUS_JITTER, 45000);
	n += put_s64(buf + n, KNTP_A_STATUS_FREQ, -12345);
	n += put(buf + n, KNTP_A_STATUS_POLL, 1, &poll);
	n += put(buf + n, KNTP_A_STATUS_SYS_PEER, 4, &peer);
	u8v = KNTP_DISC_SPIKE;
	n += put(buf + n, KNTP_A_STATUS_DISC_STATE, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_STEPS, 4, &steps);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP, -1);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP_AMOUNT, INT64_MIN);
	n += put_u64(buf + n, KNTP_A_STATUS_STEP_THRESHOLD, UINT64_MAX);
	n += put_u64(buf + n, KNTP_A_STATUS_PANIC_THRESHOLD, 0);
	n += put_u64(buf + n, KNTP_A_STATUS_STEPOUT, 900000000000ULL);
	n += put(buf + n, KNTP_A_STATUS_CLOCK_NOTE, 10, "step only");
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	str = kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK_NOTE);
	ok(rec.v[KNTP_A_STATUS_CLOCK].u == KNTP_CLOCK_VIRTUAL &&
	   rec.v[KNTP_A_STATUS_CLOCK_ERROR].s == -300000000 &&
	   rec.v[KNTP_A_STATUS_OFFSET].s == -1500 &&
	   rec.v[KNTP_A_STATUS_JITTER].u == 45000 &&
	   rec.v[KNTP_A_STATUS_FREQ].s == -12345 &&
	   rec.v[KNTP_A_STATUS_POLL].s == -3 &&
	   rec.v[KNTP_A_STATUS_SYS_PEER].u == 7 &&
	   rec.v[KNTP_A_STATUS_DISC_STATE].u == KNTP_DISC_SPIKE &&
	   rec.v[KNTP_A_STATUS_STEPS].u == 2 &&
	   rec.v[KNTP_A_STATUS_LAST_STEP].s == -1 &&
	   rec.v[KNTP_A_STATUS_LAST_STEP_AMOUNT].s == INT64_MIN &&
	   rec.v[KNTP_A_STATUS_STEP_THRESHOLD].u == UINT64_MAX &&
	   kntp_rec_has(&rec, KNTP_A_STATUS_PANIC_THRESHOLD) &&
	   rec.v[KNTP_A_STATUS_PANIC_THRESHOLD].u == 0 &&
	   rec.v[KNTP_A_STATUS_STEPOUT].u == 900000000000ULL &&
	   !kntp_rec_has(&rec, KNTP_A_STATUS_PAD) &&
	   !kntp_rec_has(&rec, KNTP_A_STATUS_CLOCK_OWNER) &&
	   str && !strcmp(str, "step only"),
	   "status clock attributes decode with their types");
	ok(!kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK) &&
	   !kntp_rec_str(&rec, &kntp_assoc_set, KNTP_A_STATUS_CLOCK_NOTE),
	   "kntp_rec_str only reads string attributes");

	/* Strings: NUL-terminated, bounded. */
	n = put(buf, KNTP_A_STATUS_CLOCK_NOTE, 4, "abcd");
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	ok(!kntp_rec_has(&rec, KNTP_A_STATUS_CLOCK_NOTE) &&
	   !kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK_NOTE),
	   "a string without its NUL is absent");
	n = put(buf, KNTP_A_STATUS_CLOCK_NOTE, 0, "");
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	ok(!kntp_rec_has(&rec, KNTP_A_STATUS_CLOCK_NOTE),
	   "an empty payload is absent");
	n = put(buf, KNTP_A_STATUS_CLOCK_NOTE, 1, "");
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	str = kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK_NOTE);
	ok(str && !*str, "a lone NUL is the empty string");
	n = put(buf, KNTP_A_STATUS_CLOCK_NOTE, 8, "ab\0cdef");
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	str = kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK_NOTE);
	ok(str && !strcmp(str, "ab"), "a string ends at its first NUL");
	memset(note, 'n', sizeof(note));
	note[sizeof(note) - 1] = '\0';
	n = put(buf, KNTP_A_STATUS_CLOCK_NOTE, sizeof(note), note);
	kntp_rec_decode(&kntp_status_set, buf, n, &rec);
	str = kntp_rec_str(&rec, &kntp_status_set, KNTP_A_STATUS_CLOCK_NOTE);
	ok(str && strlen(str) == KNTP_CLOCK_NOTE_MAX && str[0] == 'n',
	   "a long note is cut to %d bytes (got %zu)", KNTP_CLOCK_NOTE_MAX,
	   str ? strlen(str) : 0);

	n = 0;
	u8v = KNTP_TALLY_SYSPEER;
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, &u8v);
	u8v = KNTP_REJECT_LOOP;
	n += put(buf + n, KNTP_A_ASSOC_REJECT, 1, &u8v);
	kntp_rec_decode(&kntp_assoc_set, buf, n, &rec);
	ok(rec.v[KNTP_A_ASSOC_TALLY].u == KNTP_TALLY_SYSPEER &&
	   rec.v[KNTP_A_ASSOC_REJECT].u == KNTP_REJECT_LOOP &&
	   !strcmp(kntp_attr_name(&kntp_assoc_set, KNTP_A_ASSOC_TALLY),
		   "tally") &&
	   !strcmp(kntp_attr_name(&kntp_assoc_set, KNTP_A_ASSOC_REJECT),
		   "reject"),
	   "association TALLY and REJECT decode as u8");
}

static char *status_text_with(const struct kntp_rec *st,
			      const struct kntp_rec *assocs, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_status(mem, st, assocs, n);
	fclose(mem);
	return text;
}

/* The line of text that starts with prefix, as "grep ^prefix" finds it. */
static int has_line(const char *text, const char *line)
{
	const char *p;
	size_t n = strlen(line);

	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

/* "show status" of a synchronised instance with a virtual clock. */
static void test_status_clock(void)
{
	unsigned char buf[1024], u8v;
	struct kntp_rec st, assocs[3];
	int8_t poll = 6, prec = -20;
	uint32_t peer = 7, steps = 1, count3 = 3;
	char *text;
	int n = 0, i;

	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\0");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_STATUS_PRECISION, 1, &prec);
	n += put_u64(buf + n, KNTP_A_STATUS_ROOT_DELAY, 1234567);
	n += put_u64(buf + n, KNTP_A_STATUS_ROOT_DISP, 2345678);
	n += put(buf + n, KNTP_A_STATUS_ASSOC_COUNT, 4, &count3);
	n += put(buf + n, KNTP_A_STATUS_ENABLED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_MASTER, 1, "\0");
	n += put_s64(buf + n, KNTP_A_STATUS_REFTIME, 1714566896123456789LL);
	u8v = KNTP_CLOCK_VIRTUAL;
	n += put(buf + n, KNTP_A_STATUS_CLOCK, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_CLOCK_OWNER, 1, "\0");
	n += put_s64(buf + n, KNTP_A_STATUS_CLOCK_ERROR, -1234567);
	n += put_s64(buf + n, KNTP_A_STATUS_OFFSET, 123456);
	n += put_u64(buf + n, KNTP_A_STATUS_JITTER, 45500);
	n += put_s64(buf + n, KNTP_A_STATUS_FREQ, -12345);
	n += put(buf + n, KNTP_A_STATUS_POLL, 1, &poll);
	n += put(buf + n, KNTP_A_STATUS_SYS_PEER, 4, &peer);
	u8v = KNTP_DISC_SYNC;
	n += put(buf + n, KNTP_A_STATUS_DISC_STATE, 1, &u8v);
	n += put(buf + n, KNTP_A_STATUS_STEPS, 4, &steps);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP, 1714566896123456789LL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP_AMOUNT, -50000123);
	n += put_u64(buf + n, KNTP_A_STATUS_STEP_THRESHOLD, 128000000);
	n += put_u64(buf + n, KNTP_A_STATUS_PANIC_THRESHOLD, 1000000000000ULL);
	n += put_u64(buf + n, KNTP_A_STATUS_STEPOUT, 900000000000ULL);
	kntp_rec_decode(&kntp_status_set, buf, n, &st);

	/* The dump: the system peer is the second, an IPv6 address. */
	memset(assocs, 0, sizeof(assocs));
	for (i = 0; i < 3; i++) {
		assocs[i].present = KNTP_REC_BIT(KNTP_A_ASSOC_ID) |
				    KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4);
		assocs[i].v[KNTP_A_ASSOC_ID].u = 6 + i;
		memcpy(assocs[i].v[KNTP_A_ASSOC_ADDR4].b, "\xc0\x00\x02\x09", 4);
	}
	assocs[1].present = KNTP_REC_BIT(KNTP_A_ASSOC_ID) |
			    KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6);
	memcpy(assocs[1].v[KNTP_A_ASSOC_ADDR6].b,
	       "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05", 16);

	text = status_text_with(&st, assocs, 3);
	status_ok(!strcmp(text,
			  "Clock is synchronized, stratum 2, reference is 192.0.2.1\n"
			  "kntp is enabled\n"
			  "system peer is 2001:db8::5\n"
			  "precision is 2**-20\n"
			  "reference time is 2024-05-01T12:34:56.123456789Z\n"
			  "clock offset is 0.123 msec, jitter is 0.046 msec\n"
			  "root delay is 1.23 msec, root dispersion is 2.35 msec\n"
			  "frequency is -12.345 ppm\n"
			  "poll interval is 64 s\n"
			  "loop state is tracking\n"
			  "clock is virtual, error -1.234567 msec against the system clock\n"
			  "step threshold 128 msec, panic threshold 1000 s, stepout 900 s\n"
			  "last step: -50.000123 msec at 2024-05-01T12:34:56.123456789Z (1 steps)\n"
			  "associations: 3\n"),
		  text, "virtual clock status, every line");
	free(text);

	/* Not in the dump (deleted meanwhile): its id. */
	text = status_text_with(&st, assocs, 1);
	status_ok(has_line(text, "system peer is association 7"), text,
		  "a system peer missing from the dump: its association id");
	free(text);

	/* The system clock, owned, with a note; thresholds off; no step. */
	n += put(buf + n, KNTP_A_STATUS_CLOCK_NOTE, 15, "step only\x1b[2J");
	kntp_rec_decode(&kntp_status_set, buf, n, &st);
	st.v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_SYSTEM;
	st.v[KNTP_A_STATUS_CLOCK_OWNER].u = 1;
	st.present &= ~(KNTP_REC_BIT(KNTP_A_STATUS_CLOCK_ERROR) |
			KNTP_REC_BIT(KNTP_A_STATUS_SYS_PEER) |
			KNTP_REC_BIT(KNTP_A_STATUS_LAST_STEP) |
			KNTP_REC_BIT(KNTP_A_STATUS_LAST_STEP_AMOUNT));
	st.v[KNTP_A_STATUS_STEPS].u = 0;
	st.v[KNTP_A_STATUS_STEP_THRESHOLD].u = 0;
	st.v[KNTP_A_STATUS_PANIC_THRESHOLD].u = 0;
	st.v[KNTP_A_STATUS_STEPOUT].u = 1500000;
	st.v[KNTP_A_STATUS_POLL].s = -2;
	st.v[KNTP_A_STATUS_FREQ].s = 500000;
	st.v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_PANIC;
	text = status_text_with(&st, assocs, 3);
	status_ok(has_line(text, "system peer is none") &&
		  has_line(text, "clock is system (owned)") &&
		  has_line(text, "clock note: step only?[2J") &&
		  has_line(text, "step threshold never, panic threshold none, stepout 0.0015 s") &&
		  has_line(text, "no step yet") && !strstr(text, "last step") &&
		  has_line(text, "poll interval is 0.25 s") &&
		  has_line(text, "frequency is 500.000 ppm") &&
		  has_line(text, "loop state is panic: offset refused") &&
		  !strstr(text, "virtual") && !strstr(text, "error"),
		  text, "system clock owned, a note (sanitised), thresholds off, no step");
	free(text);

	st.v[KNTP_A_STATUS_CLOCK_OWNER].u = 0;
	st.v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_SPIKE;
	text = status_text_with(&st, NULL, 0);
	status_ok(has_line(text, "clock is system (not owned)") &&
		  has_line(text, "loop state is waiting for stepout"),
		  text, "system clock not owned; waiting for stepout");
	free(text);

	st.v[KNTP_A_STATUS_DISC_STATE].u = KNTP_DISC_NSET;
	st.v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_VIRTUAL;
	st.present &= ~KNTP_REC_BIT(KNTP_A_STATUS_CLOCK_NOTE);
	text = status_text_with(&st, NULL, 0);
	status_ok(has_line(text, "loop state is unset") &&
		  has_line(text, "clock is virtual, error - msec against the system clock") &&
		  !strstr(text, "clock note"),
		  text, "unset loop; a virtual clock without its error prints -");
	free(text);

	st.v[KNTP_A_STATUS_DISC_STATE].u = 9;
	st.v[KNTP_A_STATUS_CLOCK].u = 9;
	text = status_text_with(&st, NULL, 0);
	status_ok(has_line(text, "loop state is unknown (9)") &&
		  has_line(text, "clock is unknown (9)"),
		  text, "values this tool does not know print as numbers");
	free(text);

	/* An older module: none of the clock attributes, none of the lines. */
	st.present &= KNTP_REC_BIT(KNTP_A_STATUS_LEAP) |
		      KNTP_REC_BIT(KNTP_A_STATUS_STRATUM) |
		      KNTP_REC_BIT(KNTP_A_STATUS_REFID);
	text = status_text_with(&st, NULL, 0);
	status_ok(!strstr(text, "clock is") && !strstr(text, "offset") &&
		  !strstr(text, "frequency") && !strstr(text, "poll") &&
		  !strstr(text, "loop") && !strstr(text, "threshold") &&
		  !strstr(text, "step") && has_line(text, "system peer is none"),
		  text, "without the clock attributes the clock lines are left out");
	free(text);
}

static int count_reply(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

/*
 * A JSON syntax checker (RFC 8259) for the tests: value at *p, advancing
 * *p past it. Returns 0 when well formed.
 */
static int js_value(const char **p, int depth);

static void js_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static int js_string(const char **p)
{
	const char *s = *p;

	if (*s++ != '"')
		return -1;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return -1;	/* also the NUL */
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) ||
					    !s[i])
						return -1;
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return -1;
			}
		}
		s++;
	}
	*p = s + 1;
	return 0;
}

static int js_number(const char **p)
{
	const char *s = *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return -1;
	if (*s == '.' || *s == 'e' || *s == 'E')
		return -1;		/* the tool prints integers only */
	*p = s;
	return 0;
}

static int js_members(const char **p, int depth, char close, int keys)
{
	(*p)++;
	js_ws(p);
	if (**p == close) {
		(*p)++;
		return 0;
	}
	for (;;) {
		js_ws(p);
		if (keys) {
			if (js_string(p))
				return -1;
			js_ws(p);
			if (*(*p)++ != ':')
				return -1;
		}
		if (js_value(p, depth + 1))
			return -1;
		js_ws(p);
		if (**p == close) {
			(*p)++;
			return 0;
		}
		if (*(*p)++ != ',')
			return -1;
	}
}

static int js_value(const char **p, int depth)
{
	if (depth > 32)
		return -1;
	js_ws(p);
	switch (**p) {
	case '{':
		return js_members(p, depth, '}', 1);
	case '[':
		return js_members(p, depth, ']', 0);
	case '"':
		return js_string(p);
	case 't':
		return strncmp(*p, "true", 4) ? -1 : (*p += 4, 0);
	case 'f':
		return strncmp(*p, "false", 5) ? -1 : (*p += 5, 0);
	case 'n':
		return strncmp(*p, "null", 4) ? -1 : (*p += 4, 0);
	default:
		return js_number(p);
	}
}

/* One JSON document and a newline, nothing else. */
static int json_valid(const char *text)
{
	const char *p = text;

	if (!text || js_value(&p, 0))
		return 0;
	return !strcmp(p, "\n");
}

static char *escaped(const char *s)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_json_escape(mem, s);
	fclose(mem);
	return text;
}

static void escape_is(const char *s, const char *want, const char *what)
{
	char *text = escaped(s);

	ok(text && !strcmp(text, want), "JSON escape: %s (got %s)", what,
	   text);
	free(text);
}

/* -j and --json, anywhere; only the show commands take them. */
static void test_json_option(void)
{
	struct line *l;

	l = parse("-j show associations");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_assocs,
	   "-j before the command words");
	l = parse("show ntp status --json");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_status,
	   "--json after the command words");
	l = parse("show -j counters 192.0.2.1");
	ok(!l->ret && l->req.json && l->cmd->run == kntp_run_show_counters &&
	   is_v4(&l->req, "192.0.2.1") &&
	   !strcmp(l->req.addr_arg, "192.0.2.1"),
	   "-j between the words; the address still parses");
	l = parse("show counters");
	ok(!l->ret && !l->req.json, "without -j: human output");
	l = parse("show status -j --json");
	ok(!l->ret && l->req.json, "-j twice is -j");
	l = parse("-j server 192.0.2.1");
	ok(l->ret && l->err.code == KNTP_PERR_UNKNOWN_OPT &&
	   strstr(l->err.msg, "-j: only the show commands print JSON"),
	   "-j on a command without JSON output is a usage error (%s)",
	   l->err.msg);
	l = parse("-j");
	ok(l->ret && l->err.code == KNTP_PERR_COMMAND,
	   "-j alone: missing command");
	l = parse("clock inject offset -100");
	ok(!l->ret && !l->req.json && l->req.inject_offset_ns == -100000000,
	   "a negative number is not an option");
}

static void test_json_escape(void)
{
	escape_is("LOCL", "\"LOCL\"", "plain");
	escape_is("a\"b\\c/d", "\"a\\\"b\\\\c/d\"", "quote and backslash");
	escape_is("\n\r\t\b\f\x01\x1f\x7f",
		  "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"", "control characters");
	escape_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x95\x90",
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x95\x90\"",
		  "valid UTF-8 passes");
	escape_is("a\xff" "b\xc3", "\"a\\ufffdb\\ufffd\"",
		  "bytes that are not UTF-8");
	escape_is("\xc0\xaf\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "overlong and surrogate forms");
	ok(json_valid("{\"a\": [1, -2, true, null, \"x\\u0001\"], \"b\": {}}\n") &&
	   !json_valid("{\"a\": 1,}\n") && !json_valid("{\"a\" 1}\n") &&
	   !json_valid("[\"a\nb\"]\n") && !json_valid("{} {}\n") &&
	   !json_valid("[01]\n"),
	   "the test's JSON checker accepts JSON and refuses the rest");
}

/* Every attribute of a record has a key; the keys of a set differ. */
static void test_json_keys(void)
{
	const struct kntp_attrset *sets[] = {
		&kntp_assoc_set, &kntp_status_set,
	};
	const char *missing = NULL, *dup = NULL, *nounit = NULL;
	size_t s;
	int t, u;

	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		for (t = 1; t <= sets[s]->max; t++) {
			const char *k = kntp_json_key(sets[s], t);

			if (sets[s]->fields[t].type == KNTP_FT_NONE)
				continue;
			if (!k) {
				missing = kntp_attr_name(sets[s], t);
				continue;
			}
			for (u = 1; u < t; u++)
				if (kntp_json_key(sets[s], u) &&
				    !strcmp(kntp_json_key(sets[s], u), k) &&
				    strcmp(k, "address"))
					dup = k;
			if ((sets[s]->fields[t].type == KNTP_FT_U64 ||
			     sets[s]->fields[t].type == KNTP_FT_S64) &&
			    !strstr(k, "_ns") && !strstr(k, "_ppb") &&
			    !strstr(k, "_ts"))	/* NTP timestamp format */
				nounit = k;
		}
	}
	ok(!missing, "every attribute has a JSON key (missing: %s)",
	   missing ? missing : "none");
	ok(!dup, "JSON keys are unique in a set (dup: %s)", dup ? dup : "none");
	ok(!nounit, "64-bit values carry a unit (%s)", nounit ? nounit : "all");
	ok(!strcmp(kntp_json_key(&kntp_assoc_set, KNTP_A_ASSOC_RX_AGE),
		   "when_ms") &&
	   !strcmp(kntp_json_key(&kntp_assoc_set, KNTP_A_ASSOC_POLL),
		   "poll_log2") &&
	   !strcmp(kntp_json_key(&kntp_status_set, KNTP_A_STATUS_FREQ),
		   "frequency_ppb") &&
	   !strcmp(kntp_json_key(&kntp_stats_set, KNTP_STAT_DROP_SHORT),
		   "drop_short"),
	   "keys name their units; counters keep their names");
}

static char *json_of(int what, const struct kntp_reply *r,
		     const struct kntp_rec *recs, const struct kntp_rec *stats,
		     size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	if (what == 0)
		kntp_show_assocs_json(mem, recs, stats, NULL, n);
	else if (what == 1)
		kntp_show_status_json(mem, r, recs, n);
	else
		kntp_show_counters_json(mem, &r->nest[0]);
	fclose(mem);
	return text;
}

static void json_is(char *text, const char *want, const char *what)
{
	int same = text && !strcmp(text, want);

	ok(same && json_valid(text), "JSON %s", what);
	if (!same) {
		printf("# got:  %s", text ? text : "(null)\n");
		printf("# want: %s", want);
	}
	free(text);
}

static void test_json_show(void)
{
	unsigned char buf[1024], nest[128];
	uint32_t id = 1, id2 = 2, age = 120, state = KNTP_ASSOC_S_DENIED | (1U << 30);
	struct kntp_reply reply, st;
	struct kntp_rec recs[2], stats[2];
	int n = 0, m = 0;

	m += put(nest + m, 0, 0, "");
	m += put_u64(nest + m, KNTP_STAT_RX, 5);
	m += put_u64(nest + m, KNTP_STAT_TX, 6);

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "LOCL");
	n += put(buf + n, KNTP_A_ASSOC_REACH, 1, "\xff");
	n += put(buf + n, KNTP_A_ASSOC_POLL, 1, "\xfc");	/* -4 */
	n += put(buf + n, KNTP_A_ASSOC_RX_AGE, 4, &age);
	n += put_s64(buf + n, KNTP_A_ASSOC_OFFSET, -1500);
	n += put_s64(buf + n, KNTP_A_ASSOC_DELAY, 250000);
	n += put_u64(buf + n, KNTP_A_ASSOC_DISP, 18446744073709551615ULL);
	n += put(buf + n, KNTP_A_ASSOC_STATE, 4, &state);
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x06");
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	recs[0] = reply.rec;
	stats[0] = reply.nest[0];

	/* A peer at stratum 3 whose refid is an address; no counters. */
	n = 0;
	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id2);
	n += put(buf + n, KNTP_A_ASSOC_ADDR6, 16,
		 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x03");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "\xc0\x00\x02\x09");
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REJECT, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_FLAGS, 4, "\x03\0\0\0");
	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	recs[1] = reply.rec;
	stats[1] = reply.nest[0];

	json_is(json_of(0, NULL, recs, stats, 2),
		"{\"associations\": [{\"id\": 1, \"address\": \"192.0.2.1\", "
		"\"kind\": \"server\", \"configured\": true, \"tally\": \"*\", "
		"\"refid\": \"LOCL\", \"stratum\": 1, \"reach\": 255, "
		"\"poll_log2\": -4, \"when_ms\": 120, \"delay_ns\": 250000, "
		"\"offset_ns\": -1500, \"disp_ns\": 18446744073709551615, "
		"\"state\": [\"denied\", \"bit30\"], "
		"\"counters\": {\"rx\": 5, \"tx\": 6}}, "
		"{\"id\": 2, \"address\": \"2001:db8::1\", \"kind\": \"peer\", "
		"\"configured\": true, \"tally\": \" \", "
		"\"reject\": \"unreachable\", \"refid\": \"192.0.2.9\", "
		"\"stratum\": 3, \"flags\": [\"iburst\", \"prefer\"]}]}\n",
		"associations: keys, units, words, counters, IPv6, refid forms");
	json_is(json_of(0, NULL, NULL, NULL, 0), "{\"associations\": []}\n",
		"no associations: an empty array");
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_ID);
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_TALLY);
	recs[0].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_STATS);
	{
		char *t = json_of(0, NULL, recs, NULL, 1);

		ok(t && json_valid(t) &&
		   starts(t, "{\"associations\": [{\"address\": \"192.0.2.1\", "
			  "\"kind\": \"server\", \"configured\": true, "
			  "\"refid\"") && !strstr(t, "counters"),
		   "absent attributes are left out");
		free(t);
	}
	recs[0].present |= KNTP_REC_BIT(KNTP_A_ASSOC_ID);

	/* The status of a synchronised virtual clock; its peer is recs[0]. */
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\x00");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x02");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_STATUS_SYS_PEER, 4, &id);
	n += put_s64(buf + n, KNTP_A_STATUS_OFFSET, -2000);
	n += put_u64(buf + n, KNTP_A_STATUS_JITTER, 300);
	n += put_s64(buf + n, KNTP_A_STATUS_FREQ, -12345);
	n += put(buf + n, KNTP_A_STATUS_POLL, 1, "\x06");
	n += put(buf + n, KNTP_A_STATUS_CLOCK, 1, "\x02");
	n += put_s64(buf + n, KNTP_A_STATUS_CLOCK_ERROR, 7);
	n += put(buf + n, KNTP_A_STATUS_CLOCK_NOTE, 9, "a \"b\"\n\xff");
	n += put(buf + n, KNTP_A_STATUS_DISC_STATE, 1, "\x02");
	n += put_u64(buf + n, KNTP_A_STATUS_STEP_THRESHOLD, 128000000);
	n += put_u64(buf + n, KNTP_A_STATUS_PANIC_THRESHOLD, 0);
	n += put_u64(buf + n, KNTP_A_STATUS_STEPOUT, 900000000000ULL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP, 1714566896000000000LL);
	n += put_s64(buf + n, KNTP_A_STATUS_LAST_STEP_AMOUNT, -300000000);
	n += put(buf + n, KNTP_A_STATUS_STEPS, 4, "\x01\0\0\0");
	n += put(buf + n, KNTP_A_STATUS_ENABLED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(1, &st, recs, NULL, 2),
		"{\"synchronized\": true, \"system_peer\": \"192.0.2.1\", "
		"\"system_peer_id\": 1, \"stratum\": 2, \"refid\": \"192.0.2.1\", "
		"\"leap\": 0, \"enabled\": true, \"offset_ns\": -2000, "
		"\"jitter_ns\": 300, \"frequency_ppb\": -12345, "
		"\"poll_log2\": 6, \"clock\": \"virtual\", "
		"\"clock_error_ns\": 7, "
		"\"clock_note\": \"a \\\"b\\\"\\n\\ufffd\", "
		"\"loop_state\": \"tracking\", "
		"\"step_threshold_ns\": 128000000, \"panic_threshold_ns\": 0, "
		"\"stepout_ns\": 900000000000, "
		"\"last_step_unix_ns\": 1714566896000000000, "
		"\"last_step_amount_ns\": -300000000, \"steps\": 1, "
		"\"counters\": {\"rx\": 5, \"tx\": 6}}\n",
		"status: synchronized, peer address, clock, note escaped");
	{
		char *t = json_of(1, &st, NULL, NULL, 0);

		ok(t && json_valid(t) &&
		   starts(t, "{\"synchronized\": true, \"system_peer\": null, "
			  "\"system_peer_id\": 1, \"stratum\": 2"),
		   "a system peer not in the list: null, with its id");
		free(t);
	}
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_LEAP, 1, "\x03");
	n += put(buf + n, KNTP_A_STATUS_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_STATUS_REFID, 4, "INIT");
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(1, &st, NULL, NULL, 0),
		"{\"synchronized\": false, \"system_peer\": null, "
		"\"stratum\": 16, \"refid\": \"INIT\", \"leap\": 3}\n",
		"unsynchronized status: system_peer null, no counters");
	n = 0;
	n += put(buf + n, KNTP_A_STATUS_STRATUM | NLA_F_NESTED, 1, "\x01");
	n += put(buf + n, KNTP_A_STATUS_STATS | NLA_F_NESTED, m, nest);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	json_is(json_of(2, &st, NULL, NULL, 0),
		"{\"counters\": {\"rx\": 5, \"tx\": 6}}\n", "counters");
}

static char *json_of_filters(const struct kntp_rec *recs,
			     const struct kntp_rec *stats,
			     const struct kntp_filter *filters, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_assocs_json(mem, recs, stats, filters, n);
	fclose(mem);
	return text;
}

/* A FILTER_STAGE nest: offset, delay, disp, age (ns), with padding. */
static int put_stage(unsigned char *p, int64_t off, int64_t delay,
		     uint64_t disp, uint64_t age)
{
	unsigned char b[128];
	int n = 0;

	n += put(b + n, KNTP_A_STAGE_PAD, 0, "");
	n += put_s64(b + n, KNTP_A_STAGE_OFFSET, off);
	n += put_s64(b + n, KNTP_A_STAGE_DELAY, delay);
	n += put_u64(b + n, KNTP_A_STAGE_DISP, disp);
	n += put_u64(b + n, KNTP_A_STAGE_AGE, age);
	n += put_u64(b + n, KNTP_A_STAGE_MAX + 1, 99);	/* unknown */
	return put(p, KNTP_A_ASSOC_FILTER_STAGE | NLA_F_NESTED, n, b);
}

/* "show associations detail": the new attributes, the filter, the block. */
static void test_assoc_detail(void)
{
	struct line *l;
	unsigned char buf[2048], filt[1024], nest[256];
	uint32_t id = 1, age = 3500, state = KNTP_ASSOC_S_RATE;
	const uint64_t empty = 16000000000ULL;
	const int64_t now = 1795701901;		/* 2026-11-26T14:05:01Z */
	struct kntp_rec recs[2], stats[2];
	struct kntp_filter filters[2];
	struct kntp_reply reply;
	struct kntp_rec flat;
	char ts[96], *text = NULL;
	size_t size = 0;
	int n = 0, m = 0, k = 0, i, same;
	FILE *mem;

	k += put_stage(filt + k, -1500, 76000, 45000, 1000000000);
	k += put(filt + k, 2, 4, &id);		/* not a stage: ignored */
	k += put_stage(filt + k, 2500, 80500, 1045000, 65900000000ULL);
	for (i = 2; i < 8; i++)
		k += put_stage(filt + k, 0, 0, empty, 0);
	k += put_stage(filt + k, 7, 7, 7, 7);	/* a ninth: ignored */

	m += put_u64(nest + m, KNTP_STAT_RX, 10);
	m += put_u64(nest + m, KNTP_STAT_TX, 11);
	m += put_u64(nest + m, KNTP_STAT_SAMPLES, 9);
	m += put_u64(nest + m, KNTP_STAT_DROP_DUP, 1);
	m += put_u64(nest + m, KNTP_STAT_KOD_RATE, 2);

	n += put(buf + n, KNTP_A_ASSOC_ID, 4, &id);
	n += put(buf + n, KNTP_A_ASSOC_ADDR4, 4, "\xc0\x00\x02\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_VERSION, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_MINPOLL, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_MAXPOLL, 1, "\x0a");
	n += put(buf + n, KNTP_A_ASSOC_FLAGS, 4, "\x02\0\0\0");	/* prefer */
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "LOCL");
	n += put(buf + n, KNTP_A_ASSOC_REACH, 1, "\xff");
	n += put(buf + n, KNTP_A_ASSOC_POLL, 1, "\x06");
	n += put(buf + n, KNTP_A_ASSOC_LEAP, 1, "\x00");
	n += put(buf + n, KNTP_A_ASSOC_PPOLL, 1, "\x04");
	n += put(buf + n, KNTP_A_ASSOC_PRECISION, 1, "\xe8");	/* -24 */
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DELAY, 0);
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DISP, 10000);
	n += put(buf + n, KNTP_A_ASSOC_RX_AGE, 4, &age);
	n += put_s64(buf + n, KNTP_A_ASSOC_OFFSET, -1500);
	n += put_s64(buf + n, KNTP_A_ASSOC_RESIDUAL, 3000);
	n += put_s64(buf + n, KNTP_A_ASSOC_DELAY, 76000);
	n += put_u64(buf + n, KNTP_A_ASSOC_DISP, 45000);
	n += put_u64(buf + n, KNTP_A_ASSOC_JITTER, 10000);
	n += put(buf + n, KNTP_A_ASSOC_STATE, 4, &state);
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x06");
	n += put_u64(buf + n, KNTP_A_ASSOC_ROOT_DIST, 120000);
	n += put(buf + n, KNTP_A_ASSOC_PMODE, 1, "\x04");
	n += put_u64(buf + n, KNTP_A_ASSOC_ORG_TS, 0xEEB2BB0D12345678ULL);
	n += put_u64(buf + n, KNTP_A_ASSOC_REC_TS, 0xEEB2BB0D80000000ULL);
	n += put_u64(buf + n, KNTP_A_ASSOC_XMT_TS, 0);
	n += put(buf + n, KNTP_A_ASSOC_STATS | NLA_F_NESTED, m, nest);
	n += put(buf + n, KNTP_A_ASSOC_FILTER | NLA_F_NESTED, k, filt);
	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);

	ok(kntp_rec_has(&reply.rec, KNTP_A_ASSOC_ROOT_DIST) &&
	   reply.rec.v[KNTP_A_ASSOC_ROOT_DIST].u == 120000 &&
	   reply.rec.v[KNTP_A_ASSOC_PMODE].u == 4 &&
	   reply.rec.v[KNTP_A_ASSOC_ORG_TS].u == 0xEEB2BB0D12345678ULL &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_XMT_TS) &&
	   reply.rec.v[KNTP_A_ASSOC_XMT_TS].u == 0 &&
	   kntp_rec_has(&reply.rec, KNTP_A_ASSOC_FILTER),
	   "root distance, peer mode, timestamps and filter decode");
	ok(reply.filter.n == 8 &&
	   reply.filter.stage[0].offset_ns == -1500 &&
	   reply.filter.stage[0].delay_ns == 76000 &&
	   reply.filter.stage[0].disp_ns == 45000 &&
	   reply.filter.stage[0].age_ns == 1000000000 &&
	   reply.filter.stage[1].delay_ns == 80500 &&
	   reply.filter.stage[1].age_ns == 65900000000ULL &&
	   reply.filter.stage[7].disp_ns == empty &&
	   !kntp_stage_empty(&reply.filter.stage[1]) &&
	   kntp_stage_empty(&reply.filter.stage[2]) &&
	   !kntp_stage_has(&reply.filter.stage[0], KNTP_A_STAGE_PAD),
	   "filter: 8 stages in order; other attributes and a ninth ignored");
	kntp_rec_decode(&kntp_assoc_set, buf, n, &flat);
	ok(kntp_rec_has(&flat, KNTP_A_ASSOC_FILTER) &&
	   flat.v[KNTP_A_ASSOC_ID].u == 1, "a flat decode marks the filter present");

	kntp_fmt_ntpts(ts, sizeof(ts), 0xEEB2BB0D12345678ULL, now);
	ok(!strcmp(ts, "EEB2BB0D.12345678 (2026-11-26T14:05:01.071111110Z)"),
	   "NTP timestamp: hex and UTC (got %s)", ts);
	kntp_fmt_ntpts(ts, sizeof(ts), 0x0000001080000000ULL,
		       2085978496 + 86400);
	ok(!strcmp(ts, "00000010.80000000 (2036-02-07T06:28:32.500000000Z)"),
	   "NTP timestamp after 2036: era 1 (got %s)", ts);
	kntp_fmt_ntpts(ts, sizeof(ts), 0x83AA7E8000000000ULL, now);
	ok(!strcmp(ts, "83AA7E80.00000000 (1970-01-01T00:00:00.000000000Z)"),
	   "NTP timestamp of 1970 in 2026: era 0 (got %s)", ts);

	recs[0] = reply.rec;
	stats[0] = reply.nest[0];
	filters[0] = reply.filter;

	/* A peer: rejected, no filter, no counters, no peer mode. */
	n = 0;
	n += put(buf + n, KNTP_A_ASSOC_ADDR6, 16,
		 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	n += put(buf + n, KNTP_A_ASSOC_KIND, 1, "\x02");
	n += put(buf + n, KNTP_A_ASSOC_STRATUM, 1, "\x10");
	n += put(buf + n, KNTP_A_ASSOC_REFID, 4, "INIT");
	n += put(buf + n, KNTP_A_ASSOC_TALLY, 1, "\x01");
	n += put(buf + n, KNTP_A_ASSOC_REJECT, 1, "\x01");
	kntp_reply_decode(&kntp_assoc_set, buf, n, &reply);
	recs[1] = reply.rec;
	stats[1] = reply.nest[0];
	filters[1] = reply.filter;

	mem = open_memstream(&text, &size);
	kntp_show_assocs_detail(mem, recs, stats, filters, 2, now);
	fclose(mem);
	same = text && !strcmp(text,
"192.0.2.1 configured, prefer, sys.peer, our mode client, peer mode server, stratum 1\n"
" ref ID .LOCL.\n"
" root delay 0.00 msec, root disp 0.01 msec, reach 377, sync dist 0.120 msec\n"
" delay 0.076 msec, offset -0.002 [0.003] msec, dispersion 0.045 msec, jitter 0.010 msec\n"
" precision 2**-24, version 4, leap none\n"
" poll 64 s (minpoll 4, maxpoll 10), peer poll 16 s, when 3 s\n"
" org time EEB2BB0D.12345678 (2026-11-26T14:05:01.071111110Z)\n"
" rec time EEB2BB0D.80000000 (2026-11-26T14:05:01.500000000Z)\n"
" xmt time 00000000.00000000 (never)\n"
" filter delay  =   0.076   0.081       -       -       -       -       -       - msec\n"
" filter offset =  -0.002   0.003       -       -       -       -       -       - msec\n"
" filter disp   =   0.045   1.045       -       -       -       -       -       - msec\n"
" filter age    =       1      65       -       -       -       -       -       - s\n"
" packets: rx 10, tx 11, tx errors -, samples 9\n"
" drops: dup 1, bogus -, invalid -, unsync -, distance -, kod rate 2, kod deny -\n"
		" authentication: no key, last packet -, ok -\n"
" state: rate\n"
"\n"
"2001:db8::1 configured, rejected, our mode symmetric active, peer mode -, stratum 16\n"
" ref ID .INIT.\n"
" root delay - msec, root disp - msec, reach -, sync dist - msec\n"
" delay - msec, offset - [-] msec, dispersion - msec, jitter - msec\n"
" precision 2**-, version -, leap -\n"
" poll - s (minpoll -, maxpoll -), peer poll - s, when - s\n"
" org time -\n"
" rec time -\n"
" xmt time -\n"
" packets: rx -, tx -, tx errors -, samples -\n"
" drops: dup -, bogus -, invalid -, unsync -, distance -, kod rate -, kod deny -\n"
		" authentication: no key, last packet -, ok -\n"
" not selectable: no sample\n");
	ok(same, "show associations detail: a block each, blank line between");
	diag(same, text, size);
	free(text);

	text = json_of_filters(recs, stats, filters, 1);
	ok(text && json_valid(text) &&
	   strstr(text, "\"root_dist_ns\": 120000, \"peer_mode\": \"server\", "
		  "\"org_ts\": \"eeb2bb0d12345678\", "
		  "\"rec_ts\": \"eeb2bb0d80000000\", "
		  "\"xmt_ts\": \"0000000000000000\", \"counters\": {") &&
	   strstr(text, "\"filter\": [{\"offset_ns\": -1500, "
		  "\"delay_ns\": 76000, \"disp_ns\": 45000, "
		  "\"age_ns\": 1000000000}, {\"offset_ns\": 2500, ") &&
	   strstr(text, "{\"offset_ns\": 0, \"delay_ns\": 0, "
		  "\"disp_ns\": 16000000000, \"age_ns\": 0}]}]}\n"),
	   "JSON: root distance, peer mode, hex timestamps, 8-stage filter");
	if (text && !strstr(text, "\"filter\""))
		printf("# got: %s", text);
	free(text);
	text = json_of(0, NULL, recs, stats, 1);
	ok(text && json_valid(text) && !strstr(text, "\"filter\""),
	   "JSON without filters: no filter key");
	free(text);

	l = parse("show ntp associations detail -j");
	ok(!l->ret && l->cmd && l->cmd->run == kntp_run_show_assocs_detail &&
	   l->req.json,
	   "\"show ntp associations detail -j\" is the detail command");
	l = parse("show ntp associations ntp");
	ok(l->ret == -1,
	   "a word after \"show associations\" other than detail fails");
}

static void test_json(void)
{
	test_json_option();
	test_json_escape();
	test_json_keys();
	test_json_show();
}

/* A real extended ack from the running kernel, through kntp_nl_talk. */
static void test_kernel(void)
{
	int replies;
	struct kntp_nl nl;
	struct kntp_ack ack;
	struct nl_msg *msg;
	char why[256];
	uint32_t offs;
	int ret;

	if (kntp_nl_open(&nl, KNTP_GENL_NAME, why, sizeof(why)) == 0) {
		kntp_nl_close(&nl);
		printf("ok %d - # SKIP the kntp module is loaded\n", ++test_num);
	} else {
		ok(!!strstr(why, "module is not loaded"),
		   "no module: %s", why);
	}
	if (kntp_nl_open(&nl, "nlctrl", why, sizeof(why))) {
		printf("ok %d - # SKIP no generic netlink: %s\n", ++test_num,
		       why);
		return;
	}
	/* CTRL_ATTR_FAMILY_ID is a u16: one byte is a policy violation. */
	msg = kntp_nl_msg(nl.family, CTRL_CMD_GETFAMILY, 0);
	offs = nlmsg_hdr(msg)->nlmsg_len;
	nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1);
	ret = kntp_nl_talk(&nl, msg, NULL, NULL, &ack);
	ok(ret && ack.error && !ack.local && ack.msg[0] && ack.has_offs &&
	   ack.offs == offs,
	   "kernel extended ack: errno %d, \"%s\", offset %u (sent at %u)",
	   ack.error, ack.msg, ack.offs, offs);
	nlmsg_free(msg);

	msg = kntp_nl_msg(nl.family, CTRL_CMD_GETFAMILY, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	replies = 0;
	ret = kntp_nl_talk(&nl, msg, count_reply, &replies, &ack);
	ok(!ret && !ack.error && replies == 1,
	   "a doit request: one reply, then the ack (%d)", replies);
	nlmsg_free(msg);

	msg = kntp_nl_msg(nl.family, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	replies = 0;
	ret = kntp_nl_talk(&nl, msg, count_reply, &replies, &ack);
	ok(!ret && !ack.error && replies >= 1,
	   "a dump: every family, then NLMSG_DONE (%d)", replies);
	nlmsg_free(msg);
	kntp_nl_close(&nl);
}

/* A file's text into conf; err holds the message when it fails. */
static int conf_of(const char *text, struct kntp_conf *conf, char *err,
		   size_t len)
{
	err[0] = '\0';
	return kntp_conf_parse("t.conf", text, conf, err, len);
}

static int conf_addr_is(const struct kntp_conf_assoc *a, const char *text)
{
	char buf[INET6_ADDRSTRLEN];

	kntp_conf_fmt_addr(buf, sizeof(buf), a);
	return !strcmp(buf, text);
}

static void conf_fails(const char *text, const char *want, const char *what)
{
	struct kntp_conf conf;
	char err[1024];
	int ret = conf_of(text, &conf, err, sizeof(err));
	size_t n = strlen(want);
	int same;

	/* A want ending in '*' is a prefix (the resolver's words vary). */
	if (n && want[n - 1] == '*')
		same = !strncmp(err, want, n - 1);
	else
		same = !strcmp(err, want);
	ok(ret && same, "config error: %s: %s", what, err);
	if (!ret)
		kntp_conf_free(&conf);
	else if (!same)
		printf("# want: %s\n", want);
}

static void test_config_parse(void)
{
	struct kntp_conf conf;
	char err[1024];
	int ret;

	ret = conf_of("! R1\n"
		      "ntp server 192.0.2.1   ! upstream\n"
		      "\n"
		      "   \t\n"
		      "# a comment\n"
		      "ntp peer 198.51.100.2 ! the other router\n"
		      "server 2001:db8::1 minpoll 4 iburst prefer\n"
		      "ntp peer 198.51.100.3 version 3 maxpoll 4\n"
		      "ntp master 3\n"
		      "ntp clock step-threshold 100\n"
		      "ntp clock panic-threshold 0\n"
		      "ntp clock stepout 60.5\n"
		      "ntp clock virtual", &conf, err, sizeof(err));
	ok(!ret, "config: comments, blank lines, trailing ! (%s)", err);
	if (ret)
		return;
	ok(conf.n == 4, "config: four associations (%zu)", conf.n);
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[0], "192.0.2.1") &&
	   conf.assocs[0].kind == KNTP_ASSOC_KIND_SERVER &&
	   conf.assocs[0].line == 2 && conf.assocs[0].version == 4 &&
	   conf.assocs[0].minpoll == 6 && conf.assocs[0].maxpoll == 10 &&
	   conf.assocs[0].flags == 0 && conf.assocs[0].req.set == 0,
	   "config: line 2 server 192.0.2.1, defaults");
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[1], "198.51.100.2") &&
	   conf.assocs[1].kind == KNTP_ASSOC_KIND_PEER &&
	   conf.assocs[1].line == 6,
	   "config: line 6 peer 198.51.100.2 (trailing comment cut)");
	ok(conf.n == 4 && conf_addr_is(&conf.assocs[2], "2001:db8::1") &&
	   conf.assocs[2].minpoll == 4 && conf.assocs[2].maxpoll == 10 &&
	   conf.assocs[2].flags == (KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER),
	   "config: IPv6 server, minpoll 4, iburst prefer");
	ok(conf.n == 4 && conf.assocs[3].version == 3 &&
	   conf.assocs[3].minpoll == 4 && conf.assocs[3].maxpoll == 4,
	   "config: maxpoll 4 alone: minpoll follows down, as the kernel does");
	ok((conf.set & KNTP_REQ_MASTER) && conf.master == 3,
	   "config: master 3");
	ok((conf.set & KNTP_REQ_STEP_THRESHOLD) && conf.step_ns == 100000000 &&
	   (conf.set & KNTP_REQ_PANIC_THRESHOLD) && conf.panic_ns == 0 &&
	   (conf.set & KNTP_REQ_STEPOUT) && conf.stepout_ns == 60500000000ULL,
	   "config: thresholds and stepout in ns");
	ok((conf.set & KNTP_REQ_CLOCK) && conf.clock == KNTP_CLOCK_VIRTUAL,
	   "config: clock virtual (last line without newline)");
	ok(conf.ntext == 13 &&
	   !strcmp(conf.text[1], "ntp server 192.0.2.1   ! upstream"),
	   "config: the lines kept, trimmed, to quote");
	kntp_conf_free(&conf);

	ret = conf_of("", &conf, err, sizeof(err));
	ok(!ret && conf.n == 0 && conf.set == 0, "config: an empty file");
	kntp_conf_free(&conf);
	ret = conf_of("ntp server 127.0.0.1\r\n", &conf, err, sizeof(err));
	ok(!ret && conf.n == 1, "config: CRLF line ends (%s)", err);
	kntp_conf_free(&conf);
	ret = conf_of("server localhost\n", &conf, err, sizeof(err));
	if (ret && strstr(err, "cannot resolve"))
		printf("ok %d - # SKIP localhost does not resolve: %s\n",
		       ++test_num, err);
	else
		ok(!ret && conf.n == 1 &&
		   (conf_addr_is(&conf.assocs[0], "127.0.0.1") ||
		    conf_addr_is(&conf.assocs[0], "::1")),
		   "config: a host name is resolved (localhost) %s", err);
	if (!ret)
		kntp_conf_free(&conf);

	conf_fails("! R1\nntp server 192.0.2.1\nntp srver 1.1.1.1 ! typo\n",
		   "t.conf:3: \"ntp srver 1.1.1.1 ! typo\": unknown command \"srver\" (expected server, peer, no, master, enable, disable, clock, authentication-key, trusted-key, authenticate, access-group, access-list, ipv6, show, ratelimit, apply, monitor, help)",
		   "unknown command, line 3 quoted");
	conf_fails("ntp server 192.0.2.1\n\nntp peer 192.0.2.1\n",
		   "t.conf:3: \"ntp peer 192.0.2.1\": duplicate address 192.0.2.1 (also on line 1)",
		   "duplicate address across kinds");
	conf_fails("server 2001:db8::1\nserver 2001:DB8:0::1\n",
		   "t.conf:2: \"server 2001:DB8:0::1\": duplicate address 2001:db8::1 (also on line 1)",
		   "duplicate IPv6 address, spelt differently");
	conf_fails("ntp server 192.0.2.1 minpoll\n",
		   "t.conf:1: \"ntp server 192.0.2.1 minpoll\": minpoll: missing value (minpoll N)",
		   "missing option value");
	conf_fails("ntp server\n",
		   "t.conf:1: \"ntp server\": server: missing address",
		   "missing address");
	conf_fails("ntp server 192.0.2.1 burst\n",
		   "t.conf:1: \"ntp server 192.0.2.1 burst\": unknown option \"burst\" (expected minpoll, maxpoll, iburst, prefer, version, key, xleave)",
		   "unknown option");
	conf_fails("ntp server 192.0.2.300\n",
		   "t.conf:1: \"ntp server 192.0.2.300\": \"192.0.2.300\": not an IPv4 or IPv6 address",
		   "bad address");
	conf_fails("show associations\n",
		   "t.conf:1: \"show associations\": \"show associations\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group)",
		   "show is not configuration");
	conf_fails("no server 192.0.2.1\n",
		   "t.conf:1: \"no server 192.0.2.1\": \"no server\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group)",
		   "no server is not configuration");
	conf_fails("ntp clock inject offset 5\n",
		   "t.conf:1: \"ntp clock inject offset 5\": \"clock inject\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group)",
		   "clock inject is not configuration");
	conf_fails("ntp master 3\nntp master\n",
		   "t.conf:2: \"ntp master\": \"master\" given twice (also on line 1)",
		   "a setting given twice");
	conf_fails("ntp clock stepout -1\n",
		   "t.conf:1: \"ntp clock stepout -1\": stepout \"-1\": out of range for the attribute type (0..18446744073.709551615)",
		   "negative stepout");
	conf_fails("server bad.invalid\n",
		   "t.conf:1: \"server bad.invalid\": \"bad.invalid\": cannot resolve: *",
		   "unresolvable host name");
}

/* An association config for the diff tests. */
static struct kntp_conf_assoc ca(const char *addr, int kind, int version,
				 int minpoll, int maxpoll, uint32_t flags)
{
	struct kntp_conf_assoc a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, addr, &a.addr.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &a.addr.v6) == 1)
		a.family = AF_INET6;
	a.kind = kind;
	a.version = version;
	a.minpoll = minpoll;
	a.maxpoll = maxpoll;
	a.flags = flags;
	return a;
}

/* The diff as text: "+A -B ~C(why) =D", in order. */
static void diff_text(char *buf, size_t len,
		      const struct kntp_conf_assoc *k, size_t nk,
		      const struct kntp_conf_assoc *f, size_t nf)
{
	struct kntp_conf_change *ch;
	char addr[INET6_ADDRSTRLEN];
	size_t n, i, m = 0;

	buf[0] = '\0';
	if (kntp_conf_diff(k, nk, f, nf, &ch, &n)) {
		snprintf(buf, len, "ENOMEM");
		return;
	}
	for (i = 0; i < n && m < len; i++) {
		kntp_conf_fmt_addr(addr, sizeof(addr),
				   ch[i].file ? ch[i].file : ch[i].kern);
		m += snprintf(buf + m, len - m, "%s%c%s", m ? " " : "",
			      "=+-~"[ch[i].op], addr);
		if (ch[i].op == KNTP_CONF_REPLACE && m < len)
			m += snprintf(buf + m, len - m, "(%s)", ch[i].why);
	}
	free(ch);
}

static void diff_is(const struct kntp_conf_assoc *k, size_t nk,
		    const struct kntp_conf_assoc *f, size_t nf,
		    const char *want, const char *what)
{
	char got[1024];

	diff_text(got, sizeof(got), k, nk, f, nf);
	ok(!strcmp(got, want), "diff: %s: \"%s\"", what, got);
	if (strcmp(got, want))
		printf("# want: \"%s\"\n", want);
}

static void test_config_diff(void)
{
	const int S = KNTP_ASSOC_KIND_SERVER, P = KNTP_ASSOC_KIND_PEER;
	const uint32_t IB = KNTP_ASSOC_F_IBURST, PR = KNTP_ASSOC_F_PREFER;
	struct kntp_conf_assoc k[4], f[4];

	k[0] = ca("192.0.2.1", S, 4, 6, 10, 0);
	k[1] = ca("198.51.100.2", P, 4, 6, 10, 0);
	diff_is(k, 0, k, 0, "", "nothing and nothing");
	diff_is(k, 0, k, 2, "+192.0.2.1 +198.51.100.2", "empty kernel: all added");
	diff_is(k, 2, f, 0, "-192.0.2.1 -198.51.100.2", "empty file: all deleted");
	diff_is(k, 2, k, 2, "=192.0.2.1 =198.51.100.2", "the same: all kept");

	f[0] = ca("198.51.100.2", P, 4, 6, 10, 0);
	f[1] = ca("192.0.2.1", S, 4, 6, 10, 0);
	diff_is(k, 2, f, 2, "=198.51.100.2 =192.0.2.1",
		"order does not matter");

	f[0] = ca("192.0.2.1", S, 4, 4, 10, 0);
	diff_is(k, 2, f, 1, "-198.51.100.2 ~192.0.2.1(minpoll 6 -> 4)",
		"peer removed, server's minpoll changed");

	f[0] = ca("192.0.2.1", P, 3, 6, 12, IB);
	diff_is(k, 1, f, 1,
		"~192.0.2.1(server -> peer, version 4 -> 3, maxpoll 10 -> 12, iburst)",
		"several differences listed");

	k[2] = ca("192.0.2.9", S, 4, 6, 10, IB | PR);
	f[0] = ca("192.0.2.9", S, 4, 6, 10, IB);
	diff_is(k + 2, 1, f, 1, "~192.0.2.9(no prefer)", "a flag removed");

	k[0] = ca("2001:db8::1", S, 4, 6, 10, 0);
	k[1] = ca("192.0.2.1", S, 4, 6, 10, 0);
	f[0] = ca("192.0.2.1", S, 4, 6, 10, 0);
	f[1] = ca("2001:db8::2", S, 4, 6, 10, 0);
	f[2] = ca("192.0.2.2", P, 4, 6, 10, 0);
	diff_is(k, 2, f, 3, "-2001:db8::1 =192.0.2.1 +2001:db8::2 +192.0.2.2",
		"deletes first, then the file's order");
}

/* The running configuration of a kernel's records, and back. */
static void test_config_print(void)
{
	struct kntp_rec recs[2], st;
	struct kntp_conf kern, back;
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *f;
	int ret;

	memset(recs, 0, sizeof(recs));
	memset(&st, 0, sizeof(st));
	recs[0].present = KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4) |
		KNTP_REC_BIT(KNTP_A_ASSOC_KIND) |
		KNTP_REC_BIT(KNTP_A_ASSOC_VERSION) |
		KNTP_REC_BIT(KNTP_A_ASSOC_MINPOLL) |
		KNTP_REC_BIT(KNTP_A_ASSOC_MAXPOLL) |
		KNTP_REC_BIT(KNTP_A_ASSOC_FLAGS);
	inet_pton(AF_INET, "192.0.2.1", recs[0].v[KNTP_A_ASSOC_ADDR4].b);
	recs[0].v[KNTP_A_ASSOC_KIND].u = KNTP_ASSOC_KIND_SERVER;
	recs[0].v[KNTP_A_ASSOC_VERSION].u = 4;
	recs[0].v[KNTP_A_ASSOC_MINPOLL].s = 4;
	recs[0].v[KNTP_A_ASSOC_MAXPOLL].s = 10;
	recs[0].v[KNTP_A_ASSOC_FLAGS].u = KNTP_ASSOC_F_IBURST;
	recs[1] = recs[0];
	recs[1].present &= ~KNTP_REC_BIT(KNTP_A_ASSOC_ADDR4);
	recs[1].present |= KNTP_REC_BIT(KNTP_A_ASSOC_ADDR6);
	inet_pton(AF_INET6, "2001:db8::2", recs[1].v[KNTP_A_ASSOC_ADDR6].b);
	recs[1].v[KNTP_A_ASSOC_KIND].u = KNTP_ASSOC_KIND_PEER;
	recs[1].v[KNTP_A_ASSOC_VERSION].u = 3;
	recs[1].v[KNTP_A_ASSOC_MINPOLL].s = -2;
	recs[1].v[KNTP_A_ASSOC_MAXPOLL].s = -2;
	recs[1].v[KNTP_A_ASSOC_FLAGS].u = KNTP_ASSOC_F_PREFER |
					   KNTP_ASSOC_F_XLEAVE;
	st.present = KNTP_REC_BIT(KNTP_A_STATUS_MASTER) |
		KNTP_REC_BIT(KNTP_A_STATUS_CLOCK) |
		KNTP_REC_BIT(KNTP_A_STATUS_STEP_THRESHOLD) |
		KNTP_REC_BIT(KNTP_A_STATUS_PANIC_THRESHOLD) |
		KNTP_REC_BIT(KNTP_A_STATUS_STEPOUT);
	st.v[KNTP_A_STATUS_MASTER].u = 5;
	st.v[KNTP_A_STATUS_CLOCK].u = KNTP_CLOCK_VIRTUAL;
	st.v[KNTP_A_STATUS_STEP_THRESHOLD].u = 128000000;	/* default */
	st.v[KNTP_A_STATUS_PANIC_THRESHOLD].u = 0;
	st.v[KNTP_A_STATUS_STEPOUT].u = 1500000000;

	ret = kntp_conf_from_kernel(&kern, recs, 2, &st);
	f = open_memstream(&text, &len);
	if (ret || !f) {
		ok(0, "running-config: cannot build");
		return;
	}
	kntp_conf_print(f, &kern);
	fclose(f);
	ret = !strcmp(text, "! kntp running configuration\n"
			 "ntp clock virtual\n"
			 "ntp clock panic-threshold 0\n"
			 "ntp clock stepout 1.5\n"
			 "ntp master 5\n"
			 "ntp server 192.0.2.1 minpoll 4 iburst\n"
			 "ntp peer 2001:db8::2 version 3 minpoll -2 maxpoll -2 prefer xleave\n");
	ok(ret, "running-config: non-default options and settings only");
	diag(ret, text, strlen(text));
	ret = conf_of(text, &back, err, sizeof(err));
	ok(!ret, "running-config parses back (%s)", err);
	if (!ret) {
		char got[256];

		diff_text(got, sizeof(got), kern.assocs, kern.n, back.assocs,
			  back.n);
		ok(!strcmp(got, "=192.0.2.1 =2001:db8::2"),
		   "running-config applied again: no change (%s)", got);
		ok(back.master == 5 && back.clock == KNTP_CLOCK_VIRTUAL &&
		   back.panic_ns == 0 && back.stepout_ns == 1500000000 &&
		   !(back.set & KNTP_REQ_STEP_THRESHOLD),
		   "running-config: the settings parse back");
		kntp_conf_free(&back);
	}
	free(text);
	kntp_conf_free(&kern);
}

/* The words of authentication, in commands and in files. */
static void test_auth(void)
{
	static const char conf_text[] =
		"ntp authentication-key 1 md5 secret1\n"
		"ntp authentication-key 2 hmac-sha2-256 HEX:00112233445566778899\n"
		"ntp trusted-key 1-2\n"
		"ntp trusted-key 7\n"
		"ntp trusted-key 8 - 9\n"
		"ntp authenticate\n"
		"ntp peer 198.51.100.2 key 2\n";
	struct kntp_conf conf, back;
	char *text = NULL, err[512];
	uint32_t first, last;
	uint8_t fp[KNTP_FP_LEN];
	struct line *l;
	size_t len = 0;
	FILE *f;

	l = parse("ntp authentication-key 5 md5 s3cr3t");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_SET && l->req.key_id == 5 &&
	   l->req.key_type == KNTP_KEY_MD5 && l->req.secret_len == 6 &&
	   !memcmp(l->req.secret, "s3cr3t", 6) && !l->req.secret_is_fp,
	   "authentication-key 5 md5 s3cr3t: id, type, ASCII secret");
	l = parse("authentication-key 65535 hmac-sha1 HEX:0aFF");
	ok(!l->ret && l->req.key_id == 65535 && l->req.key_type == KNTP_KEY_SHA1 &&
	   l->req.secret_len == 2 && l->req.secret[0] == 0x0a &&
	   l->req.secret[1] == 0xff, "HEX: secrets are bytes");
	l = parse("authentication-key 3 cmac-aes-128 0123456789abcdef");
	ok(!l->ret && l->req.key_type == KNTP_KEY_AES128_CMAC &&
	   l->req.secret_len == 16, "cmac-aes-128 with 16 characters");
	l = parse("authentication-key 3 AES128 HEX:000102030405060708090a0b0c0d0e0f");
	ok(!l->ret && l->req.key_type == KNTP_KEY_AES128_CMAC,
	   "chrony's name AES128 is accepted");
	fails("authentication-key 3 cmac-aes-128 short", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 0 md5 x", KNTP_PERR_RANGE, 1, "0");
	fails("authentication-key 65536 md5 x", KNTP_PERR_RANGE, 1, "65536");
	fails("authentication-key 1 sha3 x", KNTP_PERR_UNKNOWN_OPT, 2, "sha3");
	fails("authentication-key 1 md5 HEX:abc", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 1 md5 HEX:zz", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 1 md5", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("authentication-key 1 md5 a b", KNTP_PERR_TRAILING, 4, NULL);
	fails("authentication-key 1 md5 "
	      "01234567890123456789012345678901234567890123456789012345678901234",
	      KNTP_PERR_RANGE, 3, NULL);
	l = parse("no authentication-key 9");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_DEL && l->req.key_id == 9,
	   "no authentication-key 9");
	l = parse("trusted-key 4-10");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_TRUST && l->req.trust &&
	   l->req.key_id == 4 && l->req.key_last == 10, "trusted-key 4-10");
	l = parse("no trusted-key 4 - 10");
	ok(!l->ret && !l->req.trust && l->req.key_id == 4 &&
	   l->req.key_last == 10, "no trusted-key 4 - 10 (IOS spelling)");
	l = parse("trusted-key 6");
	ok(!l->ret && l->req.key_id == 6 && l->req.key_last == 6, "trusted-key 6");
	fails("trusted-key 10-4", KNTP_PERR_RANGE, 1, NULL);
	fails("trusted-key 1-x", KNTP_PERR_NOT_INT, 1, "x");
	l = parse("authenticate");
	ok(!l->ret && (l->req.set & KNTP_REQ_AUTHENTICATE) && l->req.authenticate,
	   "authenticate");
	l = parse("no ntp authenticate");
	ok(!l->ret && (l->req.set & KNTP_REQ_AUTHENTICATE) && !l->req.authenticate,
	   "no ntp authenticate");
	l = parse("server 192.0.2.1 key 7 iburst");
	ok(!l->ret && (l->req.set & KNTP_REQ_KEY) && l->req.key_id == 7,
	   "server ADDR key 7");
	fails("server 192.0.2.1 key 0", KNTP_PERR_RANGE, 3, "0");
	fails("peer 192.0.2.1 key", KNTP_PERR_NO_VALUE, 2, NULL);

	/* The fingerprint: SHA-256("kntp key" || 1 || "secret1"), first 8 bytes. */
	ok(!kntp_key_fingerprint(KNTP_KEY_MD5, (const uint8_t *)"secret1", 7, fp),
	   "fingerprint computed");

	ok(!kntp_conf_parse("t.conf", conf_text, &conf, err, sizeof(err)),
	   "a file with keys, trust and authenticate parses (%s)", err);
	ok(conf.nkeys == 2 && conf.keys[0].id == 1 && conf.keys[1].id == 2 &&
	   !memcmp(conf.keys[0].fp, fp, KNTP_FP_LEN) && conf.secrets_line == 1,
	   "  two keys, the first's fingerprint, secrets from line 1");
	ok(kntp_conf_trusted(conf.trusted, 0, &first, &last) && first == 1 &&
	   last == 2 && kntp_conf_trusted(conf.trusted, 3, &first, &last) &&
	   first == 7 && last == 9 &&
	   !kntp_conf_trusted(conf.trusted, 10, &first, &last),
	   "  trusted 1-2 and 7-9 (7 and 8-9 merge)");
	ok(conf.authenticate && (conf.set & KNTP_REQ_AUTHENTICATE) &&
	   conf.n == 1 && conf.assocs[0].key_id == 2, "  authenticate, peer key 2");
	f = open_memstream(&text, &len);
	kntp_conf_print(f, &conf);
	fclose(f);
	ok(text && !strstr(text, "secret1") && !strstr(text, "0011223344") &&
	   strstr(text, "ntp authentication-key 1 md5 FINGERPRINT:") &&
	   strstr(text, "ntp trusted-key 1-2\n") &&
	   strstr(text, "ntp trusted-key 7-9\n") &&
	   strstr(text, "ntp authenticate\n") &&
	   strstr(text, "ntp peer 198.51.100.2 key 2\n"),
	   "running-config: keys by fingerprint only, ranges, authenticate, key");
	ok(text && !kntp_conf_parse("back", text, &back, err, sizeof(err)) &&
	   back.nkeys == 2 && back.keys[0].secret_is_fp &&
	   !memcmp(back.keys[0].fp, fp, KNTP_FP_LEN) && !back.secrets_line,
	   "  and parses back: the same fingerprints, no secrets (%s)", err);
	kntp_conf_free(&back);
	kntp_conf_free(&conf);
	free(text);

	ok(kntp_conf_parse("t.conf", "ntp authentication-key 1 md5 a\n"
			   "ntp authentication-key 1 md5 b\n", &conf, err,
			   sizeof(err)) &&
	   strstr(err, "t.conf:2: \"ntp authentication-key 1 md5 b\"") &&
	   strstr(err, "given twice (also on line 1)"),
	   "a key given twice: the line quoted (%s)", err);
}

/* Access control: the words, what they parse to, files and printing. */
static void acl_fails(const char *s, const char *words)
{
	struct line *l = parse(s);

	ok(l->ret && strstr(l->err.msg, words),
	   "\"%s\" is refused: %s (got: %s)", s, words, l->err.msg);
}

static void test_acl(void)
{
	struct kntp_conf conf;
	struct line *l;
	char err[1024], *text = NULL;
	size_t size;
	FILE *mem;

	l = parse("access-list 10 permit 192.0.2.77 0.0.0.255");
	ok(!l->ret && l->req.acl_family == KNTP_ACL_IPV4 &&
	   !strcmp(l->req.acl_name, "10") && l->req.acl_has_entry &&
	   l->req.acl_entry.action == KNTP_ACL_PERMIT &&
	   l->req.acl_entry.addr.v4.s_addr == inet_addr("192.0.2.0") &&
	   l->req.acl_entry.wild.s_addr == inet_addr("0.0.0.255"),
	   "access-list 10 permit 192.0.2.77 0.0.0.255: the ignored bits cleared");
	l = parse("access-list 1999 deny host 192.0.2.9");
	ok(!l->ret && l->req.acl_entry.action == KNTP_ACL_DENY &&
	   !l->req.acl_entry.wild.s_addr &&
	   l->req.acl_entry.addr.v4.s_addr == inet_addr("192.0.2.9"),
	   "access-list 1999 deny host 192.0.2.9");
	l = parse("ntp access-list 1 permit any");
	ok(!l->ret && l->req.acl_entry.wild.s_addr == 0xffffffff,
	   "access-list 1 permit any: wildcard 255.255.255.255");
	l = parse("no access-list 99");
	ok(!l->ret && !l->req.acl_has_entry && l->cmd->nl_cmd == KNTP_CMD_ACL_DEL,
	   "no access-list 99: a delete");
	l = parse("ipv6 access-list LAN-6.a_b permit 2001:db8:1:ff::/48");
	ok(!l->ret && l->req.acl_family == KNTP_ACL_IPV6 &&
	   l->req.acl_entry.plen == 48 &&
	   l->req.acl_entry.addr.v6.s6_addr[6] == 0,
	   "ipv6 access-list LAN-6.a_b permit 2001:db8:1:ff::/48: bits past /48 cleared");
	l = parse("ipv6 access-list X deny ipv6 2001:db8::/32 any");
	ok(!l->ret && l->req.acl_entry.action == KNTP_ACL_DENY &&
	   l->req.acl_entry.plen == 32, "IOS form: deny ipv6 2001:db8::/32 any");
	l = parse("ipv6 access-list X");
	ok(!l->ret && !l->req.acl_has_entry, "ipv6 access-list X: the list alone");
	l = parse("access-group ipv6 serve-only X kod");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_SERVE_ONLY6 &&
	   l->req.acl_group_set && l->req.acl_kod && !strcmp(l->req.acl_name, "X"),
	   "access-group ipv6 serve-only X kod");
	l = parse("ntp access-group peer 10");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_PEER4 && !l->req.acl_kod,
	   "ntp access-group peer 10: IPv4 by default");
	l = parse("no ntp access-group ipv4 query-only");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_QUERY_ONLY4 &&
	   !l->req.acl_group_set, "no ntp access-group ipv4 query-only");

	acl_fails("access-list 0 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 100 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 2000 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 10", "missing entry");
	acl_fails("access-list 10 allow any", "unknown word \"allow\"");
	acl_fails("access-list 10 permit", "missing address");
	acl_fails("access-list 10 permit host", "missing address");
	acl_fails("access-list 10 permit 2001:db8::1", "not an IPv4 address");
	acl_fails("access-list 10 permit 192.0.2.0 0.0.0", "not an IPv4 wildcard");
	acl_fails("access-list 10 permit host 192.0.2.1 0.0.0.255",
		  "unexpected argument \"0.0.0.255\"");
	acl_fails("access-list 10 permit any any", "unexpected argument");
	acl_fails("ipv6 access-list", "missing list name");
	acl_fails("ipv6 access-list a:b", "only letters, digits");
	acl_fails("ipv6 access-list AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		  "1 to 32 characters");
	acl_fails("ipv6 access-list X permit 2001:db8::/129", "0..128");
	acl_fails("ipv6 access-list X permit 192.0.2.0/24", "not an IPv6 prefix");
	acl_fails("ipv6 access-list X permit ipv6 2001:db8::/32 2001:db8::1",
		  "any destination");
	acl_fails("access-group", "missing access type");
	acl_fails("access-group ipv6", "missing access type");
	acl_fails("access-group peers 10", "unknown access type \"peers\"");
	acl_fails("access-group peer", "missing access list");
	acl_fails("access-group peer X", "standard IPv4 lists are numbered");
	acl_fails("access-group peer 10 kod now", "unexpected argument \"now\"");
	acl_fails("no access-group peer 10", "unexpected argument \"10\"");

	ok(!conf_of("access-list 10 permit 192.0.2.1\n"
		    "access-list 10 deny any\n"
		    "ipv6 access-list V6\n"
		    "  permit 2001:db8::/32   ! indented\n"
		    "deny ipv6 2001:db8:1::/48 any\n"
		    "ipv6 access-list EMPTY\n"
		    "ntp server 192.0.2.1\n"
		    "ntp access-group peer 10 kod\n"
		    "ntp access-group ipv6 serve V6\n", &conf, err, sizeof(err)) &&
	   conf.acl.n == 3 && conf.acl.lists[0].n == 2 &&
	   conf.acl.lists[1].n == 2 && conf.acl.lists[2].n == 0 &&
	   conf.n == 1 && !strcmp(conf.acl.g[0][0].list, "10") &&
	   conf.acl.g[0][0].kod && !strcmp(conf.acl.g[1][1].list, "V6"),
	   "config: lists, an ipv6 block, groups (%s)", err);
	mem = open_memstream(&text, &size);
	if (mem) {
		kntp_acl_conf_print(mem, &conf.acl);
		fclose(mem);
		ok(text && !strcmp(text,
				   "access-list 10 permit 192.0.2.1\n"
				   "access-list 10 deny any\n"
				   "ipv6 access-list V6\n"
				   " permit 2001:db8::/32\n"
				   " deny 2001:db8:1::/48\n"
				   "ipv6 access-list EMPTY\n"
				   "ntp access-group peer 10 kod\n"
				   "ntp access-group ipv6 serve V6\n"),
		   "config: printed back as routers write it");
		free(text);
	}
	kntp_conf_free(&conf);
	conf_fails("permit any\n",
		   "t.conf:1: \"permit any\": \"permit\" outside an \"ipv6 access-list NAME\" block (IPv4: access-list N permit ...)",
		   "an entry outside a block");
	conf_fails("ipv6 access-list V6\nntp master 3\n permit any\n",
		   "t.conf:3: \"permit any\": \"permit\" outside an \"ipv6 access-list NAME\" block (IPv4: access-list N permit ...)",
		   "another line ends the block");
	conf_fails("ipv6 access-list V6\nipv6 access-list V6\n",
		   "t.conf:2: \"ipv6 access-list V6\": ipv6 access-list V6 defined twice (also on line 1)",
		   "an IPv6 list defined twice");
	conf_fails("ntp access-group ipv6 peer A\nntp access-group ipv6 peer B kod\n",
		   "t.conf:2: \"ntp access-group ipv6 peer B kod\": \"access-group ipv6 peer\" given twice (also on line 1)",
		   "a group given twice");
	conf_fails("no access-list 10\n",
		   "t.conf:1: \"no access-list 10\": \"no access-list\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group)",
		   "no access-list is not configuration");
}

/* "ntp ratelimit ...", "no ntp ratelimit": words, ranges, file, round trip. */
static void test_ratelimit_words(void)
{
	struct kntp_conf conf, back;
	struct kntp_rl rl, d;
	struct kntp_rec r;
	struct line *l;
	char err[1024], buf[160];
	char *text = NULL;
	size_t len;
	FILE *f;

	l = parse("ratelimit");
	kntp_rl_defaults(&d);
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INSTANCE_SET &&
	   (l->req.set & KNTP_REQ_RATELIMIT) && kntp_rl_same(&l->req.rl, &d) &&
	   l->req.rl.interval == 3 && l->req.rl.burst == 8 &&
	   l->req.rl.leak == 2 && !l->req.rl.kod &&
	   l->req.rl.table_size == 4096 && l->req.rl.prefix6 == 64,
	   "\"ratelimit\": on, chrony's defaults (interval 3, burst 8, leak 2), table 4096, /64");
	l = parse("ntp ratelimit ipv6-prefix 56 kod table-size 256 leak 0 burst 16 interval -2");
	ok(!l->ret && l->req.rl.enabled && l->req.rl.interval == -2 &&
	   l->req.rl.burst == 16 && l->req.rl.leak == 0 && l->req.rl.kod &&
	   l->req.rl.table_size == 256 && l->req.rl.prefix6 == 56,
	   "every option, in any order");
	l = parse("ratelimit interval -19 burst 255 leak 4 table-size 1048576 ipv6-prefix 128");
	ok(!l->ret, "the upper and lower ends of the ranges are taken");
	l = parse("ratelimit interval 12 burst 1 table-size 64 ipv6-prefix 32");
	ok(!l->ret, "the other ends too");
	l = parse("no ntp ratelimit");
	ok(!l->ret && (l->req.set & KNTP_REQ_RATELIMIT) && !l->req.rl.enabled,
	   "\"no ntp ratelimit\": off");
	fails("ratelimit interval 13", KNTP_PERR_RANGE, 2, "13");
	fails("ratelimit interval -20", KNTP_PERR_RANGE, 2, "-20");
	fails("ratelimit burst 0", KNTP_PERR_RANGE, 2, "0");
	fails("ratelimit burst 256", KNTP_PERR_RANGE, 2, "256");
	fails("ratelimit leak 5", KNTP_PERR_RANGE, 2, "5");
	fails("ratelimit leak -1", KNTP_PERR_RANGE, 2, "-1");
	fails("ratelimit table-size 1000", KNTP_PERR_RANGE, 2, "1000");
	fails("ratelimit table-size 32", KNTP_PERR_RANGE, 2, "32");
	fails("ratelimit table-size 2097152", KNTP_PERR_RANGE, 2, "2097152");
	fails("ratelimit ipv6-prefix 31", KNTP_PERR_RANGE, 2, "31");
	fails("ratelimit ipv6-prefix 129", KNTP_PERR_RANGE, 2, "129");
	fails("ratelimit burst x", KNTP_PERR_NOT_INT, 2, "x");
	fails("ratelimit burst", KNTP_PERR_NO_VALUE, 1, NULL);
	fails("ratelimit fast", KNTP_PERR_UNKNOWN_OPT, 1, "fast");
	fails("ratelimit kod burst 2 kod", KNTP_PERR_DUP, 4, "kod");
	fails("no ratelimit kod", KNTP_PERR_TRAILING, 2, "kod");
	l = parse("ratelimit burst 0");
	ok(strstr(l->err.msg, "burst") && strstr(l->err.msg, "1..255"),
	   "a range error names the word and the range (%s)", l->err.msg);
	l = parse("ratelimit table-size 1000");
	ok(strstr(l->err.msg, "table-size") && strstr(l->err.msg, "power of two"),
	   "table-size: says it must be a power of two (%s)", l->err.msg);

	/* The running config's line: non-default settings only. */
	kntp_rl_fmt(buf, sizeof(buf), &d);
	ok(!strcmp(buf, "ntp ratelimit"), "defaults: \"ntp ratelimit\" (%s)", buf);
	rl = d;
	rl.interval = -2;
	rl.kod = 1;
	rl.prefix6 = 48;
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "ntp ratelimit interval -2 kod ipv6-prefix 48"),
	   "non-defaults in the synopsis's order (%s)", buf);
	memset(&rl, 0, sizeof(rl));
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "no ntp ratelimit"), "off: \"no ntp ratelimit\"");

	/* From the status nest. */
	memset(&r, 0, sizeof(r));
	r.present = KNTP_REC_BIT(KNTP_A_RATELIMIT_ENABLED) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_INTERVAL) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_BURST) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_LEAK) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_KOD) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_TABLE_SIZE) |
		    KNTP_REC_BIT(KNTP_A_RATELIMIT_IPV6_PREFIX);
	r.v[KNTP_A_RATELIMIT_ENABLED].u = 1;
	r.v[KNTP_A_RATELIMIT_INTERVAL].s = 1;
	r.v[KNTP_A_RATELIMIT_BURST].u = 4;
	r.v[KNTP_A_RATELIMIT_LEAK].u = 0;
	r.v[KNTP_A_RATELIMIT_KOD].u = 1;
	r.v[KNTP_A_RATELIMIT_TABLE_SIZE].u = 64;
	r.v[KNTP_A_RATELIMIT_IPV6_PREFIX].u = 64;
	kntp_rl_from_rec(&rl, &r);
	kntp_rl_fmt(buf, sizeof(buf), &rl);
	ok(!strcmp(buf, "ntp ratelimit interval 1 burst 4 leak 0 kod table-size 64"),
	   "from the status nest (%s)", buf);
	r.v[KNTP_A_RATELIMIT_ENABLED].u = 0;
	kntp_rl_from_rec(&rl, &r);
	ok(!rl.enabled, "ENABLED 0 in the nest: off");
	kntp_rl_from_rec(&rl, NULL);
	ok(!rl.enabled, "no nest (an older kernel): off");

	/* A file: the line, its errors quoted, given twice refused. */
	ok(!conf_of("ntp server 192.0.2.1\nntp ratelimit burst 4 kod\n", &conf,
		    err, sizeof(err)) && (conf.set & KNTP_REQ_RATELIMIT) &&
	   conf.rl.enabled && conf.rl.burst == 4 && conf.rl.kod &&
	   conf.rl.interval == 3,
	   "a file's ratelimit line (%s)", err);
	if (!err[0]) {
		f = open_memstream(&text, &len);
		if (f) {
			kntp_conf_print(f, &conf);
			fclose(f);
			ok(!!strstr(text, "\nntp ratelimit burst 4 kod\n"),
			   "running-config prints it");
			ok(!conf_of(text, &back, err, sizeof(err)) &&
			   kntp_rl_same(&back.rl, &conf.rl),
			   "and it parses back the same (%s)", err);
			if (!err[0])
				kntp_conf_free(&back);
			free(text);
		}
		kntp_conf_free(&conf);
	}
	conf_fails("ntp ratelimit\nntp ratelimit burst 2\n",
		   "t.conf:2: \"ntp ratelimit burst 2\": \"ratelimit\" given twice (also on line 1)",
		   "ratelimit twice");
	conf_fails("! limits\nntp ratelimit burst 0\n",
		   "t.conf:2: \"ntp ratelimit burst 0\": ratelimit: burst \"0\": out of range (1..255)",
		   "a bad value quotes the line");
	conf_fails("no ntp ratelimit\n",
		   "t.conf:1: \"no ntp ratelimit\": \"no ratelimit\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group)",
		   "no ratelimit in a file: leave the line out");
}

int main(void)
{
	test_commands();
	test_errors();
	test_encode();
	test_offsets();
	test_acks();
	test_decode();
	test_render();
	test_show();
	test_instance_commands();
	test_instance_encode();
	test_stats();
	test_metrics();
	test_fmt_measurements();
	test_show_measurements();
	test_status_lines();
	test_clock_commands();
	test_decimal();
	test_clock_encode();
	test_tally();
	test_decode_clock();
	test_status_clock();
	test_config_parse();
	test_config_diff();
	test_config_print();
	test_auth();
	test_json();
	test_assoc_detail();
	test_kernel();
	test_acl();
	test_ratelimit_words();
	printf("1..%d\n", test_num);
	if (test_failed)
		printf("# %d of %d failed\n", test_failed, test_num);
	return test_failed ? 1 : 0;
}
