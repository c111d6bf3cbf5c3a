/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp: internal declarations shared by the module's files.
 */
#ifndef _KNTP_H
#define _KNTP_H

#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <linux/kntp.h>

#include "core/acl.h"
#include "core/ntp.h"
#include "core/peer.h"
#include "core/ratelimit.h"
#include "core/system.h"
#include "core/vclock.h"

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
 * @key_id: the key its packets are signed and checked with, 0 none
 */
struct kntp_assoc_cfg {
	struct kntp_addr addr;
	u8 kind;
	u8 version;
	s8 minpoll;
	s8 maxpoll;
	u32 flags;
	u16 key_id;
};

struct kntp_net;
struct kntp_assoc;
struct kntp_xl_table;

/*
 * Transmit stamps come back with the key the packet was sent with: an
 * association's id, or for an answer kept for interleaved mode this bit
 * with the answer's slot (kmod/xleave.c). Association ids stay below it.
 */
#define KNTP_TSKEY_XLEAVE	BIT(31)
#define KNTP_ASSOC_ID_MAX	(KNTP_TSKEY_XLEAVE - 1)

/**
 * struct kntp_sock - one of our kernel UDP sockets
 * @sock: the socket
 * @kn: its instance
 * @assoc: the server association it belongs to, NULL for port 123
 * @errq_work: drains the error queue (transmit timestamps)
 * @error_report: the socket's own sk_error_report, put back at close
 */
struct kntp_sock {
	struct socket *sock;
	struct kntp_net *kn;
	struct kntp_assoc *assoc;
	struct work_struct errq_work;
	void (*error_report)(struct sock *sk);
};

/**
 * struct kntp_assoc - one association
 * @list: entry in kntp_net.assocs, RCU protected for readers
 * @rcu: for freeing after a grace period
 * @refcnt: references; the instance's list holds one
 * @kn: the instance
 * @id: association identifier, unique in the instance, never 0
 * @cfg: configuration, immutable after mobilisation
 * @refid: the reference ID we serve while it is our system peer: its IPv4
 *	address, or the hash of its IPv6 address (RFC 5905 sec. 7.3)
 * @lock: protects everything below (taken in softirq: use _bh elsewhere)
 * @sock: our socket for a server association (random port, RFC 9109);
 *	NULL for peers (they use the instance's port 123) and when stopped
 * @timer: poll timer (an hrtimer, softirq mode: see poll.c)
 * @poll_work: what the timer starts: the poll and our packet (poll.c)
 * @p: protocol state (kmod/core/peer.h); @p.running says whether the poll
 *	process runs: set by kntp_poll_start(), cleared by kntp_poll_stop()
 *	before the timer is stopped, and by a DENY kiss code
 * @local: our address the remote side last sent to (for loop detection)
 * @xmt_ns: transmit timestamp of our last packet, instance clock ns; 0 none
 * @tx_stamp_ns: the stack's transmit timestamp of our last packet; 0 none
 * @auth: enum kntp_auth of the last packet received from it; 0 none yet
 * @stats: counters, enum kntp_stat
 */
struct kntp_assoc {
	struct list_head list;
	struct rcu_head rcu;
	refcount_t refcnt;
	struct kntp_net *kn;
	u32 id;
	struct kntp_assoc_cfg cfg;
	u8 refid[NTP_REFID_LEN];

	spinlock_t lock;		/* see above */
	struct kntp_sock *sock;
	struct hrtimer timer;
	struct work_struct poll_work;
	struct ntp_peer p;
	struct kntp_addr local;
	s64 xmt_ns;
	s64 tx_stamp_ns;
	u8 auth;
	u64 stats[__KNTP_STAT_MAX];
};

struct kntp_stats {
	u64 v[__KNTP_STAT_MAX];
};

/**
 * struct kntp_assoc_info - a consistent copy of an association (netlink)
 * @id: its id
 * @cfg: its configuration
 * @p: its protocol state
 * @local_port: our port of a server association, host order; 0 none
 * @xmt_ns: transmit timestamp of our last packet, instance clock ns; 0 none
 * @tx_stamp_ns: the stack's transmit stamp of it, instance clock ns; 0 none
 * @auth: enum kntp_auth of its last packet; 0 none yet
 * @stats: its counters, enum kntp_stat
 * @now_ns: the instance's clock when the copy was taken, Unix ns
 */
