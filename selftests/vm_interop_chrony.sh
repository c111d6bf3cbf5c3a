#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# kntp against implementations we did not write: chronyd (server, client,
# symmetric peer) and ntpsec's ntpdig. All in one guest, so every clock is
# the same clock: a measured offset must be within the measured delay.
#
#        s (chronyd: local stratum 1)          c (chronyd: client of kntp)
#   192.0.2.1  2001:db8:1::1             203.0.113.1  2001:db8:3::1
#            |                                   |
#   192.0.2.2  2001:db8:1::2             203.0.113.2  2001:db8:3::2
#            +------------- k (kntp) ------------+
#                              |
#               198.51.100.2  2001:db8:2::2
#                              |
#               198.51.100.1  2001:db8:2::1
#                    p (chronyd: symmetric peer of kntp)
set -u
. "$(dirname "$0")/lib.sh"
need chronyd chronyc ntpdig jq

T=$(mktemp -d /tmp/kntp-interop.XXXXXX)
cleanup() {
	local d
	for d in "$T"/*/; do chronyd_stop "$d"; done
	for ns in s c p k; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }


check "insmod kntp.ko" load_module
netns_pair s 192.0.2.1 2001:db8:1::1 k 192.0.2.2 2001:db8:1::2
netns_pair p 198.51.100.1 2001:db8:2::1 k 198.51.100.2 2001:db8:2::2
netns_pair c 203.0.113.1 2001:db8:3::1 k 203.0.113.2 2001:db8:3::2

# --- port 123 taken -------------------------------------------------------
check "chronyd (local stratum 1) runs in s" \
	chronyd_start s "$T/s" "local stratum 1" "allow" "port 123"
check "kntp in s: port 123 in use is refused with a clear error" \
	fails_with "port 123 is in use" ip netns exec s "$KNTP" server 192.0.2.2
check "  and nothing was configured or enabled there" \
	eval 'ip netns exec s "$KNTP" show status | grep -q "disabled" &&
	      ! ip netns exec s "$KNTP" show associations | grep -qE "^.~"'

# --- kntp as a client of chronyd, IPv4 and IPv6 ----------------------------
check "kntp: server 192.0.2.1 minpoll -1 maxpoll 0 iburst" \
	k server 192.0.2.1 minpoll -1 maxpoll 0 iburst
check "kntp: server 2001:db8:1::1 minpoll -1 maxpoll 0 iburst" \
	k server 2001:db8:1::1 minpoll -1 maxpoll 0 iburst
check "chronyd (IPv4) becomes reachable within 10 s" wait_for 10 reachable k 192.0.2.1
check "chronyd (IPv6) becomes reachable within 10 s" wait_for 10 reachable k 2001:db8:1::1
check "  samples reach the clock filter (IPv4)" wait_for 10 sampled k 192.0.2.1
check "  samples reach the clock filter (IPv6)" wait_for 10 sampled k 2001:db8:1::1
check "  stratum 1 as chronyd says" test "$(assoc_json k 192.0.2.1 .stratum)" = 1
check "  offset within delay (IPv4)" offset_ok k 192.0.2.1
check "  offset within delay (IPv6)" offset_ok k 2001:db8:1::1
check "  no packet-test drops against chronyd" \
	eval '[ "$(counter k drop_bogus 192.0.2.1)" = 0 ] &&
	      [ "$(counter k drop_dup 192.0.2.1)" = 0 ]'
check "  receive stamps came from the skb, never a late clock read" \
	eval '[ "$(counter k rx_stamp_skb)" -gt 0 ] &&
	      [ "$(counter k rx_stamp_late)" = 0 ]'

# --- chronyd and ntpdig as clients of kntp (master 2) -------------------------
# Our own clock at stratum 2 is the reference once chronyd's servers are
# gone (a stratum 1 source would otherwise give us stratum 2 itself).
check "kntp: no server 192.0.2.1, no server 2001:db8:1::1" \
	eval 'k no server 192.0.2.1 && k no server 2001:db8:1::1'
check "kntp: master 2" k master 2
check "  status: synchronized, stratum 2, reference .LOCL." \
	wait_for 10 eval 'k show status | head -1 | grep -q "synchronized, stratum 2, reference is .LOCL."'
check "chronyd in c: server 203.0.113.2 (kntp)" \
	chronyd_start c "$T/c" "server 203.0.113.2 iburst minpoll 0 maxpoll 0" \
	"server 2001:db8:3::2 iburst minpoll 0 maxpoll 0"
ntpdata_ok() {	# ntpdata_ok ADDR: chronyd took valid replies of kntp
	local d
	d=$(chronyc_in "$T/c" ntpdata "$1")
	echo "$d" | grep -q "^Stratum *: 2$" &&
		echo "$d" | grep -q "^Reference ID *: 4C4F434C" &&
		echo "$d" | grep -Eq "^Total valid RX *: [1-9]"
}
check "chronyd accepts kntp's replies: stratum 2, refid LOCL (IPv4)" \
	wait_for 20 ntpdata_ok 203.0.113.2
check "chronyd accepts kntp's replies: stratum 2, refid LOCL (IPv6)" \
	wait_for 20 ntpdata_ok 2001:db8:3::2
# kntp in k runs a virtual clock, which it disciplined while it followed
# chronyd in s: it is off the system clock (which chronyd in c and ntpdig
# read) by its error, in s. Measured offsets are within their delay of it,
# give or take 100 us: chronyd's and kntp's timestamps are taken at
# different points of the veth path (the driver, the receive queue).
SLACK_S=0.0001
k_error_s() {
	clock_error_ms k | awk '{ printf "%.9f", $1 / 1000 }'
}

chrony_offset_ok() {
	local d off del err
	d=$(chronyc_in "$T/c" ntpdata "$1")
	off=$(echo "$d" | awk -F: '/^Offset/ { print $2 + 0 }')
	del=$(echo "$d" | awk -F: '/^Peer delay/ { print $2 + 0 }')
	err=$(k_error_s)
	echo "# chronyd -> kntp $1: offset $off s, delay $del s; kntp's clock is $err s off"
	within_delay "$off" "$(awk -v d="$del" -v e="$err" -v s=$SLACK_S 'BEGIN { print d + e + s }')"
}
check "  chronyd's offset to kntp within its delay of kntp's clock error (IPv4)" chrony_offset_ok 203.0.113.2
check "  chronyd's offset to kntp within its delay of kntp's clock error (IPv6)" chrony_offset_ok 2001:db8:3::2
check "  kntp counted mode 4 replies" test "$(counter k reply_server)" -gt 0

ntpdig_ok() {	# ntpdig_ok ADDR: ntpsec's ntpdig sees stratum 2, offset < bound
	ntpdig_s2 c "$1" &&
		within_delay "$dig_off" "$(awk -v d="$dig_bound" -v e="$(k_error_s)" -v s=$SLACK_S 'BEGIN { print d + e + s }')"
}
check "ntpdig against kntp (IPv4): stratum 2, offset within its bound" ntpdig_ok 203.0.113.2
check "ntpdig against kntp (IPv6): stratum 2, offset within its bound" ntpdig_ok 2001:db8:3::2

# --- kntp and chronyd as symmetric peers -----------------------------------
check "chronyd in p: peer 198.51.100.2, local stratum 3" \
	chronyd_start p "$T/p" "local stratum 3" "allow" \
	"peer 198.51.100.2 minpoll 0 maxpoll 0"
check "kntp: peer 198.51.100.1 minpoll 0 maxpoll 0" \
	k peer 198.51.100.1 minpoll 0 maxpoll 0
check "kntp reaches the chronyd peer and samples it" \
	wait_for 20 eval 'reachable k 198.51.100.1 && sampled k 198.51.100.1'
chrony_peer_ok() {
	local d
	d=$(chronyc_in "$T/p" ntpdata 198.51.100.2)
	echo "$d" | grep -q "^Mode *: Symmetric active" &&
		echo "$d" | grep -Eq "^Total valid RX *: [1-9]"
}
check "chronyd takes kntp's mode 1 packets as a symmetric peer" \
	wait_for 20 chrony_peer_ok
check "  chronyc sources shows kntp reachable" \
	eval 'chronyc_in "$T/p" -n sources | awk "\$2 == \"198.51.100.2\" && \$5 != \"0\" { f = 1 } END { exit !f }"'
check "  kntp's offset to the chronyd peer within delay" offset_ok k 198.51.100.1

check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
