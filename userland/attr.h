/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kntp netlink attributes as data: one table per attribute set
 * gives each attribute's name and type, and how it is shown - its text
 * (the formatter, which carries the unit people read), its JSON key (the
 * unit in the name), the words of its values and its metric. The decoder, the error
 * reporter, the text printers (show_assoc.c, show_status.c), the JSON
 * (show_json.c) and the metrics (metrics.c) all read these tables: a fact about an attribute is
 * written once, in attr.c.
 */
#ifndef KNTP_ATTR_H
#define KNTP_ATTR_H

#include <stdint.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "parse.h"

enum kntp_ftype {
	KNTP_FT_NONE,		/* not an attribute of this set */
	KNTP_FT_U8,
	KNTP_FT_S8,
	KNTP_FT_U16,
	KNTP_FT_U32,
	KNTP_FT_S32,
	KNTP_FT_U64,
	KNTP_FT_S64,
	KNTP_FT_BIN,		/* exactly len bytes */
	KNTP_FT_STRING,		/* NUL-terminated; at most len bytes kept */
	KNTP_FT_NEST,		/* nested set */
	/*
	 * A nest of KNTP_A_ASSOC_FILTER_STAGE nests, each of the set nest:
	 * decoded into struct kntp_reply.filter.
	 */
	KNTP_FT_STAGES,
	/*
	 * A nest of u32 KNTP_A_INGRESS_IFINDEX attributes, repeated: decoded
	 * into struct kntp_reply.ingress.
	 */
	KNTP_FT_IFINDEXES,
};

struct kntp_attrset;
struct kntp_rec;

/* A value of an enum, or a bit of a set of flags, and its word. */
struct kntp_word {
	uint64_t val;
	const char *word;
};

/*
 * How "-j" writes an attribute under its key (show_json.c). The values are
 * the attribute's, unconverted, except enums and flags, which are words.
 */
enum kntp_jkind {
	KNTP_J_NUM,	/* the value; signed as the attribute's type is */
	KNTP_J_NONE,	/* not written by the walk over the set (see key) */
	KNTP_J_BOOL,	/* non-zero: true */
	KNTP_J_TEXT,	/* the text cell */
	KNTP_J_REFID,	/* the text cell without the dots of ".INIT." */
	KNTP_J_STR,	/* a string attribute */
	KNTP_J_ENUM,	/* the word of the value, else the number */
	KNTP_J_FLAGS,	/* an array of the words of the bits set */
	KNTP_J_TALLY,	/* the tally character */
	KNTP_J_COUNTERS, /* the stats nest as an object */
	KNTP_J_NTPTS,	/* an NTP timestamp: a string of 16 hex digits */
	KNTP_J_FILTER,	/* the filter stages: an array of objects */
};

/* The unit of a metric (metrics.c) and what it is converted from. */
enum kntp_munit {
	KNTP_M_COUNT,	/* a plain number */
	KNTP_M_SECONDS,	/* from ns */
	KNTP_M_PPM,	/* from ppb */
	KNTP_M_POLL,	/* from log2 s, in seconds */
};

/*
 * The text of attribute a of record r, which r has, as people read it
 * (fmt.c); its unit is in the words around it.
 */
typedef void kntp_cell_fn(char *buf, size_t len, const struct kntp_rec *r,
			  int a);

struct kntp_field {
	const char *name;	/* in messages */
	enum kntp_ftype type;
	/* KNTP_FT_BIN: the payload length; KNTP_FT_STRING: the longest kept */
	unsigned int len;
	const struct kntp_attrset *nest;	/* KNTP_FT_NEST: its set */
	unsigned int slot;	/* KNTP_FT_NEST: its record in kntp_reply.nest */
	/*
	 * Its JSON key, whose name carries the unit (_ns, _ms, _ppb, _log2
	 * for log2 seconds, _unix_ns for nanoseconds since the Unix epoch);
	 * NULL: none. With KNTP_J_NONE the key is written by the caller.
	 */
	const char *key;
	enum kntp_jkind json;
	kntp_cell_fn *cell;	/* its text; NULL: its word, else a number */
	int alt;	/* shown in its place when absent (ADDR4: ADDR6), or 0 */
	const struct kntp_word *words;	/* of its values or bits, or NULL */
	size_t nwords;
	/*
	 * "show metrics": its gauge's family name, the unit last (NULL:
	 * none), the unit and the help text.
	 */
	const char *metric;
	enum kntp_munit munit;
	const char *help;
};

struct kntp_attrset {
	const char *name;
	const struct kntp_field *fields;	/* indexed by attribute type */
	int max;				/* highest attribute type */
};

extern const struct kntp_attrset kntp_top_set;
extern const struct kntp_attrset kntp_assoc_set;
extern const struct kntp_attrset kntp_status_set;
extern const struct kntp_attrset kntp_instance_set;
extern const struct kntp_attrset kntp_stats_set;
extern const struct kntp_attrset kntp_stage_set;
extern const struct kntp_attrset kntp_ratelimit_set;
extern const struct kntp_attrset kntp_ingress_set;