struct kntp_assoc_info {
	u32 id;
	struct kntp_assoc_cfg cfg;
	struct ntp_peer p;
	u16 local_port;
	s64 xmt_ns;
	s64 tx_stamp_ns;
	u8 auth;
	u64 stats[__KNTP_STAT_MAX];
	s64 now_ns;
};

/**
 * struct kntp_assoc_sys - what the system process needs of an association
 *	besides its candidate (struct ntp_cand, struct ntp_sys_extra)
 * @addr: its address (for events)
 * @local: our address it last sent to (loop detection)
 * @refid: the reference ID it sent (loop detection)
 */
struct kntp_assoc_sys {
	struct kntp_addr addr;
	struct kntp_addr local;
	u8 refid[NTP_REFID_LEN];
};

/**
 * struct kntp_slew_run - a slew of the system clock, as carried out
 * @amount_ns: what it corrects, ns; 0: none runs
 * @len_ns: how long the discipline reckons it runs, local ns: its duration
 *	plus the slew itself (the local clock gains it meanwhile)
 * @start_ns: when its rate was set, CLOCK_MONOTONIC ns
 * @lag_ns: how long after its update (local time) its rate was set
 */
struct kntp_slew_run {
	s64 amount_ns;
	s64 len_ns;
	s64 start_ns;
	s64 lag_ns;
};

/**
 * struct kntp_clock - the clock an instance disciplines and timestamps with
 * @kind: enum kntp_clock_kind; changes under kntp_net.lock
 * @owner: this instance owns the kernel's clock (under clock.c's lock)
 * @lost: another process adjusted the kernel's clock while we owned it; we
 *	let go (under clock.c's lock; cleared by the next claim)
 * @lock: readers (any context) retry while @vc changes
 * @vc: a virtual clock: its time against the system clock
 * @slew_timer: fires when the system clock's slew is due to end (an
 *	hrtimer: the timer wheel would end a 16 s slew up to 256 ms late)
 * @slew_end: ends it (process context), queued by @slew_timer
 * @slew: the slew the system clock runs (clock.c's lock)
 * @slew_extra_ns: what the system clock's slews did beyond the
 *	discipline's reckoning, not yet reported (clock.c's lock)
 * @freq_ppb: the system clock's frequency correction outside a slew
 */
struct kntp_clock {
	u8 kind;
	bool owner;
	bool lost;
	seqlock_t lock;
	struct ntp_vclock vc;
	struct hrtimer slew_timer;
	struct work_struct slew_end;
	struct kntp_slew_run slew;
	s64 slew_extra_ns;
	s64 freq_ppb;
};

/* Address families of the access groups: IPv4 (0) and IPv6 (1). */
#define KNTP_ACL_FAMILIES	2

/**
 * struct kntp_acl_group_cfg - one access group as configured
 * @list: the name of its list; "" when the group is not set
 * @kod: refused requests get a DENY kiss
 */
struct kntp_acl_group_cfg {
	char list[KNTP_ACL_NAME_MAX + 1];
	bool kod;
};

/**
 * struct kntp_acl_cfg - an instance's access control as configured
 *	(kmod/acl.c; under kntp_net.lock)
 * @lists: struct kntp_acl_list, in order of creation
 * @n_lists: entries in @lists
 * @groups: by family index and enum ntp_acl_group
 */
struct kntp_acl_cfg {
	struct list_head lists;
	u32 n_lists;
	struct kntp_acl_group_cfg groups[KNTP_ACL_FAMILIES][NTP_ACL_NGROUPS];
};

struct kntp_acl_snap;

/**
 * struct kntp_acl_change - a prepared change of the access groups
 * @set: there is one to commit
 * @groups: the groups after it
 * @snap: the snapshot after it (NULL: no group)
 */
struct kntp_acl_change {
	bool set;
	struct kntp_acl_group_cfg groups[KNTP_ACL_FAMILIES][NTP_ACL_NGROUPS];
	struct kntp_acl_snap *snap;
};

