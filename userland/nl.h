/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink session with the kntp module: resolve the
 * family, send one request, receive its replies, its ack and the extended
 * ack that explains an error.
 */
#ifndef KNTP_NL_H
#define KNTP_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

struct kntp_nl {
	struct nl_sock *sk;
	int family;		/* generic netlink family id of "kntp" */
};

/* The outcome of one request: errno and the extended ack, if any. */
struct kntp_ack {
	int error;		/* 0, or a positive errno */
	int local;		/* the error arose here, not in the kernel */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or a local reason */
	int has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: into our request */
	int has_miss_type;
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
	int has_miss_nest;
	uint32_t miss_nest;	/* NLMSGERR_ATTR_MISS_NEST: into our request */
};

/* Called for each reply message; returns 0 or a negative errno. */
typedef int (*kntp_nl_reply_fn)(const struct nlmsghdr *nlh, void *arg);

int kntp_nl_open(struct kntp_nl *nl, const char *name, char *why, size_t len);
void kntp_nl_close(struct kntp_nl *nl);
struct nl_msg *kntp_nl_msg(int family, uint8_t cmd, int flags);
int kntp_nl_talk(struct kntp_nl *nl, struct nl_msg *msg, kntp_nl_reply_fn fn,
		 void *arg, struct kntp_ack *ack);
void kntp_nl_parse_ack(const struct nlmsghdr *nlh, struct kntp_ack *ack);

#endif /* KNTP_NL_H */
