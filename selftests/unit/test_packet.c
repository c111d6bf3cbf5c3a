// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/core/packet.c: the packet tests of RFC 5905 sec. 8 and
 * the offset, delay and dispersion of an exchange. Expected values are
 * worked out in the comments.
 */
#include "packet.h"
#include "peer.h"
#include "wire.h"
#include "tap.h"

#define MS	1000000LL	/* ns */
#define T0_NS	(1764000000LL * NTP_NSEC_PER_SEC)	/* late 2025 */

static struct ntp_packet reply(u64 org, u64 rec, u64 xmt)
{
	struct ntp_packet r = {
		.leap = NTP_LEAP_NONE, .version = 4, .mode = NTP_MODE_SERVER,
		.stratum = 2, .precision = -20,
		.org_ts = org, .rec_ts = rec, .xmt_ts = xmt,
	};
	return r;
}

/* Tests 1-3 of an association in basic mode. */
static enum ntp_verdict ptests(struct ntp_exchange *x,
			       const struct ntp_packet *r, u64 dst_ts)
{
	bool il;

	return ntp_packet_tests(x, r, dst_ts, false, &il);
}

/* ntp_peer_receive() without its interleaved-mode outputs. */
static enum ntp_verdict peer_rcv(struct ntp_peer *p, const struct ntp_packet *r,
				 s64 rx_ns, s64 t1_ns,
				 const struct ntp_sysvars *sys, bool *update)
{
	bool il, stamped;

	return ntp_peer_receive(p, r, rx_ns, t1_ns, sys, update, &il, &stamped);
}

static void test_precision(void)
{
	is_s64(ntp_precision_ns(0), NTP_NSEC_PER_SEC, "precision 0 is 1 s");
	/* 10^9 >> 20 = 953.67: 953 ns. */
	is_s64(ntp_precision_ns(-20), 953, "precision -20 is 953 ns");
	is_s64(ntp_precision_ns(-30), 0, "precision -30 is under 1 ns");
	is_s64(ntp_precision_ns(-63), 0, "precision -63 is 0");
	is_s64(ntp_precision_ns(-128), 0, "precision -128 is 0");
	is_s64(ntp_precision_ns(3), 8 * NTP_NSEC_PER_SEC, "precision 3 is 8 s");
	is_s64(ntp_precision_ns(4), NTP_MAXDISP_NS, "precision 4 caps at MAXDISP");
	is_s64(ntp_precision_ns(127), NTP_MAXDISP_NS, "precision 127 caps at MAXDISP");
}

static void test_stratum(void)
{
	struct ntp_packet r = reply(1, 1, 1);

	r.stratum = 0;
	is_s64(ntp_packet_stratum(&r), 16, "stratum 0 on the wire is 16");
	r.stratum = 17;
	is_s64(ntp_packet_stratum(&r), 16, "stratum 17 is 16");
	r.stratum = 255;
	is_s64(ntp_packet_stratum(&r), 16, "stratum 255 is 16");
	r.stratum = 15;
	is_s64(ntp_packet_stratum(&r), 15, "stratum 15 stays");
}

