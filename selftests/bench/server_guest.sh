#!/bin/bash
# shellcheck disable=SC2317 # trap handler
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of scripts/bench-server.sh: what one request costs each
# server, kntp, chronyd and NTPsec's ntpd one after another, in one guest
# with two vCPUs.
#
#   server_guest.sh "SERVERS" SECONDS "FIXED RATES" "SEARCH RATES"
#
#   a  192.0.2.1  ntpload on CPU 1  ---veth---  b  192.0.2.2  SERVER on CPU 0
#
# Each side pays for its own receiving: RPS steers b's receive processing
# to CPU 0 and a's to CPU 1; chronyd and ntpd are pinned to CPU 0, the
# load generator (selftests/bench/ntpload) to CPU 1. The server's cost is
# CPU 0's busy time (/proc/stat: all but idle and iowait) over a run, less
# what CPU 0 did over as long a time idle (measured before each server),
# divided by the answers. Each run is SECONDS long: first at each FIXED
# rate, then at each SEARCH rate, rising, until the loss exceeds 0.1 % or
# the generator cannot send at the rate (send_short): the loss-free rate
# is the last rate before.
#
# Then one more run at the middle fixed rate under perf (cpu-clock samples
# of CPU 0, not counted in the figures): where the server's time goes.
#
# Results in /results: SERVER.jsonl, a line per run (ntpload's JSON with
# server, phase, cpu0_busy_us, idle_busy_us, server_us_per_answer),
# SERVER.profile.txt (perf's top symbols on CPU 0) and SERVER.txt, the
# server's own view at the end.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"
need taskset python3

SERVERS=${1:?servers}
SECONDS_RUN=${2:?seconds}
FIXED=${3:?fixed rates}
SEARCH=${4-}
R=${KNTP_RESULTS:-/results}
LOAD=$KNTP_TOP/selftests/bench/ntpload
NTPD=$KNTP_TOP/build/ntpsec/root/usr/sbin/ntpd
T=$(mktemp -d /tmp/bench-srv.XXXXXX)
CH=$T/chrony
ntpd_pid=

stop_servers() {
	chronyd_stop "$CH"
	[ -n "$ntpd_pid" ] && kill "$ntpd_pid" 2>/dev/null && wait "$ntpd_pid" 2>/dev/null
	ntpd_pid=
	rmmod kntp 2>/dev/null
	wait_for 10 eval '[ -z "$(ip netns exec b ss -Hlun sport = :123)" ]'
}
cleanup() {
	stop_servers
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
die() { echo "# $*"; exit 1; }

[ -x "$LOAD" ] || die "$LOAD not built (make -C selftests)"
[ "$(nproc)" -ge 2 ] || die "needs two vCPUs (vm.sh --smp 2)"
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2 || die "netns"
ip netns exec b sh -c 'echo 1 >/sys/class/net/b-a/queues/rx-0/rps_cpus' || die "RPS on b-a"
ip netns exec a sh -c 'echo 2 >/sys/class/net/a-b/queues/rx-0/rps_cpus' || die "RPS on a-b"

# CPU 0's busy time so far, us (USER_HZ ticks of /proc/stat).
cpu0_busy_us() {
	awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu0" {
		b = 0; for (i = 2; i <= NF; i++) if (i != 5 && i != 6) b += $i
		printf "%d\n", b * 1000000 / hz }' /proc/stat
}

start_server() {
	case $1 in
	kntp)
		load_module || return 1
		ip netns exec b "$KNTP" master 1 ;;
	chronyd)
		chronyd_start b "$CH" "local stratum 1" "allow all" "port 123" || return 1
		taskset -pc 0 "$(cat "$CH/chronyd.pid")" >/dev/null ;;
	ntpd)
		[ -x "$NTPD" ] || return 1
		mkdir -p "$T/ntpd"
		# Orphan mode: stratum 5 with no source, the clock never
		# touched; NTPsec's default "limited" would drop most requests.
		cat >"$T/ntpd/ntp.conf" <<-EOF
			unrestrict default limited noquery
			tos orphan 5 orphanwait 1
			disable ntp
			disable kernel
		EOF
		ip netns exec b taskset -c 0 "$NTPD" -n -c "$T/ntpd/ntp.conf" \
			>"$T/ntpd/out" 2>&1 &
		ntpd_pid=$! ;;
	*) return 1 ;;
	esac
}

server_view() {
	case $1 in
	kntp) ip netns exec b "$KNTP" show counters ;;
	chronyd) chronyc_in "$CH" serverstats ;;
	ntpd) cat "$T/ntpd/out" ;;
	esac
}

