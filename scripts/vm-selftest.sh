#!/bin/bash
# shellcheck disable=SC2317 # log() is called through t()
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the guest harness (scripts/vm.sh), TAP on stdout, ~45 s:
#   scripts/vm-selftest.sh
# Checks: the guest environment, exit status propagation, time to script
# start, the deadline (124), a kernel panic (125), two guests pinging each
# other on one private segment (192.0.2.0/24, TEST-NET-1), and that no QEMU
# is left behind. The guest halves are this script with a "guest-*" argument.
set -u

cd "$(dirname "$0")/.." || exit 1
repo=$(pwd)

case ${1-} in
guest-env)	# runs in the guest: print what the host checks, exit 3
	echo "START $(cut -d' ' -f1 /proc/uptime)"
	echo "KVER $(uname -r)"
	echo "ID $(id -u)"
	echo "CWD $(pwd)"
	echo "ENV $KNTP_RESULTS $KNTP_GUEST_NAME"
	touch /etc/kntp-selftest 2>/dev/null && echo "ETC writable"
	touch /tmp/x /var/lib/x /root/x && echo "TMP writable"
	echo written >"$KNTP_RESULTS/file"
	grep -q slub_nomerge /proc/cmdline && echo "CMDLINE ok"
	exit 3 ;;
guest-ping)	# $2 my address, $3 the peer's
	ip link set eth0 up && ip addr add "$2/24" dev eth0 || exit 1
	for _ in $(seq 30); do
		busybox ping -c 1 -W 1 "$3" >/dev/null 2>&1 && { sleep 2; exit 0; }
	done
	exit 1 ;;
esac

n=0 failed=0
t() {	# t DESCRIPTION COMMAND...: one TAP line
	local d=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; failed=1; fi
}
o=build/vm-selftest
mkdir -p "$o"
log() { grep -q "^$1" "$o/env.out"; }

start=$(date +%s%N)
scripts/vm.sh --name st-env -- scripts/vm-selftest.sh guest-env 2>&1 |
	while IFS= read -r l; do
		case $l in START*) echo "$((($(date +%s%N) - start) / 1000000))" >"$o/start-ms" ;; esac
		echo "$l"
	done >"$o/env.out"
rc=${PIPESTATUS[0]}
ms=$(cat "$o/start-ms" 2>/dev/null || echo 99999)
echo "# script started ${ms} ms after vm.sh was called (guest uptime $(sed -n 's/^START //p' "$o/env.out") s)"
t "exit status 3 propagates" [ "$rc" = 3 ]
t "guest kernel is $(scripts/kver.sh)" log "KVER $(scripts/kver.sh)$"
t "script runs as root" log "ID 0$"
t "cwd is the repo" log "CWD $repo$"
t "KNTP_RESULTS and KNTP_GUEST_NAME" log "ENV /results st-env$"
t "host root is read-only" eval '! log "ETC writable"'
t "/tmp /var/lib /root writable" log "TMP writable"
t "results share reaches the host" grep -qx written build/vm/st-env/results/file
t "kernel command line" log "CMDLINE ok"
t "script starts within 10 s" [ "$ms" -lt 10000 ]

s=$SECONDS
scripts/vm.sh --name st-timeout --timeout 15 -- /bin/sleep 1000 >"$o/timeout.out" 2>&1
rc=$?
t "deadline: exit 124 after ~15 s (took $((SECONDS - s)) s)" [ "$rc" = 124 ] && [ $((SECONDS - s)) -lt 25 ]
t "deadline: console tail shown" grep -q 'did not finish within 15s' "$o/timeout.out"

printf 'echo c >/proc/sysrq-trigger\n' >"$o/panic.sh"
scripts/vm.sh --name st-panic --timeout 60 -- /bin/sh "$o/panic.sh" >"$o/panic.out" 2>&1
t "kernel panic: exit 125" [ $? = 125 ]

port=$(scripts/vm.sh --free-port)
scripts/vm.sh --name st-a --net "$port" -- scripts/vm-selftest.sh guest-ping 192.0.2.1 192.0.2.2 >"$o/a.out" 2>&1 &
a=$!
scripts/vm.sh --name st-b --net "$port" -- scripts/vm-selftest.sh guest-ping 192.0.2.2 192.0.2.1 >"$o/b.out" 2>&1
rb=$?
wait "$a"
ra=$?
t "two guests on segment $port ping each other" [ "$ra" = 0 ] && [ "$rb" = 0 ]

t "no QEMU left behind" eval '! pgrep -f "build/vm/st-[a-z]*/console.log" >/dev/null'
echo "1..$n"
exit "$failed"
