// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the generic netlink family - policies, requests, replies, errors.
 *
 * Every request acts on the instance of the requesting socket's namespace.
 * A request is validated completely before anything changes; every refusal
 * carries an extack message and, where one attribute is at fault, points at it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "kntp.h"

static struct genl_family kntp_nl_family;

/*
 * Events may be sent (from timers, the receive path, work items) only
 * while this is set; kntp_nl_exit() clears it and waits for senders
 * before the family goes.
 */
static bool kntp_nl_live;

#define KNTP_RO(what) { .type = NLA_REJECT, .reject_message = what " is read-only" }

/*
 * Types only: ranges are checked in kntp_nl_parse_cfg() so that the refusal
 * names the attribute and the range in words.
 */
static const struct nla_policy kntp_assoc_nl_policy[KNTP_A_ASSOC_MAX + 1] = {
	[KNTP_A_ASSOC_ID]	= KNTP_RO("association id"),
	[KNTP_A_ASSOC_ADDR4]	= { .type = NLA_BINARY },
	[KNTP_A_ASSOC_ADDR6]	= { .type = NLA_BINARY },
	[KNTP_A_ASSOC_KIND]	= { .type = NLA_U8 },
	[KNTP_A_ASSOC_VERSION]	= { .type = NLA_U8 },
	[KNTP_A_ASSOC_MINPOLL]	= { .type = NLA_S8 },
	[KNTP_A_ASSOC_MAXPOLL]	= { .type = NLA_S8 },
	[KNTP_A_ASSOC_FLAGS]	= { .type = NLA_U32 },
	[KNTP_A_ASSOC_STRATUM]	= KNTP_RO("stratum"),
	[KNTP_A_ASSOC_REFID]	= KNTP_RO("refid"),
	[KNTP_A_ASSOC_REACH]	= KNTP_RO("reach"),
	[KNTP_A_ASSOC_POLL]	= KNTP_RO("poll"),
	[KNTP_A_ASSOC_LEAP]	= KNTP_RO("leap"),
	[KNTP_A_ASSOC_PPOLL]	= KNTP_RO("ppoll"),
	[KNTP_A_ASSOC_PRECISION] = KNTP_RO("precision"),
	[KNTP_A_ASSOC_ROOT_DELAY] = KNTP_RO("root delay"),
	[KNTP_A_ASSOC_ROOT_DISP] = KNTP_RO("root dispersion"),
	[KNTP_A_ASSOC_RX_AGE]	= KNTP_RO("rx age"),
	[KNTP_A_ASSOC_OFFSET]	= KNTP_RO("offset"),
	[KNTP_A_ASSOC_RESIDUAL]	= KNTP_RO("residual"),
	[KNTP_A_ASSOC_DELAY]	= KNTP_RO("delay"),
	[KNTP_A_ASSOC_DISP]	= KNTP_RO("dispersion"),
	[KNTP_A_ASSOC_JITTER]	= KNTP_RO("jitter"),
	[KNTP_A_ASSOC_STATE]	= KNTP_RO("state"),
	[KNTP_A_ASSOC_LOCAL_PORT] = KNTP_RO("local port"),
	[KNTP_A_ASSOC_XMT]	= KNTP_RO("xmt"),
	[KNTP_A_ASSOC_TX_STAMP]	= KNTP_RO("tx stamp"),
	[KNTP_A_ASSOC_STATS]	= KNTP_RO("stats"),
	[KNTP_A_ASSOC_PAD]	= { .type = NLA_REJECT },
	[KNTP_A_ASSOC_TALLY]	= KNTP_RO("tally"),
	[KNTP_A_ASSOC_REJECT]	= KNTP_RO("reject"),
	[KNTP_A_ASSOC_ROOT_DIST] = KNTP_RO("root distance"),
	[KNTP_A_ASSOC_PMODE]	= KNTP_RO("peer mode"),
	[KNTP_A_ASSOC_ORG_TS]	= KNTP_RO("org"),
	[KNTP_A_ASSOC_REC_TS]	= KNTP_RO("rec"),
	[KNTP_A_ASSOC_XMT_TS]	= KNTP_RO("xmt"),
	[KNTP_A_ASSOC_FILTER]	= KNTP_RO("filter"),
	[KNTP_A_ASSOC_KEY]	= { .type = NLA_U16 },
	[KNTP_A_ASSOC_AUTH]	= KNTP_RO("auth"),
};

static const struct genl_multicast_group kntp_nl_mcgrps[] = {
	{ .name = KNTP_GENL_MCGRP_EVENTS },
};

