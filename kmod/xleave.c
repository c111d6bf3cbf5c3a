// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: the server's table of kept answers for interleaved mode (RFC 9769
 * sec. 2; the protocol is kmod/core/xleave.c).
 *
 * KNTP_XL_SLOTS entries, selected by our receive timestamp of a request
 * (which the client names in its next request); a newer answer takes the
 * slot of an older one. The transmit stamp of a kept answer comes back on
 * port 123's error queue with the key KNTP_TSKEY_XLEAVE | generation |
 * slot, which no association id has (they stay below KNTP_TSKEY_XLEAVE).
 *
 * Lifetimes and locking:
 * - kntp_net.xleave is allocated when the instance is enabled, before its
 *   sockets open, and freed when it is disabled, after they are closed
 *   (kntp_sock_close() waits for the receive path and cancels the error
 *   queue work): nothing else frees it, and no reader outlives it. It is
 *   GFP_KERNEL_ACCOUNT: charged to whoever enabled the instance.
 * - Entries are read and written under one of KNTP_XL_LOCKS spinlocks,
 *   slot modulo KNTP_XL_LOCKS, with bottom halves off: the receive path
 *   (softirq) and the error queue work (process context) both take them.
 *   Nothing else is taken under them.
 * - The address hash key is drawn once per table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/siphash.h>
#include <linux/slab.h>

#include "kntp.h"
#include "core/xleave.h"

/* log2 of the number of kept answers: 8192 (24 bytes each). */
#define KNTP_XL_SLOT_BITS	13
#define KNTP_XL_SLOTS		BIT(KNTP_XL_SLOT_BITS)
#define KNTP_XL_LOCKS		64
/* The generation bits a transmit stamp's key has room for. */
#define KNTP_XL_GEN_MASK	((KNTP_TSKEY_XLEAVE >> KNTP_XL_SLOT_BITS) - 1)

/**
 * struct kntp_xl_table - an instance's kept answers
 * @key: the key of the address hash
 * @locks: protect @e; lock i the slots i modulo KNTP_XL_LOCKS
 * @e: the kept answers
 */
struct kntp_xl_table {
	siphash_key_t key;
	spinlock_t locks[KNTP_XL_LOCKS];	/* see above */
	struct ntp_xl_entry e[KNTP_XL_SLOTS];
};

/**
 * kntp_xleave_init() - the table of an instance being enabled
 * @kn: instance, kn->lock held, its sockets not open
 *
 * Return: 0 or -ENOMEM.
 */
int kntp_xleave_init(struct kntp_net *kn)
{
	struct kntp_xl_table *t;
	int i;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	get_random_bytes(&t->key, sizeof(t->key));
	for (i = 0; i < KNTP_XL_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	kn->xleave = t;
	return 0;
}

/**
 * kntp_xleave_exit() - free the table
 * @kn: instance, kn->lock held, its sockets closed
 */
void kntp_xleave_exit(struct kntp_net *kn)
{
	kvfree(kn->xleave);
	kn->xleave = NULL;
}

/* The lock of a slot. */
static spinlock_t *kntp_xl_lock(struct kntp_xl_table *t, u32 slot)
{
	return &t->locks[slot % KNTP_XL_LOCKS];
}

static u32 kntp_xl_src(const struct kntp_xl_table *t,
		       const struct kntp_addr *a)
{
	if (a->family == AF_INET)
		return (u32)siphash_1u32((__force u32)a->v4, &t->key);
	return (u32)siphash(&a->v6, sizeof(a->v6), &t->key);
}

/**
 * kntp_xleave_answer() - interleave an answer, and keep it for the next
 * @kn: instance
 * @rx: a client's request in interleaved form (ntp_xl_request())
 * @r: the basic answer to it; made interleaved when the request names an
 *	answer we kept for that client
 * @tskey: the key to ask the transmit stamp of @r with
 *
 * Softirq (the receive path).
 *
 * Return: true when @r is interleaved: it carries its transmit timestamp.
 */
bool kntp_xleave_answer(struct kntp_net *kn, const struct kntp_rx *rx,
			struct ntp_packet *r, u32 *tskey)
{
	struct kntp_xl_table *t = kn->xleave;
	u32 src = kntp_xl_src(t, &rx->src);
	u32 i = ntp_xl_slot(rx->r.org_ts, KNTP_XL_SLOT_BITS);
	bool interleaved;
	s64 tx_ns;

	spin_lock_bh(kntp_xl_lock(t, i));
	interleaved = ntp_xl_take(&t->e[i], rx->r.org_ts, src, &tx_ns);
	spin_unlock_bh(kntp_xl_lock(t, i));
	if (interleaved)
		ntp_xl_answer(r, &rx->r, tx_ns);

	i = ntp_xl_slot(r->rec_ts, KNTP_XL_SLOT_BITS);
	spin_lock_bh(kntp_xl_lock(t, i));
	ntp_xl_keep(&t->e[i], r->rec_ts, src, KNTP_XL_GEN_MASK);
	*tskey = KNTP_TSKEY_XLEAVE | t->e[i].gen << KNTP_XL_SLOT_BITS | i;
	spin_unlock_bh(kntp_xl_lock(t, i));
	return interleaved;
}

/**
 * kntp_xleave_tx() - when a kept answer left
 * @kn: instance
 * @tskey: from kntp_xleave_answer(), or the key of its transmit stamp
 * @tx_ns: instance clock ns
 * @driver: @tx_ns is the driver's stamp (the error queue); else the time
 *	written into the answer, right after sending
 *
 * Softirq or process context (the error queue's work).
 */
void kntp_xleave_tx(struct kntp_net *kn, u32 tskey, s64 tx_ns, bool driver)
{
	struct kntp_xl_table *t = kn->xleave;
	u32 i = tskey & (KNTP_XL_SLOTS - 1);

	spin_lock_bh(kntp_xl_lock(t, i));
	ntp_xl_tx(&t->e[i], (tskey & ~KNTP_TSKEY_XLEAVE) >> KNTP_XL_SLOT_BITS,
		  tx_ns, driver);
	spin_unlock_bh(kntp_xl_lock(t, i));
}
