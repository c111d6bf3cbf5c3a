/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kntp: NTPv4 (RFC 5905) in the Linux kernel.
 *
 * This header is the one contract between the kntp module and its tool. The
 * module registers the generic netlink family KNTP_GENL_NAME. Each network
 * namespace has its own kntp instance; every command acts on the instance of
 * the namespace of the requesting socket.
 *
 * Commands
 * --------
 *
 * KNTP_CMD_ASSOC_ADD (needs CAP_NET_ADMIN over the namespace)
 *   Mobilise an association. Request: one KNTP_A_ASSOC nest holding
 *     KNTP_A_ASSOC_ADDR4 or KNTP_A_ASSOC_ADDR6        (required, exactly one)
 *     KNTP_A_ASSOC_KIND                               (required)
 *     KNTP_A_ASSOC_VERSION, _MINPOLL, _MAXPOLL, _FLAGS (optional)
 *   An association for the same address must not exist (-EEXIST).
 *   Reply: none (the ack carries the status).
 *
 * KNTP_CMD_ASSOC_DEL (needs CAP_NET_ADMIN over the namespace)
 *   Demobilise the association of an address. Request: one KNTP_A_ASSOC nest
 *   holding the address and, optionally, KNTP_A_ASSOC_KIND; when the kind is
 *   given it must match the association's (-ENOENT otherwise).
 *
 * KNTP_CMD_ASSOC_GET (open to all)
 *   doit: the association of one address (request as for DEL, without kind).
 *   dumpit (NLM_F_DUMP): every association of the instance, one message each.
 *   Reply: one KNTP_A_ASSOC nest with every attribute below that applies.
 *   What an off-path attacker would need to forge answers (LOCAL_PORT, XMT,
 *   TX_STAMP, ORG_TS, REC_TS, XMT_TS) is sent only to requesters with
 *   CAP_NET_ADMIN over the namespace.
 *
 * KNTP_CMD_STATUS_GET (open to all)
 *   The instance's system variables and counters. Reply: one KNTP_A_STATUS
 *   nest.
 *
 * KNTP_CMD_INSTANCE_SET (needs CAP_NET_ADMIN over the namespace)
 *   Change the instance's settings. Request: one KNTP_A_INSTANCE nest with
 *   the settings to change; absent ones keep their value. Enabling opens
 *   the instance's UDP sockets on port 123 (IPv4 and IPv6) and starts the
 *   associations; it fails with -EADDRINUSE when another socket (chronyd,
 *   ntpd) holds the port. Disabling closes the sockets and stops every
 *   timer; the associations stay configured and restart with the next
 *   enable. Adding an association or setting a master stratum (not 0)
 *   enables a disabled instance. ENABLED 0 with a MASTER other than 0 in
 *   the same request is refused (-EINVAL). Reply: none (the ack).
 *
 * KNTP_CMD_EVENT (never a request)
 *   A notification to the multicast group KNTP_GENL_MCGRP_EVENTS, sent to
 *   listeners in the instance's namespace: one KNTP_A_EVENT nest.
 *
 * KNTP_CMD_KEY_SET (needs CAP_NET_ADMIN over the namespace)
 *   Add or replace a symmetric key (RFC 5905 sec. 7.3 MAC, RFC 8573).
 *   Request: one KNTP_A_KEY nest holding KNTP_A_KEY_ID, KNTP_A_KEY_TYPE and
 *   KNTP_A_KEY_SECRET (all required). Router: "ntp authentication-key".
 *
 * KNTP_CMD_KEY_DEL (needs CAP_NET_ADMIN over the namespace)
 *   Remove a key: KNTP_A_KEY nest holding KNTP_A_KEY_ID (-ENOENT if none).
 *
 * KNTP_CMD_KEY_TRUST (needs CAP_NET_ADMIN over the namespace)
 *   Trust or stop trusting the key ids KNTP_A_KEY_ID..KNTP_A_KEY_ID_LAST
 *   (LAST absent: ID alone): KNTP_A_KEY_TRUSTED 1 or 0. Ids may be trusted
 *   before their keys exist. Router: "[no] ntp trusted-key N[-M]".
 *
 * KNTP_CMD_KEY_GET (needs CAP_NET_ADMIN over the namespace)
 *   dumpit: every key, one KNTP_A_KEY nest each, with ID, TYPE, TRUSTED and
 *   FINGERPRINT; the secret itself never leaves the kernel.
 *
 * KNTP_CMD_ACL_SET (needs CAP_NET_ADMIN over the namespace)
 *   Define an access list or add to it (the lists "ntp access-group"
 *   names). Request: one KNTP_A_ACL nest holding KNTP_A_ACL_FAMILY and
 *   KNTP_A_ACL_NAME (required) and any number of KNTP_A_ACL_ENTRY nests,
 *   appended in order to the list (created when missing, possibly empty);
 *   with KNTP_A_ACL_REPLACE 1 they replace its entries instead. Limits:
 *   KNTP_ACL_ENTRIES_MAX entries a list, KNTP_ACL_LISTS_MAX lists (-ENOSPC).
 *   Router: "access-list N permit|deny ...", "ipv6 access-list NAME".
 *
 * KNTP_CMD_ACL_DEL (needs CAP_NET_ADMIN over the namespace)
 *   Remove a whole list: KNTP_A_ACL nest holding FAMILY and NAME (-ENOENT
 *   if none). Access groups naming it stay, and then match nothing.
 *   Router: "no access-list N", "no ipv6 access-list NAME".
 *
 * KNTP_CMD_ACL_GET (open to all)
 *   dumpit: every list, one KNTP_A_ACL nest each (FAMILY, NAME, the
 *   ENTRY nests in order of evaluation).
 *
 * KNTP_CMD_INGRESS_ADD (needs CAP_NET_ADMIN over the namespace)
 *   Answer requests at a device's ingress: KNTP_A_INGRESS nest holding
 *   KNTP_A_INGRESS_IFINDEX, an Ethernet device of the namespace (-ENODEV,
 *   -EOPNOTSUPP, -EEXIST, -ENOSPC beyond KNTP_INGRESS_DEVICES_MAX). Client
 *   requests (mode 3) to port 123 of an address of that device are handled
 *   before the IP layer and answered out of the device to the sender's link address,
 *   unrouted: no netfilter input or output, no routing policy, no reverse
 *   path filter; the access groups, rate limiting and authentication
 *   apply as always. Until the device goes. Router: "ntp serve ingress
 *   IFNAME".
 *
 * KNTP_CMD_INGRESS_DEL (needs CAP_NET_ADMIN over the namespace)
 *   Stop: KNTP_A_INGRESS nest holding KNTP_A_INGRESS_IFINDEX (-ENOENT if
 *   not answering there). Router: "no ntp serve ingress IFNAME".
 *
 * On an instance on the system clock, ACL_SET, ACL_DEL and the access
 * groups of INSTANCE_SET also need CAP_SYS_TIME (see below): the peer
 * group decides which sources may steer the clock.
 *
 * The system clock: on an instance whose clock is (or is to become)
 * KNTP_CLOCK_SYSTEM, ASSOC_ADD, ASSOC_DEL and INSTANCE_SET also need
 * CAP_SYS_TIME in the initial user namespace (-EPERM otherwise): each of
 * them can change what the kernel's clock does.
 *
 * Errors are a negative errno in the netlink ack plus an extended ack
 * message, and, where one attribute is at fault, its offset (NLMSGERR_ATTR_OFFS)
 * or the missing attribute (NLMSGERR_ATTR_MISS_TYPE). A failed request changes
 * no state.
 */
#ifndef _UAPI_LINUX_KNTP_H
#define _UAPI_LINUX_KNTP_H

#define KNTP_GENL_NAME		"kntp"
#define KNTP_GENL_VERSION	1
#define KNTP_GENL_MCGRP_EVENTS	"events"

/* Defaults and limits of the association settings (RFC 5905 sec. 7.2). */
#define KNTP_VERSION_MIN	3	/* NTPv3 peers are still answered */
#define KNTP_VERSION_MAX	4	/* NTPv4, RFC 5905 */
#define KNTP_VERSION_DEFAULT	4
#define KNTP_POLL_MIN		(-4)	/* log2 s: 1/16 s, for test beds */
#define KNTP_POLL_MAX		17	/* log2 s: MAXPOLL, 36.4 h, sec. 7.2 */
#define KNTP_MINPOLL_DEFAULT	6	/* log2 s: 64 s, sec. 7.2 MINPOLL */
#define KNTP_MAXPOLL_DEFAULT	10	/* log2 s: 1024 s */
#define KNTP_ASSOC_LIMIT	256	/* associations an instance holds */
#define KNTP_MAXSTRAT		16	/* RFC 5905 sec. 7.3: unsynchronised */

