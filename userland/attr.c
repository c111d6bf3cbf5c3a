// SPDX-License-Identifier: GPL-2.0
/*
 * Names and types of the kntp attributes (include/uapi/linux/kntp.h),
 * the request encoder, the reply decoder, and the mapping of an extended
 * ack's attribute offset back to the attribute's name.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>

#include "attr.h"

_Static_assert(KNTP_A_ASSOC_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_A_STATUS_MAX < KNTP_REC_MAX, "kntp_rec too small");

static const struct kntp_field kntp_assoc_fields[KNTP_A_ASSOC_MAX + 1] = {
	[KNTP_A_ASSOC_ID]	= { "id", KNTP_FT_U32, 0, NULL },
	[KNTP_A_ASSOC_ADDR4]	= { "address", KNTP_FT_BIN, 4, NULL },
	[KNTP_A_ASSOC_ADDR6]	= { "address", KNTP_FT_BIN, 16, NULL },
	[KNTP_A_ASSOC_KIND]	= { "kind", KNTP_FT_U8, 0, NULL },
	[KNTP_A_ASSOC_VERSION]	= { "version", KNTP_FT_U8, 0, NULL },
	[KNTP_A_ASSOC_MINPOLL]	= { "minpoll", KNTP_FT_S8, 0, NULL },
	[KNTP_A_ASSOC_MAXPOLL]	= { "maxpoll", KNTP_FT_S8, 0, NULL },
	[KNTP_A_ASSOC_FLAGS]	= { "flags", KNTP_FT_U32, 0, NULL },
	[KNTP_A_ASSOC_STRATUM]	= { "stratum", KNTP_FT_U8, 0, NULL },
	[KNTP_A_ASSOC_REFID]	= { "refid", KNTP_FT_BIN, 4, NULL },
	[KNTP_A_ASSOC_REACH]	= { "reach", KNTP_FT_U8, 0, NULL },
	[KNTP_A_ASSOC_POLL]	= { "poll", KNTP_FT_S8, 0, NULL },
};

const struct kntp_attrset kntp_assoc_set = {
	"association", kntp_assoc_fields, KNTP_A_ASSOC_MAX
};

static const struct kntp_field kntp_status_fields[KNTP_A_STATUS_MAX + 1] = {
	[KNTP_A_STATUS_LEAP]		= { "leap", KNTP_FT_U8, 0, NULL },
	[KNTP_A_STATUS_STRATUM]		= { "stratum", KNTP_FT_U8, 0, NULL },
	[KNTP_A_STATUS_REFID]		= { "refid", KNTP_FT_BIN, 4, NULL },
	[KNTP_A_STATUS_PRECISION]	= { "precision", KNTP_FT_S8, 0, NULL },
	[KNTP_A_STATUS_ROOT_DELAY]	= { "root_delay", KNTP_FT_U64, 0, NULL },
	[KNTP_A_STATUS_ROOT_DISP]	= { "root_disp", KNTP_FT_U64, 0, NULL },
	[KNTP_A_STATUS_ASSOC_COUNT]	= { "associations", KNTP_FT_U32, 0, NULL },
};

const struct kntp_attrset kntp_status_set = {
	"status", kntp_status_fields, KNTP_A_STATUS_MAX
};

static const struct kntp_field kntp_top_fields[KNTP_A_MAX + 1] = {
	[KNTP_A_ASSOC]	= { "association", KNTP_FT_NEST, 0, &kntp_assoc_set },
	[KNTP_A_STATUS]	= { "status", KNTP_FT_NEST, 0, &kntp_status_set },
};

const struct kntp_attrset kntp_top_set = {
	"kntp", kntp_top_fields, KNTP_A_MAX
};

static const struct kntp_field *field(const struct kntp_attrset *set,
				      int type)
{
	if (!set || type <= 0 || type > set->max ||
	    set->fields[type].type == KNTP_FT_NONE)
		return NULL;
	return &set->fields[type];
}

const char *kntp_attr_name(const struct kntp_attrset *set, int type)
{
	const struct kntp_field *f = field(set, type);

	return f ? f->name : NULL;
}

static unsigned int ftype_len(const struct kntp_field *f)
{
	switch (f->type) {
	case KNTP_FT_U8:
	case KNTP_FT_S8:
		return 1;
	case KNTP_FT_U32:
	case KNTP_FT_S32:
		return 4;
	case KNTP_FT_U64:
	case KNTP_FT_S64:
		return 8;
	case KNTP_FT_BIN:
		return f->len;
	default:
		return 0;
	}
}

/* The attributes of one nest's payload (data, len) into rec. */
int kntp_rec_decode(const struct kntp_attrset *set, const void *data, int len,
		    struct kntp_rec *rec)
{
	const struct nlattr *a;
	int rem;

