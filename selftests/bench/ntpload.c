// SPDX-License-Identifier: GPL-2.0
/*
 * ntpload: an NTP server's load, measured from the client side (make
 * bench-server). Client requests (mode 3) at a steady rate from many
 * source ports; every answer is matched to its request and read.
 *
 *   ntpload [-r RATE] [-t SECONDS] [-p PORTS] [-c CLIENTS -a FIRST]
 *           [-k ID:md5:SECRET] [-i IFACE -m MAC [-s MAC] -a SOURCE] ADDR
 *
 * -r requests per second (default 10000), sent every millisecond, what is
 * due, in batches (sendmmsg); -t how long (default 5 s); -p the source
 * ports, one socket each, used in turn batch by batch (default 64).
 * -c the number of distinct clients, in turn request by request: source
 * addresses from -a FIRST on, the Nth with N added to FIRST (IPv4: the
 * address; IPv6: its fourth 16-bit group, so each is in a /64 of its own),
 * sent with IP(V6)_PKTINFO from sockets that may use addresses not
 * configured (freebind; the guest routes them to us, selftests/bench/
 * server_guest.sh). -k signs every request with an MD5 key (RFC 5905 MAC:
 * the key id, then MD5 of the secret and the packet) and checks the MAC of
 * every answer (bad_mac counts those that fail).
 * Between the sends, answers are read (recvmmsg) from the sockets poll
 * finds readable, and for 0.5 s after the last request.
 *
 * -i IFACE: the packet mode, for a generator that costs less than the
 * server it measures. The requests are whole Ethernet frames to MAC (the
 * server's, or the next hop's) from IFACE's own, written on a packet
 * socket that skips the queueing layer (PACKET_QDISC_BYPASS), with the
 * UDP checksum left to the device as the kernel's UDP sockets leave it
 * (a virtio-net header: the server gets the same CHECKSUM_PARTIAL skb);
 * source ports 40000 on, request by request, from -a (the first of -c
 * clients, default 1). The answers are read off the link by a receive
 * ring (TPACKET_V2), once a tick, without a wake-up per answer. The ring
 * sees every frame before the stack does, whatever its destination MAC:
 * the caller has the server send the answers to a MAC address IFACE does
 * not have, which this host's IP layer drops on sight (else it would
 * answer each with an ICMP port unreachable): by its neighbour entries, or,
 * for a server that answers to the MAC a request came from, by -s, the
 * frames' source MAC (default IFACE's own). No IP options, no extension
 * headers; an answer the ring had no room for counts in ring_drops.
 *
 * A request's transmit timestamp is its number (with a random tag in the
 * high bits): an answer whose origin timestamp is one we sent, not yet
 * answered, counts, and gives the server's turnaround T3 - T2 (its
 * transmit minus its receive timestamp). Prints one JSON object:
 *
 *   rate, seconds, ports, sent, answered, lost, loss_pct, unmatched, dups,
 *   kiss, short, bad_mac, send_rate (what was sent per second: below the
 *   target when
 *   this program, not the server, was the limit), send_short (true then),
 *   turnaround_ns {p50, p99, max}, cpu_us (this program's user + system
 *   time), cpu_us_per_request, mode ("socket" or "packet"), ring_drops.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#define NTP_LEN		48	/* an NTP header, no extension (RFC 5905) */
#define KEYID_LEN	4	/* RFC 5905 sec. 7.3: the MAC's key id */
#define MD5_LEN		16	/* and its digest, for an MD5 key */
#define MAC_LEN		(KEYID_LEN + MD5_LEN)
#define SECRET_MAX	64
#define MAX_CLIENTS	65536
#define NTP_PORT	123
#define BATCH		64
#define MAX_PORTS	1024
#define RX_LEN		128
#define NS_PER_S	1000000000ULL
#define TICK_NS		1000000ULL	/* requests are sent every tick */
#define PKT_PORT_FIRST	40000	/* the packet mode's first source port */
#define FRAME_MAX	(sizeof(struct virtio_net_hdr) + ETH_HLEN + \
			 sizeof(struct ip6_hdr) + sizeof(struct udphdr) + \
			 NTP_LEN + MAC_LEN)
