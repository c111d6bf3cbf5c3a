// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel, through nl.c: the kntp family absent (or loaded), and
 * the "nlctrl" family's real extended ack, doit reply and dump.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>

#include "nl.h"
#include "test_util.h"

/* A reply handler for kntp_nl_talk(): counts the replies into *arg. */
static int count_reply(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

/* A real extended ack from the running kernel, through kntp_nl_talk. */
void test_kernel(void)
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
		skip("the kntp module is loaded");
	} else {
		ok(!!strstr(why, "module is not loaded"),
		   "no module: %s", why);
	}
	if (kntp_nl_open(&nl, "nlctrl", why, sizeof(why))) {
		skip("no generic netlink: %s", why);
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
