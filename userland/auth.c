// SPDX-License-Identifier: GPL-2.0
/*
 * The words of symmetric-key authentication, and the fingerprint of a
 * secret (what the kernel shows instead of it: the first 8 bytes of
 * SHA-256("kntp key" || type || secret), so that "apply" can tell a
 * changed secret without reading one back).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/kntp.h>
#include <openssl/evp.h>

#include "array_size.h"
#include "auth.h"

/*
 * The key types: IOS XE's words first (what show running-config prints),
 * then chrony's and ntpd's names for the same digests.
 */
static const struct {
	const char *name;
	uint8_t type;
} kntp_key_types[] = {
	{ "md5", KNTP_KEY_MD5 },
	{ "hmac-sha1", KNTP_KEY_SHA1 },
	{ "hmac-sha2-256", KNTP_KEY_SHA256 },
	{ "cmac-aes-128", KNTP_KEY_AES128_CMAC },
	{ "sha1", KNTP_KEY_SHA1 },
	{ "sha256", KNTP_KEY_SHA256 },
	{ "aes128", KNTP_KEY_AES128_CMAC },
};

#define KNTP_KEY_TYPE_WORDS	"md5, hmac-sha1, hmac-sha2-256, cmac-aes-128"

const char *kntp_key_type_name(uint8_t type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kntp_key_types); i++)
		if (kntp_key_types[i].type == type)
			return kntp_key_types[i].name;
	return "?";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digits into out (at most max bytes); the byte count, or -1. */
static int unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s), i;

	if (!n || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/* The secret at argv[argi] into req: ASCII, ASCII:..., HEX:..., FINGERPRINT:... */
static int parse_secret(const char *arg, int argi, struct kntp_req *req,
			struct kntp_perr *err)
{
	int n;

	req->secret_is_fp = 0;
	if (!strncasecmp(arg, "FINGERPRINT:", 12)) {
		if (unhex(arg + 12, req->secret, KNTP_FP_LEN) != KNTP_FP_LEN) {
			kntp_perr_set(err, KNTP_PERR_RANGE, argi,
				      "fingerprint \"%s\": expected %d hex digits",
				      arg + 12, 2 * KNTP_FP_LEN);
			return -1;
		}
		req->secret_is_fp = 1;
		req->secret_len = KNTP_FP_LEN;
		return 0;
	}
	if (!strncasecmp(arg, "HEX:", 4)) {
		n = unhex(arg + 4, req->secret, sizeof(req->secret));
		if (n < 0) {
			kntp_perr_set(err, KNTP_PERR_RANGE, argi,
				      "secret \"HEX:...\": expected 2 to %d hex digits, an even number",
				      2 * KNTP_SECRET_MAX);
			return -1;
		}
		req->secret_len = (uint8_t)n;
	} else {
		if (!strncasecmp(arg, "ASCII:", 6))
			arg += 6;
		n = (int)strlen(arg);
		if (!n || n > KNTP_SECRET_MAX) {
			kntp_perr_set(err, KNTP_PERR_RANGE, argi,
				      "secret: 1 to %d characters (%d given)",
				      KNTP_SECRET_MAX, n);
			return -1;
		}
		memcpy(req->secret, arg, (size_t)n);
		req->secret_len = (uint8_t)n;
	}
	if (req->key_type == KNTP_KEY_AES128_CMAC &&
	    req->secret_len != KNTP_KEY_CMAC_LEN) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "a cmac-aes-128 secret is exactly 16 bytes (16 characters or HEX: and 32 digits), not %u",
			      req->secret_len);
		return -1;
	}
	return 0;
}

/* "N TYPE SECRET" */
int kntp_parse_authkey(int argc, char **argv, int argi, struct kntp_req *req,
		       struct kntp_perr *err)
{
	size_t i;

	if (argi + 2 >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "expected N TYPE SECRET (TYPE: " KNTP_KEY_TYPE_WORDS ")");
		return -1;
	}
	if (kntp_parse_key_id(argv[argi], argi, &req->key_id, err))
		return -1;
	for (i = 0; i < ARRAY_SIZE(kntp_key_types); i++)
		if (!strcasecmp(argv[argi + 1], kntp_key_types[i].name))
			break;
	if (i == ARRAY_SIZE(kntp_key_types)) {
		kntp_perr_set(err, KNTP_PERR_UNKNOWN_OPT, argi + 1,
			      "unknown key type \"%s\" (expected " KNTP_KEY_TYPE_WORDS ")",
			      argv[argi + 1]);
		return -1;
	}
	req->key_type = kntp_key_types[i].type;
	if (parse_secret(argv[argi + 2], argi + 2, req, err))
		return -1;
	return kntp_parse_none(argc, argv, argi + 3, err);
}

/* "no authentication-key N" */
int kntp_parse_authkey_no(int argc, char **argv, int argi,
			  struct kntp_req *req, struct kntp_perr *err)
{
	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1, "missing key id");
		return -1;
	}
	if (kntp_parse_key_id(argv[argi], argi, &req->key_id, err))
		return -1;
	return kntp_parse_none(argc, argv, argi + 1, err);
}

/* "N", "N-M" or "N - M" (as IOS prints a range). */
int kntp_parse_trusted(int argc, char **argv, int argi, struct kntp_req *req,
		       struct kntp_perr *err)
{
	char first[16], *dash;
	const char *last = NULL;
	int lasti = argi;

	if (argi >= argc) {
		kntp_perr_set(err, KNTP_PERR_NO_VALUE, -1,
			      "missing key id (N or N-M)");
		return -1;
	}
	snprintf(first, sizeof(first), "%s", argv[argi]);
	dash = strchr(first, '-');
	if (dash && dash != first) {
		*dash = '\0';
		last = argv[argi] + (dash - first) + 1;
	} else if (argi + 2 < argc && !strcmp(argv[argi + 1], "-")) {
		last = argv[argi + 2];
		lasti = argi + 2;
	}
	if (kntp_parse_key_id(first, argi, &req->key_id, err))
		return -1;
	req->key_last = req->key_id;
	if (last && kntp_parse_key_id(last, lasti, &req->key_last, err))
		return -1;
	if (req->key_last < req->key_id) {
		kntp_perr_set(err, KNTP_PERR_RANGE, argi,
			      "key range %u-%u: the last id is below the first",
			      req->key_id, req->key_last);
		return -1;
	}
	return kntp_parse_none(argc, argv, lasti + 1, err);
}

int kntp_key_fingerprint(uint8_t type, const uint8_t *secret, size_t len,
			 uint8_t fp[KNTP_FP_LEN])
{
	static const char label[] = "kntp key";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, label, sizeof(label) - 1) &&
	     EVP_DigestUpdate(ctx, &type, 1) &&
	     EVP_DigestUpdate(ctx, secret, len) &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen >= KNTP_FP_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(fp, md, KNTP_FP_LEN);
	return 0;
}

void kntp_fmt_fingerprint(char *buf, size_t len, const uint8_t *fp)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < KNTP_FP_LEN && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%02x", fp[i]);
}