#define RING_FRAME	512	/* the receive ring: bytes a frame */
#define RING_BLOCK	65536	/* bytes a block */
#define RING_BLOCKS	64	/* 8,192 frames */

static int fds[MAX_PORTS];
static int nfds = 64;
static uint64_t tag;		/* the high 24 bits of our transmit stamps */
static uint8_t *answered;	/* per request: 0, 1 answered */
static uint32_t *turn_ns;	/* the turnarounds, in answer order */
static uint64_t sent, n_answered, unmatched, dups, kiss, shorts, n_turn;
static uint64_t bad_mac;
static int family;
static int nclients;		/* 0: the sockets' own address */
static struct in_addr client4;	/* -a, the first client */
static struct in6_addr client6;
static uint32_t key_id;		/* -k; 0: unsigned */
static unsigned char secret[SECRET_MAX];
static size_t secret_len;
/* The packet mode (-i): the sending and the receiving socket, the ring. */
static int pkt_tx = -1, pkt_rx = -1;
static unsigned char *ring;
static unsigned int ring_next;
static unsigned char own_mac[ETH_ALEN], peer_mac[ETH_ALEN];
static int have_src_mac;	/* -s: own_mac is that, not IFACE's */
static struct sockaddr_storage pkt_dst;

/* The MAC of a packet of len bytes: key id, MD5(secret || packet). */
static void mac(const unsigned char *p, size_t len, unsigned char *out)
{
	static EVP_MD_CTX *c;
	unsigned int n;

	if (!c)
		c = EVP_MD_CTX_new();

	out[0] = key_id >> 24;
	out[1] = key_id >> 16;
	out[2] = key_id >> 8;
	out[3] = key_id;
	if (!c || !EVP_DigestInit_ex(c, EVP_md5(), NULL) ||
	    !EVP_DigestUpdate(c, secret, secret_len) ||
	    !EVP_DigestUpdate(c, p, len) ||
	    !EVP_DigestFinal_ex(c, out + KEYID_LEN, &n))
		memset(out + KEYID_LEN, 0, MD5_LEN);	/* fails to check */
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* An NTP timestamp difference (32.32 fixed point, b - a) in ns. */
static int64_t ntp_diff_ns(uint64_t a, uint64_t b)
{
	int64_t d = (int64_t)(b - a);

	return (int64_t)(((__int128)d * (int64_t)NS_PER_S) >> 32);
}

static void take(const unsigned char *p, unsigned int len)
{
	uint64_t org, k;
	int64_t t;

	if (len < NTP_LEN) {
		shorts++;
		return;
	}
	org = get64(p + 24);
	k = org & ((1ULL << 40) - 1);	/* the request's number, from 1 */
	if (org >> 40 != tag || k == 0 || k > sent) {
		unmatched++;
		return;
	}
	if (answered[k - 1]) {
		dups++;
		return;
	}
	if (key_id) {
		unsigned char m[MAC_LEN];

		if (len != NTP_LEN + MAC_LEN) {
			bad_mac++;
			return;
		}
		mac(p, NTP_LEN, m);
		if (memcmp(m, p + NTP_LEN, MAC_LEN)) {
			bad_mac++;
			return;
		}
	}
	answered[k - 1] = 1;
	if (p[1] == 0) {	/* stratum 0: a kiss code, not an answer */
		kiss++;
		return;
	}
	n_answered++;
	t = ntp_diff_ns(get64(p + 32), get64(p + 40));
	turn_ns[n_turn++] = t < 0 ? 0 : t > UINT32_MAX ? UINT32_MAX : t;
}

static void drain(int fd)
{
	static unsigned char buf[BATCH][RX_LEN];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	int i, n;

	for (;;) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = RX_LEN;
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, m, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			take(buf[i], m[i].msg_len);
	}
}

