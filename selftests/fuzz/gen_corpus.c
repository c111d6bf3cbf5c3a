// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of fuzz_wire into the directory given as argv[1]:
 * one file per interesting packet shape (client request, server reply,
 * kiss-o'-death, each MAC size, extension fields, NTPv3, the 2036 era
 * boundary, and a few invalid ones). Generated at build time so no binary
 * file lives in git.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wire.h"

static const char *dir;

static void put(const char *name, const u8 *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A header: leap, version, mode, stratum; timestamps around @base_ns. */
static size_t hdr(u8 *buf, int leap, int vn, int mode, int stratum, s64 base_ns)
{
	struct ntp_packet p = {
		.leap = leap, .version = vn, .mode = mode, .stratum = stratum,
		.poll = 6, .precision = -24,
		.root_delay = ntp_short_from_ns(1500000),
		.root_disp = ntp_short_from_ns(25000000),
		.refid = { 192, 0, 2, 1 },
	};

	if (base_ns) {
		p.ref_ts = ntp_ts_from_ns(base_ns - 64 * NTP_NSEC_PER_SEC);
		p.org_ts = ntp_ts_from_ns(base_ns);
		p.rec_ts = ntp_ts_from_ns(base_ns + 1234567);
		p.xmt_ts = ntp_ts_from_ns(base_ns + 1256789);
	}
	return ntp_encode(&p, buf);
}

static size_t ef(u8 *at, u16 type, u16 len)
{
	memset(at, 0x5a, len);
	ntp_put_be16(at, type);
	ntp_put_be16(at + 2, len);
	return len;
}

static size_t mac(u8 *at, u32 key_id, size_t len)
{
	memset(at, 0xa5, len);
	ntp_put_be32(at, key_id);
	return len;
}

int main(int argc, char **argv)
{
	const s64 t2024 = 1700000000LL * NTP_NSEC_PER_SEC;
	const s64 t2036 = 2085978496LL * NTP_NSEC_PER_SEC;	/* era 1 starts */
	u8 b[NTP_WIRE_MAX_LEN];
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	/* A client request: mostly zero, only the transmit timestamp. */
	memset(b, 0, sizeof(b));
	b[0] = 0x23;	/* LI 0, VN 4, mode 3 */
	ntp_encode_xmt(b, ntp_ts_from_ns(t2024));
	put("client-v4", b, NTP_HEADER_LEN);

	put("server-v4", b, hdr(b, 0, 4, 4, 2, t2024));
	put("server-2036-before", b, hdr(b, 0, 4, 4, 1, t2036 - 500000000));
	put("server-2036-after", b, hdr(b, 0, 4, 4, 1, t2036 + 500000000));
	put("active-v4", b, hdr(b, 0, 4, 1, 3, t2024));
	put("unsync-v4", b, hdr(b, 3, 4, 4, 16, 0));

	n = hdr(b, 3, 4, 4, 0, t2024);
	memcpy(b + 12, "RATE", 4);
	put("kiss-rate", b, n);

	n = hdr(b, 0, 4, 4, 2, t2024);
	put("mac-nak", b, n + mac(b + n, 0, 4));
	put("mac-md5", b, n + mac(b + n, 1, 20));
	put("mac-sha1", b, n + mac(b + n, 2, 24));

	n = hdr(b, 0, 4, 3, 0, t2024);
	n += ef(b + n, 0x0104, 36);		/* NTS unique identifier size */
	put("ef-one", b, n);
	n += ef(b + n, 0x0204, 104);		/* an NTS cookie size */
	put("ef-two", b, n);
	put("ef-two-mac", b, n + mac(b + n, 3, 20));
	n = hdr(b, 0, 4, 3, 0, t2024);
	n += ef(b + n, 0x0104, 16);
	put("ef-16-sha1", b, n + mac(b + n, 4, 24));

	/* The longest packet accepted: 48 + 1024 + 24 = NTP_WIRE_MAX_LEN. */
	n = hdr(b, 0, 4, 4, 2, t2024);
	n += ef(b + n, 0x0404, 1024);
	put("max-len", b, n + mac(b + n, 7, 24));

	n = hdr(b, 0, 3, 3, 0, t2024);
	put("v3-client", b, n);
	put("v3-mac", b, n + mac(b + n, 5, 20));
	put("v1-server", b, hdr(b, 0, 1, 4, 1, t2024));

	/* Invalid ones, so the error paths have seeds too. */
	put("short", b, 47);
	put("version-0", b, hdr(b, 0, 0, 3, 0, t2024));
	n = hdr(b, 0, 4, 3, 0, t2024);
	n += ef(b + n, 0x0104, 32);
	ntp_put_be16(b + NTP_HEADER_LEN + 2, 30);
	put("ef-bad-length", b, n);
	n = hdr(b, 0, 4, 3, 0, t2024);
	put("trailer-8", b, n + mac(b + n, 6, 8));
	return 0;
}
