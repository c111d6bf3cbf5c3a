// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: associations - mobilisation, lookup, iteration, snapshots and
 * demobilisation. This file is the only one that walks an instance's list
 * of associations; the rules below are the whole of their lifetime and
 * locking.
 *
 * Lifetime
 *   An association is created by kntp_assoc_add() and lives on its
 *   instance's list (kntp_net.assocs) until kntp_assoc_del() or
 *   kntp_assoc_flush() unlinks it. The list holds one reference; readers
 *   that keep an association past an RCU read-side section take their own
 *   (kntp_assoc_find()). The last kntp_assoc_put() frees it after an RCU
 *   grace period, so a reader that found it under RCU may still use it.
 *   Unlinking stops it first: its timer is not running and its socket is
 *   closed (no receive hook or error-queue work runs for it) when
 *   kntp_assoc_stop() returns.
 *
 * Locking
 *   kntp_net.lock (mutex): writers of the list and of @n_assocs, starting
 *	and stopping. The system process holds it for a whole run, so that
 *	the candidates it gathers and the tallies it writes back line up.
 *   RCU: readers of the list (the receive path, netlink, TX stamps).
 *   kntp_assoc.lock (spinlock, taken in softirq: _bh in process context):
 *	the protocol state and everything below it in struct kntp_assoc. It
 *	is taken here, by the poll work (poll.c) and by the receive path
 *	(proto.c), each for one association at a time and never with another
 *	association's lock held. The order is kntp_net.lock, then
 *	kntp_net.sys_lock, then kntp_assoc.lock.
 *   @cfg, @id, @kn and @refid never change after mobilisation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/string.h>
#include <linux/netlink.h>
#include <net/ipv6.h>

#include "kntp.h"

/*
 * A dedicated cache, so leaks show in /proc/slabinfo and at unload; its
 * objects are charged to the memory cgroup of whoever configured them.
 */
static struct kmem_cache *kntp_assoc_cache;

int kntp_assoc_cache_init(void)
{
	kntp_assoc_cache = KMEM_CACHE(kntp_assoc, SLAB_ACCOUNT);
	return kntp_assoc_cache ? 0 : -ENOMEM;
}

void kntp_assoc_cache_exit(void)
{
	/* Wait for every kntp_assoc_free_rcu() queued before destroying. */
	rcu_barrier();
	kmem_cache_destroy(kntp_assoc_cache);
}

bool kntp_addr_equal(const struct kntp_addr *a, const struct kntp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4 == b->v4;
	return ipv6_addr_equal(&a->v6, &b->v6);
}

static void kntp_assoc_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(kntp_assoc_cache,
			container_of(rcu, struct kntp_assoc, rcu));
}

void kntp_assoc_put(struct kntp_assoc *assoc)
{
	if (refcount_dec_and_test(&assoc->refcnt))
		call_rcu(&assoc->rcu, kntp_assoc_free_rcu);
}

/* The association of an address; caller holds kn->lock or RCU. */
struct kntp_assoc *kntp_assoc_lookup_rcu(struct kntp_net *kn,
					 const struct kntp_addr *addr)
{
	struct kntp_assoc *assoc;

	list_for_each_entry_rcu(assoc, &kn->assocs, list,
				lockdep_is_held(&kn->lock))
		if (kntp_addr_equal(&assoc->cfg.addr, addr))
			return assoc;
	return NULL;
}

/* The association with an id; caller holds kn->lock or RCU. */
static struct kntp_assoc *kntp_assoc_lookup_id_rcu(struct kntp_net *kn, u32 id)
{
	struct kntp_assoc *assoc;

	list_for_each_entry_rcu(assoc, &kn->assocs, list,
				lockdep_is_held(&kn->lock))
		if (assoc->id == id)
			return assoc;
	return NULL;
}

/**
 * kntp_assoc_find() - the association of an address, with a reference
 * @kn: instance
 * @addr: remote address
 *
 * Return: the association, to be released with kntp_assoc_put(), or NULL.
 */
struct kntp_assoc *kntp_assoc_find(struct kntp_net *kn,
				   const struct kntp_addr *addr)
{
	struct kntp_assoc *assoc;

	rcu_read_lock();
	assoc = kntp_assoc_lookup_rcu(kn, addr);
	if (assoc && !refcount_inc_not_zero(&assoc->refcnt))
		assoc = NULL;
	rcu_read_unlock();
	return assoc;
}

