// SPDX-License-Identifier: GPL-2.0
/*
 * Names and types of the kntp attributes (include/uapi/linux/kntp.h),
 * the request encoder, the reply decoder, and the mapping of an extended
 * ack's attribute offset back to the attribute's name.
 */
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>

#include "array_size.h"
#include "attr.h"
#include "fmt.h"
#include "ratelimit.h"

_Static_assert(KNTP_A_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_A_ASSOC_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_A_STATUS_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_A_INSTANCE_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_STAT_MAX < KNTP_REC_MAX, "kntp_rec too small");
_Static_assert(KNTP_A_STAGE_MAX < 32, "kntp_stage.present too small");

_Static_assert(KNTP_CLOCK_NOTE_MAX < KNTP_REC_STRS, "kntp_rec.strs too small");
_Static_assert(KNTP_INGRESS_DEVICES_MAX <= KNTP_INGRESS_KEPT,
	       "kntp_ifindexes too small");

/*
 * Table entries: a fixed-size value, a binary of len bytes, a string of
 * which at most len bytes are kept, a nest; then, as designated
 * initialisers, how it is shown (struct kntp_field): its JSON key and
 * kind, its text cell, its words (WORDS()), its gauge (METRIC()).
 */
#define KNTP_FIELD(n, t, ...)	{ .name = (n), .type = (t), __VA_ARGS__ }
#define KNTP_FIELD_BIN(n, l, ...) \
	{ .name = (n), .type = KNTP_FT_BIN, .len = (l), __VA_ARGS__ }
#define KNTP_FIELD_STR(n, l, ...) \
	{ .name = (n), .type = KNTP_FT_STRING, .len = (l), __VA_ARGS__ }
#define KNTP_FIELD_NEST(n, set, s, ...) \
	{ .name = (n), .type = KNTP_FT_NEST, .nest = (set), .slot = (s), \
	  __VA_ARGS__ }
/* A counter: its JSON key is its name. */
#define KNTP_COUNTER(n)		KNTP_FIELD(n, KNTP_FT_U64, .key = (n))
#define KNTP_FIELD_STAGES(n, set, ...) \
	{ .name = (n), .type = KNTP_FT_STAGES, .nest = (set), __VA_ARGS__ }
#define WORDS(w)	.words = (w), .nwords = ARRAY_SIZE(w)
#define METRIC(n, u, h)	.metric = (n), .munit = (u), .help = (h)

/* The slots of struct kntp_reply.nest. */
enum {
	KNTP_SLOT_STATS,
	KNTP_SLOT_RATELIMIT,
};

_Static_assert(KNTP_SLOT_RATELIMIT < KNTP_REPLY_NESTS, "kntp_reply too small");
_Static_assert(KNTP_A_RATELIMIT_MAX < KNTP_REC_MAX, "kntp_rec too small");

/*
 * enum kntp_stat (KNTP_A_ASSOC_STATS, KNTP_A_STATUS_STATS), each a u64.
 * The names are the enum's without KNTP_STAT_, lower case: "show counters"
 * prints them and tests match them. Type 0 is the kernel's 64-bit padding.
 */
static const struct kntp_field kntp_stats_fields[KNTP_STAT_MAX + 1] = {
	[KNTP_STAT_RX]			= KNTP_COUNTER("rx"),
	[KNTP_STAT_TX]			= KNTP_COUNTER("tx"),
	[KNTP_STAT_TX_ERR]		= KNTP_COUNTER("tx_err"),
	[KNTP_STAT_RX_STAMP_SKB]	= KNTP_COUNTER("rx_stamp_skb"),
	[KNTP_STAT_RX_STAMP_LATE]	= KNTP_COUNTER("rx_stamp_late"),
	[KNTP_STAT_RX_STAMP_HW]		= KNTP_COUNTER("rx_stamp_hw"),
	[KNTP_STAT_TX_STAMP]		= KNTP_COUNTER("tx_stamp"),
	[KNTP_STAT_DROP_SHORT]		= KNTP_COUNTER("drop_short"),
	[KNTP_STAT_DROP_VERSION]	= KNTP_COUNTER("drop_version"),
	[KNTP_STAT_DROP_EXT_LENGTH]	= KNTP_COUNTER("drop_ext_length"),
	[KNTP_STAT_DROP_TRAILER]	= KNTP_COUNTER("drop_trailer"),
	[KNTP_STAT_DROP_TOO_LONG]	= KNTP_COUNTER("drop_too_long"),
	[KNTP_STAT_DROP_MAC]		= KNTP_COUNTER("drop_mac"),
	[KNTP_STAT_DROP_MODE]		= KNTP_COUNTER("drop_mode"),
	[KNTP_STAT_DROP_BROADCAST]	= KNTP_COUNTER("drop_broadcast"),
	[KNTP_STAT_DROP_CONTROL]	= KNTP_COUNTER("drop_control"),
	[KNTP_STAT_DROP_PRIVATE]	= KNTP_COUNTER("drop_private"),
	[KNTP_STAT_DROP_NO_ASSOC]	= KNTP_COUNTER("drop_no_assoc"),
	[KNTP_STAT_REPLY_SERVER]	= KNTP_COUNTER("reply_server"),
	[KNTP_STAT_REPLY_PASSIVE]	= KNTP_COUNTER("reply_passive"),
	[KNTP_STAT_DROP_DUP]		= KNTP_COUNTER("drop_dup"),
	[KNTP_STAT_DROP_BOGUS]		= KNTP_COUNTER("drop_bogus"),
	[KNTP_STAT_DROP_INVALID]	= KNTP_COUNTER("drop_invalid"),
	[KNTP_STAT_DROP_UNSYNC]		= KNTP_COUNTER("drop_unsync"),
	[KNTP_STAT_DROP_DISTANCE]	= KNTP_COUNTER("drop_distance"),
	[KNTP_STAT_KOD_RATE]		= KNTP_COUNTER("kod_rate"),
	[KNTP_STAT_KOD_DENY]		= KNTP_COUNTER("kod_deny"),
	[KNTP_STAT_SAMPLES]		= KNTP_COUNTER("samples"),
	[KNTP_STAT_DROP_NOT_UNICAST]	= KNTP_COUNTER("drop_not_unicast"),
	[KNTP_STAT_AUTH_OK]		= KNTP_COUNTER("auth_ok"),
	[KNTP_STAT_AUTH_MISSING]	= KNTP_COUNTER("auth_missing"),
	[KNTP_STAT_AUTH_UNKNOWN_KEY]	= KNTP_COUNTER("auth_unknown_key"),
	[KNTP_STAT_AUTH_UNTRUSTED]	= KNTP_COUNTER("auth_untrusted"),
	[KNTP_STAT_AUTH_BAD_LENGTH]	= KNTP_COUNTER("auth_bad_length"),
	[KNTP_STAT_AUTH_BAD_MAC]	= KNTP_COUNTER("auth_bad_mac"),
	[KNTP_STAT_AUTH_WRONG_KEY]	= KNTP_COUNTER("auth_wrong_key"),
	[KNTP_STAT_AUTH_NAK]		= KNTP_COUNTER("auth_nak"),
	[KNTP_STAT_REPLY_AUTH]		= KNTP_COUNTER("reply_auth"),
	[KNTP_STAT_TX_NO_KEY]		= KNTP_COUNTER("tx_no_key"),
	[KNTP_STAT_DROP_ACCESS]		= KNTP_COUNTER("drop_access"),
	[KNTP_STAT_KOD_DENY_SENT]	= KNTP_COUNTER("kod_deny_sent"),
	[KNTP_STAT_RATE_LIMITED]	= KNTP_COUNTER("rate_limited"),
	[KNTP_STAT_RATE_KOD_SENT]	= KNTP_COUNTER("rate_kod_sent"),
	[KNTP_STAT_RATE_LEAKED]		= KNTP_COUNTER("rate_leaked"),
	[KNTP_STAT_RATE_EVICT]		= KNTP_COUNTER("rate_evict"),
	[KNTP_STAT_DROP_DELAY]		= KNTP_COUNTER("drop_delay"),
	[KNTP_STAT_SAMPLE_TX_STAMP]	= KNTP_COUNTER("sample_tx_stamp"),
	[KNTP_STAT_SAMPLE_INTERLEAVED]	= KNTP_COUNTER("sample_interleaved"),
	[KNTP_STAT_XLEAVE_SPENT]	= KNTP_COUNTER("xleave_spent"),
	[KNTP_STAT_REPLY_INTERLEAVED]	= KNTP_COUNTER("reply_interleaved"),
	[KNTP_STAT_REPLY_XLEAVE_BASIC]	= KNTP_COUNTER("reply_xleave_basic"),
	[KNTP_STAT_DROP_XLEAVE_PEER]	= KNTP_COUNTER("drop_xleave_peer"),
};