static void test_packet_tests(void)
{
	u64 t1 = ntp_ts_from_ns(T0_NS);
	u64 t2 = ntp_ts_from_ns(T0_NS + 3 * MS);
	u64 t3 = ntp_ts_from_ns(T0_NS + 4 * MS);
	u64 t4 = ntp_ts_from_ns(T0_NS + 7 * MS);
	struct ntp_exchange x = { .xmt = t1 };
	struct ntp_packet r = reply(t1, t2, t3);
	struct ntp_exchange before;

	ok(ptests(&x, &r, t4) == NTP_PKT_OK, "the answer to our packet passes");
	ok(x.org == t3 && x.rec == t4 && x.xmt == t1,
	   "org becomes its transmit time, rec our receive time");

	before = x;
	ok(ptests(&x, &r, t4 + 99) == NTP_PKT_DUP,
	   "the same packet again is a duplicate");
	ok(!memcmp(&before, &x, sizeof(x)), "a duplicate changes nothing");

	r = reply(t1, t2, 0);
	ok(ptests(&x, &r, t4) == NTP_PKT_INVALID, "no transmit timestamp is invalid");
	ok(!memcmp(&before, &x, sizeof(x)), "  and changes nothing");

	r = reply(t1 + 1, t2, t3 + 1000);
	ok(ptests(&x, &r, t4 + 5) == NTP_PKT_BOGUS,
	   "an origin that is not our transmit time is bogus");
	ok(x.org == t3 && x.rec == t4,
	   "  and leaves org and rec alone (an off-path spoof cannot set them)");
	ok(x.init_org == t3 + 1000 && x.init_rec == t4 + 5,
	   "  it is kept apart, to answer if no answer comes");

	r = reply(0, t2, t3 + 2000);
	ok(ptests(&x, &r, t4) == NTP_PKT_INVALID,
	   "zero origin: the sender has not heard from us");
	ok(x.org == t3 && x.init_org == t3 + 2000,
	   "  a newer packet replaces the one kept apart, not org");
	r = reply(0, t2, t3 + 1500);
	ptests(&x, &r, t4);
	ok(x.init_org == t3 + 2000, "  an older one does not, before we send");

	r = reply(t1, t2, t3 + 2500);
	ok(ptests(&x, &r, t4 + 9) == NTP_PKT_BOGUS,
	   "a second answer to the same packet is not used");
	ok(x.org == t3 + 2500, "  but org moves to it (newer)");

	r = reply(t1, 0, t3 + 3000);
	ok(ptests(&x, &r, t4) == NTP_PKT_INVALID, "zero receive timestamp is invalid");

	/* A fresh association has sent nothing: any origin is bogus but 0. */
	memset(&x, 0, sizeof(x));
	r = reply(t1, t2, t3);
	ok(ptests(&x, &r, t4) == NTP_PKT_BOGUS,
	   "an answer before we sent anything is bogus");
}

static void test_header_tests(void)
{
	u64 xmt = ntp_ts_from_ns(T0_NS);
	struct ntp_packet r = reply(1, 1, xmt);

	ok(ntp_header_tests(&r, false) == NTP_PKT_OK, "a synchronised stratum 2 header passes");

	r.stratum = 0;
	memcpy(r.refid, "RATE", 4);
	ok(ntp_header_tests(&r, false) == NTP_PKT_KOD_RATE, "RATE kiss code");
	memcpy(r.refid, "DENY", 4);
	ok(ntp_header_tests(&r, false) == NTP_PKT_KOD_DENY, "DENY kiss code");
	memcpy(r.refid, "RSTR", 4);
	ok(ntp_header_tests(&r, false) == NTP_PKT_KOD_DENY, "RSTR kiss code");
	memcpy(r.refid, "INIT", 4);
	ok(ntp_header_tests(&r, false) == NTP_PKT_UNSYNC, "INIT is no action: unsynchronised");
	r.stratum = 2;
	memcpy(r.refid, "DENY", 4);
	ok(ntp_header_tests(&r, false) == NTP_PKT_OK, "DENY at stratum 2 is a refid, not a kiss");

	r = reply(1, 1, xmt);
	r.leap = NTP_LEAP_NOSYNC;
	ok(ntp_header_tests(&r, false) == NTP_PKT_UNSYNC, "leap 3 is unsynchronised");
	r.leap = NTP_LEAP_ADD;
	r.stratum = 16;
	ok(ntp_header_tests(&r, false) == NTP_PKT_UNSYNC, "stratum 16 is unsynchronised");

	/* Root distance = delay / 2 + dispersion, refused at MAXDISP (16 s). */
	r = reply(1, 1, xmt);
	r.root_disp = (16 << 16) - 1;
	ok(ntp_header_tests(&r, false) == NTP_PKT_OK, "root dispersion just under 16 s passes");
	r.root_disp = 16 << 16;
	ok(ntp_header_tests(&r, false) == NTP_PKT_DISTANCE, "root dispersion of 16 s is too far");
	r.root_disp = 0;
	r.root_delay = 32 << 16;
	ok(ntp_header_tests(&r, false) == NTP_PKT_DISTANCE, "root delay of 32 s is too far");
	r.root_delay = 0;
	r.ref_ts = xmt + (1ULL << 32);
	ok(ntp_header_tests(&r, false) == NTP_PKT_DISTANCE, "reference time after transmit time");
	r.ref_ts = xmt - (1ULL << 32);
	ok(ntp_header_tests(&r, false) == NTP_PKT_OK, "reference time before transmit time passes");
	r.ref_ts = 0;
	ok(ntp_header_tests(&r, false) == NTP_PKT_OK, "no reference time (0) passes");
	/* Interleaved: T3 is the answer before's; T2 of this request. */
	r.rec_ts = ntp_ts_from_ns(T0_NS);
	r.xmt_ts = ntp_ts_from_ns(T0_NS - NTP_NSEC_PER_SEC);
	r.ref_ts = ntp_ts_from_ns(T0_NS + MS);
	ok(ntp_header_tests(&r, true) == NTP_PKT_OK,
	   "interleaved: a reference time after T3, 1 ms after T2 (when built) passes");
	r.ref_ts = ntp_ts_from_ns(T0_NS + 2 * NTP_NSEC_PER_SEC);
	ok(ntp_header_tests(&r, true) == NTP_PKT_DISTANCE,
	   "interleaved: one 2 s after T2 does not");
}

