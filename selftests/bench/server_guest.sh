#!/bin/bash
# shellcheck disable=SC2317 # trap handler
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of scripts/bench-server.sh: what one request costs each
# server, kntp, chronyd and NTPsec's ntpd one after another, in one guest
# with two vCPUs.
#
#   server_guest.sh "SERVERS" SECONDS "FIXED RATES" "SEARCH RATES" [GENERATOR [REPEAT]]
#
#   a  192.0.2.1  ntpload on CPU 1  ---veth---  b  192.0.2.2  SERVER on CPU 0
#
# Each side pays for its own receiving: RPS steers b's receive processing
# to CPU 0 and a's to CPU 1; chronyd and ntpd are pinned to CPU 0, the
# load generator (selftests/bench/ntpload) to CPU 1. The server's cost is
# CPU 0's busy time over a run, less what CPU 0 did over as long a time
# idle (measured before each round of the fixed rates), divided by the
# answers. Busy: the time CPU 0 was not idle (the tickless kernel's own
# idle time, measured at every entry to and exit from idle); /proc/stat's
# other fields are reported too ("ticks"), but each of those ticks is
# given whole to what the CPU was doing when it came. Everything else -
# this script, the tools it runs, unbound work queues, the guest's
# interrupts - is kept to CPU 1, so CPU 0 does the server's work and the
# kernel's own per-CPU work only. Each run is SECONDS long: REPEAT rounds
# (3 unless given) of the FIXED rates, each round every server in turn,
# each server after its own idle measurement (under TCG one run can cost
# half as much again as the next: the report takes the median, and the
# ratio to chronyd per round); then per server each SEARCH rate, rising,
# until the loss exceeds 0.1 % or the generator cannot send at the rate
# (send_short): the loss-free rate is the last rate before.
#
# Two rows answer no request: what a request costs CPU 0 before any
# server does anything, per request sent, the floor under every server's
# figure. floor-tc: dropped as b-a receives it (a tc ingress filter): the
# interrupt, waking CPU 0 and the backlog. floor-udp: dropped by a UDP
# socket on port 123 whose buffer is full (a process that never reads):
# that and the whole receive path to the socket, as every server here
# pays it (kntp stops there too, chronyd and ntpd queue it).
#
# GENERATOR: packet (the default) or socket, how ntpload sends and reads.
# socket: UDP sockets, the answers through a's IP and UDP layers; packet:
# Ethernet frames on a packet socket, the answers read off a-b by a
# receive ring. b's neighbour entries for a's addresses are then a MAC
# address a-b does not have, so a's IP layer drops every answer on sight
# (another host's frame) once the ring has it, rather than answering it
# with a port unreachable: the generator's cost per request is less than
# half, so that it can outrun the server. b sees the same requests.
#
# Two more rows answer issue 12's XDP question, both kntp under a NAPI
# set-up of the veth pair (napi_up: an XDP program on each end, threaded
# NAPI, b's thread on CPU 0, a's on CPU 1): kntp-napi, the kernel path
# behind a bare XDP_PASS, and kntp-xdp, the requests answered by an XDP
# responder (xdp_ntp.bpf.c) fed kntp's system variables. On veth an XDP
# program sees a request the generator's socket sent as an skb, which
# veth copies into a page of its own first (too little headroom): both
# rows pay that, a NIC's driver would not.
#
# Then one more run at the middle fixed rate under perf (cpu-clock samples
# of CPU 0, not counted in the figures): where the server's time goes -
# but under TCG perf's samples land mostly in the idle loop; so for kntp,
# kntp-base, kntp-ingress and kntp-ingress-base also half a second of ftrace's function graph
# of CPU 0's receive softirq at the lowest fixed rate (graph(): durations
# per request, the tracer's own cost in them), SERVER.graph.txt.
#
# Results in /results: SERVER.jsonl, a line per run (ntpload's JSON with
# server, phase, cpu0_busy_us, idle_busy_us, server_us_per_answer, and
# the same by ticks: cpu0_busy_ticks_us...),
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
GEN=${5:-packet}
REPEAT=${6:-3}
R=${KNTP_RESULTS:-/results}
LOAD=$KNTP_TOP/selftests/bench/ntpload
NTPD=$KNTP_TOP/build/ntpsec/root/usr/sbin/ntpd
XDPLOAD=$KNTP_TOP/selftests/bench/xdp_load
XDP_NTP=$KNTP_TOP/selftests/bench/xdp_ntp.o
XDP_PASS=$KNTP_TOP/selftests/bench/xdp_pass.o
GRAPH=$KNTP_TOP/selftests/bench/graph.py
T=$(mktemp -d /tmp/bench-srv.XXXXXX)
BPFFS=$T/bpffs
CH=$T/chrony
ntpd_pid=
sink_pid=