/**
 * enum kntp_leap - leap indicator, RFC 5905 sec. 7.3 (KNTP_A_ASSOC_LEAP,
 *	KNTP_A_STATUS_LEAP)
 * @KNTP_LEAP_NONE: no warning
 * @KNTP_LEAP_ADD: the last minute of the day has 61 s
 * @KNTP_LEAP_DEL: the last minute of the day has 59 s
 * @KNTP_LEAP_UNSYNC: alarm condition: the clock is unsynchronised
 */
enum kntp_leap {
	KNTP_LEAP_NONE,
	KNTP_LEAP_ADD,
	KNTP_LEAP_DEL,
	KNTP_LEAP_UNSYNC,
};

/**
 * enum kntp_mode - association mode of a packet, RFC 5905 sec. 7.3
 *	(KNTP_A_ASSOC_PMODE)
 * @KNTP_MODE_ACTIVE: symmetric active
 * @KNTP_MODE_PASSIVE: symmetric passive
 * @KNTP_MODE_CLIENT: client
 * @KNTP_MODE_SERVER: server
 * @KNTP_MODE_BROADCAST: broadcast
 */
enum kntp_mode {
	KNTP_MODE_ACTIVE = 1,
	KNTP_MODE_PASSIVE,
	KNTP_MODE_CLIENT,
	KNTP_MODE_SERVER,
	KNTP_MODE_BROADCAST,
};

enum kntp_cmd {
	KNTP_CMD_UNSPEC,
	KNTP_CMD_ASSOC_ADD,
	KNTP_CMD_ASSOC_DEL,
	KNTP_CMD_ASSOC_GET,
	KNTP_CMD_STATUS_GET,
	KNTP_CMD_INSTANCE_SET,
	KNTP_CMD_EVENT,
	KNTP_CMD_KEY_SET,
	KNTP_CMD_KEY_DEL,
	KNTP_CMD_KEY_TRUST,
	KNTP_CMD_KEY_GET,
	KNTP_CMD_ACL_SET,
	KNTP_CMD_ACL_DEL,
	KNTP_CMD_ACL_GET,
	KNTP_CMD_INGRESS_ADD,
	KNTP_CMD_INGRESS_DEL,

	__KNTP_CMD_MAX,
	KNTP_CMD_MAX = __KNTP_CMD_MAX - 1
};

/**
 * enum kntp_assoc_kind - what an association talks to
 * @KNTP_ASSOC_KIND_SERVER: an upstream server; we send client mode 3 and
 *	accept server mode 4 (router: "ntp server ADDR").
 * @KNTP_ASSOC_KIND_PEER: a symmetric peer; we send symmetric active mode 1
 *	and accept mode 1 and 2 (router: "ntp peer ADDR").
 */
enum kntp_assoc_kind {
	KNTP_ASSOC_KIND_SERVER = 1,
	KNTP_ASSOC_KIND_PEER,

	__KNTP_ASSOC_KIND_MAX,
	KNTP_ASSOC_KIND_MAX = __KNTP_ASSOC_KIND_MAX - 1
};

/**
 * enum kntp_assoc_flags - association options (KNTP_A_ASSOC_FLAGS)
 * @KNTP_ASSOC_F_IBURST: send a burst of packets when the association starts
 *	and while it is unreachable, so that it is usable within seconds.
 * @KNTP_ASSOC_F_PREFER: prefer this source when it survives selection.
 * @KNTP_ASSOC_F_XLEAVE: interleaved mode (RFC 9769, chrony's "xleave"): the
 *	remote side sends, with its next packet, the transmit timestamp of its
 *	last one as taken when that left. A server answers it unasked; a
 *	symmetric peer must be configured for it too.
 * @__KNTP_ASSOC_F_ALL: every defined flag; other bits are rejected.
 */
enum kntp_assoc_flags {
	KNTP_ASSOC_F_IBURST = 1U << 0,
	KNTP_ASSOC_F_PREFER = 1U << 1,
	KNTP_ASSOC_F_XLEAVE = 1U << 2,

	__KNTP_ASSOC_F_ALL = KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER |
			     KNTP_ASSOC_F_XLEAVE,
};

/**
 * enum kntp_assoc_state - conditions of an association (KNTP_A_ASSOC_STATE)
 * @KNTP_ASSOC_S_DENIED: the server sent a DENY or RSTR kiss-o'-death
 *	(RFC 5905 sec. 7.4): we stopped polling it. Delete and add the
 *	association to try again.
 * @KNTP_ASSOC_S_RATE: the last packet was a RATE kiss-o'-death; the poll
 *	interval was raised.
 * @KNTP_ASSOC_S_XLEAVE_BASIC: configured for interleaved mode, but the
 *	remote side answers in basic mode only (a server without it, or a peer
 *	not configured for it); its basic answers are used.
 * @KNTP_ASSOC_S_XLEAVE_PEER: not configured for interleaved mode, but the
 *	symmetric peer sends interleaved packets (configured on its side
 *	only); they cannot be used.
 */
enum kntp_assoc_state {
	KNTP_ASSOC_S_DENIED = 1U << 0,
	KNTP_ASSOC_S_RATE = 1U << 1,
	KNTP_ASSOC_S_XLEAVE_BASIC = 1U << 2,
	KNTP_ASSOC_S_XLEAVE_PEER = 1U << 3,
};

/**
 * enum kntp_tally - selection's verdict on an association (RFC 5905 sec.
 * 11.2), with the character routers show for it
 * @KNTP_TALLY_REJECT: ' ' not selectable (see enum kntp_reject)
 * @KNTP_TALLY_FALSETICKER: 'x' outside the intersection of the others
 * @KNTP_TALLY_OUTLIER: '-' discarded by clustering
 * @KNTP_TALLY_BACKUP: '#' selected, but not combined (too many)
 * @KNTP_TALLY_CANDIDATE: '+' selected and combined
 * @KNTP_TALLY_SYSPEER: '*' the system peer
 */
enum kntp_tally {
	KNTP_TALLY_REJECT = 1,
	KNTP_TALLY_FALSETICKER,
	KNTP_TALLY_OUTLIER,
	KNTP_TALLY_BACKUP,
	KNTP_TALLY_CANDIDATE,
	KNTP_TALLY_SYSPEER,
};

/**
 * enum kntp_reject - why an association is not selectable
 * @KNTP_REJECT_NOSAMPLE: no sample yet
 * @KNTP_REJECT_UNREACH: the last 3 polls went unanswered
 * @KNTP_REJECT_UNSYNC: the source is unsynchronised (leap 3, stratum 16)
 * @KNTP_REJECT_DISTANCE: root distance above 1 s plus a poll of PHI
 * @KNTP_REJECT_LOOP: the source is synchronised to us (its reference ID
 *	is one of our addresses)
 */
enum kntp_reject {
	KNTP_REJECT_NOSAMPLE = 1,
	KNTP_REJECT_UNREACH,
	KNTP_REJECT_UNSYNC,
	KNTP_REJECT_DISTANCE,
	KNTP_REJECT_LOOP,
};

/**
 * enum kntp_clock_kind - the clock an instance disciplines
 * @KNTP_CLOCK_SYSTEM: the kernel's own clock (CLOCK_REALTIME), through the
 *	adjtimex machinery. One instance at most owns it; owning it needs
 *	CAP_SYS_TIME in the initial user namespace. The default of the
 *	initial network namespace.
 * @KNTP_CLOCK_VIRTUAL: a clock of the instance's own: the system clock plus
 *	an offset and a frequency of its own, which can be given an error
 *	(KNTP_A_INSTANCE_INJECT_*). The default of other namespaces.
 */
enum kntp_clock_kind {
	KNTP_CLOCK_SYSTEM = 1,
	KNTP_CLOCK_VIRTUAL,
};

/**
 * enum kntp_disc_state - the clock discipline's state
 * @KNTP_DISC_NSET: no clock update yet
 * @KNTP_DISC_SYNC: tracking
 * @KNTP_DISC_SPIKE: the offset is above the step threshold: waiting for
 *	the stepout before stepping
 * @KNTP_DISC_PANIC: the last offset was above the panic threshold: refused,
 *	the clock is left alone and the instance is unsynchronised
 * @KNTP_DISC_FREE: the clock runs free: it can only be stepped (offsets
 *	above the step threshold), never slewed, and no frequency is learnt
 *	(the system clock without the adjtimex machinery)
 * @KNTP_DISC_HANDS_OFF: the clock is not ours to steer (another process
 *	adjusted the system clock while we owned it): nothing is applied and
 *	the instance is unsynchronised
 */
enum kntp_disc_state {
	KNTP_DISC_NSET = 1,
	KNTP_DISC_SYNC,
	KNTP_DISC_SPIKE,
	KNTP_DISC_PANIC,
	KNTP_DISC_FREE,
	KNTP_DISC_HANDS_OFF,
};

