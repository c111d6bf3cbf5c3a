// SPDX-License-Identifier: GPL-2.0
/*
 * kntp core: MD5 message digest (RFC 1321).
 *
 * Written from the algorithm's description in RFC 1321 sec. 3: 64-byte
 * blocks of sixteen little-endian 32-bit words, four rounds of sixteen steps,
 * and padding with 0x80, zeros and the bit length (little-endian, 64 bits).
 * Bytes are assembled into words with shifts, so the code is the same on
 * every byte order. MD5 is broken for collision resistance; NTP uses it for
 * the IPv6 reference ID, where only its mixing matters, and for legacy MACs.
 */
#include "md5.h"

/* RFC 1321 sec. 3.4: T[i] = floor(2^32 * |sin(i + 1)|), i = 0..63. */
static const u32 ntp_md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* RFC 1321 sec. 3.4: left rotations, four per round. */
static const u8 ntp_md5_rot[4][4] = {
	{ 7, 12, 17, 22 },
	{ 5, 9, 14, 20 },
	{ 4, 11, 16, 23 },
	{ 6, 10, 15, 21 },
};

/* RFC 1321 sec. 3.3: initial A, B, C, D. */
static const u32 ntp_md5_iv[4] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
};

static inline u32 ntp_md5_rol(u32 x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static u32 ntp_md5_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void ntp_md5_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* RFC 1321 sec. 3.4: process one 64-byte block. */
static void ntp_md5_block(u32 state[4], const u8 *block)
{
	u32 x[16];
	u32 a = state[0], b = state[1], c = state[2], d = state[3];
	u32 f, tmp;
	int i, k;

	for (i = 0; i < 16; i++)
		x[i] = ntp_md5_get_le32(block + 4 * i);

	for (i = 0; i < 64; i++) {
		switch (i >> 4) {
		case 0:		/* F(b, c, d), words in order */
			f = (b & c) | (~b & d);
			k = i;
			break;
		case 1:		/* G(b, c, d), words 1, 6, 11, ... */
			f = (b & d) | (c & ~d);
			k = (5 * i + 1) & 15;
			break;
		case 2:		/* H(b, c, d), words 5, 8, 11, ... */
			f = b ^ c ^ d;
			k = (3 * i + 5) & 15;
			break;
		default:	/* I(b, c, d), words 0, 7, 14, ... */
			f = c ^ (b | ~d);
			k = (7 * i) & 15;
			break;
		}
		tmp = d;
		d = c;
		c = b;
		b += ntp_md5_rol(a + f + ntp_md5_t[i] + x[k],
				 ntp_md5_rot[i >> 4][i & 3]);
		a = tmp;
	}

	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
}

/**
 * ntp_md5_init() - start an MD5 computation
 * @ctx: the context
 */
void ntp_md5_init(struct ntp_md5_ctx *ctx)
{
	memcpy(ctx->state, ntp_md5_iv, sizeof(ctx->state));
	ctx->len = 0;
}

/**
 * ntp_md5_update() - hash more input
 * @ctx: the context, from ntp_md5_init()
 * @data: input
 * @len: bytes of @data
 */
void ntp_md5_update(struct ntp_md5_ctx *ctx, const void *data, size_t len)
{
	const u8 *p = data;
	size_t used = ctx->len & (NTP_MD5_BLOCK_LEN - 1);
	size_t take;

	ctx->len += len;
	if (used) {
		take = NTP_MD5_BLOCK_LEN - used;
		if (take > len)
			take = len;
		memcpy(ctx->buf + used, p, take);
		p += take;
		len -= take;
		if (used + take < NTP_MD5_BLOCK_LEN)
			return;
		ntp_md5_block(ctx->state, ctx->buf);
	}
	for (; len >= NTP_MD5_BLOCK_LEN; len -= NTP_MD5_BLOCK_LEN) {
		ntp_md5_block(ctx->state, p);
		p += NTP_MD5_BLOCK_LEN;
	}
	if (len)
		memcpy(ctx->buf, p, len);
}

/**
 * ntp_md5_final() - pad, finish and give the digest
 * @ctx: the context; it must be initialised again before reuse
 * @digest: the 16-byte digest, A..D little-endian (RFC 1321 sec. 3.5)
 */
void ntp_md5_final(struct ntp_md5_ctx *ctx, u8 digest[NTP_MD5_LEN])
{
	size_t used = ctx->len & (NTP_MD5_BLOCK_LEN - 1);
	u64 bits = ctx->len << 3;	/* sec. 3.2: length mod 2^64 bits */
	int i;

	/* sec. 3.1: a 1 bit, then zeros up to 56 bytes mod 64 */
	ctx->buf[used++] = 0x80;
	if (used > NTP_MD5_BLOCK_LEN - 8) {
		memset(ctx->buf + used, 0, NTP_MD5_BLOCK_LEN - used);
		ntp_md5_block(ctx->state, ctx->buf);
		used = 0;
	}
	memset(ctx->buf + used, 0, NTP_MD5_BLOCK_LEN - 8 - used);
	ntp_md5_put_le32(ctx->buf + NTP_MD5_BLOCK_LEN - 8, (u32)bits);
	ntp_md5_put_le32(ctx->buf + NTP_MD5_BLOCK_LEN - 4, (u32)(bits >> 32));
	ntp_md5_block(ctx->state, ctx->buf);

	for (i = 0; i < 4; i++)
		ntp_md5_put_le32(digest + 4 * i, ctx->state[i]);
}

/**
 * ntp_md5() - MD5 of one buffer
 * @data: input
 * @len: bytes of @data
 * @digest: the 16-byte digest
 */
void ntp_md5(const void *data, size_t len, u8 digest[NTP_MD5_LEN])
{
	struct ntp_md5_ctx ctx;

	ntp_md5_init(&ctx);
	ntp_md5_update(&ctx, data, len);
	ntp_md5_final(&ctx, digest);
}
