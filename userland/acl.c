// SPDX-License-Identifier: GPL-2.0
/*
 * Access control, as a router's operator writes it:
 *
 *   access-list 10 permit 192.0.2.0 0.0.0.255     standard numbered IPv4
 *   access-list 10 deny host 192.0.2.9             (1-99, 1300-1999)
 *   access-list 10 permit any
 *   ipv6 access-list CLIENTS                       named IPv6: in a file a
 *    permit 2001:db8::/32                          block of entries, on the
 *    deny any                                      command line one each
 *   ntp access-group [ipv4|ipv6] peer|serve|serve-only|query-only ACL [kod]
 *
 * The words become requests (KNTP_CMD_ACL_SET/DEL, the access groups of
 * KNTP_CMD_INSTANCE_SET); "show access-lists" and the running configuration
 * read them back; "kntp apply" makes the kernel's lists and groups a file's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "acl.h"
#include "json.h"
#include "run.h"

static const char *const kntp_acl_types[KNTP_ACCESS_TYPES] = {
	"peer", "serve", "serve-only", "query-only",
};

const char *kntp_acl_type_name(unsigned int t)
{
	return t < KNTP_ACCESS_TYPES ? kntp_acl_types[t] : "?";
}

static const char *fam_name(uint8_t family)
{
	return family == KNTP_ACL_IPV6 ? "ipv6" : "ipv4";
}

/* 1..32 of [A-Za-z0-9_.-]; an IPv4 list's name is a standard number. */
int kntp_acl_name_ok(const char *name, uint8_t family, char *why, size_t len)
{
	size_t i, n = strlen(name);
	long v;

	if (!n || n > KNTP_ACL_NAME_MAX) {
		snprintf(why, len, "access list name \"%s\": 1 to %d characters",
			 name, KNTP_ACL_NAME_MAX);
		return 0;
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-')) {
			snprintf(why, len,
				 "access list name \"%s\": only letters, digits, '_', '.' and '-'",
				 name);
			return 0;
		}
	}
	if (family != KNTP_ACL_IPV4)
		return 1;
	if (name[0] == '0' || kntp_parse_int(name, 0, 9999, &v) ||
	    !((v >= KNTP_ACL_STD_MIN && v <= KNTP_ACL_STD_MAX) ||
	      (v >= KNTP_ACL_STD_EXP_MIN && v <= KNTP_ACL_STD_EXP_MAX))) {
		snprintf(why, len,
			 "access list \"%s\": standard IPv4 lists are numbered 1-99 or 1300-1999",
			 name);
		return 0;
	}
	return 1;
}

static int set_name(struct kntp_req *req, const char *name, uint8_t family,
		    int argi, struct kntp_perr *err)
{
	char why[128];

	if (!kntp_acl_name_ok(name, family, why, sizeof(why))) {
		kntp_perr_set(err, KNTP_PERR_NOT_INT, argi, "%s", why);
		return -1;
	}
	snprintf(req->acl_name, sizeof(req->acl_name), "%s", name);
	req->acl_family = family;
	return 0;
}

static int parse_action(const char *w, struct kntp_acl_ent *e, int argi,
			struct kntp_perr *err)
{
	if (!strcmp(w, "permit")) {
		e->action = KNTP_ACL_PERMIT;
		return 0;
	}
	if (!strcmp(w, "deny")) {
		e->action = KNTP_ACL_DENY;
		return 0;
	}
	kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
		      "unknown word \"%s\" (expected permit, deny)", w);
	return -1;
}

/* "permit|deny {any | host A.B.C.D | A.B.C.D [WILDCARD]}" from argv[argi]. */
static int parse_entry4(int argc, char **argv, int argi,
			struct kntp_acl_ent *e, struct kntp_perr *err)
{
	const char *a;

