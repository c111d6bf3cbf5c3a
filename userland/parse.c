// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, integers and association options from the command
 * line, into struct kntp_req. Errors quote the offending argument.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum kntp_opt_type {
	KNTP_OPT_FLAG,		/* a word alone: sets a bit of KNTP_A_ASSOC_FLAGS */
	KNTP_OPT_S8,		/* a word and an integer that fits an s8 */
	KNTP_OPT_U8,		/* a word and an integer that fits a u8 */
};

/* The options of "server" and "peer", in the order help lists them. */
static const struct kntp_opt {
	const char *name;
	const char *arg;	/* name of the value in help, NULL for flags */
	const char *desc;
	enum kntp_opt_type type;
	unsigned int set;	/* KNTP_REQ_* the option sets */
	uint32_t flag;		/* KNTP_ASSOC_F_* for KNTP_OPT_FLAG */
} kntp_opts[] = {
	{ "minpoll", "N", "shortest poll interval: 2^N seconds",
	  KNTP_OPT_S8, KNTP_REQ_MINPOLL, 0 },
	{ "maxpoll", "N", "longest poll interval: 2^N seconds",
	  KNTP_OPT_S8, KNTP_REQ_MAXPOLL, 0 },
	{ "iburst", NULL, "send a burst of packets at start and while unreachable",
	  KNTP_OPT_FLAG, KNTP_REQ_FLAGS, KNTP_ASSOC_F_IBURST },
	{ "prefer", NULL, "prefer this source when it survives selection",
	  KNTP_OPT_FLAG, KNTP_REQ_FLAGS, KNTP_ASSOC_F_PREFER },
	{ "version", "N", "NTP version to send",
	  KNTP_OPT_U8, KNTP_REQ_VERSION, 0 },
};

void kntp_perr_set(struct kntp_perr *err, enum kntp_perr_code code, int argi,
		   const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->argi = argi;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* "minpoll, maxpoll, ..." into buf. */
void kntp_parse_opt_help(char *buf, size_t len, const char *sep)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(kntp_opts) && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? sep : "",
			      kntp_opts[i].name);
}

/* The i-th option's description for help; NULL past the last one. */
const char *kntp_parse_opt_desc(int i, const char **name, const char **arg)
{
	if (i < 0 || (size_t)i >= ARRAY_SIZE(kntp_opts))
		return NULL;
	*name = kntp_opts[i].name;
	*arg = kntp_opts[i].arg;
	return kntp_opts[i].desc;
}

/*
 * A decimal integer, optionally signed, nothing before or after it.
 * Returns 0, -EINVAL when arg is not an integer, -ERANGE when it is
 * outside min..max.
 */
int kntp_parse_int(const char *arg, long min, long max, long *out)
{
	char *end;
	long v;

	if (!((arg[0] >= '0' && arg[0] <= '9') ||
	      ((arg[0] == '-' || arg[0] == '+') &&
	       arg[1] >= '0' && arg[1] <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Letters, digits, dots and dashes, starting with a letter. */
static int looks_like_hostname(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return 0;
	return 1;
}

int kntp_parse_addr(const char *arg, struct kntp_req *req,
		    struct kntp_perr *err)
{
	req->addr_arg = arg;
	if (inet_pton(AF_INET, arg, &req->addr.v4) == 1) {
		req->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, arg, &req->addr.v6) == 1) {
		req->family = AF_INET6;
		return 0;
	}
	if (looks_like_hostname(arg))
		kntp_perr_set(err, KNTP_PERR_HOSTNAME, -1,
			      "\"%s\": not an IPv4 or IPv6 address (host names are not supported yet)",
			      arg);
	else
		kntp_perr_set(err, KNTP_PERR_ADDR, -1,
			      "\"%s\": not an IPv4 or IPv6 address", arg);
	return -1;
}

static int parse_addr_at(int argc, char **argv, int argi,
			 struct kntp_req *req, struct kntp_perr *err)
{
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_ADDR, -1, "missing address");
		return -1;
	}
	if (kntp_parse_addr(argv[argi], req, err)) {
		err->argi = argi;
		return -1;
	}
	return 0;
}

static const struct kntp_opt *find_opt(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kntp_opts); i++)
		if (!strcmp(word, kntp_opts[i].name))
			return &kntp_opts[i];
	return NULL;
}

