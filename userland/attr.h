/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kntp netlink attributes as data: one table per attribute set
 * gives each attribute's name and type. The decoder, the printers and the
 * error reporter all read these tables, so a machine-readable printer can be
 * added from the same definitions.
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
	KNTP_FT_U32,
	KNTP_FT_S32,
	KNTP_FT_U64,
	KNTP_FT_S64,
	KNTP_FT_BIN,		/* exactly len bytes */
	KNTP_FT_NEST,		/* nested set */
};

struct kntp_attrset;

struct kntp_field {
	const char *name;	/* in messages; a key for machine output */
	enum kntp_ftype type;
	unsigned int len;	/* KNTP_FT_BIN: the payload length */
	const struct kntp_attrset *nest;	/* KNTP_FT_NEST: its set */
};

struct kntp_attrset {
	const char *name;
	const struct kntp_field *fields;	/* indexed by attribute type */
	int max;				/* highest attribute type */
};

extern const struct kntp_attrset kntp_top_set;
extern const struct kntp_attrset kntp_assoc_set;
extern const struct kntp_attrset kntp_status_set;

#define KNTP_REC_MAX	32	/* attribute types a record can hold */

/*
 * The decoded attributes of one nest. A bit in present per attribute type;
 * attributes that are unknown, or whose length is wrong, are left absent.
 */
struct kntp_rec {
	uint32_t present;
	union {
		uint64_t u;
		int64_t s;
		unsigned char b[16];
	} v[KNTP_REC_MAX];
};

static inline int kntp_rec_has(const struct kntp_rec *rec, int type)
{
	return type > 0 && type < KNTP_REC_MAX && (rec->present >> type & 1);
}

int kntp_rec_decode(const struct kntp_attrset *set, const void *data, int len,
		    struct kntp_rec *rec);
const char *kntp_attr_name(const struct kntp_attrset *set, int type);
const char *kntp_attr_name_at(const struct nlmsghdr *nlh, uint32_t offs,
			      const struct kntp_attrset **nested);
int kntp_attr_put_assoc(struct nl_msg *msg, const struct kntp_req *req);

#endif /* KNTP_ATTR_H */
