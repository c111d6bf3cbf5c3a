#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instances per network namespace, permissions, and freeing everything:
#
#   init netns ── kntp instance 0
#   netns A    ── kntp instance A      (root)
#   netns B    ── kntp instance B      (root; deleted with associations)
#   userns+netns U ── kntp instance U  (an unprivileged user owns it)
#
# Memory is counted with SLUB's allocation tracking of the module's own
# cache (the guest boots with slub_debug=FZPU,kntp_assoc), so a leak, a
# double free or a use after free shows.
set -u
. "$(dirname "$0")/lib.sh"
need setpriv

A=kntp-a-$$
B=kntp-b-$$
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

listed() {	# listed NS ADDR
	in_ns "$1" "$KNTP" show associations | grep -q -- "~$2 "
}

live_is() {
	live_n=$(live_assocs)
	[ "$live_n" -eq "$1" ]
}

# check_live DESC SECONDS N: N associations are allocated within SECONDS
# (0: now); if not, say how many are.
check_live() {
	check "$1" wait_for "$2" live_is "$3"
	[ "$live_n" -eq "$3" ] || echo "# $live_n associations allocated, not $3"
}

check "insmod kntp.ko" load_module
check_live "association cache is tracked and empty" 0 0
ip netns add "$A"
ip netns add "$B"

check "server 192.0.2.1 in netns A" in_ns "$A" "$KNTP" server 192.0.2.1
check "peer 2001:db8::5 in netns B" in_ns "$B" "$KNTP" peer 2001:db8::5
check "server 192.0.2.1 in netns B too (instances are separate)" \
	in_ns "$B" "$KNTP" server 192.0.2.1
check "A's association is listed in A" listed "$A" 192.0.2.1
check "B's peer is invisible in A" eval '! listed "$A" 2001:db8::5'
check "nothing is visible in the initial netns" \
	eval '! "$KNTP" show associations | grep -qE "^.~"'
check_live "three associations are allocated" 0 3
check "deleting in A leaves B's alone" \
	eval 'in_ns "$A" "$KNTP" no server 192.0.2.1 && listed "$B" 192.0.2.1'
check_live "  and frees one (after a grace period)" 10 2

ip netns del "$B"
check_live "deleting netns B frees its two associations" 10 0

# Reading is open to all; changing needs CAP_NET_ADMIN over the namespace.
"$KNTP" server 192.0.2.50 >/dev/null
check "unprivileged: show associations works" \
	eval '"${NOBODY[@]}" "$KNTP" show associations | grep -q "~192.0.2.50 "'
check "unprivileged: show status works" eval '"${NOBODY[@]}" "$KNTP" show status >/dev/null'
check "unprivileged: server is refused with EPERM" \
	fails_with "Operation not permitted" "${NOBODY[@]}" "$KNTP" server 192.0.2.51
check "unprivileged: no server is refused with EPERM" \
	fails_with "Operation not permitted" "${NOBODY[@]}" "$KNTP" no server 192.0.2.50
check "  nothing changed" \
	eval '"$KNTP" show associations | grep -q "~192.0.2.50 " &&
	      ! "$KNTP" show associations | grep -q "~192.0.2.51 "'
if "${NOBODY[@]}" unshare -Urn true 2>/dev/null; then
	check "unprivileged owner of a user+net namespace may configure it" \
		"${NOBODY[@]}" unshare -Urn sh -c \
		"'$KNTP' server 192.0.2.52 && '$KNTP' show associations | grep -q '~192.0.2.52 '"
	check "  and that stays in its namespace" \
		eval '! "$KNTP" show associations | grep -q "~192.0.2.52 "'
else
	ok "unprivileged user namespaces # SKIP disabled in this kernel"
fi

# Unload with associations present in two namespaces.
in_ns "$A" "$KNTP" peer 198.51.100.9 >/dev/null
check_live "associations present before unload" 10 2
check "rmmod kntp with associations present" rmmod kntp
check "the association cache is gone with the module" \
	test ! -e /sys/kernel/debug/slab/kntp_assoc
check "no leak, warning or poison report in the kernel log" \
	test -z "$(kernel_complaints)"
check "insmod again after unload" load_module
check "  a fresh instance in the surviving netns A" \
	eval '! in_ns "$A" "$KNTP" show associations | grep -qE "^.~"'
check "rmmod kntp again" rmmod kntp
tap_done