const struct kntp_attrset kntp_stats_set = {
	"stats", kntp_stats_fields, KNTP_STAT_MAX
};

/* enum kntp_a_stage; KNTP_A_STAGE_PAD is left out. */
static const struct kntp_field kntp_stage_fields[KNTP_A_STAGE_MAX + 1] = {
	[KNTP_A_STAGE_OFFSET]	= KNTP_FIELD("offset", KNTP_FT_S64),
	[KNTP_A_STAGE_DELAY]	= KNTP_FIELD("delay", KNTP_FT_S64),
	[KNTP_A_STAGE_DISP]	= KNTP_FIELD("disp", KNTP_FT_U64),
	[KNTP_A_STAGE_AGE]	= KNTP_FIELD("age", KNTP_FT_U64),
};

const struct kntp_attrset kntp_stage_set = {
	"filter stage", kntp_stage_fields, KNTP_A_STAGE_MAX
};

/* enum kntp_a_ratelimit (KNTP_A_STATUS_RATELIMIT, KNTP_A_INSTANCE_RATELIMIT) */
static const struct kntp_field kntp_ratelimit_fields[KNTP_A_RATELIMIT_MAX + 1] = {
	[KNTP_A_RATELIMIT_ENABLED]	= KNTP_FIELD("enabled", KNTP_FT_U8),
	[KNTP_A_RATELIMIT_INTERVAL]	= KNTP_FIELD("interval", KNTP_FT_S8),
	[KNTP_A_RATELIMIT_BURST]	= KNTP_FIELD("burst", KNTP_FT_U16),
	[KNTP_A_RATELIMIT_LEAK]		= KNTP_FIELD("leak", KNTP_FT_U8),
	[KNTP_A_RATELIMIT_KOD]		= KNTP_FIELD("kod", KNTP_FT_U8),
	[KNTP_A_RATELIMIT_TABLE_SIZE]	= KNTP_FIELD("table-size", KNTP_FT_U32),
	[KNTP_A_RATELIMIT_IPV6_PREFIX]	= KNTP_FIELD("ipv6-prefix", KNTP_FT_U8),
	[KNTP_A_RATELIMIT_TABLE_USED]	= KNTP_FIELD("table_used", KNTP_FT_U32),
};

const struct kntp_attrset kntp_ratelimit_set = {
	"ratelimit", kntp_ratelimit_fields, KNTP_A_RATELIMIT_MAX
};

/*
 * enum kntp_a_ingress: a device answered at (KNTP_A_INGRESS of
 * KNTP_CMD_INGRESS_ADD and _DEL; repeated in KNTP_A_STATUS_INGRESS).
 */
static const struct kntp_field kntp_ingress_fields[KNTP_A_INGRESS_MAX + 1] = {
	[KNTP_A_INGRESS_IFINDEX]	= KNTP_FIELD("ifindex", KNTP_FT_U32),
};

const struct kntp_attrset kntp_ingress_set = {
	"ingress", kntp_ingress_fields, KNTP_A_INGRESS_MAX
};

/*
 * KNTP_A_ASSOC_PAD is left out: padding, never decoded. "-j show
 * associations" writes an association's keys in this order (and
 * "configured": true).
 */
