// SPDX-License-Identifier: GPL-2.0
/*
 * The command table and what is generated from it: the lookup of a
 * command line (with the router's optional "ntp" word) and the help text.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <linux/kntp.h>

#include "array_size.h"
#include "auth.h"
#include "acl.h"
#include "cmd.h"
#include "config.h"
#include "monitor.h"
#include "run.h"

#define KNTP_STR_(x) #x
#define KNTP_STR(x) KNTP_STR_(x)

/* The word a router puts before its NTP commands; optional here. */
#define KNTP_NTP_WORD	"ntp"

static int parse_assoc(const struct kntp_command *c, int argc, char **argv,
		       int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_assoc(argc, argv, argi, req, err);
}

static int parse_addr(const struct kntp_command *c, int argc, char **argv,
		      int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_addr_only(argc, argv, argi, req, err);
}

static int parse_none(const struct kntp_command *c, int argc, char **argv,
		      int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	(void)req;
	return kntp_parse_none(argc, argv, argi, err);
}

static int parse_addr_opt(const struct kntp_command *c, int argc, char **argv,
			  int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_addr_opt(argc, argv, argi, req, err);
}

static int parse_master(const struct kntp_command *c, int argc, char **argv,
			int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_master(argc, argv, argi, req, err);
}

static int parse_no_master(const struct kntp_command *c, int argc,
			   char **argv, int argi, struct kntp_req *req,
			   struct kntp_perr *err)
{
	(void)c;
	req->set |= KNTP_REQ_MASTER;
	req->master = 0;
	return kntp_parse_none(argc, argv, argi, err);
}

/* enable, disable: c->value 1 or 0. */
static int parse_enabled(const struct kntp_command *c, int argc, char **argv,
			 int argi, struct kntp_req *req, struct kntp_perr *err)
{
	req->set |= KNTP_REQ_ENABLED;
	req->enabled = c->value;
	return kntp_parse_none(argc, argv, argi, err);
}

/* clock system, clock virtual: c->value the clock. */
static int parse_clock(const struct kntp_command *c, int argc, char **argv,
		       int argi, struct kntp_req *req, struct kntp_perr *err)
{
	req->set |= KNTP_REQ_CLOCK;
	req->clock = c->value;
	return kntp_parse_none(argc, argv, argi, err);
}

/* The clock's thresholds: c->value the KNTP_NUM_* of the number. */
static int parse_num(const struct kntp_command *c, int argc, char **argv,
		     int argi, struct kntp_req *req, struct kntp_perr *err)
{
	return kntp_parse_num(c->value, argc, argv, argi, req, err);
}

static int parse_inject(const struct kntp_command *c, int argc, char **argv,
			int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_inject(argc, argv, argi, req, err);
}

static int parse_apply(const struct kntp_command *c, int argc, char **argv,
		       int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	if (argi < argc)
		req->file = argv[argi++];
	return kntp_parse_none(argc, argv, argi, err);
}

static int parse_authenticate(const struct kntp_command *c, int argc,
			      char **argv, int argi, struct kntp_req *req,
			      struct kntp_perr *err)
{
	req->set |= KNTP_REQ_AUTHENTICATE;
	req->authenticate = !(c->flags & KNTP_CMDF_NO);
	return kntp_parse_none(argc, argv, argi, err);
}

static int parse_authkey(const struct kntp_command *c, int argc, char **argv,
			 int argi, struct kntp_req *req, struct kntp_perr *err)
{
	if (c->flags & KNTP_CMDF_NO)
		return kntp_parse_authkey_no(argc, argv, argi, req, err);
	return kntp_parse_authkey(argc, argv, argi, req, err);
}

static int parse_trusted(const struct kntp_command *c, int argc, char **argv,
			 int argi, struct kntp_req *req, struct kntp_perr *err)
{
	req->trust = !(c->flags & KNTP_CMDF_NO);
	return kntp_parse_trusted(argc, argv, argi, req, err);
}

