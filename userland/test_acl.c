// SPDX-License-Identifier: GPL-2.0
/*
 * Access control (acl.c): IOS access lists and access groups on the
 * command line and in files, their refusals, and the lists printed back.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "acl.h"
#include "config.h"
#include "test_util.h"

/* s is refused with a message that says words. */
static void acl_fails(const char *s, const char *words)
{
	struct line *l = parse(s);

	ok(l->ret && strstr(l->err.msg, words),
	   "\"%s\" is refused: %s (got: %s)", s, words, l->err.msg);
}

/* Lists and groups, IPv4 and IPv6: what the words parse to. */
static void acl_words(void)
{
	struct line *l;

	l = parse("access-list 10 permit 192.0.2.77 0.0.0.255");
	ok(!l->ret && l->req.acl_family == KNTP_ACL_IPV4 &&
	   !strcmp(l->req.acl_name, "10") && l->req.acl_has_entry &&
	   l->req.acl_entry.action == KNTP_ACL_PERMIT &&
	   l->req.acl_entry.addr.v4.s_addr == inet_addr("192.0.2.0") &&
	   l->req.acl_entry.wild.s_addr == inet_addr("0.0.0.255"),
	   "access-list 10 permit 192.0.2.77 0.0.0.255: the ignored bits cleared");
	l = parse("access-list 1999 deny host 192.0.2.9");
	ok(!l->ret && l->req.acl_entry.action == KNTP_ACL_DENY &&
	   !l->req.acl_entry.wild.s_addr &&
	   l->req.acl_entry.addr.v4.s_addr == inet_addr("192.0.2.9"),
	   "access-list 1999 deny host 192.0.2.9");
	l = parse("ntp access-list 1 permit any");
	ok(!l->ret && l->req.acl_entry.wild.s_addr == 0xffffffff,
	   "access-list 1 permit any: wildcard 255.255.255.255");
	l = parse("no access-list 99");
	ok(!l->ret && !l->req.acl_has_entry && l->cmd->nl_cmd == KNTP_CMD_ACL_DEL,
	   "no access-list 99: a delete");
	l = parse("ipv6 access-list LAN-6.a_b permit 2001:db8:1:ff::/48");
	ok(!l->ret && l->req.acl_family == KNTP_ACL_IPV6 &&
	   l->req.acl_entry.plen == 48 &&
	   l->req.acl_entry.addr.v6.s6_addr[6] == 0,
	   "ipv6 access-list LAN-6.a_b permit 2001:db8:1:ff::/48: bits past /48 cleared");
	l = parse("ipv6 access-list X deny ipv6 2001:db8::/32 any");
	ok(!l->ret && l->req.acl_entry.action == KNTP_ACL_DENY &&
	   l->req.acl_entry.plen == 32, "IOS form: deny ipv6 2001:db8::/32 any");
	l = parse("ipv6 access-list X");
	ok(!l->ret && !l->req.acl_has_entry, "ipv6 access-list X: the list alone");
	l = parse("access-group ipv6 serve-only X kod");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_SERVE_ONLY6 &&
	   l->req.acl_group_set && l->req.acl_kod && !strcmp(l->req.acl_name, "X"),
	   "access-group ipv6 serve-only X kod");
	l = parse("ntp access-group peer 10");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_PEER4 && !l->req.acl_kod,
	   "ntp access-group peer 10: IPv4 by default");
	l = parse("no ntp access-group ipv4 query-only");
	ok(!l->ret && l->req.acl_slot == KNTP_A_ACCESS_QUERY_ONLY4 &&
	   !l->req.acl_group_set, "no ntp access-group ipv4 query-only");
}

