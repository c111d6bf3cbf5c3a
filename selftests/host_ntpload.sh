#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-timeout: 120
#
# The bench's load generator (selftests/bench/ntpload) counts right in both
# of its modes, UDP sockets and packets, over IPv4 and IPv6: two network
# namespaces on the host with a veth pair, and a scripted responder in one
# (ntp_pkt.py serve) that gives the first five requests a good answer, that
# answer again, an answer with another origin, none and a kiss code, and
# the rest good answers. Whatever the rate, the generator must then count
# 1 duplicate, 1 unmatched, 1 kiss, 3 lost and the rest answered. In the
# packet mode the responder's neighbour entries name a MAC address that is
# not the generator's: its namespace's stack must never see an answer (no
# UDP datagram to a closed port, no port unreachable), while the generator,
# reading the link, counts them all. Nothing here loads the module.
set -u
. "$(dirname "$0")/lib.sh"
need python3 nstat

LOAD=$KNTP_TOP/selftests/bench/ntpload
OTHER_MAC=02:00:00:6b:6e:74
A=nla
B=nlb
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT
[ -x "$LOAD" ] || { not_ok "ntpload built (make -C selftests)"; tap_done; exit 1; }
cleanup
netns_pair "$A" 192.0.2.1 2001:db8:1::1 "$B" 192.0.2.2 2001:db8:1::2 ||
	{ not_ok "the namespaces"; tap_done; exit 1; }
B_MAC=$(ip netns exec "$B" cat "/sys/class/net/$B-$A/address")

# run MODE ADDR [NTPLOAD ARGS...]: the responder on ADDR, the generator at
# it, 100 requests/s for 0.3 s; its JSON in $T.
run() {
	local mode=$1 addr=$2
	shift 2
	ip netns exec "$B" python3 "$KNTP_TOP/selftests/ntp_pkt.py" serve "$addr" \
		good,dup,bogus,silent,rate --timeout 5 >/dev/null &
	srv=$!
	wait_for 5 eval '[ -n "$(ip netns exec "$B" ss -Hlun sport = :123)" ]'
	ip netns exec "$A" nstat -n
	T=$(ip netns exec "$A" "$LOAD" -r 100 -t 0.3 "$@" "$addr")
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=
	echo "# $mode $addr: $T"
}
# counts MODE DESC: the generator's counts against the script's.
counts() {
	check "$2: the scripted answers counted (1 dup, 1 unmatched, 1 kiss, 3 lost, the rest answered)" \
		python3 -c 'import json, sys
r = json.loads(sys.argv[1])
want = dict(mode=sys.argv[2], dups=1, unmatched=1, kiss=1, lost=3, short=0,
            answered=r["sent"] - 4, ring_drops=0)
bad = {k: "%s, not %s" % (r[k], v) for k, v in want.items() if r[k] != v}
if bad or r["sent"] < 20:
    print("# sent %d; %s" % (r["sent"], bad))
    sys.exit(1)' "$T" "$1"
}

# stack_saw DESC: what a's stack took in since run()'s nstat -n, none.
stack_saw() {
	local c
	c=$(ip netns exec "$A" nstat -z UdpNoPorts Udp6NoPorts \
		IcmpOutDestUnreachs Icmp6OutDestUnreachs | awk 'NR > 1 { printf "%s %s ", $1, $2 }')
	check "$1: a's IP layer took none of the answers ($c)" \
		eval '[ -n "$c" ] && ! grep -q " [1-9]" <<<" $c"'
}

for addr in 192.0.2.2 2001:db8:1::2; do
	run socket "$addr"
	counts socket "UDP sockets to $addr"
done

# Packet mode: b answers to a MAC address a-b does not have.
for addr in 192.0.2.1 2001:db8:1::1; do
	ip -n "$B" neigh replace "$addr" lladdr "$OTHER_MAC" dev "$B-$A" nud permanent
done
run packet 192.0.2.2 -i "$A-$B" -m "$B_MAC" -a 192.0.2.1
counts packet "packets to 192.0.2.2"
stack_saw packets
run packet 2001:db8:1::2 -i "$A-$B" -m "$B_MAC" -a 2001:db8:1::1
counts packet "packets to 2001:db8:1::2"
stack_saw "packets over IPv6"

# Bad arguments: a clear error, exit 2 (1 for an interface that is not there).
expect_err() {
	local rc=$1 what=$2 out got
	shift 2
	out=$(ip netns exec "$A" "$LOAD" -r 10 -t 0.1 "$@" 2>&1 >/dev/null)
	got=$?
	check "$what: exit $rc with a message (exit $got: $(head -n 1 <<<"$out"))" \
		test "$got" = "$rc" -a -n "$out"
}
expect_err 2 "-i without -m" -i "$A-$B" -a 192.0.2.1 192.0.2.2
expect_err 2 "-i without -a" -i "$A-$B" -m "$B_MAC" 192.0.2.2
expect_err 2 "-m that is not a MAC address" -i "$A-$B" -m 02:00:00 -a 192.0.2.1 192.0.2.2
expect_err 1 "-i naming no interface" -i nosuch0 -m "$B_MAC" -a 192.0.2.1 192.0.2.2
tap_done
