// SPDX-License-Identifier: GPL-2.0
/*
 * The kntp generic netlink family: associations and status, and every way a
 * request can be refused.
 *
 * Each test runs in a fresh network namespace (the harness forks per test
 * and the fixture unshares), so it sees a fresh kntp instance. A refused
 * request must return the right errno, carry an extack message naming the
 * problem, and leave the instance exactly as it was.
 *
 * Needs: kntp.ko loaded, root.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdlib.h>

#include "knl.h"
#include "kselftest_harness.h"

#define MAX_ASSOCS 300

FIXTURE(kntp) {
	struct knl k;
	struct knl_assoc before[MAX_ASSOCS];
	int n_before;
};

FIXTURE_SETUP(kntp)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, knl_open(&self->k));
}

FIXTURE_TEARDOWN(kntp)
{
	knl_close(&self->k);
}

/* Remember the instance's associations, to prove a refusal changed nothing. */
static void snapshot(struct knl *k, struct knl_assoc *out, int *n)
{
	*n = knl_dump(k, out, MAX_ASSOCS);
}

static bool unchanged(struct knl *k, const struct knl_assoc *before, int n)
{
	static struct knl_assoc now[MAX_ASSOCS];
	int m = knl_dump(k, now, MAX_ASSOCS);

	return m == n && !memcmp(before, now, n * sizeof(now[0]));
}

/* Start an ADD request for addr with the required attributes. */
static void add_start(struct knl *k, const char *addr, uint8_t kind)
{
	knl_start(k, KNTP_CMD_ASSOC_ADD, 0);
	knl_nest_start(k, KNTP_A_ASSOC);
	knl_put_addr(k, addr);
	knl_put(k, KNTP_A_ASSOC_KIND, &kind, 1);
}

/* Send an ADD whose last attribute is (type, val, len); return errno. */
static int add_with(struct knl *k, uint16_t type, const void *val, int len)
{
	add_start(k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER);
	knl_put(k, type, val, len);
	knl_nest_end(k);
	return knl_send(k);
}

static const struct knl_assoc *find(const struct knl_assoc *as, int n,
				    const char *addr)
{
	uint8_t buf[16];
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	int i;

	inet_pton(fam, addr, buf);
	for (i = 0; i < n; i++)
		if (as[i].family == fam &&
		    !memcmp(as[i].addr, buf, fam == AF_INET ? 4 : 16))
			return &as[i];
	return NULL;
}

/* Expect a refusal with errno err whose message contains word. */
#define EXPECT_REFUSED(k, ret, err, word) do {				\
	const char *__msg = (k)->msg, *__word = (word);			\
	EXPECT_EQ(-(err), (ret));					\
	EXPECT_NE(NULL, strstr(__msg, __word))				\
		TH_LOG("extack message \"%s\" lacks \"%s\"",		\
		       __msg, __word);					\
} while (0)

TEST_F(kntp, fresh_instance_is_unsynchronised)
{
	struct knl_status st;

	ASSERT_EQ(0, knl_status(&self->k, &st));
	EXPECT_EQ(3, st.leap);
	EXPECT_EQ(16, st.stratum);
	EXPECT_STREQ("INIT", st.refid);
	EXPECT_EQ(0, st.assoc_count);
	/* Any real clock reads in 1 ns .. 1 ms. */
	EXPECT_LE(-30, st.precision);
	EXPECT_GE(-10, st.precision);
	EXPECT_EQ(0, knl_dump(&self->k, self->before, MAX_ASSOCS));
}

TEST_F(kntp, add_server_v4_defaults)
{
	struct knl_assoc as[4];
	struct knl_status st;

	ASSERT_EQ(0, knl_add(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER));
	ASSERT_EQ(1, knl_dump(&self->k, as, 4));
	ASSERT_NE(NULL, find(as, 1, "192.0.2.1"));
	EXPECT_NE(0, as[0].id);
	EXPECT_EQ(KNTP_ASSOC_KIND_SERVER, as[0].kind);
	EXPECT_EQ(KNTP_VERSION_DEFAULT, as[0].version);
	EXPECT_EQ(6, as[0].minpoll);
	EXPECT_EQ(10, as[0].maxpoll);
	EXPECT_EQ(0, as[0].flags);
	/* RFC 5905 clear(): nothing heard yet. */
	EXPECT_EQ(16, as[0].stratum);
	EXPECT_STREQ("INIT", as[0].refid);
	EXPECT_EQ(0, as[0].reach);
	EXPECT_EQ(6, as[0].poll);
	ASSERT_EQ(0, knl_status(&self->k, &st));
	EXPECT_EQ(1, st.assoc_count);
}

