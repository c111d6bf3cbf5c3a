// SPDX-License-Identifier: GPL-2.0
/*
 * "ntp serve ingress IFNAME": the command's words, the name resolved, the
 * request's nest and the kernel's errors about it, the status's INGRESS
 * decoded and shown (text and JSON), and the file's lines (config.c).
 *
 * The devices: "lo", which every namespace has (the kernel refuses to
 * answer at it, the tool does not look at a device's type), and
 * "kntp-nodev0", which no namespace has.
 */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "config.h"
#include "nl.h"
#include "run.h"
#include "show.h"
#include "test_util.h"

#define NODEV	"kntp-nodev0"

/* An index no device of this namespace has, or 0 when none was found. */
static uint32_t unused_ifindex(void)
{
	char name[IF_NAMESIZE];
	uint32_t i;

	for (i = 0x7ffff000; i < 0x7ffff010; i++)
		if (!if_indextoname(i, name))
			return i;
	return 0;
}

/* The words: both commands, the optional "ntp", the name's errors. */
static void ingress_words(void)
{
	struct line *l;

	l = parse("serve ingress lo");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INGRESS_ADD &&
	   (l->cmd->flags & KNTP_CMDF_CONFIG) &&
	   !(l->cmd->flags & KNTP_CMDF_NO) && !strcmp(l->req.ifname, "lo") &&
	   !l->req.ifindex && !l->req.kind && !l->req.set,
	   "serve ingress lo: INGRESS_ADD, a configuration line, the name kept, not resolved (%s)",
	   l->err.msg);
	l = parse("ntp serve ingress eth1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INGRESS_ADD &&
	   !strcmp(l->req.ifname, "eth1"),
	   "ntp serve ingress eth1: the router's \"ntp\"");
	l = parse("no ntp serve ingress eth1");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_INGRESS_DEL &&
	   (l->cmd->flags & KNTP_CMDF_NO) &&
	   !(l->cmd->flags & KNTP_CMDF_CONFIG) &&
	   !strcmp(l->req.ifname, "eth1"),
	   "no ntp serve ingress eth1: INGRESS_DEL, the \"no\" form");
	l = parse("serve ingress abcdefghijklmno");
	ok(!l->ret && !strcmp(l->req.ifname, "abcdefghijklmno"),
	   "a name of IFNAMSIZ - 1 = 15 characters is taken");

	fails("serve ingress", KNTP_PERR_NO_VALUE, -1, NULL);
	l = parse("serve ingress");
	ok(l->ret && !strcmp(l->err.msg, "missing device name (IFNAME)"),
	   "missing IFNAME: \"%s\"", l->err.msg);
	fails("no serve ingress", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("serve ingress eth0 eth1", KNTP_PERR_TRAILING, 3, "eth1");
	fails("ntp serve ingress eth0 extra", KNTP_PERR_TRAILING, 4, "extra");
	fails("serve ingress abcdefghijklmnop", KNTP_PERR_RANGE, 2,
	      "abcdefghijklmnop");
	l = parse("serve ingress abcdefghijklmnop");
	ok(l->ret && !strcmp(l->err.msg,
			     "device name \"abcdefghijklmnop\": longer than 15 characters"),
	   "a name of 16 characters: \"%s\"", l->err.msg);
	fails("-j serve ingress lo", KNTP_PERR_UNKNOWN_OPT, 3, NULL);
	fails("serve", KNTP_PERR_COMMAND, -1, NULL);
	l = parse("serve");
	ok(l->ret && !strcmp(l->err.msg,
			     "serve: incomplete command (expected ingress)"),
	   "serve alone: \"%s\"", l->err.msg);
}

/* The name to its index here; a name without a device refused. */
static void ingress_resolve(void)
{
	uint32_t ifindex = 0;
	char why[160] = "";
	int ret;

	ret = kntp_resolve_ifname("lo", &ifindex, why, sizeof(why));
	ok(!ret && ifindex && ifindex == if_nametoindex("lo"),
	   "lo resolves to its index %u (%s)", ifindex, why);
	ifindex = 77;
	ret = kntp_resolve_ifname(NODEV, &ifindex, why, sizeof(why));
	ok(ret && ifindex == 77 &&
	   !strcmp(why, "no device '" NODEV "' in this network namespace"),
	   "no such device: \"%s\"", why);
}

/* msg's one top-level attribute, a nest, and the u32s in it. */
static int ingress_nest(struct nl_msg *msg, int *type, uint32_t *ifindex,
			int *n)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a, *top = NULL, *in;
	int rem, rem2, ntop = 0;

	*n = 0;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		ntop++;
		top = a;
	}
	if (ntop != 1)
		return -1;
	*type = top->nla_type;
	nla_for_each_nested(in, top, rem2) {
		if (nla_type(in) != KNTP_A_INGRESS_IFINDEX ||
		    nla_len(in) != 4)
			return -1;
		*ifindex = nla_get_u32(in);
		(*n)++;
	}
	return 0;
}