static void drain_all(void)
{
	int i;

	for (i = 0; i < nfds; i++)
		drain(fds[i]);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t pct(double p)
{
	uint64_t i;

	if (!n_turn)
		return 0;
	i = (uint64_t)(p * (n_turn - 1) + 0.5);
	return turn_ns[i];
}

static int parse_dst(const char *s, struct sockaddr_storage *dst,
		     socklen_t *len)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)dst;
	struct sockaddr_in *a4 = (struct sockaddr_in *)dst;

	memset(dst, 0, sizeof(*dst));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(NTP_PORT);
		*len = sizeof(*a4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(NTP_PORT);
		*len = sizeof(*a6);
		return AF_INET6;
	}
	return -1;
}

/* Request n's source address (the (n mod -c)th client's) in out. */
static void client_addr(uint64_t n, void *out)
{
	uint32_t k = nclients ? n % nclients : 0;
	struct in6_addr a6 = client6;
	struct in_addr a4;
	uint16_t g;

	if (family == AF_INET) {
		a4.s_addr = htonl(ntohl(client4.s_addr) + k);
		memcpy(out, &a4, sizeof(a4));
		return;
	}
	g = (a6.s6_addr[6] << 8 | a6.s6_addr[7]) + k;
	a6.s6_addr[6] = g >> 8;
	a6.s6_addr[7] = g;
	memcpy(out, &a6, sizeof(a6));
}

