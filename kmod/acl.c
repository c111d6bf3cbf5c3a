// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: access control - the access lists ("access-list N ...", "ipv6
 * access-list NAME") and access groups ("ntp access-group") of an
 * instance, over netlink, and their check in the receive path.
 *
 * Lifetime
 *   The configuration (struct kntp_acl_cfg in kntp_net.acl): the lists,
 *   each one allocation (struct kntp_acl_list) replaced whole when it
 *   changes, and the groups. Freed at namespace exit (kntp_acl_exit()).
 *   The receive path never reads it: it reads the compiled snapshot.
 *   The snapshot (struct kntp_acl_snap, kntp_net.acl_snap): for each
 *   family, the configured groups with a copy of their lists' entries, in
 *   one allocation. Immutable once published; rebuilt from the
 *   configuration on every change, swapped with rcu_assign_pointer() and
 *   the old one freed with kvfree_rcu(). NULL while no group is
 *   configured, so that an instance without access control pays one
 *   pointer load per packet.
 *
 * Locking
 *   kntp_net.lock (mutex): the configuration and publishing the snapshot.
 *	A change builds the new snapshot before it touches anything, so that
 *	a refusal (no memory) leaves the old configuration in place.
 *   RCU: the receive path reads the snapshot in softirq, no lock taken,
 *	nothing allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/overflow.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/genetlink.h>

#include "kntp.h"
#include "core/wire.h"

/**
 * struct kntp_acl_list - one access list (configuration, kn->lock)
 * @node: entry in kntp_acl_cfg.lists, in order of creation
 * @family: enum kntp_acl_family
 * @name: NUL-terminated
 * @n: entries
 * @e: the entries, in order of evaluation
 */
struct kntp_acl_list {
	struct list_head node;
	u8 family;
	char name[KNTP_ACL_NAME_MAX + 1];
	u16 n;
	struct ntp_acl_entry e[];
};

/**
 * struct kntp_acl_snap - what the receive path reads (see the top)
 * @rcu: for freeing after a grace period
 * @fam: the groups of IPv4 (0) and IPv6 (1) sources; their lists point
 *	into @e
 * @e: the entries of every configured group's list
 */
struct kntp_acl_snap {
	struct rcu_head rcu;
	struct ntp_acl_groups fam[KNTP_ACL_FAMILIES];
	struct ntp_acl_entry e[];
};

static const struct nla_policy kntp_acl_entry_nl_policy[KNTP_A_ACL_ENTRY_MAX + 1] = {
	[KNTP_A_ACL_ENTRY_ACTION]	= { .type = NLA_U8 },
	[KNTP_A_ACL_ENTRY_ADDR4]	= NLA_POLICY_EXACT_LEN(4),
	[KNTP_A_ACL_ENTRY_WILDCARD4]	= NLA_POLICY_EXACT_LEN(4),
	[KNTP_A_ACL_ENTRY_ADDR6]	= NLA_POLICY_EXACT_LEN(16),
	[KNTP_A_ACL_ENTRY_PREFIX_LEN]	= { .type = NLA_U8 },
};

const struct nla_policy kntp_acl_nl_policy[KNTP_A_ACL_MAX + 1] = {
	[KNTP_A_ACL_NAME]	= { .type = NLA_NUL_STRING,
				    .len = KNTP_ACL_NAME_MAX },
	[KNTP_A_ACL_FAMILY]	= { .type = NLA_U8 },
	[KNTP_A_ACL_ENTRY]	= NLA_POLICY_NESTED(kntp_acl_entry_nl_policy),
	[KNTP_A_ACL_REPLACE]	= { .type = NLA_U8 },
};

static const struct nla_policy kntp_access_group_nl_policy[KNTP_A_ACCESS_GROUP_MAX + 1] = {
	[KNTP_A_ACCESS_GROUP_LIST]	= { .type = NLA_NUL_STRING,
					    .len = KNTP_ACL_NAME_MAX },
	[KNTP_A_ACCESS_GROUP_KOD]	= { .type = NLA_U8 },
	[KNTP_A_ACCESS_GROUP_DEFINED]	= { .type = NLA_REJECT,
					    .reject_message = "DEFINED is read-only" },
};

