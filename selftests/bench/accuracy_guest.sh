#!/bin/bash
# shellcheck disable=SC2317 # trap handler
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of scripts/bench-accuracy.sh: one row of the accuracy
# benchmark, on the guest's real clock.
#
#   accuracy_guest.sh DAEMON POLL SECONDS [MODE] [filters|acquisition]
#
#   s     192.0.2.1  ntp_pkt.py clock (stratum 1, a clock of its own on
#      |             CLOCK_MONOTONIC_RAW)
#   r     a bridge, netem 0.5 ms +- 0.1 ms on each port's egress
#      |             (towards s, towards init)
#   init  192.0.2.2  DAEMON (kntp or chronyd), disciplining the system clock
#
# The delay is on the link, in r: netem on an endpoint's own interface
# would come before that endpoint's driver-level transmit timestamp
# (chronyd's SO_TIMESTAMPING software stamp is taken in veth_xmit, after
# the qdisc) and after a stamp taken earlier (kntp's), so the two daemons
# would see different path asymmetries (chronyd about -d/2).
# The bridge hands packets on with their socket (veth and the bridge keep
# it, all in one kernel): every veth_xmit on the way stamps a packet for
# its sender again, the bridge port's after netem. kntp and chronyd take
# the last stamp as their transmit time (T1, in both modes; ntp_pkt.py
# clock its first as T3), so a daemon's own netem leg would vanish from
# its measurement, the server's not: an asymmetry of about d (offset
# -d/2; -0.3 ms in interleaved rows, both daemons). br_netfilter
# drops the socket where a packet enters the bridge: one stamp a packet,
# taken in the sender's namespace, as if r were a box of its own.
#
# The system clock is set 100 ms ahead of the server's clock and made
# 100 ppm fast (tick 10001); then DAEMON starts (minpoll = maxpoll = POLL,
# iburst) and truth.py samples the system clock's error against the
# server's clock every second for SECONDS. Results in /results:
# samples.txt (T ERROR_NS), row.json (report.py row), daemon.log (the
# daemon's own view every 60 s), filters.jsonl (kntp, with "filters":
# its associations with their clock filters every four polls, at most
# every 60 s; with "acquisition" also every second, and its status, for
# the first 100 s or 8 polls), status.txt, server.txt (the server's
# output, its counts of answers last). MODE is basic (default) or
# interleaved (xleave on the daemon's server line; the server answers
# interleaved with its kernel transmit stamps, put on its clock);
# path.json (tap.py path: the delays between the two ends' stamping
# points, and the error their asymmetry alone leaves), tap-client.txt and
# tap-server.txt (the taps' records).
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

DAEMON=${1:?daemon}
POLL=${2:?poll}
SECS=${3:?seconds}
MODE=${4:-basic}
FILTERS=${5:-}
case $FILTERS in '' | filters | acquisition) ;; *) echo "unknown log $FILTERS" >&2; exit 2 ;; esac
R=${KNTP_RESULTS:-/results}
PY=/usr/bin/python3
B=$KNTP_TOP/selftests/bench
SERVER=192.0.2.1
DELAY=0.5ms JITTER=0.1ms	# netem, each way
AHEAD=0.1			# s: the clock starts this far ahead
SKIP=120			# s: the figures leave out the start

case $MODE in
basic) xleave= ;;
interleaved) xleave=xleave ;;
*) echo "unknown mode $MODE" >&2; exit 2 ;;
esac

T=$(mktemp -d /tmp/bench.XXXXXX)
CH=$T/chrony
srv='' smp='' logger='' filters='' taps=''
cleanup() {
	local p
	for p in $filters $logger $smp $srv $taps; do kill "$p" 2>/dev/null; done
	chronyd_stop "$CH"
	rmmod kntp 2>/dev/null
	busybox adjtimex -t 10000 >/dev/null
	ip netns del s 2>/dev/null
	ip netns del r 2>/dev/null
}
trap cleanup EXIT
die() { echo "# $*"; exit 1; }

