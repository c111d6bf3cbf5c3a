// SPDX-License-Identifier: GPL-2.0
/*
 * make bench-server's XDP question (issue 12): what would answering NTP
 * requests in XDP cost per request, against the kernel path? An XDP
 * responder for plain client requests, fed by a map of the system
 * variables (selftests/bench/xdp_vars.py fills it from "kntp show status
 * --json"), answering in place with XDP_TX. Everything else - IPv4 with
 * options, extension fields or a MAC, interleaved requests, other modes,
 * no published variables - goes on to the kernel (XDP_PASS), where kntp
 * answers it.
 *
 * A measurement, not a product: no access control or rate limiting (the
 * kernel path's per-client lookups are not paid here), no interleaved
 * answers. Receive time: the first thing the program does; transmit time:
 * the last thing written before XDP_TX. Both are CLOCK_TAI less the TAI
 * offset the map carries.
 *
 * Built with -DKNTP_XDP_PASS_ONLY it is the bare XDP_PASS program the
 * bench puts on the other side and in the kernel path's own NAPI run, so
 * that both compare under the same veth NAPI set-up.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifdef KNTP_XDP_PASS_ONLY
SEC("xdp")
int kntp_xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}
#else

#define NTP_PORT		123
#define NTP_HEADER_LEN		48	/* RFC 5905 sec. 7.3 */
#define NTP_MODE_CLIENT		3
#define NTP_MODE_SERVER		4
#define NTP_VERSION_MIN		1
#define NTP_VERSION_MAX		4
#define NTP_UNIX_EPOCH_S	2208988800ULL	/* 1900 to 1970, s */
#define NSEC_PER_SEC		1000000000ULL
/* RFC 5905 sec. 7.3: PHI, 15 ppm: dispersion growth, 2^-16 s per ns x 1e15 */
#define PHI_SHORT_PER_NS_E15	983040ULL
#define ELAPSED_MAX_NS		(1000 * NSEC_PER_SEC)	/* keeps the product in range */
#define IPV4_TTL		64
#define IPV6_HOP_LIMIT		64
#define NTP_XL_RX_MARK		1ULL	/* kmod/core/xleave.h */

/* The system variables to serve, as kntp's system process last set them. */
struct kntp_xdp_vars {
	__u32 valid;		/* 0: nothing published, pass to the kernel */
	__u8 leap;
	__u8 stratum;
	__s8 precision;		/* log2 s */
	__u8 pad;
	__u32 root_delay;	/* NTP short format, host order */
	__u32 root_disp;	/* NTP short format at base_ns, host order */
	__u8 refid[4];
	__u32 pad2;
	__u64 reftime;		/* NTP timestamp format, host order */
	__u64 base_ns;		/* Unix ns when root_disp held */
	__s64 tai_offset_ns;	/* CLOCK_TAI - CLOCK_REALTIME */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kntp_xdp_vars);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} kntp_xdp_vars SEC(".maps");

enum { KNTP_XDP_ANSWERED, KNTP_XDP_PASSED, KNTP_XDP_NCOUNT };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KNTP_XDP_NCOUNT);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} kntp_xdp_counts SEC(".maps");

/* The NTP header (RFC 5905 fig. 8), network order. */
struct ntp_hdr {
	__u8 li_vn_mode;
	__u8 stratum;
	__s8 poll;
	__s8 precision;
	__be32 root_delay;
	__be32 root_disp;
	__u8 refid[4];
	__be64 ref_ts;
	__be64 org_ts;
	__be64 rec_ts;
	__be64 xmt_ts;
};

static __always_inline void count(__u32 what)
{
	__u64 *c = bpf_map_lookup_elem(&kntp_xdp_counts, &what);

	if (c)
		(*c)++;
}

