// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file and the running configuration.
 *
 * A file holds one command per line, the words of the command line with
 * the router's optional "ntp": "ntp server ADDR [options]", "ntp peer ...",
 * "ntp master [N]", "ntp clock ...", "ntp ratelimit ...", keys
 * ("ntp authentication-key", "ntp trusted-key", "ntp authenticate"), and
 * access control (userland/acl.c): "access-list N ...", "ipv6 access-list
 * NAME" blocks, "ntp access-group", and the devices answered at their
 * ingress ("ntp serve ingress IFNAME", a line each). Blank lines and
 * comments ("!" or "#" up to the end of the line) are ignored. Every line
 * is parsed and checked before anything is sent; an error names the file
 * and the line and quotes it. A host name is resolved here (getaddrinfo,
 * first address), and so is a device's name (if_nametoindex, once the
 * whole file is read): the kernel never resolves.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/kntp.h>

#include "cmd.h"
#include "config.h"
#include "ratelimit.h"

#define KNTP_CONF_ARGS	32	/* words of one line */

/* The instance settings a file may give, and their bit in kntp_conf.set. */
#define KNTP_CONF_SETTINGS (KNTP_REQ_MASTER | KNTP_REQ_CLOCK | \
			    KNTP_REQ_STEP_THRESHOLD | \
			    KNTP_REQ_PANIC_THRESHOLD | KNTP_REQ_STEPOUT | \
			    KNTP_REQ_AUTHENTICATE | KNTP_REQ_RATELIMIT)

#define KNTP_STEP_DEFAULT_NS	128000000ULL		/* 128 ms */
#define KNTP_PANIC_DEFAULT_NS	1000000000000ULL	/* 1000 s */
#define KNTP_STEPOUT_DEFAULT_NS	900000000000ULL		/* 900 s */

const char *kntp_conf_kind_name(uint8_t kind)
{
	switch (kind) {
	case KNTP_ASSOC_KIND_SERVER:
		return "server";
	case KNTP_ASSOC_KIND_PEER:
		return "peer";
	default:
		return "?";
	}
}

void kntp_conf_fmt_addr(char *buf, size_t len, const struct kntp_conf_assoc *a)
{
	if (!inet_ntop(a->family, &a->addr, buf, len))
		snprintf(buf, len, "?");
}

int kntp_conf_same_addr(const struct kntp_conf_assoc *a,
			const struct kntp_conf_assoc *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return !memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4));
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}

void kntp_conf_free(struct kntp_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->ntext; i++)
		free(conf->text[i]);
	free(conf->text);
	free(conf->assocs);
	if (conf->keys)
		memset(conf->keys, 0, conf->nkeys * sizeof(*conf->keys));
	free(conf->keys);
	kntp_acl_conf_free(&conf->acl);
	memset(conf, 0, sizeof(*conf));
	conf->acl.block = -1;
}

/* The settings the kernel derives from what a request gives. */
static void effective(struct kntp_conf_assoc *a, const struct kntp_req *r)
{
	int minp = r->set & KNTP_REQ_MINPOLL ? r->minpoll : KNTP_MINPOLL_DEFAULT;
	int maxp = r->set & KNTP_REQ_MAXPOLL ? r->maxpoll : KNTP_MAXPOLL_DEFAULT;

	if (minp > maxp && !((r->set & KNTP_REQ_MINPOLL) &&
			     (r->set & KNTP_REQ_MAXPOLL))) {
		if (r->set & KNTP_REQ_MINPOLL)
			maxp = minp;
		else
			minp = maxp;
	}
	a->family = r->family;
	memcpy(&a->addr, &r->addr, sizeof(a->addr));
	a->kind = r->kind;
	a->version = r->set & KNTP_REQ_VERSION ? r->version :
		     KNTP_VERSION_DEFAULT;
	a->minpoll = (int8_t)minp;
	a->maxpoll = (int8_t)maxp;
	a->flags = r->set & KNTP_REQ_FLAGS ? r->flags : 0;
	a->key_id = r->set & KNTP_REQ_KEY ? r->key_id : 0;
}

