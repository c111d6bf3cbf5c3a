#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Client accuracy on a real clock against an exact ground truth, for kntp
# and chronyd in turn under identical conditions (make bench).
#
#   scripts/bench-accuracy.sh [--polls "0 4 6"] [--minutes N]
#                             [--daemons "kntp chronyd"] [--modes "basic"]
#
# Each row (mode, poll, daemon) runs in a fresh guest of its own
# (selftests/bench/accuracy_guest.sh): a stratum-1 server in a network
# namespace whose clock is CLOCK_MONOTONIC_RAW-based (ntp_pkt.py clock,
# which nothing disciplining the system clock moves), netem 0.5 ms +-
# 0.1 ms each way on a bridge in between, the system clock started 100 ms ahead and 100 ppm fast
# (tick 10001), then the daemon at minpoll = maxpoll = poll, iburst; the
# system clock's error against the server's clock is sampled every second.
# A fresh guest per row: every row starts from the same kernel state (no
# frequency or tick left by the previous daemon), and a row that fails
# costs that row only.
#
# Figures per row: time to 1 ms (from the daemon's start until |error|
# stays below 1 ms to the end), and after the first 120 s: RMS, max, mean
# (bias), p50 and p90 of |error|; the set-up's own share of the bias
# (selftests/bench/tap.py: packet taps at both ends, the asymmetry of the
# path between the stamping points) and the daemon's (mean less that); per
# mode and poll, kntp/chronyd of RMS and max. Written to build/bench/accuracy.txt and accuracy.json (updated
# after each row); each row's samples and logs under build/bench/rows/.
#
#   --polls P...     polls (log2 s) to run (default "0 4 6")
#   --minutes N      minutes per row (default 6 at polls below 6, else 15)
#   --daemons D...   kntp, chronyd (default both, in that order)
#   --modes M...     basic, interleaved (default basic). Interleaved: xleave
#                    on the daemon's server line; the server answers with
#                    its kernel transmit stamps (RFC 9769).
# Env: BENCH_POLLS, BENCH_MINUTES, BENCH_DAEMONS, BENCH_MODES likewise;
# KNTP_TB_SIZE: the guests' TCG translation cache, MB (default 1024);
# BENCH_FILTERS=1 keeps kntp's clock filters every four polls (at most
# every 60 s) in each kntp row (rows/*/filters.jsonl; it costs those rows
# a process that often); BENCH_FILTERS=acquisition also its associations
# and status every second for the first 100 s or 8 polls (every sample
# of the burst and the first updates, the frequency as it was set).
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

polls=${BENCH_POLLS:-0 4 6}
minutes=${BENCH_MINUTES:-}
daemons=${BENCH_DAEMONS:-kntp chronyd}
modes=${BENCH_MODES:-basic}
usage() { sed -n '4,/^set -eu/{/^set/!p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--polls) polls=$2; shift 2 ;;
	--minutes) minutes=$2; shift 2 ;;
	--daemons) daemons=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
for d in $daemons; do
	case $d in kntp | chronyd) ;; *) echo "bench: unknown daemon $d" >&2; exit 2 ;; esac
done
for m in $modes; do
	case $m in basic | interleaved) ;; *) echo "bench: unknown mode $m" >&2; exit 2 ;; esac
done
for p in $polls; do
	case $p in -[0-9] | [0-9] | 1[0-7]) ;; *) echo "bench: bad poll $p" >&2; exit 2 ;; esac
done
case ${BENCH_FILTERS:-} in
'') filters='' ;;
1) filters=filters ;;
acquisition) filters=acquisition ;;
*) echo "bench: BENCH_FILTERS is 1 or acquisition, not '$BENCH_FILTERS'" >&2; exit 2 ;;
esac
case $minutes in '' | [1-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;;
*) echo "bench: bad --minutes $minutes" >&2; exit 2 ;; esac

row_minutes() {	# row_minutes POLL
	if [ -n "$minutes" ]; then echo "$minutes"
	elif [ "$1" -ge 6 ]; then echo 15
	else echo 6
	fi
}

# A translation cache that does not fill (scripts/vm.sh): one that does is
# flushed, and code that runs seldom then runs cold under TCG, retranslated.
# At poll 4 (a packet every 16 s) with the tests' 64 MB the server's basic
# answers left 5.4 ms after their written time (median; 11 us with 1024
# MB), interleaved delays reached 11 ms (1.7 ms usual), and kntp's
# interleaved row read 338 us RMS (59 us).
export KNTP_TB_SIZE=${KNTP_TB_SIZE:-1024}

OUT=build/bench
ROWS=$OUT/rows
BOOT_S=90	# a guest's boot, setup and teardown under TCG, roughly

echo "### bench: building"
make -s all >/dev/null

total=0
for m in $modes; do
	for p in $polls; do
		for d in $daemons; do
			total=$((total + $(row_minutes "$p") * 60 + BOOT_S))
		done
	done
done
echo "### bench: modes \"$modes\", polls \"$polls\", daemons \"$daemons\";" \
	"expected run time about $((total / 60)) min (one guest at a time)"

rm -rf "$ROWS"
mkdir -p "$ROWS"
notes=()
case " $modes " in *" interleaved "*)
	notes+=("interleaved rows: the server's transmit and receive times are its kernel's stamps; basic rows: its receive time too, its transmit time read before sending plus its measured lag (srv T3)") ;;
esac

# skipped_row D P M STATUS: a row that did not run.
skipped_row() {
	printf '{"daemon": "%s", "poll": %s, "mode": "%s", "status": "%s"}\n' \
		"$1" "$2" "$3" "$4" >"$ROWS/$3-p$2-$1.json"
}

table() {
	python3 selftests/bench/report.py table "$ROWS"/*.json \
		--json $OUT/accuracy.json --txt $OUT/accuracy.txt \
		${notes[@]+"${notes[@]/#/--note=}"}
}

for m in $modes; do
	for p in $polls; do
		for d in $daemons; do
			secs=$(($(row_minutes "$p") * 60))
			name=bench-$m-p$p-$d
			echo "### bench: $d, poll $p, $m, $((secs / 60)) min ($(date -u +%H:%M:%S) UTC)"
			rm -rf "build/vm/$name"
			rc=0
			scripts/vm.sh --name "$name" --quiet \
				--timeout $((secs + 600)) -- \
				selftests/bench/accuracy_guest.sh "$d" "$p" "$secs" "$m" \
				"$filters" \
				2>&1 | sed 's/^/  /' || rc=$?
			res=build/vm/$name/results
			mkdir -p "$ROWS/$m-p$p-$d"
			cp "$res"/* "$ROWS/$m-p$p-$d/" 2>/dev/null || true
			if [ "$rc" = 0 ] && [ -s "$res/row.json" ]; then
				cp "$res/row.json" "$ROWS/$m-p$p-$d.json"
			else
				skipped_row "$d" "$p" "$m" "failed (guest exit $rc)"
			fi
			table >/dev/null
		done
	done
done

echo "### bench: results (also $OUT/accuracy.txt, $OUT/accuracy.json)"
table