#define KNTP_REC_MAX	64	/* attribute types a record can hold */
#define KNTP_REC_BIT(type)	((uint64_t)1 << (type))
#define KNTP_REC_STRS	256	/* bytes for the strings of a record */
/* The longest clock note kept (KNTP_A_STATUS_CLOCK_NOTE); longer are cut. */
#define KNTP_CLOCK_NOTE_MAX	160

/*
 * The decoded attributes of one nest. A bit in present per attribute type;
 * attributes that are unknown, or whose length is wrong, are left absent.
 * A nested attribute is present when it came; its own attributes are in a
 * struct kntp_reply. A string's v[type].u is its offset in strs: read it
 * with kntp_rec_str().
 */
struct kntp_rec {
	uint64_t present;	/* KNTP_REC_BIT(type) */
	union {
		uint64_t u;
		int64_t s;
		unsigned char b[16];
	} v[KNTP_REC_MAX];
	char strs[KNTP_REC_STRS];	/* the strings, NUL-terminated */
	unsigned int strs_used;
};

#define KNTP_REPLY_NESTS	2	/* nests of one set that are decoded */

#define KNTP_FILTER_STAGES	8	/* clock filter stages kept (RFC 5905) */
#define KNTP_STAGE_EMPTY_NS	16000000000ULL	/* MAXDISP: an empty stage */

/*
 * One clock filter stage (a KNTP_A_ASSOC_FILTER_STAGE nest): a bit in
 * present per enum kntp_a_stage attribute that came with the right length.
 */
struct kntp_stage {
	uint32_t present;	/* KNTP_REC_BIT(KNTP_A_STAGE_*) */
	int64_t offset_ns;
	int64_t delay_ns;
	uint64_t disp_ns;
	uint64_t age_ns;
};

/*
 * The clock filter of an association (KNTP_A_ASSOC_FILTER), its stages in
 * the kernel's order (newest first); n is how many came, at most
 * KNTP_FILTER_STAGES (more are ignored). n == 0: no filter sent.
 */
struct kntp_filter {
	unsigned int n;
	struct kntp_stage stage[KNTP_FILTER_STAGES];
};

static inline int kntp_stage_has(const struct kntp_stage *st, int type)
{
	return type > 0 && type < 32 && (st->present >> type & 1);
}

/* An empty stage: no sample yet (dispersion MAXDISP, or none sent). */
int kntp_stage_empty(const struct kntp_stage *st);

/* The devices of a status kept (KNTP_INGRESS_DEVICES_MAX, checked in attr.c). */
#define KNTP_INGRESS_KEPT	16

/*
 * The device indexes of a KNTP_FT_IFINDEXES attribute (the INGRESS of the
 * status), in the kernel's order (the order they were added); n is how
 * many came, at most KNTP_INGRESS_KEPT (more are ignored).
 */
struct kntp_ifindexes {
	unsigned int n;
	uint32_t ifindex[KNTP_INGRESS_KEPT];
};

/*
 * A nest and the nests inside it, one level deep: nest[slot] holds the
 * attributes of the nested attribute whose field has that slot (the STATS
 * of an association or of the status). A nest that did not come is empty.
 * filter holds the stages of a KNTP_FT_STAGES attribute (the FILTER of an
 * association); filter.n is 0 when it did not come. ingress holds the
 * devices of a KNTP_FT_IFINDEXES attribute (the INGRESS of the status);
 * rec says whether it came.
 */
struct kntp_reply {
	struct kntp_rec rec;
	struct kntp_rec nest[KNTP_REPLY_NESTS];
	struct kntp_filter filter;
	struct kntp_ifindexes ingress;
};

static inline int kntp_rec_has(const struct kntp_rec *rec, int type)
{
	return type > 0 && type < KNTP_REC_MAX && (rec->present >> type & 1);
}

int kntp_rec_decode(const struct kntp_attrset *set, const void *data, int len,
		    struct kntp_rec *rec);
int kntp_reply_decode(const struct kntp_attrset *set, const void *data,
		      int len, struct kntp_reply *reply);
const struct kntp_rec *kntp_reply_nest(const struct kntp_reply *reply,
				       const struct kntp_attrset *set,
				       int type);
const char *kntp_rec_str(const struct kntp_rec *rec,
			 const struct kntp_attrset *set, int type);
const char *kntp_attr_name(const struct kntp_attrset *set, int type);
const struct kntp_field *kntp_attr_field(const struct kntp_attrset *set,
					 int type);
int kntp_attr_signed(const struct kntp_attrset *set, int type);
const char *kntp_attr_name_at(const struct nlmsghdr *nlh, uint32_t offs,
			      const struct kntp_attrset **nested);
int kntp_attr_put_assoc(struct nl_msg *msg, const struct kntp_req *req);
int kntp_attr_put_instance(struct nl_msg *msg, const struct kntp_req *req);
int kntp_attr_put_key(struct nl_msg *msg, const struct kntp_req *req,
		      uint8_t cmd);
int kntp_attr_put_ingress(struct nl_msg *msg, const struct kntp_req *req);
int kntp_attr_trusted(const void *status, int len, uint64_t *bits,
		      void (*set)(uint64_t *bits, uint32_t first,
				  uint32_t last, int on));
extern const struct kntp_attrset kntp_key_set;

#endif /* KNTP_ATTR_H */