	memset(e, 0, sizeof(*e));
	if (parse_action(argv[argi], e, argi, err))
		return -1;
	if (++argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi - 1,
			      "%s: missing address (A.B.C.D [WILDCARD], host A.B.C.D, any)",
			      argv[argi - 1]);
		return -1;
	}
	if (!strcmp(argv[argi], "any")) {
		e->wild.s_addr = 0xffffffff;
		return kntp_parse_none(argc, argv, argi + 1, err);
	}
	if (!strcmp(argv[argi], "host")) {
		if (++argi >= argc) {
			kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi - 1,
				      "host: missing address (host A.B.C.D)");
			return -1;
		}
	}
	a = argv[argi];
	if (inet_pton(AF_INET, a, &e->addr.v4) != 1) {
		kntp_perr_set(err, KNTP_PERR_ADDR, argi,
			      "\"%s\": not an IPv4 address", a);
		return -1;
	}
	if (argi + 1 < argc && strcmp(argv[argi - 1], "host")) {
		argi++;
		if (inet_pton(AF_INET, argv[argi], &e->wild) != 1) {
			kntp_perr_set(err, KNTP_PERR_ADDR, argi,
				      "wildcard \"%s\": not an IPv4 wildcard mask (as 0.0.0.255)",
				      argv[argi]);
			return -1;
		}
	}
	e->addr.v4.s_addr &= ~e->wild.s_addr;
	return kntp_parse_none(argc, argv, argi + 1, err);
}

/* PREFIX/LEN, ADDR (a /128) or any into e. */
static int parse_prefix6(const char *arg, struct kntp_acl_ent *e, int argi,
			 struct kntp_perr *err)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	long len = 128;
	int i;

	if (!strcmp(arg, "any")) {
		memset(&e->addr.v6, 0, sizeof(e->addr.v6));
		e->plen = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (kntp_parse_int(slash + 1, 0, 128, &len) || slash[1] == '+' ||
		    slash[1] == '-') {
			kntp_perr_set(err, KNTP_PERR_RANGE, argi,
				      "\"%s\": prefix length must be 0..128", arg);
			return -1;
		}
	}
	if (strlen(arg) >= sizeof(buf) ||
	    inet_pton(AF_INET6, buf, &e->addr.v6) != 1) {
		kntp_perr_set(err, KNTP_PERR_ADDR, argi,
			      "\"%s\": not an IPv6 prefix (2001:db8::/32, any)",
			      arg);
		return -1;
	}
	e->plen = (uint8_t)len;
	for (i = 0; i < 16; i++) {
		int keep = len >= 8 ? 8 : len;

		e->addr.v6.s6_addr[i] &= (uint8_t)(0xff00 >> keep);
		len -= keep;
	}
	return 0;
}

/* "permit|deny {PREFIX/LEN | any}", or "permit|deny ipv6 PREFIX any". */
static int parse_entry6(int argc, char **argv, int argi,
			struct kntp_acl_ent *e, struct kntp_perr *err)
{
	memset(e, 0, sizeof(*e));
	if (parse_action(argv[argi], e, argi, err))
		return -1;
	argi++;
	if (argi < argc && !strcmp(argv[argi], "ipv6")) {
		/* IOS's extended form, source only: "permit ipv6 SRC any". */
		if (argi + 2 >= argc || strcmp(argv[argi + 2], "any")) {
			kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
				      "only \"%s ipv6 PREFIX any\" (any destination) is taken",
				      argv[argi - 1]);
			return -1;
		}
		if (parse_prefix6(argv[argi + 1], e, argi + 1, err))
			return -1;
		return kntp_parse_none(argc, argv, argi + 3, err);
	}
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, argi - 1,
			      "%s: missing prefix (PREFIX/LEN, any)", argv[argi - 1]);
		return -1;
	}
	if (parse_prefix6(argv[argi], e, argi, err))
		return -1;
	return kntp_parse_none(argc, argv, argi + 1, err);
}

/* "[ipv4|ipv6] peer|serve|serve-only|query-only [ACL [kod]]" */
int kntp_parse_access_group(int argc, char **argv, int argi,
			    struct kntp_req *req, struct kntp_perr *err, int no)
{
	uint8_t family = KNTP_ACL_IPV4;
	unsigned int t;

	if (argi < argc && (!strcmp(argv[argi], "ipv4") ||
			    !strcmp(argv[argi], "ipv6")))
		family = !strcmp(argv[argi++], "ipv6") ? KNTP_ACL_IPV6 :
							 KNTP_ACL_IPV4;
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing access type (peer, serve, serve-only, query-only)");
		return -1;
	}
	for (t = 0; t < KNTP_ACCESS_TYPES; t++)
		if (!strcmp(argv[argi], kntp_acl_types[t]))
			break;
	if (t == KNTP_ACCESS_TYPES) {
		kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi,
			      "unknown access type \"%s\" (expected peer, serve, serve-only, query-only)",
			      argv[argi]);
		return -1;
	}
	argi++;
	req->acl_family = family;
	req->acl_slot = KNTP_A_ACCESS_PEER4 +
			(family == KNTP_ACL_IPV6) * KNTP_ACCESS_TYPES + t;
	req->acl_group_set = !no;
	if (no)
		return kntp_parse_none(argc, argv, argi, err);
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing access list (%s ACL [kod])",
			      kntp_acl_types[t]);
		return -1;
	}
	if (set_name(req, argv[argi], family, argi, err))
		return -1;
	argi++;
	if (argi < argc && !strcmp(argv[argi], "kod")) {
		req->acl_kod = 1;
		argi++;
	}
	if (argi < argc) {
		kntp_perr_set(err, KNTP_PERR_TRAILING, argi,
			      "unexpected argument \"%s\" (expected kod)",
			      argv[argi]);
		return -1;
	}
	return 0;
}

