// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, integers and association options from the command
 * line, into struct kntp_req. Errors quote the offending argument.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "parse.h"

enum kntp_opt_type {
	KNTP_OPT_FLAG,		/* a word alone: sets a bit of KNTP_A_ASSOC_FLAGS */
	KNTP_OPT_S8,		/* a word and an integer that fits an s8 */
	KNTP_OPT_U8,		/* a word and an integer that fits a u8 */
	KNTP_OPT_KEY,		/* a word and a key id, 1..65535 */
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
	{ "key", "N", "sign our packets with key N and use only theirs signed with it",
	  KNTP_OPT_KEY, KNTP_REQ_KEY, 0 },
	{ "xleave", NULL, "interleaved mode: times of packets as they really left",
	  KNTP_OPT_FLAG, KNTP_REQ_FLAGS, KNTP_ASSOC_F_XLEAVE },
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
			      "\"%s\": not an IPv4 or IPv6 address, nor a host name",
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

	if (o->type == KNTP_OPT_KEY)
		return kntp_parse_key_id(arg, argi, &req->key_id, err);
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

/* A key id, 1..65535 (RFC 5905 sec. 7.3: 0 is no key). */
int kntp_parse_key_id(const char *arg, int argi, uint16_t *id,
		      struct kntp_perr *err)
{
	long v;
	int ret;

	ret = kntp_parse_int(arg, KNTP_KEY_ID_MIN, KNTP_KEY_ID_MAX, &v);
	if (ret) {
		kntp_perr_set(err, ret == -ERANGE ? KNTP_PERR_RANGE :
				   KNTP_PERR_NOT_INT, argi,
			      "key id \"%s\": not a number in %d..%d", arg,
			      KNTP_KEY_ID_MIN, KNTP_KEY_ID_MAX);
		return -1;
	}
	*id = (uint16_t)v;
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

/*
 * "IFNAME" and nothing after it: a network device's name, which must fit
 * IFNAMSIZ with its NUL. Whether the device exists is not parsing's
 * business: the caller resolves the name (kntp_resolve_ifname()).
 */
int kntp_parse_ifname(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err)
{
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing device name (IFNAME)");
		return -1;
	}
	if (!argv[argi][0]) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "empty device name (IFNAME)");
		return -1;
	}
	if (strlen(argv[argi]) >= IFNAMSIZ) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "device name \"%s\": longer than %d characters",
			      argv[argi], IFNAMSIZ - 1);
		return -1;
	}
	snprintf(req->ifname, sizeof(req->ifname), "%s", argv[argi]);
	return kntp_parse_none(argc, argv, argi + 1, err);
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