const struct nla_policy kntp_access_nl_policy[KNTP_A_ACCESS_MAX + 1] = {
	[KNTP_A_ACCESS_PEER4 ... KNTP_A_ACCESS_QUERY_ONLY6] =
		NLA_POLICY_NESTED(kntp_access_group_nl_policy),
};

static_assert(NTP_ACL_NGROUPS == KNTP_ACCESS_TYPES);
static_assert(KNTP_ACL_FAMILIES * KNTP_ACCESS_TYPES == KNTP_A_ACCESS_MAX);

/* A name is 1..32 of [A-Za-z0-9_.-]; an IPv4 list's, a standard number. */
static int kntp_acl_name_check(const struct nlattr *attr, u8 family,
			       struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	size_t i, len = strlen(name);
	unsigned int num;

	if (!len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "empty access list name");
		return -EINVAL;
	}
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '.' &&
		    name[i] != '-') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "access list names are letters, digits, '_', '.' and '-'");
			return -EINVAL;
		}
	if (family != KNTP_ACL_IPV4)
		return 0;
	if (name[0] == '0' || kstrtouint(name, 10, &num) ||
	    !((num >= KNTP_ACL_STD_MIN && num <= KNTP_ACL_STD_MAX) ||
	      (num >= KNTP_ACL_STD_EXP_MIN && num <= KNTP_ACL_STD_EXP_MAX))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "IPv4 access lists are standard numbered lists: "
				    __stringify(KNTP_ACL_STD_MIN) "-"
				    __stringify(KNTP_ACL_STD_MAX) " or "
				    __stringify(KNTP_ACL_STD_EXP_MIN) "-"
				    __stringify(KNTP_ACL_STD_EXP_MAX));
		return -EINVAL;
	}
	return 0;
}

static struct kntp_acl_list *kntp_acl_find(struct kntp_net *kn, u8 family,
					   const char *name)
{
	struct kntp_acl_list *l;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(l, &kn->acl.lists, node)
		if (l->family == family && !strcmp(l->name, name))
			return l;
	return NULL;
}

/*
 * The list a group names, as it would be after a change that replaces
 * @old by @new (either may be NULL); NULL when undefined.
 */
static const struct kntp_acl_list *
kntp_acl_lookup(struct kntp_net *kn, u8 family, const char *name,
		const struct kntp_acl_list *old, const struct kntp_acl_list *new)
{
	const struct kntp_acl_list *l = kntp_acl_find(kn, family, name);

	if (new && new->family == family && !strcmp(new->name, name))
		return new;
	return l == old ? NULL : l;
}

/*
 * The snapshot of groups @g with the lists as after replacing @old by
 * @new. NULL when no group is configured; ERR_PTR(-ENOMEM).
 */
static struct kntp_acl_snap *
kntp_acl_compile(struct kntp_net *kn, const struct kntp_acl_group_cfg (*g)[NTP_ACL_NGROUPS],
		 const struct kntp_acl_list *old, const struct kntp_acl_list *new)
{
	const struct kntp_acl_list *l[KNTP_ACL_FAMILIES][NTP_ACL_NGROUPS];
	struct kntp_acl_snap *snap;
	size_t total = 0;
	bool any = false;
	unsigned int f, t;

	for (f = 0; f < KNTP_ACL_FAMILIES; f++)
		for (t = 0; t < NTP_ACL_NGROUPS; t++) {
			l[f][t] = NULL;
			if (!g[f][t].list[0])
				continue;
			any = true;
			l[f][t] = kntp_acl_lookup(kn, f ? KNTP_ACL_IPV6 : KNTP_ACL_IPV4,
						  g[f][t].list, old, new);
			if (l[f][t])
				total += l[f][t]->n;
		}
	if (!any)
		return NULL;
	snap = kvzalloc(struct_size(snap, e, total), GFP_KERNEL_ACCOUNT);
	if (!snap)
		return ERR_PTR(-ENOMEM);
	total = 0;
	for (f = 0; f < KNTP_ACL_FAMILIES; f++)
		for (t = 0; t < NTP_ACL_NGROUPS; t++) {
			struct ntp_acl_groups *sg = &snap->fam[f];

			if (!g[f][t].list[0])
				continue;
			sg->configured |= NTP_ACL_G(t);
			sg->kod |= g[f][t].kod;
			if (!l[f][t])
				continue;	/* undefined: matches nothing */
			memcpy(&snap->e[total], l[f][t]->e,
			       l[f][t]->n * sizeof(snap->e[0]));
			sg->list[t] = &snap->e[total];
			sg->n[t] = l[f][t]->n;
			total += l[f][t]->n;
		}
	return snap;
}