/**
 * enum kntp_stat - counters (KNTP_A_ASSOC_STATS, KNTP_A_STATUS_STATS)
 *
 * Each is a u64 that only grows; every counter the kernel knows is sent,
 * zero or not, so an absent counter is one this kernel does not have.
 * Inside the nest, attribute type 0 (KNTP_STAT_UNSPEC) is padding. The
 * packet-test counters (RFC 5905 sec. 8), RX, TX, TX_ERR and TX_STAMP are
 * also kept per association; the instance's count includes those of
 * associations since deleted.
 *
 * @KNTP_STAT_RX: NTP packets received (also per association).
 * @KNTP_STAT_TX: NTP packets sent (also per association).
 * @KNTP_STAT_TX_ERR: packets that could not be sent: no route, no memory
 *	(also per association).
 * @KNTP_STAT_RX_STAMP_SKB: receive timestamps taken from the skb, stamped by
 *	the stack (software) or the device when it arrived.
 * @KNTP_STAT_RX_STAMP_LATE: packets whose skb had no timestamp, so the clock
 *	was read in our receive hook instead.
 * @KNTP_STAT_RX_STAMP_HW: packets that also carried a hardware timestamp
 *	(not used yet: it is in the device's clock, not the system's).
 * @KNTP_STAT_TX_STAMP: transmit timestamps reported back by the stack.
 * @KNTP_STAT_DROP_SHORT: shorter than the 48-byte header.
 * @KNTP_STAT_DROP_VERSION: version 0 or above 4.
 * @KNTP_STAT_DROP_EXT_LENGTH: an extension field with a bad length.
 * @KNTP_STAT_DROP_TRAILER: bytes after the header that are neither an
 *	extension field nor a MAC.
 * @KNTP_STAT_DROP_TOO_LONG: longer than we accept.
 * @KNTP_STAT_DROP_MAC: no longer counted (before authentication existed,
 *	packets with a MAC were dropped under it); see KNTP_STAT_AUTH_*.
 * @KNTP_STAT_DROP_MODE: mode 0, or a mode this socket or association does
 *	not take (RFC 5905 sec. 9, Fig. 20).
 * @KNTP_STAT_DROP_BROADCAST: mode 5 (broadcast), not supported.
 * @KNTP_STAT_DROP_CONTROL: mode 6 (control), never answered.
 * @KNTP_STAT_DROP_PRIVATE: mode 7 (private), never answered.
 * @KNTP_STAT_DROP_NO_ASSOC: mode 2 or 4 from an address we do not poll.
 * @KNTP_STAT_REPLY_SERVER: mode 4 replies sent to clients.
 * @KNTP_STAT_REPLY_PASSIVE: stateless mode 2 replies sent to unconfigured
 *	symmetric active peers.
 * @KNTP_STAT_DROP_DUP: packet test 1: duplicate (transmit timestamp seen).
 * @KNTP_STAT_DROP_BOGUS: packet test 2: origin timestamp is not our last
 *	transmit timestamp.
 * @KNTP_STAT_DROP_INVALID: packet test 3: zero timestamps (the sender has
 *	not heard from us yet, or the packet is malformed).
 * @KNTP_STAT_DROP_UNSYNC: sender unsynchronised: leap 3 or stratum 16.
 * @KNTP_STAT_DROP_DISTANCE: root distance of the sender too large, or its
 *	reference time after its transmit time.
 * @KNTP_STAT_KOD_RATE: RATE kiss-o'-death received: poll backed off.
 * @KNTP_STAT_KOD_DENY: DENY or RSTR kiss-o'-death: association stopped.
 * @KNTP_STAT_SAMPLES: samples handed to the clock filter.
 * @KNTP_STAT_DROP_NOT_UNICAST: sent to a multicast or broadcast address:
 *	never answered (one packet must not draw a reply from every host).
 * @KNTP_STAT_AUTH_OK: packets whose MAC was valid with a key we hold
 *	(also per association).
 * @KNTP_STAT_AUTH_MISSING: dropped: no MAC where one is required (an
 *	association with a key, or any association under "ntp authenticate").
 * @KNTP_STAT_AUTH_UNKNOWN_KEY: dropped: a MAC with a key id we do not hold.
 * @KNTP_STAT_AUTH_UNTRUSTED: dropped: a valid MAC with a key that is not
 *	trusted ("ntp trusted-key").
 * @KNTP_STAT_AUTH_BAD_LENGTH: dropped: the MAC's length is not that of its
 *	key's digest (a truncated MAC).
 * @KNTP_STAT_AUTH_BAD_MAC: dropped: the digest does not match (wrong secret,
 *	or the packet was changed on the way).
 * @KNTP_STAT_AUTH_WRONG_KEY: dropped: a valid MAC with a trusted key, but
 *	not the key configured on the association.
 * @KNTP_STAT_AUTH_NAK: dropped: a crypto-NAK (a MAC of a key id alone, RFC
 *	5905 sec. 7.4): the remote side could not authenticate our packet.
 * @KNTP_STAT_REPLY_AUTH: replies (mode 4 or 2) sent with a MAC.
 * @KNTP_STAT_TX_NO_KEY: an association's packet not sent: its key is not
 *	configured (also per association).
 * @KNTP_STAT_DROP_ACCESS: dropped: the source is not granted this kind of
 *	access by "ntp access-group" (also per association).
 * @KNTP_STAT_KOD_DENY_SENT: DENY kiss-o'-death sent to a refused source
 *	("ntp access-group ... kod").
 * @KNTP_STAT_RATE_LIMITED: requests not answered: their source is over its
 *	rate limit ("ntp ratelimit").
 * @KNTP_STAT_RATE_KOD_SENT: RATE kiss-o'-death sent instead of an answer.
 * @KNTP_STAT_RATE_LEAKED: requests answered although over the limit (the
 *	"leak" that keeps a spoofed flood from shutting a client out).
 * @KNTP_STAT_RATE_EVICT: rate-limit records reused for a new source while
 *	their old source was still being tracked (the table was full).
 * @KNTP_STAT_DROP_DELAY: a sample not used: its delay was negative beyond
 *	the two clocks' precisions (a clock stepped or slewed hard meanwhile).
 * @KNTP_STAT_SAMPLE_TX_STAMP: samples whose T1 is the stack's transmit
 *	timestamp of our packet (taken by the driver), not the time written
 *	into it before it was sent (also per association).
 * @KNTP_STAT_SAMPLE_INTERLEAVED: samples from interleaved answers: the
 *	exchange before, with the server's transmit timestamp taken as its
 *	answer left (also per association).
 * @KNTP_STAT_XLEAVE_SPENT: interleaved answers that made no sample: the
 *	exchange they complete was a basic sample already, or is not known
 *	(also per association).
 * @KNTP_STAT_REPLY_INTERLEAVED: answers sent in interleaved mode: with the
 *	transmit timestamp of our answer before to the same client.
 * @KNTP_STAT_REPLY_XLEAVE_BASIC: requests in interleaved form answered in
 *	basic mode: the answer they name was not kept (the client's first,
 *	forgotten, given out already, or to another address).
 * @KNTP_STAT_DROP_XLEAVE_PEER: dropped: an interleaved packet from a
 *	symmetric peer, and we are not configured for interleaved mode (also
 *	per association).
 */
enum kntp_stat {
	KNTP_STAT_UNSPEC,
	KNTP_STAT_RX,
	KNTP_STAT_TX,
	KNTP_STAT_TX_ERR,
	KNTP_STAT_RX_STAMP_SKB,
	KNTP_STAT_RX_STAMP_LATE,
	KNTP_STAT_RX_STAMP_HW,
	KNTP_STAT_TX_STAMP,
	KNTP_STAT_DROP_SHORT,
	KNTP_STAT_DROP_VERSION,
	KNTP_STAT_DROP_EXT_LENGTH,
	KNTP_STAT_DROP_TRAILER,
	KNTP_STAT_DROP_TOO_LONG,
	KNTP_STAT_DROP_MAC,
	KNTP_STAT_DROP_MODE,
	KNTP_STAT_DROP_BROADCAST,
	KNTP_STAT_DROP_CONTROL,
	KNTP_STAT_DROP_PRIVATE,
	KNTP_STAT_DROP_NO_ASSOC,
	KNTP_STAT_REPLY_SERVER,
	KNTP_STAT_REPLY_PASSIVE,
	KNTP_STAT_DROP_DUP,
	KNTP_STAT_DROP_BOGUS,
	KNTP_STAT_DROP_INVALID,
	KNTP_STAT_DROP_UNSYNC,
	KNTP_STAT_DROP_DISTANCE,
	KNTP_STAT_KOD_RATE,
	KNTP_STAT_KOD_DENY,
	KNTP_STAT_SAMPLES,
	KNTP_STAT_DROP_NOT_UNICAST,
	KNTP_STAT_AUTH_OK,
	KNTP_STAT_AUTH_MISSING,
	KNTP_STAT_AUTH_UNKNOWN_KEY,
	KNTP_STAT_AUTH_UNTRUSTED,
	KNTP_STAT_AUTH_BAD_LENGTH,
	KNTP_STAT_AUTH_BAD_MAC,
	KNTP_STAT_AUTH_WRONG_KEY,
	KNTP_STAT_AUTH_NAK,
	KNTP_STAT_REPLY_AUTH,
	KNTP_STAT_TX_NO_KEY,
	KNTP_STAT_DROP_ACCESS,
	KNTP_STAT_KOD_DENY_SENT,
	KNTP_STAT_RATE_LIMITED,
	KNTP_STAT_RATE_KOD_SENT,
	KNTP_STAT_RATE_LEAKED,
	KNTP_STAT_RATE_EVICT,
	KNTP_STAT_DROP_DELAY,
	KNTP_STAT_SAMPLE_TX_STAMP,
	KNTP_STAT_SAMPLE_INTERLEAVED,
	KNTP_STAT_XLEAVE_SPENT,
	KNTP_STAT_REPLY_INTERLEAVED,
	KNTP_STAT_REPLY_XLEAVE_BASIC,
	KNTP_STAT_DROP_XLEAVE_PEER,