# Where packets were dropped so far: UDP receive-buffer drops in a (the
# generator's sockets) and in b (a daemon's), and the receive backlogs of
# CPU 0 (b's side) and CPU 1 (a's side), /proc/net/softnet_stat.
drops() {
	local ns
	for ns in a b; do
		ip netns exec "$ns" awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++)
			if ($i == "RcvbufErrors") c = i; h = 1 } else print $c + 0 }' /proc/net/snmp
	done
	head -n 2 /proc/net/softnet_stat | while read -r _ d _; do echo $((16#$d)); done
}

# run SERVER PHASE RATE IDLE_US_PER_S: one run; its line to SERVER.jsonl
# and to stdout; fails when the run lost more than 0.1 % or could not send.
run() {
	local s=$1 phase=$2 rate=$3 idle=$4 b0 b1 d0 d1 out
	d0=$(drops | paste -sd' ')
	b0=$(cpu0_busy_us)
	out=$(ip netns exec a taskset -c 1 "$LOAD" -r "$rate" -t "$SECONDS_RUN" 192.0.2.2) ||
		return 1
	b1=$(cpu0_busy_us)
	d1=$(drops | paste -sd' ')
	python3 -c 'import json, sys
r = json.loads(sys.argv[1])
busy, idle = int(sys.argv[4]), float(sys.argv[5]) * r["seconds"]
d = [int(b) - int(a) for a, b in zip(sys.argv[6].split(), sys.argv[7].split())]
r.update(server=sys.argv[2], phase=sys.argv[3], cpu0_busy_us=busy,
         idle_busy_us=round(idle),
         server_us_per_answer=round((busy - idle) / r["answered"], 2)
         if r["answered"] else None,
         drops=dict(zip(["client_rcvbuf", "server_rcvbuf", "backlog_cpu0",
                         "backlog_cpu1"], d)))
print(json.dumps(r))' "$out" "$s" "$phase" $((b1 - b0)) "$idle" "$d0" "$d1" >>"$R/$s.jsonl" ||
		return 1
	tail -n 1 "$R/$s.jsonl" | python3 -c 'import json, sys
r = json.load(sys.stdin)
print("# %s %s %d/s: sent %d/s, lost %.3f %% (drops %s), server %s us/answer, turnaround p50 %d ns, generator %.1f us/request" % (
    r["server"], r["phase"], r["rate"], r["send_rate"], r["loss_pct"], r["drops"],
    r["server_us_per_answer"], r["turnaround_ns"]["p50"], r["cpu_us_per_request"]))'
	tail -n 1 "$R/$s.jsonl" | python3 -c 'import json, sys
r = json.load(sys.stdin)
sys.exit(0 if r["loss_pct"] <= 0.1 and not r["send_short"] else 1)'
}

# profile SERVER RATE: perf's top symbols on CPU 0 under a run at RATE.
profile() {
	command -v perf >/dev/null || { echo "# no perf: no profile"; return; }
	local load
	ip netns exec a taskset -c 1 "$LOAD" -r "$2" -t "$SECONDS_RUN" 192.0.2.2 >/dev/null &
	load=$!
	perf record -q -e cpu-clock -C 0 -o "$T/perf.data" -- sleep "$SECONDS_RUN" \
		>/dev/null 2>&1
	wait "$load"	# not ntpd, a child too
	# The busy samples only (the idle loop's left out), as shares of them.
	perf report -i "$T/perf.data" --stdio --no-children -n --sort sym 2>/dev/null |
		python3 -c 'import re, sys
idle = re.compile(r"native_safe_halt|default_idle|arch_cpu_idle|cpuidle|do_idle|mwait|acpi_idle|poll_idle")
rows, total = [], 0
for line in sys.stdin:
    m = re.match(r"\s*[\d.]+%\s+(\d+)\s+\[(.)\]\s+(\S+)", line)
    if not m:
        continue
    n = int(m.group(1))
    total += n
    if not idle.search(m.group(3)):
        rows.append((n, m.group(2), m.group(3)))
busy = sum(r[0] for r in rows)
print("%d samples, %d busy (%.1f %%); the top symbols of the busy ones:" % (
    total, busy, 100.0 * busy / total if total else 0))
for n, k, sym in sorted(rows, reverse=True)[:25]:
    print("%6.2f %%  %6d  [%s] %s" % (100.0 * n / busy, n, k, sym))' >"$R/$1.profile.txt"
	echo "# $1: profile at $2/s (perf, CPU 0):"
	head -n 13 "$R/$1.profile.txt" | sed 's/^/#   /'
}

for s in $SERVERS; do
	echo "# --- $s ($(date -u +%H:%M:%S) UTC)"
	: >"$R/$s.jsonl"
	if ! start_server "$s"; then
		echo "# $s did not start"
		stop_servers
		continue
	fi
	if ! wait_for 20 eval '[ "$(ip netns exec a "$LOAD" -r 20 -t 0.5 192.0.2.2 |
			python3 -c "import json, sys; print(json.load(sys.stdin)[\"answered\"])")" -gt 0 ]'; then
		echo "# $s does not answer"
		server_view "$s" | sed 's/^/#   /'
		stop_servers
		continue
	fi
	b0=$(cpu0_busy_us)
	sleep "$SECONDS_RUN"
	b1=$(cpu0_busy_us)
	idle=$(awk -v b=$((b1 - b0)) -v s="$SECONDS_RUN" 'BEGIN { printf "%.0f", b / s }')
	echo "# $s: CPU 0 busy $idle us/s with the server idle"
	for rate in $FIXED; do
		run "$s" fixed "$rate" "$idle"
	done
	for rate in $SEARCH; do
		run "$s" search "$rate" "$idle" || break
	done
	# shellcheck disable=SC2086 # the rates, a word each
	profile "$s" "$(printf '%s\n' $FIXED | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }')"
	server_view "$s" >"$R/$s.txt" 2>&1
	stop_servers
done
complaints=$(kernel_complaints)
[ -z "$complaints" ] || echo "# kernel complaints: $complaints"
exit 0