/* Request n's source address, as a control message, in c; its length. */
static size_t client_cmsg(uint64_t n, unsigned char *c)
{
	struct cmsghdr *h = (struct cmsghdr *)c;
	struct in6_pktinfo pi6 = { 0 };
	struct in_pktinfo pi = { 0 };

	if (family == AF_INET) {
		client_addr(n, &pi.ipi_spec_dst);
		h->cmsg_level = IPPROTO_IP;
		h->cmsg_type = IP_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	client_addr(n, &pi6.ipi6_addr);
	h->cmsg_level = IPPROTO_IPV6;
	h->cmsg_type = IPV6_PKTINFO;
	h->cmsg_len = CMSG_LEN(sizeof(pi6));
	memcpy(CMSG_DATA(h), &pi6, sizeof(pi6));
	return CMSG_SPACE(sizeof(pi6));
}

/* Request n (from 0) in p: a client's header, its MAC with -k; the length. */
static size_t request(uint64_t n, unsigned char *p)
{
	uint64_t xmt = tag << 40 | (n + 1);
	int k;

	memset(p, 0, NTP_LEN);
	p[0] = 0 << 6 | 4 << 3 | 3;	/* no leap, v4, client */
	for (k = 0; k < 8; k++)
		p[40 + k] = xmt >> (56 - 8 * k);
	if (!key_id)
		return NTP_LEN;
	mac(p, NTP_LEN, p + NTP_LEN);
	return NTP_LEN + MAC_LEN;
}

/* The ones' complement sum of len bytes as 16-bit big-endian words. */
static uint32_t sum16(const void *p, size_t len, uint32_t s)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += b[i] << 8 | b[i + 1];
	if (len & 1)
		s += b[len - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/*
 * Request n as an Ethernet frame behind a virtio-net header, in f; the
 * length. The UDP checksum field holds the pseudo-header's sum and the
 * header asks the device to finish it, as a UDP socket's skb would.
 */
static size_t frame(uint64_t n, unsigned char *f)
{
	struct virtio_net_hdr *vh = (struct virtio_net_hdr *)f;
	unsigned char *eth = f + sizeof(*vh), *l3 = eth + ETH_HLEN, *l4;
	size_t l3_len = family == AF_INET ? sizeof(struct iphdr) :
					   sizeof(struct ip6_hdr);
	struct udphdr *uh;
	uint16_t ulen;
	uint32_t ps;	/* the pseudo-header's sum */

	memset(f, 0, sizeof(*vh) + ETH_HLEN + l3_len + sizeof(*uh));
	l4 = l3 + l3_len;
	ulen = sizeof(*uh) + request(n, l4 + sizeof(*uh));
	memcpy(eth, peer_mac, ETH_ALEN);
	memcpy(eth + ETH_ALEN, own_mac, ETH_ALEN);
	if (family == AF_INET) {
		struct iphdr *ih = (struct iphdr *)l3;

		eth[12] = ETH_P_IP >> 8;
		eth[13] = ETH_P_IP & 0xff;
		ih->version = 4;
		ih->ihl = sizeof(*ih) / 4;
		ih->tot_len = htons(sizeof(*ih) + ulen);
		ih->frag_off = htons(IP_DF);
		ih->ttl = 64;
		ih->protocol = IPPROTO_UDP;
		client_addr(n, &ih->saddr);
		ih->daddr = ((struct sockaddr_in *)&pkt_dst)->sin_addr.s_addr;
		ih->check = htons((uint16_t)~fold(sum16(ih, sizeof(*ih), 0)));
		ps = sum16(&ih->saddr, 2 * sizeof(ih->saddr), IPPROTO_UDP + ulen);
	} else {
		struct ip6_hdr *h6 = (struct ip6_hdr *)l3;

		eth[12] = ETH_P_IPV6 >> 8;
		eth[13] = ETH_P_IPV6 & 0xff;
		h6->ip6_flow = htonl(6U << 28);
		h6->ip6_plen = htons(ulen);
		h6->ip6_nxt = IPPROTO_UDP;
		h6->ip6_hlim = 64;
		client_addr(n, &h6->ip6_src);
		h6->ip6_dst = ((struct sockaddr_in6 *)&pkt_dst)->sin6_addr;
		ps = sum16(&h6->ip6_src, 2 * sizeof(h6->ip6_src), IPPROTO_UDP + ulen);
	}
	uh = (struct udphdr *)l4;
	uh->source = htons(PKT_PORT_FIRST + n % nfds);
	uh->dest = htons(NTP_PORT);
	uh->len = htons(ulen);
	uh->check = htons(fold(ps));
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = ETH_HLEN + l3_len;	/* little-endian, as on x86 */
	vh->csum_offset = offsetof(struct udphdr, check);
	return sizeof(*vh) + ETH_HLEN + l3_len + ulen;
}

/*
 * Send the requests due by now, a batch, on fd: a UDP socket's datagrams,
 * or the packet socket's (pkt_tx) whole frames; 0 when it would block.
 */
static int send_due(int fd, const struct sockaddr_storage *dst, socklen_t dlen,
		    uint64_t due)
{
	static unsigned char pkt[BATCH][FRAME_MAX];
	static unsigned char ctl[BATCH][CMSG_SPACE(sizeof(struct in6_pktinfo))]
		__attribute__((aligned(8)));
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	int i, n, k;

	n = due - sent < BATCH ? (int)(due - sent) : BATCH;
	memset(m, 0, sizeof(m));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = pkt[i];
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		if (fd == pkt_tx) {
			iov[i].iov_len = frame(sent + i, pkt[i]);
			continue;
		}
		iov[i].iov_len = request(sent + i, pkt[i]);
		m[i].msg_hdr.msg_name = (void *)dst;
		m[i].msg_hdr.msg_namelen = dlen;
		if (nclients) {
			m[i].msg_hdr.msg_control = ctl[i];
			m[i].msg_hdr.msg_controllen = client_cmsg(sent + i, ctl[i]);
		}
	}
	k = sendmmsg(fd, m, n, 0);
	if (k <= 0)
		return 0;
	sent += k;
	return k == n;
}

/* One frame off the ring: an answer to one of our ports, or nothing. */
static void take_frame(const unsigned char *f, unsigned int len)
{
	const unsigned char *end = f + len, *l4;
	const struct udphdr *uh;
	unsigned int type, ulen;

	if (len < ETH_HLEN)
		return;
	type = f[12] << 8 | f[13];
	if (type == ETH_P_IP && family == AF_INET) {
		const struct iphdr *ih = (const struct iphdr *)(f + ETH_HLEN);

		if (len < ETH_HLEN + sizeof(*ih) || ih->ihl < 5 ||
		    ih->protocol != IPPROTO_UDP ||
		    ih->frag_off & htons(IP_MF | IP_OFFMASK))
			return;
		l4 = (const unsigned char *)ih + ih->ihl * 4;
	} else if (type == ETH_P_IPV6 && family == AF_INET6) {
		const struct ip6_hdr *h6 = (const struct ip6_hdr *)(f + ETH_HLEN);

		if (len < ETH_HLEN + sizeof(*h6) || h6->ip6_nxt != IPPROTO_UDP)
			return;
		l4 = (const unsigned char *)(h6 + 1);
	} else {
		return;		/* ARP, neighbour discovery: the stack's */
	}
	if (l4 + sizeof(*uh) > end)
		return;
	uh = (const struct udphdr *)l4;
	if (ntohs(uh->source) != NTP_PORT ||
	    (unsigned int)(ntohs(uh->dest) - PKT_PORT_FIRST) >= (unsigned int)nfds)
		return;		/* not to one of our ports */
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || l4 + ulen > end) {
		shorts++;
		return;
	}
	take(l4 + sizeof(*uh), ulen - sizeof(*uh));
}

