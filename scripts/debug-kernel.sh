#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per machine) the debug kernel of `make check-debug` and kntp.ko
# for it; print the folder that holds them:
#
#   scripts/debug-kernel.sh            -> build/debug/KEY
#   scripts/debug-kernel.sh --module   rebuild only kntp.ko (the kernel must exist)
#
# The kernel is Debian's linux-source-6.1 (package linux-source-6.1),
# configured as tinyconfig + kvm_guest.config + scripts/debug/kernel.config:
# KASAN, KFENCE, lockdep (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP,
# DEBUG_OBJECTS (timers, work, RCU heads), kmemleak, DEBUG_LIST, UBSAN, with
# everything the guests need built in. KEY is a hash of the source package's
# version and the configuration, so a new source or config builds anew and
# an unchanged one is reused (about 11 min with -j2 the first time).
#
# The folder holds
#   bzImage        the kernel the guests boot (through the BIOS: its PVH entry
#                  runs KASAN-instrumented code before KASAN's shadow exists)
#   obj/           the kernel build tree (M= builds of modules use it)
#   modroot/       modules_install output: lib/modules/RELEASE (modules.builtin,
#                  ...), bound over /lib/modules in the guests
#   kntp/kmod/kntp.ko  the module, built from a copy of Kbuild, kmod/ and include/
#   release        the kernel's release string
#   build.log      the last build's output
set -eEu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
tarball=/usr/src/linux-source-6.1.tar.xz
frag=$here/debug/kernel.config
say() { echo "debug-kernel.sh: $*" >&2; }
trap 'say "failed (status $?) at line $LINENO: $BASH_COMMAND"' ERR

[ -r "$tarball" ] || { say "no $tarball: run scripts/deps.sh --debug as root"; exit 1; }
for t in flex bison bc gcc make; do
	command -v "$t" >/dev/null || { say "$t is missing: run scripts/deps.sh --debug as root"; exit 1; }
done
[ -e /usr/include/libelf.h ] || { say "libelf-dev is missing: run scripts/deps.sh --debug as root"; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
# The fragment's settings (not the comments about them) name the build.
settings=$(grep -E '^(CONFIG_|# CONFIG_)' "$frag")
key=$(printf '%s\n' "$srcver" "$settings" | sha256sum | cut -c1-12)
top=$repo/build/debug
out=$top/$key
src=$top/src-$srcver
obj=$out/obj
mkdir -p "$top"
jobs=$(nproc)

build_module() {
	local m=$out/kntp
	rm -rf "$m"
	mkdir -p "$m"
	cp -r "$repo/Kbuild" "$repo/kmod" "$repo/include" "$m/"
	make -C "$obj" M="$m" -j"$jobs" modules >>"$out/build.log" 2>&1 ||
		{ say "kntp.ko did not build for the debug kernel; see $out/build.log"; tail -n 30 "$out/build.log" >&2; exit 1; }
	[ -e "$m/kmod/kntp.ko" ] || { say "no $m/kmod/kntp.ko after the build"; exit 1; }
}

if [ "${1-}" = --module ]; then
	[ -e "$out/bzImage" ] || { say "no debug kernel in $out: run scripts/debug-kernel.sh first"; exit 1; }
	build_module
	echo "$out"
	exit 0
fi

if [ ! -e "$out/bzImage" ] && [ -e "$obj/vmlinux" ]; then
	# Built before the bzImage was kept: finish that build.
	make -C "$obj" ARCH=x86_64 -j"$jobs" bzImage >>"$out/build.log" 2>&1
	cp "$obj/arch/x86/boot/bzImage" "$out/bzImage"
fi
if [ ! -e "$out/bzImage" ]; then
	if [ ! -e "$src/.extracted" ]; then
		say "extracting $tarball ($srcver)"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xf "$tarball" -C "$src.tmp" --strip-components=1
		touch "$src.tmp/.extracted"
		mv "$src.tmp" "$src"
	fi
	rm -rf "$out"
	mkdir -p "$out"
	# A build of another configuration is a good start: kbuild rebuilds
	# what the configuration change touches, not everything.
	prev=$(ls -td "$top"/*/obj 2>/dev/null | head -n1)
	if [ -n "$prev" ] && [ -e "$prev/vmlinux" ] && [ "$prev" != "$obj" ]; then
		say "starting from $(dirname "$prev")"
		cp -a "$prev" "$obj"
	fi
	mkdir -p "$obj"
	: >"$out/build.log"
	say "configuring ($key); log in $out/build.log"
	{
		make -C "$src" O="$obj" ARCH=x86_64 tinyconfig
		make -C "$src" O="$obj" ARCH=x86_64 kvm_guest.config
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag"
		make -C "$src" O="$obj" ARCH=x86_64 olddefconfig
	} >>"$out/build.log" 2>&1
	# Every line of the fragment must be in the result.
	bad=$(echo "$settings" | while read -r l; do
		grep -qxF "$l" "$obj/.config" || echo "$l"
	done)
	if [ -n "$bad" ]; then
		say "these settings did not stick (a dependency is missing):"
		echo "$bad" | sed 's/^/  /' >&2
		exit 1
	fi
	say "building with -j$jobs (about 11 min with 2 cores)"
	start=$SECONDS
	make -C "$obj" ARCH=x86_64 -j"$jobs" bzImage modules >>"$out/build.log" 2>&1 ||
		{ say "the kernel did not build; see $out/build.log"; tail -n 30 "$out/build.log" >&2; exit 1; }
	make -C "$obj" ARCH=x86_64 INSTALL_MOD_PATH="$out/modroot" modules_install >>"$out/build.log" 2>&1
	make -s -C "$obj" kernelrelease >"$out/release"
	cp "$obj/arch/x86/boot/bzImage" "$out/bzImage.tmp"
	mv "$out/bzImage.tmp" "$out/bzImage"
	say "built in $((SECONDS - start)) s: $(cat "$out/release")"
fi
build_module
ln -sfn "$key" "$top/current"
echo "$out"