/* The request, and the kernel's errors named as the tool prints them. */
static void ingress_encode(void)
{
	struct line *l = parse("serve ingress lo");
	struct nlmsghdr *nlh;
	struct kntp_req r = l->req;
	struct kntp_ack ack;
	struct nl_msg *msg;
	uint32_t ifindex = 0, offs;
	char line[512], want[256];
	int type = 0, n = 0;
	const char *name;

	r.ifindex = 7;
	msg = kntp_nl_msg(0x42, l->cmd->nl_cmd, 0);
	ok(msg && !kntp_attr_put_ingress(msg, &r) &&
	   !ingress_nest(msg, &type, &ifindex, &n) &&
	   type == (KNTP_A_INGRESS | NLA_F_NESTED) && n == 1 && ifindex == 7,
	   "serve ingress sends exactly INGRESS{IFINDEX u32}, NLA_F_NESTED set");
	if (!msg)
		return;
	nlh = nlmsg_hdr(msg);
	ok(((struct genlmsghdr *)nlmsg_data(nlh))->cmd == KNTP_CMD_INGRESS_ADD,
	   "genl header: INGRESS_ADD");
	/* The nest right after the genl header, IFINDEX right inside it. */
	offs = NLMSG_HDRLEN + GENL_HDRLEN;
	name = kntp_attr_name_at(nlh, offs + NLA_HDRLEN, NULL);
	ok(name && !strcmp(name, "ifindex"), "offset of IFINDEX names ifindex");
	name = kntp_attr_name_at(nlh, offs, NULL);
	ok(name && !strcmp(name, "ingress"), "offset of the nest names ingress");

	memset(&ack, 0, sizeof(ack));
	ack.error = EOPNOTSUPP;
	snprintf(ack.msg, sizeof(ack.msg), "%s",
		 "kntp: answers at ingress need an Ethernet device");
	kntp_format_error(line, sizeof(line), "serve ingress lo", &ack, nlh);
	snprintf(want, sizeof(want),
		 "kntp: serve ingress lo: %s: answers at ingress need an Ethernet device",
		 strerror(EOPNOTSUPP));
	ok(!strcmp(line, want), "the kernel's refusal as printed (%s)", line);

	memset(&ack, 0, sizeof(ack));
	ack.error = EINVAL;
	ack.has_miss_type = 1;
	ack.miss_type = KNTP_A_INGRESS_IFINDEX;
	ack.has_miss_nest = 1;
	ack.miss_nest = offs;
	kntp_format_error(line, sizeof(line), "serve ingress lo", &ack, nlh);
	ok(!!strstr(line, "(missing attribute ifindex in ingress)"),
	   "a missing IFINDEX named with its nest (%s)", line);
	nlmsg_free(msg);
}

/* A status: STRATUM, then INGRESS with these devices (n < 0: none sent). */
static int status_with(unsigned char *buf, const uint32_t *ifindex, int n)
{
	unsigned char nest[512];
	int len = 0, m = 0, i;

	len += put(buf + len, KNTP_A_STATUS_STRATUM, 1, "\x10");
	if (n < 0)
		return len;
	for (i = 0; i < n; i++)
		m += put(nest + m, KNTP_A_INGRESS_IFINDEX, 4, &ifindex[i]);
	len += put(buf + len, KNTP_A_STATUS_INGRESS | NLA_F_NESTED, m, nest);
	return len;
}

static char *ingress_text(const struct kntp_ifindexes *in)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_show_ingress(mem, in);
	fclose(mem);
	return text;
}