/**
 * struct kntp_net - the kntp instance of one network namespace
 * @net: the namespace (not referenced: the instance lives and dies with it)
 * @lock: serialises configuration: @assocs, @n_assocs, @next_id,
 *	@enabled, the sockets, the clock's kind and ownership
 * @assocs: associations, in order of mobilisation
 * @n_assocs: number of entries in @assocs
 * @next_id: identifier of the next association
 * @enabled: sockets open, associations running
 * @sock4: IPv4 socket on port 123, NULL when disabled
 * @sock6: IPv6 socket on port 123, NULL when disabled or without IPv6
 * @ingress: the devices answered at (struct kntp_ingress, kmod/ingress.c),
 *	an RCU list written under RTNL
 * @n_ingress: number of entries in @ingress
 * @ingress_used: a device was ever hooked (its teardown waits a grace
 *	period)
 * @vars_lock: writers of @vars; readers (the receive path) retry on change
 * @vars: the system variables as served, published by the system process
 * @reply_head: the same made ready for answers (ntp_reply_head_make()),
 *	published with @vars: what the receive path reads per request
 * @sys_lock: serialises the system process and its settings
 * @sys: the system process (kmod/core/system.h)
 * @sys_work: runs the system process: kicked by new samples, and every
 *	second while enabled
 * @clock: the clock
 * @stats: per-CPU counters, enum kntp_stat
 * @keys: symmetric keys by id, struct kntp_key (kmod/auth.c)
 * @trusted: bitmap of the trusted key ids, NULL until one is trusted
 * @authenticate: sources must authenticate ("ntp authenticate")
 * @acl: access lists and groups (under @lock)
 * @acl_snap: their compiled form, what the receive path reads (RCU)
 * @ratelimit: rate limiting's table, NULL while off; written under @lock,
 *	read under RCU (kmod/ratelimit.c)
 * @xleave: the answers kept for interleaved mode, while enabled
 *	(kmod/xleave.c)
 */
struct kntp_net {
	struct net *net;
	struct mutex lock;		/* see above */
	struct list_head assocs;
	u32 n_assocs;
	u32 next_id;
	bool enabled;
	struct kntp_sock __rcu *sock4;
	struct kntp_sock __rcu *sock6;
	struct list_head ingress;
	u32 n_ingress;
	bool ingress_used;
	seqlock_t vars_lock;
	struct ntp_sysvars vars;
	struct ntp_reply_head reply_head;
	struct mutex sys_lock;		/* see above */
	struct ntp_system sys;
	struct delayed_work sys_work;
	struct kntp_clock clock;
	struct kntp_stats __percpu *stats;
	struct xarray keys;
	unsigned long *trusted;
	bool authenticate;
	struct kntp_acl_cfg acl;
	struct kntp_acl_snap __rcu *acl_snap;
	struct kntp_rl_table __rcu *ratelimit;
	struct kntp_xl_table *xleave;
};

struct kntp_net *kntp_net(const struct net *net);
int kntp_instance_enable(struct kntp_net *kn, bool cap_sys_time,
			 struct netlink_ext_ack *extack);
void kntp_instance_disable(struct kntp_net *kn);
extern s8 kntp_precision;

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
		   bool cap_sys_time, struct netlink_ext_ack *extack);
int kntp_assoc_del(struct kntp_net *kn, const struct kntp_addr *addr,
		   u8 kind, bool cap_sys_time, struct netlink_ext_ack *extack);
struct kntp_assoc *kntp_assoc_find(struct kntp_net *kn,
				   const struct kntp_addr *addr);
struct kntp_assoc *kntp_assoc_lookup_rcu(struct kntp_net *kn,
					 const struct kntp_addr *addr);
void kntp_assoc_put(struct kntp_assoc *assoc);
void kntp_assoc_flush(struct kntp_net *kn);
void kntp_assoc_start_all(struct kntp_net *kn);
void kntp_assoc_stop_all(struct kntp_net *kn);
int kntp_assoc_info_addr(struct kntp_net *kn, const struct kntp_addr *addr,
			 struct kntp_assoc_info *info);
int kntp_assoc_info_next(struct kntp_net *kn, u32 after_id,
			 struct kntp_assoc_info *info);
void kntp_assoc_tx_stamp(struct kntp_net *kn, u32 id, s64 stamp_ns);
int kntp_assoc_gather(struct kntp_net *kn, s64 now_ns, struct ntp_cand *c,
		      struct ntp_sys_extra *x, struct kntp_assoc_sys *s);