static const struct nla_policy kntp_nl_policy[KNTP_A_MAX + 1] = {
	[KNTP_A_ASSOC]	= NLA_POLICY_NESTED(kntp_assoc_nl_policy),
	[KNTP_A_STATUS]	= KNTP_RO("status"),
	[KNTP_A_INSTANCE] = NLA_POLICY_NESTED(kntp_instance_nl_policy),
	[KNTP_A_EVENT]	= KNTP_RO("event"),
	[KNTP_A_KEY]	= NLA_POLICY_NESTED(kntp_key_nl_policy),
	[KNTP_A_ACL]	= NLA_POLICY_NESTED(kntp_acl_nl_policy),
	[KNTP_A_INGRESS] = NLA_POLICY_NESTED(kntp_ingress_nl_policy),
};

/* The header of a message of our family. */
void *kntp_nl_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &kntp_nl_family, flags, cmd);
}

static struct kntp_net *kntp_nl_instance(struct genl_info *info)
{
	return kntp_net(genl_info_net(info));
}

/* Parse the KNTP_A_ASSOC nest of a request; the core validated its types. */
static int kntp_nl_parse_nest(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, KNTP_A_ASSOC)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing association (KNTP_A_ASSOC)");
		return -EINVAL;
	}
	return nla_parse_nested(tb, KNTP_A_ASSOC_MAX, info->attrs[KNTP_A_ASSOC],
				kntp_assoc_nl_policy, info->extack);
}

static int kntp_nl_parse_addr(struct genl_info *info, struct nlattr **tb,
			      struct kntp_addr *addr)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *a4 = tb[KNTP_A_ASSOC_ADDR4];
	struct nlattr *a6 = tb[KNTP_A_ASSOC_ADDR6];
	int type;

	if (!a4 && !a6) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[KNTP_A_ASSOC],
				     KNTP_A_ASSOC_ADDR4);
		NL_SET_ERR_MSG_MOD(extack, "missing address (ADDR4 or ADDR6)");
		return -EINVAL;
	}
	if (a4 && a6) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "address given twice (ADDR4 and ADDR6)");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	if (a4) {
		if (nla_len(a4) != sizeof(addr->v4)) {
			NL_SET_ERR_MSG_ATTR(extack, a4,
					    "malformed address: ADDR4 must be 4 bytes");
			return -EINVAL;
		}
		addr->family = AF_INET;
		addr->v4 = nla_get_in_addr(a4);
		if (ipv4_is_zeronet(addr->v4) || ipv4_is_multicast(addr->v4) ||
		    ipv4_is_lbcast(addr->v4)) {
			NL_SET_ERR_MSG_ATTR(extack, a4,
					    "ADDR4 must be a unicast address");
			return -EINVAL;
		}
		return 0;
	}
	if (nla_len(a6) != sizeof(addr->v6)) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "malformed address: ADDR6 must be 16 bytes");
		return -EINVAL;
	}
	addr->family = AF_INET6;
	addr->v6 = nla_get_in6_addr(a6);
	type = ipv6_addr_type(&addr->v6);
	if (ipv6_addr_any(&addr->v6) || (type & IPV6_ADDR_MULTICAST)) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "ADDR6 must be a unicast address");
		return -EINVAL;
	}
	if (type & IPV6_ADDR_MAPPED) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "ADDR6 is IPv4-mapped: use ADDR4");
		return -EINVAL;
	}
	if (type & IPV6_ADDR_LINKLOCAL) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "link-local ADDR6 needs an interface, not supported yet");
		return -EINVAL;
	}
	return 0;
}

static int kntp_nl_parse_kind(struct genl_info *info, struct nlattr *attr,
			      u8 *kind)
{
	*kind = nla_get_u8(attr);
	if (*kind < KNTP_ASSOC_KIND_SERVER || *kind > KNTP_ASSOC_KIND_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "unknown association kind (1 server, 2 peer)");
		return -EINVAL;
	}
	return 0;
}

/* The nest and address of a request that names one association. */
static int kntp_nl_parse_target(struct genl_info *info, struct nlattr **tb,
				struct kntp_addr *addr)
{
	int err = kntp_nl_parse_nest(info, tb);

	return err ?: kntp_nl_parse_addr(info, tb, addr);
}

/* The refusal quotes the range in words; keep it in step with the UAPI. */
#define KNTP_POLL_RANGE "(-4..17 log2 s)"
static_assert(KNTP_POLL_MIN == -4 && KNTP_POLL_MAX == 17);

/*
 * The core's values that cross the UAPI as they are: the RFC's numbers
 * (RFC 5905 sec. 7.3), on both sides. Enums of the core's own are mapped
 * by the tables below.
 */