static int parse_acl_group(const struct kntp_command *c, int argc,
			   char **argv, int argi, struct kntp_req *req,
			   struct kntp_perr *err)
{
	return kntp_parse_access_group(argc, argv, argi, req, err,
				       c->flags & KNTP_CMDF_NO);
}

static int parse_acl_list(const struct kntp_command *c, int argc, char **argv,
			  int argi, struct kntp_req *req, struct kntp_perr *err)
{
	return kntp_parse_access_list(argc, argv, argi, req, err,
				      c->flags & KNTP_CMDF_NO);
}

static int parse_acl_ipv6(const struct kntp_command *c, int argc, char **argv,
			  int argi, struct kntp_req *req, struct kntp_perr *err)
{
	return kntp_parse_ipv6_acl(argc, argv, argi, req, err,
				   c->flags & KNTP_CMDF_NO);
}

static int parse_ratelimit(const struct kntp_command *c, int argc,
			   char **argv, int argi, struct kntp_req *req,
			   struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_ratelimit(argc, argv, argi, req, err);
}

static int parse_no_ratelimit(const struct kntp_command *c, int argc,
			      char **argv, int argi, struct kntp_req *req,
			      struct kntp_perr *err)
{
	(void)c;
	req->set |= KNTP_REQ_RATELIMIT;
	memset(&req->rl, 0, sizeof(req->rl));
	return kntp_parse_none(argc, argv, argi, err);
}

/* "serve ingress IFNAME", "no serve ingress IFNAME". */
static int parse_ingress(const struct kntp_command *c, int argc, char **argv,
			 int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	return kntp_parse_ifname(argc, argv, argi, req, err);
}