/* The frames the kernel has put on the receive ring since the last call. */
static void ring_drain(void)
{
	for (;;) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)
			(ring + (size_t)ring_next * RING_FRAME);

		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return;
		take_frame((unsigned char *)h + h->tp_mac, h->tp_snaplen);
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		ring_next = (ring_next + 1) % (RING_BLOCKS * (RING_BLOCK / RING_FRAME));
	}
}

/* -m MAC: six colon-separated hex bytes. */
static int parse_mac(const char *s, unsigned char *mac_out)
{
	unsigned int b[ETH_ALEN];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != ETH_ALEN)
		return -1;
	for (i = 0; i < ETH_ALEN; i++)
		mac_out[i] = b[i];
	return 0;
}

/* The packet mode's sockets on IFACE: one to send, one with the ring. */
static int pkt_open(const char *ifname)
{
	struct tpacket_req req = {
		.tp_block_size = RING_BLOCK, .tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME,
		.tp_frame_nr = RING_BLOCKS * (RING_BLOCK / RING_FRAME),
	};
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	int one = 1, v2 = TPACKET_V2;
	struct ifreq ifr = { 0 };
	void *p;

	ll.sll_ifindex = if_nametoindex(ifname);
	if (!ll.sll_ifindex || strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "ntpload: -i %s: no such interface\n", ifname);
		return -1;
	}
	/* Protocol 0 until bound: neither takes a frame from elsewhere. */
	pkt_tx = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
	pkt_rx = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
	if (pkt_tx < 0 || pkt_rx < 0) {
		perror("ntpload: packet socket");
		return -1;
	}
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(pkt_tx, SIOCGIFHWADDR, &ifr)) {
		perror("ntpload: -i: its MAC address");
		return -1;
	}
	if (!have_src_mac)
		memcpy(own_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	if (setsockopt(pkt_tx, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    setsockopt(pkt_tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    bind(pkt_tx, (struct sockaddr *)&ll, sizeof(ll))) {
		perror("ntpload: the sending packet socket");
		return -1;
	}
	ll.sll_protocol = htons(ETH_P_ALL);
	if (setsockopt(pkt_rx, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) ||
	    setsockopt(pkt_rx, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(pkt_rx, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req))) {
		perror("ntpload: the receive ring");
		return -1;
	}
	p = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS, PROT_READ | PROT_WRITE,
		 MAP_SHARED, pkt_rx, 0);
	if (p == MAP_FAILED) {
		perror("ntpload: the receive ring's mapping");
		return -1;
	}
	ring = p;
	if (bind(pkt_rx, (struct sockaddr *)&ll, sizeof(ll))) {
		perror("ntpload: the receiving packet socket");
		return -1;
	}
	return 0;
}

/* -k ID:md5:SECRET */
static int parse_key(char *s)
{
	char *id = strtok(s, ":"), *type = strtok(NULL, ":"), *sec = strtok(NULL, ""), *e;
	long v;

	if (!id || !type || !sec || strcmp(type, "md5"))
		return -1;
	v = strtol(id, &e, 10);
	if (*e || v < 1 || v > 65535)
		return -1;
	secret_len = strlen(sec);
	if (!secret_len || secret_len > SECRET_MAX)
		return -1;
	memcpy(secret, sec, secret_len);
	key_id = v;
	return 0;
}

int main(int argc, char **argv)
{
	static struct pollfd pfd[MAX_PORTS];
	double rate = 10000, seconds = 5;
	uint64_t start, t, end, total, due, elapsed, tick;
	struct sockaddr_storage dst;
	struct rusage ru;
	socklen_t dlen;
	const char *first = NULL, *ifname = NULL;
	int opt, i, next = 0, have_mac = 0;
	struct tpacket_stats st = { 0 };
	socklen_t st_len = sizeof(st);
	char *e;

	while ((opt = getopt(argc, argv, "r:t:p:c:a:k:i:m:s:")) != -1) {
		switch (opt) {
		case 'r':
			rate = strtod(optarg, &e);
			if (*e || rate < 1 || rate > 10000000)
				goto usage;
			break;
		case 't':
			seconds = strtod(optarg, &e);
			if (*e || seconds <= 0 || seconds > 3600)
				goto usage;
			break;
		case 'p':
			nfds = strtol(optarg, &e, 10);
			if (*e || nfds < 1 || nfds > MAX_PORTS)
				goto usage;
			break;
		case 'c':
			nclients = strtol(optarg, &e, 10);
			if (*e || nclients < 1 || nclients > MAX_CLIENTS)
				goto usage;
			break;
		case 'a':
			first = optarg;
			break;
		case 'k':
			if (parse_key(optarg))
				goto usage;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'm':
			if (parse_mac(optarg, peer_mac)) {
				fprintf(stderr, "ntpload: -m %s is not a MAC address %s\n",
					optarg, "(xx:xx:xx:xx:xx:xx)");
				return 2;
			}
			have_mac = 1;
			break;
		case 's':
			if (parse_mac(optarg, own_mac)) {
				fprintf(stderr, "ntpload: -s %s is not a MAC address %s\n",
					optarg, "(xx:xx:xx:xx:xx:xx)");
				return 2;
			}
			have_src_mac = 1;
			break;
		default:
			goto usage;
		}
	}
	/* Sockets: -c and -a together; packets: -a and -m, -c or not. */
	if (optind != argc - 1 || !ifname != !have_mac ||
	    (have_src_mac && !ifname) ||
	    (ifname ? !first : !nclients != !first))
		goto usage;
	if (ifname && !nclients)
		nclients = 1;
	family = parse_dst(argv[optind], &dst, &dlen);
	if (family < 0)
		goto usage;
	if (first && inet_pton(family, first,
			       family == AF_INET ? (void *)&client4 : (void *)&client6) != 1) {
		fprintf(stderr, "ntpload: -a %s is not an address of the server's family\n", first);
		return 2;
	}
	total = (uint64_t)(rate * seconds);
	answered = calloc(total + BATCH, 1);
	turn_ns = calloc(total + BATCH, sizeof(*turn_ns));
	if (!answered || !turn_ns) {
		perror("ntpload");
		return 1;
	}
	pkt_dst = dst;
	if (ifname && pkt_open(ifname))
		return 1;
	for (i = 0; !ifname && i < nfds; i++) {
		int buf = 1 << 20;

		fds[i] = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fds[i] < 0) {
			perror("ntpload: socket");
			return 1;
		}
		setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		if (nclients &&
		    setsockopt(fds[i], family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
			       family == AF_INET ? IP_FREEBIND : IPV6_FREEBIND,
			       &(int){ 1 }, sizeof(int))) {
			perror("ntpload: freebind");
			return 1;
		}
	}
	srandom(now_ns());
	tag = random() & 0xffffff;

	for (i = 0; !ifname && i < nfds; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	start = now_ns();
	end = start + (uint64_t)(seconds * NS_PER_S);
	for (tick = start;; tick += TICK_NS) {
		t = now_ns();
		if (t >= end || sent >= total)
			break;
		/* The requests due by this tick, in batches, port after port. */
		due = (uint64_t)((double)(t - start) * rate / NS_PER_S) + 1;
		if (due > total)
			due = total;
		while (sent < due) {
			int full = send_due(ifname ? pkt_tx : fds[next], &dst,
					    dlen, due);

			next = (next + 1) % nfds;
			if (!full)
				break;
		}
		/*
		 * Then the answers until the next tick: the ring's once a
		 * tick, which takes no wake-up an answer (8,192 frames: 40 ms
		 * at 200,000/s); the sockets' as they come, and at least once
		 * a tick even when sending took all of it (else a generator
		 * behind its rate reads nothing more, and its sockets' full
		 * buffers count as the server's losses).
		 */
		if (ifname) {
			struct timespec ts = { (tick + TICK_NS) / NS_PER_S,
					       (tick + TICK_NS) % NS_PER_S };

			ring_drain();
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		} else {
			do {
				struct timespec ts = { 0, 0 };

				t = now_ns();
				if (t < tick + TICK_NS)
					ts.tv_nsec = tick + TICK_NS - t;
				if (ppoll(pfd, nfds, &ts, NULL) <= 0)
					continue;
				for (i = 0; i < nfds; i++)
					if (pfd[i].revents & POLLIN)
						drain(fds[i]);
			} while (now_ns() < tick + TICK_NS);
		}
		if (now_ns() > tick + 4 * TICK_NS)	/* fell behind: catch up */
			tick = now_ns() - TICK_NS;
	}
	elapsed = now_ns() - start;
	end = now_ns() + NS_PER_S / 2;
	while (now_ns() < end) {
		if (ifname)
			ring_drain();
		else
			drain_all();
		poll(NULL, 0, 5);
	}
	if (ifname && getsockopt(pkt_rx, SOL_PACKET, PACKET_STATISTICS, &st, &st_len))
		perror("ntpload: the ring's statistics");
	getrusage(RUSAGE_SELF, &ru);
	qsort(turn_ns, n_turn, sizeof(*turn_ns), cmp_u32);

	{
		uint64_t cpu_us = ru.ru_utime.tv_sec * 1000000ULL +
				  ru.ru_utime.tv_usec +
				  ru.ru_stime.tv_sec * 1000000ULL +
				  ru.ru_stime.tv_usec;
		uint64_t lost = sent - n_answered - kiss;
		double send_rate = sent * (double)NS_PER_S / elapsed;

		printf("{\"rate\": %.0f, \"seconds\": %.3f, \"ports\": %d, "
		       "\"sent\": %" PRIu64 ", \"answered\": %" PRIu64
		       ", \"lost\": %" PRIu64 ", \"loss_pct\": %.4f, "
		       "\"clients\": %d, \"signed\": %s, "
		       "\"unmatched\": %" PRIu64 ", \"dups\": %" PRIu64
		       ", \"kiss\": %" PRIu64 ", \"short\": %" PRIu64
		       ", \"bad_mac\": %" PRIu64
		       ", \"send_rate\": %.0f, \"send_short\": %s, "
		       "\"turnaround_ns\": {\"p50\": %u, \"p99\": %u, "
		       "\"max\": %u}, \"cpu_us\": %" PRIu64
		       ", \"cpu_us_per_request\": %.2f, \"mode\": \"%s\", "
		       "\"ring_drops\": %u}\n",
		       rate, elapsed / 1e9, nfds, sent, n_answered, lost,
		       sent ? 100.0 * lost / sent : 0.0, nclients ? nclients : 1,
		       key_id ? "true" : "false", unmatched, dups, kiss,
		       shorts, bad_mac, send_rate,
		       send_rate < 0.98 * rate ? "true" : "false",
		       pct(0.5), pct(0.99), n_turn ? turn_ns[n_turn - 1] : 0,
		       cpu_us, sent ? (double)cpu_us / sent : 0.0,
		       ifname ? "packet" : "socket", st.tp_drops);
	}
	return 0;
usage:
	fprintf(stderr, "usage: ntpload [-r RATE] [-t SECONDS] [-p PORTS] "
		"[-c CLIENTS -a FIRST] [-k ID:md5:SECRET] "
		"[-i IFACE -m MAC [-s MAC] -a SOURCE] ADDR\n");
	return 2;
}