stop_servers() {
	napi_down
	ip netns exec b tc qdisc del dev b-a clsact 2>/dev/null
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
	sink_pid=
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
# CPU 0 is the server's: this script and all it starts run on CPU 1 (a
# server is pinned to CPU 0 as it starts), and so do unbound work queues
# and every interrupt that can be moved (the veth pair has none; its
# receiving is RPS's, below).
taskset -pc 1 $$ >/dev/null || die "taskset"
echo 2 >/sys/devices/virtual/workqueue/cpumask 2>/dev/null
for irq in /proc/irq/[0-9]*; do
	echo 2 >"$irq/smp_affinity" 2>/dev/null
done
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2 || die "netns"
ip netns exec b sh -c 'echo 1 >/sys/class/net/b-a/queues/rx-0/rps_cpus' || die "RPS on b-a"
ip netns exec a sh -c 'echo 2 >/sys/class/net/a-b/queues/rx-0/rps_cpus' || die "RPS on a-b"
# The many clients of kntp-10k and kntp-rl: addresses in /64s of their own
# under 2001:db8:8000::/33, routed to a, which takes them all as its own.
CLIENTS=10000
CLIENT_FIRST=2001:db8:8000::1
if ! ip -n a -6 route add local 2001:db8:8000::/33 dev lo ||
	! ip -n b -6 route add 2001:db8:8000::/33 via 2001:db8:1::1; then
	die "client routes"
fi
KEY_ID=1
KEY_SECRET=kntp-bench-key
# The packet generator's frames go to b-a's MAC; b's answers to a MAC
# that is not a-b's (locally administered, unused): by permanent neighbour
# entries, and, for kntp-ingress, which answers to the MAC a request came
# from, by the frames' source MAC.
OTHER_MAC=02:00:00:6b:6e:74
case $GEN in
packet)
	B_MAC=$(ip netns exec b cat /sys/class/net/b-a/address) || die "b-a's MAC"
	for addr in 192.0.2.1 2001:db8:1::1; do
		ip -n b neigh replace "$addr" lladdr "$OTHER_MAC" dev b-a nud permanent ||
			die "b's neighbour entry for $addr"
	done ;;
socket) ;;
*) die "generator $GEN: packet or socket" ;;
esac

