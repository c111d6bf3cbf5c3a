#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the boot files for the test guests and print their folder:
#
#   scripts/initramfs.sh            -> prints build/guest/KVER
#   scripts/initramfs.sh --debug    -> prints build/debug/KEY (the debug kernel
#                                      of scripts/debug-kernel.sh, which must
#                                      exist; everything is built in: no modules)
#
# The folder holds
#   vmlinux         uncompressed kernel (PVH entry) cut out of /boot/vmlinuz-KVER
#   initramfs.cpio  static busybox + the virtio/9p modules + scripts/guest-init.sh
# Both are rebuilt only when one of their inputs is newer than they are.
# KVER is what scripts/kver.sh prints (Debian's linux-image-amd64, not the host's).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
busybox=/bin/busybox			# from busybox-static
if [ "${1-}" = --debug ]; then
	out=$(readlink -f "$repo/build/debug/current" 2>/dev/null || true)
	[ -n "$out" ] && [ -e "$out/bzImage" ] ||
		{ echo "initramfs.sh: no debug kernel: run scripts/debug-kernel.sh" >&2; exit 1; }
	kver=$(cat "$out/release")
	mods=$out/modroot/lib/modules/$kver
	wanted=""
else
	kver=$("$here/kver.sh")
	out="$repo/build/guest/$kver"
	mods=/lib/modules/$kver
	# Modules the first stage needs; their dependencies come from modules.dep.
	wanted="virtio_pci 9pnet_virtio 9p virtio_net"
fi

mkdir -p "$out"

# True when $1 is missing or older than any of the other arguments.
stale() {
	local t=$1 f
	shift
	[ -e "$t" ] || return 0
	for f; do [ "$f" -nt "$t" ] && return 0; done
	return 1
}

# --- vmlinux: the XZ payload of the bzImage, starting at the XZ magic ------
bz=/boot/vmlinuz-$kver
if [ -n "$wanted" ] && stale "$out/vmlinux" "$bz"; then
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || { echo "initramfs.sh: no XZ payload in $bz" >&2; exit 1; }
	tail -c +$((off + 1)) "$bz" | xz -dc --single-stream >"$out/vmlinux.tmp.$$"
	mv "$out/vmlinux.tmp.$$" "$out/vmlinux"
fi

# --- module list in load order (dependencies first, each once) -------------
modpath() {	# module name -> path relative to $mods, from modules.dep
	local n=${1//-/_}
	n=${n//_/[-_]}
	grep -E "/${n}\.ko(\.[a-z]+)?:" "$mods/modules.dep" | head -n1 | cut -d: -f1
}
order=()
add() {		# add a module path after its dependencies
	local p=$1 d line deps i
	for d in "${order[@]}"; do [ "$d" = "$p" ] && return 0; done
	line=$(grep -E "^${p//./\\.}:" "$mods/modules.dep")
	read -r -a deps <<<"${line#*:}"
	# modules.dep lists the full closure, the one to load first last.
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do add "${deps[i]}"; done
	order+=("$p")
}
for m in $wanted; do
	p=$(modpath "$m")
	[ -n "$p" ] || { echo "initramfs.sh: module $m not in $mods/modules.dep" >&2; exit 1; }
	add "$p"
done
files=()
for p in "${order[@]}"; do files+=("$mods/$p"); done

# --- initramfs --------------------------------------------------------------
init="$here/guest-init.sh"
if stale "$out/initramfs.cpio" "$init" "$0" "$busybox" "$mods/modules.dep" "${files[@]}"; then
	tmp=$(mktemp -d "$out/root.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp"/{bin,dev,proc,sys,host,newroot,lib/modules}
	: >"$tmp/lib/modules/order"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$init" "$tmp/init"
	chmod 755 "$tmp/init"
	for p in "${order[@]}"; do
		b=$(basename "$p")
		case $b in		# busybox insmod wants plain ELF
		*.ko.xz) xz -dc "$mods/$p" >"$tmp/lib/modules/${b%.xz}" ;;
		*.ko.zst) zstd -qdc "$mods/$p" >"$tmp/lib/modules/${b%.zst}" ;;
		*.ko.gz) gzip -dc "$mods/$p" >"$tmp/lib/modules/${b%.gz}" ;;
		*) cp "$mods/$p" "$tmp/lib/modules/$b" ;;
		esac
		b=${b%.ko*}
		echo "$b.ko" >>"$tmp/lib/modules/order"
	done
	(cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$out/initramfs.tmp.$$"
	# Append /dev/console (c 5 1) as a hand-made newc archive, so that
	# building needs no mknod (no root); the kernel unpacks both archives.
	newc() {	# name mode rdevmajor rdevminor
		printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
			1 "$2" 0 0 1 0 0 0 0 "$3" "$4" $((${#1} + 1)) 0 "$1"
		# header (110 bytes) + name + NUL is padded to a multiple of 4
		head -c $(((4 - (110 + ${#1} + 1) % 4) % 4)) /dev/zero
	}
	{ newc dev/console $((0020600)) 5 1; newc TRAILER!!! 0 0 0; } >>"$out/initramfs.tmp.$$"
	mv "$out/initramfs.tmp.$$" "$out/initramfs.cpio"
fi
echo "$out"
