// SPDX-License-Identifier: GPL-2.0
/*
 * kntp monitor: print the module's notifications (KNTP_CMD_EVENT on the
 * "events" multicast group) as they come, one line each, with the time the
 * instance's clock gave them; human or JSON (one object per line).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/kntp.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "monitor.h"
#include "nl.h"

static const char * const kntp_event_names[] = {
	[KNTP_EVENT_SYSPEER]	 = "syspeer",
	[KNTP_EVENT_STRATUM]	 = "stratum",
	[KNTP_EVENT_STEP]	 = "step",
	[KNTP_EVENT_PANIC]	 = "panic",
	[KNTP_EVENT_REACHABLE]	 = "reachable",
	[KNTP_EVENT_UNREACHABLE] = "unreachable",
	[KNTP_EVENT_KOD]	 = "kod",
	[KNTP_EVENT_CLOCK_LOST]	 = "clock_lost",
};

static const struct nla_policy kntp_event_policy[KNTP_A_EVENT_MAX + 1] = {
	[KNTP_A_EVENT_TYPE]	= { .type = NLA_U32 },
	[KNTP_A_EVENT_TIME]	= { .type = NLA_U64 },
	[KNTP_A_EVENT_ASSOC_ID]	= { .type = NLA_U32 },
	[KNTP_A_EVENT_ADDR4]	= { .minlen = 4 },
	[KNTP_A_EVENT_ADDR6]	= { .minlen = 16 },
	[KNTP_A_EVENT_STRATUM]	= { .type = NLA_U8 },
	[KNTP_A_EVENT_STEP]	= { .type = NLA_U64 },
	[KNTP_A_EVENT_OFFSET]	= { .type = NLA_U64 },
	[KNTP_A_EVENT_KISS]	= { .minlen = 4 },
};

/* Unix ns as an ISO 8601 UTC time with nanoseconds. */
static void fmt_time(char *buf, size_t len, int64_t ns)
{
	time_t sec = ns / 1000000000;
	long frac = ns % 1000000000;
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, frac);
}

/**
 * kntp_monitor_format() - one event as a line
 * @tb: the event's attributes, parsed
 * @json: JSON object instead of words
 * @buf: the line, without newline
 * @len: its size
 */
void kntp_monitor_format(struct nlattr **tb, int json, char *buf, size_t len)
{
	uint32_t type = tb[KNTP_A_EVENT_TYPE] ?
			nla_get_u32(tb[KNTP_A_EVENT_TYPE]) : 0;
	const char *name = type && type < sizeof(kntp_event_names) /
		sizeof(kntp_event_names[0]) && kntp_event_names[type] ?
		kntp_event_names[type] : "unknown";
	char when[64] = "-", addr[INET6_ADDRSTRLEN] = "", kiss[5] = "";
	int64_t t = 0;
	size_t n;

	if (tb[KNTP_A_EVENT_TIME]) {
		t = (int64_t)nla_get_u64(tb[KNTP_A_EVENT_TIME]);
		fmt_time(when, sizeof(when), t);
	}
	if (tb[KNTP_A_EVENT_ADDR4])
		inet_ntop(AF_INET, nla_data(tb[KNTP_A_EVENT_ADDR4]), addr,
			  sizeof(addr));
	if (tb[KNTP_A_EVENT_ADDR6])
		inet_ntop(AF_INET6, nla_data(tb[KNTP_A_EVENT_ADDR6]), addr,
			  sizeof(addr));
	if (tb[KNTP_A_EVENT_KISS]) {
		memcpy(kiss, nla_data(tb[KNTP_A_EVENT_KISS]), 4);
		for (n = 0; n < 4; n++)
			if (kiss[n] < 0x20 || kiss[n] > 0x7e)
				kiss[n] = '?';
	}

	if (json)
		n = snprintf(buf, len, "{\"time_ns\": %" PRId64 ", \"event\": \"%s\"",
			     t, name);
	else
		n = snprintf(buf, len, "%s %s", when, name);
	if (n >= len)
		return;
	if (tb[KNTP_A_EVENT_ASSOC_ID])
		n += snprintf(buf + n, len - n, json ?
			      ", \"association\": %u, \"address\": \"%s\"" :
			      " %2$s (association %1$u)",
			      nla_get_u32(tb[KNTP_A_EVENT_ASSOC_ID]), addr);
	else if (type == KNTP_EVENT_SYSPEER)
		n += snprintf(buf + n, len - n, json ? ", \"association\": null" :
			      " none");
	if (n < len && tb[KNTP_A_EVENT_STRATUM])
		n += snprintf(buf + n, len - n, json ? ", \"stratum\": %u" : " %u",
			      nla_get_u8(tb[KNTP_A_EVENT_STRATUM]));
	if (n < len && tb[KNTP_A_EVENT_STEP])
		n += snprintf(buf + n, len - n, json ? ", \"step_ns\": %" PRId64 :
			      " %" PRId64 " ns",
			      (int64_t)nla_get_u64(tb[KNTP_A_EVENT_STEP]));
	if (n < len && tb[KNTP_A_EVENT_OFFSET])
		n += snprintf(buf + n, len - n, json ? ", \"offset_ns\": %" PRId64 :
			      " offset %" PRId64 " ns refused",
			      (int64_t)nla_get_u64(tb[KNTP_A_EVENT_OFFSET]));
	if (n < len && tb[KNTP_A_EVENT_KISS])
		n += snprintf(buf + n, len - n, json ? ", \"kiss\": \"%s\"" :
			      " kiss %s", kiss);
	if (n < len && json)
		snprintf(buf + n, len - n, "}");
}

static int kntp_monitor_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *top[KNTP_A_MAX + 1], *tb[KNTP_A_EVENT_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	int *json = arg;
	char line[512];

	if (gh->cmd != KNTP_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, top, KNTP_A_MAX, NULL) < 0 ||
	    !top[KNTP_A_EVENT] ||
	    nla_parse_nested(tb, KNTP_A_EVENT_MAX, top[KNTP_A_EVENT],
			     (struct nla_policy *)kntp_event_policy) < 0)
		return NL_SKIP;
	kntp_monitor_format(tb, *json, line, sizeof(line));
	printf("%s\n", line);
	fflush(stdout);
	return NL_OK;
}

/**
 * kntp_monitor() - print events until interrupted
 * @json: one JSON object per line
 *
 * Return: only on failure: a negative errno (it runs until killed).
 */
int kntp_monitor(int json)
{
	struct kntp_nl nl;
	char why[256];
	int grp, err;

	if (kntp_nl_open(&nl, KNTP_GENL_NAME, why, sizeof(why))) {
		fprintf(stderr, "kntp: monitor: %s\n", why);
		return -ENOENT;
	}
	grp = genl_ctrl_resolve_grp(nl.sk, KNTP_GENL_NAME,
				    KNTP_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(nl.sk, grp) < 0) {
		fprintf(stderr, "kntp: monitor: cannot join the \"%s\" group\n",
			KNTP_GENL_MCGRP_EVENTS);
		kntp_nl_close(&nl);
		return -EPROTO;
	}
	nl_socket_disable_seq_check(nl.sk);
	nl_socket_modify_cb(nl.sk, NL_CB_VALID, NL_CB_CUSTOM,
			    kntp_monitor_event, &json);
	for (;;) {
		err = nl_recvmsgs_default(nl.sk);
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			fprintf(stderr, "kntp: monitor: %s\n", nl_geterror(err));
			break;
		}
	}
	kntp_nl_close(&nl);
	return -EIO;
}