static int run_monitor(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx)
{
	(void)c;
	(void)ctx;
	return kntp_monitor(req->json) ? KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

static int parse_help(const struct kntp_command *c, int argc, char **argv,
		      int argi, struct kntp_req *req, struct kntp_perr *err)
{
	(void)c;
	(void)err;
	req->topic = argv + argi;
	req->ntopic = argc - argi;
	return 0;
}

static const struct kntp_command kntp_commands[] = {
	{ { "server" }, "ADDR", 1,
	  "Add an upstream server: we poll it (client mode) and may sync to it.",
	  parse_assoc, kntp_run_assoc,
	  KNTP_CMD_ASSOC_ADD, KNTP_ASSOC_KIND_SERVER,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "peer" }, "ADDR", 1,
	  "Add a symmetric peer: either side may sync to the other.",
	  parse_assoc, kntp_run_assoc,
	  KNTP_CMD_ASSOC_ADD, KNTP_ASSOC_KIND_PEER,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "server" }, "ADDR", 0,
	  "Remove the server ADDR (not a peer of that address).",
	  parse_addr, kntp_run_assoc,
	  KNTP_CMD_ASSOC_DEL, KNTP_ASSOC_KIND_SERVER,
	  KNTP_CMDF_NO, 0 },
	{ { "no", "peer" }, "ADDR", 0,
	  "Remove the peer ADDR (not a server of that address).",
	  parse_addr, kntp_run_assoc,
	  KNTP_CMD_ASSOC_DEL, KNTP_ASSOC_KIND_PEER,
	  KNTP_CMDF_NO, 0 },
	{ { "master" }, "[STRATUM]", 0,
	  "Serve our own clock at STRATUM (default "
	  KNTP_STR(KNTP_MASTER_DEFAULT) "), as a reference for clients.",
	  parse_master, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "master" }, "", 0,
	  "Stop serving our own clock.",
	  parse_no_master, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "enable" }, "", 0,
	  "Open port 123 and run the associations.",
	  parse_enabled, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  0, 1 },
	{ { "disable" }, "", 0,
	  "Close port 123 and stop polling; the configuration is kept.",
	  parse_enabled, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  0, 0 },
	{ { "clock", "system" }, "", 0,
	  "Discipline the system clock (needs CAP_SYS_TIME; one instance at a time).",
	  parse_clock, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, KNTP_CLOCK_SYSTEM },
	{ { "clock", "virtual" }, "", 0,
	  "Discipline a clock of the instance's own; the system clock is left alone.",
	  parse_clock, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, KNTP_CLOCK_VIRTUAL },
	{ { "clock", "step-threshold" }, "MSEC", 0,
	  "Step offsets above MSEC milliseconds, slew smaller ones; 0 never steps.",
	  parse_num, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, KNTP_NUM_STEP_THRESHOLD },
	{ { "clock", "panic-threshold" }, "SEC", 0,
	  "Refuse offsets above SEC seconds; 0 accepts any.",
	  parse_num, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, KNTP_NUM_PANIC_THRESHOLD },
	{ { "clock", "stepout" }, "SEC", 0,
	  "Step only after an offset above the step threshold lasted SEC seconds.",
	  parse_num, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, KNTP_NUM_STEPOUT },
	{ { "clock", "inject" }, "[offset MSEC] [frequency PPM]", 0,
	  "Give a virtual clock an error (tests): step it by MSEC, run it PPM fast.",
	  parse_inject, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  0, 0 },
	{ { "authentication-key" }, "N TYPE SECRET", 0,
	  "Add or replace key N: TYPE md5, hmac-sha1, hmac-sha2-256 or cmac-aes-128; SECRET as text or HEX:digits.",
	  parse_authkey, kntp_run_key, KNTP_CMD_KEY_SET, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "authentication-key" }, "N", 0,
	  "Remove key N.",
	  parse_authkey, kntp_run_key, KNTP_CMD_KEY_DEL, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "trusted-key" }, "N[-M]", 0,
	  "Trust keys N to M: only a trusted key authenticates a packet.",
	  parse_trusted, kntp_run_key, KNTP_CMD_KEY_TRUST, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "trusted-key" }, "N[-M]", 0,
	  "Stop trusting keys N to M.",
	  parse_trusted, kntp_run_key, KNTP_CMD_KEY_TRUST, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "authenticate" }, "", 0,
	  "Use only servers and peers whose packets are signed with a trusted key.",
	  parse_authenticate, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "authenticate" }, "", 0,
	  "Use unsigned servers and peers too (those with a key still need it).",
	  parse_authenticate, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "access-group" },
	  "[ipv4|ipv6] peer|serve|serve-only|query-only ACL [kod]", 0,
	  "Allow what the list ACL permits: peer (may sync us), serve, serve-only (answered), query-only (nothing); kod: refused requests get a DENY kiss.",
	  parse_acl_group, kntp_run_access_group, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG | KNTP_CMDF_ACL, 0 },
	{ { "no", "access-group" }, "[ipv4|ipv6] peer|serve|serve-only|query-only", 0,
	  "Remove that access group.",
	  parse_acl_group, kntp_run_access_group, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "access-list" }, "N permit|deny A.B.C.D [WILDCARD]|host A.B.C.D|any", 0,
	  "Append an entry to the standard IPv4 list N (1-99, 1300-1999).",
	  parse_acl_list, kntp_run_acl_set, KNTP_CMD_ACL_SET, 0,
	  KNTP_CMDF_CONFIG | KNTP_CMDF_ACL, 0 },
	{ { "no", "access-list" }, "N", 0,
	  "Remove the IPv4 list N.",
	  parse_acl_list, kntp_run_acl_del, KNTP_CMD_ACL_DEL, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "ipv6", "access-list" }, "NAME [permit|deny PREFIX/LEN|any]", 0,
	  "Define the IPv6 list NAME, or append an entry to it.",
	  parse_acl_ipv6, kntp_run_acl_set, KNTP_CMD_ACL_SET, 0,
	  KNTP_CMDF_CONFIG | KNTP_CMDF_ACL, 0 },
	{ { "no", "ipv6", "access-list" }, "NAME", 0,
	  "Remove the IPv6 list NAME.",
	  parse_acl_ipv6, kntp_run_acl_del, KNTP_CMD_ACL_DEL, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "show", "access-lists" }, "", 0,
	  "Show the access lists and the access groups that use them.",
	  parse_none, kntp_run_show_acls, KNTP_CMD_ACL_GET, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "ratelimit" },
	  "[interval LOG2S] [burst N] [leak N] [kod] [table-size N] [ipv6-prefix LEN]", 0,
	  "Limit the answers to each client (IPv6: each prefix): BURST at once, then one per 2^LOG2S s; one in 2^N over the limit answered anyway; kod: a RATE kiss instead of silence. Defaults: interval "
	  KNTP_STR(KNTP_RATELIMIT_INTERVAL_DEFAULT) ", burst "
	  KNTP_STR(KNTP_RATELIMIT_BURST_DEFAULT) ", leak "
	  KNTP_STR(KNTP_RATELIMIT_LEAK_DEFAULT) ", table-size "
	  KNTP_STR(KNTP_RATELIMIT_TABLE_DEFAULT) ", ipv6-prefix "
	  KNTP_STR(KNTP_RATELIMIT_PREFIX6_DEFAULT) ".",
	  parse_ratelimit, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "ratelimit" }, "", 0,
	  "Answer every client again (rate limiting off, the default).",
	  parse_no_ratelimit, kntp_run_instance, KNTP_CMD_INSTANCE_SET, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "serve", "ingress" }, "IFNAME", 0,
	  "Answer requests to IFNAME's addresses at its ingress, before the IP layer (no netfilter, no routing): out of IFNAME to the sender's MAC address.",
	  parse_ingress, kntp_run_ingress, KNTP_CMD_INGRESS_ADD, 0,
	  KNTP_CMDF_CONFIG, 0 },
	{ { "no", "serve", "ingress" }, "IFNAME", 0,
	  "Stop answering at IFNAME's ingress.",
	  parse_ingress, kntp_run_ingress, KNTP_CMD_INGRESS_DEL, 0,
	  KNTP_CMDF_NO, 0 },
	{ { "show", "associations" }, "", 0,
	  "List the servers and peers and their state.",
	  parse_none, kntp_run_show_assocs, KNTP_CMD_ASSOC_GET, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "show", "associations", "detail" }, "", 0,
	  "A block per server and peer: modes, timestamps, clock filter, counters.",
	  parse_none, kntp_run_show_assocs_detail, KNTP_CMD_ASSOC_GET, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "show", "status" }, "", 0,
	  "Show the state of the clock: synchronisation, stratum, reference.",
	  parse_none, kntp_run_show_status, KNTP_CMD_STATUS_GET, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "show", "counters" }, "[ADDR]", 0,
	  "Show the packet counters of the instance, or of the association ADDR.",
	  parse_addr_opt, kntp_run_show_counters, KNTP_CMD_STATUS_GET, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "show", "metrics" }, "", 0,
	  "Print the status, the counters and each association in the OpenMetrics text format (Prometheus, node_exporter's textfile collector).",
	  parse_none, kntp_run_show_metrics, KNTP_CMD_STATUS_GET, 0,
	  0, 0 },
	{ { "show", "authentication-keys" }, "", 0,
	  "List the keys: id, type, trusted, fingerprint (never the secret).",
	  parse_none, kntp_run_show_keys, KNTP_CMD_KEY_GET, 0,
	  0, 0 },
	{ { "show", "running-config" }, "", 0,
	  "Print the configuration as lines that \"apply\" takes.",
	  parse_none, kntp_run_show_config, 0, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "apply" }, "[FILE]", 0,
	  "Make the configuration that of FILE (default " KNTP_CONF_DEFAULT
	  "; - reads the standard input): one command per line.",
	  parse_apply, kntp_run_apply, 0, 0,
	  0, 0 },
	{ { "monitor" }, "", 0,
	  "Print the module's events as they come (system peer, stratum, steps, reachability, kiss codes).",
	  parse_none, run_monitor, 0, 0,
	  KNTP_CMDF_JSON, 0 },
	{ { "help" }, "[COMMAND]", 0,
	  "Show this help, or the help of the commands starting with COMMAND.",
	  parse_help, kntp_help, 0, 0,
	  0, 0 },
};

