/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer for "-j": one document on one line, members
 * separated by ", " and keys followed by ": ". Strings are escaped so that
 * the output is always valid JSON, whatever bytes the kernel sent.
 */
#ifndef KNTP_JSON_H
#define KNTP_JSON_H

#include <stdint.h>
#include <stdio.h>

#define KNTP_JSON_DEPTH	8	/* nesting kept track of; deeper is a bug */

struct kntp_json {
	FILE *f;
	int depth;
	unsigned char first[KNTP_JSON_DEPTH];	/* no member yet at depth */
};

void kntp_json_init(struct kntp_json *j, FILE *f);
/* key is NULL for a member of an array, else the object member's key. */
void kntp_json_open(struct kntp_json *j, const char *key, char brace);
void kntp_json_close(struct kntp_json *j, char brace);
void kntp_json_u64(struct kntp_json *j, const char *key, uint64_t v);
void kntp_json_s64(struct kntp_json *j, const char *key, int64_t v);
void kntp_json_bool(struct kntp_json *j, const char *key, int v);
void kntp_json_null(struct kntp_json *j, const char *key);
void kntp_json_str(struct kntp_json *j, const char *key, const char *s);
/* The end of the document: a newline. */
void kntp_json_end(struct kntp_json *j);
/*
 * s as a JSON string with its quotes. Valid UTF-8 passes through; control
 * characters, DEL and bytes that are not UTF-8 are escaped (\u00XX, or
 * \ufffd for a byte that is not UTF-8).
 */
void kntp_json_escape(FILE *f, const char *s);

#endif /* KNTP_JSON_H */
