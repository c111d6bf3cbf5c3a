// SPDX-License-Identifier: GPL-2.0
/*
 * selftests/vm_answer.sh's flow-hash checks, on tc egress of the server's
 * side of the link: an NTP answer (UDP from port 123) passes only when its
 * skb carries a flow hash already and that hash is what the answer's own
 * headers give (tc_hash.o); built with KNTP_HASH_NONE_OK (tc_hash_none.o),
 * also when it carries none - only a hash that is not its own drops it.
 * Reading __sk_buff's hash computes nothing; then the hash is dropped and
 * computed afresh from the answer (bpf_set_hash_invalid(),
 * bpf_get_hash_recalc()). Anything else passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define NTP_PORT	123
#define IPV6_HLEN	40	/* no extension headers in the test's answers */

/* The UDP source port of @skb (from its Ethernet header on), or 0. */
static __u16 udp_sport(struct __sk_buff *skb)
{
	__u32 l4 = ETH_HLEN;
	__u8 b[2];
	__be16 port;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		/* Version and header length; protocol, 9 bytes in. */
		if (bpf_skb_load_bytes(skb, ETH_HLEN, &b[0], 1) ||
		    bpf_skb_load_bytes(skb, ETH_HLEN + 9, &b[1], 1) ||
		    b[1] != IPPROTO_UDP)
			return 0;
		l4 += (b[0] & 0xf) * 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		/* Next header, 6 bytes in. */
		if (bpf_skb_load_bytes(skb, ETH_HLEN + 6, &b[1], 1) ||
		    b[1] != IPPROTO_UDP)
			return 0;
		l4 += IPV6_HLEN;
	} else {
		return 0;
	}
	if (bpf_skb_load_bytes(skb, l4, &port, sizeof(port)))
		return 0;
	return bpf_ntohs(port);
}

SEC("tc")
int kntp_answer_hash(struct __sk_buff *skb)
{
	__u32 kept = skb->hash;

	if (udp_sport(skb) != NTP_PORT)
		return TC_ACT_OK;
#ifdef KNTP_HASH_NONE_OK
	if (!kept)
		return TC_ACT_OK;
#endif
	bpf_set_hash_invalid(skb);
	return kept && kept == bpf_get_hash_recalc(skb) ? TC_ACT_OK : TC_ACT_SHOT;
}

char _license[] SEC("license") = "GPL";