static_assert(NTP_MAXSTRAT == 16 && KNTP_MAXSTRAT == 16);
static_assert(NTP_LEAP_NONE == 0 && KNTP_LEAP_NONE == 0 &&
	      NTP_LEAP_ADD == 1 && KNTP_LEAP_ADD == 1 &&
	      NTP_LEAP_DEL == 2 && KNTP_LEAP_DEL == 2 &&
	      NTP_LEAP_NOSYNC == 3 && KNTP_LEAP_UNSYNC == 3);
static_assert(NTP_MODE_ACTIVE == 1 && KNTP_MODE_ACTIVE == 1 &&
	      NTP_MODE_PASSIVE == 2 && KNTP_MODE_PASSIVE == 2 &&
	      NTP_MODE_CLIENT == 3 && KNTP_MODE_CLIENT == 3 &&
	      NTP_MODE_SERVER == 4 && KNTP_MODE_SERVER == 4 &&
	      NTP_MODE_BROADCAST == 5 && KNTP_MODE_BROADCAST == 5);

static const u8 kntp_nl_tally[] = {
	[NTP_TALLY_REJECT]	= KNTP_TALLY_REJECT,
	[NTP_TALLY_FALSETICKER]	= KNTP_TALLY_FALSETICKER,
	[NTP_TALLY_OUTLIER]	= KNTP_TALLY_OUTLIER,
	[NTP_TALLY_BACKUP]	= KNTP_TALLY_BACKUP,
	[NTP_TALLY_CANDIDATE]	= KNTP_TALLY_CANDIDATE,
	[NTP_TALLY_SYSPEER]	= KNTP_TALLY_SYSPEER,
};

static_assert(ARRAY_SIZE(kntp_nl_tally) == NTP_TALLY_SYSPEER + 1);

static const u8 kntp_nl_reject[] = {	/* NTP_REJ_NONE: no attribute */
	[NTP_REJ_NOSAMPLE]	= KNTP_REJECT_NOSAMPLE,
	[NTP_REJ_UNREACH]	= KNTP_REJECT_UNREACH,
	[NTP_REJ_UNSYNC]	= KNTP_REJECT_UNSYNC,
	[NTP_REJ_DISTANCE]	= KNTP_REJECT_DISTANCE,
	[NTP_REJ_LOOP]		= KNTP_REJECT_LOOP,
};

static_assert(ARRAY_SIZE(kntp_nl_reject) == NTP_REJ_LOOP + 1);

static const u8 kntp_nl_disc_state[] = {
	[NTP_DISC_NSET]		= KNTP_DISC_NSET,
	[NTP_DISC_SYNC]		= KNTP_DISC_SYNC,
	[NTP_DISC_SPIKE]	= KNTP_DISC_SPIKE,
	[NTP_DISC_PANIC]	= KNTP_DISC_PANIC,
	[NTP_DISC_FREE]		= KNTP_DISC_FREE,
	[NTP_DISC_HANDS_OFF]	= KNTP_DISC_HANDS_OFF,
};

static_assert(ARRAY_SIZE(kntp_nl_disc_state) == NTP_DISC_HANDS_OFF + 1);

static bool kntp_nl_poll_valid(s8 poll)
{
	return poll >= KNTP_POLL_MIN && poll <= KNTP_POLL_MAX;
}

