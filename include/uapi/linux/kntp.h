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
 *
 * KNTP_CMD_STATUS_GET (open to all)
 *   The instance's system variables. Reply: one KNTP_A_STATUS nest.
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

/* Defaults and limits of the association settings (RFC 5905 sec. 7.2). */
#define KNTP_VERSION_MIN	3	/* NTPv3 peers are still answered */
#define KNTP_VERSION_MAX	4	/* NTPv4, RFC 5905 */
#define KNTP_VERSION_DEFAULT	4
#define KNTP_POLL_MIN		(-4)	/* log2 s: 1/16 s, for test beds */
#define KNTP_POLL_MAX		17	/* log2 s: MAXPOLL, 36.4 h, sec. 7.2 */
#define KNTP_MINPOLL_DEFAULT	6	/* log2 s: 64 s, sec. 7.2 MINPOLL */
#define KNTP_MAXPOLL_DEFAULT	10	/* log2 s: 1024 s */

enum kntp_cmd {
	KNTP_CMD_UNSPEC,
	KNTP_CMD_ASSOC_ADD,
	KNTP_CMD_ASSOC_DEL,
	KNTP_CMD_ASSOC_GET,
	KNTP_CMD_STATUS_GET,

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
 * @__KNTP_ASSOC_F_ALL: every defined flag; other bits are rejected.
 */
enum kntp_assoc_flags {
	KNTP_ASSOC_F_IBURST = 1U << 0,
	KNTP_ASSOC_F_PREFER = 1U << 1,

	__KNTP_ASSOC_F_ALL = KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER,
};

/* Top-level attributes. */
enum kntp_a {
	KNTP_A_UNSPEC,
	KNTP_A_ASSOC,		/* nest: enum kntp_a_assoc */
	KNTP_A_STATUS,		/* nest: enum kntp_a_status */

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
 *	reported, 16 (RFC 5905 MAXSTRAT) while nothing valid was received.
 * @KNTP_A_ASSOC_REFID: binary, 4 bytes, read only. Reference ID the remote
 *	side last reported, or a kiss code (ASCII, e.g. "INIT") while none.
 * @KNTP_A_ASSOC_REACH: u8, read only. Reach shift register, RFC 5905
 *	sec. 13: bit 0 is the latest poll, set when it was answered.
 * @KNTP_A_ASSOC_POLL: s8, read only. Current poll interval, log2 seconds.
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

	__KNTP_A_ASSOC_MAX,
	KNTP_A_ASSOC_MAX = __KNTP_A_ASSOC_MAX - 1
};

/**
 * enum kntp_a_status - the instance's system variables (inside KNTP_A_STATUS)
 *
 * All read only.
 *
 * @KNTP_A_STATUS_LEAP: u8, leap indicator, RFC 5905 sec. 7.3: 0 no warning,
 *	1 last minute has 61 s, 2 last minute has 59 s, 3 unsynchronised.
 * @KNTP_A_STATUS_STRATUM: u8, 1..15 synchronised, 16 unsynchronised.
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

	__KNTP_A_STATUS_MAX,
	KNTP_A_STATUS_MAX = __KNTP_A_STATUS_MAX - 1
};

#endif /* _UAPI_LINUX_KNTP_H */
