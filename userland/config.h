/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file ("kntp apply FILE") and the running configuration
 * ("kntp show running-config"): one command per line in the words of the
 * command line, parsed and checked as a whole before anything is sent; the
 * difference between the kernel's associations and the file's.
 */
#ifndef KNTP_CONFIG_H
#define KNTP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include <linux/kntp.h>

#include "acl.h"
#include "attr.h"
#include "auth.h"
#include "parse.h"

#define KNTP_CONF_DEFAULT	"/etc/kntp.conf"

/* One association: its address and effective settings. */
struct kntp_conf_assoc {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint8_t kind;		/* enum kntp_assoc_kind */
	uint8_t version;
	int8_t minpoll;
	int8_t maxpoll;
	uint32_t flags;
	uint16_t key_id;	/* 0: none */
	int line;		/* in the file, 0: from the kernel */
	struct kntp_req req;	/* as written (what ADD sends) */
};

/*
 * A key: from the kernel, its fingerprint; from a file, its secret or, as
 * show running-config prints it, its fingerprint (secret_is_fp).
 */
struct kntp_conf_key {
	uint16_t id;
	uint8_t type;			/* enum kntp_key_type */
	uint8_t fp[KNTP_FP_LEN];
	uint8_t secret_is_fp;
	uint8_t secret_len;
	uint8_t secret[KNTP_SECRET_MAX];
	int line;
};

/*
 * A device requests are answered at ("ntp serve ingress IFNAME"): from a
 * file, its name as written and the index it has here; from the kernel,
 * its index and its name here ("" when it has none).
 */
struct kntp_conf_ingress {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	int line;		/* in the file, 0: from the kernel */
};

/* The trusted key ids, a bit each (KNTP_KEY_ID_MAX + 1 bits). */
#define KNTP_TRUST_WORDS	((65536 + 63) / 64)

/* Which instance settings a file gives or the kernel has (set). */
struct kntp_conf {
	struct kntp_conf_assoc *assocs;
	size_t n;
	struct kntp_conf_key *keys;
	size_t nkeys;
	int keys_hidden;	/* the kernel would not list its keys */
	int secrets_line;	/* the first line with a secret, 0 none */
	uint64_t trusted[KNTP_TRUST_WORDS];
	uint8_t authenticate;	/* KNTP_REQ_AUTHENTICATE in set */
	/*
	 * KNTP_REQ_MASTER, _CLOCK, _*_THRESHOLD, _STEPOUT, _AUTHENTICATE,
	 * _RATELIMIT
	 */
	unsigned int set;
	uint8_t master;
	uint8_t clock;
	uint64_t step_ns, panic_ns, stepout_ns;
	struct kntp_rl rl;	/* KNTP_REQ_RATELIMIT */
	int lines[16];		/* line of each setting, by bit of set */
	char **text;		/* text[i]: line i + 1, trimmed */
	size_t ntext;
	struct kntp_acl_conf acl;	/* access lists and groups */
	/* the devices answered at, in the file's or the kernel's order */
	struct kntp_conf_ingress ingress[KNTP_INGRESS_DEVICES_MAX];
	size_t ningress;
};

enum kntp_conf_op {
	KNTP_CONF_KEEP,
	KNTP_CONF_ADD,
	KNTP_CONF_DEL,
	KNTP_CONF_REPLACE,
};

struct kntp_conf_change {
	enum kntp_conf_op op;
	const struct kntp_conf_assoc *kern;	/* KEEP, DEL, REPLACE */
	const struct kntp_conf_assoc *file;	/* KEEP, ADD, REPLACE */
	char why[160];				/* REPLACE: "minpoll 4 -> 6" */
};

int kntp_conf_parse(const char *name, const char *text,
		    struct kntp_conf *conf, char *err, size_t len);
void kntp_conf_free(struct kntp_conf *conf);
int kntp_conf_from_kernel(struct kntp_conf *conf, const struct kntp_rec *assocs,
			  size_t n, const struct kntp_rec *status);
int kntp_conf_same_addr(const struct kntp_conf_assoc *a,
			const struct kntp_conf_assoc *b);
int kntp_conf_diff(const struct kntp_conf_assoc *kern, size_t nk,
		   const struct kntp_conf_assoc *file, size_t nf,
		   struct kntp_conf_change **out, size_t *n);
void kntp_conf_fmt_addr(char *buf, size_t len, const struct kntp_conf_assoc *a);
void kntp_conf_print(FILE *f, const struct kntp_conf *conf);
int kntp_conf_trusted(const uint64_t *bits, uint32_t from, uint32_t *first,
		      uint32_t *last);
void kntp_conf_trust_range(uint64_t *bits, uint32_t first, uint32_t last,
			   int on);
int kntp_conf_add_key(struct kntp_conf *conf, const struct kntp_conf_key *k);
void kntp_conf_ingress_from_kernel(struct kntp_conf *conf,
				   const struct kntp_ifindexes *in);
const struct kntp_conf_ingress *
kntp_conf_find_ingress(const struct kntp_conf *conf, uint32_t ifindex);
void kntp_conf_ingress_name(char *buf, size_t len,
			    const struct kntp_conf_ingress *in);
const char *kntp_conf_kind_name(uint8_t kind);

int kntp_resolve_host(const char *host, char *buf, size_t len, char *why,
		      size_t wlen);
int kntp_resolve_ifname(const char *name, uint32_t *ifindex, char *why,
			size_t wlen);

#endif /* KNTP_CONFIG_H */
