#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What one answered request costs the server: kntp, chronyd and NTPsec's
# ntpd one after another in one guest (make bench-server).
#
#   scripts/bench-server.sh [--servers "kntp chronyd ntpd"] [--seconds S]
#                           [--rates "3000 10000 30000"] [--search "..."]
#                           [--generator packet|socket] [--repeat N]
#
# One guest with two vCPUs (selftests/bench/server_guest.sh): the server in
# network namespace b on CPU 0, our load generator (selftests/bench/
# ntpload: from 64 source ports, every answer matched to its request) in a
# on CPU 1, a veth pair between with RPS so that each side pays for its own
# receiving. Server cost: CPU 0's busy time over a run less its idle busy
# time, per answer. The fixed rates are run in rounds, every server in each
# round in turn (the median is reported, and round by round how many times
# cheaper than chronyd), then per server the search rates in turn until
# more than 0.1 % is lost or the generator cannot send at the rate; which
# of the two stopped it is reported.
#
#   --servers S...  kntp, chronyd, ntpd; kntp6, kntp-10k, kntp-rl, kntp-auth
#                   (kntp over IPv6, from 10,000 clients, with rate
#                   limiting, with MD5 MACs); kntp-ingress (kntp answering
#                   at b-a's ingress, "ntp serve ingress b-a");
#                   kntp-napi and kntp-xdp (the
#                   kernel path and an XDP responder under one veth NAPI
#                   set-up: issue 12's XDP question); floor-tc and
#                   floor-udp (no server: the requests dropped as b
#                   receives them, or by a UDP socket that never reads -
#                   what a request costs before any server does anything);
#                   default all of them.
#                   With kntp: also memory per association and rate-limit
#                   record, and the time to add 256 servers. kntp-base:
#                   kntp's module as built from the commit BENCH_SRV_BASE
#                   names (default HEAD~1; the tool is this tree's), for a
#                   change's before and after in one guest;
#                   kntp-ingress-base: the same at b-a's ingress
#   --seconds S     length of a run (default 5)
#   --rates R...    fixed rates, requests/s (default "3000 10000 30000")
#   --search R...   rising rates for the loss-free rate (default "20000
#                   40000 60000 70000 80000 90000 100000 120000 140000
#                   200000")
#   --generator G   packet (default): ntpload writes Ethernet frames on a
#                   packet socket and reads the answers off the link with a
#                   receive ring, never through its own IP and UDP layers,
#                   so that it can outrun the server; socket: UDP sockets
#                   (sendmmsg/recvmmsg), as a client would
#   --repeat N      rounds of the fixed rates, each after its own idle
#                   measurement (default 3; 1..9)
# Env: BENCH_SRV_SERVERS, BENCH_SRV_SECONDS, BENCH_SRV_RATES,
# BENCH_SRV_SEARCH, BENCH_SRV_GEN and BENCH_SRV_REPEAT likewise.
#
# Report: build/bench/server.md (a table, then each server's perf profile
# under load) and server.json (rows and every run); the runs and the
# guest's log under build/bench/server-runs/.
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

servers=${BENCH_SRV_SERVERS:-floor-tc floor-udp kntp kntp-ingress chronyd ntpd kntp6 kntp-10k kntp-rl kntp-auth kntp-napi kntp-xdp}
seconds=${BENCH_SRV_SECONDS:-5}
rates=${BENCH_SRV_RATES:-3000 10000 30000}
search=${BENCH_SRV_SEARCH:-20000 40000 60000 70000 80000 90000 100000 120000 140000 200000}
gen=${BENCH_SRV_GEN:-packet}
repeat=${BENCH_SRV_REPEAT:-3}
usage() { sed -n '4,/^set -eu/{/^set/!p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--servers) servers=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--rates) rates=$2; shift 2 ;;
	--search) search=$2; shift 2 ;;
	--generator) gen=$2; shift 2 ;;
	--repeat) repeat=$2; shift 2 ;;
	*) usage ;;
	esac
done
for s in $servers; do
	case $s in
	kntp | chronyd | ntpd | kntp6 | kntp-10k | kntp-rl | kntp-auth | kntp-napi | kntp-xdp | kntp-ingress | kntp-base | \
	kntp-ingress-base | \
	floor-tc | floor-udp) ;;
	*) echo "bench: unknown server $s" >&2; exit 2 ;;
	esac
done
case $gen in packet | socket) ;; *) echo "bench: bad --generator $gen (packet, socket)" >&2; exit 2 ;; esac
case $seconds in [1-9] | [1-9][0-9]) ;; *) echo "bench: bad --seconds $seconds (1..99)" >&2; exit 2 ;; esac
case $repeat in [1-9]) ;; *) echo "bench: bad --repeat $repeat (1..9)" >&2; exit 2 ;; esac
for r in $rates $search; do
	case $r in [1-9] | [1-9][0-9]*) ;; *) echo "bench: bad rate $r" >&2; exit 2 ;; esac
done

