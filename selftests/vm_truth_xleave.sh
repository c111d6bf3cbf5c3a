#!/bin/bash
# shellcheck disable=SC2016,SC2317 # eval strings; trap handler, check
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# The accuracy benchmark's truth server (ntp_pkt.py clock) in interleaved
# mode (RFC 9769): kntp and chronyd, as clients, get interleaved answers
# from it, and its answers' transmit times are when they left. Every
# answer waits Q = 10 ms in s (netem on s's egress, before the driver that
# stamps it): a client's delay holds Q in basic mode, not in interleaved.
#
#   a  192.0.2.2      kntp: server 192.0.2.1 xleave, server 2001:db8:1::1
#      2001:db8:1::2        (basic); then ntp_t3err.py --xleave
#   |
#   s  192.0.2.1 2001:db8:1::1       ntp_pkt.py clock, answers wait Q
#      198.51.100.1 2001:db8:2::1
#   |
#   c  198.51.100.2   chronyd: server 198.51.100.1 xleave,
#      2001:db8:2::2           server 2001:db8:2::1 xleave
#
# No one steers the guest's clock (kntp in a has a virtual clock, chronyd
# runs with -x), so the server's clock and the system clock keep together
# (truth.py shows how far apart): ntp_t3err.py can compare the server's
# transmit times with its own receive stamps, basic (written before the
# queue: above 8 ms) and interleaved (the driver's stamp, after the queue:
# p90 below 2 ms, a fifth of it, room for a vCPU put aside). At the end,
# the server's own count: every interleaved answer carried a kernel stamp.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/lib.sh"
need chronyd chronyc tc python3 jq

Q_MS=10
PY=/usr/bin/python3
T=$(mktemp -d /tmp/kntp-truthxl.XXXXXX)
srv=''
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	chronyd_stop "$T/c"
	for ns in a s c; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

kn() { ip netns exec a "$KNTP" "$@"; }
delay_ns() { assoc_json a "$1" '.delay_ns'; }	# delay_ns ADDR: of a's association
samples() { counter a samples "$1"; }
ntpdata() { chronyc_in "$T/c" ntpdata "$1"; }
chrony_valid() { ntpdata "$1" | grep -Eq "^Total valid RX *: ([1-9][0-9])"; }
chrony_delay() { ntpdata "$1" | awk -F: '/^Peer delay/ { printf "%d", $2 * 1e9 }'; }

check "insmod kntp.ko" load_module
modprobe -q sch_netem || true
netns_pair a 192.0.2.2 2001:db8:1::2 s 192.0.2.1 2001:db8:1::1
netns_pair c 198.51.100.2 2001:db8:2::2 s 198.51.100.1 2001:db8:2::1
check "s's answers wait $Q_MS ms in s (netem)" \
	eval "tc -n s qdisc add dev s-a root netem delay ${Q_MS}ms &&
	      tc -n s qdisc add dev s-c root netem delay ${Q_MS}ms"

ip netns exec s $PY "$KNTP_TOP/selftests/ntp_pkt.py" clock 192.0.2.1 2001:db8:1::1 \
	198.51.100.1 2001:db8:2::1 --seconds 600 --base-file "$T/base" >"$T/srv.out" 2>&1 &
srv=$!
check "ntp_pkt.py clock serves in s" wait_for 30 grep -q ready "$T/srv.out"

check "a: kntp, server 192.0.2.1 xleave, server 2001:db8:1::1 (basic), 1 s polls" \
	eval 'kn server 192.0.2.1 minpoll 0 maxpoll 0 xleave &&
	      kn server 2001:db8:1::1 minpoll 0 maxpoll 0'
check "c: chronyd, server 198.51.100.1 xleave, server 2001:db8:2::1 xleave, 1 s polls" \
	chronyd_start c "$T/c" "server 198.51.100.1 minpoll 0 maxpoll 0 xleave" \
	"server 2001:db8:2::1 minpoll 0 maxpoll 0 xleave"

# --- kntp ----------------------------------------------------------------
check "kntp has 10 samples of each" \
	wait_for 90 eval '[ "$(samples 192.0.2.1)" -ge 10 ] && [ "$(samples 2001:db8:1::1)" -ge 10 ]'