/* "N permit|deny ..." (one entry), or "N" alone for "no access-list". */
int kntp_parse_access_list(int argc, char **argv, int argi,
			   struct kntp_req *req, struct kntp_perr *err, int no)
{
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing list number (1-99, 1300-1999)");
		return -1;
	}
	if (set_name(req, argv[argi], KNTP_ACL_IPV4, argi, err))
		return -1;
	argi++;
	if (no)
		return kntp_parse_none(argc, argv, argi, err);
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing entry (permit|deny A.B.C.D [WILDCARD], host A.B.C.D, any)");
		return -1;
	}
	req->acl_has_entry = 1;
	return parse_entry4(argc, argv, argi, &req->acl_entry, err);
}

/* "NAME [permit|deny PREFIX/LEN|any]", or "NAME" for "no ipv6 access-list". */
int kntp_parse_ipv6_acl(int argc, char **argv, int argi, struct kntp_req *req,
			struct kntp_perr *err, int no)
{
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing list name");
		return -1;
	}
	if (set_name(req, argv[argi], KNTP_ACL_IPV6, argi, err))
		return -1;
	argi++;
	if (no || argi >= argc)
		return kntp_parse_none(argc, argv, argi, err);
	req->acl_has_entry = 1;
	return parse_entry6(argc, argv, argi, &req->acl_entry, err);
}

/* --- requests -------------------------------------------------------------- */

static int put_entry(struct nl_msg *msg, uint8_t family,
		     const struct kntp_acl_ent *e)
{
	struct nlattr *en = nla_nest_start(msg, KNTP_A_ACL_ENTRY | NLA_F_NESTED);

	if (!en || nla_put_u8(msg, KNTP_A_ACL_ENTRY_ACTION, e->action))
		return -1;
	if (family == KNTP_ACL_IPV4) {
		if (nla_put(msg, KNTP_A_ACL_ENTRY_ADDR4, 4, &e->addr.v4) ||
		    nla_put(msg, KNTP_A_ACL_ENTRY_WILDCARD4, 4, &e->wild))
			return -1;
	} else if (nla_put(msg, KNTP_A_ACL_ENTRY_ADDR6, 16, &e->addr.v6) ||
		   nla_put_u8(msg, KNTP_A_ACL_ENTRY_PREFIX_LEN, e->plen)) {
		return -1;
	}
	nla_nest_end(msg, en);
	return 0;
}

