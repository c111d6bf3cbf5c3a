// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and replies as attributes (attr.c): command lines encoded into
 * netlink messages, an extended ack's offset named, acks parsed (nl.c) and
 * turned into error lines (run.c), and reply attributes decoded.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl.h"
#include "run.h"
#include "test_util.h"

/* Line s as a message (family id 0x42) with put_req()'s attributes. */
static struct nl_msg *build_with(const char *s, kntp_put_fn put_req)
{
	struct line *l = parse(s);
	struct nl_msg *msg;

	if (l->ret)
		return NULL;
	msg = kntp_nl_msg(0x42, l->cmd->nl_cmd, 0);
	if (msg && put_req(msg, &l->req)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* An association's command as a message. */
static struct nl_msg *build(const char *s)
{
	return build_with(s, kntp_attr_put_assoc);
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

void test_encode(void)
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

void test_offsets(void)
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

/* An error with a message and an offset, capped or not; its line. */
static void acks_offset(struct nl_msg *msg)
{
	uint32_t offs = offset_of(msg, KNTP_A_ASSOC_MINPOLL);
	unsigned char buf[1024];
	struct kntp_ack ack;
	char line[512], want[128];
	int capped;

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
}

/* Without NLM_F_ACK_TLVS, with a missing attribute, with errno alone. */
static void acks_other(struct nl_msg *msg)
{
	uint32_t offs = offset_of(msg, KNTP_A_ASSOC_MINPOLL);
	unsigned char buf[1024];
	struct kntp_ack ack;
	char line[512];

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
}

/* A dump's error comes in its NLMSG_DONE. */
static void ack_done(void)
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
	struct kntp_ack ack;

	memset(&ack, 0, sizeof(ack));
	kntp_nl_parse_ack(&done.h, &ack);
	ok(ack.error == EPERM && !strcmp(ack.msg, "nope"),
	   "NLMSG_DONE carries the dump's error and message");
}

void test_acks(void)
{
	struct nl_msg *msg = build("server 192.0.2.1 minpoll 40");

	if (!msg) {
		ok(0, "build the request for the ack tests");
		return;
	}
	acks_offset(msg);
	acks_other(msg);
	ack_done();
	nlmsg_free(msg);
}

void test_decode(void)
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

/* An instance command as a message. */
static struct nl_msg *build_instance(const char *s)
{
	return build_with(s, kntp_attr_put_instance);
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

/* Each instance setting sends its one attribute; show counters the address. */
static void instance_encode_settings(void)
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
	struct nl_msg *msg;
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
}

/* The kernel refuses a stratum: the error names the attribute. */
static void instance_encode_errors(void)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	const struct kntp_attrset *set;
	struct kntp_ack ack;
	unsigned char buf[1024];
	struct nl_msg *msg;
	char line[512];
	const char *name;
	uint32_t offs;

	msg = build_instance("master 20");
	if (!msg || !top_nest(msg, KNTP_A_INSTANCE, tb) ||
	    !tb[KNTP_A_INSTANCE_MASTER]) {
		ok(0, "build the request for the master error tests");
		nlmsg_free(msg);
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

void test_instance_encode(void)
{
	instance_encode_settings();
	instance_encode_errors();
}

/* Each clock setting sends its one attribute, in ns or ppb. */
static void clock_encode_settings(void)
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
	struct nl_msg *msg;
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
}

/* clock inject sends both its attributes; the kernel's refusal names one. */
static void clock_encode_inject(void)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	struct kntp_ack ack;
	unsigned char buf[1024];
	struct nl_msg *msg;
	char line[512];
	const char *name;
	uint32_t offs;

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

void test_clock_encode(void)
{
	clock_encode_settings();
	clock_encode_inject();
}

/* A status nest as the kernel sends it, decoded: every new type. */
static void decode_status_clock(void)
{
	unsigned char buf[1024], u8v;
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
}

/* Strings: NUL-terminated, bounded. */
static void decode_strings(void)
{
	unsigned char buf[1024];
	char note[KNTP_CLOCK_NOTE_MAX + 40];
	struct kntp_rec rec;
	const char *str;
	int n;

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
}

/* An association's tally and reason for rejection. */
static void decode_tally_reject(void)
{
	unsigned char buf[64], u8v;
	struct kntp_rec rec;
	int n = 0;

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

void test_decode_clock(void)
{
	decode_status_clock();
	decode_strings();
	decode_tally_reject();
}
