/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access control: the words of "access-list", "ipv6 access-list" and
 * "ntp access-group", their requests, "show access-lists", and the lists
 * and groups of a configuration file and of the running configuration.
 */
#ifndef KNTP_ACL_H
#define KNTP_ACL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kntp.h>
#include <netlink/msg.h>

#include "cmd.h"
#include "parse.h"

#define KNTP_ACL_FAMS	2	/* IPv4, IPv6 */

/* A list: its family, name and entries in order. */
struct kntp_acl_def {
	uint8_t family;		/* enum kntp_acl_family */
	char name[KNTP_ACL_NAME_MAX + 1];
	struct kntp_acl_ent *e;
	size_t n;
	int line;		/* in the file, 0: from the kernel */
};

/* A group: the name of its list; list[0] == 0 when not set. */
struct kntp_acl_grp {
	char list[KNTP_ACL_NAME_MAX + 1];
	uint8_t kod;
	uint8_t defined;	/* from the kernel: the list exists */
	int line;
};

/* The lists and groups of a file or of the kernel. */
struct kntp_acl_conf {
	struct kntp_acl_def *lists;
	size_t n;
	struct kntp_acl_grp g[KNTP_ACL_FAMS][KNTP_ACCESS_TYPES];
	int block;		/* parsing: the ipv6 list entries go to, -1 */
};

int kntp_parse_access_group(int argc, char **argv, int argi,
			    struct kntp_req *req, struct kntp_perr *err,
			    int no);
int kntp_parse_access_list(int argc, char **argv, int argi,
			   struct kntp_req *req, struct kntp_perr *err, int no);
int kntp_parse_ipv6_acl(int argc, char **argv, int argi, struct kntp_req *req,
			struct kntp_perr *err, int no);
int kntp_acl_name_ok(const char *name, uint8_t family, char *why, size_t len);
const char *kntp_acl_type_name(unsigned int t);

int kntp_run_acl_set(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx);
int kntp_run_acl_del(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx);
int kntp_run_access_group(const struct kntp_command *c,
			  const struct kntp_req *req, const char *ctx);
int kntp_run_show_acls(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx);

int kntp_acl_conf_line(struct kntp_acl_conf *ac, const struct kntp_command *c,
		       const struct kntp_req *req, int line, char *why,
		       size_t wlen);
int kntp_acl_conf_entry(struct kntp_acl_conf *ac, int argc, char **argv,
			int line, char *why, size_t wlen);
void kntp_acl_conf_free(struct kntp_acl_conf *ac);
int kntp_acl_conf_kernel(const char *ctx, struct kntp_acl_conf *ac);
int kntp_acl_conf_lists(const char *ctx, struct kntp_acl_conf *ac);
void kntp_acl_conf_groups(struct kntp_acl_conf *ac, void *status,
			  int len);
void kntp_acl_conf_print(FILE *f, const struct kntp_acl_conf *ac);
int kntp_acl_apply(const char *name, const struct kntp_acl_conf *file,
		   const struct kntp_acl_conf *kern, char **text, size_t ntext,
		   int *changes);

#endif /* KNTP_ACL_H */