void kntp_assoc_scatter(struct kntp_net *kn, const struct ntp_cand *c,
			s64 corr_ns, s64 df_ppb, bool restart, s64 now_ns);

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
 *	association id, or KNTP_TSKEY_XLEAVE and a slot), 0 for none
 * @xmt_set: the packet carries its transmit timestamp already (an
 *	interleaved answer): the sender leaves it
 * @xmt_even: an answer to a client: the lowest bit of the transmit
 *	timestamp is 0, that of the receive timestamp 1 (core/xleave.h)
 * @key: sign the packet with this key (under RCU), NULL for none; the MAC
 *	is computed after the transmit timestamp is written
 * @request: the skb of the request this answers, which the sender may make
 *	the answer's (it sets *@request NULL then); NULL for none
 */
struct kntp_xmit {
	struct kntp_sock *ks;
	const struct kntp_addr *dst;
	__be16 dport;
	struct kntp_addr src;
	u8 *pkt;
	size_t len;
	u32 tskey;
	bool xmt_set;
	bool xmt_even;
	const struct kntp_key *key;
	struct sk_buff **request;
	const struct kntp_l2 *l2;
};

int kntp_sock_send(struct kntp_xmit *xm, s64 *xmt_ns);

/* timestamp.c */
s64 kntp_rx_stamp(struct kntp_net *kn, const struct sk_buff *skb);
void kntp_tx_stamp_request(struct sk_buff *skb, u32 tskey);
void kntp_tx_stamp_collect(struct kntp_sock *ks);

/**
 * struct kntp_key - a symmetric key (kmod/auth.c); never changed once
 *	published, freed after a grace period
 * @id: key id, KNTP_KEY_ID_MIN..KNTP_KEY_ID_MAX
 * @type: enum kntp_key_type
 * @keyed: the digest takes the secret as its key (CMAC)
 * @digest_len: bytes of digest in an NTPv4 MAC
 * @full_len: bytes of the whole digest (what NTPv3 carries)
 * @secret_len: bytes of @secret
 * @fingerprint: what dumps show instead of the secret
 * @tfm: the digest
 * @secret: the secret
 */
struct kntp_key {
	u16 id;
	u8 type;
	bool keyed;
	u8 digest_len;
	u8 full_len;
	u8 secret_len;
	u8 fingerprint[KNTP_KEY_FINGERPRINT_LEN];
	struct crypto_shash *tfm;
	u8 secret[KNTP_KEY_SECRET_MAX];
};

/* auth.c */
void kntp_auth_init(struct kntp_net *kn);
void kntp_auth_exit(struct kntp_net *kn);
const struct kntp_key *kntp_key_lookup_rcu(struct kntp_net *kn, u32 id);
bool kntp_key_trusted(struct kntp_net *kn, u32 id);
size_t kntp_key_mac_len(const struct kntp_key *key, const u8 *pkt);
int kntp_auth_sign(const struct kntp_key *key, u8 *pkt, size_t len);
u8 kntp_auth_verify(struct kntp_net *kn, const u8 *pkt, size_t len,
		    const struct ntp_packet *r, const struct kntp_key **keyp);
enum kntp_stat kntp_auth_stat(u8 auth);
u8 kntp_auth_assoc(struct kntp_net *kn, u32 key_id, u8 auth,
		   const struct kntp_key *key);
int kntp_key_set(struct kntp_net *kn, u16 id, u8 type, const u8 *secret,
		 size_t len, struct netlink_ext_ack *extack);
int kntp_key_del(struct kntp_net *kn, u16 id);
int kntp_key_trust(struct kntp_net *kn, u16 first, u16 last, bool trust);
bool kntp_key_trusted_next(struct kntp_net *kn, u32 from, u32 *first,
			   u32 *last);

/* auth_nl.c */
int kntp_nl_key_set_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_nl_key_trust_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_nl_key_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kntp_nl_put_auth(struct sk_buff *skb, struct kntp_net *kn);
extern const struct nla_policy kntp_key_nl_policy[KNTP_A_KEY_MAX + 1];

/* proto.c */
/* A request taken at a device's ingress, answered out of it (ingress.c). */
struct kntp_l2 {
	struct net_device *dev;
	u8 peer[ETH_ALEN];
};

int kntp_proto_rcv(struct kntp_sock *ks, struct sk_buff *skb);
void kntp_proto_rcv_l2(struct kntp_sock *ks, struct sk_buff *skb,
		       const struct kntp_l2 *l2);