	__KNTP_STAT_MAX,
	KNTP_STAT_MAX = __KNTP_STAT_MAX - 1
};

/* Top-level attributes. */
enum kntp_a {
	KNTP_A_UNSPEC,
	KNTP_A_ASSOC,		/* nest: enum kntp_a_assoc */
	KNTP_A_STATUS,		/* nest: enum kntp_a_status */
	KNTP_A_INSTANCE,	/* nest: enum kntp_a_instance */
	KNTP_A_EVENT,		/* nest: enum kntp_a_event */
	KNTP_A_KEY,		/* nest: enum kntp_a_key */
	KNTP_A_ACL,		/* nest: enum kntp_a_acl */
	KNTP_A_INGRESS,		/* nest: enum kntp_a_ingress */

	__KNTP_A_MAX,
	KNTP_A_MAX = __KNTP_A_MAX - 1
};

/**
 * enum kntp_a_assoc - attributes of an association (inside KNTP_A_ASSOC)
 * @KNTP_A_ASSOC_ID: u32, read only. Association identifier, unique within
 *	the instance for its lifetime, never 0.
 * @KNTP_A_ASSOC_ADDR4: binary, 4 bytes, network order. IPv4 address of the
 *	remote side. Exactly one of ADDR4 and ADDR6 is given.
 * @KNTP_A_ASSOC_ADDR6: binary, 16 bytes, network order. IPv6 address.
 * @KNTP_A_ASSOC_KIND: u8, enum kntp_assoc_kind.
 * @KNTP_A_ASSOC_VERSION: u8, NTP version we send, KNTP_VERSION_MIN..MAX;
 *	absent means KNTP_VERSION_DEFAULT.
 * @KNTP_A_ASSOC_MINPOLL: s8, log2 seconds, KNTP_POLL_MIN..KNTP_POLL_MAX;
 *	absent means KNTP_MINPOLL_DEFAULT, or MAXPOLL when only a smaller
 *	MAXPOLL is given.
 * @KNTP_A_ASSOC_MAXPOLL: s8, log2 seconds, KNTP_POLL_MIN..KNTP_POLL_MAX,
 *	not below MINPOLL; absent means KNTP_MAXPOLL_DEFAULT, or MINPOLL when
 *	only a larger MINPOLL is given.
 * @KNTP_A_ASSOC_FLAGS: u32, enum kntp_assoc_flags; absent means 0.
 * @KNTP_A_ASSOC_STRATUM: u8, read only. Stratum the remote side last
 *	reported, KNTP_MAXSTRAT while nothing valid was received.
 * @KNTP_A_ASSOC_REFID: binary, 4 bytes, read only. Reference ID the remote
 *	side last reported, or a kiss code (ASCII, e.g. "INIT") while none.
 * @KNTP_A_ASSOC_REACH: u8, read only. Reach shift register, RFC 5905
 *	sec. 13: bit 0 is the latest poll, set when it was answered.
 * @KNTP_A_ASSOC_POLL: s8, read only. Current poll interval, log2 seconds.
 * @KNTP_A_ASSOC_LEAP: u8, read only, enum kntp_leap: the leap indicator
 *	the remote side last reported, KNTP_LEAP_UNSYNC until then.
 * @KNTP_A_ASSOC_PPOLL: s8, read only. Poll interval the remote side last
 *	reported, log2 seconds.
 * @KNTP_A_ASSOC_PRECISION: s8, read only. Precision the remote side last
 *	reported, log2 seconds.
 * @KNTP_A_ASSOC_ROOT_DELAY: u64, read only, nanoseconds. Root delay the
 *	remote side last reported.
 * @KNTP_A_ASSOC_ROOT_DISP: u64, read only, nanoseconds. Root dispersion the
 *	remote side last reported.
 * @KNTP_A_ASSOC_RX_AGE: u32, read only, milliseconds since the last packet
 *	that passed the packet tests 1-3, saturating at U32_MAX (49.7 days);
 *	absent while there was none.
 * @KNTP_A_ASSOC_OFFSET: s64, read only, nanoseconds. Clock filter offset
 *	(RFC 5905 sec. 10): remote clock minus ours, as measured (the sample
 *	the filter picked). Absent without a sample.
 * @KNTP_A_ASSOC_DELAY: s64, read only, nanoseconds. Clock filter round-trip
 *	delay. Absent without a sample.
 * @KNTP_A_ASSOC_DISP: u64, read only, nanoseconds. Peer dispersion, grown
 *	to now; 16 s (MAXDISP) without a sample.
 * @KNTP_A_ASSOC_JITTER: u64, read only, nanoseconds. Peer jitter.
 * @KNTP_A_ASSOC_STATE: u32, read only, enum kntp_assoc_state.
 * @KNTP_A_ASSOC_LOCAL_PORT: u16, read only. Our UDP port for this
 *	association: 123 for peers, a random ephemeral port for servers
 *	(RFC 9109). Absent while the instance is disabled.
 * @KNTP_A_ASSOC_XMT: s64, read only, nanoseconds since the Unix epoch. The
 *	transmit timestamp written into our last packet. Absent before one.
 * @KNTP_A_ASSOC_TX_STAMP: s64, read only, nanoseconds since the Unix epoch.
 *	The kernel's transmit timestamp of our last packet (from the device
 *	driver), when one was reported. Absent otherwise.
 * @KNTP_A_ASSOC_STATS: nest, read only: enum kntp_stat, each a u64.
 * @KNTP_A_ASSOC_PAD: padding for 64-bit attributes; ignore it.
 * @KNTP_A_ASSOC_TALLY: u8, read only, enum kntp_tally: what the last
 *	selection made of it.
 * @KNTP_A_ASSOC_REJECT: u8, read only, enum kntp_reject: why it is not
 *	selectable; absent when it is.
 * @KNTP_A_ASSOC_ROOT_DIST: u64, read only, nanoseconds: the root distance
 *	(synchronisation distance) of the last selection.
 * @KNTP_A_ASSOC_PMODE: u8, read only, enum kntp_mode: the mode of the
 *	remote side's last packet.
 * @KNTP_A_ASSOC_ORG_TS: u64, read only, NTP timestamp format: the remote
 *	side's last transmit timestamp (echoed as our next origin).
 * @KNTP_A_ASSOC_REC_TS: u64, read only, NTP timestamp format: when we
 *	received it.
 * @KNTP_A_ASSOC_XMT_TS: u64, read only, NTP timestamp format: our last
 *	transmit timestamp.
 * @KNTP_A_ASSOC_FILTER: nest, read only: the clock filter's stages (RFC
 *	5905 sec. 10), newest first: KNTP_A_ASSOC_FILTER_STAGE each, a nest
 *	of enum kntp_a_stage.
 * @KNTP_A_ASSOC_KEY: u16, the key id (1..65535) the association's packets
 *	are signed with and must be authenticated with; absent: none.
 *	Router: "ntp server ADDR key N".
 * @KNTP_A_ASSOC_AUTH: u8, read only, enum kntp_auth: the authentication of
 *	the last packet received from it.
 * @KNTP_A_ASSOC_RESIDUAL: s64, read only, nanoseconds. That offset net of
 *	the corrections made to our clock since it was measured: what the
 *	selection works with. Absent without a sample.
 */