static const struct kntp_field kntp_assoc_fields[KNTP_A_ASSOC_MAX + 1] = {
	[KNTP_A_ASSOC_ID] =
		KNTP_FIELD("id", KNTP_FT_U32, .key = "id"),
	[KNTP_A_ASSOC_ADDR4] =
		KNTP_FIELD_BIN("address", 4, .key = "address",
			       .json = KNTP_J_TEXT, .cell = kntp_fmt_rec_addr,
			       .alt = KNTP_A_ASSOC_ADDR6),
	[KNTP_A_ASSOC_ADDR6] =
		KNTP_FIELD_BIN("address", 16, .key = "address",
			       .json = KNTP_J_TEXT, .cell = kntp_fmt_rec_addr),
	[KNTP_A_ASSOC_KIND] =
		KNTP_FIELD("kind", KNTP_FT_U8, .key = "kind",
			   .json = KNTP_J_ENUM, WORDS(kntp_kind_words)),
	[KNTP_A_ASSOC_VERSION] =
		KNTP_FIELD("version", KNTP_FT_U8, .key = "version"),
	[KNTP_A_ASSOC_MINPOLL] =
		KNTP_FIELD("minpoll", KNTP_FT_S8, .key = "minpoll_log2"),
	[KNTP_A_ASSOC_MAXPOLL] =
		KNTP_FIELD("maxpoll", KNTP_FT_S8, .key = "maxpoll_log2"),
	[KNTP_A_ASSOC_FLAGS] =
		KNTP_FIELD("flags", KNTP_FT_U32, .key = "flags",
			   .json = KNTP_J_FLAGS, WORDS(kntp_flag_words)),
	[KNTP_A_ASSOC_STRATUM] =
		KNTP_FIELD("stratum", KNTP_FT_U8, .key = "stratum",
			   METRIC("kntp_association_stratum", KNTP_M_COUNT,
				  "Stratum the remote side reported.")),
	[KNTP_A_ASSOC_REFID] =
		KNTP_FIELD_BIN("refid", 4, .key = "refid", .json = KNTP_J_REFID,
			       .cell = kntp_fmt_rec_refid),
	[KNTP_A_ASSOC_REACH] =
		KNTP_FIELD("reach", KNTP_FT_U8, .key = "reach",
			   .cell = kntp_fmt_rec_octal,
			   METRIC("kntp_association_reach", KNTP_M_COUNT,
				  "Reach register (bit 0: the latest poll was answered).")),
	[KNTP_A_ASSOC_POLL] =
		KNTP_FIELD("poll", KNTP_FT_S8, .key = "poll_log2",
			   .cell = kntp_fmt_rec_poll,	/* s */
			   METRIC("kntp_association_poll_seconds", KNTP_M_POLL,
				  "Poll interval.")),
	[KNTP_A_ASSOC_LEAP] =
		KNTP_FIELD("leap", KNTP_FT_U8, .key = "leap",
			   WORDS(kntp_leap_words)),
	[KNTP_A_ASSOC_PPOLL] =
		KNTP_FIELD("ppoll", KNTP_FT_S8, .key = "peer_poll_log2",
			   .cell = kntp_fmt_rec_poll),		/* s */
	[KNTP_A_ASSOC_PRECISION] =
		KNTP_FIELD("precision", KNTP_FT_S8, .key = "precision_log2"),
	[KNTP_A_ASSOC_ROOT_DELAY] =
		KNTP_FIELD("root_delay", KNTP_FT_U64, .key = "root_delay_ns",
			   .cell = kntp_fmt_rec_ums2),		/* ms */
	[KNTP_A_ASSOC_ROOT_DISP] =
		KNTP_FIELD("root_disp", KNTP_FT_U64, .key = "root_disp_ns",
			   .cell = kntp_fmt_rec_ums2),		/* ms */
	[KNTP_A_ASSOC_RX_AGE] =
		KNTP_FIELD("rx_age", KNTP_FT_U32, .key = "when_ms",
			   .cell = kntp_fmt_rec_age),		/* s */
	[KNTP_A_ASSOC_OFFSET] =
		KNTP_FIELD("offset", KNTP_FT_S64, .key = "offset_ns",
			   .cell = kntp_fmt_rec_ms,	/* ms */
			   METRIC("kntp_association_offset_seconds", KNTP_M_SECONDS,
				  "Offset of the clock filter's pick "
				  "(positive: our clock is behind).")),
	[KNTP_A_ASSOC_RESIDUAL] =
		KNTP_FIELD("residual", KNTP_FT_S64, .key = "residual_ns",
			   .cell = kntp_fmt_rec_ms),		/* ms */
	[KNTP_A_ASSOC_DELAY] =
		KNTP_FIELD("delay", KNTP_FT_S64, .key = "delay_ns",
			   .cell = kntp_fmt_rec_ms,	/* ms */
			   METRIC("kntp_association_delay_seconds", KNTP_M_SECONDS,
				  "Round-trip delay of the clock filter's pick.")),
	[KNTP_A_ASSOC_DISP] =
		KNTP_FIELD("disp", KNTP_FT_U64, .key = "disp_ns",
			   .cell = kntp_fmt_rec_ums,	/* ms */
			   METRIC("kntp_association_dispersion_seconds", KNTP_M_SECONDS,
				  "Dispersion of the clock filter.")),
	[KNTP_A_ASSOC_JITTER] =
		KNTP_FIELD("jitter", KNTP_FT_U64, .key = "jitter_ns",
			   .cell = kntp_fmt_rec_ums,	/* ms */
			   METRIC("kntp_association_jitter_seconds", KNTP_M_SECONDS,
				  "Jitter of the clock filter.")),
	[KNTP_A_ASSOC_STATE] =
		KNTP_FIELD("state", KNTP_FT_U32, .key = "state",
			   .json = KNTP_J_FLAGS, WORDS(kntp_state_words)),
	[KNTP_A_ASSOC_LOCAL_PORT] =
		KNTP_FIELD("local_port", KNTP_FT_U16, .key = "local_port"),
	[KNTP_A_ASSOC_XMT] =
		KNTP_FIELD("xmt", KNTP_FT_S64, .key = "xmt_unix_ns"),
	[KNTP_A_ASSOC_TX_STAMP] =
		KNTP_FIELD("tx_stamp", KNTP_FT_S64, .key = "tx_stamp_unix_ns"),
	[KNTP_A_ASSOC_STATS] =
		KNTP_FIELD_NEST("stats", &kntp_stats_set, KNTP_SLOT_STATS,
				.key = "counters", .json = KNTP_J_COUNTERS),
	[KNTP_A_ASSOC_TALLY] =
		KNTP_FIELD("tally", KNTP_FT_U8, .key = "tally",
			   .json = KNTP_J_TALLY),
	[KNTP_A_ASSOC_REJECT] =
		KNTP_FIELD("reject", KNTP_FT_U8, .key = "reject",
			   .json = KNTP_J_ENUM, WORDS(kntp_reject_words)),
	[KNTP_A_ASSOC_ROOT_DIST] =
		KNTP_FIELD("root_dist", KNTP_FT_U64, .key = "root_dist_ns",
			   .cell = kntp_fmt_rec_ums,	/* ms */
			   METRIC("kntp_association_root_distance_seconds", KNTP_M_SECONDS,
				  "Root distance at the last selection.")),
	[KNTP_A_ASSOC_PMODE] =
		KNTP_FIELD("peer_mode", KNTP_FT_U8, .key = "peer_mode",
			   .json = KNTP_J_ENUM, WORDS(kntp_mode_words)),
	[KNTP_A_ASSOC_ORG_TS] =
		KNTP_FIELD("org_ts", KNTP_FT_U64, .key = "org_ts",
			   .json = KNTP_J_NTPTS),
	[KNTP_A_ASSOC_REC_TS] =
		KNTP_FIELD("rec_ts", KNTP_FT_U64, .key = "rec_ts",
			   .json = KNTP_J_NTPTS),
	[KNTP_A_ASSOC_XMT_TS] =
		KNTP_FIELD("xmt_ts", KNTP_FT_U64, .key = "xmt_ts",
			   .json = KNTP_J_NTPTS),
	[KNTP_A_ASSOC_FILTER] =
		KNTP_FIELD_STAGES("filter", &kntp_stage_set, .key = "filter",
				  .json = KNTP_J_FILTER),
	[KNTP_A_ASSOC_KEY] =
		KNTP_FIELD("key", KNTP_FT_U16, .key = "key"),
	[KNTP_A_ASSOC_AUTH] =
		KNTP_FIELD("auth", KNTP_FT_U8, .key = "auth",
			   .json = KNTP_J_ENUM, WORDS(kntp_auth_words)),
};

