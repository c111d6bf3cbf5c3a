// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: keys over netlink - KNTP_CMD_KEY_SET, _DEL, _TRUST and _GET, and
 * the authentication part of the status.
 *
 * Each request is checked whole before anything changes. Keys steer what
 * the clock may follow: on an instance that owns the system clock they
 * need CAP_SYS_TIME as every such change does. Secrets go in and never
 * come out: a dump shows a fingerprint.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "kntp.h"

const struct nla_policy kntp_key_nl_policy[KNTP_A_KEY_MAX + 1] = {
	/* KNTP_KEY_ID_MAX is the u16's own (a range's bounds are s16). */
	[KNTP_A_KEY_ID]		= NLA_POLICY_MIN(NLA_U16, KNTP_KEY_ID_MIN),
	[KNTP_A_KEY_TYPE]	= { .type = NLA_U8 },
	[KNTP_A_KEY_SECRET]	= { .type = NLA_BINARY },
	[KNTP_A_KEY_FINGERPRINT] = { .type = NLA_REJECT,
				     .reject_message = "fingerprint is read-only" },
	[KNTP_A_KEY_TRUSTED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KNTP_A_KEY_ID_LAST]	= NLA_POLICY_MIN(NLA_U16, KNTP_KEY_ID_MIN),
};

/* The KNTP_A_KEY nest of a request, with the id it must hold. */
static int kntp_nl_key_parse(struct genl_info *info, struct nlattr **tb)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KNTP_A_KEY)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing key (KNTP_A_KEY)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KNTP_A_KEY_MAX, info->attrs[KNTP_A_KEY],
			       kntp_key_nl_policy, info->extack);
	if (err)
		return err;
	if (!tb[KNTP_A_KEY_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KNTP_A_KEY],
				     KNTP_A_KEY_ID);
		NL_SET_ERR_MSG_MOD(info->extack, "missing key id");
		return -EINVAL;
	}
	return 0;
}

/* May the requester change the keys? kn->lock held. */
static int kntp_nl_key_may(struct sk_buff *skb, struct genl_info *info,
			   struct kntp_net *kn)
{
	return kntp_clock_may_change(kn, kn->clock.kind,
				     netlink_capable(skb, CAP_SYS_TIME),
				     info->extack);
}

/* Is the key well formed? */
static int kntp_nl_key_check(struct netlink_ext_ack *extack,
			     struct nlattr *type, struct nlattr *secret)
{
	u8 t = nla_get_u8(type);
	int len = nla_len(secret);

	if (t < KNTP_KEY_MD5 || t > KNTP_KEY_TYPE_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, type,
				    "unknown key type (1 md5, 2 sha1, 3 sha256, 4 aes128-cmac)");
		return -EINVAL;
	}
	if (!len || len > KNTP_KEY_SECRET_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, secret,
				    "key secret must be 1 to "
				    __stringify(KNTP_KEY_SECRET_MAX) " bytes");
		return -EINVAL;
	}
	if (t == KNTP_KEY_AES128_CMAC && len != KNTP_KEY_CMAC_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, secret,
				    "an AES-128-CMAC key must be exactly 16 bytes");
		return -EINVAL;
	}
	return 0;
}

int kntp_nl_key_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	struct nlattr *tb[KNTP_A_KEY_MAX + 1];
	struct nlattr *type, *secret;
	int err;

	err = kntp_nl_key_parse(info, tb);
	if (err)
		return err;
	type = tb[KNTP_A_KEY_TYPE];
	secret = tb[KNTP_A_KEY_SECRET];
	if (!type) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KNTP_A_KEY],
				     KNTP_A_KEY_TYPE);
		NL_SET_ERR_MSG_MOD(info->extack, "missing key type");
		return -EINVAL;
	}
	if (!secret) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KNTP_A_KEY],
				     KNTP_A_KEY_SECRET);
		NL_SET_ERR_MSG_MOD(info->extack, "missing key secret");
		return -EINVAL;
	}
	err = kntp_nl_key_check(info->extack, type, secret);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kntp_nl_key_may(skb, info, kn);
	if (!err)
		err = kntp_key_set(kn, nla_get_u16(tb[KNTP_A_KEY_ID]),
				   nla_get_u8(type), nla_data(secret),
				   nla_len(secret), info->extack);
	mutex_unlock(&kn->lock);
	return err;
}

