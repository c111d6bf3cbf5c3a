#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
# vm-mem: 1024
# vm-smp: 2
#
# The stress test of `make check-debug` (the debug kernel: KASAN, KFENCE,
# lockdep, DEBUG_OBJECTS, kmemleak, DEBUG_LIST): lifetimes and locking under
# load. Not part of `make check`: on Debian's kernel it would pass without
# proving much, and on the debug kernel it takes minutes.
#
#   F ── veth ── A ── veth ── B          A: master 1; peers with B (192.0.2.x)
#   (floods A)    │                      B: peers with A; servers (A's other
#                 └─ veth ── D1..Dn         addresses, 198.51.100.1) added and
#                           (namespaces       deleted in a loop
#                            deleted under traffic)
#
# 1. churn: ten servers and peers (IPv4 and IPv6) added and deleted in B at
#    a time (kntp apply: process start-up is slow under KASAN and emulation)
#    while F floods A and A and B exchange as peers; polls every 1/16 s
#    keep the error queues busy with transmit stamps
# 1b. keys replaced and deleted, trust, access groups and rate limiting
#    switched, while B's signed polls and F's flood are verified, checked
#    and limited in A's receive path (freed objects must not be in use)
# 1c. answering at A's ingress switched off and on, and a device hooked and
#    deleted, while F floods A (A answers F at ingress throughout the rest)
# 2. namespaces deleted while their instances poll, answer and have work
#    (and answer at a device's ingress)
# 3. rmmod while A serves a flood at ingress, and reload
# 4. an unprivileged user, in the initial namespaces and in its own user and
#    network namespace, tries every configuration command and the system
#    clock
# The guest's kmemleak scan (scripts/guest-run.sh) and check.sh's look at
# the console follow. Durations: STRESS_SECONDS (default 120) for 1,
# STRESS_NETNS (default 8) namespaces for 2, STRESS_RELOADS (default 3); the flood runs at STRESS_RATE requests a
# second per family (default 100: a flood, yet the guest stays responsive
# under emulation and KASAN).
set -u
. "$(dirname "$0")/lib.sh"
need setpriv python3 jq

SECS=${STRESS_SECONDS:-120}
NNS=${STRESS_NETNS:-8}
RELOADS=${STRESS_RELOADS:-3}
RATE=${STRESS_RATE:-100}
PKT=(/usr/bin/python3 "$KNTP_TOP/selftests/ntp_pkt.py")
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
A=sa B=sb F=sf
pids=()

