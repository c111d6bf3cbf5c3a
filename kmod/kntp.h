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
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <linux/kntp.h>

#include "core/ntp.h"
#include "core/filter.h"
#include "core/packet.h"

/* Kiss codes and reference names, RFC 5905 sec. 7.4. */
#define KNTP_REFID_INIT	"INIT"	/* association not yet synchronised */
#define KNTP_REFID_LOCL	"LOCL"	/* our own clock ("ntp master") */

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

bool kntp_addr_equal(const struct kntp_addr *a, const struct kntp_addr *b);

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

struct kntp_net;
struct kntp_assoc;

/**
 * struct kntp_sock - one of our kernel UDP sockets
 * @sock: the socket
 * @kn: its instance
 * @assoc: the server association it belongs to, NULL for port 123
 * @errq_work: drains the error queue (transmit timestamps)
 */
struct kntp_sock {
	struct socket *sock;
	struct kntp_net *kn;
	struct kntp_assoc *assoc;
	struct work_struct errq_work;
};

/**
 * struct kntp_assoc - one association (RFC 5905 sec. 9, peer variables)
 * @list: entry in kntp_net.assocs, RCU protected for readers
 * @rcu: for freeing after a grace period
 * @refcnt: references; the instance's list holds one
 * @kn: the instance
 * @id: association identifier, unique in the instance, never 0
 * @cfg: configuration, immutable after mobilisation
 * @lock: protects everything below (taken in softirq: use _bh elsewhere)
 * @sock: our socket for a server association (random port, RFC 9109);
 *	NULL for peers (they use the instance's port 123) and when stopped
 * @timer: poll timer
 * @running: the poll process runs; cleared before the timer is stopped
 * @state: enum kntp_assoc_state
 * @leap: leap indicator the remote side reported
 * @stratum: stratum the remote side reported (0 on the wire -> 16)
 * @ppoll: poll interval the remote side reported, log2 s
 * @precision: precision the remote side reported, log2 s
 * @root_delay_ns: root delay the remote side reported, ns
 * @root_disp_ns: root dispersion the remote side reported, ns
 * @refid: reference ID the remote side reported, or a kiss code, wire order
 * @reftime: reference timestamp the remote side reported, NTP format
 * @x: timestamps of the exchange (RFC 5905 org, rec, xmt)
 * @filter: clock filter (sec. 10): offset, delay, dispersion, jitter
 * @reach: reach shift register, bit 0 = latest poll answered (sec. 13)
 * @unreach: polls since the association was last reachable
 * @burst: packets left in the current burst
 * @hpoll: host poll exponent, log2 s, minpoll..maxpoll
 * @poll: poll exponent in use, log2 s
 * @next_jiffies: when the timer fires next
 * @rx_ns: local time (Unix ns) of the last packet that passed tests 1-3
 * @xmt_ns: transmit timestamp of our last packet, Unix ns; 0 none
 * @tx_stamp_ns: the stack's transmit timestamp of our last packet; 0 none
 * @stats: counters, enum kntp_stat
 */
struct kntp_assoc {
	struct list_head list;
	struct rcu_head rcu;
	refcount_t refcnt;
	struct kntp_net *kn;
	u32 id;
	struct kntp_assoc_cfg cfg;

	spinlock_t lock;		/* see above */
	struct kntp_sock *sock;
	struct timer_list timer;
	bool running;
	u32 state;
	u8 leap;
	u8 stratum;
	s8 ppoll;
	s8 precision;
	u64 root_delay_ns;
	u64 root_disp_ns;
	u8 refid[NTP_REFID_LEN];
	u64 reftime;
	struct ntp_exchange x;
	struct ntp_filter filter;
	u8 reach;
	u8 unreach;
	u8 burst;
	s8 hpoll;
	s8 poll;
	unsigned long next_jiffies;
	s64 rx_ns;
	s64 xmt_ns;
	s64 tx_stamp_ns;
	u64 stats[__KNTP_STAT_MAX];
};

/**
 * struct kntp_sys - system variables of an instance (RFC 5905 sec. 11.2)
 * @leap: leap indicator, 0..3; NTP_LEAP_NOSYNC while unsynchronised
 * @stratum: 1..15 synchronised, NTP_MAXSTRAT unsynchronised
 * @precision: log2 s, precision of the clock
 * @refid: reference ID, wire order
 * @reftime_ns: when the clock was last set or corrected, Unix ns; 0 never
 * @root_delay_ns: total round-trip delay to the primary reference, ns
 * @root_disp_ns: total dispersion to the primary reference, ns
 */
struct kntp_sys {
	u8 leap;
	u8 stratum;
	s8 precision;
	u8 refid[NTP_REFID_LEN];
	s64 reftime_ns;
	u64 root_delay_ns;
	u64 root_disp_ns;
};

struct kntp_stats {
	u64 v[__KNTP_STAT_MAX];
};