const struct kntp_attrset kntp_assoc_set = {
	"association", kntp_assoc_fields, KNTP_A_ASSOC_MAX
};

/*
 * KNTP_A_STATUS_PAD is left out: padding, never decoded. "-j show status"
 * writes "synchronized", "system_peer" and "system_peer_id" first, then
 * the keys in this order, then "ratelimit" (kntp_rl_json).
 */
static const struct kntp_field kntp_status_fields[KNTP_A_STATUS_MAX + 1] = {
	[KNTP_A_STATUS_LEAP] =
		KNTP_FIELD("leap", KNTP_FT_U8, .key = "leap",
			   WORDS(kntp_leap_words),
			   METRIC("kntp_leap", KNTP_M_COUNT,
				  "Leap indicator served (RFC 5905: 1 insert, 2 "
				  "delete, 3 unsynchronised).")),
	[KNTP_A_STATUS_STRATUM] =
		KNTP_FIELD("stratum", KNTP_FT_U8, .key = "stratum",
			   METRIC("kntp_stratum", KNTP_M_COUNT,
				  "Stratum served (16: unsynchronised).")),
	[KNTP_A_STATUS_REFID] =
		KNTP_FIELD_BIN("refid", 4, .key = "refid", .json = KNTP_J_REFID,
			       .cell = kntp_fmt_rec_status_refid),
	[KNTP_A_STATUS_PRECISION] =
		KNTP_FIELD("precision", KNTP_FT_S8, .key = "precision_log2"),
	[KNTP_A_STATUS_ROOT_DELAY] =
		KNTP_FIELD("root_delay", KNTP_FT_U64, .key = "root_delay_ns",
			   .cell = kntp_fmt_rec_ums2,	/* ms */
			   METRIC("kntp_root_delay_seconds", KNTP_M_SECONDS,
				  "Root delay served.")),
	[KNTP_A_STATUS_ROOT_DISP] =
		KNTP_FIELD("root_disp", KNTP_FT_U64, .key = "root_disp_ns",
			   .cell = kntp_fmt_rec_ums2,	/* ms */
			   METRIC("kntp_root_dispersion_seconds", KNTP_M_SECONDS,
				  "Root dispersion served.")),
	[KNTP_A_STATUS_ASSOC_COUNT] =
		KNTP_FIELD("associations", KNTP_FT_U32, .key = "associations",
			   METRIC("kntp_associations", KNTP_M_COUNT,
				  "Servers and peers configured.")),
	[KNTP_A_STATUS_ENABLED] =
		KNTP_FIELD("enabled", KNTP_FT_U8, .key = "enabled",
			   .json = KNTP_J_BOOL),
	[KNTP_A_STATUS_MASTER] =
		KNTP_FIELD("master", KNTP_FT_U8, .key = "master_stratum"),
	[KNTP_A_STATUS_REFTIME] =
		KNTP_FIELD("reftime", KNTP_FT_S64, .key = "reftime_unix_ns"),
	[KNTP_A_STATUS_STATS] =
		KNTP_FIELD_NEST("stats", &kntp_stats_set, KNTP_SLOT_STATS,
				.key = "counters", .json = KNTP_J_COUNTERS),
	[KNTP_A_STATUS_CLOCK] =
		KNTP_FIELD("clock", KNTP_FT_U8, .key = "clock",
			   .json = KNTP_J_ENUM, WORDS(kntp_clock_words)),
	[KNTP_A_STATUS_CLOCK_OWNER] =
		KNTP_FIELD("clock_owner", KNTP_FT_U8, .key = "clock_owner",
			   .json = KNTP_J_BOOL),
	[KNTP_A_STATUS_CLOCK_ERROR] =
		KNTP_FIELD("clock_error", KNTP_FT_S64, .key = "clock_error_ns"),
	[KNTP_A_STATUS_OFFSET] =
		KNTP_FIELD("offset", KNTP_FT_S64, .key = "offset_ns",
			   .cell = kntp_fmt_rec_ms,	/* ms */
			   METRIC("kntp_offset_seconds", KNTP_M_SECONDS,
				  "Offset of the system peer at the last clock update "
				  "(positive: the clock was behind).")),
	[KNTP_A_STATUS_JITTER] =
		KNTP_FIELD("jitter", KNTP_FT_U64, .key = "jitter_ns",
			   .cell = kntp_fmt_rec_ums,	/* ms */
			   METRIC("kntp_jitter_seconds", KNTP_M_SECONDS,
				  "System jitter.")),
	[KNTP_A_STATUS_FREQ] =
		KNTP_FIELD("freq", KNTP_FT_S64, .key = "frequency_ppb",
			   .cell = kntp_fmt_rec_ppm,	/* ppm */
			   METRIC("kntp_frequency_ppm", KNTP_M_PPM,
				  "Frequency correction of the clock.")),
	[KNTP_A_STATUS_POLL] =
		KNTP_FIELD("poll", KNTP_FT_S8, .key = "poll_log2",
			   .cell = kntp_fmt_rec_poll,	/* s */
			   METRIC("kntp_poll_seconds", KNTP_M_POLL,
				  "Poll interval in use.")),
	[KNTP_A_STATUS_SYS_PEER] =	/* written first, by the caller */
		KNTP_FIELD("sys_peer", KNTP_FT_U32, .key = "system_peer_id",
			   .json = KNTP_J_NONE),
	[KNTP_A_STATUS_DISC_STATE] =
		KNTP_FIELD("disc_state", KNTP_FT_U8, .key = "loop_state",
			   .json = KNTP_J_ENUM, WORDS(kntp_disc_keys)),
	[KNTP_A_STATUS_STEPS] =
		KNTP_FIELD("steps", KNTP_FT_U32, .key = "steps"),
	[KNTP_A_STATUS_LAST_STEP] =
		KNTP_FIELD("last_step", KNTP_FT_S64, .key = "last_step_unix_ns"),
	[KNTP_A_STATUS_LAST_STEP_AMOUNT] =
		KNTP_FIELD("last_step_amount", KNTP_FT_S64,
			   .key = "last_step_amount_ns"),
	[KNTP_A_STATUS_STEP_THRESHOLD] =
		KNTP_FIELD("step_threshold", KNTP_FT_U64,
			   .key = "step_threshold_ns"),
	[KNTP_A_STATUS_PANIC_THRESHOLD] =
		KNTP_FIELD("panic_threshold", KNTP_FT_U64,
			   .key = "panic_threshold_ns"),
	[KNTP_A_STATUS_STEPOUT] =
		KNTP_FIELD("stepout", KNTP_FT_U64, .key = "stepout_ns"),
	[KNTP_A_STATUS_CLOCK_NOTE] =
		KNTP_FIELD_STR("clock_note", KNTP_CLOCK_NOTE_MAX,
			       .key = "clock_note", .json = KNTP_J_STR),
	[KNTP_A_STATUS_CLOCK_LOST] =
		KNTP_FIELD("clock_lost", KNTP_FT_U8, .key = "clock_lost",
			   .json = KNTP_J_BOOL),
	[KNTP_A_STATUS_AUTHENTICATE] =
		KNTP_FIELD("authenticate", KNTP_FT_U8, .key = "authenticate",
			   .json = KNTP_J_BOOL),
	[KNTP_A_STATUS_RATELIMIT] =	/* written last, by kntp_rl_json() */
		KNTP_FIELD_NEST("ratelimit", &kntp_ratelimit_set,
				KNTP_SLOT_RATELIMIT, .key = "ratelimit",
				.json = KNTP_J_NONE),
	[KNTP_A_STATUS_INGRESS] =	/* written last, by the caller */
		KNTP_FIELD("ingress", KNTP_FT_IFINDEXES,
			   .nest = &kntp_ingress_set, .key = "ingress",
			   .json = KNTP_J_NONE),
};

