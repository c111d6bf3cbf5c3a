// SPDX-License-Identifier: GPL-2.0
/*
 * The libnl-genl session with the kntp module.
 *
 * Extended acks are turned on (NETLINK_EXT_ACK) and error messages are capped
 * (NETLINK_CAP_ACK): the kernel's offsets then refer to the request we still
 * hold, so the caller can name the attribute at fault.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "nl.h"

/* Bytes of a request: the largest, an access list, takes about 10 KiB. */
#define KNTP_NL_MSG_SIZE	32768

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * Connect and resolve the generic netlink family name (KNTP_GENL_NAME, or
 * another family for tests). Returns 0, or -1 with the reason in why.
 */
int kntp_nl_open(struct kntp_nl *nl, const char *name, char *why, size_t len)
{
	int one = 1;
	int ret;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		snprintf(why, len, "netlink socket: %s", strerror(ENOMEM));
		return -1;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		snprintf(why, len, "generic netlink: %s", nl_geterror(ret));
		goto err_free;
	}
	/* Both are best effort: old kernels just give fewer details. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sk);

	nl->family = genl_ctrl_resolve(nl->sk, name);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		snprintf(why, len,
			 "the %s module is not loaded (family \"%s\" not found)",
			 name, name);
		goto err_free;
	}
	if (nl->family < 0) {
		snprintf(why, len, "generic netlink family \"%s\": %s",
			 name, nl_geterror(nl->family));
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -1;
}

void kntp_nl_close(struct kntp_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/* A request of family for cmd, with its generic netlink header. */
struct nl_msg *kntp_nl_msg(int family, uint8_t cmd, int flags)
{
	/* Room for a whole access list (256 entries) in one request. */
	struct nl_msg *msg = nlmsg_alloc_size(KNTP_NL_MSG_SIZE);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 KNTP_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The TLVs of an extended ack, len bytes at tlv. */
static void parse_tlvs(const void *tlv, int len, struct kntp_ack *ack)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, (struct nlattr *)tlv, len, rem) {
		int alen = nla_len(a);

		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (alen <= 0)
				break;
			if ((size_t)alen >= sizeof(ack->msg))
				alen = sizeof(ack->msg) - 1;
			memcpy(ack->msg, nla_data(a), alen);
			ack->msg[alen] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (alen < 4)
				break;
			ack->has_offs = 1;
			ack->offs = nla_get_u32((struct nlattr *)a);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (alen < 4)
				break;
			ack->has_miss_type = 1;
			ack->miss_type = nla_get_u32((struct nlattr *)a);
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (alen < 4)
				break;
			ack->has_miss_nest = 1;
			ack->miss_nest = nla_get_u32((struct nlattr *)a);
			break;
		}
	}
}

/*
 * An NLMSG_ERROR (ack or error) or an NLMSG_DONE (end of a dump, with the
 * dump's error) into ack. Honours NLM_F_CAPPED and NLM_F_ACK_TLVS.
 */
void kntp_nl_parse_ack(const struct nlmsghdr *nlh, struct kntp_ack *ack)
{
	const unsigned char *p = (const unsigned char *)nlh;
	uint32_t len = nlh->nlmsg_len;
	uint32_t tlv;
	int error;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (len < NLMSG_LENGTH(sizeof(*e)))
			goto truncated;
		error = e->error;
		tlv = NLMSG_HDRLEN + sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			tlv = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e) +
				e->msg.nlmsg_len - NLMSG_HDRLEN);
	} else {
		/* NLMSG_DONE: an int, the dump's error, may follow. */
		if (len < NLMSG_LENGTH(sizeof(int))) {
			ack->error = 0;
			return;
		}
		memcpy(&error, NLMSG_DATA(nlh), sizeof(int));
		tlv = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	}
	ack->error = error < 0 ? -error : error;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > tlv)
		parse_tlvs(p + tlv, len - tlv, ack);
	return;

truncated:
	ack->error = EPROTO;
	ack->local = 1;
	snprintf(ack->msg, sizeof(ack->msg), "truncated netlink ack");
}

struct talk {
	kntp_nl_reply_fn fn;
	void *arg;
	struct kntp_ack *ack;
	int done;
};

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	int ret;

	if (!t->fn)
		return NL_OK;
	ret = t->fn(nlmsg_hdr(msg), t->arg);
	if (ret < 0) {
		t->ack->error = -ret;
		t->ack->local = 1;
		t->done = 1;
		return NL_STOP;
	}
	return NL_OK;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	kntp_nl_parse_ack(nlmsg_hdr(msg), t->ack);
	t->done = 1;
	return NL_STOP;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct talk *t = arg;

	(void)nla;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	kntp_nl_parse_ack((const struct nlmsghdr *)err - 1, t->ack);
	t->done = 1;
	return NL_STOP;
}

/*
 * Send msg, hand each reply to fn, wait for the ack (or a dump's
 * NLMSG_DONE). Returns 0, or -1 with ack->error set.
 */
int kntp_nl_talk(struct kntp_nl *nl, struct nl_msg *msg, kntp_nl_reply_fn fn,
		 void *arg, struct kntp_ack *ack)
{
	struct talk t = { fn, arg, ack, 0 };
	struct nl_cb *cb;
	int ret;

	memset(ack, 0, sizeof(*ack));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		ack->error = ENOMEM;
		ack->local = 1;
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &t);

	ret = nl_send_auto(nl->sk, msg);
	while (ret >= 0 && !t.done)
		ret = nl_recvmsgs(nl->sk, cb);
	if (ret < 0 && !t.done) {
		ack->error = EPROTO;
		ack->local = 1;
		snprintf(ack->msg, sizeof(ack->msg), "netlink: %s",
			 nl_geterror(ret));
	}
	nl_cb_put(cb);
	return ack->error ? -1 : 0;
}