# CPU 0's busy time so far, us, two ways: the time it was not idle (the
# monotonic clock less the tickless kernel's idle and iowait time, which it
# measures at every entry to and exit from idle), and the sum of
# /proc/stat's busy fields (user, system, softirq...: whole ticks, each
# given to what the CPU was doing when it came). The clock and the idle
# time are read together in one process: a clock read by one tool and
# /proc/stat by the next (an awk starting up: tens of ms under TCG, CPU 0
# idle meanwhile) put that start-up's variation into the figure. The idle
# time to the ns from /proc/timer_list (/proc/stat's is in whole ticks,
# 10 ms); that misses an idle period still going on, which /proc/stat
# counts: of the two readings, with and without the period, the one
# /proc/stat's agrees with.
cpu0_busy_us() {
	python3 -c 'import os, re, time
now = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
with open("/proc/timer_list") as f:
    tl = f.read()
with open("/proc/stat") as f:
    stat = next(l.split() for l in f if l.startswith("cpu0 "))
hz = os.sysconf("SC_CLK_TCK")
coarse = (int(stat[4]) + int(stat[5])) * 10**9 // hz
cpu = tl[tl.index("\ncpu: 0\n"):]
cpu = cpu[:cpu.find("\ncpu: 1\n")]
def ns(name):
    return int(re.search(r"\.%s\s*: (\d+) nsecs" % name, cpu).group(1))
done = ns("idle_sleeptime") + ns("iowait_sleeptime")
idle = min((done, done + max(0, now - ns("idle_entrytime"))),
           key=lambda v: abs(v - coarse - 10**9 // hz // 2))
ticks = sum(int(v) for i, v in enumerate(stat[1:8], 1) if i not in (4, 5))
print((now - idle) // 1000, ticks * 10**6 // hz)'
}

# The veth pair's NAPI set-up for the XDP rows: an XDP program on each end
# (XDP_PASS on a-b; on b-a the PROGRAM given, the bare XDP_PASS or the
# responder) gives each a NAPI context, which a packet of the other side's
# is queued to; threaded NAPI with each end's thread pinned to its own CPU
# keeps "each side pays for its own receiving" true there too. RPS has no
# say over where a NAPI context runs.
napi_up() {
	mkdir -p "$BPFFS" && mount -t bpf bpf "$BPFFS" || return 1
	ip netns exec a "$XDPLOAD" attach a-b "$XDP_PASS" "$BPFFS/a" &&
		ip netns exec b "$XDPLOAD" attach b-a "$1" "$BPFFS/b" || return 1
	ip netns exec a sh -c 'echo 1 >/sys/class/net/a-b/threaded' &&
		ip netns exec b sh -c 'echo 1 >/sys/class/net/b-a/threaded' || return 1
	napi_pin b-a 0 && napi_pin a-b 1
}
napi_pin() {
	local pid n=0
	for pid in $(pgrep "^napi/$1-"); do
		taskset -pc "$2" "$pid" >/dev/null || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "# no NAPI thread for $1"; return 1; }
}
napi_down() {
	mountpoint -q "$BPFFS" || return 0
	ip netns exec a sh -c 'echo 0 >/sys/class/net/a-b/threaded' 2>/dev/null
	ip netns exec b sh -c 'echo 0 >/sys/class/net/b-a/threaded' 2>/dev/null
	ip netns exec a "$XDPLOAD" detach a-b
	ip netns exec b "$XDPLOAD" detach b-a
	umount "$BPFFS"
}

# What the generator sends to a server: its options and the address.
load_args() {
	local pkt4='' pkt6='' pkt=''
	if [ "$GEN" = packet ]; then
		pkt="-i a-b -m $B_MAC -s $OTHER_MAC"
		pkt4="$pkt -a 192.0.2.1"
		pkt6="$pkt -a 2001:db8:1::1"
	fi
	case $1 in
	kntp6) echo "$pkt6" 2001:db8:1::2 ;;
	kntp-10k | kntp-rl) echo "$pkt" -c "$CLIENTS" -a "$CLIENT_FIRST" 2001:db8:1::2 ;;
	kntp-auth) echo "$pkt4" -k "$KEY_ID:md5:$KEY_SECRET" 192.0.2.2 ;;
	*) echo "$pkt4" 192.0.2.2 ;;
	esac
}

# The system variables kntp serves, to the responder's map.
xdp_vars() {
	ip netns exec b "$KNTP" show status --json | python3 -c 'import json, sys
s = json.load(sys.stdin)
leap = {"none": 0, "add_second": 1, "delete_second": 2, "unsynchronized": 3}
print(leap.get(s["leap"], s["leap"]), s["stratum"], s["precision_log2"],
      s["root_delay_ns"], s["root_disp_ns"], s["refid"], s.get("reftime_unix_ns", 0))' |
		{ read -r -a v && ip netns exec b "$XDPLOAD" vars "$BPFFS/b" "${v[@]}"; }
}

