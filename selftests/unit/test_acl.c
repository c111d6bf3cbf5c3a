// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/core/acl.c: entries (IPv4 wildcards, contiguous or
 * not, host, any; IPv6 prefixes), first match and the implicit deny, the
 * scan of the access groups and what each kind of packet needs. Ends with
 * the cost of a look-up for lists of 1, 10 and 100 entries (printed as
 * diagnostics, never asserted: the machine is shared).
 */
#include <arpa/inet.h>
#include <time.h>

#include "acl.h"
#include "tap.h"

static struct ntp_acl_entry v4(const char *addr, const char *wild, bool permit)
{
	struct ntp_acl_entry e;
	u8 a[4], w[4];

	inet_pton(AF_INET, addr, a);
	inet_pton(AF_INET, wild, w);
	ntp_acl_entry_v4(&e, a, w, permit);
	return e;
}

static struct ntp_acl_entry v6(const char *addr, unsigned int len, bool permit)
{
	struct ntp_acl_entry e;
	u8 a[16];

	inet_pton(AF_INET6, addr, a);
	ntp_acl_entry_v6(&e, a, len, permit);
	return e;
}

static struct ntp_acl_addr addr4(const char *s)
{
	struct ntp_acl_addr a;
	u8 b[4];

	inet_pton(AF_INET, s, b);
	ntp_acl_addr_from(&a, b, sizeof(b));
	return a;
}

static struct ntp_acl_addr addr6(const char *s)
{
	struct ntp_acl_addr a;
	u8 b[16];

	inet_pton(AF_INET6, s, b);
	ntp_acl_addr_from(&a, b, sizeof(b));
	return a;
}

static bool permits4(const struct ntp_acl_entry *e, unsigned int n,
		     const char *s)
{
	struct ntp_acl_addr a = addr4(s);

	return ntp_acl_permits(e, n, &a);
}

static void test_v4(void)
{
	struct ntp_acl_entry net = v4("192.0.2.0", "0.0.0.255", true);
	struct ntp_acl_entry host = v4("192.0.2.5", "0.0.0.0", true);
	struct ntp_acl_entry any = v4("0.0.0.0", "255.255.255.255", true);
	/* Non-contiguous: 10.x.1.y, any x and y. */
	struct ntp_acl_entry odd = v4("10.0.1.0", "0.255.0.255", true);
	struct ntp_acl_entry deny5 = v4("192.0.2.5", "0.0.0.0", false);
	struct ntp_acl_entry list[2] = { deny5, net };
	struct ntp_acl_entry empty;
	u8 a[4], w[4];

	ok(permits4(&net, 1, "192.0.2.77"), "192.0.2.0 0.0.0.255 matches 192.0.2.77");
	ok(!permits4(&net, 1, "192.0.3.1"), "  not 192.0.3.1 (implicit deny)");
	ok(permits4(&host, 1, "192.0.2.5"), "host 192.0.2.5 matches itself");
	ok(!permits4(&host, 1, "192.0.2.4"), "  not 192.0.2.4");
	ok(permits4(&any, 1, "203.0.113.9") && permits4(&any, 1, "0.0.0.0"),
	   "any matches everything");
	ok(permits4(&odd, 1, "10.7.1.200") && permits4(&odd, 1, "10.255.1.0"),
	   "non-contiguous wildcard 0.255.0.255 matches 10.x.1.y");
	ok(!permits4(&odd, 1, "10.7.2.200") && !permits4(&odd, 1, "11.7.1.200"),
	   "  not 10.x.2.y nor 11.x.1.y");
	ok(!permits4(list, 2, "192.0.2.5") && permits4(list, 2, "192.0.2.6"),
	   "first match wins: deny host .5 before permit the /24");
	ok(!permits4(list, 0, "192.0.2.6"), "an empty list denies");
	empty = v4("192.0.2.77", "0.0.0.255", true);
	ntp_acl_entry_v4_get(&empty, a, w);
	ok(a[3] == 0 && w[3] == 255 && w[0] == 0,
	   "ignored bits cleared: 192.0.2.77 0.0.0.255 kept as 192.0.2.0");
	ok(ntp_acl_entry_equal(&empty, &net), "  and equal to 192.0.2.0 0.0.0.255");
}

static void test_v6(void)
{
	struct ntp_acl_entry p32 = v6("2001:db8::", 32, true);
	struct ntp_acl_entry p61 = v6("2001:db8:0:8::", 61, true);
	struct ntp_acl_entry any = v6("::", 0, true);
	struct ntp_acl_entry host = v6("2001:db8::1", 128, false);
	struct ntp_acl_entry list[2] = { host, p32 };
	struct ntp_acl_addr a;
	struct ntp_acl_entry e;
	u8 b[16];

	a = addr6("2001:db8:ffff::1");
	ok(ntp_acl_permits(&p32, 1, &a), "2001:db8::/32 matches 2001:db8:ffff::1");
	a = addr6("2001:db9::1");
	ok(!ntp_acl_permits(&p32, 1, &a), "  not 2001:db9::1");
	a = addr6("2001:db8:0:f::1");
	ok(ntp_acl_permits(&p61, 1, &a), "/61 matches 2001:db8:0:f::1 (bits in byte 7)");
	a = addr6("2001:db8:0:7::1");
	ok(!ntp_acl_permits(&p61, 1, &a), "  not 2001:db8:0:7::1");
	a = addr6("fe80::1");
	ok(ntp_acl_permits(&any, 1, &a), "::/0 matches everything");
	a = addr6("2001:db8::1");
	ok(!ntp_acl_permits(list, 2, &a), "deny host before permit prefix: denied");
	a = addr6("2001:db8::2");
	ok(ntp_acl_permits(list, 2, &a), "  its neighbour permitted");
	is_s64(ntp_acl_entry_v6_get(&p61, b), 61, "prefix length read back");
	inet_pton(AF_INET6, "2001:db8::", b);
	ok(ntp_acl_entry_v6(&e, b, 129, true) == -1, "prefix length 129 refused");
}