/* Build a complete, checked configuration from an ADD request. */
static int kntp_nl_parse_cfg(struct genl_info *info, struct nlattr **tb,
			     struct kntp_assoc_cfg *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *minpoll = tb[KNTP_A_ASSOC_MINPOLL];
	struct nlattr *maxpoll = tb[KNTP_A_ASSOC_MAXPOLL];
	int err;

	err = kntp_nl_parse_addr(info, tb, &cfg->addr);
	if (err)
		return err;

	if (!tb[KNTP_A_ASSOC_KIND]) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[KNTP_A_ASSOC],
				     KNTP_A_ASSOC_KIND);
		NL_SET_ERR_MSG_MOD(extack, "missing association kind (KIND)");
		return -EINVAL;
	}
	err = kntp_nl_parse_kind(info, tb[KNTP_A_ASSOC_KIND], &cfg->kind);
	if (err)
		return err;

	cfg->version = KNTP_VERSION_DEFAULT;
	if (tb[KNTP_A_ASSOC_VERSION]) {
		cfg->version = nla_get_u8(tb[KNTP_A_ASSOC_VERSION]);
		if (cfg->version < KNTP_VERSION_MIN ||
		    cfg->version > KNTP_VERSION_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ASSOC_VERSION],
					    "version out of range ("
					    __stringify(KNTP_VERSION_MIN) ".."
					    __stringify(KNTP_VERSION_MAX) ")");
			return -ERANGE;
		}
	}

	cfg->minpoll = KNTP_MINPOLL_DEFAULT;
	cfg->maxpoll = KNTP_MAXPOLL_DEFAULT;
	if (minpoll) {
		cfg->minpoll = nla_get_s8(minpoll);
		if (!kntp_nl_poll_valid(cfg->minpoll)) {
			NL_SET_ERR_MSG_ATTR(extack, minpoll,
					    "minpoll out of range " KNTP_POLL_RANGE);
			return -ERANGE;
		}
	}
	if (maxpoll) {
		cfg->maxpoll = nla_get_s8(maxpoll);
		if (!kntp_nl_poll_valid(cfg->maxpoll)) {
			NL_SET_ERR_MSG_ATTR(extack, maxpoll,
					    "maxpoll out of range " KNTP_POLL_RANGE);
			return -ERANGE;
		}
	}
	if (cfg->minpoll > cfg->maxpoll) {
		/* Only an explicit pair can conflict; a default yields. */
		if (minpoll && maxpoll) {
			NL_SET_ERR_MSG_ATTR(extack, minpoll,
					    "minpoll is greater than maxpoll");
			return -EINVAL;
		}
		if (minpoll)
			cfg->maxpoll = cfg->minpoll;
		else
			cfg->minpoll = cfg->maxpoll;
	}

	cfg->flags = 0;
	if (tb[KNTP_A_ASSOC_FLAGS]) {
		cfg->flags = nla_get_u32(tb[KNTP_A_ASSOC_FLAGS]);
		if (cfg->flags & ~__KNTP_ASSOC_F_ALL) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ASSOC_FLAGS],
					    "unknown flag bits in FLAGS");
			return -EINVAL;
		}
	}

	cfg->key_id = 0;
	if (tb[KNTP_A_ASSOC_KEY]) {
		cfg->key_id = nla_get_u16(tb[KNTP_A_ASSOC_KEY]);
		if (cfg->key_id < KNTP_KEY_ID_MIN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ASSOC_KEY],
					    "key id out of range ("
					    __stringify(KNTP_KEY_ID_MIN) ".."
					    __stringify(KNTP_KEY_ID_MAX) ")");
			return -ERANGE;
		}
	}
	return 0;
}

static int kntp_nl_assoc_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	struct kntp_assoc_cfg cfg;
	int err;

	err = kntp_nl_parse_nest(info, tb);
	if (err)
		return err;
	err = kntp_nl_parse_cfg(info, tb, &cfg);
	if (err)
		return err;
	return kntp_assoc_add(kntp_nl_instance(info), &cfg,
			      netlink_capable(skb, CAP_SYS_TIME), info->extack);
}

static int kntp_nl_assoc_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	struct kntp_addr addr;
	u8 kind = 0;
	int err;

	err = kntp_nl_parse_target(info, tb, &addr);
	if (err)
		return err;
	if (tb[KNTP_A_ASSOC_KIND]) {
		err = kntp_nl_parse_kind(info, tb[KNTP_A_ASSOC_KIND], &kind);
		if (err)
			return err;
	}
	return kntp_assoc_del(kntp_nl_instance(info), &addr, kind,
			      netlink_capable(skb, CAP_SYS_TIME), info->extack);
}

static int kntp_nl_put_addr(struct sk_buff *skb, const struct kntp_addr *addr)
{
	if (addr->family == AF_INET)
		return nla_put_in_addr(skb, KNTP_A_ASSOC_ADDR4, addr->v4);
	return nla_put_in6_addr(skb, KNTP_A_ASSOC_ADDR6, &addr->v6);
}

/* Counters pad with KNTP_STAT_UNSPEC, the one index they never use. */
static int kntp_nl_put_stats(struct sk_buff *skb, int type, const u64 *v)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= KNTP_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, v[i], KNTP_STAT_UNSPEC)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	nla_nest_end(skb, nest);
	return 0;
}