start_server() {
	case $1 in
	kntp)
		load_module || return 1
		ip netns exec b "$KNTP" master 1 ;;
	kntp-base)
		# scripts/bench-server.sh built it from BENCH_SRV_BASE.
		KNTP_KO=$KNTP_TOP/build/bench/kntp-base.ko start_server kntp ;;
	kntp-napi)
		start_server kntp && napi_up "$XDP_PASS" ;;
	kntp6 | kntp-10k)
		start_server kntp ;;
	kntp-ingress)
		start_server kntp && ip netns exec b "$KNTP" serve ingress b-a ;;
	kntp-ingress-base)
		KNTP_KO=$KNTP_TOP/build/bench/kntp-base.ko start_server kntp-ingress ;;
	kntp-rl)
		# On, with limits no client reaches: the bookkeeping's cost.
		start_server kntp &&
			ip netns exec b "$KNTP" ratelimit interval -19 burst 255 table-size 16384 ;;
	kntp-auth)
		start_server kntp &&
			ip netns exec b "$KNTP" authentication-key "$KEY_ID" md5 "$KEY_SECRET" &&
			ip netns exec b "$KNTP" trusted-key "$KEY_ID" ;;
	kntp-xdp)
		start_server kntp && napi_up "$XDP_NTP" || return 1
		# The responder answers once it has variables to serve.
		wait_for 20 eval 'ip netns exec b "$KNTP" show status --json |
			python3 -c "import json, sys; sys.exit(json.load(sys.stdin)[\"stratum\"] >= 16)"' ||
			return 1
		xdp_vars || return 1
		# Its answers, not the kernel's behind it.
		# shellcheck disable=SC2046 # the generator's arguments, a word each
		ip netns exec a "$LOAD" -r 20 -t 0.5 $(load_args kntp-xdp) >/dev/null
		ip netns exec b "$XDPLOAD" counts "$BPFFS/b" |
			python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["answered"] < 5)' ||
			{ echo "# the XDP responder answered nothing"; return 1; } ;;
	floor-tc)
		ip netns exec b tc qdisc add dev b-a clsact &&
			ip netns exec b tc filter add dev b-a ingress matchall action drop ;;
	floor-udp)
		# The smallest buffer there is (SOCK_MIN_RCVBUF): full at once.
		ip netns exec b taskset -c 0 python3 -c 'import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind(("192.0.2.2", 123))
signal.pause()' &
		sink_pid=$!
		wait_for 10 eval '[ -n "$(ip netns exec b ss -Hlun sport = :123)" ]' ;;
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
	kntp-xdp)
		echo "XDP responder: $(ip netns exec b "$XDPLOAD" counts "$BPFFS/b")"
		ip netns exec b "$KNTP" show counters ;;
	kntp*) ip netns exec b "$KNTP" show counters ;;
	chronyd) chronyc_in "$CH" serverstats ;;
	ntpd) cat "$T/ntpd/out" ;;
	esac
}

