/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handlers of the commands that talk to the module: one request
 * each, the replies decoded into records, the errors explained.
 */
#ifndef KNTP_RUN_H
#define KNTP_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "nl.h"

int kntp_run_assoc(const struct kntp_command *c, const struct kntp_req *req,
		   const char *ctx);
int kntp_run_instance(const struct kntp_command *c, const struct kntp_req *req,
		      const char *ctx);
int kntp_run_show_assocs(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx);
int kntp_run_show_assocs_detail(const struct kntp_command *c,
				const struct kntp_req *req, const char *ctx);
int kntp_run_show_status(const struct kntp_command *c, const struct kntp_req *req,
			 const char *ctx);
int kntp_run_show_metrics(const struct kntp_command *c,
			  const struct kntp_req *req, const char *ctx);
int kntp_run_show_counters(const struct kntp_command *c,
			   const struct kntp_req *req, const char *ctx);
int kntp_run_key(const struct kntp_command *c, const struct kntp_req *req,
		 const char *ctx);
int kntp_run_ingress(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx);
int kntp_run_show_keys(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx);
int kntp_run_apply(const struct kntp_command *c, const struct kntp_req *req,
		   const char *ctx);
int kntp_run_show_config(const struct kntp_command *c,
			 const struct kntp_req *req, const char *ctx);
/* Puts the attributes of a request from req. */
typedef int (*kntp_put_fn)(struct nl_msg *msg, const struct kntp_req *req);
int kntp_request(const char *ctx, uint8_t cmd, int flags, kntp_put_fn put,
		 const struct kntp_req *req, kntp_nl_reply_fn fn, void *arg);
struct nlattr *kntp_reply_attr(const struct nlmsghdr *nlh, int type);
void kntp_format_error(char *buf, size_t len, const char *ctx,
		       const struct kntp_ack *ack, const struct nlmsghdr *req);

#endif /* KNTP_RUN_H */