/*
 * How many of c's words argv[argi..] spells; *next is the index after them.
 * One "ntp" may come before any of the words ("ntp server", "no ntp server",
 * "show ntp status").
 */
static int match(const struct kntp_command *c, int argc, char **argv, int argi,
		 int *next)
{
	int ntp = 0, d;

	for (d = 0; d < KNTP_CMD_WORDS && c->words[d]; d++) {
		if (!ntp && argi < argc && !strcmp(argv[argi], KNTP_NTP_WORD)) {
			ntp = 1;
			argi++;
		}
		if (argi >= argc || strcmp(argv[argi], c->words[d]))
			break;
		argi++;
	}
	*next = argi;
	return d;
}

static int complete(const struct kntp_command *c, int depth)
{
	return depth == KNTP_CMD_WORDS || !c->words[depth];
}

static size_t put_words(char *buf, size_t len, const struct kntp_command *c,
			int depth)
{
	size_t n = 0;
	int d;

	buf[0] = '\0';
	for (d = 0; d < depth && d < KNTP_CMD_WORDS && c->words[d] && n < len;
	     d++)
		n += snprintf(buf + n, len - n, "%s%s", d ? " " : "",
			      c->words[d]);
	return n;
}

/* The words that could come at depth after a prefix, "a, b, c". */
static void expected(char *buf, size_t len, int depth, int argc, char **argv)
{
	size_t i, j, n = 0;
	int next;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(kntp_commands) && n < len; i++) {
		const struct kntp_command *c = &kntp_commands[i];

		if (complete(c, depth) || match(c, argc, argv, 0, &next) < depth)
			continue;
		for (j = 0; j < i; j++)	/* once each */
			if (!complete(&kntp_commands[j], depth) &&
			    match(&kntp_commands[j], argc, argv, 0, &next) >= depth &&
			    !strcmp(kntp_commands[j].words[depth], c->words[depth]))
				break;
		if (j == i)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      c->words[depth]);
	}
}

