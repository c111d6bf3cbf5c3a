#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 200
#
# The answer is built in the request's own skb (kmod/socket.c,
# kntp_sock_turn()). What the request brought with it must not go out with
# the answer, and what else holds the request must keep it:
#
# - a packet tap on the server's side keeps the request as it came, not the
#   answer written over it;
# - a mark that the way in put on the request (tc skbedit) does not mark
#   the answer: an egress filter drops marked packets;
# - the request's receive stamp is no departure time for the answer: fq
#   drops packets whose time is beyond its horizon;
# - the answer keeps the request's flow hash only where it is the
#   answer's own (computed from addresses and ports, the same both ways):
#   an egress program passes an answer only when its hash is what its own
#   headers give;
# - a request reassembled from IP fragments, which cannot be turned, gets
#   its answer in a new skb;
# - requests to an AnyIP address (a local route, on no device) are answered
#   from that address.
#
#   f: ntp_pkt.py (sender, tap)               k: kntp
#   192.0.2.1  2001:db8::1   ------------   192.0.2.2  2001:db8::2
set -u
. "$(dirname "$0")/lib.sh"
need python3 tc

PKT="/usr/bin/python3 $KNTP_TOP/selftests/ntp_pkt.py"
T=$(mktemp -d /tmp/kntp-answer.XXXXXX)
cleanup() {
	ip netns del f 2>/dev/null
	ip netns del k 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }
send() { ip netns exec f $PKT query "$@"; }

# answered ADDR [ARGS...]: from f, ADDR answers (lib.sh's ntp_answered).
answered() { ntp_answered f "$@"; }

# many ADDR N: N requests in turn, N answers.
many() {
	local out
	out=$(send "$1" --count "$2")
	[ "$out" = "replies=$2" ] || { echo "# $out of $2"; return 1; }
}

# tapped ADDR: a tap on k's side of the link sees the request as sent and
# the answer as sent, though the answer was built in the request's skb.
tapped() {
	local tap=$T/tap pid
	ip netns exec k $PKT tap k-f >"$tap" &
	pid=$!
	wait_for 10 grep -q ready "$tap" || { kill "$pid"; return 1; }
	answered "$1"
	# The tap reads what it holds only now, after the answer went.
	kill -USR1 "$pid"
	wait "$pid"
	sed 's/^/#   /' "$tap"
	grep -q "^pkt dir=in mode=3 org=0 xmt=$(reply_field sent_xmt)$" "$tap" &&
		grep -q "^pkt dir=out mode=4 org=$(reply_field sent_xmt) " "$tap"
}

# tc_hits DIR: packets the first action on k-f's DIR (ingress, egress)
# filters acted on.
tc_hits() {
	ip netns exec k tc -s filter show dev k-f "$1" |
		sed -n 's/.*Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p' | head -1
}

check "insmod kntp.ko" load_module
netns_pair f 192.0.2.1 2001:db8::1 k 192.0.2.2 2001:db8::2
check "kntp: enable (serve only)" k enable
check "kntp: master 3 (an answer to give)" k master 3

# --- plain requests, both families ----------------------------------------
check "IPv4: answered, origin = our transmit" answered 192.0.2.2
check "IPv6: answered, origin = our transmit" answered 2001:db8::2
check "IPv4: 300 requests, 300 answers" many 192.0.2.2 300
check "IPv6: 300 requests, 300 answers" many 2001:db8::2 300

# --- a packet tap keeps the request ---------------------------------------
check "IPv4: a tap on the server's link keeps the request, sees the answer" \
	tapped 192.0.2.2
check "IPv6: a tap on the server's link keeps the request, sees the answer" \
	tapped 2001:db8::2
check "a flood under the tap: answered" eval \
	'ip netns exec k $PKT tap k-f --wait 1 >/dev/null & many 192.0.2.2 200; wait'

# --- the request's mark stays with the request ------------------------------
# Kernels without these tc parts (the debug lane's is built without them)
# skip what needs them, here and for fq.
# udp_to ADDR MARK: a datagram from k to ADDR's discard port, marked MARK.
udp_to() {
	ip netns exec k python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, int(sys.argv[2]))
s.sendto(b"x", (sys.argv[1], 9))' "$@"
}
mark_checks() {
	local out_before in_before
	out_before=$(tc_hits egress)
	udp_to 192.0.2.1 0
	check "the egress filter passes what is not marked" \
		eval '[ "$(tc_hits egress)" = "$out_before" ]'
	udp_to 192.0.2.1 7
	check "  and drops what is marked 7" \
		eval '[ "$(tc_hits egress)" = $((out_before + 1)) ]'
	out_before=$(tc_hits egress)
	in_before=$(tc_hits ingress)
	check "IPv4: requests marked 7 on the way in, answered" answered 192.0.2.2
	check "IPv6: requests marked 7 on the way in, answered" answered 2001:db8::2
	check "  the ingress filter did mark them (its count grew)" \
		eval '[ "$(tc_hits ingress)" -ge $((in_before + 2)) ]'
	check "  the egress filter dropped none of the answers" \
		eval '[ "$(tc_hits egress)" = "$out_before" ]'
}
if ip netns exec k tc qdisc add dev k-f clsact 2>/dev/null &&
	ip netns exec k tc filter add dev k-f ingress protocol all matchall \
		action skbedit mark 7 2>/dev/null &&
	ip netns exec k tc filter add dev k-f egress protocol all handle 7 fw \
		action drop 2>/dev/null; then
	mark_checks
