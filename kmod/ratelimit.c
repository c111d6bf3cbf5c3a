// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: per-source rate limiting of the answers we give without keeping
 * state (mode 4 to clients, mode 2 to peers we have not configured), as
 * chrony's "ratelimit": a token bucket per source (kmod/core/ratelimit.c
 * decides), a random leak, an optional RATE kiss.
 *
 * The table: a fixed number of records (a power of two), in sets of
 * KNTP_RL_WAYS. A source (an IPv4 address, or an IPv6 address cut to the
 * configured prefix) is hashed with siphash and a key drawn for each table,
 * so that nobody outside can aim many sources at one set; it lives in one
 * record of its set. A source not in its set takes an empty record, or the
 * least recently seen one (KNTP_STAT_RATE_EVICT when that record was still
 * limiting its source). Nothing is allocated per packet.
 *
 * Lifetimes and locking:
 * - kntp_net.ratelimit points to the table, NULL while rate limiting is
 *   off. Writers hold kntp_net.lock (netlink, namespace exit); a change of
 *   settings allocates a new table (GFP_KERNEL_ACCOUNT: charged to whoever
 *   configures it), publishes it with rcu_assign_pointer() and frees the
 *   old one after a grace period (kvfree_rcu()). The settings in a table
 *   never change.
 * - The receive path (softirq, any CPU) reads the pointer under RCU and
 *   takes the spinlock of the one set it looks at: no global lock. The
 *   set locks are taken in softirq only.
 * - The counters are the instance's per-CPU ones.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "kntp.h"

/* Records per set: a source can be pushed out only by 8 newer ones. */
#define KNTP_RL_WAYS	8

/**
 * struct kntp_rl_record - one source
 * @key: its address (IPv4 mapped to IPv6), cut to the prefix
 * @family: AF_INET or AF_INET6; 0: the record is empty
 * @seen_ns: monotonic ns of its last request
 * @b: its bucket
 */
struct kntp_rl_record {
	struct in6_addr key;
	sa_family_t family;
	s64 seen_ns;
	struct ntp_rl_bucket b;
};

/**
 * struct kntp_rl_set - the records a hash value selects
 * @lock: protects @rec (softirq only)
 * @rec: the records
 */
struct kntp_rl_set {
	spinlock_t lock;	/* see above */
	struct kntp_rl_record rec[KNTP_RL_WAYS];
};

/**
 * struct kntp_rl_table - rate limiting of an instance, immutable but for
 *	the records and @used
 * @rcu: frees it after a grace period
 * @s: its settings
 * @key: the hash key, random per table
 * @set_mask: number of sets minus one (a power of two minus one)
 * @used: records holding a source
 * @sets: the records
 */
struct kntp_rl_table {
	struct rcu_head rcu;
	struct kntp_rl_settings s;
	siphash_key_t key;
	u32 set_mask;
	atomic_t used;
	struct kntp_rl_set sets[];
};

static const struct nla_policy kntp_rl_policy[KNTP_A_RATELIMIT_MAX + 1] = {
	[KNTP_A_RATELIMIT_ENABLED]	= { .type = NLA_U8 },
	[KNTP_A_RATELIMIT_INTERVAL]	= { .type = NLA_S8 },
	[KNTP_A_RATELIMIT_BURST]	= { .type = NLA_U16 },
	[KNTP_A_RATELIMIT_LEAK]		= { .type = NLA_U8 },
	[KNTP_A_RATELIMIT_KOD]		= { .type = NLA_U8 },
	[KNTP_A_RATELIMIT_TABLE_SIZE]	= { .type = NLA_U32 },
	[KNTP_A_RATELIMIT_IPV6_PREFIX]	= { .type = NLA_U8 },
	[KNTP_A_RATELIMIT_TABLE_USED]	= { .type = NLA_REJECT },
};

/**
 * kntp_ratelimit_parse() - check a KNTP_A_INSTANCE_RATELIMIT nest
 * @nest: the nest
 * @s: the settings it asks for
 * @extack: where to say what is wrong
 *
 * Changes nothing.
 *
 * Return: 0, or -EINVAL / -ERANGE with @extack naming the attribute.
 */