static void test_groups(void)
{
	struct ntp_acl_entry peers[1] = { v4("192.0.2.1", "0.0.0.0", true) };
	struct ntp_acl_entry clients[1] = { v4("192.0.2.0", "0.0.0.255", true) };
	struct ntp_acl_entry all[1] = { v4("0.0.0.0", "255.255.255.255", true) };
	struct ntp_acl_groups g = { 0 };
	struct ntp_acl_addr p = addr4("192.0.2.1"), c = addr4("192.0.2.9");
	struct ntp_acl_addr o = addr4("198.51.100.1");

	ok(ntp_acl_allowed(&g, &o, NTP_ACL_NEED_PEER), "no group: all allowed");
	is_s64(ntp_acl_grant(&g, &o), NTP_ACL_NGROUPS, "  grant says so");

	g.configured = NTP_ACL_G(NTP_ACL_PEER) | NTP_ACL_G(NTP_ACL_SERVE_ONLY);
	g.list[NTP_ACL_PEER] = peers;
	g.n[NTP_ACL_PEER] = 1;
	g.list[NTP_ACL_SERVE_ONLY] = clients;
	g.n[NTP_ACL_SERVE_ONLY] = 1;
	is_s64(ntp_acl_grant(&g, &p), NTP_ACL_PEER, "peer list first: .1 is a peer");
	is_s64(ntp_acl_grant(&g, &c), NTP_ACL_SERVE_ONLY, ".9 is serve-only");
	is_s64(ntp_acl_grant(&g, &o), -1, "198.51.100.1 granted nothing");
	ok(ntp_acl_allowed(&g, &p, NTP_ACL_NEED_PEER), "peer: may sync us");
	ok(ntp_acl_allowed(&g, &c, NTP_ACL_NEED_CLIENT), "serve-only: client requests answered");
	ok(!ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PASSIVE), "  but not symmetric active");
	ok(!ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PEER), "  nor may it sync us");
	ok(!ntp_acl_allowed(&g, &o, NTP_ACL_NEED_CLIENT), "others: refused");

	g.configured |= NTP_ACL_G(NTP_ACL_SERVE);
	g.list[NTP_ACL_SERVE] = NULL;	/* undefined list */
	ok(!ntp_acl_allowed(&g, &o, NTP_ACL_NEED_CLIENT),
	   "a group with an undefined list grants nothing");

	g.configured = NTP_ACL_G(NTP_ACL_QUERY_ONLY);
	g.list[NTP_ACL_QUERY_ONLY] = all;
	g.n[NTP_ACL_QUERY_ONLY] = 1;
	ok(!ntp_acl_allowed(&g, &c, NTP_ACL_NEED_CLIENT) &&
	   !ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PASSIVE) &&
	   !ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PEER),
	   "query-only: nothing we answer");

	g.configured = NTP_ACL_G(NTP_ACL_SERVE);
	g.list[NTP_ACL_SERVE] = all;
	g.n[NTP_ACL_SERVE] = 1;
	ok(ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PASSIVE) &&
	   ntp_acl_allowed(&g, &c, NTP_ACL_NEED_CLIENT) &&
	   !ntp_acl_allowed(&g, &c, NTP_ACL_NEED_PEER),
	   "serve: requests and passive answers, never sync");
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * ns per look-up of an address that matches only the last entry (the
 * worst case: every entry compared) through the group scan the receive
 * path does.
 */
static void bench(unsigned int n, bool family6)
{
	static struct ntp_acl_entry e[256];
	struct ntp_acl_groups g = { 0 };
	struct ntp_acl_addr a;
	int sink = 0;
	const int rounds = 200000;
	long long t0, t1;
	unsigned int i;
	u8 b[16] = { 0 };

	for (i = 0; i < n; i++) {
		if (family6) {
			b[0] = 0x20;
			b[1] = 0x01;
			b[2] = 0x0d;
			b[3] = 0xb8;
			b[4] = (u8)i;
			ntp_acl_entry_v6(&e[i], b, 48, true);
		} else {
			u8 w[4] = { 0, 0, 0, 255 };

			b[0] = 10;
			b[1] = (u8)i;
			ntp_acl_entry_v4(&e[i], b, w, true);
		}
	}
	g.configured = NTP_ACL_G(NTP_ACL_PEER);
	g.list[NTP_ACL_PEER] = e;
	g.n[NTP_ACL_PEER] = n;
	ntp_acl_addr_from(&a, b, family6 ? 16 : 4);
	ok(ntp_acl_allowed(&g, &a, NTP_ACL_NEED_CLIENT),
	   "timing: the address matches the last of %u %s entries", n,
	   family6 ? "IPv6" : "IPv4");
	t0 = now_ns();
	for (i = 0; i < (unsigned int)rounds; i++) {
		sink += ntp_acl_allowed(&g, &a, NTP_ACL_NEED_CLIENT);
		/* Keep the compiler from hoisting the look-up. */
		__asm__ volatile("" : "+r" (sink) : : "memory");
	}
	t1 = now_ns();
	printf("# look-up, %s, %3u entries (last matches): %.1f ns\n",
	       family6 ? "IPv6" : "IPv4", n, (double)(t1 - t0) / rounds);
	ok(sink == rounds, "  allowed every time");
}

int main(void)
{
	test_v4();
	test_v6();
	test_groups();
	bench(1, false);
	bench(10, false);
	bench(100, false);
	bench(1, true);
	bench(10, true);
	bench(100, true);
	return done();
}