const struct kntp_attrset kntp_status_set = {
	"status", kntp_status_fields, KNTP_A_STATUS_MAX
};

/* enum kntp_a_key, as a dump shows a key (the secret never comes back). */
static const struct kntp_field kntp_key_fields[KNTP_A_KEY_MAX + 1] = {
	[KNTP_A_KEY_ID]		= KNTP_FIELD("id", KNTP_FT_U16),
	[KNTP_A_KEY_TYPE]	= KNTP_FIELD("type", KNTP_FT_U8),
	[KNTP_A_KEY_FINGERPRINT] = KNTP_FIELD_BIN("fingerprint",
						  KNTP_KEY_FINGERPRINT_LEN),
	[KNTP_A_KEY_TRUSTED]	= KNTP_FIELD("trusted", KNTP_FT_U8),
	[KNTP_A_KEY_ID_LAST]	= KNTP_FIELD("id_last", KNTP_FT_U16),
};

const struct kntp_attrset kntp_key_set = {
	"key", kntp_key_fields, KNTP_A_KEY_MAX
};

/* KNTP_A_INSTANCE_PAD is left out: padding, never sent. */
static const struct kntp_field kntp_instance_fields[KNTP_A_INSTANCE_MAX + 1] = {
	[KNTP_A_INSTANCE_ENABLED]	= KNTP_FIELD("enabled", KNTP_FT_U8),
	[KNTP_A_INSTANCE_MASTER]	= KNTP_FIELD("master", KNTP_FT_U8),
	[KNTP_A_INSTANCE_CLOCK]		= KNTP_FIELD("clock", KNTP_FT_U8),
	[KNTP_A_INSTANCE_STEP_THRESHOLD] = KNTP_FIELD("step_threshold",
						      KNTP_FT_U64),
	[KNTP_A_INSTANCE_PANIC_THRESHOLD] = KNTP_FIELD("panic_threshold",
						       KNTP_FT_U64),
	[KNTP_A_INSTANCE_STEPOUT]	= KNTP_FIELD("stepout", KNTP_FT_U64),
	[KNTP_A_INSTANCE_INJECT_OFFSET]	= KNTP_FIELD("inject_offset",
						     KNTP_FT_S64),
	[KNTP_A_INSTANCE_INJECT_FREQ]	= KNTP_FIELD("inject_freq", KNTP_FT_S64),
	[KNTP_A_INSTANCE_RATELIMIT]	= KNTP_FIELD_NEST("ratelimit",
							  &kntp_ratelimit_set,
							  KNTP_SLOT_RATELIMIT),
};

