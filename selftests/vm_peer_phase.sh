#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# Symmetric peers at a 4 s poll (minpoll = maxpoll = 2), three pairs at
# once in one guest: after start-up, at most 1 % of the packets each side
# receives may fail test 2 (bogus: the two sides' packets crossed) - or one:
# in 150 s, 37 packets, one late packet under a busy host is 2.7 % (seen
# once, chronyd's count, in a whole CI run); the fault this is about made
# 16 %, six of them.
#
#   a  kntp, unsynchronised    ---  b  kntp, unsynchronised     (IPv6)
#   c  kntp, master 3          ---  d  kntp, synchronises to c  (IPv4)
#   e  kntp                    ---  f  chronyd, local stratum 3 (IPv4)
#
# And the first synchronisation of the seed's router (g serves it, i is a
# peer that never synchronises): an unsynchronised peer must not hold it up.
#
#   g  kntp, master 1  ---  h  kntp: server g iburst, peer i  ---  i  kntp
#
# All of a guest's timers share one jiffies count: with the timer wheel's
# rounding, two kntp peers on one host sent in the same tick, and 16 % of
# their packets were bogus at this poll.
set -u
. "$(dirname "$0")/lib.sh"
need chronyd chronyc

POLL=2
WINDOW=150	# s of exchange measured after start-up
T=$(mktemp -d /tmp/kntp-phase.XXXXXX)
cleanup() {
	chronyd_stop "$T/f"
	for ns in a b c d e f g h i; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

kn() { local ns=$1; shift; ip netns exec "$ns" "$KNTP" "$@"; }

check "insmod kntp.ko" load_module
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2
netns_pair c 198.51.100.1 2001:db8:2::1 d 198.51.100.2 2001:db8:2::2
netns_pair e 203.0.113.1 2001:db8:3::1 f 203.0.113.2 2001:db8:3::2
netns_pair g 192.0.2.1 2001:db8:1::1 h 192.0.2.2 2001:db8:1::2
netns_pair h 198.51.100.1 2001:db8:2::1 i 198.51.100.2 2001:db8:2::2

check "a, b: peers, both unsynchronised" \
	eval "kn a peer 2001:db8:1::2 minpoll $POLL maxpoll $POLL &&
	      kn b peer 2001:db8:1::1 minpoll $POLL maxpoll $POLL"
check "c (master 3), d: peers" \
	eval "kn c master 3 && kn c peer 198.51.100.2 minpoll $POLL maxpoll $POLL &&
	      kn d peer 198.51.100.1 minpoll $POLL maxpoll $POLL"
check "f: chronyd, local stratum 3, peer of e" \
	chronyd_start f "$T/f" "local stratum 3" "allow" \
	"peer 203.0.113.1 minpoll $POLL maxpoll $POLL"
check "e: peer of chronyd" kn e peer 203.0.113.2 minpoll $POLL maxpoll $POLL

# The quorum of the first clock update once counted i, which answers but
# never gives a sample, as a source still filling its filter, and h waited
# 16 polls (70 s at this poll); the server alone takes 4 samples or so.
check "g (master 1) serves h; h and i: peers, i unsynchronised" \
	eval "kn g master 1 && kn i peer 198.51.100.1 minpoll $POLL maxpoll $POLL &&
	      kn h peer 198.51.100.2 minpoll $POLL maxpoll $POLL &&
	      kn h server 192.0.2.1 minpoll $POLL maxpoll $POLL iburst"
t_h=$SECONDS
synced2() { kn h show status | grep -q "synchronized, stratum 2"; }
check "h synchronises to g within 40 s, the unsynchronised peer i notwithstanding" \
	wait_for 40 synced2
echo "# h synchronised after $((SECONDS - t_h)) s"
check "  h shows i as not selectable: unsynchronized" \
	eval 'kn h show associations detail | grep -q "not selectable: unsynchronized"'

# Start-up: the first packets of a peer are not answers (origin 0), and the
# phases settle within a few polls.
synced4() { kn "$1" show status | grep -q "synchronized, stratum 4"; }
check "d synchronises to c, e to chronyd" \
	wait_for 90 eval 'synced4 d && synced4 e'
for ns in d e; do synced4 $ns || kn $ns show status | sed "s/^/# $ns: /"; done

declare -A rx0 bogus0
pairs="a:2001:db8:1::2 b:2001:db8:1::1 c:198.51.100.2 d:198.51.100.1 e:203.0.113.2"
for p in $pairs; do
	rx0[$p]=$(counter "${p%%:*}" rx "${p#*:}")
	bogus0[$p]=$(counter "${p%%:*}" drop_bogus "${p#*:}")
done
chrony_counts() {	# total and valid packets chronyd received from e
	chronyc_in "$T/f" ntpdata 203.0.113.1 |
		awk -F: '/^Total RX/ { t = $2 } /^Total valid RX/ { v = $2 }
			 END { print t + 0, v + 0 }'
}
read -r c_rx0 c_valid0 < <(chrony_counts)
sleep "$WINDOW"

few() {	# few BAD RX: BAD is at most 1 % of RX, or one
	[ $(($1 * 100)) -le "$2" ] || [ "$1" -le 1 ]
}
few_bogus() {	# few_bogus NS:ADDR: few bogus, and a packet each poll
	local ns=${1%%:*} addr=${1#*:} rx bogus
	rx=$(( $(counter "$ns" rx "$addr") - rx0[$1] ))
	bogus=$(( $(counter "$ns" drop_bogus "$addr") - bogus0[$1] ))
	echo "# $ns from $addr: $bogus bogus of $rx received in $WINDOW s"
	[ "$rx" -ge $((WINDOW / (1 << POLL) * 3 / 4)) ] && few "$bogus" "$rx"
}
for p in $pairs; do
	check "${p%%:*} from ${p#*:}: at most 1 % (or one) bogus after start-up" few_bogus "$p"
done
chrony_ok() {
	local rx valid
	read -r rx valid < <(chrony_counts)
	rx=$((rx - c_rx0)) valid=$((valid - c_valid0))
	echo "# chronyd from e: $valid valid of $rx received in $WINDOW s"
	chronyc_in "$T/f" ntpdata 203.0.113.1 | grep -E "^(Stratum|Poll|Total)" | sed 's/^/#   /'
	[ "$rx" -ge $((WINDOW / (1 << POLL) * 3 / 4)) ] && few $((rx - valid)) "$rx"
}
check "chronyd from e: at most 1 % (or one) invalid after start-up" chrony_ok
no_dups() {
	local p
	for p in $pairs; do
		[ "$(counter "${p%%:*}" drop_dup "${p#*:}")" = 0 ] || return 1
	done
}
check "no duplicates anywhere" no_dups
check "rmmod kntp" rmmod kntp
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
