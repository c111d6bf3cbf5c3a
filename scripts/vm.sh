#!/bin/bash
# shellcheck disable=SC2054,SC2317 # QEMU options have commas; trap handlers
# SPDX-License-Identifier: GPL-2.0
#
# Run one script as root inside a fresh QEMU guest that boots Debian's
# linux-image-amd64 (scripts/kver.sh) with the host root shared read-only.
#
#   scripts/vm.sh [options] -- SCRIPT [ARGS...]
#   scripts/vm.sh --free-port          print a free UDP port for --net
#
#   --name NAME      guest name (hostname; default vm-PID); files go to build/vm/NAME/
#   --timeout SECS   kill the guest after SECS (default 300): exit status 124
#   --mem MB         guest memory (default 192; 96 is the floor)
#   --smp N          virtual CPUs (default 1)
#   --net PORT       add a virtio-net NIC on the private L2 segment PORT (a
#                    UDP multicast socket on loopback); repeat for more NICs
#   --mac MAC        MAC of the NIC added by the last --net (default derived
#                    from NAME and the NIC's index)
#   --append ARGS    extra kernel command line
#   --quiet          stream the script's output only; the kernel's console
#                    messages go to build/vm/NAME/console.log alone
#
# SCRIPT (a path relative to the repo, or absolute) runs with cwd = the repo
# (same absolute path as on the host, read-only), stdin /dev/null, env
# KNTP_RESULTS=/results and KNTP_GUEST_NAME=NAME. Its output and the kernel's
# console messages stream to our stdout (CRs removed) and are kept in
# build/vm/NAME/console.log. /results in the guest is build/vm/NAME/results.
# Exit status: the script's; 124 when killed at the deadline; 125 when the
# guest ended without reporting one (kernel panic, ...). Guest NICs are down
# and unaddressed: the script configures them (ip from iproute2, or busybox).
# Env: KNTP_KVM=1 uses KVM instead of TCG (broken on these machines: QEMU
# aborts on MSR 0x10a); KNTP_VM_APPEND adds to the kernel
# command line (before --append); KNTP_GUEST_KERNEL=debug boots the debug
# kernel of scripts/debug-kernel.sh instead (at least 768 MB and 2 vCPUs; the guest gets
# its kntp.ko as KNTP_KO, its modules.builtin over /lib/modules, and a
# kmemleak scan after the script); KNTP_KO names another kntp.ko;
# KNTP_TB_SIZE=MB sizes TCG's translation cache (default 64).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

if [ "${1-}" = --free-port ]; then
	# A port in 20000..59999 that no UDP socket on this host is bound to.
	used=$(ss -Hlun 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 100); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		grep -qx "$p" <<<"$used" || { echo "$p"; exit 0; }
	done
	echo "vm.sh: no free port" >&2
	exit 1
fi