/* Put @snap in place of the current snapshot. kn->lock held. */
static void kntp_acl_publish(struct kntp_net *kn, struct kntp_acl_snap *snap)
{
	struct kntp_acl_snap *old;

	old = rcu_replace_pointer(kn->acl_snap, snap,
				  lockdep_is_held(&kn->lock));
	if (old)
		kvfree_rcu(old, rcu);
}

/* One KNTP_A_ACL_ENTRY nest into an entry of a list of @family. */
static int kntp_acl_parse_entry(const struct nlattr *nest, u8 family,
				struct ntp_acl_entry *e,
				struct netlink_ext_ack *extack)
{
	static const u8 host[NTP_ACL_ADDR4_LEN];
	struct nlattr *tb[KNTP_A_ACL_ENTRY_MAX + 1];
	struct nlattr *a4, *w4, *a6, *plen;
	bool permit;
	int err;

	err = nla_parse_nested(tb, KNTP_A_ACL_ENTRY_MAX, nest,
			       kntp_acl_entry_nl_policy, extack);
	if (err)
		return err;
	if (!tb[KNTP_A_ACL_ENTRY_ACTION]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, KNTP_A_ACL_ENTRY_ACTION);
		NL_SET_ERR_MSG_MOD(extack, "access list entry without ACTION");
		return -EINVAL;
	}
	switch (nla_get_u8(tb[KNTP_A_ACL_ENTRY_ACTION])) {
	case KNTP_ACL_PERMIT:
		permit = true;
		break;
	case KNTP_ACL_DENY:
		permit = false;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ACL_ENTRY_ACTION],
				    "unknown ACTION (1 permit, 2 deny)");
		return -EINVAL;
	}
	a4 = tb[KNTP_A_ACL_ENTRY_ADDR4];
	w4 = tb[KNTP_A_ACL_ENTRY_WILDCARD4];
	a6 = tb[KNTP_A_ACL_ENTRY_ADDR6];
	plen = tb[KNTP_A_ACL_ENTRY_PREFIX_LEN];
	if (family == KNTP_ACL_IPV4) {
		if (a6 || plen) {
			NL_SET_ERR_MSG_ATTR(extack, a6 ?: plen,
					    "an IPv4 list's entry has ADDR4 and WILDCARD4, not ADDR6 or PREFIX_LEN");
			return -EINVAL;
		}
		if (!a4) {
			NL_SET_ERR_ATTR_MISS(extack, nest, KNTP_A_ACL_ENTRY_ADDR4);
			NL_SET_ERR_MSG_MOD(extack, "IPv4 list entry without ADDR4");
			return -EINVAL;
		}
		ntp_acl_entry_v4(e, nla_data(a4), w4 ? nla_data(w4) : host,
				 permit);
		return 0;
	}
	if (a4 || w4) {
		NL_SET_ERR_MSG_ATTR(extack, a4 ?: w4,
				    "an IPv6 list's entry has ADDR6 and PREFIX_LEN, not ADDR4 or WILDCARD4");
		return -EINVAL;
	}
	if (!a6) {
		NL_SET_ERR_ATTR_MISS(extack, nest, KNTP_A_ACL_ENTRY_ADDR6);
		NL_SET_ERR_MSG_MOD(extack, "IPv6 list entry without ADDR6");
		return -EINVAL;
	}
	if (ntp_acl_entry_v6(e, nla_data(a6), plen ? nla_get_u8(plen) : 128,
			     permit)) {
		NL_SET_ERR_MSG_ATTR(extack, plen, "PREFIX_LEN above 128");
		return -ERANGE;
	}
	return 0;
}