/* The command argv names; *argi is set to the index of its arguments. */
static const struct kntp_command *find(int argc, char **argv, int *argi,
				       struct kntp_perr *err)
{
	const struct kntp_command *best = NULL;
	char words[64], list[256];
	const struct kntp_command *found = NULL;
	int depth = -1, bad = 0, found_depth = -1;
	size_t i;

	/* The longest command spelled ("show associations detail"). */
	for (i = 0; i < ARRAY_SIZE(kntp_commands); i++) {
		int next, d = match(&kntp_commands[i], argc, argv, 0, &next);

		if (complete(&kntp_commands[i], d)) {
			if (d > found_depth) {
				found = &kntp_commands[i];
				found_depth = d;
				*argi = next;
			}
			continue;
		}
		if (d > depth) {
			depth = d;
			best = &kntp_commands[i];
			bad = next;
		}
	}
	if (found)
		return found;
	put_words(words, sizeof(words), best, depth);
	expected(list, sizeof(list), depth, argc, argv);
	if (bad >= argc && depth)
		kntp_perr_set(err, KNTP_PERR_COMMAND, -1,
			      "%s: incomplete command (expected %s)",
			      words, list);
	else if (bad >= argc)
		kntp_perr_set(err, KNTP_PERR_COMMAND, -1,
			      "missing command (expected %s)", list);
	else if (depth)
		kntp_perr_set(err, KNTP_PERR_COMMAND, bad,
			      "%s: unknown word \"%s\" (expected %s)",
			      words, argv[bad], list);
	else
		kntp_perr_set(err, KNTP_PERR_COMMAND, bad,
			      "unknown command \"%s\" (expected %s)",
			      argv[bad], list);
	return NULL;
}

static int is_json_opt(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "--json");
}