TEST_F(kntp, add_peer_v6_with_options)
{
	struct knl_assoc as[4];
	uint8_t kind = KNTP_ASSOC_KIND_PEER, ver = 3;
	int8_t minp = -2, maxp = 4;
	uint32_t flags = KNTP_ASSOC_F_IBURST | KNTP_ASSOC_F_PREFER;

	knl_start(&self->k, KNTP_CMD_ASSOC_ADD, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put_addr(&self->k, "2001:db8::2");
	knl_put(&self->k, KNTP_A_ASSOC_KIND, &kind, 1);
	knl_put(&self->k, KNTP_A_ASSOC_VERSION, &ver, 1);
	knl_put(&self->k, KNTP_A_ASSOC_MINPOLL, &minp, 1);
	knl_put(&self->k, KNTP_A_ASSOC_MAXPOLL, &maxp, 1);
	knl_put(&self->k, KNTP_A_ASSOC_FLAGS, &flags, 4);
	knl_nest_end(&self->k);
	ASSERT_EQ(0, knl_send(&self->k));

	ASSERT_EQ(1, knl_dump(&self->k, as, 4));
	ASSERT_NE(NULL, find(as, 1, "2001:db8::2"));
	EXPECT_EQ(KNTP_ASSOC_KIND_PEER, as[0].kind);
	EXPECT_EQ(3, as[0].version);
	EXPECT_EQ(-2, as[0].minpoll);
	EXPECT_EQ(4, as[0].maxpoll);
	EXPECT_EQ(-2, as[0].poll);
	EXPECT_EQ(flags, as[0].flags);
}

TEST_F(kntp, get_one_and_delete)
{
	struct knl_assoc as[4];

	ASSERT_EQ(0, knl_add(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER));
	ASSERT_EQ(0, knl_add(&self->k, "2001:db8::1", KNTP_ASSOC_KIND_PEER));
	ASSERT_EQ(0, knl_add(&self->k, "198.51.100.7", KNTP_ASSOC_KIND_PEER));
	ASSERT_EQ(3, knl_dump(&self->k, as, 4));
	EXPECT_NE(as[0].id, as[1].id);
	EXPECT_NE(as[1].id, as[2].id);

	/* GET of one address answers that association only. */
	knl_start(&self->k, KNTP_CMD_ASSOC_GET, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put_addr(&self->k, "2001:db8::1");
	knl_nest_end(&self->k);
	EXPECT_EQ(0, knl_send(&self->k));

	/* Delete without a kind, with the right kind; then both are gone. */
	EXPECT_EQ(0, knl_del(&self->k, "2001:db8::1", 0));
	EXPECT_EQ(0, knl_del(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER));
	ASSERT_EQ(1, knl_dump(&self->k, as, 4));
	EXPECT_NE(NULL, find(as, 1, "198.51.100.7"));
	EXPECT_EQ(0, knl_del(&self->k, "198.51.100.7", KNTP_ASSOC_KIND_PEER));
	EXPECT_EQ(0, knl_dump(&self->k, as, 4));
}

TEST_F(kntp, get_absent)
{
	knl_start(&self->k, KNTP_CMD_ASSOC_GET, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put_addr(&self->k, "192.0.2.99");
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), ENOENT, "no association");
}

/* A refused ADD, with one association already present, changes nothing. */
FIXTURE(refused) {
	struct knl k;
	struct knl_assoc before[MAX_ASSOCS];
	int n_before;
};

FIXTURE_SETUP(refused)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, knl_open(&self->k));
	ASSERT_EQ(0, knl_add(&self->k, "203.0.113.5", KNTP_ASSOC_KIND_PEER));
	snapshot(&self->k, self->before, &self->n_before);
	ASSERT_EQ(1, self->n_before);
}

FIXTURE_TEARDOWN(refused)
{
	EXPECT_TRUE(unchanged(&self->k, self->before, self->n_before));
	knl_close(&self->k);
}

TEST_F(refused, missing_nest)
{
	knl_start(&self->k, KNTP_CMD_ASSOC_ADD, 0);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "KNTP_A_ASSOC");
	EXPECT_EQ(KNTP_A_ASSOC, self->k.miss_type);
}