name=vm-$$ timeout=300 mem=192 smp=1 append='' nics=() quiet=0
usage() { sed -n '4,/^set -eu/{/^set/!p}' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--net) nics+=("$2="); shift 2 ;;
	--mac) [ ${#nics[@]} -gt 0 ] || usage
		nics[-1]=${nics[-1]%%=*}=$2; shift 2 ;;
	--append) append="$append${2:+ $2}"; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || usage
case $name in */* | .* | '') echo "vm.sh: bad name '$name'" >&2; exit 2 ;; esac

if [ "${KNTP_GUEST_KERNEL:-}" = debug ]; then
	boot=$("$here/initramfs.sh" --debug)
	[ "$mem" -ge 768 ] || mem=768
	# Two vCPUs: lockdep and KASAN see races only where code runs in parallel.
	[ "$smp" -ge 2 ] || smp=2
	# Through SeaBIOS: the PVH entry would run KASAN code too early.
	kernel=(-kernel "$boot/bzImage")
	: "${KNTP_KO:=$boot/kntp/kmod/kntp.ko}"
	modules=$boot/modroot/lib/modules
	# ACPI for its tables (the HPET, against which the TSC's rate is
	# measured), not for PCI interrupt routing: under KASAN and TCG the
	# routing method runs into the interpreter's 30 s loop timeout, twice.
	append+=" acpi=noirq"
else
	boot=$("$here/initramfs.sh")
	kernel=(-bios /usr/share/qemu/qboot.rom -kernel "$boot/vmlinux")
	modules=
fi
dir=$repo/build/vm/$name
rm -rf "$dir"
mkdir -p "$dir/results/.kntp"
log=$dir/console.log
: >"$log"
: >"$dir/script.log"
stream=$log
[ "$quiet" = 0 ] || stream=$dir/script.log
echo "$repo" >"$dir/results/.kntp/repo"
# A script outside the repo, below a folder that is tmpfs in the guest, is
# copied into /results (the repo itself is always visible at its own path).
case $(cd "$repo" && realpath -m -- "$1") in
"$repo"/*) ;;
/tmp/* | /run/* | /root/* | /home/* | /var/tmp/* | /var/lib/* | /var/log/* | /var/cache/*)
	cp -- "$(cd "$repo" && realpath -- "$1")" "$dir/results/.kntp/script"
	set -- /results/.kntp/script "${@:2}" ;;
esac
{
	printf 'KNTP_REPO=%q\nKNTP_GUEST_NAME=%q\n' "$repo" "$name"
	# A module other than kmod/kntp.ko (selftests/lib.sh reads it).
	[ -z "${KNTP_KO:-}" ] || printf 'export KNTP_KO=%q\n' "$KNTP_KO"
	[ -z "$modules" ] || printf 'KNTP_MODULES=%q\n' "$modules"
	# Deadlines inside the guest stretch as the guest's (selftests/lib.sh).
	[ -z "${KNTP_TIMEOUT_SCALE:-}" ] ||
		printf 'export KNTP_TIMEOUT_SCALE=%q\n' "$KNTP_TIMEOUT_SCALE"
	# --quiet: the script writes to the second serial port.
	[ "$quiet" = 0 ] || echo 'KNTP_SCRIPT_TTY=/dev/ttyS1' 
	printf 'KNTP_CMD=('
	printf '%q ' "$@"
	echo ')'
} >"$dir/results/.kntp/run"

# TCG's translation cache: 64 MB keeps a guest's resident size near 250 MB
# (several guests at once); KNTP_TB_SIZE (MB) for a guest that measures
# time (the bench): a full cache is flushed, and everything then runs
# cold - retranslated - for a while: milliseconds on a packet's path.
tb=${KNTP_TB_SIZE:-64}
case $tb in [1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9]) ;;
*) echo "vm.sh: bad KNTP_TB_SIZE $tb" >&2; exit 2 ;; esac
if [ "${KNTP_KVM:-0}" = 1 ]; then accel=(-accel kvm -cpu host); else accel=(-accel "tcg,tb-size=$tb"); fi
net=(-nic none)
i=0
for n in "${nics[@]}"; do
	port=${n%%=*} mac=${n#*=}
	if [ -z "$mac" ]; then	# locally administered, from NAME and index
		h=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
		mac=$(printf '52:54:%02x:%02x:%02x:%02x' $((h >> 24 & 255)) \
			$((h >> 16 & 255)) $((h >> 8 & 255)) $(((h + i) & 255)))
	fi
	net+=(-netdev "socket,id=n$i,mcast=230.0.0.1:$port,localaddr=127.0.0.1"
		-device "virtio-net-pci,netdev=n$i,mac=$mac,romfile=")
	i=$((i + 1))
done

# loglevel=5 shows KERN_WARNING and worse (WARN, BUG, Oops); oops=panic ends
# a crashed guest at once (panic=-1 reboots, -no-reboot ends QEMU).
# slub_nomerge + slub_debug: the module's own kmem caches (kntp_*) are
# separate, tracked (alloc_traces in debugfs), poisoned and red-zoned.
cmdline="console=ttyS0 loglevel=5 panic=-1 oops=panic slub_nomerge slub_debug=FZPU,kntp_*"
cmdline+=" i8042.noaux i8042.nokbd i8042.nopnp tsc=reliable no_timer_check"
cmdline+="${KNTP_VM_APPEND:+ $KNTP_VM_APPEND}$append"

qemu=(qemu-system-x86_64 -M pc "${accel[@]}" -m "$mem" -smp "$smp"
	-nodefaults -no-user-config -display none -no-reboot
	"${kernel[@]}" -initrd "$boot/initramfs.cpio" -append "$cmdline"
	-serial "file:$log" -serial "file:$dir/script.log"
	-fsdev "local,id=r,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=r,mount_tag=hostroot
	-fsdev "local,id=s,path=$dir/results,security_model=none"
	-device virtio-9p-pci,fsdev=s,mount_tag=results
	"${net[@]}")

qpid='' tpid=''
cleanup() {
	[ -z "$qpid" ] || kill -KILL "$qpid" 2>/dev/null || true
	[ -z "$tpid" ] || kill "$tpid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"${qemu[@]}" </dev/null >"$dir/qemu.log" 2>&1 &
qpid=$!
# Stream the console; tail ends by itself when QEMU is gone.
tail -n +1 -s 0.2 -f --pid="$qpid" "$stream" | sed -u 's/\r$//' &
tpid=$!

deadline=$((SECONDS + timeout)) rc=
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$SECONDS" -ge "$deadline" ]; then
		kill -KILL "$qpid" 2>/dev/null || true
		rc=124
		break
	fi
	sleep 0.2
done
wait "$qpid" 2>/dev/null || true
qpid=''
wait "$tpid" 2>/dev/null || true
tpid=''

if [ "$rc" = 124 ]; then
	{
		echo "vm.sh: guest $name did not finish within ${timeout}s: killed; console tail:"
		tail -n 30 "$log" | sed 's/\r$//; s/^/vm.sh:   /'
	} >&2
elif [ -s "$dir/results/.kntp/status" ]; then
	rc=$(cat "$dir/results/.kntp/status")
else
	rc=125
	echo "vm.sh: guest $name ended without an exit status (kernel panic?)" >&2
	sed 's/^/vm.sh: qemu: /' "$dir/qemu.log" >&2
fi
exit "$rc"