/* The clock filter's stages, newest first; assoc->lock held. */
static int kntp_nl_put_filter(struct sk_buff *skb, const struct ntp_filter *f,
			      s64 now_ns)
{
	const int pad = KNTP_A_STAGE_PAD;
	struct nlattr *nest, *stage;
	int i;

	nest = nla_nest_start(skb, KNTP_A_ASSOC_FILTER);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NTP_NSTAGE; i++) {
		const struct ntp_filter_stage *st = &f->stage[i];

		stage = nla_nest_start(skb, KNTP_A_ASSOC_FILTER_STAGE);
		if (!stage ||
		    nla_put_s64(skb, KNTP_A_STAGE_OFFSET, st->offset_ns, pad) ||
		    nla_put_s64(skb, KNTP_A_STAGE_DELAY, st->delay_ns, pad) ||
		    nla_put_u64_64bit(skb, KNTP_A_STAGE_DISP,
				      ntp_filter_stage_disp(st, now_ns), pad) ||
		    nla_put_u64_64bit(skb, KNTP_A_STAGE_AGE,
				      max_t(s64, now_ns - st->t_ns, 0), pad))
			return -EMSGSIZE;
		nla_nest_end(skb, stage);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * What an off-path attacker would need to forge answers to our polls: the
 * random local port and our transmit timestamps. Only for requesters with
 * CAP_NET_ADMIN over the namespace.
 */
static int kntp_nl_put_assoc_secrets(struct sk_buff *skb,
				     const struct kntp_assoc_info *info)
{
	const struct ntp_peer *p = &info->p;
	const int pad = KNTP_A_ASSOC_PAD;

	if ((info->local_port &&
	     nla_put_u16(skb, KNTP_A_ASSOC_LOCAL_PORT, info->local_port)) ||
	    (info->xmt_ns &&
	     nla_put_s64(skb, KNTP_A_ASSOC_XMT, info->xmt_ns, pad)) ||
	    (info->tx_stamp_ns &&
	     nla_put_s64(skb, KNTP_A_ASSOC_TX_STAMP, info->tx_stamp_ns, pad)) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_ORG_TS, p->x.org, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_REC_TS, p->x.rec, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_XMT_TS, p->x.xmt, pad))
		return -EMSGSIZE;
	return 0;
}

/* The measured state of an association, from a consistent copy. */
static int kntp_nl_put_assoc_state(struct sk_buff *skb,
				   const struct kntp_assoc_info *info,
				   bool secrets)
{
	const struct ntp_peer *p = &info->p;
	const struct ntp_filter *f = &p->filter;
	const int pad = KNTP_A_ASSOC_PAD;
	s64 now_ns = info->now_ns;
	u32 state = 0;

	if (p->state & NTP_PEER_DENIED)
		state |= KNTP_ASSOC_S_DENIED;
	if (p->state & NTP_PEER_RATE)
		state |= KNTP_ASSOC_S_RATE;
	if (p->state & NTP_PEER_XLEAVE_BASIC)
		state |= KNTP_ASSOC_S_XLEAVE_BASIC;
	if (p->state & NTP_PEER_XLEAVE_PEER)
		state |= KNTP_ASSOC_S_XLEAVE_PEER;
	if (nla_put_u8(skb, KNTP_A_ASSOC_STRATUM, p->stratum) ||
	    nla_put(skb, KNTP_A_ASSOC_REFID, sizeof(p->refid), p->refid) ||
	    nla_put_u8(skb, KNTP_A_ASSOC_REACH, p->reach) ||
	    nla_put_s8(skb, KNTP_A_ASSOC_POLL, p->poll) ||
	    nla_put_u8(skb, KNTP_A_ASSOC_LEAP, p->leap) ||
	    nla_put_s8(skb, KNTP_A_ASSOC_PPOLL, p->ppoll) ||
	    nla_put_s8(skb, KNTP_A_ASSOC_PRECISION, p->precision) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_ROOT_DELAY,
			      p->root_delay_ns, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_ROOT_DISP,
			      p->root_disp_ns, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_DISP,
			      ntp_filter_disp_now(f, now_ns), pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_ASSOC_JITTER, f->jitter_ns, pad) ||
	    nla_put_u32(skb, KNTP_A_ASSOC_STATE, state) ||
	    nla_put_u8(skb, KNTP_A_ASSOC_TALLY, kntp_nl_tally[p->tally]))
		return -EMSGSIZE;
	if (p->reject &&
	    nla_put_u8(skb, KNTP_A_ASSOC_REJECT, kntp_nl_reject[p->reject]))
		return -EMSGSIZE;
	if (p->rx_ns &&
	    nla_put_u32(skb, KNTP_A_ASSOC_RX_AGE,
			min_t(u64, div_u64(max_t(s64, now_ns - p->rx_ns, 0),
					   NSEC_PER_MSEC), U32_MAX)))
		return -EMSGSIZE;
	if (f->used &&
	    (nla_put_s64(skb, KNTP_A_ASSOC_OFFSET, ntp_filter_measured(f),
			 pad) ||
	     nla_put_s64(skb, KNTP_A_ASSOC_RESIDUAL, f->offset_ns, pad) ||
	     nla_put_s64(skb, KNTP_A_ASSOC_DELAY, f->delay_ns, pad)))
		return -EMSGSIZE;
	if (secrets && kntp_nl_put_assoc_secrets(skb, info))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KNTP_A_ASSOC_ROOT_DIST, p->root_dist_ns, pad) ||
	    (p->pmode && nla_put_u8(skb, KNTP_A_ASSOC_PMODE, p->pmode)) ||
	    (info->auth && nla_put_u8(skb, KNTP_A_ASSOC_AUTH, info->auth)) ||
	    kntp_nl_put_filter(skb, f, now_ns))
		return -EMSGSIZE;
	return kntp_nl_put_stats(skb, KNTP_A_ASSOC_STATS, info->stats);
}