/* The numbers of enum kntp_num: names, units and attribute types. */
static const struct kntp_num_desc {
	const char *name;	/* in messages */
	const char *arg;	/* the value's unit, as in help */
	int digits;		/* attribute unit = 10^-digits of arg's */
	int is_signed;		/* s64, else u64 */
	unsigned int set;	/* KNTP_REQ_* */
} kntp_nums[] = {
	[KNTP_NUM_STEP_THRESHOLD]	= { "step-threshold", "MSEC", 6, 0,
					    KNTP_REQ_STEP_THRESHOLD },
	[KNTP_NUM_PANIC_THRESHOLD]	= { "panic-threshold", "SEC", 9, 0,
					    KNTP_REQ_PANIC_THRESHOLD },
	[KNTP_NUM_STEPOUT]		= { "stepout", "SEC", 9, 0,
					    KNTP_REQ_STEPOUT },
	[KNTP_NUM_INJECT_OFFSET]	= { "offset", "MSEC", 6, 1,
					    KNTP_REQ_INJECT_OFFSET },
	[KNTP_NUM_INJECT_FREQ]		= { "frequency", "PPM", 3, 1,
					    KNTP_REQ_INJECT_FREQ },
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* *v = *v * 10 + d; -1 when it does not fit a u64. */
static int mul_add(uint64_t *v, unsigned int d)
{
	if (*v > (UINT64_MAX - d) / 10)
		return -1;
	*v = *v * 10 + d;
	return 0;
}

/*
 * A decimal number "[+-]DIGITS[.DIGITS]" or "[+-].DIGITS", nothing before
 * or after it, in units 10^digits times smaller, exactly: "0.5" with digits
 * 6 is 500000. Decimals beyond those round half away from zero. The result
 * is a magnitude and a sign (-0 is 0 with neg set). Returns 0, -EINVAL when
 * arg is not such a number, -ERANGE when the magnitude overflows a u64.
 */
int kntp_parse_decimal(const char *arg, int digits, uint64_t *mag, int *neg)
{
	const char *p = arg, *frac = NULL;
	int n, nint = 0, nfrac = 0, up = 0;
	uint64_t v = 0;

	*neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	for (; is_digit(p[nint]); nint++)
		;
	if (p[nint] == '.') {
		frac = p + nint + 1;
		for (; is_digit(frac[nfrac]); nfrac++)
			;
		if (!nfrac || frac[nfrac])
			return -EINVAL;		/* "5.", "1.2.3", "1.5x" */
	} else if (!nint || p[nint]) {
		return -EINVAL;
	}
	for (n = 0; n < nint; n++)
		if (mul_add(&v, p[n] - '0'))
			return -ERANGE;
	for (n = 0; n < digits; n++)
		if (mul_add(&v, n < nfrac ? frac[n] - '0' : 0))
			return -ERANGE;
	if (nfrac > digits)
		up = frac[digits] >= '5';
	if (up && v == UINT64_MAX)
		return -ERANGE;
	*mag = v + up;
	return 0;
}

/*
 * The inverse of kntp_parse_decimal(): a magnitude in units 10^digits
 * times smaller than the printed ones, exactly, without trailing zeros:
 * 500000 with digits 6 is "0.5", 128000000 is "128".
 */
void kntp_fmt_decimal(char *buf, size_t len, uint64_t mag, int neg,
		      int digits)
{
	uint64_t scale = 1, frac;
	int i, n;

	for (i = 0; i < digits && i < 19; i++)
		scale *= 10;
	frac = mag % scale;
	n = snprintf(buf, len, "%s%" PRIu64, neg && mag ? "-" : "",
		     mag / scale);
	if (!frac || n < 0 || (size_t)n >= len)
		return;
	for (; frac % 10 == 0; frac /= 10)
		i--;
	snprintf(buf + n, len - n, ".%0*" PRIu64, i, frac);
}

/* The number of setting d at argv[argi] into req. */
static int parse_num_value(const struct kntp_num_desc *d, const char *arg,
			   int argi, struct kntp_req *req,
			   struct kntp_perr *err)
{
	char lo[32], hi[32];
	uint64_t mag, v;
	int neg, ret;

	ret = kntp_parse_decimal(arg, d->digits, &mag, &neg);
	if (ret == -EINVAL) {
		kntp_perr_set(err, KNTP_PERR_NOT_NUM, argi,
			      "%s \"%s\": not a number", d->name, arg);
		return -1;
	}
	if (!ret && d->is_signed)
		ret = mag > (uint64_t)INT64_MAX + neg ? -ERANGE : 0;
	else if (!ret)
		ret = neg && mag ? -ERANGE : 0;
	if (ret) {
		kntp_fmt_decimal(lo, sizeof(lo), d->is_signed ?
				 (uint64_t)INT64_MAX + 1 : 0, 1, d->digits);
		kntp_fmt_decimal(hi, sizeof(hi), d->is_signed ?
				 (uint64_t)INT64_MAX : UINT64_MAX, 0,
				 d->digits);
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "%s \"%s\": out of range for the attribute type (%s..%s)",
			      d->name, arg, lo, hi);
		return -1;
	}
	/* Two's complement of the magnitude: -2^63 included. */
	v = neg ? -mag : mag;
	req->set |= d->set;
	switch (d->set) {
	case KNTP_REQ_STEP_THRESHOLD:
		req->step_ns = v;
		break;
	case KNTP_REQ_PANIC_THRESHOLD:
		req->panic_ns = v;
		break;
	case KNTP_REQ_STEPOUT:
		req->stepout_ns = v;
		break;
	case KNTP_REQ_INJECT_OFFSET:
		req->inject_offset_ns = (int64_t)v;
		break;
	case KNTP_REQ_INJECT_FREQ:
		req->inject_freq_ppb = (int64_t)v;
		break;
	}
	return 0;
}

/* "NUMBER" of setting id, and nothing after it. */
int kntp_parse_num(enum kntp_num id, int argc, char **argv, int argi,
		   struct kntp_req *req, struct kntp_perr *err)
{
	const struct kntp_num_desc *d = &kntp_nums[id];

	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing value (%s)", d->arg);
		return -1;
	}
	req->value_arg = argv[argi];
	if (parse_num_value(d, argv[argi], argi, req, err))
		return -1;
	return kntp_parse_none(argc, argv, argi + 1, err);
}

/* "[offset MSEC] [frequency PPM]": at least one, in any order. */
int kntp_parse_inject(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err)
{
	static const enum kntp_num opts[] = {
		KNTP_NUM_INJECT_OFFSET, KNTP_NUM_INJECT_FREQ,
	};
	const struct kntp_num_desc *d;
	size_t i;

	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "nothing to inject (offset %s, frequency %s, or both)",
			      kntp_nums[KNTP_NUM_INJECT_OFFSET].arg,
			      kntp_nums[KNTP_NUM_INJECT_FREQ].arg);
		return -1;
	}
	for (; argi < argc; argi++) {
		for (i = 0, d = NULL; i < ARRAY_SIZE(opts) && !d; i++)
			if (!strcmp(argv[argi], kntp_nums[opts[i]].name))
				d = &kntp_nums[opts[i]];
		if (!d) {
			kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
				      "unknown option \"%s\" (expected %s, %s)",
				      argv[argi],
				      kntp_nums[KNTP_NUM_INJECT_OFFSET].name,
				      kntp_nums[KNTP_NUM_INJECT_FREQ].name);
			return -1;
		}
		if (req->set & d->set) {
			kntp_perr_set(err, KNTP_PERR_DUP, argi,
				      "duplicate option \"%s\"", argv[argi]);
			return -1;
		}
		if (argi + 1 >= argc) {
			kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi,
				      "%s: missing value (%s %s)", d->name,
				      d->name, d->arg);
			return -1;
		}
		argi++;
		if (parse_num_value(d, argv[argi], argi, req, err))
			return -1;
	}
	return 0;
}