/*
 * The global options, anywhere on the line ("kntp -j show status", "kntp
 * show status --json"), moved to the end of argv; returns how many words
 * are left before them. Their order and the others' order are kept.
 */
static int take_options(int argc, char **argv, struct kntp_req *req)
{
	int i, n = 0, k = 0;
	char *opts[argc > 0 ? argc : 1];

	for (i = 0; i < argc; i++) {
		if (is_json_opt(argv[i])) {
			req->json = 1;
			opts[k++] = argv[i];
		} else {
			argv[n++] = argv[i];
		}
	}
	for (i = 0; i < k; i++)
		argv[n + i] = opts[i];
	return n;
}

/*
 * A command line (without the program name) into its command and request.
 * Returns 0, or -1 with err set. The global options (-j) are moved to the
 * end of argv; an err->argi is an index into the reordered argv.
 */
int kntp_cmd_parse(int argc, char **argv, const struct kntp_command **cmd,
		   struct kntp_req *req, struct kntp_perr *err)
{
	int argi, all = argc;

	memset(req, 0, sizeof(*req));
	memset(err, 0, sizeof(*err));
	err->argi = -1;
	argc = take_options(argc, argv, req);
	*cmd = find(argc, argv, &argi, err);
	if (!*cmd)
		return -1;
	if (req->json && !((*cmd)->flags & KNTP_CMDF_JSON)) {
		char words[64];

		put_words(words, sizeof(words), *cmd, KNTP_CMD_WORDS);
		kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argc,
			      "%s: \"%s\" has no JSON output",
			      argv[argc < all ? argc : 0], words);
		return -1;
	}
	if ((*cmd)->parse(*cmd, argc, argv, argi, req, err))
		return -1;
	req->kind = (*cmd)->kind;
	return 0;
}

static void print_synopsis(FILE *f, const char *prefix,
			   const struct kntp_command *c)
{
	const char *name, *arg;
	char words[64];
	int i;

	put_words(words, sizeof(words), c, KNTP_CMD_WORDS);
	fprintf(f, "%s%s%s%s", prefix, words, *c->args ? " " : "", c->args);
	for (i = 0; c->opts && kntp_parse_opt_desc(i, &name, &arg); i++)
		fprintf(f, " [%s%s%s]", name, arg ? " " : "", arg ? arg : "");
	fputc('\n', f);
}

/* -j and the commands that take it, as the table's KNTP_CMDF_JSON says. */
static void print_json_commands(FILE *f)
{
	char words[64];
	const char *sep = "";
	size_t i;

	fprintf(f, "\nOption, before or after the command words:\n"
		"  -j, --json   JSON instead of text (one document; monitor: an object\n"
		"               per event) for:");
	for (i = 0; i < ARRAY_SIZE(kntp_commands); i++) {
		if (!(kntp_commands[i].flags & KNTP_CMDF_JSON))
			continue;
		put_words(words, sizeof(words), &kntp_commands[i],
			  KNTP_CMD_WORDS);
		fprintf(f, "%s\n               %s", sep, words);
		sep = ",";
	}
	fprintf(f, ".\n");
}

static void print_options(FILE *f)
{
	const char *name, *arg, *desc;
	char word[32];
	int i;

	fprintf(f, "\nOptions of server and peer, in any order:\n");
	for (i = 0; (desc = kntp_parse_opt_desc(i, &name, &arg)); i++) {
		snprintf(word, sizeof(word), "%s%s%s", name, arg ? " " : "",
			 arg ? arg : "");
		fprintf(f, "  %-12s %s\n", word, desc);
	}
}