/* The status's INGRESS: decoded in order, shown as a line and as JSON. */
static void ingress_status(void)
{
	uint32_t lo = if_nametoindex("lo"), gone = unused_ifindex();
	uint32_t dev[KNTP_INGRESS_KEPT + 2];
	unsigned char buf[1024];
	struct kntp_reply st;
	char want[256], *text;
	int n, i;

	dev[0] = lo;
	dev[1] = gone;
	n = status_with(buf, dev, 2);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	ok(kntp_rec_has(&st.rec, KNTP_A_STATUS_INGRESS) &&
	   st.ingress.n == 2 && st.ingress.ifindex[0] == lo &&
	   st.ingress.ifindex[1] == gone &&
	   st.rec.v[KNTP_A_STATUS_STRATUM].u == 16,
	   "INGRESS decodes: two devices, in the kernel's order (%u)",
	   st.ingress.n);
	if (!gone) {
		skip("no unused ifindex found");
	} else {
		text = ingress_text(&st.ingress);
		snprintf(want, sizeof(want),
			 "Answering at ingress: lo, ifindex %u\n", gone);
		ok(text && !strcmp(text, want),
		   "show status: one line, names, \"ifindex N\" without one");
		free(text);
		text = json_of(1, &st, NULL, NULL, 0);
		snprintf(want, sizeof(want),
			 "{\"synchronized\": false, \"system_peer\": null, "
			 "\"stratum\": 16, \"ingress\": [\"lo\", \"ifindex %u\"]}\n",
			 gone);
		ok(text && json_valid(text) && !strcmp(text, want),
		   "JSON: \"ingress\", an array of names");
		free(text);
	}

	n = status_with(buf, dev, 0);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	ok(kntp_rec_has(&st.rec, KNTP_A_STATUS_INGRESS) && !st.ingress.n,
	   "an empty INGRESS: sent, no device");
	text = ingress_text(&st.ingress);
	ok(text && !text[0], "show status: no line without a device");
	free(text);
	text = json_of(1, &st, NULL, NULL, 0);
	ok(text && json_valid(text) && strstr(text, ", \"ingress\": []}\n"),
	   "JSON: \"ingress\": [] without a device");
	free(text);

	n = status_with(buf, dev, -1);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	text = json_of(1, &st, NULL, NULL, 0);
	ok(!kntp_rec_has(&st.rec, KNTP_A_STATUS_INGRESS) && !st.ingress.n &&
	   text && !strstr(text, "ingress"),
	   "no INGRESS (an older module): no key");
	free(text);

	/* More than the module can have; a malformed entry in between. */
	for (i = 0; i < KNTP_INGRESS_KEPT + 2; i++)
		dev[i] = i + 1;
	n = status_with(buf, dev, KNTP_INGRESS_KEPT + 2);
	kntp_reply_decode(&kntp_status_set, buf, n, &st);
	ok(st.ingress.n == KNTP_INGRESS_KEPT &&
	   st.ingress.ifindex[KNTP_INGRESS_KEPT - 1] == KNTP_INGRESS_KEPT,
	   "more than %d devices: the first %d kept", KNTP_INGRESS_KEPT,
	   KNTP_INGRESS_KEPT);
	{
		unsigned char nest[64];
		int m = 0;

		m += put(nest + m, KNTP_A_INGRESS_IFINDEX, 4, &dev[0]);
		m += put(nest + m, KNTP_A_INGRESS_IFINDEX, 2, "\1\0");
		m += put(nest + m, KNTP_A_INGRESS_UNSPEC, 4, &dev[1]);
		m += put(nest + m, KNTP_A_INGRESS_IFINDEX, 4, &dev[2]);
		n = put(buf, KNTP_A_STATUS_INGRESS | NLA_F_NESTED, m, nest);
		kntp_reply_decode(&kntp_status_set, buf, n, &st);
		ok(st.ingress.n == 2 && st.ingress.ifindex[0] == 1 &&
		   st.ingress.ifindex[1] == 3,
		   "a short entry and another type are skipped (%u)",
		   st.ingress.n);
	}
	kntp_rec_decode(&kntp_status_set, buf, n, &st.rec);
	ok(kntp_rec_has(&st.rec, KNTP_A_STATUS_INGRESS),
	   "a record alone marks INGRESS present");
}

/* A configuration printed as show running-config prints it. */
static char *conf_text(const struct kntp_conf *conf)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	kntp_conf_print(mem, conf);
	fclose(mem);
	return text;
}