OUT=build/bench
RUNS=$OUT/server-runs
echo "### bench-server: building"
make -s all >/dev/null
make -s -C selftests bench/ntpload >/dev/null
case " $servers " in
*" kntp-napi "* | *" kntp-xdp "*) make -s -C selftests bench-xdp >/dev/null ;;
esac
base=
case " $servers " in
*" kntp-base "* | *" kntp-ingress-base "*)
	base=$(git rev-parse --short "${BENCH_SRV_BASE:-HEAD~1}") ||
		{ echo "bench: BENCH_SRV_BASE: no such commit" >&2; exit 2; }
	wt=$OUT/base-src
	rm -rf "$wt"
	git worktree prune
	git worktree add --detach "$wt" "$base" >/dev/null 2>&1 ||
		{ echo "bench: cannot check out $base" >&2; exit 1; }
	make -s -C "$wt" module >/dev/null 2>&1 &&
		cp "$wt/kmod/kntp.ko" "$OUT/kntp-base.ko" ||
		{ echo "bench: cannot build kntp.ko at $base" >&2; exit 1; }
	git worktree remove --force "$wt"
	echo "### bench-server: kntp-base is kntp.ko at $base" ;;
esac

# Per server: REPEAT rounds of a start, an idle measurement and the fixed
# rates, then a start, the search, a profile; each run SECONDS and about 4 s
# of setting up.
n_runs=$((repeat * ($(wc -w <<<"$rates") + 2) + $(wc -w <<<"$search") + 3))
guest_s=$(($(wc -w <<<"$servers") * n_runs * (seconds + 4) + 120))
echo "### bench-server: servers \"$servers\", $seconds s a run at \"$rates\"/s" \
	"($repeat rounds), then \"$search\"/s until lossy; at most about $((guest_s / 60 + 1)) min"

rm -rf "$RUNS"
mkdir -p "$RUNS"
name=bench-server
rc=0
scripts/vm.sh --name "$name" --quiet --smp 2 --mem 512 --timeout $((guest_s * 2 + 300)) -- \
	selftests/bench/server_guest.sh "$servers" "$seconds" "$rates" "$search" "$gen" "$repeat" \
	2>&1 | sed 's/^/  /' || rc=$?
cp build/vm/"$name"/results/* "$RUNS/" 2>/dev/null || true
cp build/vm/"$name"/console.log "$RUNS/" 2>/dev/null || true
[ "$rc" = 0 ] || echo "### bench-server: the guest exited $rc"

inputs=()
for s in $servers; do
	[ -s "$RUNS/$s.jsonl" ] && inputs+=("$RUNS/$s.jsonl")
done
[ ${#inputs[@]} -gt 0 ] || { echo "### bench-server: no runs"; exit 1; }
kver=$(scripts/kver.sh)
intro=(
	"# Server cost per answered request: kntp, chronyd, NTPsec ntpd"
	"$(date -u +%Y-%m-%d) UTC; kntp $(git describe --always --dirty 2>/dev/null || echo '?')${base:+ (kntp-base: $base)}, chronyd $(chronyd --version | awk '{ print $4 }'); guest kernel $kver under QEMU TCG, 2 vCPUs; $seconds s a run."
	"Server in netns b on vCPU 0, selftests/bench/ntpload in netns a on vCPU 1 (64 source ports; $gen generator: $([ "$gen" = packet ] && echo "frames on a packet socket, the answers sent to a MAC address a-b does not have, read off the link by a receive ring and dropped by a's IP layer on sight" || echo "UDP sockets, sendmmsg/recvmmsg")), a veth pair with RPS (b's receiving on vCPU 0, a's on vCPU 1). us/answer: vCPU 0's busy time during the run less its busy time idle, per answer; busy: the time it was not idle (the tickless kernel's own idle accounting); the median of $repeat rounds (each round runs every server in turn, started afresh, each after its own idle measurement), and in brackets their range; times cheaper per round: chronyd's us/answer over the server's in the same round, the median of the rounds and the least (/proc/stat's tick-based busy fields in server.json only: under TCG they read far lower). Nothing but the server and the kernel's per-CPU work runs on vCPU 0. Loss-free: the highest search rate with at most 0.1 % lost, and vCPU 0's busy share there less its idle share (how near the server was to its own limit); limited by the server (loss) or the generator (could not send at the rate, or had no room for the answers). T3-T2: the server's turnaround from its own timestamps, at the middle fixed rate; generator us/request: its own CPU."
)
echo "### bench-server: results (also $OUT/server.md, $OUT/server.json)"
[ -s "$RUNS/kntp-costs.json" ] && inputs+=(--costs "$RUNS/kntp-costs.json")
python3 selftests/bench/server_report.py "${inputs[@]}" \
	--md $OUT/server.md --json $OUT/server.json "${intro[@]/#/--intro=}"
for s in $servers; do
	[ -s "$RUNS/$s.graph.txt" ] || continue
	printf '\n%s\n\n```\n%s\n```\n' "Where $s's receive softirq on CPU 0 spends its time per request (ftrace function_graph, half a second at the lowest fixed rate; every traced call pays the tracer's hooks, about 1 us under TCG, so read shares between siblings, not absolute figures):" \
		"$(cat "$RUNS/$s.graph.txt")"
done | tee -a $OUT/server.md
for s in $servers; do
	[ -s "$RUNS/$s.profile.txt" ] || continue
	printf '\n%s\n\n```\n%s\n```\n' "Where $s's CPU 0 went under load (perf, cpu-clock, the busy samples). Under TCG perf's samples land mostly in the idle loop: its busy share is far below the time CPU 0 was not idle, so this shows little:" \
		"$(cat "$RUNS/$s.profile.txt")"
done | tee -a $OUT/server.md
