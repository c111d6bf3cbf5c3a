# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# How scripts/check.sh counts: TAP lines, exit statuses, kernel trouble in
# console logs. Sourced; the caller owns the counters pass, fail, skip and
# splats (all start at 0).

ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }
skipped() { echo "ok - $1 # SKIP $2"; skip=$((skip + 1)); }

# Count the TAP lines of FILE and judge the exit status RC of script NAME.
judge() {
	local name=$1 rc=$2 text p s f t
	text=$(tr -d '\r' <"$3")
	p=$(grep -cE '^ok\b' <<<"$text")
	s=$(grep -ciE '^ok\b.*#[[:space:]]*skip' <<<"$text")
	f=$(grep -cE '^not ok\b' <<<"$text")
	t=$(grep -ciE '^not ok\b.*#[[:space:]]*todo' <<<"$text")
	pass=$((pass + p - s)) skip=$((skip + s + t)) fail=$((fail + f - t))
	if [ "$rc" = 124 ]; then
		not_ok "$name: killed at its deadline"
	elif [ "$rc" = 4 ] && [ "$f" = 0 ]; then
		[ $((p + f)) -gt 0 ] || skipped "$name" "exit 4"
	elif [ "$rc" != 0 ] && [ $((f - t)) = 0 ]; then
		not_ok "$name: exit status $rc"
	elif [ "$rc" = 0 ] && [ $((p + f)) = 0 ]; then
		not_ok "$name: exit 0 but no TAP line: it reported nothing it checked"
	fi
}

# One failure per kind of kernel trouble found in the console logs given.
kscan() {
	local pat hit
	for pat in 'WARNING:' 'BUG' 'Oops' 'general protection fault' 'Kernel panic' \
		'UBSAN:' 'KASAN:' 'suspected memory leak' 'unreferenced object' \
		'Objects remaining' 'possible circular locking' 'suspicious RCU usage' \
		'soft lockup' 'blocked for more than' 'list_add corruption' 'list_del corruption'; do
		hit=$(grep -haE "^\[ *[0-9]+\.[0-9]+\] .*$pat" "$@" 2>/dev/null | head -n1 | tr -d '\r')
		[ -z "$hit" ] || { not_ok "kernel: '$pat' in $1: $hit"; splats=$((splats + 1)); }
	done
}
