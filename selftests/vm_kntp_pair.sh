#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 200
#
# kntp talking to kntp: symmetric peers over IPv6, client and server over
# IPv4; enabling and disabling an instance; transmit stamps; the random
# client port (RFC 9109). One guest: each instance's virtual clock is the
# system clock plus what its discipline did, so offsets stay within delays
# give or take that (lib.sh's offset_ok).
#
#   a: kntp, master 3            b: kntp
#   192.0.2.1   2001:db8::1  ---  192.0.2.2   2001:db8::2
set -u
. "$(dirname "$0")/lib.sh"
need jq

cleanup() {
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
}
trap cleanup EXIT

a() { ip netns exec a "$KNTP" "$@"; }
b() { ip netns exec b "$KNTP" "$@"; }

# Sockets bound to port 123 in a namespace.
port123() { ip netns exec "$1" ss -Hlun sport = :123 | wc -l; }

check "insmod kntp.ko" load_module
netns_pair a 192.0.2.1 2001:db8::1 b 192.0.2.2 2001:db8::2

check "a: master 3 (enables a: sockets on port 123, IPv4 and IPv6)" \
	eval 'a master 3 && [ "$(port123 a)" = 2 ]'

# --- symmetric peers over IPv6 ------------------------------------------
check "a: peer 2001:db8::2 minpoll 0 maxpoll 0" a peer 2001:db8::2 minpoll 0 maxpoll 0
check "b: ntp peer 2001:db8::1 minpoll 0 maxpoll 0" b ntp peer 2001:db8::1 minpoll 0 maxpoll 0
check "both peers reach each other" \
	wait_for 20 eval 'reachable a 2001:db8::2 && reachable b 2001:db8::1'
check "b samples a (a is synchronised: master 3)" wait_for 10 sampled b 2001:db8::1
check "  b sees a at stratum 3 with refid .LOCL." \
	eval '[ "$(assoc_json b 2001:db8::1 .stratum)" = 3 ] &&
	      [ "$(assoc_json b 2001:db8::1 .refid)" = LOCL ]'
check "  b's offset to a within delay" offset_ok b 2001:db8::1
# b syncs to a after a few polls; until then a must drop its packets. Read
# a's samples first, then b's stratum: if b is still at 16, it was at 16
# when the samples were counted, and there must be none.
unsync_dropped() {
	local samples
	samples=$(counter a samples 2001:db8::2)
	[ "$(counter a drop_unsync 2001:db8::2)" -gt 0 ] || return 1
	b show status | grep -q "stratum 16" || return 0
	[ "$samples" = 0 ]
}
check "a drops b's packets while b is unsynchronised (stratum 16)" \
	wait_for 10 unsync_dropped
# Two peers polling at the same rate would cross now and then (each sends
# before the other's packet arrives: test 2 calls that bogus); each side
# sets its phase from the other's answers (ntp_peer_phase()), which keeps it
# rare: vm_peer_phase.sh holds them to 1 %. Never a duplicate.
few_bogus() {	# few_bogus NS ADDR: under a quarter of what was received
	local bogus rx
	bogus=$(counter "$1" drop_bogus "$2")
	rx=$(counter "$1" rx "$2")
	echo "# $1 from $2: $bogus bogus of $rx received"
	[ "$rx" -gt 0 ] && [ $((bogus * 4)) -lt "$rx" ]
}
check "the peers' exchange: few bogus packets, no duplicates" \
	eval 'few_bogus a 2001:db8::2 && few_bogus b 2001:db8::1 &&
	      [ "$(counter a drop_dup 2001:db8::2)" = 0 ]'
check "no stateless mode 2 replies between configured peers" \
	eval '[ "$(counter a reply_passive)" = 0 ] && [ "$(counter b reply_passive)" = 0 ]'

# --- client and server over IPv4 -----------------------------------------
check "b: server 192.0.2.1 minpoll -1 maxpoll 0 iburst" \
	b server 192.0.2.1 minpoll -1 maxpoll 0 iburst
check "b reaches and samples its server a" \
	wait_for 15 eval 'reachable b 192.0.2.1 && sampled b 192.0.2.1'
check "  offset within delay" offset_ok b 192.0.2.1
check "  a answered with mode 4" test "$(counter a reply_server)" -gt 0
check "b's client socket is on a random ephemeral port, not 123" \
	eval 'ip netns exec b ss -Haun | awk "{ n = split(\$4, p, \":\"); print p[n] }" |
	      grep -vx 123 | awk "\$1 >= 1024 { f = 1 } END { exit !f }"'
check "transmit stamps come back from the stack for b's packets" \
	eval '[ "$(counter b tx_stamp 192.0.2.1)" -gt 0 ] &&
	      [ "$(counter b tx_stamp 192.0.2.1)" -le "$(counter b tx 192.0.2.1)" ]'
check "receive stamps from the skb only" \
	eval '[ "$(counter b rx_stamp_skb)" -gt 0 ] && [ "$(counter b rx_stamp_late)" = 0 ]'

# --- disable and enable --------------------------------------------------
check "a: disable closes a's sockets" eval 'a disable && [ "$(port123 a)" = 0 ]'
check "  status says disabled" eval 'a show status | grep -q "kntp is disabled"'
tx1=$(counter a tx 2001:db8::2)
sleep 3
check "  a's timers stopped: nothing sent for 3 s" test "$(counter a tx 2001:db8::2)" = "$tx1"
check "  a's associations are kept" eval 'a show associations | grep -q "~2001:db8::2 "'
check "a: enable opens the sockets again and resumes polling" \
	eval 'a enable && [ "$(port123 a)" = 2 ] &&
	      wait_for 10 eval "[ \$(counter a tx 2001:db8::2) -gt $tx1 ]"'
check "  b reaches a again" wait_for 15 reachable b 2001:db8::1

# --- removing and re-adding ---------------------------------------------
check "b: no server 192.0.2.1 closes its client socket" \
	eval 'b no server 192.0.2.1 &&
	      [ "$(ip netns exec b ss -Haun | grep -vc ":123 ")" = 0 ]'
check "rmmod with live exchanges in two namespaces" rmmod kntp
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
