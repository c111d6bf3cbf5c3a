#!/bin/bash
# shellcheck disable=SC2317 # trap handler
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of scripts/bench-t3err.sh: one server's rows of the
# transmit-timestamp (T3) benchmark, every row a run of
# selftests/ntp_t3err.py from a against the server in b.
#
#   t3err_guest.sh SERVER COUNT INTERVAL "MODES" "NETEMS"
#
#   a  192.0.2.1  ntp_t3err.py   <--[netem on b-a]--   b  192.0.2.2  SERVER:
#                                                         kntp (master 1) or
#                                                         chronyd (local stratum 1)
#
# Both ends on the guest's one clock: for each answer, the server's T3 is
# compared with the client's kernel receive stamp of the packet that
# carried it (basic), or of the previous answer, whose departure an
# interleaved answer's T3 is (interleaved, RFC 9769). The netem delay
# (ms, no jitter; 0: no qdisc at all) sits on the server's own egress,
# between a T3 written before sending and the driver's transmit stamp.
#
# SERVER is kntp or chronyd; COUNT requests per row, INTERVAL s apart;
# MODES: basic and/or xleave; NETEMS: delays in ms. Results in /results:
# ROW.json (the probe's JSON plus server, mode, netem_ms), ROW.samples
# ("K KIND ERROR_NS DELAY_NS"), server.txt (the server's view at the end),
# with ROW = SERVER-MODE-NETEMms.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

SERVER=${1:?server}
COUNT=${2:?count}
INTERVAL=${3:?interval}
MODES=${4:?modes}
NETEMS=${5:?netem delays}
R=${KNTP_RESULTS:-/results}
PY=/usr/bin/python3
T=$(mktemp -d /tmp/bench-t3.XXXXXX)
CH=$T/chrony

cleanup() {
	chronyd_stop "$CH"
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	rmmod kntp 2>/dev/null
}
trap cleanup EXIT
die() { echo "# $*"; exit 1; }

modprobe sch_netem || die "no sch_netem"
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2 || die "netns"
case $SERVER in
kntp)
	load_module || die "insmod kntp.ko"
	ip netns exec b "$KNTP" master 1 || die "kntp master 1"
	;;
chronyd)
	chronyd_start b "$CH" "local stratum 1" "allow all" "port 123" ||
		die "chronyd did not start"
	;;
*) die "unknown server $SERVER" ;;
esac

for d in $NETEMS; do
	tc -n b qdisc del dev b-a root 2>/dev/null
	if [ "$d" != 0 ]; then
		tc -n b qdisc add dev b-a root netem delay "${d}ms" || die "netem ${d} ms"
	fi
	for m in $MODES; do
		row=$SERVER-$m-${d}ms
		echo "# $row: $COUNT requests, $INTERVAL s apart ($(date -u +%H:%M:%S) UTC)"
		ip netns exec a $PY "$KNTP_TOP/selftests/ntp_t3err.py" 192.0.2.2 "--$m" \
			--count "$COUNT" --interval "$INTERVAL" --timeout 1 --json \
			--samples "$R/$row.samples" >"$T/probe.json" || die "$row: the probe failed"
		$PY -c 'import json, sys
r = json.load(open(sys.argv[1]))
r.update(server=sys.argv[2], netem_ms=float(sys.argv[3]))
print(json.dumps(r))' "$T/probe.json" "$SERVER" "$d" >"$R/$row.json" || die "$row: no JSON"
		echo "# $row: $(cat "$R/$row.json")"
	done
done

case $SERVER in
kntp)
	{ ip netns exec b "$KNTP" show status; ip netns exec b "$KNTP" show counters; } >"$R/server.txt" 2>&1 ;;
chronyd)
	{ chronyc_in "$CH" serverstats; chronyc_in "$CH" -n clients; } >"$R/server.txt" 2>&1
	cp "$CH/chronyd.log" "$R/chronyd.log" 2>/dev/null ;;
esac
sed 's/^/#   /' "$R/server.txt"
complaints=$(kernel_complaints)
[ -z "$complaints" ] || echo "# kernel complaints: $complaints"
exit 0
