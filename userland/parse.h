/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line words to a kntp request, without any netlink.
 *
 * Everything that can be checked locally is checked here; ranges that the
 * kernel owns (poll and version limits, the master stratum, the clock's
 * thresholds) are not: the values go to the kernel as given, as long as they
 * fit the attribute's type. Decimal numbers are converted exactly, without
 * floating point.
 */
#ifndef KNTP_PARSE_H
#define KNTP_PARSE_H

#include <stdint.h>
#include <stddef.h>
#include <net/if.h>
#include <netinet/in.h>

/* Which optional settings the user gave (kntp_req.set). */
enum {
	KNTP_REQ_VERSION	= 1U << 0,	/* of an association */
	KNTP_REQ_MINPOLL	= 1U << 1,
	KNTP_REQ_MAXPOLL	= 1U << 2,
	KNTP_REQ_FLAGS		= 1U << 3,
	KNTP_REQ_ENABLED	= 1U << 4,	/* of the instance */
	KNTP_REQ_MASTER		= 1U << 5,
	KNTP_REQ_CLOCK		= 1U << 6,
	KNTP_REQ_STEP_THRESHOLD	= 1U << 7,
	KNTP_REQ_PANIC_THRESHOLD = 1U << 8,
	KNTP_REQ_STEPOUT	= 1U << 9,
	KNTP_REQ_INJECT_OFFSET	= 1U << 10,
	KNTP_REQ_INJECT_FREQ	= 1U << 11,
	KNTP_REQ_KEY		= 1U << 12,	/* of an association */
	KNTP_REQ_AUTHENTICATE	= 1U << 13,	/* of the instance */
	KNTP_REQ_RATELIMIT	= 1U << 14,	/* kntp_req.rl */
};

/*
 * Rate limiting as "ntp ratelimit" gives it (enum kntp_a_ratelimit): every
 * setting, the defaults filled in; enabled 0 is "no ntp ratelimit".
 */
struct kntp_rl {
	uint8_t enabled;
	int8_t interval;	/* log2 s */
	uint16_t burst;		/* answers */
	uint8_t leak;		/* log2: one in 2^leak */
	uint8_t kod;
	uint32_t table_size;	/* records */
	uint8_t prefix6;	/* bits */
};

/* The longest secret, bytes (the kernel's KNTP_KEY_SECRET_MAX). */
#define KNTP_SECRET_MAX		64

/*
 * The instance's settings that take one decimal number (enum kntp_num):
 * the number is in the unit of the command line (MSEC, SEC, PPM), the
 * attribute in a unit 10^digits times smaller (ns, ppb).
 */
enum kntp_num {
	KNTP_NUM_STEP_THRESHOLD,	/* MSEC -> u64 ns */
	KNTP_NUM_PANIC_THRESHOLD,	/* SEC -> u64 ns */
	KNTP_NUM_STEPOUT,		/* SEC -> u64 ns */
	KNTP_NUM_INJECT_OFFSET,		/* MSEC -> s64 ns */
	KNTP_NUM_INJECT_FREQ,		/* PPM -> s64 ppb */
};

/* One access list entry (userland/acl.c), addresses in network order. */
struct kntp_acl_ent {
	uint8_t action;		/* enum kntp_acl_action */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;			/* ignored bits cleared */
	struct in_addr wild;	/* IPv4: bits not compared */
	uint8_t plen;		/* IPv6: prefix length */
};

struct kntp_acl_def;