int kntp_ratelimit_parse(const struct nlattr *nest,
			 struct kntp_rl_settings *s,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KNTP_A_RATELIMIT_MAX + 1];
	struct nlattr *a;
	int err, i;

	err = nla_parse_nested(tb, KNTP_A_RATELIMIT_MAX, nest, kntp_rl_policy,
			       extack);
	if (err)
		return err;
	a = tb[KNTP_A_RATELIMIT_ENABLED];
	if (!a) {
		NL_SET_ERR_ATTR_MISS(extack, nest, KNTP_A_RATELIMIT_ENABLED);
		NL_SET_ERR_MSG_MOD(extack, "ratelimit: ENABLED is missing");
		return -EINVAL;
	}
	if (nla_get_u8(a) > 1) {
		NL_SET_ERR_MSG_ATTR(extack, a, "ratelimit: ENABLED must be 0 or 1");
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	s->enabled = nla_get_u8(a);
	if (!s->enabled) {
		for (i = KNTP_A_RATELIMIT_ENABLED + 1; i <= KNTP_A_RATELIMIT_MAX; i++) {
			if (tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "ratelimit: settings given while turning it off");
				return -EINVAL;
			}
		}
		return 0;
	}
	s->cfg.interval = KNTP_RATELIMIT_INTERVAL_DEFAULT;
	s->cfg.burst = KNTP_RATELIMIT_BURST_DEFAULT;
	s->cfg.leak = KNTP_RATELIMIT_LEAK_DEFAULT;
	s->table_size = KNTP_RATELIMIT_TABLE_DEFAULT;
	s->prefix6 = KNTP_RATELIMIT_PREFIX6_DEFAULT;

	a = tb[KNTP_A_RATELIMIT_INTERVAL];
	if (a) {
		s->cfg.interval = nla_get_s8(a);
		if (s->cfg.interval < KNTP_RATELIMIT_INTERVAL_MIN ||
		    s->cfg.interval > KNTP_RATELIMIT_INTERVAL_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: interval out of range (-19..12, log2 s)");
			return -ERANGE;
		}
	}
	a = tb[KNTP_A_RATELIMIT_BURST];
	if (a) {
		s->cfg.burst = nla_get_u16(a);
		if (s->cfg.burst < KNTP_RATELIMIT_BURST_MIN ||
		    s->cfg.burst > KNTP_RATELIMIT_BURST_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: burst out of range (1..255)");
			return -ERANGE;
		}
	}
	a = tb[KNTP_A_RATELIMIT_LEAK];
	if (a) {
		s->cfg.leak = nla_get_u8(a);
		if (s->cfg.leak > KNTP_RATELIMIT_LEAK_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: leak out of range (0..4, log2)");
			return -ERANGE;
		}
	}
	a = tb[KNTP_A_RATELIMIT_KOD];
	if (a) {
		if (nla_get_u8(a) > 1) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: KOD must be 0 or 1");
			return -EINVAL;
		}
		s->cfg.kod = nla_get_u8(a);
	}
	a = tb[KNTP_A_RATELIMIT_TABLE_SIZE];
	if (a) {
		s->table_size = nla_get_u32(a);
		if (s->table_size < KNTP_RATELIMIT_TABLE_MIN ||
		    s->table_size > KNTP_RATELIMIT_TABLE_MAX ||
		    !is_power_of_2(s->table_size)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: table-size must be a power of two in 64..1048576");
			return -ERANGE;
		}
	}
	a = tb[KNTP_A_RATELIMIT_IPV6_PREFIX];
	if (a) {
		s->prefix6 = nla_get_u8(a);
		if (s->prefix6 < KNTP_RATELIMIT_PREFIX6_MIN ||
		    s->prefix6 > KNTP_RATELIMIT_PREFIX6_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "ratelimit: ipv6-prefix out of range (32..128 bits)");
			return -ERANGE;
		}
	}
	return 0;
}

static bool kntp_rl_same(const struct kntp_rl_settings *a,
			 const struct kntp_rl_settings *b)
{
	return a->enabled == b->enabled &&
	       a->cfg.interval == b->cfg.interval &&
	       a->cfg.burst == b->cfg.burst && a->cfg.leak == b->cfg.leak &&
	       a->cfg.kod == b->cfg.kod && a->table_size == b->table_size &&
	       a->prefix6 == b->prefix6;
}

