/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp core: MD5 (RFC 1321), for the IPv6 reference ID (RFC 5905 sec. 7.3)
 * and the symmetric-key MAC (RFC 5905 sec. 7.3, Appendix A.2). Integer only,
 * independent of the host's byte order.
 */
#ifndef _KNTP_CORE_MD5_H
#define _KNTP_CORE_MD5_H

#include "ntp.h"

#define NTP_MD5_LEN		16	/* digest, bytes */
#define NTP_MD5_BLOCK_LEN	64	/* input block, bytes */

/**
 * struct ntp_md5_ctx - an MD5 computation in progress
 * @state: chaining variables A, B, C, D (RFC 1321 sec. 3.3)
 * @len: bytes hashed so far
 * @buf: the partial input block, @len % NTP_MD5_BLOCK_LEN bytes of it
 */
struct ntp_md5_ctx {
	u32 state[4];
	u64 len;
	u8 buf[NTP_MD5_BLOCK_LEN];
};

void ntp_md5_init(struct ntp_md5_ctx *ctx);
void ntp_md5_update(struct ntp_md5_ctx *ctx, const void *data, size_t len);
void ntp_md5_final(struct ntp_md5_ctx *ctx, u8 digest[NTP_MD5_LEN]);
void ntp_md5(const void *data, size_t len, u8 digest[NTP_MD5_LEN]);

#endif /* _KNTP_CORE_MD5_H */