/* The FAMILY and NAME of a request's KNTP_A_ACL nest. */
static int kntp_acl_parse_id(struct genl_info *info, struct nlattr **tb,
			     u8 *family)
{
	struct netlink_ext_ack *extack = info->extack;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, KNTP_A_ACL)) {
		NL_SET_ERR_MSG_MOD(extack, "missing access list (KNTP_A_ACL)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, KNTP_A_ACL_MAX, info->attrs[KNTP_A_ACL],
			       kntp_acl_nl_policy, extack);
	if (err)
		return err;
	if (!tb[KNTP_A_ACL_FAMILY]) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[KNTP_A_ACL],
				     KNTP_A_ACL_FAMILY);
		NL_SET_ERR_MSG_MOD(extack, "missing access list FAMILY");
		return -EINVAL;
	}
	*family = nla_get_u8(tb[KNTP_A_ACL_FAMILY]);
	if (*family != KNTP_ACL_IPV4 && *family != KNTP_ACL_IPV6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ACL_FAMILY],
				    "unknown FAMILY (1 IPv4, 2 IPv6)");
		return -EINVAL;
	}
	if (!tb[KNTP_A_ACL_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[KNTP_A_ACL],
				     KNTP_A_ACL_NAME);
		NL_SET_ERR_MSG_MOD(extack, "missing access list NAME");
		return -EINVAL;
	}
	return kntp_acl_name_check(tb[KNTP_A_ACL_NAME], *family, extack);
}

/*
 * The list as a SET request makes it: @old's entries (unless replaced)
 * followed by the request's. Returns the new list or an ERR_PTR.
 */
static struct kntp_acl_list *kntp_acl_build(struct genl_info *info,
					    struct nlattr **tb, u8 family,
					    const struct kntp_acl_list *old)
{
	struct netlink_ext_ack *extack = info->extack;
	bool replace = tb[KNTP_A_ACL_REPLACE] &&
		       nla_get_u8(tb[KNTP_A_ACL_REPLACE]);
	unsigned int keep = old && !replace ? old->n : 0, n = keep;
	struct kntp_acl_list *l;
	struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, info->attrs[KNTP_A_ACL], rem)
		if (nla_type(a) == KNTP_A_ACL_ENTRY && ++n > KNTP_ACL_ENTRIES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many entries in the list (at most "
					    __stringify(KNTP_ACL_ENTRIES_MAX) ")");
			return ERR_PTR(-ENOSPC);
		}
	l = kvzalloc(struct_size(l, e, n), GFP_KERNEL_ACCOUNT);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->family = family;
	strscpy(l->name, nla_data(tb[KNTP_A_ACL_NAME]), sizeof(l->name));
	if (keep)
		memcpy(l->e, old->e, keep * sizeof(l->e[0]));
	l->n = keep;
	nla_for_each_nested(a, info->attrs[KNTP_A_ACL], rem) {
		if (nla_type(a) != KNTP_A_ACL_ENTRY)
			continue;
		err = kntp_acl_parse_entry(a, family, &l->e[l->n], extack);
		if (err) {
			kvfree(l);
			return ERR_PTR(err);
		}
		l->n++;
	}
	return l;
}