/* Unix ns to the NTP timestamp format (RFC 5905 sec. 6), network order. */
static __always_inline __be64 ntp_ts(__u64 unix_ns)
{
	__u64 s = unix_ns / NSEC_PER_SEC + NTP_UNIX_EPOCH_S;
	__u64 frac = ((unix_ns % NSEC_PER_SEC) << 32) / NSEC_PER_SEC;

	return bpf_cpu_to_be64(s << 32 | frac);
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/*
 * The request at @n (bounds checked) turned into its answer. Returns 0
 * when it is not a plain request for us.
 */
static __always_inline int ntp_answer(struct ntp_hdr *n, __u64 rx_tai_ns)
{
	const struct kntp_xdp_vars *v;
	__u32 zero = 0, disp;
	__u64 rx_ns, tx_ns, elapsed;
	__be64 org;
	__u8 vn;

	vn = (n->li_vn_mode >> 3) & 7;
	if ((n->li_vn_mode & 7) != NTP_MODE_CLIENT ||
	    vn < NTP_VERSION_MIN || vn > NTP_VERSION_MAX)
		return 0;
	/*
	 * An interleaved request (kmod/core/xleave.c ntp_xl_request(): NTPv4,
	 * the origin one of our marked receive timestamps, receive and
	 * transmit timestamps that differ) needs the kernel's record.
	 */
	if (vn == NTP_VERSION_MAX &&
	    (bpf_be64_to_cpu(n->org_ts) & NTP_XL_RX_MARK) &&
	    n->rec_ts != n->xmt_ts)
		return 0;
	v = bpf_map_lookup_elem(&kntp_xdp_vars, &zero);
	if (!v || !v->valid)
		return 0;

	org = n->xmt_ts;
	rx_ns = rx_tai_ns - v->tai_offset_ns;
	elapsed = rx_ns > v->base_ns ? rx_ns - v->base_ns : 0;
	if (elapsed > ELAPSED_MAX_NS)
		elapsed = ELAPSED_MAX_NS;
	disp = v->root_disp + elapsed * PHI_SHORT_PER_NS_E15 / 1000000000000000ULL;

	n->li_vn_mode = (v->leap & 3) << 6 | vn << 3 | NTP_MODE_SERVER;
	n->stratum = v->stratum;
	/* n->poll: the request's, as kntp's answers have it. */
	n->precision = v->precision;
	n->root_delay = bpf_htonl(v->root_delay);
	n->root_disp = bpf_htonl(disp);
	__builtin_memcpy(n->refid, v->refid, sizeof(n->refid));
	n->ref_ts = bpf_cpu_to_be64(v->reftime);
	n->org_ts = org;
	/* Marked as kntp marks its receive timestamps (kmod/core/xleave.h). */
	n->rec_ts = ntp_ts(rx_ns) | bpf_cpu_to_be64(NTP_XL_RX_MARK);
	/* The last thing written: the transmit timestamp. */
	tx_ns = bpf_ktime_get_tai_ns() - v->tai_offset_ns;
	n->xmt_ts = ntp_ts(tx_ns);
	return 1;
}

/*
 * The UDP checksum of the answer, from scratch: a request sent on this
 * host (veth) carries only the pseudo-header's part in its checksum field
 * (CHECKSUM_PARTIAL), so there is nothing to adjust. @addrs: the source
 * and destination addresses, back to back, as the IP header has them.
 */
static __always_inline void udp_csum(struct udphdr *udp, void *addrs,
				     __u32 addrs_len)
{
	__s64 sum;

	udp->check = 0;
	sum = bpf_csum_diff(0, 0, (__be32 *)udp, sizeof(*udp) + NTP_HEADER_LEN, 0);
	if (addrs_len == 8)
		sum = bpf_csum_diff(0, 0, addrs, 8, sum);
	else
		sum = bpf_csum_diff(0, 0, addrs, 32, sum);
	/* The pseudo-header's rest: protocol and length (RFC 768, RFC 8200). */
	sum += bpf_htons(IPPROTO_UDP) + udp->len;
	udp->check = csum_fold(sum);
	if (!udp->check)
		udp->check = 0xffff;
}

static __always_inline void swap_eth(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

static __always_inline void swap_ports(struct udphdr *udp)
{
	__be16 p = udp->source;

	udp->source = udp->dest;
	udp->dest = p;
}

/* A fresh TTL and the header checksum for it (RFC 1624, one word). */
static __always_inline void ipv4_ttl(struct iphdr *ip)
{
	__u32 sum = (~bpf_ntohs(ip->check) & 0xffff) +
		    (~bpf_ntohs(*(__be16 *)&ip->ttl) & 0xffff);

	ip->ttl = IPV4_TTL;
	sum += bpf_ntohs(*(__be16 *)&ip->ttl);
	ip->check = bpf_htons(csum_fold(sum));
}

/*
 * A datagram to port 123 that is exactly one 48-byte NTP header, answered
 * in place (both families' UDP header follows their IP header).
 */
static __always_inline int udp_ntp_answer(struct udphdr *udp, void *end,
					  __u64 rx_tai_ns)
{
	struct ntp_hdr *n = (void *)(udp + 1);

	if ((void *)(n + 1) > end || udp->dest != bpf_htons(NTP_PORT) ||
	    udp->len != bpf_htons(sizeof(*udp) + NTP_HEADER_LEN) ||
	    (void *)(n + 1) != end)
		return 0;
	return ntp_answer(n, rx_tai_ns);
}

SEC("xdp")
int kntp_xdp_ntp(struct xdp_md *ctx)
{
	__u64 rx_tai_ns = bpf_ktime_get_tai_ns();
	void *end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct udphdr *udp;

	if ((void *)(eth + 1) > end)
		goto pass;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		__be32 a;

		if ((void *)(ip + 1) > end || ip->ihl != 5 ||
		    ip->protocol != IPPROTO_UDP ||
		    (ip->frag_off & bpf_htons(0x3fff)))	/* MF, offset */
			goto pass;
		udp = (void *)(ip + 1);
		if (!udp_ntp_answer(udp, end, rx_tai_ns))
			goto pass;
		a = ip->saddr;
		ip->saddr = ip->daddr;
		ip->daddr = a;
		ipv4_ttl(ip);
		udp_csum(udp, &ip->saddr, 8);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		struct in6_addr a;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_UDP)
			goto pass;
		udp = (void *)(ip6 + 1);
		if (!udp_ntp_answer(udp, end, rx_tai_ns))
			goto pass;
		a = ip6->saddr;
		ip6->saddr = ip6->daddr;
		ip6->daddr = a;
		ip6->hop_limit = IPV6_HOP_LIMIT;
		udp_csum(udp, &ip6->saddr, 32);
	} else {
		goto pass;
	}
	swap_ports(udp);
	swap_eth(eth);
	count(KNTP_XDP_ANSWERED);
	return XDP_TX;
pass:
	count(KNTP_XDP_PASSED);
	return XDP_PASS;
}
#endif

char _license[] SEC("license") = "GPL";