TEST_F(refused, missing_address)
{
	uint8_t kind = KNTP_ASSOC_KIND_SERVER;

	knl_start(&self->k, KNTP_CMD_ASSOC_ADD, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put(&self->k, KNTP_A_ASSOC_KIND, &kind, 1);
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "missing address");
	EXPECT_EQ(KNTP_A_ASSOC_ADDR4, self->k.miss_type);
}

TEST_F(refused, both_addresses)
{
	add_start(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER);
	knl_put_addr(&self->k, "2001:db8::1");
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "given twice");
}

TEST_F(refused, malformed_addr4)
{
	uint8_t kind = KNTP_ASSOC_KIND_SERVER, three[3] = { 192, 0, 2 };
	uint32_t offs;

	knl_start(&self->k, KNTP_CMD_ASSOC_ADD, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put(&self->k, KNTP_A_ASSOC_ADDR4, three, 3);
	offs = knl_last_offs(&self->k);
	knl_put(&self->k, KNTP_A_ASSOC_KIND, &kind, 1);
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "ADDR4 must be 4 bytes");
	EXPECT_EQ(offs, self->k.bad_offs);
}

TEST_F(refused, malformed_addr6)
{
	uint8_t kind = KNTP_ASSOC_KIND_SERVER, v6[17] = { 0x20, 0x01, 0x0d, 0xb8 };

	knl_start(&self->k, KNTP_CMD_ASSOC_ADD, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_put(&self->k, KNTP_A_ASSOC_ADDR6, v6, 17);
	knl_put(&self->k, KNTP_A_ASSOC_KIND, &kind, 1);
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "ADDR6 must be 16 bytes");
}

TEST_F(refused, not_unicast)
{
	static const char * const bad[] = {
		"0.0.0.0", "224.0.1.1", "255.255.255.255", "::", "ff02::101",
		"::ffff:192.0.2.1", "fe80::1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = knl_add(&self->k, bad[i], KNTP_ASSOC_KIND_SERVER);

		if (ret != -EINVAL || !strstr(self->k.msg, "ADDR")) {
			TH_LOG("%s: errno %d, \"%s\"", bad[i], -ret, self->k.msg);
			EXPECT_EQ(-EINVAL, ret);
		}
	}
}

TEST_F(refused, missing_kind)
{
	EXPECT_REFUSED(&self->k, knl_add(&self->k, "192.0.2.1", 0), EINVAL,
		       "missing association kind");
	EXPECT_EQ(KNTP_A_ASSOC_KIND, self->k.miss_type);
}

TEST_F(refused, unknown_kind)
{
	EXPECT_REFUSED(&self->k, knl_add(&self->k, "192.0.2.1", 3), EINVAL,
		       "unknown association kind");
}

TEST_F(refused, version_out_of_range)
{
	uint8_t v;

	v = 2;
	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_VERSION, &v, 1),
		       ERANGE, "version out of range");
	v = 5;
	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_VERSION, &v, 1),
		       ERANGE, "version out of range");
}

TEST_F(refused, minpoll_out_of_range)
{
	int8_t p;
	uint32_t offs;

	p = KNTP_POLL_MIN - 1;
	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_MINPOLL, &p, 1),
		       ERANGE, "minpoll out of range");
	offs = knl_last_offs(&self->k);
	EXPECT_EQ(offs, self->k.bad_offs);
	p = KNTP_POLL_MAX + 1;
	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_MINPOLL, &p, 1),
		       ERANGE, "minpoll out of range");
}

TEST_F(refused, maxpoll_out_of_range)
{
	int8_t p = KNTP_POLL_MAX + 1;

	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_MAXPOLL, &p, 1),
		       ERANGE, "maxpoll out of range");
	p = KNTP_POLL_MIN - 1;
	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_MAXPOLL, &p, 1),
		       ERANGE, "maxpoll out of range");
}

TEST_F(refused, minpoll_above_maxpoll)
{
	int8_t minp = 8, maxp = 7;

	add_start(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER);
	knl_put(&self->k, KNTP_A_ASSOC_MINPOLL, &minp, 1);
	knl_put(&self->k, KNTP_A_ASSOC_MAXPOLL, &maxp, 1);
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL,
		       "minpoll is greater than maxpoll");
}

TEST_F(refused, unknown_flags)
{
	uint32_t f = KNTP_ASSOC_F_IBURST | 0x80;

	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_FLAGS, &f, 4),
		       EINVAL, "unknown flag bits");
}