/* What a command line asks for, before it becomes a netlink message. */
struct kntp_req {
	int family;		/* AF_INET, AF_INET6, or 0: no address */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;			/* network order */
	const char *addr_arg;	/* the address as the user typed it */
	uint8_t kind;		/* enum kntp_assoc_kind, 0: not sent */
	unsigned int set;	/* KNTP_REQ_* */
	uint8_t version;
	int8_t minpoll;		/* log2 s */
	int8_t maxpoll;		/* log2 s */
	uint32_t flags;		/* enum kntp_assoc_flags */
	uint8_t enabled;	/* 1 enable, 0 disable the instance */
	uint8_t master;		/* stratum of our own clock, 0: off */
	uint8_t clock;		/* enum kntp_clock_kind */
	uint8_t json;		/* -j, --json: print JSON (show commands) */
	uint64_t step_ns;	/* step threshold, 0: never step */
	uint64_t panic_ns;	/* panic threshold, 0: no limit */
	uint64_t stepout_ns;
	int64_t inject_offset_ns;	/* step a virtual clock by this */
	int64_t inject_freq_ppb;	/* a virtual clock's frequency error */
	struct kntp_rl rl;	/* KNTP_REQ_RATELIMIT */
	const char *value_arg;	/* the one number as the user typed it */
	uint16_t key_id;	/* "key N"; first id of a key command */
	uint16_t key_last;	/* "trusted-key N-M": M */
	uint8_t key_type;	/* enum kntp_key_type */
	uint8_t authenticate;	/* "ntp authenticate": 1, "no ...": 0 */
	uint8_t trust;		/* "trusted-key": 1, "no trusted-key": 0 */
	uint8_t secret_len;
	uint8_t secret_is_fp;	/* the secret given is a FINGERPRINT: */
	uint8_t secret[KNTP_SECRET_MAX];	/* or the fingerprint */
	const char *file;	/* "apply FILE": the file, NULL: default */
	char **topic;		/* "help WORD...": the words */
	int ntopic;
	/* Access control (userland/acl.c). */
	uint8_t acl_family;	/* enum kntp_acl_family */
	char acl_name[33];	/* KNTP_ACL_NAME_MAX + 1 */
	int acl_has_entry;
	struct kntp_acl_ent acl_entry;
	uint8_t acl_slot;	/* enum kntp_a_access: the group */
	int acl_group_set;	/* 1 set the group to acl_name, 0 remove it */
	uint8_t acl_kod;
	const struct kntp_acl_def *acl_list;	/* apply: a whole list */
	/* "serve ingress IFNAME" (KNTP_CMD_INGRESS_ADD, _DEL). */
	char ifname[IFNAMSIZ];	/* the device's name as typed */
	uint32_t ifindex;	/* resolved by the tool, not by parsing */
};

/* Why parsing failed (kntp_perr.code). */
enum kntp_perr_code {
	KNTP_PERR_NONE,
	KNTP_PERR_NO_ADDR,	/* the address is missing */
	KNTP_PERR_ADDR,		/* not a numeric IPv4/IPv6 address */
	KNTP_PERR_HOSTNAME,	/* looks like a host name: not supported yet */
	KNTP_PERR_UNKNOWN_OPT,	/* unknown option word */
	KNTP_PERR_NO_VALUE,	/* a value is missing (argi -1: the command's) */
	KNTP_PERR_NOT_INT,	/* value is not an integer */
	KNTP_PERR_NOT_NUM,	/* value is not a decimal number */
	KNTP_PERR_RANGE,	/* value does not fit the attribute type */
	KNTP_PERR_DUP,		/* option given twice */
	KNTP_PERR_TRAILING,	/* unexpected word after the command */
	KNTP_PERR_COMMAND,	/* unknown or incomplete command */
};

/* A parse error: what, which argument (index into argv, -1: none), text. */
struct kntp_perr {
	enum kntp_perr_code code;
	int argi;
	char msg[512];
};

int kntp_parse_addr(const char *arg, struct kntp_req *req,
		    struct kntp_perr *err);
int kntp_parse_int(const char *arg, long min, long max, long *out);
int kntp_parse_assoc(int argc, char **argv, int argi, struct kntp_req *req,
		     struct kntp_perr *err);
int kntp_parse_addr_only(int argc, char **argv, int argi,
			 struct kntp_req *req, struct kntp_perr *err);
int kntp_parse_addr_opt(int argc, char **argv, int argi,
			struct kntp_req *req, struct kntp_perr *err);
int kntp_parse_master(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err);
int kntp_parse_decimal(const char *arg, int digits, uint64_t *mag,
		       int *neg);
void kntp_fmt_decimal(char *buf, size_t len, uint64_t mag, int neg,
		      int digits);
int kntp_parse_num(enum kntp_num id, int argc, char **argv, int argi,
		   struct kntp_req *req, struct kntp_perr *err);
int kntp_parse_inject(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err);
void kntp_rl_defaults(struct kntp_rl *rl);
int kntp_parse_ratelimit(int argc, char **argv, int argi,
			 struct kntp_req *req, struct kntp_perr *err);
int kntp_rl_same(const struct kntp_rl *a, const struct kntp_rl *b);
void kntp_rl_fmt(char *buf, size_t len, const struct kntp_rl *rl);
int kntp_parse_none(int argc, char **argv, int argi, struct kntp_perr *err);
int kntp_parse_ifname(int argc, char **argv, int argi, struct kntp_req *req,
		      struct kntp_perr *err);
int kntp_parse_key_id(const char *arg, int argi, uint16_t *id,
		      struct kntp_perr *err);
void kntp_perr_set(struct kntp_perr *err, enum kntp_perr_code code, int argi,
		   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void kntp_parse_opt_help(char *buf, size_t len, const char *sep);
const char *kntp_parse_opt_desc(int i, const char **name, const char **arg);

#endif /* KNTP_PARSE_H */