/* Help for every command, or for those whose words start with the topic. */
int kntp_help(const struct kntp_command *c, const struct kntp_req *req,
	      const char *ctx)
{
	int shown = 0, opts = 0, next;
	size_t i;

	(void)c;
	(void)ctx;
	if (!req->ntopic)
		printf("Usage: kntp [-j] [ntp] COMMAND [ARGUMENTS]\n\n"
		       "Manages the kntp kernel module (NTPv4) in the words of a router's\n"
		       "configuration; the word \"ntp\" is optional, as in \"ntp server ADDR\"\n"
		       "or \"show ntp associations\".\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(kntp_commands); i++) {
		const struct kntp_command *k = &kntp_commands[i];
		int d = match(k, req->ntopic, req->topic, 0, &next);

		if (req->ntopic && (next < req->ntopic || !d))
			continue;
		print_synopsis(stdout, "  ", k);
		printf("      %s\n", k->help);
		shown++;
		opts |= k->opts;
	}
	if (!shown) {
		fprintf(stderr, "kntp: help: no command \"%s\" (try \"kntp help\")\n",
			req->topic[0]);
		return KNTP_EXIT_USAGE;
	}
	if (opts)
		print_options(stdout);
	if (!req->ntopic || opts)
		printf("\nADDR is an IPv4 or IPv6 address, or a host name (resolved here).\n");
	if (!req->ntopic)
		printf("IFNAME is the name of a network device of this network namespace.\n");
	if (!req->ntopic)
		printf("MSEC, SEC and PPM are decimal numbers (\"0.5\", \"-100\") of\n"
		       "milliseconds, seconds and parts per million.\n");
	if (!req->ntopic)
		print_json_commands(stdout);
	if (!req->ntopic)
		printf("\nExit status: 0 success, 1 the request failed, 2 usage error.\n");
	return KNTP_EXIT_OK;
}

int kntp_cmd_main(int argc, char **argv)
{
	char resolved[INET6_ADDRSTRLEN], why[256];
	const struct kntp_command *c;
	struct kntp_perr err;
	struct kntp_req req;
	char ctx[128];
	int parsed;
	size_t n;

	if (argc == 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		memset(&req, 0, sizeof(req));
		return kntp_help(NULL, &req, NULL);
	}
	parsed = kntp_cmd_parse(argc, argv, &c, &req, &err);
	/* A host name: the tool resolves it (getaddrinfo), never the kernel. */
	if (parsed && err.code == KNTP_PERR_HOSTNAME && err.argi >= 0) {
		if (kntp_resolve_host(argv[err.argi], resolved, sizeof(resolved),
				      why, sizeof(why))) {
			fprintf(stderr, "kntp: %s\n", why);
			return KNTP_EXIT_FAIL;
		}
		argv[err.argi] = resolved;
		parsed = kntp_cmd_parse(argc, argv, &c, &req, &err);
	}
	if (parsed) {
		if (err.code == KNTP_PERR_NO_ADDR ||
		    (err.code == KNTP_PERR_NO_VALUE && err.argi < 0)) {
			put_words(ctx, sizeof(ctx), c, KNTP_CMD_WORDS);
			fprintf(stderr, "kntp: %s: %s\n", ctx, err.msg);
		} else {
			fprintf(stderr, "kntp: %s\n", err.msg);
		}
		if (!c) {
			fprintf(stderr, "Try \"kntp help\".\n");
		} else if (err.code == KNTP_PERR_NO_ADDR ||
			   err.code == KNTP_PERR_TRAILING ||
			   (err.code == KNTP_PERR_NO_VALUE && err.argi < 0)) {
			print_synopsis(stderr, "Usage: kntp ", c);
		}
		return KNTP_EXIT_USAGE;
	}
	/*
	 * "server 192.0.2.1", "clock stepout 900", "serve ingress eth1": the
	 * command's words and the address, number or device typed.
	 */
	n = put_words(ctx, sizeof(ctx), c, KNTP_CMD_WORDS);
	if (req.addr_arg && n < sizeof(ctx))
		snprintf(ctx + n, sizeof(ctx) - n, " %s", req.addr_arg);
	else if (req.value_arg && n < sizeof(ctx))
		snprintf(ctx + n, sizeof(ctx) - n, " %s", req.value_arg);
	else if (req.ifname[0] && n < sizeof(ctx))
		snprintf(ctx + n, sizeof(ctx) - n, " %s", req.ifname);
	return c->run(c, &req, ctx);
}