# Where packets were dropped so far: UDP receive-buffer drops (IPv4 and
# IPv6) in a (the generator's sockets) and in b (a daemon's), and the
# receive backlogs of CPU 0 (b's side) and CPU 1 (a's side),
# /proc/net/softnet_stat.
drops() {
	local ns
	for ns in a b; do
		# UDP over IPv4 and IPv6 together (snmp6 has lines of its own).
		ip netns exec "$ns" awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++)
			if ($i == "RcvbufErrors") c = i; h = 1 } else n += $c }
			$1 == "Udp6RcvbufErrors" { n += $2 } END { print n + 0 }' \
			/proc/net/snmp /proc/net/snmp6
	done
	head -n 2 /proc/net/softnet_stat | while read -r _ d _; do echo $((16#$d)); done
}

# The IPIs CPU 0 and CPU 1 have taken so far (function calls - RPS hands
# the other CPU its packets with one - and reschedules): CPU 0's wake it
# for the requests, CPU 1's are the answers' way to the generator's CPU,
# which the server's CPU pays to send.
ipis() {
	awk '$1 == "CAL:" || $1 == "RES:" { c0 += $2; c1 += $3 } END { print c0, c1 }' /proc/interrupts
}

# run SERVER PHASE RATE IDLE_US_PER_S [ROUND]: one run; its line to
# SERVER.jsonl and to stdout; fails when the run lost more than 0.1 % or
# could not send.
run() {
	local s=$1 phase=$2 rate=$3 idle=$4 round=${5:-0} b0 b1 d0 d1 out
	d0="$(drops | paste -sd' ') $(ipis)"
	b0=$(cpu0_busy_us)	# two figures: not idle, ticks
	# shellcheck disable=SC2046 # the generator's arguments, a word each
	out=$(ip netns exec a taskset -c 1 "$LOAD" -r "$rate" -t "$SECONDS_RUN" $(load_args "$s")) ||
		return 1
	b1=$(cpu0_busy_us)
	d1="$(drops | paste -sd' ') $(ipis)"
	python3 -c 'import json, sys
r = json.loads(sys.argv[1])
b0, b1, idle = (list(map(float, a.split())) for a in sys.argv[4:7])
busy = [y - x for x, y in zip(b0, b1)]
idle = [i * r["seconds"] for i in idle]
d = [int(b) - int(a) for a, b in zip(sys.argv[7].split(), sys.argv[8].split())]
per = [round((b - i) / r["answered"], 2) if r["answered"] else None
       for b, i in zip(busy, idle)]
r.update(server=sys.argv[2], phase=sys.argv[3], round=int(sys.argv[9]), cpu0_busy_us=round(busy[0]),
         idle_busy_us=round(idle[0]), server_us_per_answer=per[0],
         server_us_per_request=round((busy[0] - idle[0]) / r["sent"], 2) if r["sent"] else None,
         cpu0_busy_ticks_us=round(busy[1]), idle_busy_ticks_us=round(idle[1]),
         server_us_per_answer_ticks=per[1],
         drops=dict(zip(["client_rcvbuf", "server_rcvbuf", "backlog_cpu0",
                         "backlog_cpu1"], d)),
         ipis_per_request=dict(zip(["cpu0", "cpu1"], (round(n / r["sent"], 2) if r["sent"]
                                                      else None for n in d[4:]))))
print(json.dumps(r))' "$out" "$s" "$phase" "$b0" "$b1" "$idle" "$d0" "$d1" "$round" >>"$R/$s.jsonl" ||
		return 1
	tail -n 1 "$R/$s.jsonl" | python3 -c 'import json, sys
r = json.load(sys.stdin)
print("# %s %s %d/s: sent %d/s, lost %.3f %% (drops %s, ring %d), server %s us/answer, %s us/request (by ticks %s), turnaround p50 %d ns, generator %.1f us/request" % (
    r["server"], r["phase"], r["rate"], r["send_rate"], r["loss_pct"], r["drops"], r["ring_drops"],
    r["server_us_per_answer"], r["server_us_per_request"], r["server_us_per_answer_ticks"],
    r["turnaround_ns"]["p50"], r["cpu_us_per_request"]))'
	tail -n 1 "$R/$s.jsonl" | python3 -c 'import json, sys
r = json.load(sys.stdin)
sys.exit(0 if r["loss_pct"] <= 0.1 and not r["send_short"] else 1)'
}

# profile SERVER RATE: perf's top symbols on CPU 0 under a run at RATE.
profile() {
	command -v perf >/dev/null || { echo "# no perf: no profile"; return; }
	local load
	# shellcheck disable=SC2046 # the generator's arguments, a word each
	ip netns exec a taskset -c 1 "$LOAD" -r "$2" -t "$SECONDS_RUN" $(load_args "$1") >/dev/null &
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

# graph SERVER RATE: where CPU 0's receive softirq spends its time per
# request under a run at RATE, from ftrace's function_graph (durations,
# not samples: under TCG perf's samples land in the idle loop). Half a
# second of it, from net_rx_action down, folded by selftests/bench/graph.py.
graph() {
	local t=/sys/kernel/tracing load per=kntp_proto_rcv out=udp_tunnel_xmit_skb
	# At ingress the hook hands the request to kntp_proto_rcv_l2() and the
	# answer leaves by dev_queue_xmit() (__dev_queue_xmit(), as traced).
	case $1 in kntp-ingress*) per=kntp_proto_rcv_l2 out=__dev_queue_xmit ;; esac
	mountpoint -q "$t" || mount -t tracefs nodev "$t" 2>/dev/null ||
		{ echo "# no tracefs: no function graph"; return; }
	echo 0 >"$t/tracing_on"
	echo function_graph >"$t/current_tracer" 2>/dev/null ||
		{ echo "# no function_graph tracer"; return; }
	echo net_rx_action >"$t/set_graph_function"
	echo 1 >"$t/tracing_cpumask"
	echo 24 >"$t/max_graph_depth"
	echo 60000 >"$t/buffer_size_kb"
	echo >"$t/trace"
	# shellcheck disable=SC2046 # the generator's arguments, a word each
	ip netns exec a taskset -c 1 "$LOAD" -r "$2" -t 2 $(load_args "$1") >/dev/null &
	load=$!
	sleep 0.7
	echo 1 >"$t/tracing_on"
	sleep 0.5
	echo 0 >"$t/tracing_on"
	wait "$load"
	cat "$t/trace" >"$T/graph.txt"
	echo nop >"$t/current_tracer"
	echo 1408 >"$t/buffer_size_kb"
	{
		echo "The receive softirq down to kntp (us per request, inclusive; calls per request):"
		python3 "$GRAPH" "$T/graph.txt" --per "$per" --depth 17 --top 1
		echo
		echo "kntp's part:"
		python3 "$GRAPH" "$T/graph.txt" --per "$per" --root "$per" --depth 6 --top 5 |
			tail -n +2
		echo
		echo "The answer's way out:"
		python3 "$GRAPH" "$T/graph.txt" --per "$per" --root "$out" --depth 7 --top 3 |
			tail -n +2
	} >"$R/$1.graph.txt" 2>&1
	rm -f "$T/graph.txt"
	echo "# $1: function graph at $2/s:"
	sed 's/^/#   /' "$R/$1.graph.txt" | head -n 80
}

# up SERVER: start it and wait until it answers; stopped again if not.
up() {
	local srv=$1	# the eval below runs in wait_for, whose $1 is not ours
	if ! start_server "$srv"; then
		echo "# $srv did not start"
		stop_servers
		return 1
	fi
	case $srv in floor-*) return 0 ;; esac
	if ! wait_for 20 eval '[ "$(ip netns exec a "$LOAD" -r 20 -t 0.5 $(load_args "$srv") |
			python3 -c "import json, sys; print(json.load(sys.stdin)[\"answered\"])")" -gt 0 ]'; then
		echo "# $srv does not answer"
		server_view "$srv" | sed 's/^/#   /'
		stop_servers
		return 1
	fi
}