int kntp_nl_acl_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KNTP_A_ACL_MAX + 1];
	struct kntp_acl_list *old, *l;
	struct kntp_acl_snap *snap;
	u8 family;
	int err;

	err = kntp_acl_parse_id(info, tb, &family);
	if (err)
		return err;
	if (tb[KNTP_A_ACL_REPLACE] && nla_get_u8(tb[KNTP_A_ACL_REPLACE]) > 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ACL_REPLACE],
				    "REPLACE must be 0 or 1");
		return -EINVAL;
	}
	mutex_lock(&kn->lock);
	err = kntp_clock_may_change(kn, kn->clock.kind,
				    netlink_capable(skb, CAP_SYS_TIME), extack);
	if (err)
		goto unlock;
	old = kntp_acl_find(kn, family, nla_data(tb[KNTP_A_ACL_NAME]));
	if (!old && kn->acl.n_lists >= KNTP_ACL_LISTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ACL_NAME],
				    "too many access lists (at most "
				    __stringify(KNTP_ACL_LISTS_MAX) ")");
		err = -ENOSPC;
		goto unlock;
	}
	l = kntp_acl_build(info, tb, family, old);
	if (IS_ERR(l)) {
		err = PTR_ERR(l);
		goto unlock;
	}
	snap = kntp_acl_compile(kn, kn->acl.groups, old, l);
	if (IS_ERR(snap)) {
		kvfree(l);
		err = PTR_ERR(snap);
		goto unlock;
	}
	if (old) {
		list_replace(&old->node, &l->node);
		kvfree(old);
	} else {
		list_add_tail(&l->node, &kn->acl.lists);
		kn->acl.n_lists++;
	}
	kntp_acl_publish(kn, snap);
unlock:
	mutex_unlock(&kn->lock);
	return err;
}

int kntp_nl_acl_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kntp_net *kn = kntp_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[KNTP_A_ACL_MAX + 1];
	struct kntp_acl_snap *snap;
	struct kntp_acl_list *l;
	u8 family;
	int err;

	err = kntp_acl_parse_id(info, tb, &family);
	if (err)
		return err;
	mutex_lock(&kn->lock);
	err = kntp_clock_may_change(kn, kn->clock.kind,
				    netlink_capable(skb, CAP_SYS_TIME), extack);
	if (err)
		goto unlock;
	l = kntp_acl_find(kn, family, nla_data(tb[KNTP_A_ACL_NAME]));
	if (!l) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KNTP_A_ACL_NAME],
				    "no such access list");
		err = -ENOENT;
		goto unlock;
	}
	snap = kntp_acl_compile(kn, kn->acl.groups, l, NULL);
	if (IS_ERR(snap)) {
		err = PTR_ERR(snap);
		goto unlock;
	}
	list_del(&l->node);
	kn->acl.n_lists--;
	kvfree(l);
	kntp_acl_publish(kn, snap);
unlock:
	mutex_unlock(&kn->lock);
	return err;
}

/**
 * kntp_acl_put_list() - the @idx-th list, as a KNTP_A_ACL nest (dumps)
 * @skb: the message
 * @kn: instance
 * @idx: 0 for the first
 *
 * Return: 0, -ENOENT past the last, -EMSGSIZE when @skb is full.
 */
int kntp_acl_put_list(struct sk_buff *skb, struct kntp_net *kn,
		      unsigned long idx)
{
	struct kntp_acl_list *l;
	struct nlattr *nest, *en;
	u8 addr[NTP_ACL_ADDR6_LEN], wild[NTP_ACL_ADDR4_LEN];
	int err = -ENOENT;
	unsigned int i;

	mutex_lock(&kn->lock);
	list_for_each_entry(l, &kn->acl.lists, node)
		if (!idx--)
			break;
	if (list_entry_is_head(l, &kn->acl.lists, node))
		goto unlock;
	err = -EMSGSIZE;
	nest = nla_nest_start(skb, KNTP_A_ACL);
	if (!nest || nla_put_string(skb, KNTP_A_ACL_NAME, l->name) ||
	    nla_put_u8(skb, KNTP_A_ACL_FAMILY, l->family))
		goto unlock;
	for (i = 0; i < l->n; i++) {
		const struct ntp_acl_entry *e = &l->e[i];

		en = nla_nest_start(skb, KNTP_A_ACL_ENTRY);
		if (!en || nla_put_u8(skb, KNTP_A_ACL_ENTRY_ACTION,
				      e->permit ? KNTP_ACL_PERMIT : KNTP_ACL_DENY))
			goto unlock;
		if (l->family == KNTP_ACL_IPV4) {
			ntp_acl_entry_v4_get(e, addr, wild);
			if (nla_put(skb, KNTP_A_ACL_ENTRY_ADDR4, 4, addr) ||
			    nla_put(skb, KNTP_A_ACL_ENTRY_WILDCARD4, 4, wild))
				goto unlock;
		} else {
			u8 plen = ntp_acl_entry_v6_get(e, addr);

			if (nla_put(skb, KNTP_A_ACL_ENTRY_ADDR6, 16, addr) ||
			    nla_put_u8(skb, KNTP_A_ACL_ENTRY_PREFIX_LEN, plen))
				goto unlock;
		}
		nla_nest_end(skb, en);
	}
	nla_nest_end(skb, nest);
	err = 0;
unlock:
	mutex_unlock(&kn->lock);
	return err;
}

