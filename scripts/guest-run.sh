#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Second stage of a test guest, PID 1 after switch_root (see guest-init.sh).
# Runs the script that scripts/vm.sh put in /results/.kntp/run, as root, with
# cwd = the repo, stdin /dev/null, stdout/stderr on the console (ttyS0), then
# writes its exit status to /results/.kntp/status and resets the guest (which ends QEMU).
# /results/.kntp/run sets KNTP_REPO, KNTP_GUEST_NAME and the array KNTP_CMD.
set -u

mkdir -p /dev/pts && mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -sf /proc/self/fd /dev/fd

# shellcheck source=/dev/null
. /results/.kntp/run
hostname "$(echo "$KNTP_GUEST_NAME" | tr -c "a-zA-Z0-9.\n-" -)"
ip link set lo up
# The debug kernel's own module tree (modules.builtin: modprobe of what is
# built in succeeds).
[ -z "${KNTP_MODULES:-}" ] || mount --bind "$KNTP_MODULES" /lib/modules
# kmemleak (debug kernel): forget what boot left; scan after the script.
leaks=/sys/kernel/debug/kmemleak
mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -e "$leaks" ] && echo clear >"$leaks"

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
export KNTP_RESULTS=/results KNTP_GUEST_NAME
cd "$KNTP_REPO" || exit 1

# vm.sh --quiet: the script's output on a port of its own.
if [ -n "${KNTP_SCRIPT_TTY:-}" ]; then
	stty -F "$KNTP_SCRIPT_TTY" raw -echo 2>/dev/null
	exec >"$KNTP_SCRIPT_TTY" 2>&1
fi
echo "# guest $KNTP_GUEST_NAME: running ${KNTP_CMD[*]}"
if [ -x "${KNTP_CMD[0]}" ]; then
	"${KNTP_CMD[@]}" </dev/null
else
	bash "${KNTP_CMD[@]}" </dev/null
fi
rc=$?
if [ -e "$leaks" ]; then
	# Objects younger than 5 s are never reported: let the last ones age.
	sleep 6
	echo scan >"$leaks"
	echo scan >"$leaks"
	n=$(grep -c '^unreferenced object' "$leaks")
	echo "# kmemleak: $n unreferenced objects"
	# On the console with a kernel-style prefix, where check.sh looks.
	sed 's/^/[    0.000000] kmemleak: /' "$leaks"
fi
echo "$rc" >/results/.kntp/status
sync
# A reset, not a power-off: QEMU runs with -no-reboot, so a reset ends it,
# and the debug kernel (no ACPI) cannot power off, only halt.
busybox reboot -f