enum kntp_a_assoc {
	KNTP_A_ASSOC_UNSPEC,
	KNTP_A_ASSOC_ID,
	KNTP_A_ASSOC_ADDR4,
	KNTP_A_ASSOC_ADDR6,
	KNTP_A_ASSOC_KIND,
	KNTP_A_ASSOC_VERSION,
	KNTP_A_ASSOC_MINPOLL,
	KNTP_A_ASSOC_MAXPOLL,
	KNTP_A_ASSOC_FLAGS,
	KNTP_A_ASSOC_STRATUM,
	KNTP_A_ASSOC_REFID,
	KNTP_A_ASSOC_REACH,
	KNTP_A_ASSOC_POLL,
	KNTP_A_ASSOC_LEAP,
	KNTP_A_ASSOC_PPOLL,
	KNTP_A_ASSOC_PRECISION,
	KNTP_A_ASSOC_ROOT_DELAY,
	KNTP_A_ASSOC_ROOT_DISP,
	KNTP_A_ASSOC_RX_AGE,
	KNTP_A_ASSOC_OFFSET,
	KNTP_A_ASSOC_DELAY,
	KNTP_A_ASSOC_DISP,
	KNTP_A_ASSOC_JITTER,
	KNTP_A_ASSOC_STATE,
	KNTP_A_ASSOC_LOCAL_PORT,
	KNTP_A_ASSOC_XMT,
	KNTP_A_ASSOC_TX_STAMP,
	KNTP_A_ASSOC_STATS,
	KNTP_A_ASSOC_PAD,
	KNTP_A_ASSOC_TALLY,
	KNTP_A_ASSOC_REJECT,
	KNTP_A_ASSOC_ROOT_DIST,
	KNTP_A_ASSOC_PMODE,
	KNTP_A_ASSOC_ORG_TS,
	KNTP_A_ASSOC_REC_TS,
	KNTP_A_ASSOC_XMT_TS,
	KNTP_A_ASSOC_FILTER,
	KNTP_A_ASSOC_KEY,
	KNTP_A_ASSOC_AUTH,
	KNTP_A_ASSOC_RESIDUAL,

	__KNTP_A_ASSOC_MAX,
	KNTP_A_ASSOC_MAX = __KNTP_A_ASSOC_MAX - 1
};

/**
 * enum kntp_a_status - the instance's system variables (inside KNTP_A_STATUS)
 *
 * All read only.
 *
 * @KNTP_A_STATUS_LEAP: u8, enum kntp_leap.
 * @KNTP_A_STATUS_STRATUM: u8, 1..15 synchronised, KNTP_MAXSTRAT
 *	unsynchronised.
 * @KNTP_A_STATUS_REFID: binary, 4 bytes: the system peer's IPv4 address,
 *	the first 4 octets of the MD5 of its IPv6 address, or a kiss code /
 *	reference clock name in ASCII (e.g. "INIT", "LOCL").
 * @KNTP_A_STATUS_PRECISION: s8, log2 seconds, the precision of the clock.
 * @KNTP_A_STATUS_ROOT_DELAY: u64, nanoseconds, total round-trip delay to
 *	the primary reference.
 * @KNTP_A_STATUS_ROOT_DISP: u64, nanoseconds, total dispersion to the
 *	primary reference (unbounded: each hop may add up to 16 s).
 * @KNTP_A_STATUS_ASSOC_COUNT: u32, number of associations.
 * @KNTP_A_STATUS_PAD: padding for 64-bit attributes; ignore it.
 * @KNTP_A_STATUS_ENABLED: u8, 1 when the instance is enabled (sockets open,
 *	associations running), 0 when disabled.
 * @KNTP_A_STATUS_MASTER: u8, the stratum the instance serves from its own
 *	clock ("ntp master"), 0 when off.
 * @KNTP_A_STATUS_REFTIME: s64, nanoseconds since the Unix epoch: when the
 *	system clock was last set or corrected (RFC 5905 reference
 *	timestamp). Absent while never.
 * @KNTP_A_STATUS_STATS: nest: enum kntp_stat, each a u64.
 * @KNTP_A_STATUS_CLOCK: u8, enum kntp_clock_kind.
 * @KNTP_A_STATUS_CLOCK_OWNER: u8, 1 when this instance owns the system
 *	clock (KNTP_CLOCK_SYSTEM and enabled).
 * @KNTP_A_STATUS_CLOCK_ERROR: s64, nanoseconds: a virtual clock minus the
 *	system clock, now. Absent for the system clock.
 * @KNTP_A_STATUS_OFFSET: s64, nanoseconds: combined offset of the last
 *	selection (the reference minus our clock).
 * @KNTP_A_STATUS_JITTER: u64, nanoseconds: system jitter.
 * @KNTP_A_STATUS_FREQ: s64, parts per billion: the discipline's frequency
 *	correction.
 * @KNTP_A_STATUS_POLL: s8, log2 seconds: the poll interval in use: the
 *	system peer's, or without one the shortest of the sources'.
 * @KNTP_A_STATUS_SYS_PEER: u32, association id of the system peer; absent
 *	when none.
 * @KNTP_A_STATUS_DISC_STATE: u8, enum kntp_disc_state.
 * @KNTP_A_STATUS_STEPS: u32, clock steps so far.
 * @KNTP_A_STATUS_LAST_STEP: s64, nanoseconds since the Unix epoch, on our
 *	clock after the step: when the last step happened. Absent if none.
 * @KNTP_A_STATUS_LAST_STEP_AMOUNT: s64, nanoseconds: its size.
 * @KNTP_A_STATUS_STEP_THRESHOLD: u64, nanoseconds (0: never step).
 * @KNTP_A_STATUS_PANIC_THRESHOLD: u64, nanoseconds (0: no limit).
 * @KNTP_A_STATUS_STEPOUT: u64, nanoseconds.
 * @KNTP_A_STATUS_CLOCK_NOTE: string: a limitation of the system clock
 *	backend (e.g. "step only: do_adjtimex not found"). Absent when none.
 * @KNTP_A_STATUS_CLOCK_LOST: u8, 1 when another process adjusted the
 *	system clock (its tick, frequency, PLL or time) while this instance
 *	owned it: the instance stopped steering it, left the other process's
 *	settings in place and serves as unsynchronised until the clock is
 *	claimed again (disable and enable, or KNTP_A_INSTANCE_CLOCK system).
 * @KNTP_A_STATUS_AUTHENTICATE: u8, 1 under "ntp authenticate".
 * @KNTP_A_STATUS_TRUSTED: nest of KNTP_A_STATUS_TRUSTED_RANGE, each a u32:
 *	the trusted key ids, first << 16 | last, in ascending order.
 * @KNTP_A_STATUS_ACCESS: nest, enum kntp_a_access: the access groups.
 * @KNTP_A_STATUS_RATELIMIT: nest, enum kntp_a_ratelimit: rate limiting.
 * @KNTP_A_STATUS_INGRESS: nest: a KNTP_A_INGRESS_IFINDEX for each device
 *	requests are answered at (KNTP_CMD_INGRESS_ADD).
 */
enum kntp_a_status {
	KNTP_A_STATUS_UNSPEC,
	KNTP_A_STATUS_LEAP,
	KNTP_A_STATUS_STRATUM,
	KNTP_A_STATUS_REFID,
	KNTP_A_STATUS_PRECISION,
	KNTP_A_STATUS_ROOT_DELAY,
	KNTP_A_STATUS_ROOT_DISP,
	KNTP_A_STATUS_ASSOC_COUNT,
	KNTP_A_STATUS_PAD,
	KNTP_A_STATUS_ENABLED,
	KNTP_A_STATUS_MASTER,
	KNTP_A_STATUS_REFTIME,
	KNTP_A_STATUS_STATS,
	KNTP_A_STATUS_CLOCK,
	KNTP_A_STATUS_CLOCK_OWNER,
	KNTP_A_STATUS_CLOCK_ERROR,
	KNTP_A_STATUS_OFFSET,
	KNTP_A_STATUS_JITTER,
	KNTP_A_STATUS_FREQ,
	KNTP_A_STATUS_POLL,
	KNTP_A_STATUS_SYS_PEER,
	KNTP_A_STATUS_DISC_STATE,
	KNTP_A_STATUS_STEPS,
	KNTP_A_STATUS_LAST_STEP,
	KNTP_A_STATUS_LAST_STEP_AMOUNT,
	KNTP_A_STATUS_STEP_THRESHOLD,
	KNTP_A_STATUS_PANIC_THRESHOLD,
	KNTP_A_STATUS_STEPOUT,
	KNTP_A_STATUS_CLOCK_NOTE,
	KNTP_A_STATUS_CLOCK_LOST,
	KNTP_A_STATUS_AUTHENTICATE,
	KNTP_A_STATUS_TRUSTED,
	KNTP_A_STATUS_ACCESS,
	KNTP_A_STATUS_RATELIMIT,
	KNTP_A_STATUS_INGRESS,

	__KNTP_A_STATUS_MAX,
	KNTP_A_STATUS_MAX = __KNTP_A_STATUS_MAX - 1
};

