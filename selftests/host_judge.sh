#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How `make check` counts (scripts/judge.sh), on made-up test outputs: a
# script must report what it checked, a kernel complaint is a failure.
# Runs on the host, in a second.
set -u
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# counts RC OUTPUT: "pass fail skip" after judging a script that printed
# OUTPUT and exited RC (the judge's own lines are kept out of our TAP).
counts() {
	printf '%b' "$2" >"$tmp/out"
	(
		pass=0 fail=0 skip=0 splats=0
		. "$KNTP_TOP/scripts/judge.sh"
		judge t "$1" "$tmp/out" >/dev/null
		echo "$pass $fail $skip"
	)
}
is() {	# is DESCRIPTION RC OUTPUT EXPECTED
	local got
	got=$(counts "$2" "$3")
	[ "$got" = "$4" ] || echo "# $1: got '$got', expected '$4'"
	check "$1" [ "$got" = "$4" ]
}

is "two ok lines, exit 0: two passes" 0 'ok 1 - a\nok 2 - b\n1..2\n' "2 0 0"
is "exit 0 without any TAP line: a failure" 0 'all fine\n' "0 1 0"
is "exit 0 with an empty output: a failure" 0 '' "0 1 0"
is "not ok and exit 1: one failure, not two" 1 'ok 1 - a\nnot ok 2 - b\n' "1 1 0"
is "exit 1 with only ok lines: the exit counts as a failure" 1 'ok 1 - a\n' "1 1 0"
is "exit 4 without TAP: a skip" 4 '' "0 0 1"
is "an ok line marked SKIP: a skip" 0 'ok 1 - a # SKIP no chronyd\n' "0 0 1"
is "a not-ok line marked TODO: neither a pass nor a failure" 0 'ok 1 - a\nnot ok 2 - b # TODO later\n' "1 0 1"
# need: a script without a program it needs stops before its first test,
# as a skip that names the program.
need_out=$(bash -c ". '$KNTP_TOP/selftests/lib.sh'; need sh kntp-no-such-program; echo 'ok 1 - ran'")
need_rc=$?
is "need, a program missing: exit 4, a skip, no test run" "$need_rc" "$need_out" "0 0 1"
check "  the skip names what is missing" \
	eval '[[ $need_out == *"not installed: kntp-no-such-program"* ]]'
need_out=$(bash -c ". '$KNTP_TOP/selftests/lib.sh'; need sh; echo 'ok 1 - ran'")
is "need, all there: the script goes on" "$?" "$need_out" "1 0 0"
is "killed at the deadline (124): a failure" 124 'ok 1 - a\n' "1 1 0"
is "CRs from a serial console are ignored" 0 'ok 1 - a\r\n' "1 0 0"

kscan_of() {	# kscan_of LOG-LINES: the failures kscan reports
	printf '%b' "$1" >"$tmp/console.log"
	(
		pass=0 fail=0 skip=0 splats=0
		. "$KNTP_TOP/scripts/judge.sh"
		kscan "$tmp/console.log" >/dev/null
		echo "$fail"
	)
}
check "kscan: a KASAN report in the console is a failure" \
	[ "$(kscan_of '[   12.345678] BUG: KASAN: slab-use-after-free in kntp_sock_close\n')" -ge 1 ]
check "kscan: a kmemleak report is a failure" \
	[ "$(kscan_of '[    0.000000] kmemleak: unreferenced object 0xffff888 (size 64):\n')" = 1 ]
check "kscan: a script's own words are not" \
	[ "$(kscan_of 'ok 3 - no WARNING: in dmesg\n')" = 0 ]
tap_done