const struct kntp_attrset kntp_instance_set = {
	"instance", kntp_instance_fields, KNTP_A_INSTANCE_MAX
};

static const struct kntp_field kntp_top_fields[KNTP_A_MAX + 1] = {
	[KNTP_A_ASSOC]	= KNTP_FIELD_NEST("association", &kntp_assoc_set, 0),
	[KNTP_A_STATUS]	= KNTP_FIELD_NEST("status", &kntp_status_set, 0),
	[KNTP_A_INSTANCE] = KNTP_FIELD_NEST("instance", &kntp_instance_set, 0),
	[KNTP_A_INGRESS] = KNTP_FIELD_NEST("ingress", &kntp_ingress_set, 0),
};

const struct kntp_attrset kntp_top_set = {
	"kntp", kntp_top_fields, KNTP_A_MAX
};

const struct kntp_field *kntp_attr_field(const struct kntp_attrset *set,
					 int type)
{
	if (!set || type <= 0 || type > set->max ||
	    set->fields[type].type == KNTP_FT_NONE)
		return NULL;
	return &set->fields[type];
}

/* The string attribute type of set in rec, or NULL when absent. */
const char *kntp_rec_str(const struct kntp_rec *rec,
			 const struct kntp_attrset *set, int type)
{
	const struct kntp_field *f = kntp_attr_field(set, type);

	if (!f || f->type != KNTP_FT_STRING || !kntp_rec_has(rec, type) ||
	    rec->v[type].u >= sizeof(rec->strs))
		return NULL;
	return rec->strs + rec->v[type].u;
}

/* Whether an attribute of set is of a signed type (its v[].s is the value). */
int kntp_attr_signed(const struct kntp_attrset *set, int type)
{
	enum kntp_ftype t = set->fields[type].type;

	return t == KNTP_FT_S8 || t == KNTP_FT_S32 || t == KNTP_FT_S64;
}

const char *kntp_attr_name(const struct kntp_attrset *set, int type)
{
	const struct kntp_field *f = kntp_attr_field(set, type);

	return f ? f->name : NULL;
}

static unsigned int ftype_len(const struct kntp_field *f)
{
	switch (f->type) {
	case KNTP_FT_U8:
	case KNTP_FT_S8:
		return 1;
	case KNTP_FT_U16:
		return 2;
	case KNTP_FT_U32:
	case KNTP_FT_S32:
		return 4;
	case KNTP_FT_U64:
	case KNTP_FT_S64:
		return 8;
	case KNTP_FT_BIN:
		return f->len;
	default:
		return 0;
	}
}

/* A fixed-size attribute of type f (length already checked) into v. */
static void decode_value(const struct kntp_field *f, const unsigned char *p,
			 struct kntp_rec *rec, int type)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (f->type) {
	case KNTP_FT_U8:
		rec->v[type].u = p[0];
		break;
	case KNTP_FT_S8:
		rec->v[type].s = (int8_t)p[0];
		break;
	case KNTP_FT_U16:
		memcpy(&u16, p, 2);
		rec->v[type].u = u16;
		break;
	case KNTP_FT_U32:
		memcpy(&u32, p, 4);
		rec->v[type].u = u32;
		break;
	case KNTP_FT_S32:
		memcpy(&u32, p, 4);
		rec->v[type].s = (int32_t)u32;
		break;
	case KNTP_FT_U64:
	case KNTP_FT_S64:
		memcpy(&u64, p, 8);
		rec->v[type].u = u64;
		break;
	default:
		memcpy(rec->v[type].b, p, f->len);
		break;
	}
}

/*
 * A string attribute (payload p, n bytes) into rec's strings: up to its
 * first NUL, at most f->len bytes of it. Returns -1 when there is no NUL
 * (malformed) or no room left.
 */
static int decode_string(const struct kntp_field *f, const char *p, int n,
			 struct kntp_rec *rec, int type)
{
	const char *nul = n > 0 ? memchr(p, '\0', n) : NULL;
	size_t len;

	if (!nul)
		return -1;
	len = nul - p;
	if (len > f->len)
		len = f->len;
	if (len + 1 > sizeof(rec->strs) - rec->strs_used)
		return -1;
	memcpy(rec->strs + rec->strs_used, p, len);
	rec->strs[rec->strs_used + len] = '\0';
	rec->v[type].u = rec->strs_used;
	rec->strs_used += len + 1;
	return 0;
}

int kntp_stage_empty(const struct kntp_stage *st)
{
	return !kntp_stage_has(st, KNTP_A_STAGE_DISP) ||
	       st->disp_ns >= KNTP_STAGE_EMPTY_NS;
}

/*
 * A KNTP_FT_STAGES payload: its KNTP_A_ASSOC_FILTER_STAGE nests, in order,
 * each decoded by set into filter->stage[]; other attributes, and stages
 * beyond KNTP_FILTER_STAGES, are ignored.
 */