else
	skip "a request's mark stays with it: no clsact, matchall, skbedit or fw in this kernel"
fi
ip netns exec k tc qdisc del dev k-f clsact 2>/dev/null

# --- the receive stamp is no departure time --------------------------------
if ip netns exec k tc qdisc replace dev k-f root fq 2>/dev/null; then
	check "IPv4: answered through fq" many 192.0.2.2 50
	check "IPv6: answered through fq" many 2001:db8::2 50
	check "  fq dropped none beyond its horizon" eval \
		'ip netns exec k tc -s qdisc show dev k-f | sed "s/^/#   /";
		 ! ip netns exec k tc -s qdisc show dev k-f | grep -Eq "horizon_drops [1-9]"'
	ip netns exec k tc qdisc del dev k-f root
else
	skip "the receive stamp is no departure time: no fq in this kernel"
fi

# --- the answer's flow hash --------------------------------------------------
# RPS on k's side of the link computes each request's flow hash as it
# arrives. An IPv6 request with a flow label (Linux's default,
# net.ipv6.auto_flowlabels) is hashed over the label, not the ports, and its
# answer has no label: that answer must leave with no hash (tc_hash.o drops
# it, tc_hash_none.o passes it: not a wrong one).
# hash_filter OBJ: OBJ's program on k-f's egress, in place of any before.
hash_filter() {
	ip netns exec k tc filter del dev k-f egress 2>/dev/null
	ip netns exec k tc filter add dev k-f egress bpf da \
		obj "$KNTP_TOP/selftests/$1" sec tc
}
hash_checks() {
	ip netns exec f sysctl -qw net.ipv6.auto_flowlabels=0
	check "IPv4: answers leave with a flow hash, their own" many 192.0.2.2 20
	check "IPv6, no flow label: likewise" many 2001:db8::2 20
	ip netns exec f sysctl -qw net.ipv6.auto_flowlabels=1
	check "IPv6 with a flow label: the answer leaves with no hash" \
		eval '! answered 2001:db8::2 --timeout 1 >/dev/null'
	check "  (tc_hash_none.o on egress)" hash_filter tc_hash_none.o
	check "  and with none that is not its own" many 2001:db8::2 20
}
check "RPS on k's side of the link" \
	ip netns exec k sh -c 'echo 1 >/sys/class/net/k-f/queues/rx-0/rps_cpus'
check "IPv4: requests hashed as they arrive, answered" many 192.0.2.2 50
ip netns exec f sysctl -qw net.ipv6.auto_flowlabels=0
check "IPv6, no flow label: likewise" many 2001:db8::2 50
ip netns exec f sysctl -qw net.ipv6.auto_flowlabels=1
check "IPv6 with a flow label: likewise" many 2001:db8::2 50
if ip netns exec k tc qdisc add dev k-f clsact 2>/dev/null &&
	hash_filter tc_hash.o 2>/dev/null; then
	hash_checks
else
	skip "the answer's flow hash: no clsact or BPF classifier in this kernel"
fi
ip netns exec k tc qdisc del dev k-f clsact 2>/dev/null
ip netns exec k sh -c 'echo 0 >/sys/class/net/k-f/queues/rx-0/rps_cpus'

# --- a request in fragments -----------------------------------------------
check "IPv4: a request in two fragments, answered" answered 192.0.2.2 --fragment
check "IPv6: a request in two fragments, answered" answered 2001:db8::2 --fragment

# --- AnyIP: an address on a local route, on no device ---------------------
ip -n k route add local 198.51.100.0/24 dev lo
ip -n k -6 route add local 2001:db8:100::/64 dev lo
ip -n f route add 198.51.100.0/24 via 192.0.2.2
ip -n f -6 route add 2001:db8:100::/64 via 2001:db8::2
check "IPv4: a request to AnyIP 198.51.100.7, answered from it" \
	answered 198.51.100.7
check "IPv6: a request to AnyIP 2001:db8:100::7, answered from it" \
	answered 2001:db8:100::7

# --- nothing failed on the way out ----------------------------------------
check "tx_err 0" eval '[ "$(counter k tx_err)" = 0 ]'
check "no kernel complaints" eval '! kernel_complaints'
check "rmmod kntp" rmmod kntp
tap_done