n=0 il=0
eval "$(kn show counters 192.0.2.1 | awk '$1 == "samples" { print "n=" $2 }
	$1 == "sample_interleaved" { print "il=" $2 }')"
echo "# kntp -> clock (xleave): $n samples, $il interleaved"
# The first answer is basic (nothing kept before a request in
# interleaved form), the next interleaved, and so on.
check "kntp's samples of the xleave server are interleaved ($il of $n)" \
	eval '[ "$il" -gt 0 ] && [ "$il" -ge $((n - 2)) ]'
check "  the basic one's are not" \
	test "$(counter a sample_interleaved 2001:db8:1::1)" = 0
del_x=$(delay_ns 192.0.2.1) del_b=$(delay_ns 2001:db8:1::1)
echo "# kntp -> clock: delay $del_x ns interleaved, $del_b ns basic"
check "kntp's delay, interleaved, leaves out the $Q_MS ms wait ($del_x ns)" \
	ms_between "$del_x" 0 1
check "  basic, it includes it ($del_b ns)" \
	ms_between "$del_b" $((Q_MS - 1)) $((Q_MS + 20))

# --- chronyd --------------------------------------------------------------
check "chronyd has 10 valid answers from each" \
	wait_for 60 eval 'chrony_valid 198.51.100.1 && chrony_valid 2001:db8:2::1'
for a in 198.51.100.1 2001:db8:2::1; do
	ntpdata $a | grep -E "^(Interleaved|Peer delay|Total)" | sed "s/^/#   $a: /"
done
check "chronyd sees interleaved answers (IPv4 and IPv6)" \
	eval 'ntpdata 198.51.100.1 | grep -Eq "^Interleaved *: Yes" &&
	      ntpdata 2001:db8:2::1 | grep -Eq "^Interleaved *: Yes"'
# ntpdata shows the last sample's delay: the median of five, one a poll.
d4='' d6=''
for i in 1 2 3 4 5; do
	d4="$d4 $(chrony_delay 198.51.100.1)" d6="$d6 $(chrony_delay 2001:db8:2::1)"
	[ $i = 5 ] || sleep 1
done
# shellcheck disable=SC2086 # word lists
del_4=$(printf '%s\n' $d4 | median) del_6=$(printf '%s\n' $d6 | median)
echo "# chronyd -> clock: delays (ns)$d4 (IPv4),$d6 (IPv6)"
check "chronyd's delays leave out the $Q_MS ms wait (medians $del_4, $del_6 ns)" \
	eval 'ms_between "$del_4" 0 1 && ms_between "$del_6" 0 1'

# --- the transmit times themselves ------------------------------------------
# ntp_t3err.py compares each answer's T3 with its own receive stamp of the
# packet that carried it (one clock): basic T3 is written before the
# queue (error above Q), interleaved T3 is the driver's stamp after it.
echo "# system clock - server clock: $($PY "$KNTP_TOP/selftests/bench/truth.py" now "$T/base") s"
ip netns exec a $PY "$KNTP_TOP/selftests/ntp_t3err.py" 192.0.2.1 --xleave \
	--count 12 --interval 0.2 --json >"$T/t3.json"
t3() { $PY -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/t3.json" "$1"; }
echo "# ntp_t3err.py: $(t3 '"%(replies)s replies, %(interleaved_replies)s interleaved, %(marked)s marked" % r')"
echo "# ntp_t3err.py: basic T3 error $(t3 'r["basic"]')"
echo "# ntp_t3err.py: interleaved T3 error $(t3 'r["interleaved"]')"
check "every answer is marked (receive field odd, transmit field even)" \
	test "$(t3 'r["replies"] > 0 and r["marked"] == r["replies"]')" = True
check "basic T3 is from before the queue, interleaved T3 from after it" \
	test "$(t3 '(r["interleaved"]["n"] >= 8 and r["interleaved"]["p90_us"] < 2000 and
		r["basic"]["n"] >= 1 and r["basic"]["min_us"] > 8000)')" = True

kill "$srv"
wait "$srv"
srv=''
stats=$(grep '^stats ' "$T/srv.out")
echo "# server: $stats"
check "the server's interleaved answers all carried kernel stamps" \
	eval 'eval "${stats#stats }"; [ "$interleaved" -gt 0 ] && [ "$unstamped" = 0 ] &&
	      [ "$tx_stamps" -ge "$interleaved" ]'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done

