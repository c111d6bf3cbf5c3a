/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words of symmetric-key authentication: "ntp authentication-key N
 * TYPE SECRET", "ntp trusted-key N[-M]", "ntp authenticate", their "no"
 * forms, the secrets' spelling (ASCII, HEX:, FINGERPRINT:), the key types'
 * names and the fingerprint the kernel shows instead of a secret.
 */
#ifndef KNTP_AUTH_H
#define KNTP_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* Bytes of a fingerprint (the kernel's KNTP_KEY_FINGERPRINT_LEN). */
#define KNTP_FP_LEN	8

const char *kntp_key_type_name(uint8_t type);
int kntp_parse_authkey(int argc, char **argv, int argi, struct kntp_req *req,
		       struct kntp_perr *err);
int kntp_parse_authkey_no(int argc, char **argv, int argi,
			  struct kntp_req *req, struct kntp_perr *err);
int kntp_parse_trusted(int argc, char **argv, int argi, struct kntp_req *req,
		       struct kntp_perr *err);
int kntp_key_fingerprint(uint8_t type, const uint8_t *secret, size_t len,
			 uint8_t fp[KNTP_FP_LEN]);
void kntp_fmt_fingerprint(char *buf, size_t len, const uint8_t *fp);

#endif /* KNTP_AUTH_H */