static void decode_stages(const struct kntp_attrset *set, const void *data,
			  int len, struct kntp_filter *filter)
{
	const struct nlattr *a;
	struct kntp_rec rec;
	int rem;

	memset(filter, 0, sizeof(*filter));
	nla_for_each_attr(a, (struct nlattr *)data, len, rem) {
		struct kntp_stage *st;

		if (nla_type(a) != KNTP_A_ASSOC_FILTER_STAGE)
			continue;
		if (filter->n == KNTP_FILTER_STAGES)
			break;
		kntp_rec_decode(set, nla_data(a), nla_len(a), &rec);
		st = &filter->stage[filter->n++];
		st->present = (uint32_t)rec.present;
		st->offset_ns = rec.v[KNTP_A_STAGE_OFFSET].s;
		st->delay_ns = rec.v[KNTP_A_STAGE_DELAY].s;
		st->disp_ns = rec.v[KNTP_A_STAGE_DISP].u;
		st->age_ns = rec.v[KNTP_A_STAGE_AGE].u;
	}
}

/*
 * A KNTP_FT_IFINDEXES payload: its KNTP_A_INGRESS_IFINDEX attributes, in
 * order, into in->ifindex[]; other attributes, those of the wrong length,
 * and devices beyond KNTP_INGRESS_KEPT, are ignored. As the trusted key
 * ranges (kntp_attr_trusted()), a nest of repeated entries.
 */
static void decode_ifindexes(const void *data, int len,
			     struct kntp_ifindexes *in)
{
	const struct nlattr *a;
	int rem;

	memset(in, 0, sizeof(*in));
	nla_for_each_attr(a, (struct nlattr *)data, len, rem) {
		if (nla_type(a) != KNTP_A_INGRESS_IFINDEX || nla_len(a) != 4)
			continue;
		if (in->n == KNTP_INGRESS_KEPT)
			break;
		in->ifindex[in->n++] = nla_get_u32((struct nlattr *)a);
	}
}

/*
 * The attributes of one nest's payload (data, len) into rec; when nests is
 * not NULL, the nests of the set into nests[slot] (one level: their own
 * nests are only marked present), the stages of a KNTP_FT_STAGES
 * attribute into *filter and the devices of a KNTP_FT_IFINDEXES one into
 * *ingress.
 */
static void decode(const struct kntp_attrset *set, const void *data, int len,
		   struct kntp_rec *rec, struct kntp_rec *nests,
		   struct kntp_filter *filter, struct kntp_ifindexes *ingress)
{
	const struct nlattr *a;
	int rem;

	memset(rec, 0, sizeof(*rec));
	nla_for_each_attr(a, (struct nlattr *)data, len, rem) {
		int type = nla_type(a);
		const struct kntp_field *f = kntp_attr_field(set, type);

		if (!f || type >= KNTP_REC_MAX)
			continue;	/* unknown: absent */
		if (f->type == KNTP_FT_NEST) {
			if (nests && f->slot < KNTP_REPLY_NESTS)
				decode(f->nest, nla_data(a), nla_len(a),
				       &nests[f->slot], NULL, NULL, NULL);
		} else if (f->type == KNTP_FT_STAGES) {
			if (filter)
				decode_stages(f->nest, nla_data(a), nla_len(a),
					      filter);
		} else if (f->type == KNTP_FT_IFINDEXES) {
			if (ingress)
				decode_ifindexes(nla_data(a), nla_len(a),
						 ingress);
		} else if (f->type == KNTP_FT_STRING) {
			if (decode_string(f, nla_data(a), nla_len(a), rec,
					  type))
				continue;	/* malformed or no room: absent */
		} else if (!ftype_len(f) ||
			   (unsigned int)nla_len(a) != ftype_len(f)) {
			continue;	/* malformed: absent */
		} else {
			decode_value(f, nla_data(a), rec, type);
		}
		rec->present |= KNTP_REC_BIT(type);
	}
}

/* The attributes of one nest's payload; nested ones only marked present. */
int kntp_rec_decode(const struct kntp_attrset *set, const void *data, int len,
		    struct kntp_rec *rec)
{
	decode(set, data, len, rec, NULL, NULL, NULL);
	return 0;
}

/* The attributes of one nest's payload and of the nests in it. */
int kntp_reply_decode(const struct kntp_attrset *set, const void *data,
		      int len, struct kntp_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	decode(set, data, len, &reply->rec, reply->nest, &reply->filter,
	       &reply->ingress);
	return 0;
}

/*
 * The decoded nest of attribute type (of set) in reply, or NULL when the
 * kernel did not send it.
 */
const struct kntp_rec *kntp_reply_nest(const struct kntp_reply *reply,
				       const struct kntp_attrset *set,
				       int type)
{
	const struct kntp_field *f = kntp_attr_field(set, type);

	if (!f || f->type != KNTP_FT_NEST || f->slot >= KNTP_REPLY_NESTS ||
	    !kntp_rec_has(&reply->rec, type))
		return NULL;
	return &reply->nest[f->slot];
}

/*
 * The name of the attribute at byte offset offs of the request nlh (as an
 * extended ack's NLMSGERR_ATTR_OFFS or _MISS_NEST gives it), or NULL. When
 * it is a nest, *nested (if not NULL) is set to the nest's attribute set.
 */
const char *kntp_attr_name_at(const struct nlmsghdr *nlh, uint32_t offs,
			      const struct kntp_attrset **nested)
{
	const struct kntp_attrset *set = &kntp_top_set;
	const unsigned char *base = (const unsigned char *)nlh;
	uint32_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	uint32_t end = nlh->nlmsg_len;

	if (nested)
		*nested = NULL;
	while (set && start + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(base + start);
		const struct kntp_field *f;
		uint32_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || start + alen > end)
			return NULL;
		if (offs < start || offs >= start + NLA_ALIGN(alen)) {
			start += NLA_ALIGN(alen);
			continue;
		}
		f = kntp_attr_field(set, a->nla_type & NLA_TYPE_MASK);
		if (!f)
			return NULL;
		if (offs == start || f->type != KNTP_FT_NEST) {
			if (nested)
				*nested = f->nest;
			return f->name;
		}
		/* Inside this nest: walk its attributes. */
		set = f->nest;
		end = start + alen;
		start += NLA_HDRLEN;
	}
	return NULL;
}