static int kntp_nl_fill_assoc(struct sk_buff *skb,
			      const struct kntp_assoc_info *info, bool secrets,
			      u32 portid, u32 seq, int flags)
{
	const struct kntp_assoc_cfg *cfg = &info->cfg;
	struct nlattr *nest;
	void *hdr;

	hdr = kntp_nl_hdr(skb, portid, seq, flags, KNTP_CMD_ASSOC_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KNTP_A_ASSOC);
	if (!nest ||
	    nla_put_u32(skb, KNTP_A_ASSOC_ID, info->id) ||
	    kntp_nl_put_addr(skb, &cfg->addr) ||
	    nla_put_u8(skb, KNTP_A_ASSOC_KIND, cfg->kind) ||
	    nla_put_u8(skb, KNTP_A_ASSOC_VERSION, cfg->version) ||
	    nla_put_s8(skb, KNTP_A_ASSOC_MINPOLL, cfg->minpoll) ||
	    nla_put_s8(skb, KNTP_A_ASSOC_MAXPOLL, cfg->maxpoll) ||
	    nla_put_u32(skb, KNTP_A_ASSOC_FLAGS, cfg->flags) ||
	    (cfg->key_id && nla_put_u16(skb, KNTP_A_ASSOC_KEY, cfg->key_id)) ||
	    kntp_nl_put_assoc_state(skb, info, secrets)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* May the requester see what would let it forge answers? */
static bool kntp_nl_secrets_ok(const struct sk_buff *skb, struct net *net)
{
	return netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
}

static int kntp_nl_assoc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *tb[KNTP_A_ASSOC_MAX + 1];
	struct kntp_assoc_info *ai;
	struct kntp_addr addr;
	struct sk_buff *msg;
	int err;

	err = kntp_nl_parse_target(info, tb, &addr);
	if (err)
		return err;
	ai = kmalloc(sizeof(*ai), GFP_KERNEL);
	if (!ai)
		return -ENOMEM;
	if (kntp_assoc_info_addr(kntp_net(net), &addr, ai)) {
		NL_SET_ERR_MSG_MOD(info->extack, "no association for this address");
		err = -ENOENT;
		goto out_free;
	}
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_free;
	}
	err = kntp_nl_fill_assoc(msg, ai, kntp_nl_secrets_ok(skb, net),
				 info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out_free;
	}
	err = genlmsg_reply(msg, info);
out_free:
	kfree(ai);
	return err;
}

/*
 * cb->args[0] is the id of the last association sent; cb->args[1] says
 * whether the requester may see secrets (1 + that, decided once, by the
 * requester of the dump).
 */
static int kntp_nl_assoc_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	struct kntp_assoc_info *ai;
	int err = 0;

	if (!cb->args[1])
		cb->args[1] = 1 + kntp_nl_secrets_ok(cb->skb, net);
	ai = kmalloc(sizeof(*ai), GFP_KERNEL);
	if (!ai)
		return -ENOMEM;
	while (!kntp_assoc_info_next(kntp_net(net), cb->args[0], ai)) {
		err = kntp_nl_fill_assoc(skb, ai, cb->args[1] == 2,
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		cb->args[0] = ai->id;
	}
	kfree(ai);
	if (err == -EMSGSIZE && skb->len)
		err = 0;	/* full: the rest comes with the next call */
	return err ?: skb->len;
}