/* ingress.c */
extern const struct nla_policy kntp_ingress_nl_policy[KNTP_A_INGRESS_MAX + 1];
int kntp_nl_ingress_add_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_nl_ingress_del_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_ingress_fill(struct sk_buff *skb, struct kntp_net *kn);
void kntp_ingress_init(struct kntp_net *kn);
void kntp_ingress_exit(struct kntp_net *kn);
int kntp_ingress_module_init(void);
void kntp_ingress_module_exit(void);

/**
 * struct kntp_rx - a received packet, as the receive path hands it on
 * @ks: the socket it arrived on
 * @buf: the NTP packet as received (what a MAC covers)
 * @len: its length, bytes
 * @r: its decoding
 * @rx_ns: when it arrived, the instance's clock, Unix ns
 * @src: where it came from
 * @sport: the sender's port, network order
 * @local: the address it was sent to: answers come from it
 * @skb: the packet's skb, which an answer may take over (kntp_sock_send()
 *	sets it NULL when it does; kntp_proto_rcv() frees what is left).
 *	@buf lies in it: nothing reads @buf once an answer is sent
 */
struct kntp_rx {
	struct kntp_sock *ks;
	const u8 *buf;
	size_t len;
	struct ntp_packet r;
	s64 rx_ns;
	struct kntp_addr src;
	__be16 sport;
	struct kntp_addr local;
	struct sk_buff **skb;
	const struct kntp_l2 *l2;
};

/* server.c */
void kntp_server_reply(const struct kntp_rx *rx, u8 mode,
		       const struct kntp_key *key);
bool kntp_server_kiss(const struct kntp_rx *rx, u8 mode,
		      const char code[NTP_REFID_LEN]);
void kntp_vars_read(struct kntp_net *kn, s64 now_ns, struct ntp_sysvars *v);

/* poll.c */
void kntp_poll_init(struct kntp_assoc *assoc);
void kntp_poll_start(struct kntp_assoc *assoc);
void kntp_poll_stop(struct kntp_assoc *assoc);
void kntp_poll_phase(struct kntp_assoc *assoc, u8 sys_stratum, s64 rx_ns);

/* system.c */
void kntp_system_init(struct kntp_net *kn);
void kntp_system_new_clock(struct kntp_net *kn);
void kntp_system_start(struct kntp_net *kn);
void kntp_system_stop(struct kntp_net *kn);
void kntp_system_kick(struct kntp_net *kn);
void kntp_system_publish(struct kntp_net *kn);
void kntp_system_set_master(struct kntp_net *kn, u8 stratum);

/* clock.c */
void kntp_clock_module_init(void);
void kntp_clock_init(struct kntp_net *kn);
s64 kntp_clock_now(struct kntp_net *kn);
s64 kntp_clock_from_sys(struct kntp_net *kn, s64 sys_ns);
int kntp_clock_may_change(struct kntp_net *kn, u8 kind, bool cap_sys_time,
			  struct netlink_ext_ack *extack);
int kntp_clock_claim(struct kntp_net *kn, bool cap_sys_time,
		     struct netlink_ext_ack *extack);
void kntp_clock_release(struct kntp_net *kn);
u8 kntp_clock_control(struct kntp_net *kn);
void kntp_clock_check(struct kntp_net *kn);
s64 kntp_clock_apply(struct kntp_net *kn, const struct ntp_disc_action *a,
		     s64 now_ns);
s64 kntp_clock_slew_extra(struct kntp_net *kn);
void kntp_clock_state(struct kntp_net *kn, bool synced, u8 leap,
		      u64 maxerror_ns, u64 esterror_ns);
int kntp_clock_set_kind(struct kntp_net *kn, u8 kind, bool cap_sys_time,
			struct netlink_ext_ack *extack);
int kntp_clock_inject(struct kntp_net *kn, s64 offset_ns, s64 err_ppb,
		      bool set_err, struct netlink_ext_ack *extack);
s64 kntp_clock_error(struct kntp_net *kn, bool *valid);
const char *kntp_clock_note(const struct kntp_net *kn);

