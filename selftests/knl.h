/* SPDX-License-Identifier: GPL-2.0 */
/*
 * knl: a deliberately raw generic netlink client for the selftests.
 *
 * The kntp tool validates what it sends; the selftests must also send what
 * the tool never would (short addresses, unknown kinds, read-only and
 * unknown attributes), so they build messages byte by byte here.
 */
#ifndef _KNL_H
#define _KNL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kntp.h>

#define KNL_BUF 65536

struct knl {
	int fd;
	uint16_t family;
	uint32_t seq;
	/* request being built */
	char req[4096];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	/* last ack */
	int error;		/* 0 or negative errno */
	char msg[256];		/* extack message, "" if none */
	uint32_t bad_offs;	/* NLMSGERR_ATTR_OFFS, 0 if none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
};

/* One association as the kernel reports it; -1/absent fields stay 0xff.. */
struct knl_assoc {
	uint32_t id;
	int family;		/* AF_INET / AF_INET6 */
	uint8_t addr[16];
	int kind, version, minpoll, maxpoll, stratum, reach, poll;
	uint32_t flags;
	char refid[5];
};

struct knl_status {
	int leap, stratum, precision;
	char refid[5];
	uint64_t root_delay_ns, root_disp_ns;
	uint32_t assoc_count;
};

int knl_open(struct knl *k);
void knl_close(struct knl *k);

/* Building a request: start, then attributes, nest, end, send. */
void knl_start(struct knl *k, uint8_t cmd, uint16_t flags);
void knl_put(struct knl *k, uint16_t type, const void *data, uint16_t len);
void knl_nest_start(struct knl *k, uint16_t type);
void knl_nest_end(struct knl *k);
/* Offset in the request of the attribute last put, for extack checks. */
uint32_t knl_last_offs(struct knl *k);

/* Send the request and read the ack into k->error/msg/bad_offs. */
int knl_send(struct knl *k);

/* Dump every association into out (at most max); returns count or -errno. */
int knl_dump(struct knl *k, struct knl_assoc *out, int max);
int knl_status(struct knl *k, struct knl_status *st);

/* Convenience: ADD/DEL a numeric address with only the required attrs. */
int knl_add(struct knl *k, const char *addr, int kind);
int knl_del(struct knl *k, const char *addr, int kind);
/* Put ADDR4/ADDR6 for a numeric address; false if it does not parse. */
bool knl_put_addr(struct knl *k, const char *addr);

#endif /* _KNL_H */