/* The system process's view: kn->lock and kn->sys_lock held. */
static int kntp_nl_put_system(struct sk_buff *skb, struct kntp_net *kn)
{
	const struct ntp_system *sys = &kn->sys;
	const struct ntp_disc *d = &sys->disc;
	const int pad = KNTP_A_STATUS_PAD;
	const char *note = kntp_clock_note(kn);
	bool virt;
	s64 err_ns = kntp_clock_error(kn, &virt);

	if (nla_put_u8(skb, KNTP_A_STATUS_MASTER, sys->master) ||
	    nla_put_u8(skb, KNTP_A_STATUS_CLOCK, kn->clock.kind) ||
	    nla_put_u8(skb, KNTP_A_STATUS_CLOCK_OWNER,
		       READ_ONCE(kn->clock.owner)) ||
	    (virt && nla_put_s64(skb, KNTP_A_STATUS_CLOCK_ERROR, err_ns, pad)) ||
	    nla_put_s64(skb, KNTP_A_STATUS_OFFSET, sys->offset_ns, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_JITTER, sys->jitter_ns, pad) ||
	    nla_put_s64(skb, KNTP_A_STATUS_FREQ, d->freq_ppb, pad) ||
	    nla_put_s8(skb, KNTP_A_STATUS_POLL, ntp_system_poll(sys)) ||
	    (sys->sys_peer_id &&
	     nla_put_u32(skb, KNTP_A_STATUS_SYS_PEER, sys->sys_peer_id)) ||
	    nla_put_u8(skb, KNTP_A_STATUS_DISC_STATE,
		       kntp_nl_disc_state[d->state]) ||
	    nla_put_u32(skb, KNTP_A_STATUS_STEPS, d->n_steps) ||
	    (d->n_steps &&
	     (nla_put_s64(skb, KNTP_A_STATUS_LAST_STEP, d->step_t_ns, pad) ||
	      nla_put_s64(skb, KNTP_A_STATUS_LAST_STEP_AMOUNT,
			  d->step_amount_ns, pad))) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_STEP_THRESHOLD,
			      d->cfg.step_ns, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_PANIC_THRESHOLD,
			      d->cfg.panic_ns, pad) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_STEPOUT,
			      d->cfg.stepout_ns, pad) ||
	    (note && nla_put_string(skb, KNTP_A_STATUS_CLOCK_NOTE, note)) ||
	    (kn->clock.kind == KNTP_CLOCK_SYSTEM &&
	     nla_put_u8(skb, KNTP_A_STATUS_CLOCK_LOST, READ_ONCE(kn->clock.lost))))
		return -EMSGSIZE;
	return 0;
}

/* kn->lock held. */
static int kntp_nl_fill_status(struct sk_buff *skb, struct kntp_net *kn)
{
	struct kntp_stats stats;
	struct ntp_sysvars sys_copy, *sys = &sys_copy;
	struct nlattr *nest;
	int i, err;

	kntp_vars_read(kn, kntp_clock_now(kn), sys);
	for (i = 0; i <= KNTP_STAT_MAX; i++)
		stats.v[i] = i ? kntp_stat_sum(kn, i) : 0;
	nest = nla_nest_start(skb, KNTP_A_STATUS);
	if (!nest)
		return -EMSGSIZE;
	mutex_lock(&kn->sys_lock);
	err = kntp_nl_put_system(skb, kn);
	mutex_unlock(&kn->sys_lock);
	if (err ||
	    nla_put_u8(skb, KNTP_A_STATUS_LEAP, sys->leap) ||
	    nla_put_u8(skb, KNTP_A_STATUS_STRATUM, sys->stratum) ||
	    nla_put(skb, KNTP_A_STATUS_REFID, sizeof(sys->refid), sys->refid) ||
	    nla_put_s8(skb, KNTP_A_STATUS_PRECISION, sys->precision) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_ROOT_DELAY, sys->root_delay_ns,
			      KNTP_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, KNTP_A_STATUS_ROOT_DISP, sys->root_disp_ns,
			      KNTP_A_STATUS_PAD) ||
	    nla_put_u32(skb, KNTP_A_STATUS_ASSOC_COUNT, kn->n_assocs) ||
	    nla_put_u8(skb, KNTP_A_STATUS_ENABLED, kn->enabled) ||
	    (sys->reftime_ns &&
	     nla_put_s64(skb, KNTP_A_STATUS_REFTIME, sys->reftime_ns,
			 KNTP_A_STATUS_PAD)) ||
	    kntp_nl_put_stats(skb, KNTP_A_STATUS_STATS, stats.v) ||
	    kntp_nl_put_auth(skb, kn) ||
	    kntp_acl_put_status(skb, kn) ||
	    kntp_ratelimit_fill(skb, kn) ||
	    kntp_ingress_fill(skb, kn)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int kntp_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_nl_instance(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kntp_nl_family, 0,
				KNTP_CMD_STATUS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&kn->lock);
	err = kntp_nl_fill_status(msg, kn);
	mutex_unlock(&kn->lock);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* cb->args[0]: the index of the next list. */
static int kntp_nl_acl_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct kntp_net *kn = kntp_net(sock_net(cb->skb->sk));
	void *hdr;
	int err;

	for (;;) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kntp_nl_family,
				  NLM_F_MULTI, KNTP_CMD_ACL_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		err = kntp_acl_put_list(skb, kn, cb->args[0]);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	if (err == -ENOENT || (err == -EMSGSIZE && skb->len))
		err = 0;	/* done, or full: the rest comes next call */
	return err ?: skb->len;
}

