#!/bin/bash
# shellcheck disable=SC2086,SC2317 # word lists on purpose; trap handlers
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing kntp needs, from Debian's packages.
#
#   scripts/deps.sh           install what is missing (root), then check
#   scripts/deps.sh --check   only check; list what is missing
#
# Idempotent and fast when all is there (dpkg-query first; apt-get update only
# when something must be installed). Exit status 0 only when everything is in
# place. Never leaves a time daemon running on the host: package installs
# run under a policy-rc.d that refuses to start services, and afterwards no
# chronyd/ntpd may run. ntpsec's ntpd conflicts with chrony as a package, so
# it is unpacked (not installed) into build/ntpsec/root.
set -eEu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
ntpsec=$repo/build/ntpsec
check_only=0
[ "${1-}" = --check ] && check_only=1

pkgs="linux-image-amd64 linux-headers-amd64 linux-source-6.1 qemu-system-x86
qemu-system-data busybox-static cpio xz-utils libnl-3-dev libnl-genl-3-dev
pkg-config build-essential kmod sparse chrony ntpsec-ntpdig iproute2 util-linux
clang libclang-rt-14-dev python3"

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

# Headers for the newest installed kernel image (linux-headers-amd64 may lag
# it). Prints an exact package name, never a pattern; prints nothing when
# the headers are there or when no image is installed yet (linux-image-amd64
# and linux-headers-amd64 are in $pkgs: the next pass after installing them
# sees the image). Always returns 0: it is used under set -e.
missing_headers() {
	local f v=
	"$here/kver.sh" >/dev/null 2>&1 && return 0
	for f in /boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		f=${f#/boot/vmlinuz-}
		[[ $f =~ ^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-[a-z0-9]+$ ]] || continue
		v=$(printf '%s\n%s\n' "$v" "$f" | sort -V | tail -n1)
	done
	[ -z "$v" ] || echo "linux-headers-$v"
	return 0
}

ntpd_ok() { "$ntpsec/root/usr/sbin/ntpd" --version >/dev/null 2>&1; }

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
missing=$(missing_pkgs $pkgs; missing_headers)
if [ -n "$missing" ] && [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ]; then
	say "installing:" $missing
	apt_update
	with_policy apt-get install "${apt_opts[@]}" $missing >&2
	missing=$(missing_pkgs $pkgs; missing_headers)
	# The image just installed may be newer than linux-headers-amd64's.
	if [ -n "$missing" ]; then
		say "installing:" $missing
		with_policy apt-get install "${apt_opts[@]}" $missing >&2
		missing=$(missing_pkgs $pkgs; missing_headers)
	fi
fi

# --- ntpsec's ntpd, unpacked privately --------------------------------------
if ! ntpd_ok && [ "$check_only" = 0 ] && [ "$(id -u)" = 0 ]; then
	rm -rf "$ntpsec"
	mkdir -p "$ntpsec"
	if ! (cd "$ntpsec" && apt-get -q download ntpsec >&2); then
		apt_update
		(cd "$ntpsec" && apt-get -q download ntpsec >&2)
	fi
	dpkg-deb -x "$ntpsec"/ntpsec_*.deb "$ntpsec/root"
	if ! ntpd_ok; then	# a library missing? install the packages ntpsec names
		libs=$(dpkg-deb -f "$ntpsec"/ntpsec_*.deb Depends | tr ',' '\n' |
			sed -n 's/^ *\(lib[^ (|]*\).*/\1/p')
		need=$(missing_pkgs $libs)
		if [ -n "$need" ]; then
			apt_update
			with_policy apt-get install "${apt_opts[@]}" $need >&2
		fi
	fi
fi
ntpd_ok || missing="$missing ntpsec(build/ntpsec/root/usr/sbin/ntpd)"

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
