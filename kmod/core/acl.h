/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: access lists and access groups, the matching alone - an
 * address against a list of entries (first match wins, implicit deny), and
 * the scan of a family's access groups (peer, serve, serve-only,
 * query-only). No allocation, no locking: kmod/acl.c owns the lists and
 * their lifetime.
 */
#ifndef _KNTP_CORE_ACL_H
#define _KNTP_CORE_ACL_H

#include "ntp.h"

#define NTP_ACL_ADDR4_LEN	4
#define NTP_ACL_ADDR6_LEN	16

/*
 * An address as two 64-bit words of its bytes in network order (memcpy:
 * masks are built the same way, so no byte swapping is ever needed). An
 * IPv4 address fills the first 4 bytes; the rest are zero.
 */
struct ntp_acl_addr {
	u64 w[2];
};

/**
 * struct ntp_acl_entry - one entry of a list
 * @net: the address bits that must match, the others cleared
 * @mask: 1 for each bit compared (an IPv4 wildcard's complement, an IPv6
 *	prefix's leading ones)
 * @permit: true: a match permits; false: it denies
 */
struct ntp_acl_entry {
	u64 net[2];
	u64 mask[2];
	bool permit;
};

/* The access group types in the order they are scanned. */
enum ntp_acl_group {
	NTP_ACL_PEER,
	NTP_ACL_SERVE,
	NTP_ACL_SERVE_ONLY,
	NTP_ACL_QUERY_ONLY,
	NTP_ACL_NGROUPS
};

#define NTP_ACL_G(g)		(1U << (g))
/* What a packet needs: the groups that grant it. */
#define NTP_ACL_NEED_PEER	NTP_ACL_G(NTP_ACL_PEER)
#define NTP_ACL_NEED_CLIENT	(NTP_ACL_G(NTP_ACL_PEER) | \
				 NTP_ACL_G(NTP_ACL_SERVE) | \
				 NTP_ACL_G(NTP_ACL_SERVE_ONLY))
#define NTP_ACL_NEED_PASSIVE	(NTP_ACL_G(NTP_ACL_PEER) | \
				 NTP_ACL_G(NTP_ACL_SERVE))

/**
 * struct ntp_acl_groups - the access groups of one address family
 * @configured: NTP_ACL_G() of each group that is set; 0: all allowed
 * @kod: refused requests get a DENY kiss (a configured group has "kod")
 * @list: the entries of each configured group's list; NULL when the list is
 *	not defined (the group then matches nothing)
 * @n: how many entries @list has
 */
struct ntp_acl_groups {
	u8 configured;
	bool kod;
	const struct ntp_acl_entry *list[NTP_ACL_NGROUPS];
	u16 n[NTP_ACL_NGROUPS];
};

void ntp_acl_addr_from(struct ntp_acl_addr *a, const u8 *bytes,
		       unsigned int len);
void ntp_acl_entry_v4(struct ntp_acl_entry *e, const u8 *addr,
		      const u8 *wildcard, bool permit);
int ntp_acl_entry_v6(struct ntp_acl_entry *e, const u8 *addr,
		     unsigned int prefix_len, bool permit);
void ntp_acl_entry_v4_get(const struct ntp_acl_entry *e, u8 *addr,
			  u8 *wildcard);
int ntp_acl_entry_v6_get(const struct ntp_acl_entry *e, u8 *addr);
bool ntp_acl_entry_equal(const struct ntp_acl_entry *a,
			 const struct ntp_acl_entry *b);
bool ntp_acl_permits(const struct ntp_acl_entry *e, unsigned int n,
		     const struct ntp_acl_addr *a);
int ntp_acl_grant(const struct ntp_acl_groups *g, const struct ntp_acl_addr *a);
bool ntp_acl_allowed(const struct ntp_acl_groups *g,
		     const struct ntp_acl_addr *a, unsigned int need);

#endif /* _KNTP_CORE_ACL_H */