# The fixed rates in rounds, and every server in each round in turn
# (started afresh for it), so that the host's slow changes under TCG - a
# round can cost half as much again as the next - fall alike on all of them
# and a server's round compares with chronyd's of the same round. Each
# round after its own idle measurement. A server that does not come up is
# left out of the later rounds.
declare -A idle_of
live=
for s in $SERVERS; do
	: >"$R/$s.jsonl"
done
for round in $(seq "$REPEAT"); do
	next=
	for s in ${live:-$SERVERS}; do
		echo "# --- $s, round $round ($(date -u +%H:%M:%S) UTC)"
		up "$s" || continue
		next="$next $s"
		b0=$(cpu0_busy_us)
		sleep "$SECONDS_RUN"
		b1=$(cpu0_busy_us)
		# Per second, both ways.
		idle_of[$s]=$(echo "$b0 $b1" | awk -v s="$SECONDS_RUN" '{ printf "%.0f %.0f", ($3 - $1) / s, ($4 - $2) / s }')
		echo "# $s: CPU 0 busy ${idle_of[$s]} us/s with the server idle (not idle, ticks), round $round"
		for rate in $FIXED; do
			run "$s" fixed "$rate" "${idle_of[$s]}" "$round"
		done
		stop_servers
	done
	live=$next
	[ -n "$live" ] || break