/**
 * enum kntp_a_instance - settings of an instance (inside KNTP_A_INSTANCE)
 * @KNTP_A_INSTANCE_ENABLED: u8, 1 enable, 0 disable.
 * @KNTP_A_INSTANCE_MASTER: u8, serve our own clock at this stratum,
 *	KNTP_MASTER_MIN..KNTP_MASTER_MAX, with reference ID "LOCL"; 0 stops
 *	("no ntp master"). Router: "ntp master [STRATUM]". Our own clock is
 *	then a source like the others: one that would give us a lower
 *	stratum wins over it.
 * @KNTP_A_INSTANCE_CLOCK: u8, enum kntp_clock_kind. Choosing the system
 *	clock on an enabled instance claims it (CAP_SYS_TIME; -EBUSY when
 *	another instance owns it).
 * @KNTP_A_INSTANCE_STEP_THRESHOLD: u64, nanoseconds: offsets above are
 *	stepped, below slewed; 0 never steps. Default 128 ms (RFC 5905).
 * @KNTP_A_INSTANCE_PANIC_THRESHOLD: u64, nanoseconds: offsets above are
 *	refused; 0 no limit. Default 1000 s.
 * @KNTP_A_INSTANCE_STEPOUT: u64, nanoseconds: how long an offset above the
 *	step threshold must last before a step, once synchronised. Default
 *	900 s (RFC 5905 WATCH). At most 1 day.
 * @KNTP_A_INSTANCE_INJECT_OFFSET: s64, nanoseconds: step a virtual clock
 *	by this (a test's error, not a correction: the discipline is not
 *	told), within +-1 day. Virtual clocks only. A virtual clock never
 *	strays more than 2^61 ns (73 years) from the system clock, however
 *	often it is stepped.
 * @KNTP_A_INSTANCE_INJECT_FREQ: s64, parts per billion: the virtual
 *	clock's oscillator error from now on, within +-100000000 (10 %).
 *	Virtual clocks only.
 * @KNTP_A_INSTANCE_PAD: padding for 64-bit attributes.
 * @KNTP_A_INSTANCE_AUTHENTICATE: u8, 1: sources must authenticate with a
 *	trusted key to be used ("ntp authenticate"); 0: off (the default).
 * @KNTP_A_INSTANCE_ACCESS: nest, enum kntp_a_access: set the access groups.
 * @KNTP_A_INSTANCE_RATELIMIT: nest, enum kntp_a_ratelimit: rate limiting.
 */
enum kntp_a_instance {
	KNTP_A_INSTANCE_UNSPEC,
	KNTP_A_INSTANCE_ENABLED,
	KNTP_A_INSTANCE_MASTER,
	KNTP_A_INSTANCE_CLOCK,
	KNTP_A_INSTANCE_STEP_THRESHOLD,
	KNTP_A_INSTANCE_PANIC_THRESHOLD,
	KNTP_A_INSTANCE_STEPOUT,
	KNTP_A_INSTANCE_INJECT_OFFSET,
	KNTP_A_INSTANCE_INJECT_FREQ,
	KNTP_A_INSTANCE_PAD,
	KNTP_A_INSTANCE_AUTHENTICATE,
	KNTP_A_INSTANCE_ACCESS,
	KNTP_A_INSTANCE_RATELIMIT,

	__KNTP_A_INSTANCE_MAX,
	KNTP_A_INSTANCE_MAX = __KNTP_A_INSTANCE_MAX - 1
};

#define KNTP_MASTER_MIN		1
#define KNTP_MASTER_MAX		15
#define KNTP_MASTER_DEFAULT	8	/* as routers do */

/**
 * enum kntp_event_type - what happened (KNTP_A_EVENT_TYPE)
 * @KNTP_EVENT_SYSPEER: the system peer changed; ASSOC_ID and the address
 *	of the new one, absent when there is none
 * @KNTP_EVENT_STRATUM: our stratum changed; STRATUM (16: unsynchronised)
 * @KNTP_EVENT_STEP: the clock was stepped by STEP ns
 * @KNTP_EVENT_PANIC: an offset of OFFSET ns was above the panic threshold
 *	and refused
 * @KNTP_EVENT_REACHABLE: an association answers again (ASSOC_ID, address)
 * @KNTP_EVENT_UNREACHABLE: an association did not answer its last 3 polls
 * @KNTP_EVENT_KOD: an association received a kiss-o'-death: KISS (RATE:
 *	polls less often; DENY, RSTR: stopped)
 * @KNTP_EVENT_CLOCK_LOST: another process adjusted the system clock while
 *	we owned it; we stopped steering it (KNTP_A_STATUS_CLOCK_LOST)
 */
enum kntp_event_type {
	KNTP_EVENT_SYSPEER = 1,
	KNTP_EVENT_STRATUM,
	KNTP_EVENT_STEP,
	KNTP_EVENT_PANIC,
	KNTP_EVENT_REACHABLE,
	KNTP_EVENT_UNREACHABLE,
	KNTP_EVENT_KOD,
	KNTP_EVENT_CLOCK_LOST,
};

/**
 * enum kntp_a_event - attributes of a notification (inside KNTP_A_EVENT)
 * @KNTP_A_EVENT_TYPE: u32, enum kntp_event_type.
 * @KNTP_A_EVENT_TIME: s64, nanoseconds since the Unix epoch on the
 *	instance's clock: when it happened.
 * @KNTP_A_EVENT_ASSOC_ID: u32, the association concerned.
 * @KNTP_A_EVENT_ADDR4: binary, 4 bytes: its IPv4 address.
 * @KNTP_A_EVENT_ADDR6: binary, 16 bytes: its IPv6 address.
 * @KNTP_A_EVENT_STRATUM: u8, the new stratum.
 * @KNTP_A_EVENT_STEP: s64, nanoseconds the clock was stepped by.
 * @KNTP_A_EVENT_OFFSET: s64, nanoseconds: the refused offset.
 * @KNTP_A_EVENT_KISS: binary, 4 bytes, ASCII: the kiss code.
 * @KNTP_A_EVENT_PAD: padding for 64-bit attributes.
 */
enum kntp_a_event {
	KNTP_A_EVENT_UNSPEC,
	KNTP_A_EVENT_TYPE,
	KNTP_A_EVENT_TIME,
	KNTP_A_EVENT_ASSOC_ID,
	KNTP_A_EVENT_ADDR4,
	KNTP_A_EVENT_ADDR6,
	KNTP_A_EVENT_STRATUM,
	KNTP_A_EVENT_STEP,
	KNTP_A_EVENT_OFFSET,
	KNTP_A_EVENT_KISS,
	KNTP_A_EVENT_PAD,

	__KNTP_A_EVENT_MAX,
	KNTP_A_EVENT_MAX = __KNTP_A_EVENT_MAX - 1
};

/* Inside KNTP_A_ASSOC_FILTER: each stage is one of these nests. */
#define KNTP_A_ASSOC_FILTER_STAGE	1

/**
 * enum kntp_a_stage - one clock filter stage (inside a FILTER_STAGE nest)
 * @KNTP_A_STAGE_OFFSET: s64, nanoseconds.
 * @KNTP_A_STAGE_DELAY: s64, nanoseconds.
 * @KNTP_A_STAGE_DISP: u64, nanoseconds, grown to now; 16 s (MAXDISP) for
 *	an empty stage.
 * @KNTP_A_STAGE_AGE: u64, nanoseconds since the sample was taken.
 * @KNTP_A_STAGE_PAD: padding for 64-bit attributes.
 */
enum kntp_a_stage {
	KNTP_A_STAGE_UNSPEC,
	KNTP_A_STAGE_OFFSET,
	KNTP_A_STAGE_DELAY,
	KNTP_A_STAGE_DISP,
	KNTP_A_STAGE_AGE,
	KNTP_A_STAGE_PAD,

	__KNTP_A_STAGE_MAX,
	KNTP_A_STAGE_MAX = __KNTP_A_STAGE_MAX - 1
};

/* Inside KNTP_A_STATUS_TRUSTED. */
#define KNTP_A_STATUS_TRUSTED_RANGE	1

/* Key ids, RFC 5905 sec. 7.3 (0 is no key: the crypto-NAK's id). */
#define KNTP_KEY_ID_MIN		1
#define KNTP_KEY_ID_MAX		65535
/* The longest secret, bytes. */
#define KNTP_KEY_SECRET_MAX	64
/* RFC 8573 sec. 4: an AES-128-CMAC secret is 128 bits, bytes. */
#define KNTP_KEY_CMAC_LEN	16
/* Length of KNTP_A_KEY_FINGERPRINT, bytes. */
#define KNTP_KEY_FINGERPRINT_LEN	8

/**
 * enum kntp_key_type - how a key computes a MAC (KNTP_A_KEY_TYPE)
 * @KNTP_KEY_MD5: MD5(secret || packet), 16 bytes (RFC 5905 sec. 7.3).
 *	Router: "md5".
 * @KNTP_KEY_SHA1: SHA-1(secret || packet), 20 bytes; what IOS XE calls
 *	"hmac-sha1" and chrony and ntpd "SHA1".
 * @KNTP_KEY_SHA256: SHA-256(secret || packet) truncated to 20 bytes, as
 *	chrony's "SHA256"; IOS XE: "hmac-sha2-256".
 * @KNTP_KEY_AES128_CMAC: AES-128-CMAC (RFC 8573), 16 bytes, a secret of
 *	exactly 16 bytes; IOS XE: "cmac-aes-128", chrony "AES128".
 */
