#!/bin/bash
# shellcheck disable=SC2086,SC2317 # word lists on purpose; trap handlers
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing kntp needs, from Debian's packages.
#
#   scripts/deps.sh           install what is missing (root), then check
#   scripts/deps.sh --check   only check; list what is missing
#   scripts/deps.sh --debug   also what building the debug kernel of
#                             `make check-debug` needs (with --check too)
#
# Idempotent and fast when all is there (dpkg-query first; apt-get update only
# when something must be installed). Exit status 0 only when everything is in
# place. Never leaves a time daemon running on the host: package installs
# run under a policy-rc.d that refuses to start services, and afterwards no
# chronyd/ntpd may run. ntpsec's ntpd conflicts with chrony as a package, so
# it is unpacked (not installed) into build/ntpsec/root; so are OpenNTPD
# (build/openntpd/root; it conflicts with both) and systemd-timesyncd
# (build/timesyncd/root): installed, either would start and set the host's
# clock. selftests/vm_interop_matrix.sh runs them in a guest.
set -eEu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
ntpsec=$repo/build/ntpsec
check_only=0 debug=0
for a; do
	case $a in
	--check) check_only=1 ;;
	--debug) debug=1 ;;
	*) echo "deps.sh: unknown argument '$a' (--check, --debug)" >&2; exit 2 ;;
	esac
done

pkgs="linux-image-amd64 linux-headers-amd64 linux-source-6.1 qemu-system-x86
qemu-system-data busybox-static cpio xz-utils libnl-3-dev libnl-genl-3-dev libssl-dev
pkg-config build-essential kmod sparse chrony ntpsec-ntpdig iproute2 util-linux
clang libclang-rt-14-dev python3 jq linux-perf libbpf-dev"
# The debug kernel (scripts/debug-kernel.sh) builds from linux-source-6.1.
[ "$debug" = 0 ] || pkgs="$pkgs flex bison bc libelf-dev"

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef
	-o Dpkg::Options::=--force-confold)
say() { echo "deps.sh: $*" >&2; }
# Whatever fails says so: the command, its status and the line.
trap 'say "failed (status $?) at line $LINENO: $BASH_COMMAND"' ERR

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

