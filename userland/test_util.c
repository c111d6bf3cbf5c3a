// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers the unit tests of the kntp tool share (test_util.h): a command
 * line parsed, reply attributes built, a JSON syntax checker and the JSON
 * printers' text, a configuration file parsed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>
#include <netlink/attr.h>

#include "show.h"
#include "test_util.h"

/* s parsed as the tool parses its command line; the result is static. */
struct line *parse(const char *s)
{
	static struct line l;
	char *tok;

	memset(&l, 0, sizeof(l));
	snprintf(l.buf, sizeof(l.buf), "%s", s);
	for (tok = strtok(l.buf, " "); tok && l.argc < 31;
	     tok = strtok(NULL, " "))
		l.argv[l.argc++] = tok;
	l.ret = kntp_cmd_parse(l.argc, l.argv, &l.cmd, &l.req, &l.err);
	return &l;
}

/* r is the IPv4 address dotted (is_v4) or the IPv6 address text (is_v6). */
int is_v4(const struct kntp_req *r, const char *dotted)
{
	struct in_addr a;

	inet_pton(AF_INET, dotted, &a);
	return r->family == AF_INET && r->addr.v4.s_addr == a.s_addr;
}

int is_v6(const struct kntp_req *r, const char *text)
{
	struct in6_addr a;

	inet_pton(AF_INET6, text, &a);
	return r->family == AF_INET6 && !memcmp(&r->addr.v6, &a, sizeof(a));
}

/* Parsing s fails with code at argument argi, the message quoting quote. */
void fails(const char *s, enum kntp_perr_code code, int argi,
	   const char *quote)
{
	struct line *l = parse(s);
	char q[64];

	snprintf(q, sizeof(q), "\"%s\"", quote ? quote : "");
	ok(l->ret && l->err.code == code && l->err.argi == argi &&
	   (!quote || strstr(l->err.msg, q)),
	   "\"%s\" is refused: code %d argi %d (got %d %d: %s)", s, code, argi,
	   l->err.code, l->err.argi, l->err.msg);
}

/* s begins with prefix. */
int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A nest of attributes for the decoder: type, length, bytes. */
int put(unsigned char *p, int type, int len, const void *data)
{
	struct nlattr *a = (void *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(a->nla_len);
}

/* An attribute of 64 bits, unsigned or signed. */
int put_u64(unsigned char *p, int type, uint64_t v)
{
	return put(p, type, 8, &v);
}

int put_s64(unsigned char *p, int type, int64_t v)
{
	return put(p, type, 8, &v);
}

/*
 * A JSON syntax checker (RFC 8259) for the tests: value at *p, advancing
 * *p past it. Returns 0 when well formed.
 */
static int js_value(const char **p, int depth);

static void js_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static int js_string(const char **p)
{
	const char *s = *p;

	if (*s++ != '"')
		return -1;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return -1;	/* also the NUL */
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) ||
					    !s[i])
						return -1;
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return -1;
			}
		}
		s++;
	}
	*p = s + 1;
	return 0;
}

static int js_number(const char **p)
{
	const char *s = *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return -1;
	if (*s == '.' || *s == 'e' || *s == 'E')
		return -1;		/* the tool prints integers only */
	*p = s;
	return 0;
}

static int js_members(const char **p, int depth, char close, int keys)
{
	(*p)++;
	js_ws(p);
	if (**p == close) {
		(*p)++;
		return 0;
	}
	for (;;) {
		js_ws(p);
		if (keys) {
			if (js_string(p))
				return -1;
			js_ws(p);
			if (*(*p)++ != ':')
				return -1;
		}
		if (js_value(p, depth + 1))
			return -1;
		js_ws(p);
		if (**p == close) {
			(*p)++;
			return 0;
		}
		if (*(*p)++ != ',')
			return -1;
	}
}

static int js_value(const char **p, int depth)
{
	if (depth > 32)
		return -1;
	js_ws(p);
	switch (**p) {
	case '{':
		return js_members(p, depth, '}', 1);
	case '[':
		return js_members(p, depth, ']', 0);
	case '"':
		return js_string(p);
	case 't':
		return strncmp(*p, "true", 4) ? -1 : (*p += 4, 0);
	case 'f':
		return strncmp(*p, "false", 5) ? -1 : (*p += 5, 0);
	case 'n':
		return strncmp(*p, "null", 4) ? -1 : (*p += 4, 0);
	default:
		return js_number(p);
	}
}

/* One JSON document and a newline, nothing else. */
int json_valid(const char *text)
{
	const char *p = text;

	if (!text || js_value(&p, 0))
		return 0;
	return !strcmp(p, "\n");
}

/*
 * The JSON of show associations (what 0: recs, with their stats), show
 * status (1: r, recs to name its system peer) or show counters (2: r's
 * nest).
 */
char *json_of(int what, const struct kntp_reply *r,
	      const struct kntp_rec *recs, const struct kntp_rec *stats,
	      size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);

	if (what == 0)
		kntp_show_assocs_json(mem, recs, stats, NULL, n);
	else if (what == 1)
		kntp_show_status_json(mem, r, recs, n);
	else
		kntp_show_counters_json(mem, &r->nest[0]);
	fclose(mem);
	return text;
}

/* A file's text into conf; err holds the message when it fails. */
int conf_of(const char *text, struct kntp_conf *conf, char *err, size_t len)
{
	err[0] = '\0';
	return kntp_conf_parse("t.conf", text, conf, err, len);
}

/* text is refused with the message want (a prefix if it ends in '*'). */
void conf_fails(const char *text, const char *want, const char *what)
{
	struct kntp_conf conf;
	char err[1024];
	int ret = conf_of(text, &conf, err, sizeof(err));
	size_t n = strlen(want);
	int same;

	/* A want ending in '*' is a prefix (the resolver's words vary). */
	if (n && want[n - 1] == '*')
		same = !strncmp(err, want, n - 1);
	else
		same = !strcmp(err, want);
	ok(ret && same, "config error: %s: %s", what, err);
	if (!ret)
		kntp_conf_free(&conf);
	else if (!same)
		printf("# want: %s\n", want);
}