int kntp_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	struct nlattr *tb[KNTP_A_KEY_MAX + 1];
	int err;

	err = kntp_nl_key_parse(info, tb);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kntp_nl_key_may(skb, info, kn);
	if (!err) {
		err = kntp_key_del(kn, nla_get_u16(tb[KNTP_A_KEY_ID]));
		if (err)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KNTP_A_KEY_ID],
					    "no key with this id");
	}
	mutex_unlock(&kn->lock);
	return err;
}

int kntp_nl_key_trust_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	struct nlattr *tb[KNTP_A_KEY_MAX + 1];
	u16 first, last;
	int err;

	err = kntp_nl_key_parse(info, tb);
	if (err)
		return err;
	if (!tb[KNTP_A_KEY_TRUSTED]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[KNTP_A_KEY],
				     KNTP_A_KEY_TRUSTED);
		NL_SET_ERR_MSG_MOD(info->extack, "missing TRUSTED (1 or 0)");
		return -EINVAL;
	}
	first = nla_get_u16(tb[KNTP_A_KEY_ID]);
	last = tb[KNTP_A_KEY_ID_LAST] ? nla_get_u16(tb[KNTP_A_KEY_ID_LAST]) :
					first;
	if (last < first) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KNTP_A_KEY_ID_LAST],
				    "last key id of the range below the first");
		return -EINVAL;
	}
	mutex_lock(&kn->lock);
	err = kntp_nl_key_may(skb, info, kn);
	if (!err)
		err = kntp_key_trust(kn, first, last,
				     nla_get_u8(tb[KNTP_A_KEY_TRUSTED]));
	mutex_unlock(&kn->lock);
	return err;
}

static int kntp_nl_key_fill(struct sk_buff *skb, struct kntp_net *kn,
			    const struct kntp_key *key,
			    struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = kntp_nl_hdr(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  NLM_F_MULTI, KNTP_CMD_KEY_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KNTP_A_KEY);
	if (!nest ||
	    nla_put_u16(skb, KNTP_A_KEY_ID, key->id) ||
	    nla_put_u8(skb, KNTP_A_KEY_TYPE, key->type) ||
	    nla_put(skb, KNTP_A_KEY_FINGERPRINT, sizeof(key->fingerprint),
		    key->fingerprint) ||
	    nla_put_u8(skb, KNTP_A_KEY_TRUSTED, kntp_key_trusted(kn, key->id))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Every key, one message each, in id order. cb->args[0] is the next id to
 * send. Needs CAP_NET_ADMIN (the family's flags): fingerprints of short
 * secrets could be searched.
 */
int kntp_nl_key_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kntp_net *kn = kntp_net(sock_net(cb->skb->sk));
	unsigned long id = cb->args[0];
	struct kntp_key *key;
	int err = 0;

	mutex_lock(&kn->lock);
	xa_for_each_start(&kn->keys, id, key, id) {
		err = kntp_nl_key_fill(skb, kn, key, cb);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&kn->lock);
	/* A full skb ends this part; the next call goes on from args[0]. */
	return err && err != -EMSGSIZE ? err : skb->len;
}

/**
 * kntp_nl_put_auth() - "ntp authenticate" and the trusted ids, for the status
 * @skb: the reply
 * @kn: instance, kn->lock held
 *
 * Return: 0 or -EMSGSIZE.
 */
int kntp_nl_put_auth(struct sk_buff *skb, struct kntp_net *kn)
{
	u32 first, last, from = 0;
	struct nlattr *nest;

	if (nla_put_u8(skb, KNTP_A_STATUS_AUTHENTICATE, kn->authenticate))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KNTP_A_STATUS_TRUSTED);
	if (!nest)
		return -EMSGSIZE;
	while (kntp_key_trusted_next(kn, from, &first, &last)) {
		if (nla_put_u32(skb, KNTP_A_STATUS_TRUSTED_RANGE,
				first << 16 | last))
			return -EMSGSIZE;
		from = last + 1;
	}
	nla_nest_end(skb, nest);
	return 0;
}