# The newest kernel image in /boot (Debian's naming), or nothing.
newest_image() {
	local f v=
	for f in /boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		f=${f#/boot/vmlinuz-}
		[[ $f =~ ^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-[a-z0-9]+$ ]] || continue
		v=$(printf '%s\n%s\n' "$v" "$f" | sort -V | tail -n1)
	done
	echo "$v"
}

# The packages of the newest kernel image that the guests need and that are
# not there: its headers (linux-headers-amd64 may lag the image), or either
# package when its files are gone (an empty /lib/modules: a container, a
# mount namespace). Prints exact package names, never a pattern; nothing
# when kver.sh is content or no image is installed yet (linux-image-amd64
# and linux-headers-amd64 are in $pkgs: the next pass sees the image).
# Always returns 0: it is used under set -e.
missing_kernel() {
	local v
	"$here/kver.sh" >/dev/null 2>&1 && return 0
	v=$(newest_image)
	[ -n "$v" ] || return 0
	[ -e "/lib/modules/$v/modules.dep" ] || echo "linux-image-$v"
	[ -e "/lib/modules/$v/build/Makefile" ] || echo "linux-headers-$v"
	return 0
}

# apt-get install, reinstalling those of the given packages that dpkg counts
# as installed (their files are missing, or missing_kernel would not name
# them).
apt_install() {
	local p fresh=() again=()
	for p; do
		if [ -n "$(missing_pkgs "$p")" ]; then fresh+=("$p"); else again+=("$p"); fi
	done
	say "installing:" "$@"
	apt_update
	[ ${#fresh[@]} = 0 ] || with_policy apt-get install "${apt_opts[@]}" "${fresh[@]}" >&2
	[ ${#again[@]} = 0 ] ||
		with_policy apt-get install --reinstall "${apt_opts[@]}" "${again[@]}" >&2
}

ntpd_ok() { "$ntpsec/root/usr/sbin/ntpd" --version >/dev/null 2>&1; }
# OpenNTPD's ntpd checks a configuration; timesyncd takes no arguments and
# says so once its libraries are loaded.
openntpd_ok() {
	"$repo/build/openntpd/root/usr/sbin/ntpd" -n -f /dev/null 2>&1 |
		grep -q 'configuration OK'
}
timesyncd_ok() {
	"$repo/build/timesyncd/root/lib/systemd/systemd-timesyncd" --ok 2>&1 |
		grep -q 'does not take arguments'
}

daemons() { pgrep -x 'chronyd|ntpd' | sort || true; }

# --- policy-rc.d: refuse service starts while we install -------------------
prc=/usr/sbin/policy-rc.d
own_prc=0
restore() { [ "$own_prc" = 1 ] && rm -f "$prc"; true; }
trap restore EXIT
with_policy() {
	if [ ! -e "$prc" ]; then
		printf '#!/bin/sh\n# temporary, scripts/deps.sh of kntp\nexit 101\n' >"$prc"
		chmod 755 "$prc"
		own_prc=1
	fi
	"$@"
}

updated=0
apt_update() {
	[ "$updated" = 1 ] && return 0
	say "apt-get update"
	apt-get -q update >&2
	updated=1
}

# --- packages ---------------------------------------------------------------
before=$(daemons)
missing=$(missing_pkgs $pkgs; missing_kernel)
if [ -n "$missing" ] && [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ]; then
	apt_install $missing
	missing=$(missing_pkgs $pkgs; missing_kernel)
	# The image just installed may be newer than linux-headers-amd64's.
	if [ -n "$missing" ]; then
		apt_install $missing
		missing=$(missing_pkgs $pkgs; missing_kernel)
	fi
fi

# --- ntpsec's ntpd, OpenNTPD, systemd-timesyncd: unpacked privately ----------
# unpack DIR PACKAGE[=VERSION] OK-FUNCTION: PACKAGE's files in DIR/root (its
# .deb in DIR); then, if OK-FUNCTION fails, install the libraries it names.
unpack() {
	local dir=$1 pkg=$2 ok=$3 libs need
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! (cd "$dir" && apt-get -q download "$pkg" >&2); then
		apt_update
		(cd "$dir" && apt-get -q download "$pkg" >&2)
	fi
	dpkg-deb -x "$dir"/*.deb "$dir/root"
	"$ok" && return 0
	libs=$(dpkg-deb -f "$dir"/*.deb Depends | tr ',' '\n' |
		sed -n 's/^ *\(lib[^ (|]*\).*/\1/p')
	need=$(missing_pkgs $libs)
	if [ -n "$need" ]; then
		apt_update
		with_policy apt-get install "${apt_opts[@]}" $need >&2
	fi
}
# timesyncd uses libsystemd-shared's private ABI: take the version of the
# one installed when the archive has it (fresh package lists first).
timesyncd_pkg=systemd-timesyncd
pin_timesyncd() {
	local v
	v=$(dpkg-query -W -f='${Version}' libsystemd-shared 2>/dev/null || true)
	[ -n "$v" ] || return 0
	apt-cache show "systemd-timesyncd=$v" >/dev/null 2>&1 || apt_update
	if apt-cache show "systemd-timesyncd=$v" >/dev/null 2>&1; then
		timesyncd_pkg=systemd-timesyncd=$v
	fi
}
if [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ]; then
	ntpd_ok || unpack "$ntpsec" ntpsec ntpd_ok
	openntpd_ok || unpack "$repo/build/openntpd" openntpd openntpd_ok
	if ! timesyncd_ok; then
		pin_timesyncd
		unpack "$repo/build/timesyncd" "$timesyncd_pkg" timesyncd_ok
	fi
fi
ntpd_ok || missing="$missing ntpsec(build/ntpsec/root/usr/sbin/ntpd)"
openntpd_ok || missing="$missing openntpd(build/openntpd/root/usr/sbin/ntpd)"
timesyncd_ok ||
	missing="$missing systemd-timesyncd(build/timesyncd/root/lib/systemd/systemd-timesyncd)"

# --- no time daemon may run on the host ---------------------------------------
# One that ran before we started is not ours (a test's, in a netns?): warn.
# One that appeared during our installs is stopped, by its PID.
new=$(comm -13 <(echo "$before") <(daemons))
if [ -n "$new" ]; then
	say "WARNING: installing started a time daemon on the host; stopping it:"
	ps -o pid,args -p "$(echo $new | tr ' ' ,)" >&2 || true
	kill $new 2>/dev/null || true
	sleep 1
	kill -KILL $new 2>/dev/null || true
fi
if [ -n "$(daemons)" ]; then
	say "WARNING: chronyd/ntpd runs on the host (not started by deps.sh):"
	pgrep -ax 'chronyd|ntpd' >&2 || true
fi

if [ -n "$missing" ]; then
	say "missing:" $missing
	[ "$(id -u)" = 0 ] || say "run scripts/deps.sh as root to install them"
	exit 1
fi
exit 0