# chronyd_owning DIR CONFIG-LINES...: chronyd_start (lib.sh) in this
# namespace, setting the system clock.
chronyd_owning() { CHRONYD_OWNS_CLOCK=1 chronyd_start "" "$@"; }

# daemon_view: one line of what the daemon thinks (its offset, frequency).
daemon_view() {
	case $DAEMON in
	kntp) "$KNTP" -j show status | $PY -c 'import json, sys
s = json.load(sys.stdin)
print("offset_ns=%s jitter_ns=%s frequency_ppb=%s synchronized=%s" % (s.get("offset_ns"),
      s.get("jitter_ns"), s.get("frequency_ppb"), s.get("synchronized")))' ;;
	chronyd) chronyc_in "$CH" -c tracking | awk -F, '{
		printf "system_time_s=%s last_offset_s=%s rms_offset_s=%s frequency_ppm=%s skew_ppm=%s\n",
			$5, $6, $7, $8, $10 }' ;;
	esac
}

# --- the link and the server -------------------------------------------
modprobe sch_netem || die "no sch_netem"
modprobe -q bridge || true	# built in on the debug kernel
modprobe br_netfilter || die "no br_netfilter (see above: one stamp a packet)"
ip netns add s
ip netns add r
ip link add k-r type veth peer name r-k netns r
ip -n s link add s-r type veth peer name r-s netns r
ip -n r link add br0 type bridge
ip netns exec r sysctl -qw net.bridge.bridge-nf-call-iptables=1 \
	net.bridge.bridge-nf-call-ip6tables=1 || die "bridge-nf-call-iptables"
ip -n r link set r-k master br0
ip -n r link set r-s master br0
ip addr add 192.0.2.2/24 dev k-r
ip -n s addr add $SERVER/24 dev s-r
for l in br0 r-k r-s; do ip -n r link set $l up; done
ip link set k-r up
ip -n s link set lo up
ip -n s link set s-r up
for l in r-k r-s; do
	ip netns exec r tc qdisc add dev $l root netem delay $DELAY $JITTER ||
		die "netem ($l)"
done

# The path's own asymmetry between the two ends' stamping points, from a
# tap at each end (tap.py): what a daemon measuring exactly would settle at.
$PY "$B/tap.py" record k-r "$T/tap-k" &
taps=$!
ip netns exec s $PY "$B/tap.py" record s-r "$T/tap-s" &
taps="$taps $!"

ip netns exec s $PY "$KNTP_TOP/selftests/ntp_pkt.py" clock $SERVER \
	--seconds $((SECS + 600)) --base-file "$T/base" --basic-lead \
	>"$T/srv.out" 2>&1 &
srv=$!
wait_for 30 grep -q ready "$T/srv.out" || die "the server did not start: $(cat "$T/srv.out")"
echo "# ping through netem: $(ip netns exec s busybox ping -c 3 -i 0.3 -q 192.0.2.2 | tail -1)"

# --- the clock: 100 ms ahead, 100 ppm fast ------------------------------
$PY "$B/truth.py" set "$T/base" $AHEAD || die "cannot set the clock"
busybox adjtimex -t 10001 >/dev/null || die "cannot set the tick"
echo "# clock set: error $($PY "$B/truth.py" now "$T/base") s, tick $(busybox adjtimex | awk '$2 == "tick:" { print $3 }')"

