# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the kntp shell selftests: TAP output, the module, the
# tool, polling with a deadline. Source it; do not run it.

KNTP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KNTP_KO=$KNTP_TOP/kmod/kntp.ko
KNTP=$KNTP_TOP/userland/kntp
KSFT_SKIP=4

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# check DESC CMD...: one TAP line for whether CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# Print the plan and exit with the kselftest status.
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# Run CMD; succeed if it fails and its stderr contains WORDS. Keeps the
# output in $out_err for further checks.
fails_with() {
	local words=$1
	shift
	if out_err=$("$@" 2>&1 >/dev/null); then
		echo "# unexpectedly succeeded: $*"
		return 1
	fi
	case $out_err in
	*"$words"*) return 0 ;;
	esac
	echo "# '$*' said: $out_err (expected: $words)"
	return 1
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

load_module() {
	lsmod | grep -q '^kntp ' || insmod "$KNTP_KO"
}

# Objects of the module's association cache that are allocated now, or -1
# if that cannot be told. The guests boot with slub_debug=FZPU,kntp_assoc:
# SLUB then tracks every live object's allocation site (alloc_traces, in
# debugfs), poisons freed objects and checks red zones.
live_assocs() {
	local f=/sys/kernel/debug/slab/kntp_assoc/alloc_traces
	[ -d /sys/kernel/debug/slab ] ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -r "$f" ] || { echo "-1"; return; }
	awk '$1 ~ /^[0-9]+$/ { n += $1 } END { print n + 0 }' "$f"
}

# Kernel messages that must never appear: a test that provokes one fails.
kernel_complaints() {
	dmesg | grep -E 'WARNING:|BUG|Oops|Objects remaining|kntp_assoc: Poison|general protection|still has objects'
}