/**
 * struct kntp_event - a notification (KNTP_CMD_EVENT)
 * @type: enum kntp_event_type
 * @id: the association concerned, 0 none
 * @addr: its address, when @id is set
 * @stratum: KNTP_EVENT_STRATUM: the new stratum
 * @value_ns: KNTP_EVENT_STEP: the step; KNTP_EVENT_PANIC: the offset
 * @kiss: KNTP_EVENT_KOD: the kiss code
 */
struct kntp_event {
	u32 type;
	u32 id;
	struct kntp_addr addr;
	u8 stratum;
	s64 value_ns;
	u8 kiss[NTP_REFID_LEN];
};

/* An event about an association: its id and address (immutable). */
static inline void kntp_event_assoc(struct kntp_event *ev,
				    const struct kntp_assoc *assoc)
{
	ev->id = assoc->id;
	ev->addr = assoc->cfg.addr;
}

/**
 * struct kntp_rl_settings - rate limiting as configured (enum
 *	kntp_a_ratelimit)
 * @enabled: on
 * @cfg: the limits of each source
 * @table_size: records, a power of two
 * @prefix6: bits of an IPv6 source that name it
 */
struct kntp_rl_settings {
	bool enabled;
	struct ntp_rl_cfg cfg;
	u32 table_size;
	u8 prefix6;
};

/**
 * struct kntp_rl_change - a change of settings between prepare and commit
 * @table: the new table; NULL when turning off (or keeping)
 * @keep: the settings are those in force: nothing to do
 */
struct kntp_rl_change {
	struct kntp_rl_table *table;
	bool keep;
};

/* xleave.c */
int kntp_xleave_init(struct kntp_net *kn);
void kntp_xleave_exit(struct kntp_net *kn);
bool kntp_xleave_answer(struct kntp_net *kn, const struct kntp_rx *rx,
			struct ntp_packet *r, u32 *tskey);
void kntp_xleave_tx(struct kntp_net *kn, u32 tskey, s64 tx_ns, bool driver);

/* ratelimit.c */
int kntp_ratelimit_parse(const struct nlattr *nest,
			 struct kntp_rl_settings *s,
			 struct netlink_ext_ack *extack);
int kntp_ratelimit_prepare(struct kntp_net *kn,
			   const struct kntp_rl_settings *s,
			   struct kntp_rl_change *change,
			   struct netlink_ext_ack *extack);
void kntp_ratelimit_commit(struct kntp_net *kn, struct kntp_rl_change *change);
void kntp_ratelimit_abort(struct kntp_rl_change *change);
void kntp_ratelimit_exit(struct kntp_net *kn);
enum ntp_rl_verdict kntp_ratelimit(struct kntp_net *kn,
				   const struct kntp_addr *src,
				   struct ntp_rl_cfg *cfg);
int kntp_ratelimit_fill(struct sk_buff *skb, struct kntp_net *kn);

/* netlink.c */
void *kntp_nl_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd);
int kntp_nl_init(void);
void kntp_nl_exit(void);
void kntp_nl_event(struct kntp_net *kn, const struct kntp_event *ev);

/* acl.c */
extern const struct nla_policy kntp_acl_nl_policy[KNTP_A_ACL_MAX + 1];
extern const struct nla_policy kntp_access_nl_policy[KNTP_A_ACCESS_MAX + 1];
void kntp_acl_init(struct kntp_net *kn);
void kntp_acl_exit(struct kntp_net *kn);
int kntp_nl_acl_set_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_nl_acl_del_doit(struct sk_buff *skb, struct genl_info *info);
int kntp_acl_put_list(struct sk_buff *skb, struct kntp_net *kn,
		      unsigned long idx);
int kntp_acl_put_status(struct sk_buff *skb, struct kntp_net *kn);
int kntp_acl_access_prepare(struct kntp_net *kn, const struct nlattr *nest,
			    struct kntp_acl_change *ch,
			    struct netlink_ext_ack *extack);
void kntp_acl_access_commit(struct kntp_net *kn, struct kntp_acl_change *ch);
void kntp_acl_access_abort(struct kntp_acl_change *ch);
bool kntp_acl_refused(struct kntp_net *kn, const struct kntp_addr *src,
		      unsigned int need, bool *kod);

/* instance.c */
extern const struct nla_policy kntp_instance_nl_policy[KNTP_A_INSTANCE_MAX + 1];
int kntp_nl_instance_set_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _KNTP_H */
