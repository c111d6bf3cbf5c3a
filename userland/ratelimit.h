/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate limiting ("ntp ratelimit"): its netlink nest, its lines in "show
 * status" and in JSON. The words are parsed in ratelimit.c too (parse.h
 * declares the parser and struct kntp_rl).
 */
#ifndef KNTP_RATELIMIT_H
#define KNTP_RATELIMIT_H

#include <stdio.h>
#include <netlink/msg.h>

#include "attr.h"
#include "json.h"
#include "parse.h"

int kntp_rl_put(struct nl_msg *msg, const struct kntp_rl *rl);
void kntp_rl_from_rec(struct kntp_rl *rl, const struct kntp_rec *r);
void kntp_rl_show(FILE *f, const struct kntp_rec *r);
void kntp_rl_json(struct kntp_json *j, const struct kntp_rec *r);

#endif /* KNTP_RATELIMIT_H */