enum kntp_key_type {
	KNTP_KEY_MD5 = 1,
	KNTP_KEY_SHA1,
	KNTP_KEY_SHA256,
	KNTP_KEY_AES128_CMAC,

	__KNTP_KEY_TYPE_MAX,
	KNTP_KEY_TYPE_MAX = __KNTP_KEY_TYPE_MAX - 1
};

/**
 * enum kntp_auth - the authentication of a packet (KNTP_A_ASSOC_AUTH); the
 *	names match the KNTP_STAT_AUTH_* counters
 * @KNTP_AUTH_NONE: it carried no MAC, and none was required
 * @KNTP_AUTH_OK: a valid MAC with a key we hold (and trust, where that is
 *	required)
 * @KNTP_AUTH_MISSING: no MAC, where one is required
 * @KNTP_AUTH_UNKNOWN_KEY: a key id we do not hold
 * @KNTP_AUTH_UNTRUSTED: a key that is not trusted
 * @KNTP_AUTH_BAD_LENGTH: a MAC of the wrong length for its key
 * @KNTP_AUTH_BAD_MAC: a digest that does not match
 * @KNTP_AUTH_WRONG_KEY: not the association's key
 * @KNTP_AUTH_NAK: a crypto-NAK
 */
enum kntp_auth {
	KNTP_AUTH_NONE = 1,
	KNTP_AUTH_OK,
	KNTP_AUTH_MISSING,
	KNTP_AUTH_UNKNOWN_KEY,
	KNTP_AUTH_UNTRUSTED,
	KNTP_AUTH_BAD_LENGTH,
	KNTP_AUTH_BAD_MAC,
	KNTP_AUTH_WRONG_KEY,
	KNTP_AUTH_NAK,
};

/**
 * enum kntp_a_key - a symmetric key (inside KNTP_A_KEY)
 * @KNTP_A_KEY_ID: u16, KNTP_KEY_ID_MIN..KNTP_KEY_ID_MAX.
 * @KNTP_A_KEY_TYPE: u8, enum kntp_key_type.
 * @KNTP_A_KEY_SECRET: binary, 1..KNTP_KEY_SECRET_MAX bytes (16 for
 *	KNTP_KEY_AES128_CMAC), write only.
 * @KNTP_A_KEY_FINGERPRINT: binary, KNTP_KEY_FINGERPRINT_LEN bytes, read
 *	only: the first bytes of SHA-256("kntp key" || type || secret), so that
 *	a changed secret is seen without the secret being shown.
 * @KNTP_A_KEY_TRUSTED: u8: in a dump, 1 when the key's id is trusted; in
 *	KNTP_CMD_KEY_TRUST, 1 trusts and 0 stops trusting.
 * @KNTP_A_KEY_ID_LAST: u16, KNTP_CMD_KEY_TRUST only: the last id of the
 *	range that starts at KNTP_A_KEY_ID.
 */
enum kntp_a_key {
	KNTP_A_KEY_UNSPEC,
	KNTP_A_KEY_ID,
	KNTP_A_KEY_TYPE,
	KNTP_A_KEY_SECRET,
	KNTP_A_KEY_FINGERPRINT,
	KNTP_A_KEY_TRUSTED,
	KNTP_A_KEY_ID_LAST,

	__KNTP_A_KEY_MAX,
	KNTP_A_KEY_MAX = __KNTP_A_KEY_MAX - 1
};

/* --- access control (kmod/acl.c): enum kntp_a_acl, enum kntp_a_access --- */

/* Access lists: names of 1..KNTP_ACL_NAME_MAX bytes of [A-Za-z0-9_.-]. */
#define KNTP_ACL_NAME_MAX	32
#define KNTP_ACL_ENTRIES_MAX	256	/* entries in one list */
#define KNTP_ACL_LISTS_MAX	64	/* lists in one instance */
/* The numbers of standard IPv4 lists, as routers number them. */
#define KNTP_ACL_STD_MIN	1
#define KNTP_ACL_STD_MAX	99
#define KNTP_ACL_STD_EXP_MIN	1300	/* the expanded range */
#define KNTP_ACL_STD_EXP_MAX	1999

/**
 * enum kntp_acl_family - the addresses a list matches (KNTP_A_ACL_FAMILY)
 * @KNTP_ACL_IPV4: a standard numbered list: its name is a number in
 *	KNTP_ACL_STD_MIN..KNTP_ACL_STD_MAX or KNTP_ACL_STD_EXP_MIN..
 *	KNTP_ACL_STD_EXP_MAX, its entries have ADDR4 and WILDCARD4.
 * @KNTP_ACL_IPV6: a named IPv6 list; its entries have ADDR6 and
 *	PREFIX_LEN.
 *
 * A list is known by its family and name together.
 */
enum kntp_acl_family {
	KNTP_ACL_IPV4 = 1,
	KNTP_ACL_IPV6,
};

/**
 * enum kntp_acl_action - what an entry that matches does
 * @KNTP_ACL_PERMIT: the address is permitted by the list
 * @KNTP_ACL_DENY: the address is denied by the list
 */
enum kntp_acl_action {
	KNTP_ACL_PERMIT = 1,
	KNTP_ACL_DENY,
};

/**
 * enum kntp_a_acl - an access list (inside KNTP_A_ACL)
 *
 * Entries are evaluated in order; the first that matches decides; an
 * address no entry matches is denied (the implicit "deny any" at the end).
 *
 * @KNTP_A_ACL_NAME: string, the list's name (see enum kntp_acl_family).
 * @KNTP_A_ACL_FAMILY: u8, enum kntp_acl_family.
 * @KNTP_A_ACL_ENTRY: nest, enum kntp_a_acl_entry: one entry; repeated, in
 *	order.
 * @KNTP_A_ACL_REPLACE: u8, KNTP_CMD_ACL_SET only: 1, the entries given
 *	replace the list's; 0 or absent, they are appended.
 */
enum kntp_a_acl {
	KNTP_A_ACL_UNSPEC,
	KNTP_A_ACL_NAME,
	KNTP_A_ACL_FAMILY,
	KNTP_A_ACL_ENTRY,
	KNTP_A_ACL_REPLACE,

	__KNTP_A_ACL_MAX,
	KNTP_A_ACL_MAX = __KNTP_A_ACL_MAX - 1
};

/**
 * enum kntp_a_acl_entry - one entry of a list (inside KNTP_A_ACL_ENTRY)
 * @KNTP_A_ACL_ENTRY_ACTION: u8, enum kntp_acl_action (required).
 * @KNTP_A_ACL_ENTRY_ADDR4: binary, 4 bytes, network order: the address
 *	of an IPv4 list's entry (required there).
 * @KNTP_A_ACL_ENTRY_WILDCARD4: binary, 4 bytes: the bits of ADDR4 that
 *	are not compared (1: ignored), as routers write them; they need not
 *	be contiguous. Absent: 0.0.0.0, the host ADDR4 alone. "any" is
 *	0.0.0.0 with 255.255.255.255. The address is kept with the ignored
 *	bits cleared.
 * @KNTP_A_ACL_ENTRY_ADDR6: binary, 16 bytes: the prefix of an IPv6 list's
 *	entry (required there).
 * @KNTP_A_ACL_ENTRY_PREFIX_LEN: u8, 0..128: the bits of ADDR6 compared;
 *	absent: 128. "any" is ::/0. The prefix is kept with the other bits
 *	cleared.
 */
enum kntp_a_acl_entry {
	KNTP_A_ACL_ENTRY_UNSPEC,
	KNTP_A_ACL_ENTRY_ACTION,
	KNTP_A_ACL_ENTRY_ADDR4,
	KNTP_A_ACL_ENTRY_WILDCARD4,
	KNTP_A_ACL_ENTRY_ADDR6,
	KNTP_A_ACL_ENTRY_PREFIX_LEN,

	__KNTP_A_ACL_ENTRY_MAX,
	KNTP_A_ACL_ENTRY_MAX = __KNTP_A_ACL_ENTRY_MAX - 1
};

/**
 * enum kntp_a_access - the access groups ("ntp access-group"), inside
 *	KNTP_A_INSTANCE_ACCESS (to change) and KNTP_A_STATUS_ACCESS (as set)
 *
 * One attribute per group type and family, each a nest of enum
 * kntp_a_access_group. For each family, the configured groups are scanned
 * in the order peer, serve, serve-only, query-only; the first whose list
 * permits the source grants its access:
 *   peer        we may synchronise to it, and serve it;
 *   serve       we serve it (client requests, stateless mode 2 answers);
 *   serve-only  we answer its client requests only;
 *   query-only  nothing we answer (control queries, which we never do).
 * Packets of an association (a configured server's or peer's) need peer;
 * client requests need peer, serve or serve-only; symmetric active packets
 * from an unconfigured peer need peer or serve. With no group of the
 * packet's family everything is allowed. A refused packet is dropped
 * (KNTP_STAT_DROP_ACCESS) or, when a group of the family has KOD and the
 * packet is a request, answered with a DENY kiss-o'-death.
 *
 * In INSTANCE_SET, a nest present sets that group (LIST and KOD) or, with
 * no LIST or an empty one (""), removes it; groups absent keep theirs. In STATUS_GET, the
 * configured groups are present.
 *
 * @KNTP_A_ACCESS_PEER4: IPv4 peer group.
 * @KNTP_A_ACCESS_SERVE4: IPv4 serve group.
 * @KNTP_A_ACCESS_SERVE_ONLY4: IPv4 serve-only group.
 * @KNTP_A_ACCESS_QUERY_ONLY4: IPv4 query-only group.
 * @KNTP_A_ACCESS_PEER6: IPv6 peer group.
 * @KNTP_A_ACCESS_SERVE6: IPv6 serve group.
 * @KNTP_A_ACCESS_SERVE_ONLY6: IPv6 serve-only group.
 * @KNTP_A_ACCESS_QUERY_ONLY6: IPv6 query-only group.
 */
