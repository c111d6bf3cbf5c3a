// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication (auth.c and its words in cmd.c and config.c): keys,
 * trusted keys and "authenticate" on the command line and in files, and
 * keys printed back by fingerprint only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kntp.h>

#include "auth.h"
#include "config.h"
#include "test_util.h"

/* authentication-key: the key types, secrets in ASCII and HEX, the ranges. */
static void auth_key_words(void)
{
	struct line *l;

	l = parse("ntp authentication-key 5 md5 s3cr3t");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_SET && l->req.key_id == 5 &&
	   l->req.key_type == KNTP_KEY_MD5 && l->req.secret_len == 6 &&
	   !memcmp(l->req.secret, "s3cr3t", 6) && !l->req.secret_is_fp,
	   "authentication-key 5 md5 s3cr3t: id, type, ASCII secret");
	l = parse("authentication-key 65535 hmac-sha1 HEX:0aFF");
	ok(!l->ret && l->req.key_id == 65535 && l->req.key_type == KNTP_KEY_SHA1 &&
	   l->req.secret_len == 2 && l->req.secret[0] == 0x0a &&
	   l->req.secret[1] == 0xff, "HEX: secrets are bytes");
	l = parse("authentication-key 3 cmac-aes-128 0123456789abcdef");
	ok(!l->ret && l->req.key_type == KNTP_KEY_AES128_CMAC &&
	   l->req.secret_len == 16, "cmac-aes-128 with 16 characters");
	l = parse("authentication-key 3 AES128 HEX:000102030405060708090a0b0c0d0e0f");
	ok(!l->ret && l->req.key_type == KNTP_KEY_AES128_CMAC,
	   "chrony's name AES128 is accepted");
	fails("authentication-key 3 cmac-aes-128 short", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 0 md5 x", KNTP_PERR_RANGE, 1, "0");
	fails("authentication-key 65536 md5 x", KNTP_PERR_RANGE, 1, "65536");
	fails("authentication-key 1 sha3 x", KNTP_PERR_UNKNOWN_OPT, 2, "sha3");
	fails("authentication-key 1 md5 HEX:abc", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 1 md5 HEX:zz", KNTP_PERR_RANGE, 3, NULL);
	fails("authentication-key 1 md5", KNTP_PERR_NO_VALUE, -1, NULL);
	fails("authentication-key 1 md5 a b", KNTP_PERR_TRAILING, 4, NULL);
	fails("authentication-key 1 md5 "
	      "01234567890123456789012345678901234567890123456789012345678901234",
	      KNTP_PERR_RANGE, 3, NULL);
	l = parse("no authentication-key 9");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_DEL && l->req.key_id == 9,
	   "no authentication-key 9");
}

/* trusted-key ranges, authenticate, an association's key. */
static void auth_trust_words(void)
{
	struct line *l;

	l = parse("trusted-key 4-10");
	ok(!l->ret && l->cmd->nl_cmd == KNTP_CMD_KEY_TRUST && l->req.trust &&
	   l->req.key_id == 4 && l->req.key_last == 10, "trusted-key 4-10");
	l = parse("no trusted-key 4 - 10");
	ok(!l->ret && !l->req.trust && l->req.key_id == 4 &&
	   l->req.key_last == 10, "no trusted-key 4 - 10 (IOS spelling)");
	l = parse("trusted-key 6");
	ok(!l->ret && l->req.key_id == 6 && l->req.key_last == 6, "trusted-key 6");
	fails("trusted-key 10-4", KNTP_PERR_RANGE, 1, NULL);
	fails("trusted-key 1-x", KNTP_PERR_NOT_INT, 1, "x");
	l = parse("authenticate");
	ok(!l->ret && (l->req.set & KNTP_REQ_AUTHENTICATE) && l->req.authenticate,
	   "authenticate");
	l = parse("no ntp authenticate");
	ok(!l->ret && (l->req.set & KNTP_REQ_AUTHENTICATE) && !l->req.authenticate,
	   "no ntp authenticate");
	l = parse("server 192.0.2.1 key 7 iburst");
	ok(!l->ret && (l->req.set & KNTP_REQ_KEY) && l->req.key_id == 7,
	   "server ADDR key 7");
	fails("server 192.0.2.1 key 0", KNTP_PERR_RANGE, 3, "0");
	fails("peer 192.0.2.1 key", KNTP_PERR_NO_VALUE, 2, NULL);
}