static void test_sample(void)
{
	/*
	 * The server's clock is 10 ms ahead. Our request takes 2 ms, the
	 * server holds it 1 ms, its answer takes 4 ms. On our clock:
	 *   T1 = t, arrival t + 2, departure t + 3, T4 = t + 7;
	 * on the server's: T2 = t + 12, T3 = t + 13.
	 * offset = ((T2 - T1) + (T3 - T4)) / 2 = (12 + 6) / 2 = 9 ms: 1 ms
	 * short of the truth, half the asymmetry (4 - 2) / 2.
	 * delay = (T4 - T1) - (T3 - T2) = 7 - 1 = 6 ms.
	 * disp = 953 + 953 + 7 ms * 15 ppm = 1906 + 105 = 2011 ns.
	 */
	struct ntp_packet r = reply(ntp_ts_from_ns(T0_NS),
				    ntp_ts_from_ns(T0_NS + 12 * MS),
				    ntp_ts_from_ns(T0_NS + 13 * MS));
	struct ntp_sample s;

	ntp_sample_compute(&r, ntp_ts_from_ns(T0_NS + 7 * MS), -20, &s);
	is_s64(s.offset_ns, 9 * MS, "offset is 9 ms");
	is_s64(s.delay_ns, 6 * MS, "delay is 6 ms");
	is_s64(s.disp_ns, 2011, "dispersion is 2011 ns");

	/* The server 20 ms behind, symmetric 1 ms paths: offset -20, delay 2. */
	r = reply(ntp_ts_from_ns(T0_NS), ntp_ts_from_ns(T0_NS - 19 * MS),
		  ntp_ts_from_ns(T0_NS - 19 * MS));
	ntp_sample_compute(&r, ntp_ts_from_ns(T0_NS + 2 * MS), -20, &s);
	is_s64(s.offset_ns, -20 * MS, "negative offset: -20 ms");
	is_s64(s.delay_ns, 2 * MS, "delay 2 ms");

	/*
	 * A delay below zero by less than both precisions (2^-10 s ours,
	 * 2^-20 s the server's, in the reply): floored at ours.
	 */
	r = reply(ntp_ts_from_ns(T0_NS), ntp_ts_from_ns(T0_NS),
		  ntp_ts_from_ns(T0_NS + 3 * MS / 2));
	ok(ntp_sample_compute(&r, ntp_ts_from_ns(T0_NS + 1 * MS), -10, &s),
	   "a delay of -0.5 ms with a precision of 2^-10 s is a sample");
	is_s64(s.delay_ns, 976562, "  floored at our precision (2^-10 s)");

	/* The server's clock stepped 5 ms forward between T2 and T3. */
	r = reply(ntp_ts_from_ns(T0_NS), ntp_ts_from_ns(T0_NS),
		  ntp_ts_from_ns(T0_NS + 5 * MS));
	ok(!ntp_sample_compute(&r, ntp_ts_from_ns(T0_NS + 1 * MS), -10, &s),
	   "a delay of -4 ms (a clock jumped meanwhile) is no sample");

	/*
	 * Across the 2036 era boundary: T1 is 1 ms before second 2^32 of
	 * era 0, the rest after it in era 1 (timestamps wrap to small
	 * values). Same clocks, 1 ms each way: offset 0, delay 2 ms.
	 */
	{
		u64 t1 = 0xffffffffULL << 32 | 0xffbe76c8;	/* 2^32 s - 1 ms */
		u64 t2 = 0;	/* era 1, second 0 */
		u64 t4 = 0x00418937;	/* era 1, 2^32 / 1000: 1 ms */

		r = reply(t1, t2, t2);
		ntp_sample_compute(&r, t4, -20, &s);
		ok(s.offset_ns > -1000 && s.offset_ns < 1000,
		   "offset across 2036 stays near 0 (%lld ns)", (long long)s.offset_ns);
		ok(s.delay_ns > 2 * MS - 1000 && s.delay_ns < 2 * MS + 1000,
		   "delay across 2036 is 2 ms (%lld ns)", (long long)s.delay_ns);
	}
}

