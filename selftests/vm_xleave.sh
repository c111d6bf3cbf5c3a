#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 420
# vm-alone
#
# Interleaved mode (RFC 9769; "xleave"): the remote side sends, with its
# next packet, when its packet really left (the driver's transmit stamp),
# not the time it wrote into the packet before sending. Every server's and
# peer's packets here wait Q = 10 ms in its own host (netem on its egress,
# before the driver). In basic mode that wait is inside T3 - T2: the other
# side measures a delay of about Q more and an offset of -Q/2. In
# interleaved mode the delay is the network's alone (well under 1 ms).
#
# Client/server (sec. 2):
#   a  kntp: server b (xleave, IPv4), server b (basic, IPv6)
#   b  kntp: master 1, answers wait Q
#   d  chronyd: server b (xleave, IPv4), server b (basic, IPv6)
#   e  chronyd: local stratum 1, answers wait Q
#   f  kntp: server e (xleave, IPv4), server e (basic, IPv6)
# Symmetric (sec. 3), both sides' packets wait Q:
#   g  kntp: peer h xleave        h  kntp: master 1, peer g xleave
#   i  kntp: peer j xleave        j  kntp: master 1, peer i (basic): one-sided
#   k  chronyd: local stratum 1, peer l xleave      l  kntp: peer k xleave
#
# All clocks are the guest's one clock.
set -u
. "$(dirname "$0")/lib.sh"
need chronyd chronyc tc jq

