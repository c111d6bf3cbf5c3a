// SPDX-License-Identifier: GPL-2.0
/*
 * kntp monitor: print the module's notifications (KNTP_CMD_EVENT on the
 * "events" multicast group) as they come, one line each, with the time the
 * instance's clock gave them; human or JSON (one object per line, through
 * json.c like every other JSON the tool writes).
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

#include "array_size.h"
#include "json.h"
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

/* An event's fields, taken from its attributes. */
struct kntp_monitor_ev {
	uint32_t type;
	const char *name;
	int64_t time_ns;
	char when[64];
	char addr[INET6_ADDRSTRLEN];
	char kiss[5];
};

static void kntp_monitor_read(struct nlattr **tb, struct kntp_monitor_ev *e)
{
	size_t n;

	memset(e, 0, sizeof(*e));
	if (tb[KNTP_A_EVENT_TYPE])
		e->type = nla_get_u32(tb[KNTP_A_EVENT_TYPE]);
	e->name = e->type < ARRAY_SIZE(kntp_event_names) &&
		  kntp_event_names[e->type] ? kntp_event_names[e->type] :
					      "unknown";
	strcpy(e->when, "-");
	if (tb[KNTP_A_EVENT_TIME]) {
		e->time_ns = (int64_t)nla_get_u64(tb[KNTP_A_EVENT_TIME]);
		fmt_time(e->when, sizeof(e->when), e->time_ns);
	}
	if (tb[KNTP_A_EVENT_ADDR4])
		inet_ntop(AF_INET, nla_data(tb[KNTP_A_EVENT_ADDR4]), e->addr,
			  sizeof(e->addr));
	if (tb[KNTP_A_EVENT_ADDR6])
		inet_ntop(AF_INET6, nla_data(tb[KNTP_A_EVENT_ADDR6]), e->addr,
			  sizeof(e->addr));
	if (tb[KNTP_A_EVENT_KISS]) {
		memcpy(e->kiss, nla_data(tb[KNTP_A_EVENT_KISS]), 4);
		for (n = 0; n < 4; n++)
			if (e->kiss[n] < 0x20 || e->kiss[n] > 0x7e)
				e->kiss[n] = '?';
	}
}

/* One event as a line of words. */
static void kntp_monitor_text(FILE *f, struct nlattr **tb,
			      const struct kntp_monitor_ev *e)
{
	fprintf(f, "%s %s", e->when, e->name);
	if (tb[KNTP_A_EVENT_ASSOC_ID])
		fprintf(f, " %s (association %u)", e->addr,
			nla_get_u32(tb[KNTP_A_EVENT_ASSOC_ID]));
	else if (e->type == KNTP_EVENT_SYSPEER)
		fputs(" none", f);
	if (tb[KNTP_A_EVENT_STRATUM])
		fprintf(f, " %u", nla_get_u8(tb[KNTP_A_EVENT_STRATUM]));
	if (tb[KNTP_A_EVENT_STEP])
		fprintf(f, " %" PRId64 " ns",
			(int64_t)nla_get_u64(tb[KNTP_A_EVENT_STEP]));
	if (tb[KNTP_A_EVENT_OFFSET])
		fprintf(f, " offset %" PRId64 " ns refused",
			(int64_t)nla_get_u64(tb[KNTP_A_EVENT_OFFSET]));
	if (tb[KNTP_A_EVENT_KISS])
		fprintf(f, " kiss %s", e->kiss);
	fputc('\n', f);
}

/* One event as a JSON object on a line. */
static void kntp_monitor_json(FILE *f, struct nlattr **tb,
			      const struct kntp_monitor_ev *e)
{
	struct kntp_json j;

	kntp_json_init(&j, f);
	kntp_json_open(&j, NULL, '{');
	kntp_json_s64(&j, "time_ns", e->time_ns);
	kntp_json_str(&j, "event", e->name);
	if (tb[KNTP_A_EVENT_ASSOC_ID]) {
		kntp_json_u64(&j, "association",
			      nla_get_u32(tb[KNTP_A_EVENT_ASSOC_ID]));
		kntp_json_str(&j, "address", e->addr);
	} else if (e->type == KNTP_EVENT_SYSPEER) {
		kntp_json_null(&j, "association");
	}
	if (tb[KNTP_A_EVENT_STRATUM])
		kntp_json_u64(&j, "stratum",
			      nla_get_u8(tb[KNTP_A_EVENT_STRATUM]));
	if (tb[KNTP_A_EVENT_STEP])
		kntp_json_s64(&j, "step_ns",
			      (int64_t)nla_get_u64(tb[KNTP_A_EVENT_STEP]));
	if (tb[KNTP_A_EVENT_OFFSET])
		kntp_json_s64(&j, "offset_ns",
			      (int64_t)nla_get_u64(tb[KNTP_A_EVENT_OFFSET]));
	if (tb[KNTP_A_EVENT_KISS])
		kntp_json_str(&j, "kiss", e->kiss);
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/**
 * kntp_monitor_print() - one event as a line
 * @f: where to
 * @tb: the event's attributes, parsed
 * @json: a JSON object instead of words
 */
void kntp_monitor_print(FILE *f, struct nlattr **tb, int json)
{
	struct kntp_monitor_ev e;

	kntp_monitor_read(tb, &e);
	if (json)
		kntp_monitor_json(f, tb, &e);
	else
		kntp_monitor_text(f, tb, &e);
}

static int kntp_monitor_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *top[KNTP_A_MAX + 1], *tb[KNTP_A_EVENT_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	int *json = arg;

	if (gh->cmd != KNTP_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, top, KNTP_A_MAX, NULL) < 0 ||
	    !top[KNTP_A_EVENT] ||
	    nla_parse_nested(tb, KNTP_A_EVENT_MAX, top[KNTP_A_EVENT],
			     (struct nla_policy *)kntp_event_policy) < 0)
		return NL_SKIP;
	kntp_monitor_print(stdout, tb, *json);
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