/* A file with keys: parsed, printed by fingerprint, parsed back. */
static void auth_file(void)
{
	static const char conf_text[] =
		"ntp authentication-key 1 md5 secret1\n"
		"ntp authentication-key 2 hmac-sha2-256 HEX:00112233445566778899\n"
		"ntp trusted-key 1-2\n"
		"ntp trusted-key 7\n"
		"ntp trusted-key 8 - 9\n"
		"ntp authenticate\n"
		"ntp peer 198.51.100.2 key 2\n";
	struct kntp_conf conf, back;
	char *text = NULL, err[512] = "";
	uint32_t first, last;
	uint8_t fp[KNTP_FP_LEN];
	size_t len = 0;
	FILE *f;

	/* The fingerprint: SHA-256("kntp key" || 1 || "secret1"), first 8 bytes. */
	ok(!kntp_key_fingerprint(KNTP_KEY_MD5, (const uint8_t *)"secret1", 7, fp),
	   "fingerprint computed");

	ok(!kntp_conf_parse("t.conf", conf_text, &conf, err, sizeof(err)),
	   "a file with keys, trust and authenticate parses (%s)", err);
	ok(conf.nkeys == 2 && conf.keys[0].id == 1 && conf.keys[1].id == 2 &&
	   !memcmp(conf.keys[0].fp, fp, KNTP_FP_LEN) && conf.secrets_line == 1,
	   "  two keys, the first's fingerprint, secrets from line 1");
	ok(kntp_conf_trusted(conf.trusted, 0, &first, &last) && first == 1 &&
	   last == 2 && kntp_conf_trusted(conf.trusted, 3, &first, &last) &&
	   first == 7 && last == 9 &&
	   !kntp_conf_trusted(conf.trusted, 10, &first, &last),
	   "  trusted 1-2 and 7-9 (7 and 8-9 merge)");
	ok(conf.authenticate && (conf.set & KNTP_REQ_AUTHENTICATE) &&
	   conf.n == 1 && conf.assocs[0].key_id == 2, "  authenticate, peer key 2");
	f = open_memstream(&text, &len);
	kntp_conf_print(f, &conf);
	fclose(f);
	ok(text && !strstr(text, "secret1") && !strstr(text, "0011223344") &&
	   strstr(text, "ntp authentication-key 1 md5 FINGERPRINT:") &&
	   strstr(text, "ntp trusted-key 1-2\n") &&
	   strstr(text, "ntp trusted-key 7-9\n") &&
	   strstr(text, "ntp authenticate\n") &&
	   strstr(text, "ntp peer 198.51.100.2 key 2\n"),
	   "running-config: keys by fingerprint only, ranges, authenticate, key");
	ok(text && !kntp_conf_parse("back", text, &back, err, sizeof(err)) &&
	   back.nkeys == 2 && back.keys[0].secret_is_fp &&
	   !memcmp(back.keys[0].fp, fp, KNTP_FP_LEN) && !back.secrets_line,
	   "  and parses back: the same fingerprints, no secrets (%s)", err);
	kntp_conf_free(&back);
	kntp_conf_free(&conf);
	free(text);
}

/* A key given twice in a file. */
static void auth_key_twice(void)
{
	struct kntp_conf conf;
	char err[512];

	int ret;

	ret = kntp_conf_parse("t.conf", "ntp authentication-key 1 md5 a\n"
			      "ntp authentication-key 1 md5 b\n", &conf, err,
			      sizeof(err));
	if (!ret)	/* accepted: a failure, and a configuration to free */
		kntp_conf_free(&conf);
	ok(ret && strstr(err, "t.conf:2: \"ntp authentication-key 1 md5 b\"") &&
	   strstr(err, "given twice (also on line 1)"),
	   "a key given twice: the line quoted (%s)", ret ? err : "accepted");
}

/* The words of authentication, in commands and in files. */
void test_auth(void)
{
	auth_key_words();
	auth_trust_words();
	auth_file();
	auth_key_twice();
}