	memset(rec, 0, sizeof(*rec));
	nla_for_each_attr(a, (struct nlattr *)data, len, rem) {
		int type = nla_type(a);
		const struct kntp_field *f = field(set, type);
		const unsigned char *p = nla_data(a);
		uint32_t u32;
		uint64_t u64;

		if (!f || type >= KNTP_REC_MAX || !ftype_len(f) ||
		    (unsigned int)nla_len(a) != ftype_len(f))
			continue;	/* unknown or malformed: absent */
		switch (f->type) {
		case KNTP_FT_U8:
			rec->v[type].u = p[0];
			break;
		case KNTP_FT_S8:
			rec->v[type].s = (int8_t)p[0];
			break;
		case KNTP_FT_U32:
			memcpy(&u32, p, 4);
			rec->v[type].u = u32;
			break;
		case KNTP_FT_S32:
			memcpy(&u32, p, 4);
			rec->v[type].s = (int32_t)u32;
			break;
		case KNTP_FT_U64:
		case KNTP_FT_S64:
			memcpy(&u64, p, 8);
			rec->v[type].u = u64;
			break;
		default:
			memcpy(rec->v[type].b, p, f->len);
			break;
		}
		rec->present |= 1U << type;
	}
	return 0;
}

/*
 * The name of the attribute at byte offset offs of the request nlh (as an
 * extended ack's NLMSGERR_ATTR_OFFS or _MISS_NEST gives it), or NULL. When
 * it is a nest, *nested (if not NULL) is set to the nest's attribute set.
 */
const char *kntp_attr_name_at(const struct nlmsghdr *nlh, uint32_t offs,
			      const struct kntp_attrset **nested)
{
	const struct kntp_attrset *set = &kntp_top_set;
	const unsigned char *base = (const unsigned char *)nlh;
	uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	uint32_t end = nlh->nlmsg_len;

	if (nested)
		*nested = NULL;
	while (set && start + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(base + start);
		const struct kntp_field *f;
		uint32_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || start + alen > end)
			return NULL;
		if (offs < start || offs >= start + NLA_ALIGN(alen)) {
			start += NLA_ALIGN(alen);
			continue;
		}
		f = field(set, a->nla_type & NLA_TYPE_MASK);
		if (!f)
			return NULL;
		if (offs == start || f->type != KNTP_FT_NEST) {
			if (nested)
				*nested = f->nest;
			return f->name;
		}
		/* Inside this nest: walk its attributes. */
		set = f->nest;
		end = start + alen;
		start += NLA_HDRLEN;
	}
	return NULL;
}

/* One KNTP_A_ASSOC nest with the address and what req sets. */
int kntp_attr_put_assoc(struct nl_msg *msg, const struct kntp_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_ASSOC | NLA_F_NESTED);
	if (!nest)
		return -1;
	if (req->family == AF_INET &&
	    nla_put(msg, KNTP_A_ASSOC_ADDR4, 4, &req->addr.v4))
		return -1;
	if (req->family == AF_INET6 &&
	    nla_put(msg, KNTP_A_ASSOC_ADDR6, 16, &req->addr.v6))
		return -1;
	if (req->kind && nla_put_u8(msg, KNTP_A_ASSOC_KIND, req->kind))
		return -1;
	if ((req->set & KNTP_REQ_VERSION) &&
	    nla_put_u8(msg, KNTP_A_ASSOC_VERSION, req->version))
		return -1;
	if ((req->set & KNTP_REQ_MINPOLL) &&
	    nla_put_s8(msg, KNTP_A_ASSOC_MINPOLL, req->minpoll))
		return -1;
	if ((req->set & KNTP_REQ_MAXPOLL) &&
	    nla_put_s8(msg, KNTP_A_ASSOC_MAXPOLL, req->maxpoll))
		return -1;
	if ((req->set & KNTP_REQ_FLAGS) &&
	    nla_put_u32(msg, KNTP_A_ASSOC_FLAGS, req->flags))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}
