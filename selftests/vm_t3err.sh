#!/bin/bash
# shellcheck disable=SC2317 # trap handler; functions called through check
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# A server's transmit timestamp T3, basic against interleaved (RFC 9769),
# measured the ntpperf way (selftests/ntp_t3err.py): client and server
# share the guest's one clock, and T3 of each answer is compared with the
# client's kernel receive stamp of the packet that carried it. Every
# answer waits 10 ms in the server's own host (netem on b's egress, before
# the driver):
#
#   a  192.0.2.1  ntp_t3err.py  <--[10 ms queue]--  b  192.0.2.2  server:
#                                                      chronyd (local stratum 1),
#                                                      then kntp (master 1)
#
# Basic: T3 is written before the answer joins the queue, so its error is
# the 10 ms plus the way to the queue; nothing can make it smaller (no one
# steers the clock: chronyd runs with -x), so every sample is above 8 ms
# unless T3 were taken after the queue. Interleaved: T3 is the server's
# transmit stamp of the previous answer, taken by the driver (veth_xmit,
# after the qdisc), and the client's receive stamp is taken in the same
# call chain (veth hands the packet to netif_rx): microseconds apart. The
# bound, 2 ms, is a fifth of the queue: any T3 from before the queue fails
# it, and it leaves room for the vCPU being put aside by a busy host (p90,
# not max: one such pause in ten samples is tolerated).
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/lib.sh"
need chronyd tc python3

QUEUE_MS=10	# netem on b's egress, ms
COUNT=30	# requests per probe run
T=$(mktemp -d /tmp/kntp-t3err.XXXXXX)
cleanup() {
	chronyd_stop "$T/chrony"
	for ns in a b; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# probe NAME MODE: ntp_t3err.py from a to b, COUNT requests 0.2 s apart,
# its JSON in $T/NAME.json and its figures as a TAP comment.
probe() {
	ip netns exec a /usr/bin/python3 "$KNTP_TOP/selftests/ntp_t3err.py" 192.0.2.2 \
		"--$2" --count "$COUNT" --interval 0.2 --timeout 1 --json >"$T/$1.json" || return 1
	fig "$1" '"%(requests)s requests, %(replies)s replies, %(interleaved_replies)s interleaved, %(bad)s bad, %(marked)s marked" % r' |
		sed "s/^/# $1: /"
	for kind in basic interleaved; do
		fig "$1" '" ".join("%s=%s" % i for i in r[sys.argv[3]].items())' "$kind" |
			sed "s/^/# $1: $kind T3 error and delay (us): /"
	done
}
# fig NAME PYEXPR [ARG]: an expression over the JSON r of probe NAME.
fig() {
	/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$T/$1.json" "$2" "${3-}"
}
# is NAME PYEXPR: that expression over probe NAME's JSON holds.
is() { [ "$(fig "$1" "$2")" = True ]; }

netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2
modprobe -q sch_netem || true
check "b queues what it sends for $QUEUE_MS ms (netem)" \
	tc -n b qdisc add dev b-a root netem delay ${QUEUE_MS}ms

# --- chronyd's server -------------------------------------------------------
check "chronyd (local stratum 1) serves in b" \
	chronyd_start b "$T/chrony" "local stratum 1" "allow all" "port 123"
check "chronyd, basic: the probe ran" probe chronyd-basic basic
check "chronyd, basic: all $COUNT requests answered" \
	is chronyd-basic "r['replies'] == $COUNT"
check "chronyd, basic: every T3 error includes the queue (min > 8 ms)" \
	is chronyd-basic "r['basic']['n'] == r['replies'] > 0 and r['basic']['min_us'] > 8000"
check "chronyd, interleaved: the probe ran" probe chronyd-xleave xleave
# Answers 1 and 2 are basic (chronyd keeps a client's transmit stamps
# once it has seen an interleaved request); two more may fall back.
check "chronyd, interleaved: at least $((COUNT - 4)) of $COUNT answers interleaved" \
	is chronyd-xleave "r['interleaved_replies'] >= $COUNT - 4"
check "chronyd, interleaved: T3 error p90 < 2 ms (the driver's stamp, after the queue)" \
	is chronyd-xleave "r['interleaved']['n'] > 0 and r['interleaved']['p90_us'] < 2000"
chronyd_stop "$T/chrony"
wait_for 10 eval '! ip netns exec b ss -Hlun | grep -q ":123 "' ||
	echo "# chronyd still holds port 123 in b"

# --- kntp's server ----------------------------------------------------------
check "insmod kntp.ko" load_module
check "kntp: master 1 in b" ip netns exec b "$KNTP" master 1
check "kntp, basic: the probe ran" probe kntp-basic basic
check "kntp, basic: all $COUNT requests answered" is kntp-basic "r['replies'] == $COUNT"
check "kntp, basic: every T3 error includes the queue (min > 8 ms)" \
	is kntp-basic "r['basic']['n'] == r['replies'] > 0 and r['basic']['min_us'] > 8000"
check "kntp, interleaved: the probe ran" probe kntp-xleave xleave
check "kntp answers all $COUNT interleaved-form requests (basic or interleaved)" \
	is kntp-xleave "r['replies'] == $COUNT"
# As chronyd: answers 1 and 2 basic (kntp keeps an answer once the
# request is in interleaved form).
check "kntp, interleaved: at least $((COUNT - 4)) of $COUNT answers interleaved" \
	is kntp-xleave "r['interleaved_replies'] >= $COUNT - 4"
check "kntp, interleaved: T3 error p90 < 2 ms (the driver's stamp, after the queue)" \
	is kntp-xleave "r['interleaved']['n'] > 0 and r['interleaved']['p90_us'] < 2000"
check "kntp marks its receive timestamps (RFC 9769 detection bit) in every answer" \
	is kntp-xleave "r['marked'] == r['replies']"
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