/* Set or clear the trust bits first..last. */
void kntp_conf_trust_range(uint64_t *bits, uint32_t first, uint32_t last,
			   int on)
{
	uint32_t id;

	for (id = first; id <= last && id <= KNTP_KEY_ID_MAX; id++) {
		if (on)
			bits[id / 64] |= (uint64_t)1 << (id % 64);
		else
			bits[id / 64] &= ~((uint64_t)1 << (id % 64));
	}
}

static int trust_bit(const uint64_t *bits, uint32_t id)
{
	return id <= KNTP_KEY_ID_MAX && (bits[id / 64] >> (id % 64) & 1);
}

/* The next run of set bits at or after from: 1 and first..last, or 0. */
int kntp_conf_trusted(const uint64_t *bits, uint32_t from, uint32_t *first,
		      uint32_t *last)
{
	uint32_t id;

	for (id = from; id <= KNTP_KEY_ID_MAX && !trust_bit(bits, id); id++)
		;
	if (id > KNTP_KEY_ID_MAX)
		return 0;
	*first = id;
	while (id < KNTP_KEY_ID_MAX && trust_bit(bits, id + 1))
		id++;
	*last = id;
	return 1;
}

int kntp_conf_add_key(struct kntp_conf *conf, const struct kntp_conf_key *k)
{
	struct kntp_conf_key *p;

	p = realloc(conf->keys, (conf->nkeys + 1) * sizeof(*p));
	if (!p)
		return -1;
	conf->keys = p;
	conf->keys[conf->nkeys++] = *k;
	return 0;
}

/* A key or trust line of a file into conf. */
static int parse_key_line(const struct kntp_command *c,
			  const struct kntp_req *req, int lineno,
			  struct kntp_conf *conf, char *why, size_t wlen)
{
	struct kntp_conf_key k;
	size_t i;

	if (c->nl_cmd == KNTP_CMD_KEY_TRUST) {
		kntp_conf_trust_range(conf->trusted, req->key_id,
				      req->key_last, 1);
		return 0;
	}
	for (i = 0; i < conf->nkeys; i++) {
		if (conf->keys[i].id == req->key_id) {
			snprintf(why, wlen,
				 "authentication-key %u given twice (also on line %d)",
				 req->key_id, conf->keys[i].line);
			return -1;
		}
	}
	memset(&k, 0, sizeof(k));
	k.id = req->key_id;
	k.type = req->key_type;
	k.line = lineno;
	k.secret_is_fp = req->secret_is_fp;
	if (req->secret_is_fp) {
		memcpy(k.fp, req->secret, KNTP_FP_LEN);
	} else {
		k.secret_len = req->secret_len;
		memcpy(k.secret, req->secret, req->secret_len);
		if (kntp_key_fingerprint(k.type, k.secret, k.secret_len,
					 k.fp)) {
			snprintf(why, wlen, "cannot compute the key's fingerprint");
			return -1;
		}
		if (!conf->secrets_line)
			conf->secrets_line = lineno;
	}
	if (kntp_conf_add_key(conf, &k)) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * A "serve ingress IFNAME" line: the name, once, and at most as many as
 * the module answers at; resolved when the whole file is read
 * (resolve_ingress()).
 */
static int parse_ingress_line(const struct kntp_req *req, int lineno,
			      struct kntp_conf *conf, char *why, size_t wlen)
{
	struct kntp_conf_ingress *in;
	size_t i;