/**
 * kntp_acl_put_status() - the access groups, as KNTP_A_STATUS_ACCESS
 * @skb: the message
 * @kn: instance, kn->lock held
 *
 * Return: 0 or -EMSGSIZE.
 */
int kntp_acl_put_status(struct sk_buff *skb, struct kntp_net *kn)
{
	struct nlattr *nest, *gn;
	unsigned int f, t;

	lockdep_assert_held(&kn->lock);
	nest = nla_nest_start(skb, KNTP_A_STATUS_ACCESS);
	if (!nest)
		return -EMSGSIZE;
	for (f = 0; f < KNTP_ACL_FAMILIES; f++)
		for (t = 0; t < NTP_ACL_NGROUPS; t++) {
			const struct kntp_acl_group_cfg *g = &kn->acl.groups[f][t];
			u8 family = f ? KNTP_ACL_IPV6 : KNTP_ACL_IPV4;

			if (!g->list[0])
				continue;
			gn = nla_nest_start(skb, KNTP_A_ACCESS_PEER4 +
					    f * KNTP_ACCESS_TYPES + t);
			if (!gn ||
			    nla_put_string(skb, KNTP_A_ACCESS_GROUP_LIST, g->list) ||
			    nla_put_u8(skb, KNTP_A_ACCESS_GROUP_KOD, g->kod) ||
			    nla_put_u8(skb, KNTP_A_ACCESS_GROUP_DEFINED,
				       !!kntp_acl_find(kn, family, g->list))) {
				nla_nest_cancel(skb, nest);
				return -EMSGSIZE;
			}
			nla_nest_end(skb, gn);
		}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * kntp_acl_access_prepare() - check a KNTP_A_INSTANCE_ACCESS nest and build
 *	what it makes
 * @kn: instance, kn->lock held
 * @nest: the nest, or NULL (nothing to do)
 * @ch: the groups and snapshot to commit (or abort)
 * @extack: where to say why not
 *
 * Nothing changes until kntp_acl_access_commit().
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int kntp_acl_access_prepare(struct kntp_net *kn, const struct nlattr *nest,
			    struct kntp_acl_change *ch,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KNTP_A_ACCESS_MAX + 1];
	struct nlattr *gtb[KNTP_A_ACCESS_GROUP_MAX + 1];
	unsigned int type;
	int err;

	lockdep_assert_held(&kn->lock);
	ch->set = false;
	ch->snap = NULL;
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, KNTP_A_ACCESS_MAX, nest,
			       kntp_access_nl_policy, extack);
	if (err)
		return err;
	memcpy(ch->groups, kn->acl.groups, sizeof(ch->groups));
	for (type = KNTP_A_ACCESS_PEER4; type <= KNTP_A_ACCESS_MAX; type++) {
		unsigned int f = (type - 1) / KNTP_ACCESS_TYPES;
		unsigned int t = (type - 1) % KNTP_ACCESS_TYPES;
		struct kntp_acl_group_cfg *g = &ch->groups[f][t];
		struct nlattr *kod;

		if (!tb[type])
			continue;
		err = nla_parse_nested(gtb, KNTP_A_ACCESS_GROUP_MAX, tb[type],
				       kntp_access_group_nl_policy, extack);
		if (err)
			return err;
		kod = gtb[KNTP_A_ACCESS_GROUP_KOD];
		if (kod && nla_get_u8(kod) > 1) {
			NL_SET_ERR_MSG_ATTR(extack, kod, "KOD must be 0 or 1");
			return -EINVAL;
		}
		memset(g, 0, sizeof(*g));
		if (!gtb[KNTP_A_ACCESS_GROUP_LIST] ||
		    !*(char *)nla_data(gtb[KNTP_A_ACCESS_GROUP_LIST])) {
			if (kod) {
				NL_SET_ERR_MSG_ATTR(extack, kod,
						    "KOD without a LIST");
				return -EINVAL;
			}
			continue;	/* removed */
		}
		err = kntp_acl_name_check(gtb[KNTP_A_ACCESS_GROUP_LIST],
					  f ? KNTP_ACL_IPV6 : KNTP_ACL_IPV4,
					  extack);
		if (err)
			return err;
		strscpy(g->list, nla_data(gtb[KNTP_A_ACCESS_GROUP_LIST]),
			sizeof(g->list));
		g->kod = kod && nla_get_u8(kod);
	}
	ch->snap = kntp_acl_compile(kn, ch->groups, NULL, NULL);
	if (IS_ERR(ch->snap)) {
		err = PTR_ERR(ch->snap);
		ch->snap = NULL;
		return err;
	}
	ch->set = true;
	return 0;
}