/* The protocol state of a new association, and the refid it stands for. */
static void kntp_assoc_setup(struct kntp_assoc *assoc)
{
	const struct kntp_assoc_cfg *cfg = &assoc->cfg;
	struct ntp_peer *p = &assoc->p;

	p->hmode = cfg->kind == KNTP_ASSOC_KIND_PEER ? NTP_MODE_ACTIVE :
						       NTP_MODE_CLIENT;
	p->version = cfg->version;
	p->minpoll = cfg->minpoll;
	p->maxpoll = cfg->maxpoll;
	p->iburst = cfg->flags & KNTP_ASSOC_F_IBURST;
	p->prefer = cfg->flags & KNTP_ASSOC_F_PREFER;
	p->xleave = cfg->flags & KNTP_ASSOC_F_XLEAVE;
	ntp_peer_clear(p, kntp_clock_now(assoc->kn));
	/* Readable from now on; it runs from kntp_poll_start(). */
	p->running = false;
	if (cfg->addr.family == AF_INET)
		memcpy(assoc->refid, &cfg->addr.v4, NTP_REFID_LEN);
	else
		ntp_refid_ipv6(cfg->addr.v6.s6_addr, assoc->refid);
}

/**
 * kntp_assoc_start() - open what an association needs and start polling
 * @assoc: a stopped association of an enabled instance, kn->lock held
 *
 * A server association gets its own socket on a random ephemeral port
 * (RFC 9109: an off-path attacker must guess the port as well as the
 * transmit timestamp); a peer uses the instance's port 123.
 *
 * Return: 0 or a negative errno from opening the socket.
 */
static int kntp_assoc_start(struct kntp_assoc *assoc)
{
	struct kntp_sock *ks = NULL;

	if (assoc->cfg.kind == KNTP_ASSOC_KIND_SERVER) {
		ks = kntp_sock_open(assoc->kn, assoc->cfg.addr.family, 0, assoc);
		if (IS_ERR(ks))
			return PTR_ERR(ks);
	}
	spin_lock_bh(&assoc->lock);
	assoc->sock = ks;
	spin_unlock_bh(&assoc->lock);
	kntp_poll_start(assoc);
	return 0;
}

/*
 * Stop polling and close the association's socket. kn->lock held; sleeps.
 * Its state stays readable.
 */
static void kntp_assoc_stop(struct kntp_assoc *assoc)
{
	struct kntp_sock *ks;

	kntp_poll_stop(assoc);
	spin_lock_bh(&assoc->lock);
	ks = assoc->sock;
	assoc->sock = NULL;
	spin_unlock_bh(&assoc->lock);
	kntp_sock_close(ks);
}

/**
 * kntp_assoc_start_all() - start every association of an instance
 * @kn: an instance being enabled, kn->lock held
 *
 * One that cannot open its socket stays stopped, with a warning.
 */
void kntp_assoc_start_all(struct kntp_net *kn)
{
	struct kntp_assoc *assoc;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(assoc, &kn->assocs, list)
		if (kntp_assoc_start(assoc))
			pr_warn_ratelimited("association %u: cannot open its socket\n",
					    assoc->id);
}

/**
 * kntp_assoc_stop_all() - stop every association of an instance
 * @kn: an instance being disabled, kn->lock held
 *
 * Sleeps. No timer, receive hook or error-queue work of theirs runs after.
 */
void kntp_assoc_stop_all(struct kntp_net *kn)
{
	struct kntp_assoc *assoc;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(assoc, &kn->assocs, list)
		kntp_assoc_stop(assoc);
}

/**
 * kntp_assoc_add() - mobilise a configured association
 * @kn: instance
 * @cfg: validated configuration
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user
 *	namespace (needed to own, or to change, the system clock)
 * @extack: where to say why not
 *
 * Enables a disabled instance first. Nothing changes if it fails.
 *
 * Return: 0, -EPERM (the system clock, without CAP_SYS_TIME), -EEXIST if
 * the address has an association, -ENOSPC at the per-instance limit,
 * -ENOMEM, or why the instance or the association's socket could not be
 * opened.
 */