cleanup() {
	kill "${pids[@]}" 2>/dev/null
	for ns in $A $B $F $(ip netns list | awk '/^sd[0-9]/ { print $1 }'); do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT

k() { local ns=$1; shift; nsx "$ns" "$KNTP" "$@"; }
start=$SECONDS

check "insmod kntp.ko" load_module
modprobe veth 2>/dev/null
netns_pair $A 192.0.2.1 2001:db8:1::1 $B 192.0.2.2 2001:db8:1::2
netns_pair $A 198.51.100.1 2001:db8:2::1 $F 198.51.100.2 2001:db8:2::2
# B reaches A's other addresses through A: servers there, peers here.
ip -n $B route add 198.51.100.0/24 via 192.0.2.1
ip -n $B route add 2001:db8:2::/64 via 2001:db8:1::1
for i in 11 12 13 14; do
	ip -n $A addr add 198.51.100.$i/24 dev $A-$F
	ip -n $A addr add 2001:db8:2::$i/64 dev $A-$F nodad
done

configure() {	# A and B as peers, A master, answering F at ingress
	k $A master 1 &&
		k $A serve ingress $A-$F &&
		k $A peer 192.0.2.2 minpoll -4 maxpoll -4 &&
		k $A peer 2001:db8:1::2 minpoll -4 maxpoll -4 &&
		k $B peer 192.0.2.1 minpoll -4 maxpoll -4 &&
		k $B peer 2001:db8:1::1 minpoll -4 maxpoll -4
}
check "A and B peer over IPv4 and IPv6, A serves" configure
flood() {	# flood SECONDS: F floods A over both families
	nsx $F "${PKT[@]}" flood 198.51.100.1 --seconds "$1" --rate "$RATE" >/tmp/flood4 &
	pids+=($!)
	nsx $F "${PKT[@]}" flood 2001:db8:2::1 --seconds "$1" --rate "$RATE" >/tmp/flood6 &
	pids+=($!)
}

# --- 1. churn -----------------------------------------------------------------
flood "$SECS"
k $B show running-config >/tmp/base.conf
{
	cat /tmp/base.conf
	for i in 1 11 12 13 14; do
		echo "ntp server 198.51.100.$i minpoll -4 maxpoll -4 iburst"
		echo "ntp server 2001:db8:2::$i minpoll -4 maxpoll -4 iburst"
	done
	echo "ntp peer 192.0.2.9 minpoll -4 maxpoll -4"
	echo "ntp peer 2001:db8:1::9 minpoll -4 maxpoll -4"
} >/tmp/churn.conf
churn=$(($(wc -l </tmp/churn.conf) - $(wc -l </tmp/base.conf)))
cycles=0 errs=0
end=$((SECONDS + SECS))
while [ $SECONDS -lt $end ]; do
	k $B apply /tmp/churn.conf >/dev/null || errs=$((errs + 1))
	sleep 0.3
	k $B apply /tmp/base.conf >/dev/null || errs=$((errs + 1))
	cycles=$((cycles + 1))
done
wait "${pids[@]}" 2>/dev/null
pids=()
echo "# flood: v4 $(cat /tmp/flood4), v6 $(cat /tmp/flood6)"
check "churn: $cycles add/delete cycles of $churn associations in $SECS s" [ "$cycles" -gt 0 ]
check "  every command succeeded" [ "$errs" = 0 ]
check "  the flood was answered" [ "$(counter $A reply_server)" -gt 0 ]
check "  transmit stamps came back" [ "$(counter $B tx_stamp)" -gt 0 ]
check "  the peers still exchange" wait_for 10 reachable $B 192.0.2.1

# --- 1b. keys, access groups and rate limiting changed under traffic ---------------
KEYSECS=$((SECS / 4))
keyed() {	# the key and a signed server association from B to A
	k $A authentication-key 1 md5 s0 && k $A trusted-key 1 &&
		k $A authentication-key 2 hmac-sha2-256 t0 && k $A trusted-key 2 &&
		k $B authentication-key 1 md5 s0 && k $B trusted-key 1 &&
		k $B server 198.51.100.11 key 1 minpoll -4 maxpoll -4 iburst
}
check "B polls A signed with key 1" keyed
flood "$KEYSECS"
changes=0 errs=0
end=$((SECONDS + KEYSECS))
while [ $SECONDS -lt $end ]; do
	i=$((changes % 4))
	{ k $A authentication-key 1 md5 "s$i" && k $B authentication-key 1 md5 "s$i" &&
	  k $A authentication-key 2 cmac-aes-128 "0123456789abcde$i" &&
	  k $A no trusted-key 2 && k $A trusted-key 2 &&
	  k $A access-list 10 permit any && k $A access-group peer 10 &&
	  k $A ratelimit interval -4 burst 4 &&
	  k $A no authentication-key 2 && k $A authentication-key 2 md5 "u$i" &&
	  k $A no access-group peer && k $A no access-list 10 &&
	  k $A no ratelimit; } >/dev/null 2>&1 || errs=$((errs + 1))
	changes=$((changes + 1))
done
wait "${pids[@]}" 2>/dev/null
pids=()
check "keys: $changes rounds of key, trust, access-group and ratelimit changes under a flood" \
	[ "$changes" -gt 0 ]
check "  every command succeeded" [ "$errs" = 0 ]
check "  B's signed polls were answered signed" \
	eval '[ "$(counter $B auth_ok 198.51.100.11)" -gt 0 ] && [ "$(counter $A reply_auth)" -gt 0 ]'

# --- 1c. answering at ingress switched, its devices deleted, under a flood ---------
flood "$KEYSECS"
rx0=$(counter $A rx)
hooks=0 errs=0
end=$((SECONDS + KEYSECS))
while [ $SECONDS -lt $end ]; do
	{ k $A no serve ingress $A-$F && sleep 0.2 && k $A serve ingress $A-$F &&
	  ip -n $A link add dz type dummy && k $A serve ingress dz &&
	  ip -n $A link del dz; } >/dev/null 2>&1 || errs=$((errs + 1))
	hooks=$((hooks + 1))
done
wait "${pids[@]}" 2>/dev/null
pids=()
check "ingress: $hooks rounds of serve ingress on and off, a hooked device deleted, under a flood" \
	[ "$hooks" -gt 0 ]
check "  every command succeeded" [ "$errs" = 0 ]
check "  the flood was answered" [ "$(counter $A rx)" -gt "$rx0" ]
check "  only $A-$F left hooked" [ "$(k $A -j show status | jq -c .ingress)" = "[\"$A-$F\"]" ]

# --- 2. namespaces deleted under traffic ------------------------------------------
deleted=0
flood 30
for i in $(seq 1 "$NNS"); do
	d=sd$i
	ip netns add $d
	ip link add "$d-a" netns $d type veth peer name "a-$d" netns $A
	nsx $d ip link set lo up
	nsx $d ip addr add "203.0.113.$((i + 1))/32" dev "$d-a"
	nsx $d ip link set "$d-a" up
	nsx $A ip link set "a-$d" up
	nsx $A ip route add "203.0.113.$((i + 1))/32" dev "a-$d"
	nsx $d ip route add 198.51.100.0/24 dev "$d-a"
	nsx $d ip route add 192.0.2.0/24 dev "$d-a"
	k $d server 198.51.100.1 minpoll -4 maxpoll -4 iburst
	k $d peer 192.0.2.1 minpoll -4 maxpoll -4
	k $d master 3
	k $d serve ingress "$d-a"
	k $A peer "203.0.113.$((i + 1))" minpoll -4 maxpoll -4
	sleep 0.5
	ip netns del $d && deleted=$((deleted + 1))
	k $A no peer "203.0.113.$((i + 1))"
done
wait "${pids[@]}" 2>/dev/null
pids=()
check "$deleted namespaces deleted while their instances polled and served" [ "$deleted" = "$NNS" ]
gone() { [ -z "$(ip netns list | grep '^sd[0-9]')" ]; }
check "  all gone" wait_for 30 gone

# --- 3. rmmod under a flood, and reload ---------------------------------------------
reloads=0
for i in $(seq 1 "$RELOADS"); do
	flood 6
	sleep 2
	rmmod kntp || break
	load_module || break
	configure || break
	wait "${pids[@]}" 2>/dev/null
	pids=()
	reloads=$((reloads + 1))
done
check "$reloads of $RELOADS reloads while A served a flood" [ "$reloads" = "$RELOADS" ]
check "  and A serves after the last" nsx $F "${PKT[@]}" query 198.51.100.1

# --- 4. the unprivileged user -------------------------------------------------------
refused=0 allowed=0
cmds=("server 192.0.2.1" "peer 192.0.2.1" "no server 192.0.2.1" "no peer 192.0.2.1"
	"master 3" "no master" "enable" "disable" "clock system" "clock virtual"
	"clock step-threshold 1" "clock panic-threshold 0" "clock stepout 0"
	"clock inject offset 5" "authentication-key 9 md5 x" "trusted-key 9"
	"authenticate" "access-list 10 permit any" "access-group peer 10"
	"ratelimit" "serve ingress lo")
for c in "${cmds[@]}"; do
	# shellcheck disable=SC2086 # words
	if "${NOBODY[@]}" "$KNTP" $c >/dev/null 2>&1; then
		echo "# init netns: '$c' was allowed"
	else
		refused=$((refused + 1))
	fi
	# shellcheck disable=SC2086
	if nsx $A "${NOBODY[@]}" "$KNTP" $c >/dev/null 2>&1; then
		echo "# netns A: '$c' was allowed"
	else
		refused=$((refused + 1))
	fi
done
check "nobody: all ${#cmds[@]} commands refused in the initial and in A's namespace" \
	[ "$refused" = $((2 * ${#cmds[@]})) ]
# In its own user and network namespace it may run its own instance, on a
# virtual clock; never the system clock.
own=$(printf '%s\n' "${cmds[@]}" | "${NOBODY[@]}" unshare -Urn sh -c '
	ip link set lo up
	while read -r c; do
		if "$0" $c >/dev/null 2>&1; then echo "allowed $c"; else echo "refused $c"; fi
	done' "$KNTP")
echo "$own" | sed 's/^/# own namespace: /'
allowed=$(grep -c '^allowed' <<<"$own")
check "nobody in its own namespace: the system clock is refused" \
	grep -qx 'refused clock system' <<<"$own"
check "  the rest of its own instance is its to configure" [ "$allowed" -ge 10 ]
check "  the initial instance never owned the system clock" \
	eval '"$KNTP" show status | grep -q "clock is system (not owned)"'

check "rmmod kntp" rmmod kntp
check "no kernel warnings" test -z "$(kernel_complaints)"
echo "# stress: $cycles add/delete cycles ($((cycles * churn)) associations) under a flood in $SECS s; $changes rounds of key/ACL/ratelimit changes and $hooks of serve ingress, $KEYSECS s each; $deleted namespaces deleted under traffic; $reloads reloads under a flood; $refused unprivileged commands refused; $((SECONDS - start)) s in all"
tap_done