/* Make a prepared change of the groups. kn->lock held. */
void kntp_acl_access_commit(struct kntp_net *kn, struct kntp_acl_change *ch)
{
	if (!ch->set)
		return;
	memcpy(kn->acl.groups, ch->groups, sizeof(kn->acl.groups));
	kntp_acl_publish(kn, ch->snap);
	ch->set = false;
	ch->snap = NULL;
}

/* Drop a prepared change that was not committed. */
void kntp_acl_access_abort(struct kntp_acl_change *ch)
{
	kvfree(ch->snap);
	ch->set = false;
	ch->snap = NULL;
}

/**
 * kntp_acl_refused() - do the access groups refuse a source this access?
 * @kn: instance
 * @src: the packet's source
 * @need: NTP_ACL_NEED_PEER (a packet for an association),
 *	NTP_ACL_NEED_CLIENT (a client request) or NTP_ACL_NEED_PASSIVE (a
 *	stateless answer to a peer we have not configured)
 * @kod: set when refused and the family's groups ask for a DENY kiss
 *
 * Softirq, under the receive path's RCU read lock (kntp_proto_rcv_l2()),
 * which keeps the snapshot. The caller, which knows what the packet is,
 * counts the refusal and sends the kiss.
 *
 * Return: true when refused.
 */
bool kntp_acl_refused(struct kntp_net *kn, const struct kntp_addr *src,
		      unsigned int need, bool *kod)
{
	const struct ntp_acl_groups *g;
	const struct kntp_acl_snap *snap;
	struct ntp_acl_addr a;
	bool refused;

	*kod = false;
	snap = rcu_dereference(kn->acl_snap);
	if (!snap)
		return false;
	g = &snap->fam[src->family == AF_INET6];
	if (!g->configured)
		return false;
	if (src->family == AF_INET)
		ntp_acl_addr_from(&a, (const u8 *)&src->v4, NTP_ACL_ADDR4_LEN);
	else
		ntp_acl_addr_from(&a, src->v6.s6_addr, NTP_ACL_ADDR6_LEN);
	refused = !ntp_acl_allowed(g, &a, need);
	*kod = refused && g->kod;
	return refused;
}

/* Namespace init: no lists, no groups, no snapshot. */
void kntp_acl_init(struct kntp_net *kn)
{
	INIT_LIST_HEAD(&kn->acl.lists);
	RCU_INIT_POINTER(kn->acl_snap, NULL);
}

/*
 * Namespace exit, after the sockets closed (no receive path runs): every
 * list and the snapshot.
 */
void kntp_acl_exit(struct kntp_net *kn)
{
	struct kntp_acl_list *l, *tmp;

	mutex_lock(&kn->lock);
	list_for_each_entry_safe(l, tmp, &kn->acl.lists, node) {
		list_del(&l->node);
		kvfree(l);
	}
	kn->acl.n_lists = 0;
	memset(kn->acl.groups, 0, sizeof(kn->acl.groups));
	kntp_acl_publish(kn, NULL);
	mutex_unlock(&kn->lock);
}