/**
 * kntp_ratelimit_prepare() - allocate what new settings need
 * @kn: instance, kn->lock held
 * @s: settings from kntp_ratelimit_parse()
 * @change: filled for kntp_ratelimit_commit() or _abort()
 * @extack: where to say why not
 *
 * Sleeps. Changes nothing visible.
 *
 * Return: 0, or -ENOMEM.
 */
int kntp_ratelimit_prepare(struct kntp_net *kn,
			   const struct kntp_rl_settings *s,
			   struct kntp_rl_change *change,
			   struct netlink_ext_ack *extack)
{
	struct kntp_rl_table *old, *t;
	u32 n_sets, i;

	old = rcu_dereference_protected(kn->ratelimit,
					lockdep_is_held(&kn->lock));
	change->table = NULL;
	change->keep = old ? kntp_rl_same(&old->s, s) : !s->enabled;
	if (change->keep || !s->enabled)
		return 0;
	n_sets = s->table_size / KNTP_RL_WAYS;
	t = kvzalloc(struct_size(t, sets, n_sets), GFP_KERNEL_ACCOUNT);
	if (!t) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ratelimit: no memory for the table (try a smaller table-size)");
		return -ENOMEM;
	}
	t->s = *s;
	t->set_mask = n_sets - 1;
	get_random_bytes(&t->key, sizeof(t->key));
	atomic_set(&t->used, 0);
	for (i = 0; i < n_sets; i++)
		spin_lock_init(&t->sets[i].lock);
	change->table = t;
	return 0;
}

/**
 * kntp_ratelimit_commit() - make prepared settings the instance's
 * @kn: instance, kn->lock held
 * @change: from kntp_ratelimit_prepare()
 *
 * Cannot fail. The old table is freed after a grace period.
 */
void kntp_ratelimit_commit(struct kntp_net *kn, struct kntp_rl_change *change)
{
	struct kntp_rl_table *old;

	if (change->keep)
		return;
	old = rcu_replace_pointer(kn->ratelimit, change->table,
				  lockdep_is_held(&kn->lock));
	change->table = NULL;
	if (old)
		kvfree_rcu(old, rcu);
}

/* Undo kntp_ratelimit_prepare() (nothing was published). */
void kntp_ratelimit_abort(struct kntp_rl_change *change)
{
	kvfree(change->table);
	change->table = NULL;
}

/**
 * kntp_ratelimit_exit() - turn rate limiting off for good
 * @kn: instance, kn->lock held, its sockets closed
 */
void kntp_ratelimit_exit(struct kntp_net *kn)
{
	struct kntp_rl_change off = { .table = NULL, .keep = false };

	kntp_ratelimit_commit(kn, &off);
}

/* The record key of a source, and its hash. */
static u32 kntp_rl_key(const struct kntp_rl_table *t,
		       const struct kntp_addr *src, struct in6_addr *key)
{
	if (src->family == AF_INET)
		ipv6_addr_set_v4mapped(src->v4, key);
	else
		ipv6_addr_prefix(key, &src->v6, t->s.prefix6);
	return (u32)siphash_4u32((__force u32)key->s6_addr32[0],
				 (__force u32)key->s6_addr32[1],
				 (__force u32)key->s6_addr32[2],
				 (__force u32)key->s6_addr32[3], &t->key);
}

/*
 * The record of a source in its set, or a record taken for it: an empty
 * one, else the least recently seen. Set lock held.
 */
static struct kntp_rl_record *kntp_rl_find(struct kntp_rl_table *t,
					   struct kntp_rl_set *set,
					   const struct in6_addr *key,
					   sa_family_t family, s64 now_ns,
					   bool *evicted)
{
	struct kntp_rl_record *r, *victim = NULL;
	int i;

	*evicted = false;
	for (i = 0; i < KNTP_RL_WAYS; i++) {
		r = &set->rec[i];
		if (r->family == family && ipv6_addr_equal(&r->key, key))
			return r;
		if (!r->family) {
			if (!victim || victim->family)
				victim = r;
		} else if (!victim ||
			   (victim->family && r->seen_ns < victim->seen_ns)) {
			victim = r;
		}
	}
	if (!victim->family)
		atomic_inc(&t->used);
	else
		*evicted = ntp_rl_active(&victim->b, &t->s.cfg, now_ns);
	victim->key = *key;
	victim->family = family;
	ntp_rl_start(&victim->b, &t->s.cfg, now_ns);
	return victim;
}