/* The value of option o at argv[argi], into req. */
static int parse_value(const struct kntp_opt *o, const char *arg, int argi,
		       struct kntp_req *req, struct kntp_perr *err)
{
	long min = o->type == KNTP_OPT_S8 ? INT8_MIN : 0;
	long max = o->type == KNTP_OPT_S8 ? INT8_MAX : UINT8_MAX;
	long v;
	int ret;

	ret = kntp_parse_int(arg, min, max, &v);
	if (ret == -EINVAL) {
		kntp_perr_set(err, KNTP_PERR_NOT_INT, argi,
			      "%s \"%s\": not an integer", o->name, arg);
		return -1;
	}
	if (ret == -ERANGE) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "%s \"%s\": out of range for the attribute type (%ld..%ld)",
			      o->name, arg, min, max);
		return -1;
	}
	switch (o->set) {
	case KNTP_REQ_MINPOLL:
		req->minpoll = (int8_t)v;
		break;
	case KNTP_REQ_MAXPOLL:
		req->maxpoll = (int8_t)v;
		break;
	case KNTP_REQ_VERSION:
		req->version = (uint8_t)v;
		break;
	}
	return 0;
}

/* "ADDR [minpoll N] [maxpoll N] [iburst] [prefer] [version N]", any order. */
int kntp_parse_assoc(int argc, char **argv, int argi, struct kntp_req *req,
		     struct kntp_perr *err)
{
	unsigned int seen = 0;
	char names[128];

	if (parse_addr_at(argc, argv, argi, req, err))
		return -1;
	for (argi++; argi < argc; argi++) {
		const struct kntp_opt *o = find_opt(argv[argi]);
		unsigned int bit;

		if (!o) {
			kntp_parse_opt_help(names, sizeof(names), ", ");
			kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
				      "unknown option \"%s\" (expected %s)",
				      argv[argi], names);
			return -1;
		}
		bit = 1U << (o - kntp_opts);
		if (seen & bit) {
			kntp_perr_set(err, KNTP_PERR_DUP, argi,
				      "duplicate option \"%s\"", argv[argi]);
			return -1;
		}
		seen |= bit;
		req->set |= o->set;
		if (o->type == KNTP_OPT_FLAG) {
			req->flags |= o->flag;
			continue;
		}
		if (argi + 1 >= argc) {
			kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi,
				      "%s: missing value (%s %s)",
				      o->name, o->name, o->arg);
			return -1;
		}
		argi++;
		if (parse_value(o, argv[argi], argi, req, err))
			return -1;
	}
	return 0;
}

int kntp_parse_none(int argc, char **argv, int argi, struct kntp_perr *err)
{
	if (argi < argc) {
		kntp_perr_set(err, KNTP_PERR_TRAILING, argi,
			      "unexpected argument \"%s\"", argv[argi]);
		return -1;
	}
	return 0;
}

/* "ADDR" and nothing after it. */
int kntp_parse_addr_only(int argc, char **argv, int argi,
			 struct kntp_req *req, struct kntp_perr *err)
{
	if (parse_addr_at(argc, argv, argi, req, err))
		return -1;
	return kntp_parse_none(argc, argv, argi + 1, err);
}

/* "[ADDR]": an address or nothing, and nothing after it. */
int kntp_parse_addr_opt(int argc, char **argv, int argi,
			struct kntp_req *req, struct kntp_perr *err)
{
	if (argi >= argc)
		return 0;
	return kntp_parse_addr_only(argc, argv, argi, req, err);
}

/*
 * "[STRATUM]": the stratum to serve our own clock at, KNTP_MASTER_DEFAULT
 * when not given. Any value that fits the u8 attribute goes to the kernel,
 * which owns the range (0 turns it off there, as "no master" does).
 */
int kntp_parse_master(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err)
{
	long v = KNTP_MASTER_DEFAULT;
	int ret = 0;

	if (argi < argc)
		ret = kntp_parse_int(argv[argi], 0, UINT8_MAX, &v);
	if (ret == -EINVAL) {
		kntp_perr_set(err, KNTP_PERR_NOT_INT, argi,
			      "stratum \"%s\": not an integer", argv[argi]);
		return -1;
	}
	if (ret == -ERANGE) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "stratum \"%s\": out of range for the attribute type (0..%d)",
			      argv[argi], UINT8_MAX);
		return -1;
	}
	req->set |= KNTP_REQ_MASTER;
	req->master = (uint8_t)v;
	return kntp_parse_none(argc, argv, argi < argc ? argi + 1 : argi, err);
}
