// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer of "-j" (json.h).
 */
#include <inttypes.h>

#include "json.h"

void kntp_json_init(struct kntp_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = 1;
}

/* The separator before a member, and its key. */
static void member(struct kntp_json *j, const char *key)
{
	int d = j->depth < KNTP_JSON_DEPTH ? j->depth : KNTP_JSON_DEPTH - 1;

	if (!j->first[d])
		fputs(", ", j->f);
	j->first[d] = 0;
	if (key) {
		kntp_json_escape(j->f, key);
		fputs(": ", j->f);
	}
}

void kntp_json_open(struct kntp_json *j, const char *key, char brace)
{
	member(j, key);
	fputc(brace, j->f);
	j->depth++;
	if (j->depth < KNTP_JSON_DEPTH)
		j->first[j->depth] = 1;
}

void kntp_json_close(struct kntp_json *j, char brace)
{
	if (j->depth > 0)
		j->depth--;
	fputc(brace, j->f);
}

void kntp_json_u64(struct kntp_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void kntp_json_s64(struct kntp_json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void kntp_json_bool(struct kntp_json *j, const char *key, int v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void kntp_json_null(struct kntp_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void kntp_json_str(struct kntp_json *j, const char *key, const char *s)
{
	member(j, key);
	kntp_json_escape(j->f, s);
}

void kntp_json_end(struct kntp_json *j)
{
	fputc('\n', j->f);
}

/*
 * The length of the UTF-8 sequence at p (1..4), or 0 when it is not one:
 * overlong forms, surrogates and code points above U+10FFFF are not.
 */
static int utf8_len(const unsigned char *p)
{
	uint32_t cp;
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {	/* stops at the NUL: not 10xxxxxx */
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void kntp_json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}