static const struct genl_small_ops kntp_nl_ops[] = {
	{
		.cmd	= KNTP_CMD_INGRESS_ADD,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_ingress_add_doit,
	},
	{
		.cmd	= KNTP_CMD_INGRESS_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_ingress_del_doit,
	},
	{
		.cmd	= KNTP_CMD_ASSOC_ADD,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_assoc_add_doit,
	},
	{
		.cmd	= KNTP_CMD_ASSOC_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_assoc_del_doit,
	},
	{
		.cmd	= KNTP_CMD_ASSOC_GET,
		.doit	= kntp_nl_assoc_get_doit,
		.dumpit	= kntp_nl_assoc_get_dumpit,
	},
	{
		.cmd	= KNTP_CMD_STATUS_GET,
		.doit	= kntp_nl_status_get_doit,
	},
	{
		.cmd	= KNTP_CMD_INSTANCE_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_instance_set_doit,
	},
	{
		.cmd	= KNTP_CMD_KEY_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_key_set_doit,
	},
	{
		.cmd	= KNTP_CMD_KEY_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_key_del_doit,
	},
	{
		.cmd	= KNTP_CMD_KEY_TRUST,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_key_trust_doit,
	},
	{
		.cmd	= KNTP_CMD_KEY_GET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.dumpit	= kntp_nl_key_get_dumpit,
	},
	{
		.cmd	= KNTP_CMD_ACL_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_acl_set_doit,
	},
	{
		.cmd	= KNTP_CMD_ACL_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= kntp_nl_acl_del_doit,
	},
	{
		.cmd	= KNTP_CMD_ACL_GET,
		.dumpit	= kntp_nl_acl_get_dumpit,
	},
};

static struct genl_family kntp_nl_family __ro_after_init = {
	.name		= KNTP_GENL_NAME,
	.version	= KNTP_GENL_VERSION,
	.maxattr	= KNTP_A_MAX,
	.policy		= kntp_nl_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= kntp_nl_ops,
	.n_small_ops	= ARRAY_SIZE(kntp_nl_ops),
	.mcgrps		= kntp_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kntp_nl_mcgrps),
};

/**
 * kntp_nl_event() - tell the namespace's listeners what happened
 * @kn: instance
 * @ev: the event
 *
 * Any context; nothing is built when nobody listens.
 */
void kntp_nl_event(struct kntp_net *kn, const struct kntp_event *ev)
{
	const int pad = KNTP_A_EVENT_PAD;
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(kntp_nl_live) ||
	    !genl_has_listeners(&kntp_nl_family, kn->net, 0))
		goto out;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		goto out;
	hdr = genlmsg_put(skb, 0, 0, &kntp_nl_family, 0, KNTP_CMD_EVENT);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(skb, KNTP_A_EVENT);
	if (!nest ||
	    nla_put_u32(skb, KNTP_A_EVENT_TYPE, ev->type) ||
	    nla_put_s64(skb, KNTP_A_EVENT_TIME, kntp_clock_now(kn), pad) ||
	    (ev->id &&
	     (nla_put_u32(skb, KNTP_A_EVENT_ASSOC_ID, ev->id) ||
	      (ev->addr.family == AF_INET ?
	       nla_put_in_addr(skb, KNTP_A_EVENT_ADDR4, ev->addr.v4) :
	       nla_put_in6_addr(skb, KNTP_A_EVENT_ADDR6, &ev->addr.v6)))) ||
	    (ev->type == KNTP_EVENT_STRATUM &&
	     nla_put_u8(skb, KNTP_A_EVENT_STRATUM, ev->stratum)) ||
	    (ev->type == KNTP_EVENT_STEP &&
	     nla_put_s64(skb, KNTP_A_EVENT_STEP, ev->value_ns, pad)) ||
	    (ev->type == KNTP_EVENT_PANIC &&
	     nla_put_s64(skb, KNTP_A_EVENT_OFFSET, ev->value_ns, pad)) ||
	    (ev->type == KNTP_EVENT_KOD &&
	     nla_put(skb, KNTP_A_EVENT_KISS, NTP_REFID_LEN, ev->kiss)))
		goto err_free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&kntp_nl_family, kn->net, skb, 0, 0,
				GFP_ATOMIC);
	goto out;

err_free:
	nlmsg_free(skb);
out:
	rcu_read_unlock();
}

int __init kntp_nl_init(void)
{
	int err = genl_register_family(&kntp_nl_family);

	if (!err)
		WRITE_ONCE(kntp_nl_live, true);
	return err;
}

/*
 * Stop events, wait for those being sent (they run under RCU), then
 * unregister: the family's multicast group is never used after it is gone.
 */
void kntp_nl_exit(void)
{
	WRITE_ONCE(kntp_nl_live, false);
	synchronize_rcu();
	genl_unregister_family(&kntp_nl_family);
}
