// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: associations - mobilisation, lookup and demobilisation.
 *
 * Writers hold kntp_net.lock; readers (netlink dumps now, the receive path
 * later) walk the list under RCU and take a reference when they keep an
 * association past the read-side section.
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
 * Upper bound on associations per instance. A router has a handful; the
 * bound keeps a runaway configuration script from eating kernel memory.
 */
#define KNTP_ASSOC_LIMIT	256

/* A dedicated cache, so leaks show in /proc/slabinfo and at unload. */
static struct kmem_cache *kntp_assoc_cache;

int kntp_assoc_cache_init(void)
{
	kntp_assoc_cache = KMEM_CACHE(kntp_assoc, 0);
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
	ntp_peer_clear(p, kntp_clock_now(assoc->kn));
	if (cfg->addr.family == AF_INET)
		memcpy(assoc->refid, &cfg->addr.v4, NTP_REFID_LEN);
	else
		ntp_refid_ipv6(cfg->addr.v6.s6_addr, assoc->refid);
}

/**
 * kntp_assoc_start() - open what an association needs and start polling
 * @assoc: a stopped association of an enabled instance
 *
 * A server association gets its own socket on a random ephemeral port
 * (RFC 9109: an off-path attacker must guess the port as well as the
 * transmit timestamp); a peer uses the instance's port 123.
 *
 * Return: 0 or a negative errno from opening the socket.
 */
int kntp_assoc_start(struct kntp_assoc *assoc)
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

/**
 * kntp_assoc_stop() - stop polling and close the association's socket
 * @assoc: association
 *
 * Process context; sleeps. Its state stays readable.
 */
void kntp_assoc_stop(struct kntp_assoc *assoc)
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
 * kntp_assoc_add() - mobilise a configured association
 * @kn: instance
 * @cfg: validated configuration
 * @may_own_clock: the requester may own the system clock (CAP_SYS_TIME)
 * @extack: where to say why not
 *
 * Enables a disabled instance first. Nothing changes if it fails.
 *
 * Return: 0, -EEXIST if the address has an association, -ENOSPC at the
 * per-instance limit, -ENOMEM, or why the instance or the association's
 * socket could not be opened.
 */
int kntp_assoc_add(struct kntp_net *kn, const struct kntp_assoc_cfg *cfg,
		   bool may_own_clock, struct netlink_ext_ack *extack)
{
	struct kntp_assoc *assoc;
	bool was_enabled;
	int err = 0;

	mutex_lock(&kn->lock);
	was_enabled = kn->enabled;
	if (kntp_assoc_lookup_rcu(kn, &cfg->addr)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "an association for this address already exists");
		err = -EEXIST;
		goto out_unlock;
	}
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

	err = kntp_instance_enable(kn, may_own_clock, extack);
	if (err) {
		kmem_cache_free(kntp_assoc_cache, assoc);
		goto out_unlock;
	}
	/* Identifiers are never 0 and never reused while the u32 lasts. */
	if (!++kn->next_id)
		++kn->next_id;
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
 * @extack: where to say why not
 *
 * Return: 0 or -ENOENT.
 */
int kntp_assoc_del(struct kntp_net *kn, const struct kntp_addr *addr,
		   u8 kind, struct netlink_ext_ack *extack)
{
	struct kntp_assoc *assoc;
	int err = 0;

	mutex_lock(&kn->lock);
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