Q_MS=10
T=$(mktemp -d /tmp/kntp-xleave.XXXXXX)
cleanup() {
	local d
	for d in "$T"/*/; do chronyd_stop "$d"; done
	for ns in a b d e f g h i j k l; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

kn() { local ns=$1; shift; ip netns exec "$ns" "$KNTP" "$@"; }
aj() { assoc_json "$@"; }
# delays WHO X B: the interleaved delay X (ns) leaves out the Q ms wait,
# the basic one B includes it.
delays() {
	echo "# $1: delay $2 ns interleaved, $3 ns basic"
	check "$1, interleaved: the delay leaves out the $Q_MS ms wait ($2 ns)" \
		ms_between "$2" 0 2
	check "$1, basic: the delay includes it ($3 ns)" \
		ms_between "$3" $((Q_MS - 1)) $((Q_MS + 20))
}
samples_at_least() { [ "$(counter "$1" samples "$2")" -ge "$3" ]; }
# xl_counts NS ADDR: n, il and spent of ADDR's association, from one read
# (polls go on between two reads).
xl_counts() {
	eval "$(kn "$1" show counters "$2" | awk '$1 == "samples" { print "n=" $2 }
		$1 == "sample_interleaved" { print "il=" $2 }
		$1 == "xleave_spent" { print "spent=" $2 }')"
}

check "insmod kntp.ko" load_module
modprobe -q sch_netem || true
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2
netns_pair d 198.51.100.1 2001:db8:2::1 b 198.51.100.2 2001:db8:2::2
netns_pair f 203.0.113.2 2001:db8:3::2 e 203.0.113.1 2001:db8:3::1
check "b's and e's answers wait $Q_MS ms in their host (netem)" \
	eval "tc -n b qdisc add dev b-a root netem delay ${Q_MS}ms &&
	      tc -n b qdisc add dev b-d root netem delay ${Q_MS}ms &&
	      tc -n e qdisc add dev e-f root netem delay ${Q_MS}ms"

# Each pair of peers is in namespaces of its own: the addresses repeat.
for pair in "g h" "i j" "k l"; do
	set -- $pair
	netns_pair "$1" 192.0.2.1 2001:db8:9::1 "$2" 192.0.2.2 2001:db8:9::2
	tc -n "$1" qdisc add dev "$1-$2" root netem delay ${Q_MS}ms
	tc -n "$2" qdisc add dev "$2-$1" root netem delay ${Q_MS}ms
done
# The peers start now and run while the client/server part is checked.
check "g, h: xleave peers; i (xleave), j (basic): peers; l (kntp, xleave) peers with k (chronyd)" \
	eval 'kn h master 1 && kn h peer 192.0.2.1 minpoll 0 maxpoll 0 xleave &&
	      kn g peer 192.0.2.2 minpoll 0 maxpoll 0 xleave &&
	      kn j master 1 && kn j peer 192.0.2.1 minpoll 0 maxpoll 0 &&
	      kn i peer 192.0.2.2 minpoll 0 maxpoll 0 xleave &&
	      chronyd_start k "$T/k" "local stratum 1" "allow" "port 123" \
		"peer 192.0.2.2 minpoll 0 maxpoll 0 xleave" &&
	      kn l peer 192.0.2.1 minpoll 0 maxpoll 0 xleave'

# --- kntp client, kntp server ----------------------------------------------
check "b: master 1; a: server b xleave (IPv4) and basic (IPv6), 1 s polls" \
	eval 'kn b master 1 &&
	      kn a server 192.0.2.2 minpoll 0 maxpoll 0 iburst xleave &&
	      kn a server 2001:db8:1::2 minpoll 0 maxpoll 0 iburst'
check "  the flag shows: xleave" \
	eval '[ "$(aj a 192.0.2.2 "any((.flags // [])[]; . == \"xleave\")")" = true ] &&
	      [ "$(aj a 2001:db8:1::2 "any((.flags // [])[]; . == \"xleave\")")" = false ]'
check "a has 10 samples of each" \
	wait_for 90 eval 'samples_at_least a 192.0.2.2 10 && samples_at_least a 2001:db8:1::2 10'
xl_counts a 192.0.2.2
echo "# a -> b (xleave): $n samples, $il interleaved, $spent interleaved answers with a spent exchange"
# The first two answers are basic (b keeps nothing before a request in
# interleaved form); the third completes an exchange sampled already.
kn a show counters 192.0.2.2 | awk '$1 ~ /^drop_/ && $2 != 0 { print "#   " $0 }'
check "all but the first two samples of the xleave server are interleaved ($il of $n)" \
	eval '[ "$n" -ge 10 ] && [ "$il" -ge $((n - 2)) ] && [ "$spent" -le 2 ]'
check "the basic server's are not ($(counter a sample_interleaved 2001:db8:1::2))" \
	test "$(counter a sample_interleaved 2001:db8:1::2)" = 0
echo "# b: $(counter b reply_interleaved) interleaved answers, $(counter b reply_xleave_basic) basic answers to requests in interleaved form"
check "b answered interleaved, and basic to the few requests it had kept nothing for" \
	eval '[ "$il" -gt 0 ] && [ "$(counter b reply_interleaved)" -ge "$il" ] &&
	      [ "$(counter b reply_xleave_basic)" -le 4 ]'
delays "a -> b (kntp)" "$(aj a 192.0.2.2 '.delay_ns')" "$(aj a 2001:db8:1::2 '.delay_ns')"

# --- chronyd client, kntp server ---------------------------------------------
check "chronyd in d: server b xleave (IPv4), server b (IPv6), 1 s polls" \
	chronyd_start d "$T/d" "server 198.51.100.2 minpoll 0 maxpoll 0 iburst xleave" \
	"server 2001:db8:2::2 minpoll 0 maxpoll 0 iburst" "log rawmeasurements"
ntpdata() { chronyc_in "$T/d" ntpdata "$1"; }
chrony_valid() { ntpdata "$1" | grep -Eq "^Total valid RX *: ([1-9][0-9])"; }
check "chronyd has 10 valid answers from each" \
	wait_for 60 eval 'chrony_valid 198.51.100.2 && chrony_valid 2001:db8:2::2'
ntpdata 198.51.100.2 | grep -E "^(Interleaved|Peer delay|Total)" | sed 's/^/#   /'
check "chronyd sees kntp's answers as interleaved" \
	eval 'ntpdata 198.51.100.2 | grep -Eq "^Interleaved *: Yes"'
check "  and the basic ones as basic" \
	eval 'ntpdata 2001:db8:2::2 | grep -Eq "^Interleaved *: No"'
# The median of chronyd's samples (its rawmeasurements log: column 3 the
# source, 13 the delay in s, 18 the mode and I or B): one sample can wait in
# a slow guest's scheduler for milliseconds, the netem wait is in every
# basic one and in no interleaved one.
chrony_median_delay() {	# chrony_median_delay ADDR 4I|4B
	awk -v a="$1" -v m="$2" '$3 == a && $18 == m { printf "%d\n", $13 * 1e9 }' \
		"$T/d/measurements.log" | median
}
delays "chronyd -> kntp" "$(chrony_median_delay 198.51.100.2 4I)" \
	"$(chrony_median_delay 2001:db8:2::2 4B)"

# --- kntp client, chronyd server ---------------------------------------------
check "chronyd in e: local stratum 1" \
	chronyd_start e "$T/e" "local stratum 1" "allow" "port 123"
check "f: server e xleave (IPv4), server e (IPv6), 1 s polls" \
	eval 'kn f server 203.0.113.1 minpoll 0 maxpoll 0 iburst xleave &&
	      kn f server 2001:db8:3::1 minpoll 0 maxpoll 0 iburst'
check "f has 10 samples of each" \
	wait_for 90 eval 'samples_at_least f 203.0.113.1 10 && samples_at_least f 2001:db8:3::1 10'
xl_counts f 203.0.113.1
echo "# f -> chronyd (xleave): $n samples, $il interleaved, $spent with a spent exchange"
check "kntp's samples of chronyd are interleaved ($il of $n)" \
	eval '[ "$n" -ge 10 ] && [ "$il" -ge $((n - 3)) ]'
delays "f (kntp) -> chronyd" "$(aj f 203.0.113.1 '.delay_ns')" "$(aj f 2001:db8:3::1 '.delay_ns')"
# --- symmetric peers ------------------------------------------------------------
state_has() { [ "$(aj "$1" "$2" "any((.state // [])[]; . == \"$3\")")" = true ]; }
check "g has 10 samples of h" wait_for 60 samples_at_least g 192.0.2.2 10
xl_counts g 192.0.2.2
echo "# g -> h (xleave peers): $n samples, $il interleaved, $spent with no usable exchange"
check "g's samples of h are interleaved ($il of $n)" \
	eval '[ "$n" -ge 10 ] && [ "$il" -ge $((n - 4)) ]'
check "h samples g, interleaved too" \
	wait_for 30 eval '[ "$(counter h sample_interleaved 192.0.2.1)" -ge 3 ]'
del_g=$(aj g 192.0.2.2 '.delay_ns') del_h=$(aj h 192.0.2.1 '.delay_ns')
echo "# g <-> h: delay $del_g ns (g), $del_h ns (h)"
check "both delays leave out the $Q_MS ms waits ($del_g, $del_h ns)" \
	eval 'ms_between "$del_g" 0 2 && ms_between "$del_h" 0 2'
check "neither reports a one-sided configuration" \
	eval '! state_has g 192.0.2.2 xleave_unanswered && ! state_has h 192.0.2.1 xleave_peer_only'

check "one-sided: i (xleave) reports that j answers in basic mode only" \
	wait_for 30 state_has i 192.0.2.2 xleave_unanswered
check "  j (basic) reports that i sends interleaved packets" \
	state_has j 192.0.2.1 xleave_peer_only
check "  j counted them ($(counter j drop_xleave_peer 192.0.2.1))" \
	test "$(counter j drop_xleave_peer 192.0.2.1)" -gt 0
check "  the kernel log says so, on both sides" \
	eval 'dmesg | grep -q "192.0.2.2 answers in basic mode only" &&
	      dmesg | grep -q "192.0.2.1 sends interleaved packets"'
check "  i uses j's basic answers; j samples i once i sends basic packets" \
	wait_for 30 eval '[ "$(counter i samples 192.0.2.2)" -ge 5 ] &&
			  [ "$(counter j samples 192.0.2.1)" -ge 3 ]'

kdata() { chronyc_in "$T/k" ntpdata 192.0.2.2; }
check "l (kntp) has 10 samples of chronyd, interleaved" \
	wait_for 60 eval 'xl_counts l 192.0.2.1; [ "$n" -ge 10 ] && [ "$il" -ge $((n - 4)) ]'
echo "# l -> chronyd (xleave peers): $n samples, $il interleaved"
kdata | grep -E "^(Mode|Interleaved|Peer delay|Total)" | sed 's/^/#   /'
# ntpdata tells of chronyd's last packet: a basic one now and then (after
# two packets crossed) is no failure; wait for an interleaved one.
check "chronyd sees kntp's packets as interleaved" \
	wait_for 10 eval 'kdata | grep -Eq "^Interleaved *: Yes"'
del_l=$(aj l 192.0.2.1 '.delay_ns')
del_k=$(kdata | awk -F: '/^Peer delay/ { printf "%d", $2 * 1e9 }')
echo "# kntp <-> chronyd peers: delay $del_l ns (kntp), $del_k ns (chronyd)"
check "both delays leave out the $Q_MS ms waits ($del_l, $del_k ns)" \
	eval 'ms_between "$del_l" 0 2 && ms_between "$del_k" 0 2'

check "no packet-test drops on the interleaved associations" \
	eval '[ "$(counter a drop_bogus 192.0.2.2)" = 0 ] && [ "$(counter a drop_dup 192.0.2.2)" = 0 ] &&
	      [ "$(counter f drop_bogus 203.0.113.1)" = 0 ] && [ "$(counter f drop_dup 203.0.113.1)" = 0 ]'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