/*
 * Two symmetric peers, A and B, exchange packets through the peer API; an
 * off-path attacker who knows both addresses sends B a spoofed mode 1
 * packet "from A" before each of B's polls (random origin, its own
 * transmit timestamps). Every real packet must still pass the tests on
 * both sides, each after the first round of start-up.
 */
static struct ntp_packet sym_pkt(struct ntp_peer *from,
				 const struct ntp_sysvars *sys, u64 xmt)
{
	struct ntp_packet pkt;

	ntp_peer_xmit(from, sys, &pkt);
	pkt.xmt_ts = xmt;
	ntp_peer_sent(from, &pkt, xmt);
	return pkt;
}

static void test_symmetric_spoof(void)
{
	struct ntp_sysvars sys = {
		.leap = NTP_LEAP_NONE, .stratum = 2, .precision = -20,
		.refid = "TEST", .reftime_ns = T0_NS - NTP_NSEC_PER_SEC,
		.root_delay_ns = MS, .root_disp_ns = MS,
	};
	struct ntp_peer a = { .hmode = NTP_MODE_ACTIVE, .version = 4,
			      .minpoll = 4, .maxpoll = 4 };
	struct ntp_peer b = a;
	int round, bad_a = 0, bad_b = 0, spoofed = 0, crossed = 0;
	s64 t = T0_NS;
	bool update;

	ntp_peer_clear(&a, t);
	ntp_peer_clear(&b, t);
	for (round = 0; round < 20; round++) {
		struct ntp_packet pa, pb, spoof = {
			.version = 4, .mode = NTP_MODE_ACTIVE, .stratum = 1,
			.org_ts = 0x1234567800000000ULL + round,
			.rec_ts = 0x1234567900000000ULL,
			.xmt_ts = ntp_ts_from_ns(t + 900 * MS),
		};
		enum ntp_verdict v;

		/* A polls (1 ms to B). */
		pa = sym_pkt(&a, &sys, ntp_ts_from_ns(t));
		v = peer_rcv(&b, &pa, t + MS, 0, &sys, &update);
		bad_b += round > 1 && v != NTP_PKT_OK;

		/* The attacker's packet reaches B just before B polls. */
		v = peer_rcv(&b, &spoof, t + 400 * MS, 0, &sys, &update);
		spoofed += v == NTP_PKT_BOGUS;

		/* B polls; A gets a sample only if B echoes A's packet. */
		pb = sym_pkt(&b, &sys, ntp_ts_from_ns(t + 500 * MS));
		v = peer_rcv(&a, &pb, t + 501 * MS, 0, &sys, &update);
		bad_a += round > 1 && v != NTP_PKT_OK;

		/* Every fourth round their polls cross on the wire. */
		if (round % 4 == 3) {
			pa = sym_pkt(&a, &sys, ntp_ts_from_ns(t + 600 * MS));
			pb = sym_pkt(&b, &sys, ntp_ts_from_ns(t + 600 * MS + 1));
			crossed += peer_rcv(&b, &pa, t + 601 * MS, 0, &sys,
						    &update) == NTP_PKT_BOGUS;
			crossed += peer_rcv(&a, &pb, t + 601 * MS, 0, &sys,
						    &update) == NTP_PKT_BOGUS;
		}
		t += NTP_NSEC_PER_SEC;
	}
	ok(spoofed == 20, "symmetric: every spoofed packet is bogus (%d)", spoofed);
	ok(crossed == 10, "symmetric: crossing packets are bogus (%d)", crossed);
	ok(bad_a == 0 && bad_b == 0,
	   "symmetric: a spoof before every poll costs no sample (A %d, B %d bad)",
	   bad_a, bad_b);
}