	for (i = 0; i < conf->ningress; i++) {
		if (!strcmp(conf->ingress[i].name, req->ifname)) {
			snprintf(why, wlen,
				 "serve ingress %s given twice (also on line %d)",
				 req->ifname, conf->ingress[i].line);
			return -1;
		}
	}
	if (conf->ningress == KNTP_INGRESS_DEVICES_MAX) {
		snprintf(why, wlen,
			 "serve ingress: at most %d devices (this is the %zuth)",
			 KNTP_INGRESS_DEVICES_MAX, conf->ningress + 1);
		return -1;
	}
	in = &conf->ingress[conf->ningress++];
	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", req->ifname);
	in->line = lineno;
	return 0;
}

/* The kernel's devices (the status's INGRESS), named as they are here. */
void kntp_conf_ingress_from_kernel(struct kntp_conf *conf,
				   const struct kntp_ifindexes *in)
{
	char name[IF_NAMESIZE];
	unsigned int i;

	conf->ningress = 0;
	for (i = 0; i < in->n && i < KNTP_INGRESS_DEVICES_MAX; i++) {
		struct kntp_conf_ingress *c = &conf->ingress[conf->ningress++];

		memset(c, 0, sizeof(*c));
		c->ifindex = in->ifindex[i];
		if (if_indextoname(c->ifindex, name))
			snprintf(c->name, sizeof(c->name), "%s", name);
	}
}

/* The device of conf with that index, or NULL. */
const struct kntp_conf_ingress *
kntp_conf_find_ingress(const struct kntp_conf *conf, uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < conf->ningress; i++)
		if (conf->ingress[i].ifindex == ifindex)
			return &conf->ingress[i];
	return NULL;
}

/* A device's name, or "ifindex N" for a kernel's device without one. */
void kntp_conf_ingress_name(char *buf, size_t len,
			    const struct kntp_conf_ingress *in)
{
	if (in->name[0])
		snprintf(buf, len, "%s", in->name);
	else
		snprintf(buf, len, "ifindex %" PRIu32, in->ifindex);
}

static void words_of(char *buf, size_t len, const struct kntp_command *c)
{
	size_t n = 0;
	int d;

	buf[0] = '\0';
	for (d = 0; d < KNTP_CMD_WORDS && c->words[d] && n < len; d++)
		n += snprintf(buf + n, len - n, "%s%s", d ? " " : "",
			      c->words[d]);
}

static int bit_of(unsigned int set)
{
	int b = 0;

	while (set > 1) {
		set >>= 1;
		b++;
	}
	return b;
}

/*
 * Resolve a host name to its first address, as text, into buf.
 * Returns 0, or -1 with why set.
 */
int kntp_resolve_host(const char *host, char *buf, size_t len, char *why,
		      size_t wlen)
{
	struct addrinfo hints, *res;
	int ret;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	ret = getaddrinfo(host, NULL, &hints, &res);
	if (ret) {
		snprintf(why, wlen, "\"%s\": cannot resolve: %s", host,
			 gai_strerror(ret));
		return -1;
	}
	ret = getnameinfo(res->ai_addr, res->ai_addrlen, buf, len, NULL, 0,
			  NI_NUMERICHOST);
	freeaddrinfo(res);
	if (ret) {
		snprintf(why, wlen, "\"%s\": cannot resolve: %s", host,
			 gai_strerror(ret));
		return -1;
	}
	return 0;
}

/*
 * The index of the device name in this network namespace. Returns 0, or
 * -1 with why set.
 */
int kntp_resolve_ifname(const char *name, uint32_t *ifindex, char *why,
			size_t wlen)
{
	unsigned int i;

	errno = 0;
	i = if_nametoindex(name);
	if (i) {
		*ifindex = i;
		return 0;
	}
	if (errno == ENODEV || errno == ENXIO || !errno)
		snprintf(why, wlen, "no device '%s' in this network namespace",
			 name);
	else
		snprintf(why, wlen, "device '%s': cannot look it up: %s", name,
			 strerror(errno));
	return -1;
}