/* A KNTP_A_ACL nest: the list req names, its entry or (apply) all. */
static int put_acl(struct nl_msg *msg, const struct kntp_req *req)
{
	const struct kntp_acl_def *d = req->acl_list;
	struct nlattr *nest = nla_nest_start(msg, KNTP_A_ACL | NLA_F_NESTED);
	size_t i;

	if (!nest ||
	    nla_put_string(msg, KNTP_A_ACL_NAME, d ? d->name : req->acl_name) ||
	    nla_put_u8(msg, KNTP_A_ACL_FAMILY, d ? d->family : req->acl_family))
		return -1;
	if (req->acl_has_entry && put_entry(msg, req->acl_family, &req->acl_entry))
		return -1;
	if (d) {
		if (nla_put_u8(msg, KNTP_A_ACL_REPLACE, 1))
			return -1;
		for (i = 0; i < d->n; i++)
			if (put_entry(msg, d->family, &d->e[i]))
				return -1;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* KNTP_A_INSTANCE { KNTP_A_INSTANCE_ACCESS { slot { LIST, KOD } } } */
static int put_group(struct nl_msg *msg, const struct kntp_req *req)
{
	struct nlattr *inst, *acc, *g;

	inst = nla_nest_start(msg, KNTP_A_INSTANCE | NLA_F_NESTED);
	acc = inst ? nla_nest_start(msg, KNTP_A_INSTANCE_ACCESS | NLA_F_NESTED) :
		     NULL;
	g = acc ? nla_nest_start(msg, req->acl_slot | NLA_F_NESTED) : NULL;
	if (!g)
		return -1;
	/* An empty LIST removes the group (libnl drops an empty nest). */
	if (nla_put_string(msg, KNTP_A_ACCESS_GROUP_LIST,
			   req->acl_group_set ? req->acl_name : "") ||
	    (req->acl_group_set &&
	     nla_put_u8(msg, KNTP_A_ACCESS_GROUP_KOD, req->acl_kod)))
		return -1;
	nla_nest_end(msg, g);
	nla_nest_end(msg, acc);
	nla_nest_end(msg, inst);
	return 0;
}

int kntp_run_acl_set(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx)
{
	return kntp_request(ctx, c->nl_cmd, 0, put_acl, req, NULL, NULL) ?
	       KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

int kntp_run_acl_del(const struct kntp_command *c, const struct kntp_req *req,
		     const char *ctx)
{
	return kntp_request(ctx, c->nl_cmd, 0, put_acl, req, NULL, NULL) ?
	       KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

int kntp_run_access_group(const struct kntp_command *c,
			  const struct kntp_req *req, const char *ctx)
{
	return kntp_request(ctx, c->nl_cmd, 0, put_group, req, NULL, NULL) ?
	       KNTP_EXIT_FAIL : KNTP_EXIT_OK;
}

/* --- reading the kernel's ---------------------------------------------------- */

static int acl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kntp_acl_conf *ac = arg;
	struct nlattr *a = kntp_reply_attr(nlh, KNTP_A_ACL), *x, *y;
	struct kntp_acl_def *d;
	int rem, rem2;

	if (!a)
		return 0;
	d = realloc(ac->lists, (ac->n + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	ac->lists = d;
	d = &ac->lists[ac->n++];
	memset(d, 0, sizeof(*d));
	nla_for_each_nested(x, a, rem) {
		struct kntp_acl_ent *e;

		switch (nla_type(x)) {
		case KNTP_A_ACL_NAME:
			snprintf(d->name, sizeof(d->name), "%.*s",
				 nla_len(x), (char *)nla_data(x));
			break;
		case KNTP_A_ACL_FAMILY:
			d->family = nla_get_u8(x);
			break;
		case KNTP_A_ACL_ENTRY:
			e = realloc(d->e, (d->n + 1) * sizeof(*e));
			if (!e)
				return -ENOMEM;
			d->e = e;
			e = &d->e[d->n++];
			memset(e, 0, sizeof(*e));
			nla_for_each_nested(y, x, rem2) {
				int t = nla_type(y), l = nla_len(y);

				if (t == KNTP_A_ACL_ENTRY_ACTION && l >= 1)
					e->action = nla_get_u8(y);
				else if (t == KNTP_A_ACL_ENTRY_ADDR4 && l == 4)
					memcpy(&e->addr.v4, nla_data(y), 4);
				else if (t == KNTP_A_ACL_ENTRY_WILDCARD4 && l == 4)
					memcpy(&e->wild, nla_data(y), 4);
				else if (t == KNTP_A_ACL_ENTRY_ADDR6 && l == 16)
					memcpy(&e->addr.v6, nla_data(y), 16);
				else if (t == KNTP_A_ACL_ENTRY_PREFIX_LEN && l >= 1)
					e->plen = nla_get_u8(y);
			}
			break;
		}
	}
	return 0;
}

/* The access groups of a status nest's payload into @ac. */
void kntp_acl_conf_groups(struct kntp_acl_conf *ac, void *status,
			  int len)
{
	struct nlattr *a, *g, *x;
	int rem, rem2, rem3;

	nla_for_each_attr(a, status, len, rem) {
		if (nla_type(a) != KNTP_A_STATUS_ACCESS)
			continue;
		nla_for_each_nested(g, a, rem2) {
			int slot = nla_type(g) - KNTP_A_ACCESS_PEER4;
			struct kntp_acl_grp *grp;

			if (slot < 0 || slot >= KNTP_ACL_FAMS * KNTP_ACCESS_TYPES)
				continue;
			grp = &ac->g[slot / KNTP_ACCESS_TYPES][slot % KNTP_ACCESS_TYPES];
			nla_for_each_nested(x, g, rem3) {
				if (nla_type(x) == KNTP_A_ACCESS_GROUP_LIST)
					snprintf(grp->list, sizeof(grp->list),
						 "%.*s", nla_len(x),
						 (char *)nla_data(x));
				else if (nla_type(x) == KNTP_A_ACCESS_GROUP_KOD)
					grp->kod = nla_get_u8(x);
				else if (nla_type(x) == KNTP_A_ACCESS_GROUP_DEFINED)
					grp->defined = nla_get_u8(x);
			}
		}
	}
}

static int status_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *st = kntp_reply_attr(nlh, KNTP_A_STATUS);

	if (st)
		kntp_acl_conf_groups(arg, nla_data(st), nla_len(st));
	return 0;
}

/* The kernel's lists (a dump) into @ac, whose groups are kept. */
int kntp_acl_conf_lists(const char *ctx, struct kntp_acl_conf *ac)
{
	if (kntp_request(ctx, KNTP_CMD_ACL_GET, NLM_F_DUMP, NULL, NULL, acl_cb,
			 ac)) {
		kntp_acl_conf_free(ac);
		return -1;
	}
	return 0;
}

/* The kernel's lists (a dump) and groups (the status). */
int kntp_acl_conf_kernel(const char *ctx, struct kntp_acl_conf *ac)
{
	memset(ac, 0, sizeof(*ac));
	ac->block = -1;
	if (kntp_request(ctx, KNTP_CMD_STATUS_GET, 0, NULL, NULL, status_cb,
			 ac)) {
		kntp_acl_conf_free(ac);
		return -1;
	}
	return kntp_acl_conf_lists(ctx, ac);
}

void kntp_acl_conf_free(struct kntp_acl_conf *ac)
{
	size_t i;

	for (i = 0; i < ac->n; i++)
		free(ac->lists[i].e);
	free(ac->lists);
	memset(ac, 0, sizeof(*ac));
	ac->block = -1;
}

/* --- printing ------------------------------------------------------------------ */

/* "permit 192.0.2.0 0.0.0.255", "deny 192.0.2.9", "permit any" */
static void fmt_entry(char *buf, size_t len, uint8_t family,
		      const struct kntp_acl_ent *e)
{
	const char *act = e->action == KNTP_ACL_PERMIT ? "permit" : "deny";
	char a[INET6_ADDRSTRLEN], w[INET_ADDRSTRLEN];

	if (family == KNTP_ACL_IPV4) {
		inet_ntop(AF_INET, &e->addr.v4, a, sizeof(a));
		inet_ntop(AF_INET, &e->wild, w, sizeof(w));
		if (e->wild.s_addr == 0xffffffff)
			snprintf(buf, len, "%s any", act);
		else if (!e->wild.s_addr)
			snprintf(buf, len, "%s %s", act, a);
		else
			snprintf(buf, len, "%s %s %s", act, a, w);
		return;
	}
	inet_ntop(AF_INET6, &e->addr.v6, a, sizeof(a));
	if (!e->plen)
		snprintf(buf, len, "%s any", act);
	else
		snprintf(buf, len, "%s %s/%u", act, a, e->plen);
}

static void print_group(FILE *f, unsigned int fam, unsigned int t,
			const struct kntp_acl_grp *g)
{
	fprintf(f, "ntp access-group %s%s %s%s\n", fam ? "ipv6 " : "",
		kntp_acl_types[t], g->list, g->kod ? " kod" : "");
}

/* The lists and the groups, as lines "kntp apply" takes. */
void kntp_acl_conf_print(FILE *f, const struct kntp_acl_conf *ac)
{
	char buf[128];
	unsigned int fam, t;
	size_t i, j;

	for (i = 0; i < ac->n; i++) {
		const struct kntp_acl_def *d = &ac->lists[i];

		if (d->family == KNTP_ACL_IPV6)
			fprintf(f, "ipv6 access-list %s\n", d->name);
		else if (!d->n)
			fprintf(f, "! access-list %s has no entries (denies all)\n",
				d->name);
		for (j = 0; j < d->n; j++) {
			fmt_entry(buf, sizeof(buf), d->family, &d->e[j]);
			if (d->family == KNTP_ACL_IPV6)
				fprintf(f, " %s\n", buf);
			else
				fprintf(f, "access-list %s %s\n", d->name, buf);
		}
	}
	for (fam = 0; fam < KNTP_ACL_FAMS; fam++)
		for (t = 0; t < KNTP_ACCESS_TYPES; t++)
			if (ac->g[fam][t].list[0])
				print_group(f, fam, t, &ac->g[fam][t]);
}

static void show_json(const struct kntp_acl_conf *ac)
{
	char a[INET6_ADDRSTRLEN + 8], w[INET_ADDRSTRLEN];
	struct kntp_json j;
	unsigned int fam, t;
	size_t i, k;

	kntp_json_init(&j, stdout);
	kntp_json_open(&j, NULL, '{');
	kntp_json_open(&j, "access_lists", '[');
	for (i = 0; i < ac->n; i++) {
		const struct kntp_acl_def *d = &ac->lists[i];

		kntp_json_open(&j, NULL, '{');
		kntp_json_str(&j, "name", d->name);
		kntp_json_str(&j, "family", fam_name(d->family));
		kntp_json_open(&j, "entries", '[');
		for (k = 0; k < d->n; k++) {
			const struct kntp_acl_ent *e = &d->e[k];

			kntp_json_open(&j, NULL, '{');
			kntp_json_str(&j, "action", e->action == KNTP_ACL_PERMIT ?
				      "permit" : "deny");
			if (d->family == KNTP_ACL_IPV4) {
				inet_ntop(AF_INET, &e->addr.v4, a, sizeof(a));
				inet_ntop(AF_INET, &e->wild, w, sizeof(w));
				kntp_json_str(&j, "address", a);
				kntp_json_str(&j, "wildcard", w);
			} else {
				inet_ntop(AF_INET6, &e->addr.v6, a, sizeof(a));
				snprintf(a + strlen(a), sizeof(a) - strlen(a),
					 "/%u", e->plen);
				kntp_json_str(&j, "prefix", a);
			}
			kntp_json_close(&j, '}');
		}
		kntp_json_close(&j, ']');
		kntp_json_close(&j, '}');
	}
	kntp_json_close(&j, ']');
	kntp_json_open(&j, "access_groups", '[');
	for (fam = 0; fam < KNTP_ACL_FAMS; fam++)
		for (t = 0; t < KNTP_ACCESS_TYPES; t++) {
			const struct kntp_acl_grp *g = &ac->g[fam][t];

			if (!g->list[0])
				continue;
			kntp_json_open(&j, NULL, '{');
			kntp_json_str(&j, "family", fam ? "ipv6" : "ipv4");
			kntp_json_str(&j, "type", kntp_acl_types[t]);
			kntp_json_str(&j, "list", g->list);
			kntp_json_bool(&j, "kod", g->kod);
			kntp_json_bool(&j, "defined", g->defined);
			kntp_json_close(&j, '}');
		}
	kntp_json_close(&j, ']');
	kntp_json_close(&j, '}');
	kntp_json_end(&j);
}

/* "show access-lists": the lists as routers show them, then the groups. */
int kntp_run_show_acls(const struct kntp_command *c, const struct kntp_req *req,
		       const char *ctx)
{
	struct kntp_acl_conf ac;
	unsigned int fam, t;
	char buf[128];
	size_t i, k;

	(void)c;
	if (kntp_acl_conf_kernel(ctx, &ac))
		return KNTP_EXIT_FAIL;
	if (req->json) {
		show_json(&ac);
		kntp_acl_conf_free(&ac);
		return KNTP_EXIT_OK;
	}
	for (i = 0; i < ac.n; i++) {
		const struct kntp_acl_def *d = &ac.lists[i];

		printf("%s access list %s\n", d->family == KNTP_ACL_IPV4 ?
		       "Standard IP" : "IPv6", d->name);
		for (k = 0; k < d->n; k++) {
			fmt_entry(buf, sizeof(buf), d->family, &d->e[k]);
			printf("    %s\n", buf);
		}
	}
	printf("NTP access groups:%s\n", "");
	for (fam = 0, k = 0; fam < KNTP_ACL_FAMS; fam++)
		for (t = 0; t < KNTP_ACCESS_TYPES; t++) {
			const struct kntp_acl_grp *g = &ac.g[fam][t];

			if (!g->list[0])
				continue;
			printf("    %s %s %s%s%s\n", fam ? "ipv6" : "ipv4",
			       kntp_acl_types[t], g->list, g->kod ? " kod" : "",
			       g->defined ? "" : " (list not defined: matches nothing)");
			k++;
		}
	if (!k)
		printf("    none: every source is allowed\n");
	kntp_acl_conf_free(&ac);
	return KNTP_EXIT_OK;
}

/* --- configuration files ------------------------------------------------------- */

static struct kntp_acl_def *find_def(struct kntp_acl_conf *ac, uint8_t family,
				     const char *name)
{
	size_t i;

	for (i = 0; i < ac->n; i++)
		if (ac->lists[i].family == family &&
		    !strcmp(ac->lists[i].name, name))
			return &ac->lists[i];
	return NULL;
}

static int add_entry(struct kntp_acl_def *d, const struct kntp_acl_ent *e,
		     char *why, size_t wlen)
{
	struct kntp_acl_ent *p;

	if (d->n >= KNTP_ACL_ENTRIES_MAX) {
		snprintf(why, wlen, "access list %s: more than %d entries",
			 d->name, KNTP_ACL_ENTRIES_MAX);
		return -1;
	}
	p = realloc(d->e, (d->n + 1) * sizeof(*p));
	if (!p) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	d->e = p;
	d->e[d->n++] = *e;
	return 0;
}

/*
 * An "access-list", "ipv6 access-list" or "ntp access-group" line of a
 * file into ac. Returns 0, or -1 with why set.
 */
int kntp_acl_conf_line(struct kntp_acl_conf *ac, const struct kntp_command *c,
		       const struct kntp_req *req, int line, char *why,
		       size_t wlen)
{
	struct kntp_acl_def *d;

	ac->block = -1;
	if (c->run == kntp_run_access_group) {
		unsigned int s = req->acl_slot - KNTP_A_ACCESS_PEER4;
		struct kntp_acl_grp *g = &ac->g[s / KNTP_ACCESS_TYPES]
					       [s % KNTP_ACCESS_TYPES];

		if (g->list[0]) {
			snprintf(why, wlen,
				 "\"access-group %s%s\" given twice (also on line %d)",
				 s >= KNTP_ACCESS_TYPES ? "ipv6 " : "",
				 kntp_acl_types[s % KNTP_ACCESS_TYPES], g->line);
			return -1;
		}
		snprintf(g->list, sizeof(g->list), "%s", req->acl_name);
		g->kod = req->acl_kod;
		g->line = line;
		return 0;
	}
	d = find_def(ac, req->acl_family, req->acl_name);
	if (d && req->acl_family == KNTP_ACL_IPV6) {
		snprintf(why, wlen,
			 "ipv6 access-list %s defined twice (also on line %d)",
			 req->acl_name, d->line);
		return -1;
	}
	if (!d) {
		if (ac->n >= KNTP_ACL_LISTS_MAX) {
			snprintf(why, wlen, "more than %d access lists",
				 KNTP_ACL_LISTS_MAX);
			return -1;
		}
		d = realloc(ac->lists, (ac->n + 1) * sizeof(*d));
		if (!d) {
			snprintf(why, wlen, "out of memory");
			return -1;
		}
		ac->lists = d;
		d = &ac->lists[ac->n++];
		memset(d, 0, sizeof(*d));
		d->family = req->acl_family;
		snprintf(d->name, sizeof(d->name), "%s", req->acl_name);
		d->line = line;
	}
	if (req->acl_family == KNTP_ACL_IPV6)
		ac->block = (int)(d - ac->lists);
	if (req->acl_has_entry)
		return add_entry(d, &req->acl_entry, why, wlen);
	return 0;
}

/* A "permit ..." or "deny ..." line inside an "ipv6 access-list" block. */
int kntp_acl_conf_entry(struct kntp_acl_conf *ac, int argc, char **argv,
			int line, char *why, size_t wlen)
{
	struct kntp_acl_ent e;
	struct kntp_perr err;

	(void)line;
	if (ac->block < 0) {
		snprintf(why, wlen,
			 "\"%s\" outside an \"ipv6 access-list NAME\" block (IPv4: access-list N %s ...)",
			 argv[0], argv[0]);
		return -1;
	}
	memset(&err, 0, sizeof(err));
	if (parse_entry6(argc, argv, 0, &e, &err)) {
		snprintf(why, wlen, "%s", err.msg);
		return -1;
	}
	return add_entry(&ac->lists[ac->block], &e, why, wlen);
}

/* --- kntp apply ------------------------------------------------------------------ */

static int same_list(const struct kntp_acl_def *a, const struct kntp_acl_def *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const struct kntp_acl_ent *x = &a->e[i], *y = &b->e[i];

		if (x->action != y->action)
			return 0;
		if (a->family == KNTP_ACL_IPV4 &&
		    (x->addr.v4.s_addr != y->addr.v4.s_addr ||
		     x->wild.s_addr != y->wild.s_addr))
			return 0;
		if (a->family == KNTP_ACL_IPV6 &&
		    (x->plen != y->plen ||
		     memcmp(&x->addr.v6, &y->addr.v6, 16)))
			return 0;
	}
	return 1;
}

static void line_ctx(char *buf, size_t len, const char *name, char **text,
		     size_t ntext, int line, const char *what)
{
	if (line > 0 && (size_t)line <= ntext)
		snprintf(buf, len, "%s:%d: \"%s\"", name, line, text[line - 1]);
	else
		snprintf(buf, len, "%s", what);
}

static const char *list_word(uint8_t family)
{
	return family == KNTP_ACL_IPV6 ? "ipv6 access-list" : "access-list";
}

/*
 * Make the kernel's lists and groups those of the file: lists added or
 * replaced first, then the groups, then the lists the file no longer has
 * (so that a group never names a list in between that it will name after).
 * Prints each change. Returns 0 or -1 (the kernel refused; printed).
 */
int kntp_acl_apply(const char *name, const struct kntp_acl_conf *file,
		   const struct kntp_acl_conf *kern, char **text, size_t ntext,
		   int *changes)
{
	struct kntp_acl_conf *k = (struct kntp_acl_conf *)kern;
	char ctx[1200], what[128];
	unsigned int fam, t;
	struct kntp_req r;
	size_t i;

	for (i = 0; i < file->n; i++) {
		const struct kntp_acl_def *d = &file->lists[i];
		const struct kntp_acl_def *kd = find_def(k, d->family, d->name);

		if (kd && same_list(kd, d))
			continue;
		memset(&r, 0, sizeof(r));
		r.acl_list = d;
		snprintf(what, sizeof(what), "%s %s", list_word(d->family),
			 d->name);
		line_ctx(ctx, sizeof(ctx), name, text, ntext, d->line, what);
		if (kntp_request(ctx, KNTP_CMD_ACL_SET, 0, put_acl, &r, NULL,
				 NULL))
			return -1;
		printf("%c %s (%zu entr%s)\n", kd ? '~' : '+', what, d->n,
		       d->n == 1 ? "y" : "ies");
		(*changes)++;
	}
	for (fam = 0; fam < KNTP_ACL_FAMS; fam++)
		for (t = 0; t < KNTP_ACCESS_TYPES; t++) {
			const struct kntp_acl_grp *f = &file->g[fam][t];
			const struct kntp_acl_grp *kg = &kern->g[fam][t];

			if (!strcmp(f->list, kg->list) &&
			    (!f->list[0] || f->kod == kg->kod))
				continue;
			memset(&r, 0, sizeof(r));
			r.acl_slot = KNTP_A_ACCESS_PEER4 +
				     fam * KNTP_ACCESS_TYPES + t;
			r.acl_group_set = !!f->list[0];
			snprintf(r.acl_name, sizeof(r.acl_name), "%s", f->list);
			r.acl_kod = f->kod;
			if (f->list[0])
				snprintf(what, sizeof(what), "access-group %s%s %s%s",
					 fam ? "ipv6 " : "", kntp_acl_types[t],
					 f->list, f->kod ? " kod" : "");
			else
				snprintf(what, sizeof(what), "no access-group %s%s",
					 fam ? "ipv6 " : "", kntp_acl_types[t]);
			line_ctx(ctx, sizeof(ctx), name, text, ntext, f->line,
				 what);
			if (kntp_request(ctx, KNTP_CMD_INSTANCE_SET, 0, put_group,
					 &r, NULL, NULL))
				return -1;
			printf("%s\n", what);
			(*changes)++;
		}
	for (i = 0; i < kern->n; i++) {
		const struct kntp_acl_def *kd = &kern->lists[i];

		if (find_def((struct kntp_acl_conf *)file, kd->family, kd->name))
			continue;
		memset(&r, 0, sizeof(r));
		r.acl_family = kd->family;
		snprintf(r.acl_name, sizeof(r.acl_name), "%s", kd->name);
		snprintf(what, sizeof(what), "no %s %s", list_word(kd->family),
			 kd->name);
		if (kntp_request(what, KNTP_CMD_ACL_DEL, 0, put_acl, &r, NULL,
				 NULL))
			return -1;
		printf("- %s %s\n", list_word(kd->family), kd->name);
		(*changes)++;
	}
	fflush(stdout);
	return 0;
}
