/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp: internal declarations shared by the module's files.
 */
#ifndef _KNTP_H
#define _KNTP_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <net/net_namespace.h>
#include <linux/kntp.h>

#define KNTP_MAXSTRAT	16	/* RFC 5905 sec. 7.3: stratum "unsynchronised" */
#define KNTP_LEAP_NOSYNC 3	/* RFC 5905 sec. 7.3: LI alarm condition */

/* Kiss code carried in the refid before any packet arrived, sec. 7.4. */
#define KNTP_REFID_INIT	"INIT"

/**
 * struct kntp_addr - a remote address, IPv4 or IPv6
 * @family: AF_INET or AF_INET6
 * @v4: IPv4 address, network order, when @family is AF_INET
 * @v6: IPv6 address when @family is AF_INET6
 */
struct kntp_addr {
	sa_family_t family;
	union {
		__be32 v4;
		struct in6_addr v6;
	};
};

/**
 * struct kntp_assoc_cfg - what the operator configured for an association
 * @addr: the remote side
 * @kind: enum kntp_assoc_kind
 * @version: NTP version we send, KNTP_VERSION_MIN..KNTP_VERSION_MAX
 * @minpoll: log2 s, KNTP_POLL_MIN..@maxpoll
 * @maxpoll: log2 s, @minpoll..KNTP_POLL_MAX
 * @flags: enum kntp_assoc_flags
 */
struct kntp_assoc_cfg {
	struct kntp_addr addr;
	u8 kind;
	u8 version;
	s8 minpoll;
	s8 maxpoll;
	u32 flags;
};

/**
 * struct kntp_assoc - one association (RFC 5905 sec. 9, peer variables)
 * @list: entry in kntp_net.assocs, RCU protected for readers
 * @rcu: for freeing after a grace period
 * @refcnt: references; the instance's list holds one
 * @id: association identifier, unique in the instance, never 0
 * @cfg: configuration, immutable after mobilisation
 * @stratum: stratum the remote side reported; KNTP_MAXSTRAT until then
 * @refid: reference ID the remote side reported, or a kiss code, wire order
 * @reach: reach shift register, bit 0 = latest poll answered (sec. 13)
 * @poll: current poll interval, log2 s
 */
struct kntp_assoc {
	struct list_head list;
	struct rcu_head rcu;
	refcount_t refcnt;
	u32 id;
	struct kntp_assoc_cfg cfg;
	u8 stratum;
	u8 refid[4];
	u8 reach;
	s8 poll;
};

/**
 * struct kntp_sys - system variables of an instance (RFC 5905 sec. 11.2)
 * @leap: leap indicator, 0..3; KNTP_LEAP_NOSYNC while unsynchronised
 * @stratum: 1..15 synchronised, KNTP_MAXSTRAT unsynchronised
 * @precision: log2 s, precision of the clock
 * @refid: reference ID, wire order
 * @root_delay_ns: total round-trip delay to the primary reference, ns
 * @root_disp_ns: total dispersion to the primary reference, ns
 */
struct kntp_sys {
	u8 leap;
	u8 stratum;
	s8 precision;
	u8 refid[4];
	u64 root_delay_ns;
	u64 root_disp_ns;
};

/**
 * struct kntp_net - the kntp instance of one network namespace
 * @net: the namespace (not referenced: the instance lives and dies with it)
 * @lock: serialises changes to @assocs, @n_assocs, @next_id and @sys
 * @assocs: associations, in order of mobilisation
 * @n_assocs: number of entries in @assocs
 * @next_id: identifier of the next association
 * @sys: system variables
 */
struct kntp_net {
	struct net *net;
	struct mutex lock;		/* see above */
	struct list_head assocs;
	u32 n_assocs;
	u32 next_id;
	struct kntp_sys sys;
};

struct kntp_net *kntp_net(const struct net *net);

/* assoc.c */
int kntp_assoc_cache_init(void);
void kntp_assoc_cache_exit(void);
int kntp_assoc_add(struct kntp_net *kn, const struct kntp_assoc_cfg *cfg,
		   struct netlink_ext_ack *extack);
int kntp_assoc_del(struct kntp_net *kn, const struct kntp_addr *addr,
		   u8 kind, struct netlink_ext_ack *extack);
struct kntp_assoc *kntp_assoc_find(struct kntp_net *kn,
				   const struct kntp_addr *addr);
void kntp_assoc_put(struct kntp_assoc *assoc);
void kntp_assoc_flush(struct kntp_net *kn);

/* netlink.c */
int kntp_nl_init(void);
void kntp_nl_exit(void);

#endif /* _KNTP_H */
