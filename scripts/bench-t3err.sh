#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A server's transmit-timestamp (T3) error, basic against interleaved
# (RFC 9769), for kntp's server and chronyd's (make bench-t3err).
#
#   scripts/bench-t3err.sh [--servers "kntp chronyd"] [--modes "basic xleave"]
#                          [--netem "0 10"] [--count N] [--interval S]
#
# Measured the ntpperf way: client and server in one guest, on its one
# clock (server in network namespace b, client in a, a veth pair between);
# for each answer the server's T3 is compared with the client's kernel
# receive stamp of the packet that carried it (selftests/ntp_t3err.py):
# error = rx_stamp - T3. Basic: T3 is the time the server wrote before
# sending. Interleaved: T3 is the server's transmit stamp of its previous
# answer, paired with the client's receive stamp of that answer. netem on
# the server's egress (its own host, before the driver) puts a fixed queue
# between the two: a basic T3 carries it as error, an interleaved one
# (the driver's stamp) does not.
#
# One fresh guest per server (selftests/bench/t3err_guest.sh) runs that
# server's rows: every netem delay, every mode, COUNT requests INTERVAL s
# apart each. Report: build/bench/t3err.md (markdown table: server x mode
# x netem: requests, answers, interleaved share, samples, median, p90,
# max, mean T3 error and median delay, us) and t3err.json; each row's
# samples and the guests' logs under build/bench/t3err-rows/SERVER/.
#
#   --servers S...   kntp, chronyd (default both)
#   --modes M...     basic, xleave (= interleaved; default both)
#   --netem D...     netem delays on the server's egress, ms (default "0 10";
#                    0: no qdisc)
#   --count N        requests per row (default 600)
#   --interval S     s between requests (default 0.1; above the largest
#                    netem delay, so that the server has its transmit stamp
#                    of an answer before the next request comes)
# Env: BENCH_T3_SERVERS, BENCH_T3_MODES, BENCH_T3_NETEM, BENCH_T3_COUNT,
# BENCH_T3_INTERVAL likewise.
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

servers=${BENCH_T3_SERVERS:-kntp chronyd}
modes=${BENCH_T3_MODES:-basic xleave}
netem=${BENCH_T3_NETEM:-0 10}
count=${BENCH_T3_COUNT:-600}
interval=${BENCH_T3_INTERVAL:-0.1}
usage() { sed -n '4,/^set -eu/{/^set/!p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--servers) servers=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--netem) netem=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	--interval) interval=$2; shift 2 ;;
	*) usage ;;
	esac
done
for s in $servers; do
	case $s in kntp | chronyd) ;; *) echo "bench: unknown server $s" >&2; exit 2 ;; esac
done
m2=
for m in $modes; do
	case $m in basic | xleave) ;; interleaved) m=xleave ;;
	*) echo "bench: unknown mode $m" >&2; exit 2 ;; esac
	m2="$m2 $m"
done
modes=${m2# }
for d in $netem; do
	case $d in [0-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;;
	*) echo "bench: bad netem delay $d (ms, 0..999)" >&2; exit 2 ;; esac
done
case $count in [1-9] | [1-9][0-9]* ) ;; *) echo "bench: bad --count $count" >&2; exit 2 ;; esac
awk -v i="$interval" 'BEGIN { exit !(i + 0 > 0 && i + 0 <= 10) }' ||
	{ echo "bench: bad --interval $interval (s, 0..10)" >&2; exit 2; }

OUT=build/bench
ROWS=$OUT/t3err-rows
BOOT_S=90	# a guest's boot, setup and teardown under TCG, roughly
PROBE_S=5	# Python's start and end per row under TCG, roughly

echo "### bench-t3err: building"
make -s all >/dev/null

n_rows=$(($(wc -w <<<"$modes") * $(wc -w <<<"$netem")))
row_s=$(awk -v c="$count" -v i="$interval" -v p=$PROBE_S 'BEGIN { printf "%d", c * i + p + 1 }')
guest_s=$((n_rows * row_s + BOOT_S))
echo "### bench-t3err: servers \"$servers\", modes \"$modes\", netem \"$netem\" ms," \
	"$count requests $interval s apart per row; expected run time about" \
	"$(($(wc -w <<<"$servers") * guest_s / 60 + 1)) min (one guest at a time)"

rm -rf "$ROWS"
mkdir -p "$ROWS"
skipped() {	# skipped SERVER MODE NETEM STATUS: a row that did not run
	printf '{"server": "%s", "mode": "%s", "netem_ms": %s, "status": "%s"}\n' \
		"$1" "$2" "$3" "$4" >"$ROWS/$1/$1-$2-$3ms.json"
}
kver=$(scripts/kver.sh)
intro=(
	"# Server transmit-timestamp (T3) error: basic vs interleaved (RFC 9769)"
	"$(date -u +%Y-%m-%d) UTC; kntp $(git describe --always --dirty 2>/dev/null || echo '?'), chronyd $(chronyd --version | awk '{ print $4 }'); guest kernel $kver under QEMU TCG; $count requests per row, $interval s apart."
	"Client and server in one guest on its one clock (server in netns b, client in netns a, a veth pair). Error = the client's kernel receive stamp (SO_TIMESTAMPNS) of the packet that carried T3 minus T3: basic, T3 as the server wrote it before sending; interleaved, the server's transmit stamp of its previous answer, paired with the client's receive stamp of that answer. netem (fixed delay, no jitter) on the server's own egress (tc on b-a), before the driver. n: samples of the row's kind of answer (interleaved answers in interleaved rows); interleaved: share of the answers. Delay: (T4 - T1) - (T3 - T2) of the same exchange, T1 as the client wrote it."
)
report() {
	python3 selftests/bench/t3err_report.py "$ROWS"/*/*.json \
		--md $OUT/t3err.md --json $OUT/t3err.json "${intro[@]/#/--intro=}"
}

for s in $servers; do
	name=bench-t3err-$s
	mkdir -p "$ROWS/$s"
	echo "### bench-t3err: $s ($(date -u +%H:%M:%S) UTC)"
	rc=0
	scripts/vm.sh --name "$name" --quiet --timeout $((guest_s * 2 + 300)) -- \
		selftests/bench/t3err_guest.sh "$s" "$count" "$interval" "$modes" "$netem" \
		2>&1 | sed 's/^/  /' || rc=$?
	cp build/vm/"$name"/results/* "$ROWS/$s/" 2>/dev/null || true
	cp build/vm/"$name"/console.log "$ROWS/$s/" 2>/dev/null || true
	cp build/vm/"$name"/script.log "$ROWS/$s/guest.log" 2>/dev/null || true
	for d in $netem; do
		for m in $modes; do
			[ -s "$ROWS/$s/$s-$m-${d}ms.json" ] ||
				skipped "$s" "$m" "$d" "failed (guest exit $rc)"
		done
	done
	report >/dev/null
done

echo "### bench-t3err: results (also $OUT/t3err.md, $OUT/t3err.json)"
report
