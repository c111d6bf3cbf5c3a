// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: access list matching (see acl.h).
 *
 * An entry compares (address & mask) with its network, two 64-bit words
 * each: a look-up costs a few instructions per entry, and nothing but the
 * entries is touched. IPv4 wildcards may be non-contiguous (routers allow
 * 0.0.255.0): the mask is simply their complement.
 */
#include "acl.h"

/* An address's bytes (4 or 16) into the two words. */
void ntp_acl_addr_from(struct ntp_acl_addr *a, const u8 *bytes,
		       unsigned int len)
{
	u8 b[NTP_ACL_ADDR6_LEN] = { 0 };

	memcpy(b, bytes, len < sizeof(b) ? len : sizeof(b));
	memcpy(a->w, b, sizeof(b));
}

static void ntp_acl_entry_set(struct ntp_acl_entry *e, const u8 *net,
			      const u8 *mask, bool permit)
{
	u8 n[NTP_ACL_ADDR6_LEN];
	unsigned int i;

	for (i = 0; i < NTP_ACL_ADDR6_LEN; i++)
		n[i] = net[i] & mask[i];
	memcpy(e->net, n, sizeof(n));
	memcpy(e->mask, mask, NTP_ACL_ADDR6_LEN);
	e->permit = permit;
}

/**
 * ntp_acl_entry_v4() - an IPv4 entry as routers write it
 * @e: the entry
 * @addr: 4 bytes, network order
 * @wildcard: 4 bytes, 1 for each bit not compared
 * @permit: permit or deny
 */
void ntp_acl_entry_v4(struct ntp_acl_entry *e, const u8 *addr,
		      const u8 *wildcard, bool permit)
{
	u8 net[NTP_ACL_ADDR6_LEN] = { 0 }, mask[NTP_ACL_ADDR6_LEN] = { 0 };
	unsigned int i;

	for (i = 0; i < NTP_ACL_ADDR4_LEN; i++) {
		net[i] = addr[i];
		mask[i] = (u8)~wildcard[i];
	}
	ntp_acl_entry_set(e, net, mask, permit);
}

/**
 * ntp_acl_entry_v6() - an IPv6 entry: a prefix
 * @e: the entry
 * @addr: 16 bytes
 * @prefix_len: 0..128
 * @permit: permit or deny
 *
 * Return: 0, or -1 when @prefix_len is above 128.
 */
int ntp_acl_entry_v6(struct ntp_acl_entry *e, const u8 *addr,
		     unsigned int prefix_len, bool permit)
{
	u8 mask[NTP_ACL_ADDR6_LEN] = { 0 };
	unsigned int i;

	if (prefix_len > 8 * NTP_ACL_ADDR6_LEN)
		return -1;
	for (i = 0; i < NTP_ACL_ADDR6_LEN; i++) {
		if (prefix_len >= 8)
			mask[i] = 0xff;
		else if (prefix_len)
			mask[i] = (u8)(0xff << (8 - prefix_len));
		prefix_len -= prefix_len >= 8 ? 8 : prefix_len;
	}
	ntp_acl_entry_set(e, addr, mask, permit);
	return 0;
}

/* The address (ignored bits cleared) and wildcard of an IPv4 entry. */
void ntp_acl_entry_v4_get(const struct ntp_acl_entry *e, u8 *addr,
			  u8 *wildcard)
{
	u8 net[NTP_ACL_ADDR6_LEN], mask[NTP_ACL_ADDR6_LEN];
	unsigned int i;

	memcpy(net, e->net, sizeof(net));
	memcpy(mask, e->mask, sizeof(mask));
	for (i = 0; i < NTP_ACL_ADDR4_LEN; i++) {
		addr[i] = net[i];
		wildcard[i] = (u8)~mask[i];
	}
}

/* The prefix of an IPv6 entry into addr; returns its length. */
int ntp_acl_entry_v6_get(const struct ntp_acl_entry *e, u8 *addr)
{
	u8 mask[NTP_ACL_ADDR6_LEN];
	unsigned int i;
	int len = 0;
	u8 m;

	memcpy(addr, e->net, NTP_ACL_ADDR6_LEN);
	memcpy(mask, e->mask, sizeof(mask));
	for (i = 0; i < NTP_ACL_ADDR6_LEN; i++)
		for (m = mask[i]; m; m <<= 1)
			len++;
	return len;
}

bool ntp_acl_entry_equal(const struct ntp_acl_entry *a,
			 const struct ntp_acl_entry *b)
{
	return a->net[0] == b->net[0] && a->net[1] == b->net[1] &&
	       a->mask[0] == b->mask[0] && a->mask[1] == b->mask[1] &&
	       a->permit == b->permit;
}

/**
 * ntp_acl_permits() - does a list permit an address?
 * @e: the entries, in order
 * @n: how many
 * @a: the address
 *
 * Return: the action of the first entry that matches; false (the implicit
 * deny) when none does.
 */
bool ntp_acl_permits(const struct ntp_acl_entry *e, unsigned int n,
		     const struct ntp_acl_addr *a)
{
	unsigned int i;

	for (i = 0; i < n; i++, e++)
		if ((a->w[0] & e->mask[0]) == e->net[0] &&
		    (a->w[1] & e->mask[1]) == e->net[1])
			return e->permit;
	return false;
}

/**
 * ntp_acl_grant() - the group that grants an address its access
 * @g: the groups of the address's family
 * @a: the address
 *
 * Return: the first configured group (enum ntp_acl_group, in scan order)
 * whose list permits @a; -1 when none does; NTP_ACL_NGROUPS when no group
 * is configured (everything allowed).
 */
int ntp_acl_grant(const struct ntp_acl_groups *g, const struct ntp_acl_addr *a)
{
	int i;

	if (!g->configured)
		return NTP_ACL_NGROUPS;
	for (i = 0; i < NTP_ACL_NGROUPS; i++)
		if ((g->configured & NTP_ACL_G(i)) && g->list[i] &&
		    ntp_acl_permits(g->list[i], g->n[i], a))
			return i;
	return -1;
}

/**
 * ntp_acl_allowed() - may a packet from an address be taken?
 * @g: the groups of the address's family
 * @a: the address
 * @need: the groups that grant what the packet asks (NTP_ACL_NEED_*)
 *
 * Return: true when no group is configured, or when the group that grants
 * the address access is one of @need.
 */
bool ntp_acl_allowed(const struct ntp_acl_groups *g,
		     const struct ntp_acl_addr *a, unsigned int need)
{
	int grant = ntp_acl_grant(g, a);

	if (grant == NTP_ACL_NGROUPS)
		return true;
	return grant >= 0 && (need & NTP_ACL_G(grant));
}