/* The file's lines: resolved, refused twice or beyond the module's most. */
static void ingress_file(void)
{
	uint32_t lo = if_nametoindex("lo"), gone = unused_ifindex();
	struct kntp_conf conf, back, kern;
	struct kntp_ifindexes in;
	char err[1024], big[2048], want[256], *text;
	size_t n = 0;
	int i, ret;

	ret = conf_of("ntp master 3\n"
		      "ntp serve ingress lo   ! the tool does not check the type\n",
		      &conf, err, sizeof(err));
	ok(!ret && conf.ningress == 1 && !strcmp(conf.ingress[0].name, "lo") &&
	   conf.ingress[0].ifindex == lo && conf.ingress[0].line == 2,
	   "a file's serve ingress line: name, index, line (%s)", err);
	if (!ret) {
		text = conf_text(&conf);
		ok(text && strstr(text, "\nntp master 3\nntp serve ingress lo\n"),
		   "running-config prints \"ntp serve ingress lo\"");
		ret = conf_of(text, &back, err, sizeof(err));
		ok(!ret && back.ningress == 1 && back.ingress[0].ifindex == lo,
		   "and it parses back the same (%s)", err);
		if (!ret)
			kntp_conf_free(&back);
		free(text);
		kntp_conf_free(&conf);
	}
	ok(!conf_of("serve ingress lo\n", &conf, err, sizeof(err)) &&
	   conf.ningress == 1 && conf.ingress[0].ifindex == lo,
	   "without \"ntp\" (%s)", err);
	if (!err[0])
		kntp_conf_free(&conf);

	conf_fails("ntp serve ingress lo\n! again\nserve ingress lo\n",
		   "t.conf:3: \"serve ingress lo\": serve ingress lo given twice (also on line 1)",
		   "a device twice");
	conf_fails("ntp master 3\nntp serve ingress " NODEV "\n",
		   "t.conf:2: \"ntp serve ingress kntp-nodev0\": no device 'kntp-nodev0' in this network namespace",
		   "a device this namespace does not have");
	conf_fails("ntp serve ingress " NODEV "\nntp server 192.0.2.300\n",
		   "t.conf:2: \"ntp server 192.0.2.300\": \"192.0.2.300\": not an IPv4 or IPv6 address",
		   "every line is parsed before a device is looked up");
	conf_fails("ntp serve ingress\n",
		   "t.conf:1: \"ntp serve ingress\": serve ingress: missing device name (IFNAME)",
		   "a line without IFNAME");
	conf_fails("ntp serve ingress lo eth0\n",
		   "t.conf:1: \"ntp serve ingress lo eth0\": unexpected argument \"eth0\"",
		   "a line with two names");
	conf_fails("ntp serve ingress abcdefghijklmnop\n",
		   "t.conf:1: \"ntp serve ingress abcdefghijklmnop\": device name \"abcdefghijklmnop\": longer than 15 characters",
		   "a name too long");
	conf_fails("no ntp serve ingress lo\n",
		   "t.conf:1: \"no ntp serve ingress lo\": \"no serve ingress\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "no serve ingress in a file: leave the line out");

	/*
	 * The module's most is taken, then looked up in order (none of
	 * these exists: line 1 fails); one more is refused before any
	 * look-up.
	 */
	for (i = 0; i < KNTP_INGRESS_DEVICES_MAX; i++)
		n += snprintf(big + n, sizeof(big) - n,
			      "ntp serve ingress " NODEV "-%d\n", i);
	conf_fails(big,
		   "t.conf:1: \"ntp serve ingress kntp-nodev0-0\": no device 'kntp-nodev0-0' in this network namespace",
		   "the module's most is taken, then looked up in order");
	snprintf(big + n, sizeof(big) - n, "ntp serve ingress " NODEV "-%d\n",
		 KNTP_INGRESS_DEVICES_MAX);
	snprintf(want, sizeof(want),
		 "t.conf:%d: \"ntp serve ingress kntp-nodev0-%d\": serve ingress: at most %d devices (this is the %dth)",
		 KNTP_INGRESS_DEVICES_MAX + 1, KNTP_INGRESS_DEVICES_MAX,
		 KNTP_INGRESS_DEVICES_MAX, KNTP_INGRESS_DEVICES_MAX + 1);
	conf_fails(big, want, "more devices than the module answers at");

	/* The kernel's devices: named here, or a comment without a name. */
	memset(&kern, 0, sizeof(kern));
	memset(&in, 0, sizeof(in));
	in.ifindex[in.n++] = lo;
	if (gone)
		in.ifindex[in.n++] = gone;
	kntp_conf_ingress_from_kernel(&kern, &in);
	ok(kern.ningress == in.n && !strcmp(kern.ingress[0].name, "lo") &&
	   kern.ingress[0].ifindex == lo && !kern.ingress[0].line &&
	   (!gone || (!kern.ingress[1].name[0] &&
		      kern.ingress[1].ifindex == gone)),
	   "the kernel's devices by index, named here");
	ok(kntp_conf_find_ingress(&kern, lo) == &kern.ingress[0] &&
	   !kntp_conf_find_ingress(&kern, 0x7fffffff),
	   "a device found by its index, another not");
	text = conf_text(&kern);
	snprintf(want, sizeof(want),
		 "ntp serve ingress lo\n! ntp serve ingress: ifindex %u has no name in this namespace\n",
		 gone);
	ok(text && (gone ? !!strstr(text, want) :
		    !!strstr(text, "ntp serve ingress lo\n")),
	   "running-config: the kernel's devices, one without a name as a comment");
	free(text);
	if (gone) {
		kntp_conf_ingress_name(want, sizeof(want), &kern.ingress[1]);
		snprintf(big, sizeof(big), "ifindex %u", gone);
		ok(!strcmp(want, big), "a device without a name: \"%s\"", want);
	}
	kntp_conf_free(&kern);
}

/* "ntp serve ingress IFNAME", "no ntp serve ingress IFNAME". */
void test_ingress(void)
{
	ingress_words();
	ingress_resolve();
	ingress_encode();
	ingress_status();
	ingress_file();
}
