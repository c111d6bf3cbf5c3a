#!/bin/bash
# shellcheck disable=SC2317 # trap handlers
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: dependencies, build, userspace unit tests, guest tests. Prints
# TAP as it goes and ends with the line "N passed, N failed, N skipped";
# exit status non-zero when anything failed.
#
#   a. scripts/deps.sh (as root: installs; otherwise: --check only)
#   b. make all tests: the module, the tool, the test programs (a failure
#      stops here)
#   c. make unit: the userspace unit tests
#   d. every selftests/vm_*.sh in its own fresh guest (scripts/vm.sh),
#      KNTP_JOBS (default 2) at a time, output printed per test in order;
#      those marked "# vm-alone" last, one at a time, nothing beside them;
#      then every selftests/host_*.sh on the host, one at a time (they start
#      their own guests with scripts/vm.sh)
#
# Counting: "ok" lines pass ("# SKIP" ones are skipped), "not ok" lines fail.
# A script that exits non-zero without a "not ok" line adds one failure (exit
# 4 = kselftest skip: one skip); one that exits 0 without any TAP line adds
# one failure too (it checked nothing we can see); a guest killed at its
# deadline adds one failure. A kernel
# WARNING/BUG/Oops/... line in any guest console log adds one failure.
# Headers a test script may carry:   # vm-timeout: SECS   (default 300)
#                                    # vm-mem: MB         (default 192)
#                                    # vm-append: ARGS    (kernel cmdline)
#                                    # vm-smp: N          (default 1)
#                                    # vm-alone           (its checks need
#                                      the machine's two cores to itself)
#                                    # host-timeout: SECS (default 900)
# Env: KNTP_TESTS="vm_foo host_bar unit" runs only those (build always runs);
#      KNTP_JOBS=N guests at once.
#      KNTP_DEBUG=1 (`make check-debug`): the guest suite on the debug kernel
#      (scripts/debug-kernel.sh, built once per machine) plus the tests only
#      it runs (selftests/debug_*.sh); deadlines x KNTP_TIMEOUT_SCALE (3);
#      one guest at a time (KNTP_JOBS), each with two vCPUs;
#      no style or unit tests; a report at the end (splats, leaks, stress).
set -u

cd "$(dirname "$0")/.." || exit 1
out=build/check
rm -rf "$out"
mkdir -p "$out"
pass=0 fail=0 skip=0 splats=0
debug=${KNTP_DEBUG:-0}
scale=1
if [ "$debug" = 1 ]; then
	scale=${KNTP_TIMEOUT_SCALE:-3}
	export KNTP_GUEST_KERNEL=debug KNTP_TIMEOUT_SCALE=$scale
fi
t_start=$SECONDS