int kntp_assoc_add(struct kntp_net *kn, const struct kntp_assoc_cfg *cfg,
		   bool cap_sys_time, struct netlink_ext_ack *extack)
{
	struct kntp_assoc *assoc;
	bool was_enabled;
	int err;

	mutex_lock(&kn->lock);
	err = kntp_clock_may_change(kn, kn->clock.kind, cap_sys_time, extack);
	if (err)
		goto out_unlock;
	was_enabled = kn->enabled;
	if (kntp_assoc_lookup_rcu(kn, &cfg->addr)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "an association for this address already exists");
		err = -EEXIST;
		goto out_unlock;
	}
	/*
	 * A router has a handful; the bound (UAPI) keeps a runaway
	 * configuration script from eating kernel memory.
	 */
	if (kn->n_assocs >= KNTP_ASSOC_LIMIT) {
		NL_SET_ERR_MSG_MOD(extack, "too many associations (limit "
				   __stringify(KNTP_ASSOC_LIMIT) ")");
		err = -ENOSPC;
		goto out_unlock;
	}
	assoc = kmem_cache_zalloc(kntp_assoc_cache, GFP_KERNEL);
	if (!assoc) {
		err = -ENOMEM;
		goto out_unlock;
	}
	refcount_set(&assoc->refcnt, 1);
	spin_lock_init(&assoc->lock);
	kntp_poll_init(assoc);
	assoc->kn = kn;
	assoc->cfg = *cfg;
	kntp_assoc_setup(assoc);

	err = kntp_instance_enable(kn, cap_sys_time, extack);
	if (err) {
		kmem_cache_free(kntp_assoc_cache, assoc);
		goto out_unlock;
	}
	/*
	 * Identifiers are never 0 and never reused while 31 bits last: they
	 * are also the keys of transmit stamps (KNTP_TSKEY_XLEAVE).
	 */
	if (++kn->next_id > KNTP_ASSOC_ID_MAX)
		kn->next_id = 1;
	assoc->id = kn->next_id;
	list_add_tail_rcu(&assoc->list, &kn->assocs);
	kn->n_assocs++;

	err = kntp_assoc_start(assoc);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot open a socket for this association");
		/* Readers may have seen it: free after a grace period. */
		list_del_rcu(&assoc->list);
		kn->n_assocs--;
		kntp_poll_stop(assoc);
		kntp_assoc_put(assoc);
		if (!was_enabled)
			kntp_instance_disable(kn);
	}
out_unlock:
	mutex_unlock(&kn->lock);
	return err;
}

/* Caller holds kn->lock. Sleeps. */
static void kntp_assoc_unlink(struct kntp_net *kn, struct kntp_assoc *assoc)
{
	list_del_rcu(&assoc->list);
	kn->n_assocs--;
	kntp_assoc_stop(assoc);
	kntp_assoc_put(assoc);
	kntp_system_kick(kn);
}

/**
 * kntp_assoc_del() - demobilise the association of an address
 * @kn: instance
 * @addr: remote address
 * @kind: enum kntp_assoc_kind the association must have, or 0 for any
 * @cap_sys_time: the requester has CAP_SYS_TIME in the initial user
 *	namespace (needed to change what the system clock follows)
 * @extack: where to say why not
 *
 * Return: 0, -EPERM or -ENOENT.
 */
int kntp_assoc_del(struct kntp_net *kn, const struct kntp_addr *addr,
		   u8 kind, bool cap_sys_time, struct netlink_ext_ack *extack)
{
	struct kntp_assoc *assoc;
	int err;

	mutex_lock(&kn->lock);
	err = kntp_clock_may_change(kn, kn->clock.kind, cap_sys_time, extack);
	if (err)
		goto out_unlock;
	assoc = kntp_assoc_lookup_rcu(kn, addr);
	if (!assoc) {
		NL_SET_ERR_MSG_MOD(extack, "no association for this address");
		err = -ENOENT;
	} else if (kind && assoc->cfg.kind != kind) {
		if (assoc->cfg.kind == KNTP_ASSOC_KIND_PEER)
			NL_SET_ERR_MSG_MOD(extack,
					   "the association for this address is a peer, not a server");
		else
			NL_SET_ERR_MSG_MOD(extack,
					   "the association for this address is a server, not a peer");
		err = -ENOENT;
	} else {
		kntp_assoc_unlink(kn, assoc);
	}
out_unlock:
	mutex_unlock(&kn->lock);
	return err;
}

/**
 * kntp_assoc_flush() - demobilise every association of an instance
 * @kn: instance
 */
void kntp_assoc_flush(struct kntp_net *kn)
{
	struct kntp_assoc *assoc, *tmp;

	mutex_lock(&kn->lock);
	list_for_each_entry_safe(assoc, tmp, &kn->assocs, list)
		kntp_assoc_unlink(kn, assoc);
	mutex_unlock(&kn->lock);
}

/* Copy what netlink shows of an association; takes its lock. */
static void kntp_assoc_copy(struct kntp_assoc *assoc,
			    struct kntp_assoc_info *info)
{
	info->id = assoc->id;
	info->cfg = assoc->cfg;
	info->now_ns = kntp_clock_now(assoc->kn);
	spin_lock_bh(&assoc->lock);
	info->p = assoc->p;
	info->local_port = assoc->sock ? kntp_sock_port(assoc->sock) : 0;
	info->xmt_ns = assoc->xmt_ns;
	info->tx_stamp_ns = assoc->tx_stamp_ns;
	info->auth = assoc->auth;
	memcpy(info->stats, assoc->stats, sizeof(info->stats));
	spin_unlock_bh(&assoc->lock);
}

/**
 * kntp_assoc_info_addr() - a consistent copy of the association of an address
 * @kn: instance
 * @addr: remote address
 * @info: filled
 *
 * Return: 0, or -ENOENT.
 */