# --- the daemon, and the sampler ----------------------------------------
$PY "$B/truth.py" sample "$T/base" "$R/samples.txt" --seconds "$SECS" &
smp=$!
# The first sample before the daemon: time 0 is at most a second before
# its start (Python takes a while to start under TCG).
wait_for 30 test -s "$R/samples.txt" || die "the sampler did not start"
case $DAEMON in
kntp)
	load_module || die "insmod kntp.ko"
	# shellcheck disable=SC2086 # $xleave: nothing or one word
	"$KNTP" server $SERVER minpoll "$POLL" maxpoll "$POLL" iburst $xleave ||
		die "kntp server"
	"$KNTP" show status | grep -q '^clock is system (owned)' ||
		die "kntp does not own the system clock: $("$KNTP" show status)"
	# "filters": every sample kntp took (its clock filter holds
	# the last eight, with their ages), for a look at the noise it was
	# given: every four polls (each sample is seen twice), at most every
	# 60 s. Off by default: a process that chronyd's rows do not have
	# (under TCG, every 4 s at poll 4, kntp's and the server's sends
	# then took milliseconds, not tens of microseconds).
	# "acquisition": every second at first, with the status (the
	# frequency set), for a look at the burst and the first updates.
	if [ -n "$FILTERS" ]; then
		every=$((POLL < 0 ? 1 : 4 << (POLL < 4 ? POLL : 4)))
		[ $every -le 60 ] || every=60
		acq=0
		if [ "$FILTERS" = acquisition ]; then
			acq=$((POLL > 0 ? 8 << POLL : 8))
			[ $acq -ge 100 ] || acq=100
		fi
		t0=$SECONDS
		while sleep $((SECONDS - t0 < acq ? 1 : every)); do
			echo "# $(date +%s.%N)"
			"$KNTP" -j show associations
			[ $((SECONDS - t0)) -gt $acq ] || "$KNTP" -j show status
		done >"$R/filters.jsonl" 2>&1 &
		filters=$!
	fi
	;;
chronyd)
	chronyd_owning "$CH" \
		"server $SERVER iburst minpoll $POLL maxpoll $POLL${xleave:+ xleave}" \
		"makestep 0.128 1" || die "chronyd did not start"
	;;
*) die "unknown daemon $DAEMON" ;;
esac
echo "# $DAEMON started, poll $POLL, $MODE; sampling for $SECS s"
(
	t=0
	while sleep 60; do
		t=$((t + 60))
		echo "t=$t truth_error_s=$($PY "$B/truth.py" now "$T/base") $(daemon_view)"
	done
) >"$R/daemon.log" 2>&1 &
logger=$!
wait $smp
smp=''
kill $logger $filters 2>/dev/null
logger='' filters=''

# --- the end: what the daemon says, then the figures --------------------
case $DAEMON in
kntp)
	{ "$KNTP" show status; "$KNTP" show associations; "$KNTP" show counters
	  "$KNTP" show counters $SERVER; } >"$R/status.txt" 2>&1
	rmmod kntp || echo "# rmmod kntp failed"
	;;
chronyd)
	{ chronyc_in "$CH" tracking; chronyc_in "$CH" sourcestats; chronyc_in "$CH" -n sources
	  chronyc_in "$CH" ntpdata $SERVER; } >"$R/status.txt" 2>&1
	chronyd_stop "$CH"
	cp "$CH/chronyd.log" "$R/chronyd.log" 2>/dev/null
	;;
esac
busybox adjtimex -t 10000 >/dev/null
kill "$srv"	# it prints its counts on SIGTERM
wait "$srv"
srv=''
cp "$T/srv.out" "$R/server.txt"
stats=$(sed -n 's/^stats //p' "$T/srv.out")
# shellcheck disable=SC2086 # two pids
kill $taps
taps=''
cp "$T/tap-k" "$R/tap-client.txt"
cp "$T/tap-s" "$R/tap-server.txt"
$PY "$B/tap.py" path "$T/tap-k" "$T/tap-s" --skip $SKIP >"$R/path.json" ||
	echo "# tap.py path failed"
echo "# path: $(cat "$R/path.json")"
sed 's/^/#   /' "$R/status.txt"
tail -n 3 "$R/daemon.log" | sed 's/^/# view: /'
echo "# server: $stats"
$PY "$B/report.py" row "$R/samples.txt" --daemon "$DAEMON" --poll "$POLL" \
	--mode "$MODE" --skip $SKIP --server-stats "$stats" --path "$R/path.json" >"$R/row.json" ||
	die "report.py row"
echo "# row: $(cat "$R/row.json")"
complaints=$(kernel_complaints)
[ -z "$complaints" ] || echo "# kernel complaints: $complaints"
exit 0