/*
 * A client whose request waited 20 ms in its own host after the transmit
 * timestamp was written (a queue, a busy CPU): the server, on the same
 * clock, received it 1 ms after it left and answered 1 ms after that.
 * With the origin timestamp as T1: delay 22 ms, offset +10 ms (half the
 * wait taken for a one-way path difference). With the driver's stamp as
 * T1: delay 2 ms, offset 0.
 */
static void test_driver_t1(void)
{
	struct ntp_sysvars sys = { .leap = NTP_LEAP_NONE, .stratum = 2,
				   .precision = -20 };
	struct ntp_peer c = { .hmode = NTP_MODE_CLIENT, .version = 4,
			      .minpoll = 4, .maxpoll = 4 };
	s64 t1 = T0_NS, left = t1 + 20 * MS;
	struct ntp_packet req, rsp;
	bool update;
	int i;

	for (i = 0; i < 2; i++) {
		ntp_peer_clear(&c, t1);
		ntp_peer_xmit(&c, &sys, &req);
		ntp_peer_sent(&c, &req, ntp_ts_from_ns(t1));
		rsp = (struct ntp_packet){
			.version = 4, .mode = NTP_MODE_SERVER, .stratum = 1,
			.precision = -20, .refid = "TEST",
			.ref_ts = ntp_ts_from_ns(t1 - NTP_NSEC_PER_SEC),
			.org_ts = ntp_ts_from_ns(t1),
			.rec_ts = ntp_ts_from_ns(left + MS),
			.xmt_ts = ntp_ts_from_ns(left + 2 * MS),
		};
		is_s64(peer_rcv(&c, &rsp, left + 3 * MS, i ? left : 0,
				&sys, &update), NTP_PKT_OK,
		       "driver's T1 %s: the answer is a sample", i ? "given" : "not given");
		is_s64(c.filter.stage[0].delay_ns,
		       i ? 2 * MS : 22 * MS, "... delay %s ms", i ? "2" : "22");
		is_s64(c.filter.stage[0].offset_ns,
		       i ? 0 : 10 * MS, "... offset %s ms", i ? "0" : "+10");
	}
}

int main(void)
{
	test_precision();
	test_stratum();
	test_packet_tests();
	test_header_tests();
	test_sample();
	test_symmetric_spoof();
	test_driver_t1();
	return done();
}