/**
 * kntp_ratelimit() - may a request from a source be answered?
 * @kn: instance
 * @src: the source
 * @cfg: the limits in force (for a kiss)
 *
 * Softirq, under the receive path's RCU read lock (kntp_proto_rcv_l2()),
 * which keeps the table and the associations. Counts what it decides:
 * KNTP_STAT_RATE_LIMITED (not answered, or kissed), KNTP_STAT_RATE_LEAKED,
 * KNTP_STAT_RATE_EVICT. The addresses of our configured servers and peers
 * are never limited and take no record.
 *
 * Return: enum ntp_rl_verdict; NTP_RL_ANSWER while rate limiting is off.
 */
enum ntp_rl_verdict kntp_ratelimit(struct kntp_net *kn,
				   const struct kntp_addr *src,
				   struct ntp_rl_cfg *cfg)
{
	enum ntp_rl_verdict v = NTP_RL_ANSWER;
	struct kntp_rl_record *r;
	struct kntp_rl_table *t;
	struct kntp_rl_set *set;
	struct in6_addr key;
	bool evicted;
	s64 now_ns;
	u32 rnd;

	t = rcu_dereference(kn->ratelimit);
	if (!t || kntp_assoc_lookup_rcu(kn, src))
		return v;
	*cfg = t->s.cfg;
	/*
	 * Monotonic and precise: the instance's clock may be stepped, and a
	 * coarse clock would refill intervals below its tick in lumps.
	 */
	now_ns = ktime_get_ns();
	rnd = t->s.cfg.leak ? get_random_u32() : 0;
	set = &t->sets[kntp_rl_key(t, src, &key) & t->set_mask];
	spin_lock(&set->lock);
	r = kntp_rl_find(t, set, &key, src->family, now_ns, &evicted);
	r->seen_ns = now_ns;
	v = ntp_rl_decide(&r->b, &t->s.cfg, now_ns, rnd);
	spin_unlock(&set->lock);

	if (evicted)
		kntp_stat_inc(kn, KNTP_STAT_RATE_EVICT);
	if (v == NTP_RL_LEAK)
		kntp_stat_inc(kn, KNTP_STAT_RATE_LEAKED);
	else if (v != NTP_RL_ANSWER)
		kntp_stat_inc(kn, KNTP_STAT_RATE_LIMITED);
	return v;
}

/**
 * kntp_ratelimit_fill() - the KNTP_A_STATUS_RATELIMIT nest
 * @skb: message
 * @kn: instance, kn->lock held
 *
 * Return: 0 or -EMSGSIZE.
 */
int kntp_ratelimit_fill(struct sk_buff *skb, struct kntp_net *kn)
{
	const struct kntp_rl_table *t;
	struct nlattr *nest;

	t = rcu_dereference_protected(kn->ratelimit,
				      lockdep_is_held(&kn->lock));
	nest = nla_nest_start(skb, KNTP_A_STATUS_RATELIMIT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, KNTP_A_RATELIMIT_ENABLED, !!t) ||
	    (t &&
	     (nla_put_s8(skb, KNTP_A_RATELIMIT_INTERVAL, t->s.cfg.interval) ||
	      nla_put_u16(skb, KNTP_A_RATELIMIT_BURST, t->s.cfg.burst) ||
	      nla_put_u8(skb, KNTP_A_RATELIMIT_LEAK, t->s.cfg.leak) ||
	      nla_put_u8(skb, KNTP_A_RATELIMIT_KOD, t->s.cfg.kod) ||
	      nla_put_u32(skb, KNTP_A_RATELIMIT_TABLE_SIZE, t->s.table_size) ||
	      nla_put_u8(skb, KNTP_A_RATELIMIT_IPV6_PREFIX, t->s.prefix6) ||
	      nla_put_u32(skb, KNTP_A_RATELIMIT_TABLE_USED,
			  atomic_read(&t->used))))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