done
# Then each server once more: the search for its loss-free rate (against
# its last idle measurement), a profile, a function graph.
for s in $live; do
	case $s in floor-*) continue ;; esac
	echo "# --- $s, search ($(date -u +%H:%M:%S) UTC)"
	up "$s" || continue
	for rate in $SEARCH; do
		run "$s" search "$rate" "${idle_of[$s]}" || break
	done
	# shellcheck disable=SC2086 # the rates, a word each
	profile "$s" "$(printf '%s\n' $FIXED | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }')"
	# shellcheck disable=SC2086 # the rates, a word each
	case $s in kntp | kntp-base | kntp-ingress*) graph "$s" "$(printf '%s\n' $FIXED | sort -n | head -n 1)" ;; esac
	server_view "$s" >"$R/$s.txt" 2>&1
	stop_servers
done
# Kernel memory now, kB: slab, vmalloc, per-CPU, stacks, page tables.
kmem_kb() {
	awk '$1 ~ /^(Slab|VmallocUsed|Percpu|KernelStack|PageTables):$/ { s += $2 }
		END { print s }' /proc/meminfo
}
ns_now() { date +%s%N; }

# What associations and rate-limit records cost kntp: memory and the time
# to add 256 servers, one command each and in one "kntp apply". Written to
# kntp-costs.json.
assoc_costs() {
	local n=256 i m0 m1 m2 m3 t0 t1 t2 t3 t4 got conf=$T/256.conf
	load_module && ip netns exec b "$KNTP" master 1 || return 1
	{
		echo "ntp master 1"
		for i in $(seq 1 $n); do printf 'ntp server 2001:db8:3::%x\n' "$i"; done
	} >"$conf"
	sleep 1
	m0=$(kmem_kb)
	t0=$(ns_now)
	ip netns exec b sh -c "for i in \$(seq 1 $n); do
		\"$KNTP\" server \$(printf 2001:db8:3::%x \$i) || exit 1; done" || return 1
	t1=$(ns_now)
	sleep 1
	m1=$(kmem_kb)
	got=$(ip netns exec b "$KNTP" show status --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["associations"])')
	ip netns exec b sh -c "for i in \$(seq 1 $n); do
		\"$KNTP\" no server \$(printf 2001:db8:3::%x \$i) || exit 1; done" || return 1
	t2=$(ns_now)
	ip netns exec b "$KNTP" apply "$conf" >/dev/null || return 1
	t3=$(ns_now)
	ip netns exec b "$KNTP" apply /dev/null >/dev/null 2>&1 ||
		rmmod kntp
	load_module && ip netns exec b "$KNTP" master 1 || return 1
	sleep 1
	m2=$(kmem_kb)
	ip netns exec b "$KNTP" ratelimit table-size 1048576 || return 1
	sleep 1
	m3=$(kmem_kb)
	t4=$(cat /sys/kernel/slab/kntp_assoc/object_size 2>/dev/null || echo null)
	python3 -c 'import json, sys
a = [int(x) if x != "null" else None for x in sys.argv[1:]]
n, got, m0, m1, m2, m3, t0, t1, t2, t3, obj = a
print(json.dumps({
    "associations": n, "associations_seen": got,
    "kmem_per_association_bytes": round((m1 - m0) * 1024 / n),
    "add_one_command_each_ms": round((t1 - t0) / 1e6, 1),
    "delete_one_command_each_ms": round((t2 - t1) / 1e6, 1),
    "add_one_apply_ms": round((t3 - t2) / 1e6, 1),
    "assoc_object_bytes": obj,
    "ratelimit_records": 1048576,
    "kmem_per_ratelimit_record_bytes": round((m3 - m2) * 1024 / 1048576, 1)}))' \
		"$n" "$got" "$m0" "$m1" "$m2" "$m3" "$t0" "$t1" "$t2" "$t3" "$t4" \
		>"$R/kntp-costs.json" || return 1
	echo "# kntp costs: $(cat "$R/kntp-costs.json")"
	stop_servers
}
case " $SERVERS " in
*" kntp "*) assoc_costs || { echo "# kntp costs: failed"; stop_servers; } ;;
esac

complaints=$(kernel_complaints)
[ -z "$complaints" ] || echo "# kernel complaints: $complaints"
exit 0
