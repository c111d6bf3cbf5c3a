#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# Interleaved client/server mode (RFC 9769 sec. 2; "xleave"): the server
# sends, with its next answer, when its answer really left (the driver's
# transmit stamp), not the time it wrote into the answer before sending.
# Every server's answers here wait Q = 10 ms in its own host (netem on its
# egress, before the driver). In basic mode that wait is inside T3 - T2:
# the client measures a delay of about Q more and an offset of -Q/2. In
# interleaved mode the delay is the network's alone (well under 1 ms).
#
#   a  kntp: server b (xleave, IPv4), server b (basic, IPv6)
#   b  kntp: master 1, answers wait Q
#   d  chronyd: server b (xleave, IPv4), server b (basic, IPv6)
#   e  chronyd: local stratum 1, answers wait Q
#   f  kntp: server e (xleave, IPv4), server e (basic, IPv6)
#
# All clocks are the guest's one clock.
set -u
. "$(dirname "$0")/lib.sh"

Q_MS=10
T=$(mktemp -d /tmp/kntp-xleave.XXXXXX)
cleanup() {
	local d
	for d in "$T"/*/; do chronyd_stop "$d"; done
	for ns in a b d e f; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

kn() { local ns=$1; shift; ip netns exec "$ns" "$KNTP" "$@"; }
# aj NS ADDR PYEXPR: an expression over ADDR's association (JSON) in NS.
aj() {
	kn "$1" -j show associations detail | python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin)["associations"] if x["address"] == sys.argv[1]][0]
print(eval(sys.argv[2]))' "$2" "$3"
}
# ms_between X_NS LO HI: LO <= X_NS / 1e6 < HI.
ms_between() { awk -v x="$1" -v l="$2" -v h="$3" 'BEGIN { x /= 1e6; exit !(x != "" && x >= l && x < h) }'; }
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

check "a peer with xleave is refused, naming why" \
	fails_with "for servers only" kn a peer 192.0.2.9 xleave
check "  and nothing was configured" \
	eval '! kn a show associations | grep -q 192.0.2.9'

# --- kntp client, kntp server ----------------------------------------------
check "b: master 1; a: server b xleave (IPv4) and basic (IPv6), 1 s polls" \
	eval 'kn b master 1 &&
	      kn a server 192.0.2.2 minpoll 0 maxpoll 0 iburst xleave &&
	      kn a server 2001:db8:1::2 minpoll 0 maxpoll 0 iburst'
check "  the flag shows: xleave" \
	eval '[ "$(aj a 192.0.2.2 "\"xleave\" in a[\"flags\"]")" = True ] &&
	      [ "$(aj a 2001:db8:1::2 "\"xleave\" in a[\"flags\"]")" = False ]'
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
del_x=$(aj a 192.0.2.2 'a["delay_ns"]') del_b=$(aj a 2001:db8:1::2 'a["delay_ns"]')
echo "# a -> b: delay $del_x ns interleaved, $del_b ns basic"
check "a's delay to b, interleaved, leaves out b's $Q_MS ms wait ($del_x ns)" \
	ms_between "$del_x" 0 2
check "a's delay to b, basic, includes it ($del_b ns)" \
	ms_between "$del_b" $((Q_MS - 1)) $((Q_MS + 20))

# --- chronyd client, kntp server ---------------------------------------------
check "chronyd in d: server b xleave (IPv4), server b (IPv6), 1 s polls" \
	chronyd_start d "$T/d" "server 198.51.100.2 minpoll 0 maxpoll 0 iburst xleave" \
	"server 2001:db8:2::2 minpoll 0 maxpoll 0 iburst"
ntpdata() { chronyc_in "$T/d" ntpdata "$1"; }
chrony_valid() { ntpdata "$1" | grep -Eq "^Total valid RX *: ([1-9][0-9])"; }
check "chronyd has 10 valid answers from each" \
	wait_for 60 eval 'chrony_valid 198.51.100.2 && chrony_valid 2001:db8:2::2'
ntpdata 198.51.100.2 | grep -E "^(Interleaved|Peer delay|Total)" | sed 's/^/#   /'
chrony_delay() { ntpdata "$1" | awk -F: '/^Peer delay/ { printf "%d", $2 * 1e9 }'; }
check "chronyd sees kntp's answers as interleaved" \
	eval 'ntpdata 198.51.100.2 | grep -Eq "^Interleaved *: Yes"'
check "  and the basic ones as basic" \
	eval 'ntpdata 2001:db8:2::2 | grep -Eq "^Interleaved *: No"'
del_x=$(chrony_delay 198.51.100.2) del_b=$(chrony_delay 2001:db8:2::2)
echo "# chronyd -> kntp: delay $del_x ns interleaved, $del_b ns basic"
check "chronyd's delay to kntp, interleaved, leaves out the $Q_MS ms wait ($del_x ns)" \
	ms_between "$del_x" 0 2
check "chronyd's delay to kntp, basic, includes it ($del_b ns)" \
	ms_between "$del_b" $((Q_MS - 1)) $((Q_MS + 20))

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
del_x=$(aj f 203.0.113.1 'a["delay_ns"]') del_b=$(aj f 2001:db8:3::1 'a["delay_ns"]')
echo "# f -> chronyd: delay $del_x ns interleaved, $del_b ns basic"
check "f's delay to chronyd, interleaved, leaves out the $Q_MS ms wait ($del_x ns)" \
	ms_between "$del_x" 0 2
check "f's delay to chronyd, basic, includes it ($del_b ns)" \
	ms_between "$del_b" $((Q_MS - 1)) $((Q_MS + 20))
check "no packet-test drops on the interleaved associations" \
	eval '[ "$(counter a drop_bogus 192.0.2.2)" = 0 ] && [ "$(counter a drop_dup 192.0.2.2)" = 0 ] &&
	      [ "$(counter f drop_bogus 203.0.113.1)" = 0 ] && [ "$(counter f drop_dup 203.0.113.1)" = 0 ]'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