/* One KNTP_A_ASSOC nest with the address and what req sets. */
int kntp_attr_put_assoc(struct nl_msg *msg, const struct kntp_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_ASSOC | NLA_F_NESTED);
	if (!nest)
		return -1;
	if (req->family == AF_INET &&
	    nla_put(msg, KNTP_A_ASSOC_ADDR4, 4, &req->addr.v4))
		return -1;
	if (req->family == AF_INET6 &&
	    nla_put(msg, KNTP_A_ASSOC_ADDR6, 16, &req->addr.v6))
		return -1;
	if (req->kind && nla_put_u8(msg, KNTP_A_ASSOC_KIND, req->kind))
		return -1;
	if ((req->set & KNTP_REQ_VERSION) &&
	    nla_put_u8(msg, KNTP_A_ASSOC_VERSION, req->version))
		return -1;
	if ((req->set & KNTP_REQ_MINPOLL) &&
	    nla_put_s8(msg, KNTP_A_ASSOC_MINPOLL, req->minpoll))
		return -1;
	if ((req->set & KNTP_REQ_MAXPOLL) &&
	    nla_put_s8(msg, KNTP_A_ASSOC_MAXPOLL, req->maxpoll))
		return -1;
	if ((req->set & KNTP_REQ_FLAGS) &&
	    nla_put_u32(msg, KNTP_A_ASSOC_FLAGS, req->flags))
		return -1;
	if ((req->set & KNTP_REQ_KEY) &&
	    nla_put_u16(msg, KNTP_A_ASSOC_KEY, req->key_id))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * One KNTP_A_KEY nest: the key of req for KNTP_CMD_KEY_SET, its id alone
 * for KNTP_CMD_KEY_DEL, a range and TRUSTED for KNTP_CMD_KEY_TRUST (cmd).
 */
int kntp_attr_put_key(struct nl_msg *msg, const struct kntp_req *req,
		      uint8_t cmd)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_KEY | NLA_F_NESTED);
	if (!nest || nla_put_u16(msg, KNTP_A_KEY_ID, req->key_id))
		return -1;
	if (cmd == KNTP_CMD_KEY_SET &&
	    (nla_put_u8(msg, KNTP_A_KEY_TYPE, req->key_type) ||
	     nla_put(msg, KNTP_A_KEY_SECRET, req->secret_len, req->secret)))
		return -1;
	if (cmd == KNTP_CMD_KEY_TRUST &&
	    (nla_put_u16(msg, KNTP_A_KEY_ID_LAST, req->key_last) ||
	     nla_put_u8(msg, KNTP_A_KEY_TRUSTED, req->trust)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* One KNTP_A_INGRESS nest with the device's index (req->ifindex). */
int kntp_attr_put_ingress(struct nl_msg *msg, const struct kntp_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_INGRESS | NLA_F_NESTED);
	if (!nest || nla_put_u32(msg, KNTP_A_INGRESS_IFINDEX, req->ifindex))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* The trusted key id ranges of a status nest, first << 16 | last each. */
int kntp_attr_trusted(const void *status, int len, uint64_t *bits,
		      void (*set)(uint64_t *bits, uint32_t first,
				  uint32_t last, int on))
{
	const struct nlattr *a, *r;
	int rem, rrem, n = 0;

	nla_for_each_attr(a, status, len, rem) {
		if (nla_type(a) != KNTP_A_STATUS_TRUSTED)
			continue;
		nla_for_each_nested(r, a, rrem) {
			uint32_t v;

			if (nla_type(r) != KNTP_A_STATUS_TRUSTED_RANGE ||
			    nla_len(r) != 4)
				continue;
			v = nla_get_u32((struct nlattr *)r);
			set(bits, v >> 16, v & 0xffff, 1);
			n++;
		}
	}
	return n;
}

/* One KNTP_A_INSTANCE nest with the settings req sets. */
int kntp_attr_put_instance(struct nl_msg *msg, const struct kntp_req *req)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, KNTP_A_INSTANCE | NLA_F_NESTED);
	if (!nest)
		return -1;
	if ((req->set & KNTP_REQ_ENABLED) &&
	    nla_put_u8(msg, KNTP_A_INSTANCE_ENABLED, req->enabled))
		return -1;
	if ((req->set & KNTP_REQ_MASTER) &&
	    nla_put_u8(msg, KNTP_A_INSTANCE_MASTER, req->master))
		return -1;
	if ((req->set & KNTP_REQ_AUTHENTICATE) &&
	    nla_put_u8(msg, KNTP_A_INSTANCE_AUTHENTICATE, req->authenticate))
		return -1;
	if ((req->set & KNTP_REQ_CLOCK) &&
	    nla_put_u8(msg, KNTP_A_INSTANCE_CLOCK, req->clock))
		return -1;
	if ((req->set & KNTP_REQ_STEP_THRESHOLD) &&
	    nla_put_u64(msg, KNTP_A_INSTANCE_STEP_THRESHOLD, req->step_ns))
		return -1;
	if ((req->set & KNTP_REQ_PANIC_THRESHOLD) &&
	    nla_put_u64(msg, KNTP_A_INSTANCE_PANIC_THRESHOLD, req->panic_ns))
		return -1;
	if ((req->set & KNTP_REQ_STEPOUT) &&
	    nla_put_u64(msg, KNTP_A_INSTANCE_STEPOUT, req->stepout_ns))
		return -1;
	if ((req->set & KNTP_REQ_INJECT_OFFSET) &&
	    nla_put_s64(msg, KNTP_A_INSTANCE_INJECT_OFFSET,
			req->inject_offset_ns))
		return -1;
	if ((req->set & KNTP_REQ_INJECT_FREQ) &&
	    nla_put_s64(msg, KNTP_A_INSTANCE_INJECT_FREQ, req->inject_freq_ppb))
		return -1;
	if ((req->set & KNTP_REQ_RATELIMIT) && kntp_rl_put(msg, &req->rl))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}