int kntp_assoc_info_addr(struct kntp_net *kn, const struct kntp_addr *addr,
			 struct kntp_assoc_info *info)
{
	struct kntp_assoc *assoc;
	int err = -ENOENT;

	rcu_read_lock();
	assoc = kntp_assoc_lookup_rcu(kn, addr);
	if (assoc) {
		kntp_assoc_copy(assoc, info);
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

/**
 * kntp_assoc_info_next() - a consistent copy of the next association
 * @kn: instance
 * @after_id: the id of the last one seen, 0 to start
 * @info: filled
 *
 * Ids grow in list order, so a walk by id resumes correctly even if the
 * list changed in between.
 *
 * Return: 0, or -ENOENT when none is left.
 */
int kntp_assoc_info_next(struct kntp_net *kn, u32 after_id,
			 struct kntp_assoc_info *info)
{
	struct kntp_assoc *assoc;
	int err = -ENOENT;

	rcu_read_lock();
	list_for_each_entry_rcu(assoc, &kn->assocs, list) {
		if (assoc->id <= after_id)
			continue;
		kntp_assoc_copy(assoc, info);
		err = 0;
		break;
	}
	rcu_read_unlock();
	return err;
}

/**
 * kntp_assoc_tx_stamp() - record the stack's transmit stamp of a packet
 * @kn: instance
 * @id: the association that sent it (the stamp's key)
 * @stamp_ns: when it left, instance clock ns
 *
 * Process context. A stamp for an association gone since is dropped.
 */
void kntp_assoc_tx_stamp(struct kntp_net *kn, u32 id, s64 stamp_ns)
{
	struct kntp_assoc *assoc;

	rcu_read_lock();
	assoc = kntp_assoc_lookup_id_rcu(kn, id);
	if (assoc) {
		spin_lock_bh(&assoc->lock);
		assoc->tx_stamp_ns = stamp_ns;
		kntp_assoc_stat_inc(assoc, KNTP_STAT_TX_STAMP);
		spin_unlock_bh(&assoc->lock);
	}
	rcu_read_unlock();
}

/**
 * kntp_assoc_gather() - the system process's view of every association
 * @kn: instance, kn->lock held (until the matching kntp_assoc_scatter())
 * @now_ns: instance clock, Unix ns
 * @c: candidates, room for kn->n_assocs
 * @x: what the system needs besides, room for kn->n_assocs
 * @s: addresses and the reference IDs they sent, room for kn->n_assocs
 *
 * Each association is copied under its lock, one at a time.
 *
 * Return: the number of entries filled (kn->n_assocs).
 */
int kntp_assoc_gather(struct kntp_net *kn, s64 now_ns, struct ntp_cand *c,
		      struct ntp_sys_extra *x, struct kntp_assoc_sys *s)
{
	struct kntp_assoc *assoc;
	int i = 0;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(assoc, &kn->assocs, list) {
		spin_lock_bh(&assoc->lock);
		ntp_peer_cand(&assoc->p, now_ns, &c[i]);
		memcpy(s[i].refid, assoc->p.refid, NTP_REFID_LEN);
		s[i].local = assoc->local;
		ntp_system_extra(&assoc->p, &x[i]);
		spin_unlock_bh(&assoc->lock);
		c[i].id = assoc->id;
		s[i].addr = assoc->cfg.addr;
		memcpy(x[i].refid, assoc->refid, NTP_REFID_LEN);
		i++;
	}
	return i;
}

/**
 * kntp_assoc_scatter() - write the system process's results back
 * @kn: instance, kn->lock held since kntp_assoc_gather()
 * @c: the candidates, as gathered, with their tallies set
 * @corr_ns: the correction just committed to the clock: every sample is
 *	shifted by it
 * @df_ppb: the change of frequency just made: every sample is rebased on
 *	it (ntp_filter_compensate())
 * @restart: the clock jumped (a step, another clock): restart every clock
 *	filter at @now_ns
 * @now_ns: instance clock, Unix ns
 */
void kntp_assoc_scatter(struct kntp_net *kn, const struct ntp_cand *c,
			s64 corr_ns, s64 df_ppb, bool restart, s64 now_ns)
{
	struct kntp_assoc *assoc;
	int i = 0;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(assoc, &kn->assocs, list) {
		spin_lock_bh(&assoc->lock);
		if (c) {
			assoc->p.tally = c[i].tally;
			assoc->p.reject = c[i].reject;
			assoc->p.root_dist_ns = c[i].root_dist_ns;
		}
		ntp_filter_compensate(&assoc->p.filter, corr_ns, df_ppb,
				      now_ns);
		if (restart)
			ntp_filter_reset(&assoc->p.filter, now_ns);
		spin_unlock_bh(&assoc->lock);
		i++;
	}
}