enum kntp_a_access {
	KNTP_A_ACCESS_UNSPEC,
	KNTP_A_ACCESS_PEER4,
	KNTP_A_ACCESS_SERVE4,
	KNTP_A_ACCESS_SERVE_ONLY4,
	KNTP_A_ACCESS_QUERY_ONLY4,
	KNTP_A_ACCESS_PEER6,
	KNTP_A_ACCESS_SERVE6,
	KNTP_A_ACCESS_SERVE_ONLY6,
	KNTP_A_ACCESS_QUERY_ONLY6,

	__KNTP_A_ACCESS_MAX,
	KNTP_A_ACCESS_MAX = __KNTP_A_ACCESS_MAX - 1
};

/* Group types per family in enum kntp_a_access. */
#define KNTP_ACCESS_TYPES	4

/**
 * enum kntp_a_access_group - one access group (inside a KNTP_A_ACCESS_*)
 * @KNTP_A_ACCESS_GROUP_LIST: string, the name of the list of the group's
 *	family. A list that is not defined matches nothing (the group then
 *	grants nothing, but counts as configured: fail closed).
 * @KNTP_A_ACCESS_GROUP_KOD: u8, 1: refused requests get a DENY kiss-o'-death
 *	instead of silence ("kod"); 0 or absent: dropped.
 * @KNTP_A_ACCESS_GROUP_DEFINED: u8, read only: 1 when the list exists.
 */
enum kntp_a_access_group {
	KNTP_A_ACCESS_GROUP_UNSPEC,
	KNTP_A_ACCESS_GROUP_LIST,
	KNTP_A_ACCESS_GROUP_KOD,
	KNTP_A_ACCESS_GROUP_DEFINED,

	__KNTP_A_ACCESS_GROUP_MAX,
	KNTP_A_ACCESS_GROUP_MAX = __KNTP_A_ACCESS_GROUP_MAX - 1
};

/* --- rate limiting (kmod/ratelimit.c): enum kntp_a_ratelimit --- */

/* Rate limiting's settings (chrony's "ratelimit"): defaults and ranges. */
#define KNTP_RATELIMIT_INTERVAL_MIN	(-19)	/* log2 s: 2^-19 s, ~1.9 us */
#define KNTP_RATELIMIT_INTERVAL_MAX	12	/* log2 s: 4096 s */
#define KNTP_RATELIMIT_INTERVAL_DEFAULT	3	/* log2 s: 8 s */
#define KNTP_RATELIMIT_BURST_MIN	1	/* answers */
#define KNTP_RATELIMIT_BURST_MAX	255
#define KNTP_RATELIMIT_BURST_DEFAULT	8
#define KNTP_RATELIMIT_LEAK_MAX		4	/* log2: one in 16 */
#define KNTP_RATELIMIT_LEAK_DEFAULT	2	/* log2: one in 4 */
#define KNTP_RATELIMIT_TABLE_MIN	64	/* records, a power of two */
#define KNTP_RATELIMIT_TABLE_MAX	1048576
#define KNTP_RATELIMIT_TABLE_DEFAULT	4096
#define KNTP_RATELIMIT_PREFIX6_MIN	32	/* bits */
#define KNTP_RATELIMIT_PREFIX6_MAX	128
#define KNTP_RATELIMIT_PREFIX6_DEFAULT	64

/**
 * enum kntp_a_ratelimit - per-source rate limiting of the answers to
 *	clients and to peers we have not configured (inside
 *	KNTP_A_INSTANCE_RATELIMIT and KNTP_A_STATUS_RATELIMIT)
 *
 * Each source (an IPv4 address, or an IPv6 address cut to IPV6_PREFIX
 * bits) has a bucket of BURST answers that refills by one every
 * 2^INTERVAL s. A request that finds the bucket empty is not answered
 * (KNTP_STAT_RATE_LIMITED), except one in 2^LEAK picked at random, which
 * is (KNTP_STAT_RATE_LEAKED); with KOD a RATE kiss-o'-death is sent
 * instead of silence, at most once per 2^INTERVAL s per source
 * (KNTP_STAT_RATE_KOD_SENT). The addresses of configured servers and peers
 * are never limited. Sources are remembered in a table of TABLE_SIZE
 * records; a new source takes the least recently seen record of its hash
 * set (KNTP_STAT_RATE_EVICT when that record still limited its source).
 * Router: "ntp ratelimit [interval N] [burst N] [leak N] [kod]
 * [table-size N] [ipv6-prefix N]"; chrony: "ratelimit".
 *
 * In KNTP_CMD_INSTANCE_SET, ENABLED is required. ENABLED 1 sets every
 * setting at once: absent ones take their default (as a configuration
 * line replaces the previous one). ENABLED 0 turns rate limiting off and
 * takes no other attribute. A change of any setting starts with an empty
 * table; setting what is already set changes nothing.
 *
 * @KNTP_A_RATELIMIT_ENABLED: u8, 1 on, 0 off (the default).
 * @KNTP_A_RATELIMIT_INTERVAL: s8, log2 s, KNTP_RATELIMIT_INTERVAL_MIN..
 *	KNTP_RATELIMIT_INTERVAL_MAX: one answer per 2^INTERVAL s on average.
 * @KNTP_A_RATELIMIT_BURST: u16, answers, KNTP_RATELIMIT_BURST_MIN..
 *	KNTP_RATELIMIT_BURST_MAX: how many a quiet source gets back to back.
 * @KNTP_A_RATELIMIT_LEAK: u8, log2, 0..KNTP_RATELIMIT_LEAK_MAX: one in
 *	2^LEAK requests over the limit is answered anyway (at random), so that
 *	a forger of a client's address cannot cut the client off; 0 never.
 * @KNTP_A_RATELIMIT_KOD: u8, 1: answer over the limit with a RATE
 *	kiss-o'-death (at most one per 2^INTERVAL s per source) rather than
 *	silence; 0: silence.
 * @KNTP_A_RATELIMIT_TABLE_SIZE: u32, records: sources remembered at once,
 *	a power of two in KNTP_RATELIMIT_TABLE_MIN..KNTP_RATELIMIT_TABLE_MAX.
 * @KNTP_A_RATELIMIT_IPV6_PREFIX: u8, bits, KNTP_RATELIMIT_PREFIX6_MIN..
 *	KNTP_RATELIMIT_PREFIX6_MAX: IPv6 sources in one prefix of this length
 *	share one record.
 * @KNTP_A_RATELIMIT_TABLE_USED: u32, records, read only: records holding
 *	a source.
 */
enum kntp_a_ratelimit {
	KNTP_A_RATELIMIT_UNSPEC,
	KNTP_A_RATELIMIT_ENABLED,
	KNTP_A_RATELIMIT_INTERVAL,
	KNTP_A_RATELIMIT_BURST,
	KNTP_A_RATELIMIT_LEAK,
	KNTP_A_RATELIMIT_KOD,
	KNTP_A_RATELIMIT_TABLE_SIZE,
	KNTP_A_RATELIMIT_IPV6_PREFIX,
	KNTP_A_RATELIMIT_TABLE_USED,

	__KNTP_A_RATELIMIT_MAX,
	KNTP_A_RATELIMIT_MAX = __KNTP_A_RATELIMIT_MAX - 1
};

/* Devices an instance may answer at (KNTP_CMD_INGRESS_ADD). */
#define KNTP_INGRESS_DEVICES_MAX	16

/**
 * enum kntp_a_ingress - a device answered at (inside KNTP_A_INGRESS, and
 *	repeated inside KNTP_A_STATUS_INGRESS)
 * @KNTP_A_INGRESS_IFINDEX: u32, the device's index.
 */
enum kntp_a_ingress {
	KNTP_A_INGRESS_UNSPEC,
	KNTP_A_INGRESS_IFINDEX,

	__KNTP_A_INGRESS_MAX,
	KNTP_A_INGRESS_MAX = __KNTP_A_INGRESS_MAX - 1
};

#endif /* _UAPI_LINUX_KNTP_H */