TEST_F(refused, wrong_attribute_size)
{
	uint32_t v = 4;

	/* VERSION is a u8: a u32 is not accepted in strict validation. */
	EXPECT_EQ(-EINVAL, add_with(&self->k, KNTP_A_ASSOC_VERSION, &v, 0));
	EXPECT_NE(0, self->k.bad_offs);
}

TEST_F(refused, read_only_attribute)
{
	uint8_t st = 1;

	EXPECT_REFUSED(&self->k, add_with(&self->k, KNTP_A_ASSOC_STRATUM, &st, 1),
		       EINVAL, "stratum is read-only");
}

TEST_F(refused, unknown_attribute)
{
	uint32_t v = 0;

	EXPECT_EQ(-EINVAL, add_with(&self->k, KNTP_A_ASSOC_MAX + 1, &v, 4));
	EXPECT_NE(0, self->k.msg[0]);
}

TEST_F(refused, duplicate_same_kind)
{
	EXPECT_REFUSED(&self->k,
		       knl_add(&self->k, "203.0.113.5", KNTP_ASSOC_KIND_PEER),
		       EEXIST, "already exists");
}

TEST_F(refused, duplicate_other_kind)
{
	EXPECT_REFUSED(&self->k,
		       knl_add(&self->k, "203.0.113.5", KNTP_ASSOC_KIND_SERVER),
		       EEXIST, "already exists");
}

TEST_F(refused, delete_absent)
{
	EXPECT_REFUSED(&self->k, knl_del(&self->k, "203.0.113.6", 0), ENOENT,
		       "no association");
}

TEST_F(refused, delete_wrong_kind)
{
	EXPECT_REFUSED(&self->k,
		       knl_del(&self->k, "203.0.113.5", KNTP_ASSOC_KIND_SERVER),
		       ENOENT, "is a peer, not a server");
}

TEST_F(refused, delete_missing_address)
{
	knl_start(&self->k, KNTP_CMD_ASSOC_DEL, 0);
	knl_nest_start(&self->k, KNTP_A_ASSOC);
	knl_nest_end(&self->k);
	EXPECT_REFUSED(&self->k, knl_send(&self->k), EINVAL, "missing address");
}

/* Only the poll bound given conflicts with the other default: it yields. */
TEST_F(kntp, poll_default_yields)
{
	struct knl_assoc as[2];
	int8_t p;

	p = 12;
	ASSERT_EQ(0, add_with(&self->k, KNTP_A_ASSOC_MINPOLL, &p, 1));
	ASSERT_EQ(1, knl_dump(&self->k, as, 2));
	EXPECT_EQ(12, as[0].minpoll);
	EXPECT_EQ(12, as[0].maxpoll);
	ASSERT_EQ(0, knl_del(&self->k, "192.0.2.1", 0));

	p = 4;
	ASSERT_EQ(0, add_with(&self->k, KNTP_A_ASSOC_MAXPOLL, &p, 1));
	ASSERT_EQ(1, knl_dump(&self->k, as, 2));
	EXPECT_EQ(4, as[0].minpoll);
	EXPECT_EQ(4, as[0].maxpoll);
}

/* The limit holds, and a dump larger than one skb resumes without loss. */
TEST_F(kntp, limit_and_long_dump)
{
	static struct knl_assoc as[MAX_ASSOCS];
	char addr[64];
	int i, j;

	for (i = 0; i < KNTP_ASSOC_LIMIT; i++) {
		snprintf(addr, sizeof(addr), "2001:db8::%x", i + 1);
		ASSERT_EQ(0, knl_add(&self->k, addr, KNTP_ASSOC_KIND_SERVER));
	}
	EXPECT_REFUSED(&self->k,
		       knl_add(&self->k, "192.0.2.1", KNTP_ASSOC_KIND_SERVER),
		       ENOSPC, "too many associations");
	ASSERT_EQ(KNTP_ASSOC_LIMIT, knl_dump(&self->k, as, MAX_ASSOCS));
	for (i = 0; i < KNTP_ASSOC_LIMIT; i++)
		for (j = i + 1; j < KNTP_ASSOC_LIMIT; j++)
			ASSERT_NE(as[i].id, as[j].id);
	for (i = 0; i < KNTP_ASSOC_LIMIT; i++) {
		snprintf(addr, sizeof(addr), "2001:db8::%x", i + 1);
		ASSERT_NE(NULL, find(as, KNTP_ASSOC_LIMIT, addr)) TH_LOG("%s", addr);
	}
}

TEST_HARNESS_MAIN