# ok, not_ok, skipped, judge, kscan: counting (shared with selftests/host_judge.sh).
. scripts/judge.sh
finish() {
	[ "$debug" = 1 ] && debug_report
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
	exit
}
header() { sed -n "s/^# *$1: *\([0-9]\+\).*/\1/p" "$2" | head -n1; }
selected() {	# selected NAME: in KNTP_TESTS (written with or without selftests/, .sh)
	local l=" ${KNTP_TESTS:-} "
	l=${l//selftests\//} l=${l//.sh / }
	[ -z "${KNTP_TESTS:-}" ] || [[ $l == *" ${1%.sh} "* ]]
}

# The numbers `make check-debug` is run for.
debug_report() {
	local leaks stress
	leaks=$(cat "$out"/*.out 2>/dev/null | sed -n 's/^# kmemleak: \([0-9]*\) unreferenced objects.*/\1/p' |
		awk '{ n += $1 } END { print n + 0 }')
	stress=$(cat "$out"/*.out 2>/dev/null | sed -n 's/^# stress: //p')
	echo "# check-debug report ($(cat build/debug/current/release 2>/dev/null), KASAN, KFENCE, lockdep, DEBUG_OBJECTS, kmemleak, DEBUG_LIST, UBSAN):"
	echo "#   kernel splats: $splats"
	echo "#   kmemleak: $leaks unreferenced objects"
	[ -z "$stress" ] || echo "$stress" | sed 's/^/#   stress: /'
	echo "#   time: $((SECONDS - t_start)) s"
}

# --- a. dependencies --------------------------------------------------------
echo "# deps"
if [ "$(id -u)" = 0 ]; then deps=(scripts/deps.sh); else deps=(scripts/deps.sh --check); fi
[ "$debug" = 1 ] && deps+=(--debug)
if "${deps[@]}" >"$out/deps.log" 2>&1; then
	ok "deps"
else
	sed 's/^/# /' "$out/deps.log"
	not_ok "deps: ${deps[*]} failed"
fi

# --- b. build ---------------------------------------------------------------
echo "# build: make all tests"
if make -j"$(nproc)" all tests >"$out/make.log" 2>&1; then
	grep -E 'warning:' "$out/make.log" | sed 's/^/# /'
	ok "build"
else
	tail -n 60 "$out/make.log" | sed 's/^/# /'
	not_ok "build: make failed (full log: $out/make.log)"
	finish
fi

if [ "$debug" = 1 ]; then
	echo "# build: the debug kernel (scripts/debug-kernel.sh; once per machine)"
	if scripts/debug-kernel.sh >"$out/debug-kernel.log" 2>&1; then
		ok "debug kernel $(cat build/debug/current/release) and kntp.ko for it"
	else
		sed 's/^/# /' "$out/debug-kernel.log" | tail -n 40
		not_ok "debug kernel: scripts/debug-kernel.sh failed"
		finish
	fi
fi

# --- b2. style ----------------------------------------------------------------
if [ "$debug" = 0 ] && selected style; then
	echo "# style: make style"
	if make -s style >"$out/style.log" 2>&1; then
		ok "make style: checkpatch and sparse clean"
	else
		sed 's/^/# /' "$out/style.log" | tail -n 40
		not_ok "make style: checkpatch or sparse findings (full log: $out/style.log)"
	fi
fi

# --- c. userspace unit tests ------------------------------------------------
if [ "$debug" = 0 ] && selected unit; then
	echo "# unit: make unit"
	make -s unit 2>&1 | tee "$out/unit.out"
	judge "make unit" "${PIPESTATUS[0]}" "$out/unit.out"
fi

# --- d. guest tests -----------------------------------------------------------
vms=() alone=() hosts=()
for t in selftests/vm_*.sh; do
	if [ ! -e "$t" ] || ! selected "$(basename "$t")"; then continue; fi
	if grep -q '^# *vm-alone *$' "$t"; then alone+=("$t"); else vms+=("$t"); fi
done
if [ "$debug" = 1 ]; then
	for t in selftests/debug_*.sh; do [ -e "$t" ] && selected "$(basename "$t")" && vms+=("$t"); done
fi
shared=${#vms[@]}	# vms[0..shared-1] run side by side, the rest alone
vms+=("${alone[@]}")
for t in selftests/host_*.sh; do [ -e "$t" ] && selected "$(basename "$t")" && hosts+=("$t"); done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
start_vm() {	# index into vms: runs in the background, output to a file
	local t=${vms[$1]} n to mem
	n=$(basename "$t" .sh)
	to=$(header vm-timeout "$t") mem=$(header vm-mem "$t") smp=$(header vm-smp "$t")
	scripts/vm.sh --name "$n" --timeout $((${to:-300} * scale)) --mem "${mem:-192}" --smp "${smp:-1}" \
		--append "$(sed -n 's/^# *vm-append: *//p' "$t" | head -n1)" \
		-- "$t" >"$out/$n.out" 2>&1 &
	pids[$1]=$!
}
if [ ${#vms[@]} -gt 0 ]; then
	if [ "$debug" = 1 ]; then boot=(--debug); else boot=(); fi
	scripts/initramfs.sh "${boot[@]}" >/dev/null || { not_ok "guest boot files"; finish; }
	# The debug kernel's guests are slow and get two vCPUs each (races
	# need parallelism): one at a time, or they starve each other.
	if [ "$debug" = 1 ]; then jobs=${KNTP_JOBS:-1}; else jobs=${KNTP_JOBS:-2}; fi
	for ((i = 0; i < shared && i < jobs; i++)); do start_vm "$i"; done
	for ((i = 0; i < ${#vms[@]}; i++)); do
		n=$(basename "${vms[i]}" .sh)
		# One to run alone starts once all before it have ended.
		[ -n "${pids[i]:-}" ] || start_vm "$i"
		wait "${pids[i]}"
		rc=$?
		[ $((i + jobs)) -ge "$shared" ] || start_vm $((i + jobs))
		echo "# ${vms[i]} (guest $n, exit $rc)"
		sed 's/\r$//' "$out/$n.out"
		judge "${vms[i]}" "$rc" "$out/$n.out"
		kscan "build/vm/$n/console.log"
	done
fi
for t in "${hosts[@]}"; do
	n=$(basename "$t" .sh)
	echo "# $t (host)"
	touch "$out/$n.start"
	to=$(header host-timeout "$t")
	timeout -k 10 $((${to:-900} * scale)) "$t" </dev/null 2>&1 | tee "$out/$n.out"
	judge "$t" "${PIPESTATUS[0]}" "$out/$n.out"
	mapfile -t logs < <(find build/vm -name console.log -newer "$out/$n.start" 2>/dev/null)
	[ ${#logs[@]} = 0 ] || kscan "${logs[@]}"
done
finish