/* One line's words into conf. Returns 0, or -1 with why set. */
static int parse_line(char *words, int lineno, struct kntp_conf *conf,
		      char *why, size_t wlen)
{
	const struct kntp_command *c;
	struct kntp_conf_assoc *a;
	char *argv[KNTP_CONF_ARGS], *tok, *save;
	char resolved[INET6_ADDRSTRLEN + 8], cw[64];
	struct kntp_perr err;
	struct kntp_req req;
	int argc = 0, tries;
	size_t i;

	for (tok = strtok_r(words, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (argc == KNTP_CONF_ARGS) {
			snprintf(why, wlen, "too many words");
			return -1;
		}
		argv[argc++] = tok;
	}
	/* The entries of an "ipv6 access-list NAME" block. */
	if (argc && (!strcmp(argv[0], "permit") || !strcmp(argv[0], "deny")))
		return kntp_acl_conf_entry(&conf->acl, argc, argv, lineno, why,
					   wlen);
	conf->acl.block = -1;
	for (tries = 0;; tries++) {
		if (!kntp_cmd_parse(argc, argv, &c, &req, &err))
			break;
		if (err.code == KNTP_PERR_HOSTNAME && err.argi >= 0 && !tries) {
			if (kntp_resolve_host(argv[err.argi], resolved,
					      sizeof(resolved), why, wlen))
				return -1;
			argv[err.argi] = resolved;
			continue;
		}
		if (c && (err.code == KNTP_PERR_NO_ADDR ||
			  (err.code == KNTP_PERR_NO_VALUE && err.argi < 0))) {
			words_of(cw, sizeof(cw), c);
			snprintf(why, wlen, "%s: %s", cw, err.msg);
		} else {
			snprintf(why, wlen, "%s", err.msg);
		}
		return -1;
	}
	if (c->flags & KNTP_CMDF_ACL)
		return kntp_acl_conf_line(&conf->acl, c, &req, lineno, why,
					  wlen);
	if (!(c->flags & KNTP_CMDF_CONFIG)) {
		words_of(cw, sizeof(cw), c);
		snprintf(why, wlen,
			 "\"%s\" is not a configuration command (expected server, peer, master, clock, ratelimit, authentication-key, trusted-key, authenticate, access-list, ipv6 access-list, access-group, serve ingress)",
			 cw);
		return -1;
	}
	if (c->nl_cmd == KNTP_CMD_INGRESS_ADD)
		return parse_ingress_line(&req, lineno, conf, why, wlen);
	if (c->nl_cmd == KNTP_CMD_KEY_SET || c->nl_cmd == KNTP_CMD_KEY_TRUST) {
		int ret = parse_key_line(c, &req, lineno, conf, why, wlen);

		memset(&req, 0, sizeof(req));	/* no secret left behind */
		return ret;
	}
	req.addr_arg = NULL;	/* points into this line's words */
	req.value_arg = NULL;
	if (c->kind) {
		for (i = 0; i < conf->n; i++) {
			if (req.family == conf->assocs[i].family &&
			    !memcmp(&req.addr, &conf->assocs[i].addr,
				    req.family == AF_INET ? 4 : 16)) {
				kntp_conf_fmt_addr(resolved, sizeof(resolved),
						   &conf->assocs[i]);
				snprintf(why, wlen,
					 "duplicate address %s (also on line %d)",
					 resolved, conf->assocs[i].line);
				return -1;
			}
		}
		a = realloc(conf->assocs, (conf->n + 1) * sizeof(*a));
		if (!a) {
			snprintf(why, wlen, "out of memory");
			return -1;
		}
		conf->assocs = a;
		a = &conf->assocs[conf->n++];
		memset(a, 0, sizeof(*a));
		effective(a, &req);
		a->line = lineno;
		a->req = req;
		return 0;
	}
	if (conf->set & req.set & KNTP_CONF_SETTINGS) {
		words_of(cw, sizeof(cw), c);
		snprintf(why, wlen, "\"%s\" given twice (also on line %d)", cw,
			 conf->lines[bit_of(req.set & KNTP_CONF_SETTINGS)]);
		return -1;
	}
	conf->set |= req.set & KNTP_CONF_SETTINGS;
	conf->lines[bit_of(req.set & KNTP_CONF_SETTINGS)] = lineno;
	if (req.set & KNTP_REQ_MASTER)
		conf->master = req.master;
	if (req.set & KNTP_REQ_CLOCK)
		conf->clock = req.clock;
	if (req.set & KNTP_REQ_STEP_THRESHOLD)
		conf->step_ns = req.step_ns;
	if (req.set & KNTP_REQ_PANIC_THRESHOLD)
		conf->panic_ns = req.panic_ns;
	if (req.set & KNTP_REQ_STEPOUT)
		conf->stepout_ns = req.stepout_ns;
	if (req.set & KNTP_REQ_AUTHENTICATE)
		conf->authenticate = req.authenticate;
	if (req.set & KNTP_REQ_RATELIMIT)
		conf->rl = req.rl;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The devices of the file's "serve ingress" lines to their indexes: each
 * must exist in this network namespace, and be named once (a device's
 * alternative name is the same device).
 */
static int resolve_ingress(const char *name, struct kntp_conf *conf,
			   char *err, size_t len)
{
	struct kntp_conf_ingress *in = NULL;
	const struct kntp_conf_ingress *same;
	char why[160];
	size_t i;

	for (i = 0; i < conf->ningress; i++) {
		in = &conf->ingress[i];
		if (kntp_resolve_ifname(in->name, &in->ifindex, why,
					sizeof(why)))
			goto bad;
		same = kntp_conf_find_ingress(conf, in->ifindex);
		if (same != in) {
			snprintf(why, sizeof(why),
				 "serve ingress %s: the same device as %s (also on line %d)",
				 in->name, same->name, same->line);
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, len, "%s:%d: \"%s\": %s", name, in->line,
		 conf->text[in->line - 1], why);
	return -1;
}

/*
 * The text of file name into conf (zeroed first). Returns 0, or -1 with
 * err set to "NAME:LINE: \"LINE TEXT\": why"; conf is then freed.
 */
int kntp_conf_parse(const char *name, const char *text,
		    struct kntp_conf *conf, char *err, size_t len)
{
	const char *p = text, *nl;
	char why[800], *line, *words, *cut;
	int lineno = 0;

	memset(conf, 0, sizeof(*conf));
	conf->acl.block = -1;
	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		char **t;

		nl = strchr(p, '\n');
		lineno++;
		line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		t = realloc(conf->text, (conf->ntext + 1) * sizeof(*t));
		if (!line || !t) {
			free(line);
			if (t)
				conf->text = t;
			snprintf(err, len, "%s: out of memory", name);
			kntp_conf_free(conf);
			return -1;
		}
		conf->text = t;
		memmove(line, trim(line), strlen(trim(line)) + 1);
		conf->text[conf->ntext++] = line;
		words = strdup(line);
		if (!words) {
			snprintf(err, len, "%s: out of memory", name);
			kntp_conf_free(conf);
			return -1;
		}
		cut = strpbrk(words, "!#");
		if (cut)
			*cut = '\0';
		if (!*trim(words)) {
			free(words);
			continue;
		}
		if (parse_line(words, lineno, conf, why, sizeof(why))) {
			snprintf(err, len, "%s:%d: \"%s\": %s", name, lineno,
				 line, why);
			free(words);
			kntp_conf_free(conf);
			return -1;
		}
		free(words);
	}
	if (resolve_ingress(name, conf, err, len)) {
		kntp_conf_free(conf);
		return -1;
	}
	return 0;
}

/* The kernel's associations and settings (a dump and the status). */
int kntp_conf_from_kernel(struct kntp_conf *conf, const struct kntp_rec *assocs,
			  size_t n, const struct kntp_rec *status)
{
	size_t i;

	memset(conf, 0, sizeof(*conf));
	conf->assocs = calloc(n ? n : 1, sizeof(*conf->assocs));
	if (!conf->assocs)
		return -1;
	for (i = 0; i < n; i++) {
		const struct kntp_rec *r = &assocs[i];
		struct kntp_conf_assoc *a = &conf->assocs[conf->n];

		if (kntp_rec_has(r, KNTP_A_ASSOC_ADDR4)) {
			a->family = AF_INET;
			memcpy(&a->addr.v4, r->v[KNTP_A_ASSOC_ADDR4].b, 4);
		} else if (kntp_rec_has(r, KNTP_A_ASSOC_ADDR6)) {
			a->family = AF_INET6;
			memcpy(&a->addr.v6, r->v[KNTP_A_ASSOC_ADDR6].b, 16);
		} else {
			continue;
		}
		a->kind = r->v[KNTP_A_ASSOC_KIND].u;
		a->version = kntp_rec_has(r, KNTP_A_ASSOC_VERSION) ?
			     r->v[KNTP_A_ASSOC_VERSION].u : KNTP_VERSION_DEFAULT;
		a->minpoll = kntp_rec_has(r, KNTP_A_ASSOC_MINPOLL) ?
			     r->v[KNTP_A_ASSOC_MINPOLL].s : KNTP_MINPOLL_DEFAULT;
		a->maxpoll = kntp_rec_has(r, KNTP_A_ASSOC_MAXPOLL) ?
			     r->v[KNTP_A_ASSOC_MAXPOLL].s : KNTP_MAXPOLL_DEFAULT;
		a->flags = r->v[KNTP_A_ASSOC_FLAGS].u;
		a->key_id = kntp_rec_has(r, KNTP_A_ASSOC_KEY) ?
			    (uint16_t)r->v[KNTP_A_ASSOC_KEY].u : 0;
		a->req.family = a->family;
		memcpy(&a->req.addr, &a->addr, sizeof(a->addr));
		a->req.kind = a->kind;
		conf->n++;
	}
	if (!status)
		return 0;
	if (kntp_rec_has(status, KNTP_A_STATUS_MASTER)) {
		conf->set |= KNTP_REQ_MASTER;
		conf->master = status->v[KNTP_A_STATUS_MASTER].u;
	}
	if (kntp_rec_has(status, KNTP_A_STATUS_CLOCK)) {
		conf->set |= KNTP_REQ_CLOCK;
		conf->clock = status->v[KNTP_A_STATUS_CLOCK].u;
	}
	if (kntp_rec_has(status, KNTP_A_STATUS_STEP_THRESHOLD)) {
		conf->set |= KNTP_REQ_STEP_THRESHOLD;
		conf->step_ns = status->v[KNTP_A_STATUS_STEP_THRESHOLD].u;
	}
	if (kntp_rec_has(status, KNTP_A_STATUS_PANIC_THRESHOLD)) {
		conf->set |= KNTP_REQ_PANIC_THRESHOLD;
		conf->panic_ns = status->v[KNTP_A_STATUS_PANIC_THRESHOLD].u;
	}
	if (kntp_rec_has(status, KNTP_A_STATUS_STEPOUT)) {
		conf->set |= KNTP_REQ_STEPOUT;
		conf->stepout_ns = status->v[KNTP_A_STATUS_STEPOUT].u;
	}
	if (kntp_rec_has(status, KNTP_A_STATUS_AUTHENTICATE)) {
		conf->set |= KNTP_REQ_AUTHENTICATE;
		conf->authenticate = status->v[KNTP_A_STATUS_AUTHENTICATE].u;
	}
	return 0;
}

static void add_why(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_why(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n < len)
		n += snprintf(buf + n, len - n, ", ");
	if (n >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

static void flag_why(char *buf, size_t len, uint32_t k, uint32_t f,
		     uint32_t bit, const char *name)
{
	if ((k & bit) && !(f & bit))
		add_why(buf, len, "no %s", name);
	else if (!(k & bit) && (f & bit))
		add_why(buf, len, "%s", name);
}

/*
 * What to do to make the kernel's associations the file's: the kernel's
 * not in the file are deleted (first, in the kernel's order), then in the
 * file's order each is kept, replaced (a setting differs) or added.
 * *out is malloc'ed. Returns 0 or -1 (no memory).
 */
int kntp_conf_diff(const struct kntp_conf_assoc *kern, size_t nk,
		   const struct kntp_conf_assoc *file, size_t nf,
		   struct kntp_conf_change **out, size_t *n)
{
	struct kntp_conf_change *ch;
	size_t i, j, m = 0;

	ch = calloc(nk + nf + 1, sizeof(*ch));
	if (!ch)
		return -1;
	for (i = 0; i < nk; i++) {
		for (j = 0; j < nf; j++)
			if (kntp_conf_same_addr(&kern[i], &file[j]))
				break;
		if (j == nf) {
			ch[m].op = KNTP_CONF_DEL;
			ch[m++].kern = &kern[i];
		}
	}
	for (j = 0; j < nf; j++) {
		const struct kntp_conf_assoc *k = NULL, *f = &file[j];
		char *w = ch[m].why;
		size_t wl = sizeof(ch[m].why);

		for (i = 0; i < nk && !k; i++)
			if (kntp_conf_same_addr(&kern[i], f))
				k = &kern[i];
		ch[m].file = f;
		ch[m].kern = k;
		if (!k) {
			ch[m++].op = KNTP_CONF_ADD;
			continue;
		}
		if (k->kind != f->kind)
			add_why(w, wl, "%s -> %s", kntp_conf_kind_name(k->kind),
				kntp_conf_kind_name(f->kind));
		if (k->version != f->version)
			add_why(w, wl, "version %u -> %u", k->version,
				f->version);
		if (k->minpoll != f->minpoll)
			add_why(w, wl, "minpoll %d -> %d", k->minpoll,
				f->minpoll);
		if (k->maxpoll != f->maxpoll)
			add_why(w, wl, "maxpoll %d -> %d", k->maxpoll,
				f->maxpoll);
		flag_why(w, wl, k->flags, f->flags, KNTP_ASSOC_F_IBURST,
			 "iburst");
		flag_why(w, wl, k->flags, f->flags, KNTP_ASSOC_F_PREFER,
			 "prefer");
		flag_why(w, wl, k->flags, f->flags, KNTP_ASSOC_F_XLEAVE,
			 "xleave");
		if (k->key_id != f->key_id)
			add_why(w, wl, "key %u -> %u", k->key_id, f->key_id);
		if (k->flags & ~(uint32_t)__KNTP_ASSOC_F_ALL)
			add_why(w, wl, "flags 0x%x -> 0x%x", k->flags,
				f->flags);
		ch[m++].op = *w ? KNTP_CONF_REPLACE : KNTP_CONF_KEEP;
	}
	*out = ch;
	*n = m;
	return 0;
}

/*
 * "ntp server ADDR [version N] [minpoll N] [maxpoll N] [iburst] [prefer]
 * [key N] [xleave]"
 */
static void print_assoc(FILE *f, const struct kntp_conf_assoc *a)
{
	char addr[INET6_ADDRSTRLEN];

	kntp_conf_fmt_addr(addr, sizeof(addr), a);
	fprintf(f, "ntp %s %s", kntp_conf_kind_name(a->kind), addr);
	if (a->version != KNTP_VERSION_DEFAULT)
		fprintf(f, " version %u", a->version);
	if (a->minpoll != KNTP_MINPOLL_DEFAULT)
		fprintf(f, " minpoll %d", a->minpoll);
	if (a->maxpoll != KNTP_MAXPOLL_DEFAULT)
		fprintf(f, " maxpoll %d", a->maxpoll);
	if (a->flags & KNTP_ASSOC_F_IBURST)
		fprintf(f, " iburst");
	if (a->flags & KNTP_ASSOC_F_PREFER)
		fprintf(f, " prefer");
	if (a->key_id)
		fprintf(f, " key %u", a->key_id);
	if (a->flags & KNTP_ASSOC_F_XLEAVE)
		fprintf(f, " xleave");
	fputc('\n', f);
}

/*
 * Keys by their fingerprint (a secret never leaves the kernel; "apply"
 * takes the line back and checks the kernel's key has that fingerprint),
 * the trusted ids, "ntp authenticate".
 */
static void print_auth(FILE *f, const struct kntp_conf *conf)
{
	uint32_t first, last, from = 0;
	char fp[2 * KNTP_FP_LEN + 1];
	size_t i;

	if (conf->keys_hidden)
		fprintf(f, "! authentication keys not shown: listing them needs CAP_NET_ADMIN\n");
	for (i = 0; i < conf->nkeys; i++) {
		kntp_fmt_fingerprint(fp, sizeof(fp), conf->keys[i].fp);
		fprintf(f, "ntp authentication-key %u %s FINGERPRINT:%s\n",
			conf->keys[i].id, kntp_key_type_name(conf->keys[i].type),
			fp);
	}
	while (kntp_conf_trusted(conf->trusted, from, &first, &last)) {
		if (first == last)
			fprintf(f, "ntp trusted-key %u\n", first);
		else
			fprintf(f, "ntp trusted-key %u-%u\n", first, last);
		from = last + 1;
	}
	if ((conf->set & KNTP_REQ_AUTHENTICATE) && conf->authenticate)
		fprintf(f, "ntp authenticate\n");
}

/* The running configuration as a file "kntp apply" takes. */
void kntp_conf_print(FILE *f, const struct kntp_conf *conf)
{
	char num[32];
	size_t i;

	fprintf(f, "! kntp running configuration\n");
	print_auth(f, conf);
	kntp_acl_conf_print(f, &conf->acl);
	if (conf->set & KNTP_REQ_CLOCK)
		fprintf(f, "ntp clock %s\n",
			conf->clock == KNTP_CLOCK_SYSTEM ? "system" : "virtual");
	if ((conf->set & KNTP_REQ_STEP_THRESHOLD) &&
	    conf->step_ns != KNTP_STEP_DEFAULT_NS) {
		kntp_fmt_decimal(num, sizeof(num), conf->step_ns, 0, 6);
		fprintf(f, "ntp clock step-threshold %s\n", num);
	}
	if ((conf->set & KNTP_REQ_PANIC_THRESHOLD) &&
	    conf->panic_ns != KNTP_PANIC_DEFAULT_NS) {
		kntp_fmt_decimal(num, sizeof(num), conf->panic_ns, 0, 9);
		fprintf(f, "ntp clock panic-threshold %s\n", num);
	}
	if ((conf->set & KNTP_REQ_STEPOUT) &&
	    conf->stepout_ns != KNTP_STEPOUT_DEFAULT_NS) {
		kntp_fmt_decimal(num, sizeof(num), conf->stepout_ns, 0, 9);
		fprintf(f, "ntp clock stepout %s\n", num);
	}
	if ((conf->set & KNTP_REQ_MASTER) && conf->master)
		fprintf(f, "ntp master %u\n", conf->master);
	if ((conf->set & KNTP_REQ_RATELIMIT) && conf->rl.enabled) {
		char rl[160];

		kntp_rl_fmt(rl, sizeof(rl), &conf->rl);
		fprintf(f, "%s\n", rl);
	}
	for (i = 0; i < conf->ningress; i++) {
		if (conf->ingress[i].name[0])
			fprintf(f, "ntp serve ingress %s\n",
				conf->ingress[i].name);
		else
			fprintf(f, "! ntp serve ingress: ifindex %" PRIu32
				" has no name in this namespace\n",
				conf->ingress[i].ifindex);
	}
	for (i = 0; i < conf->n; i++)
		print_assoc(f, &conf->assocs[i]);
}