/**
 * struct kntp_net - the kntp instance of one network namespace
 * @net: the namespace (not referenced: the instance lives and dies with it)
 * @lock: serialises configuration: @assocs, @n_assocs, @next_id,
 *	@enabled, @master, the sockets
 * @assocs: associations, in order of mobilisation
 * @n_assocs: number of entries in @assocs
 * @next_id: identifier of the next association
 * @enabled: sockets open, associations running
 * @master: stratum served from our own clock, 0 off ("ntp master")
 * @sock4: IPv4 socket on port 123, NULL when disabled
 * @sock6: IPv6 socket on port 123, NULL when disabled or without IPv6
 * @sys_lock: writers of @sys; readers (the receive path) retry on change
 * @sys: system variables
 * @stats: per-CPU counters, enum kntp_stat
 */
struct kntp_net {
	struct net *net;
	struct mutex lock;		/* see above */
	struct list_head assocs;
	u32 n_assocs;
	u32 next_id;
	bool enabled;
	u8 master;
	struct kntp_sock __rcu *sock4;
	struct kntp_sock __rcu *sock6;
	seqlock_t sys_lock;
	struct kntp_sys sys;
	struct kntp_stats __percpu *stats;
};

struct kntp_net *kntp_net(const struct net *net);
void kntp_sys_read(struct kntp_net *kn, struct kntp_sys *sys);
void kntp_sys_update(struct kntp_net *kn);
int kntp_instance_enable(struct kntp_net *kn, struct netlink_ext_ack *extack);
void kntp_instance_disable(struct kntp_net *kn);

static inline void kntp_stat_inc(struct kntp_net *kn, enum kntp_stat stat)
{
	this_cpu_inc(kn->stats->v[stat]);
}

/* Count an event of an association, and in its instance's sum. */
static inline void kntp_assoc_stat_inc(struct kntp_assoc *assoc,
				       enum kntp_stat stat)
{
	assoc->stats[stat]++;
	kntp_stat_inc(assoc->kn, stat);
}

u64 kntp_stat_sum(struct kntp_net *kn, enum kntp_stat stat);

/* assoc.c */
int kntp_assoc_cache_init(void);
void kntp_assoc_cache_exit(void);
int kntp_assoc_add(struct kntp_net *kn, const struct kntp_assoc_cfg *cfg,
		   struct netlink_ext_ack *extack);
int kntp_assoc_del(struct kntp_net *kn, const struct kntp_addr *addr,
		   u8 kind, struct netlink_ext_ack *extack);
struct kntp_assoc *kntp_assoc_find(struct kntp_net *kn,
				   const struct kntp_addr *addr);
struct kntp_assoc *kntp_assoc_lookup_rcu(struct kntp_net *kn,
					 const struct kntp_addr *addr);
void kntp_assoc_put(struct kntp_assoc *assoc);
void kntp_assoc_flush(struct kntp_net *kn);
int kntp_assoc_start(struct kntp_assoc *assoc);
void kntp_assoc_stop(struct kntp_assoc *assoc);

/* socket.c */
struct kntp_sock *kntp_sock_open(struct kntp_net *kn, int family, u16 port,
				 struct kntp_assoc *assoc);
void kntp_sock_close(struct kntp_sock *ks);
u16 kntp_sock_port(const struct kntp_sock *ks);
struct kntp_sock *kntp_sock_for(struct kntp_net *kn, int family);

/**
 * struct kntp_xmit - one packet to send
 * @ks: socket to send from
 * @dst: remote address
 * @dport: remote port, network order
 * @src: local address to send from; family 0 lets the route choose
 * @pkt: the encoded header; its transmit timestamp is filled by the sender
 * @len: length of @pkt
 * @tskey: ask the stack for a transmit timestamp with this key (the
 *	association id), 0 for none
 */
struct kntp_xmit {
	struct kntp_sock *ks;
	const struct kntp_addr *dst;
	__be16 dport;
	struct kntp_addr src;
	u8 *pkt;
	size_t len;
	u32 tskey;
};

int kntp_sock_send(struct kntp_xmit *xm, s64 *xmt_ns);

/* timestamp.c */
s64 kntp_rx_stamp(struct kntp_net *kn, const struct sk_buff *skb);
void kntp_tx_stamp_request(struct sk_buff *skb, u32 tskey);
void kntp_tx_stamp_collect(struct kntp_sock *ks);

/* proto.c */
int kntp_proto_rcv(struct kntp_sock *ks, struct sk_buff *skb);

/* server.c */
void kntp_server_reply(struct kntp_net *kn, struct kntp_sock *ks,
		       const struct kntp_addr *client, __be16 sport,
		       const struct kntp_addr *local,
		       const struct ntp_packet *req, s64 rx_ns, u8 mode);
void kntp_fill_sys(struct kntp_net *kn, struct ntp_packet *pkt);

/* poll.c */
void kntp_poll_init(struct kntp_assoc *assoc);
void kntp_poll_start(struct kntp_assoc *assoc);
void kntp_poll_stop(struct kntp_assoc *assoc);
void kntp_poll_reachable(struct kntp_assoc *assoc);
void kntp_poll_backoff(struct kntp_assoc *assoc, s8 server_poll);

/* netlink.c */
int kntp_nl_init(void);
void kntp_nl_exit(void);

#endif /* _KNTP_H */