/* Refusals, and what their messages say. */
static void acl_refusals(void)
{
	acl_fails("access-list 0 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 100 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 2000 permit any", "numbered 1-99 or 1300-1999");
	acl_fails("access-list 10", "missing entry");
	acl_fails("access-list 10 allow any", "unknown word \"allow\"");
	acl_fails("access-list 10 permit", "missing address");
	acl_fails("access-list 10 permit host", "missing address");
	acl_fails("access-list 10 permit 2001:db8::1", "not an IPv4 address");
	acl_fails("access-list 10 permit 192.0.2.0 0.0.0", "not an IPv4 wildcard");
	acl_fails("access-list 10 permit host 192.0.2.1 0.0.0.255",
		  "unexpected argument \"0.0.0.255\"");
	acl_fails("access-list 10 permit any any", "unexpected argument");
	acl_fails("ipv6 access-list", "missing list name");
	acl_fails("ipv6 access-list a:b", "only letters, digits");
	acl_fails("ipv6 access-list AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		  "1 to 32 characters");
	acl_fails("ipv6 access-list X permit 2001:db8::/129", "0..128");
	acl_fails("ipv6 access-list X permit 192.0.2.0/24", "not an IPv6 prefix");
	acl_fails("ipv6 access-list X permit ipv6 2001:db8::/32 2001:db8::1",
		  "any destination");
	acl_fails("access-group", "missing access type");
	acl_fails("access-group ipv6", "missing access type");
	acl_fails("access-group peers 10", "unknown access type \"peers\"");
	acl_fails("access-group peer", "missing access list");
	acl_fails("access-group peer X", "standard IPv4 lists are numbered");
	acl_fails("access-group peer 10 kod now", "unexpected argument \"now\"");
	acl_fails("no access-group peer 10", "unexpected argument \"10\"");
}

/* A file: lists, an IPv6 block, groups; printed back; its refusals. */
static void acl_file(void)
{
	struct kntp_conf conf;
	char err[1024], *text = NULL;
	size_t size;
	FILE *mem;

	ok(!conf_of("access-list 10 permit 192.0.2.1\n"
		    "access-list 10 deny any\n"
		    "ipv6 access-list V6\n"
		    "  permit 2001:db8::/32   ! indented\n"
		    "deny ipv6 2001:db8:1::/48 any\n"
		    "ipv6 access-list EMPTY\n"
		    "ntp server 192.0.2.1\n"
		    "ntp access-group peer 10 kod\n"
		    "ntp access-group ipv6 serve V6\n", &conf, err, sizeof(err)) &&
	   conf.acl.n == 3 && conf.acl.lists[0].n == 2 &&
	   conf.acl.lists[1].n == 2 && conf.acl.lists[2].n == 0 &&
	   conf.n == 1 && !strcmp(conf.acl.g[0][0].list, "10") &&
	   conf.acl.g[0][0].kod && !strcmp(conf.acl.g[1][1].list, "V6"),
	   "config: lists, an ipv6 block, groups (%s)", err);
	mem = open_memstream(&text, &size);
	if (mem) {
		kntp_acl_conf_print(mem, &conf.acl);
		fclose(mem);
		ok(text && !strcmp(text,
				   "access-list 10 permit 192.0.2.1\n"
				   "access-list 10 deny any\n"
				   "ipv6 access-list V6\n"
				   " permit 2001:db8::/32\n"
				   " deny 2001:db8:1::/48\n"
				   "ipv6 access-list EMPTY\n"
				   "ntp access-group peer 10 kod\n"
				   "ntp access-group ipv6 serve V6\n"),
		   "config: printed back as routers write it");
		free(text);
	}
	kntp_conf_free(&conf);
	conf_fails("permit any\n",
		   "t.conf:1: \"permit any\": \"permit\" outside an \"ipv6 access-list NAME\" block (IPv4: access-list N permit ...)",
		   "an entry outside a block");
	conf_fails("ipv6 access-list V6\nntp master 3\n permit any\n",
		   "t.conf:3: \"permit any\": \"permit\" outside an \"ipv6 access-list NAME\" block (IPv4: access-list N permit ...)",
		   "another line ends the block");
	conf_fails("ipv6 access-list V6\nipv6 access-list V6\n",
		   "t.conf:2: \"ipv6 access-list V6\": ipv6 access-list V6 defined twice (also on line 1)",
		   "an IPv6 list defined twice");
	conf_fails("ntp access-group ipv6 peer A\nntp access-group ipv6 peer B kod\n",
		   "t.conf:2: \"ntp access-group ipv6 peer B kod\": \"access-group ipv6 peer\" given twice (also on line 1)",
		   "a group given twice");
	conf_fails("no access-list 10\n",
		   "t.conf:1: \"no access-list 10\": \"no access-list\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
		   "no access-list is not configuration");
}

/* Access control: the words, what they parse to, files and printing. */
void test_acl(void)
{
	acl_words();
	acl_refusals();
	acl_file();
}
