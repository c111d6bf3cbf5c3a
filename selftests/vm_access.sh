#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 420
#
# Access control as a router's operator uses it: "access-list",
# "ipv6 access-list", "ntp access-group ... [kod]", each word accepted,
# refused with a clear error, and read back through show running-config;
# refused to the unprivileged; then the groups at work, with exact counters:
#
#   netns C1 (192.0.2.2, 2001:db8:1::2) ── veth ──┐
#                                                  ├── netns S: kntp, master 3
#   netns C2 (198.51.100.2, 2001:db8:2::2) ─ veth ─┘   (192.0.2.1, 2001:db8:1::1,
#        C2 also plays an NTP server (ntp_pkt.py)        198.51.100.1, 2001:db8:2::1)
#
# C1 is in the lists, C2 is not. Requests from C2 are dropped (drop_access,
# exactly as many as sent) or, under "kod", answered with a DENY kiss
# (kod_deny_sent); S's server association with C2, outside the peer list,
# takes no sample and counts drop_access itself; removing the groups
# restores service.
set -u
. "$(dirname "$0")/lib.sh"
need setpriv python3

S=kas C1=ka1 C2=ka2	# short: "ka1-kas" is an ifname
PKT=(/usr/bin/python3 "$KNTP_TOP/selftests/ntp_pkt.py")
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
NOTIME=(setpriv --inh-caps=-sys_time --bounding-set=-sys_time)
D=$(mktemp -d /tmp/kntp-access.XXXXXX)
srv=

cleanup() {
	[ -z "$srv" ] || kill "$srv" 2>/dev/null
	for ns in "$S" "$C1" "$C2"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT

k() { nsx "$S" "$KNTP" "$@"; }
# q NS ADDR [ARGS]: one query from NS; prints its key=value lines.
q() { local ns=$1; shift; nsx "$ns" "${PKT[@]}" query "$@" --timeout 1; }
# replies NS ADDR N: how many of N requests were answered.
replies() { nsx "$1" "${PKT[@]}" query "$2" --count "$3" --timeout 0.3 | sed 's/replies=//'; }
field() { sed -n "s/^$1=//p"; }
cnt() { counter "$S" "$@"; }
cfg_has() { k show running-config | grep -qxF -- "$1"; }
# expect_delta NAME BEFORE WANT: counter NAME grew by exactly WANT.
expect_delta() {
	local now
	now=$(cnt "$1")
	[ $((now - $2)) -eq "$3" ] && return 0
	echo "# $1: $2 -> $now, expected +$3"
	return 1
}

check "insmod kntp.ko" load_module
netns_pair "$S" 192.0.2.1 2001:db8:1::1 "$C1" 192.0.2.2 2001:db8:1::2 ||
	{ echo "# cannot build the topology"; exit "$KSFT_SKIP"; }
netns_pair "$S" 198.51.100.1 2001:db8:2::1 "$C2" 198.51.100.2 2001:db8:2::2
check "S serves its own clock (master 3)" k master 3
check "  C1 answered" wait_for 10 eval 'q "$C1" 192.0.2.1 | grep -qx mode=4'
check "  C2 answered (no access group: everything allowed)" \
	eval 'q "$C2" 198.51.100.1 | grep -qx mode=4 && q "$C2" 2001:db8:2::1 | grep -qx mode=4'

# --- each word: accepted, read back -----------------------------------------
check "access-list 10 deny host 192.0.2.99" k access-list 10 deny host 192.0.2.99
check "access-list 10 permit 192.0.2.0 0.0.0.255" k access-list 10 permit 192.0.2.0 0.0.0.255
check "access-list 1300 permit any" k access-list 1300 permit any
check "access-list 20 permit 10.0.1.7 0.255.0.255 (non-contiguous wildcard)" \
	k access-list 20 permit 10.0.1.7 0.255.0.255
check "ipv6 access-list V6 permit 2001:db8:1::/48" k ipv6 access-list V6 permit 2001:db8:1::/48
check "ipv6 access-list V6 deny ipv6 2001:db8::/32 any (IOS form)" \
	k ipv6 access-list V6 deny ipv6 2001:db8::/32 any
check "ipv6 access-list EMPTY (a list without entries)" k ipv6 access-list EMPTY
check "ntp access-group serve-only 10" k ntp access-group serve-only 10
check "ntp access-group ipv6 serve V6 kod" k ntp access-group ipv6 serve V6 kod
check "ntp access-group ipv4 query-only 1300" k ntp access-group ipv4 query-only 1300
for line in "access-list 10 deny 192.0.2.99" \
	"access-list 10 permit 192.0.2.0 0.0.0.255" \
	"access-list 1300 permit any" \
	"access-list 20 permit 10.0.1.0 0.255.0.255" \
	"ipv6 access-list V6" " permit 2001:db8:1::/48" " deny 2001:db8::/32" \
	"ipv6 access-list EMPTY" \
	"ntp access-group serve-only 10" "ntp access-group query-only 1300" \
	"ntp access-group ipv6 serve V6 kod"; do
	check "  running-config: '$line'" cfg_has "$line"
done
k show running-config | sed 's/^/# /'
check "  show access-lists: the lists and groups" \
	eval 'k show access-lists | grep -q "Standard IP access list 10" &&
	      k show access-lists | grep -q "IPv6 access list V6" &&
	      k show access-lists | grep -q "ipv6 serve V6 kod"'
check "  -j show access-lists: 5 lists, 3 groups" \
	eval '[ "$(k -j show access-lists | /usr/bin/python3 -c "import json, sys; d = json.load(sys.stdin); print(len(d[\"access_lists\"]), len(d[\"access_groups\"]))")" = "5 3" ]'
check "  running-config applied back: no change" \
	eval '[ "$(k show running-config | k apply -)" = "no change" ]'

# --- each word: refused, saying why -------------------------------------------
cfg0=$(k show running-config)
check "access-list 100: refused (standard numbers only)" \
	fails_with 'standard IPv4 lists are numbered 1-99 or 1300-1999' k access-list 100 permit any
check "access-list 10 allow: refused" \
	fails_with 'unknown word "allow" (expected permit, deny)' k access-list 10 allow any
check "access-list 10 permit 192.0.2.300: refused" \
	fails_with '"192.0.2.300": not an IPv4 address' k access-list 10 permit 192.0.2.300
check "access-list 10 permit 192.0.2.0 255.255.255: refused" \
	fails_with 'not an IPv4 wildcard mask' k access-list 10 permit 192.0.2.0 255.255.255
check "ipv6 access-list bad/name: refused" \
	fails_with "only letters, digits" k ipv6 access-list bad/name
check "ipv6 access-list V6 permit 2001:db8::/129: refused" \
	fails_with 'prefix length must be 0..128' k ipv6 access-list V6 permit 2001:db8::/129
check "ipv6 access-list of 33 characters: refused" \
	fails_with '1 to 32 characters' k ipv6 access-list AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
check "access-group peering 10: refused" \
	fails_with 'unknown access type "peering"' k ntp access-group peering 10
check "access-group peer 10 kodd: refused" \
	fails_with 'unexpected argument "kodd" (expected kod)' k ntp access-group peer 10 kodd
check "access-group ipv4 peer V6: refused (IPv4 lists are numbered)" \
	fails_with 'standard IPv4 lists are numbered' k ntp access-group peer V6
check "no access-list 55: the kernel says there is none" \
	fails_with 'no such access list' k no access-list 55
{
	k show running-config
	for i in $(seq 1 256); do echo "access-list 30 permit 10.$((i / 256)).$((i % 256)).0 0.0.0.255"; done
} >"$D/big.conf"
check "a list of 256 entries (apply, the rest kept): accepted" \
	eval '[ "$(k apply "$D/big.conf")" = "+ access-list 30 (256 entries)" ]'
check "  the 257th: refused by the kernel" \
	fails_with 'too many entries in the list (at most 256)' k access-list 30 permit any
check "  and the file says so before the kernel" \
	eval 'echo "access-list 30 permit any" >>"$D/big.conf"; fails_with "more than 256 entries" k apply "$D/big.conf"'
k no access-list 30
check "  nothing else changed" [ "$(k show running-config)" = "$cfg0" ]

# --- privilege ------------------------------------------------------------------
check "unprivileged: access-list refused" \
	fails_with "Operation not permitted" nsx "$S" "${NOBODY[@]}" "$KNTP" access-list 11 permit any
check "unprivileged: access-group refused" \
	fails_with "Operation not permitted" nsx "$S" "${NOBODY[@]}" "$KNTP" ntp access-group peer 10
check "unprivileged: no ipv6 access-list refused" \
	fails_with "Operation not permitted" nsx "$S" "${NOBODY[@]}" "$KNTP" no ipv6 access-list V6
if nsx "$S" "${NOBODY[@]}" unshare -Ur true 2>/dev/null; then
	check "CAP_NET_ADMIN in a user namespace only: refused" \
		fails_with "Operation not permitted" nsx "$S" "${NOBODY[@]}" unshare -Ur \
		"$KNTP" access-list 11 permit any
else
	ok "# SKIP no unprivileged user namespaces"
fi
check "unprivileged: show access-lists works" \
	eval 'nsx "$S" "${NOBODY[@]}" "$KNTP" show access-lists | grep -q "access list 10"'
check "  nothing changed" [ "$(k show running-config)" = "$cfg0" ]
check "system clock's instance: access-list without CAP_SYS_TIME refused" \
	fails_with "needs CAP_SYS_TIME" "${NOTIME[@]}" "$KNTP" access-list 11 permit any
check "  access-group too" \
	fails_with "needs CAP_SYS_TIME" "${NOTIME[@]}" "$KNTP" ntp access-group peer 11

# --- IPv4 at work -----------------------------------------------------------------
# Groups now: v4 serve-only 10 (192.0.2.0/24 but .99), query-only 1300 (any);
# v6 serve V6 kod.
check "IPv4 serve-only: C1's request answered" eval 'q "$C1" 192.0.2.1 | grep -qx mode=4'
d0=$(cnt drop_access) s0=$(cnt kod_deny_sent)
check "IPv4: C2 (query-only) not answered: 0 of 5" [ "$(replies "$C2" 198.51.100.1 5)" = 0 ]
check "  drop_access +5 exactly" expect_delta drop_access "$d0" 5
check "  no kiss sent (no kod on IPv4)" expect_delta kod_deny_sent "$s0" 0
d0=$(cnt drop_access)
check "IPv4 serve-only: C1's symmetric active packet (mode 1) refused" \
	eval 'q "$C1" 192.0.2.1 --mode 1 | grep -qx noreply'
check "  drop_access +1" expect_delta drop_access "$d0" 1
check "access-group serve-only 10 kod" k ntp access-group serve-only 10 kod
d0=$(cnt drop_access) s0=$(cnt kod_deny_sent)
out=$(q "$C2" 198.51.100.1)
echo "$out" | grep -E '^(mode|leap|stratum|refid_ascii|len)=' | tr '\n' ' ' | sed 's/^/# /'; echo
check "kod: C2 gets a DENY kiss (mode 4, leap 3, stratum 0, 48 bytes)" \
	eval '[ "$(echo "$out" | field refid_ascii)" = DENY ] && [ "$(echo "$out" | field mode)" = 4 ] &&
	      [ "$(echo "$out" | field leap)" = 3 ] && [ "$(echo "$out" | field stratum)" = 0 ] &&
	      [ "$(echo "$out" | field len)" = 48 ]'
check "  its origin is the request's transmit timestamp" \
	[ "$(echo "$out" | field org)" = "$(echo "$out" | field sent_xmt)" ]
check "  drop_access +1, kod_deny_sent +1" \
	eval 'expect_delta drop_access "$d0" 1 && expect_delta kod_deny_sent "$s0" 1'
out=$(q "$C1" 192.0.2.1 --mode 1)
check "kod: C1's mode 1 gets a DENY kiss in mode 2" \
	eval '[ "$(echo "$out" | field refid_ascii)" = DENY ] && [ "$(echo "$out" | field mode)" = 2 ]'

# --- IPv6 at work -------------------------------------------------------------------
check "IPv6 serve: C1 (2001:db8:1::2) answered" eval 'q "$C1" 2001:db8:1::1 | grep -qx mode=4'
check "  its symmetric active packet too (serve grants mode 2 answers)" \
	eval 'q "$C1" 2001:db8:1::1 --mode 1 | grep -qx mode=2'
d0=$(cnt drop_access) s0=$(cnt kod_deny_sent)
out=$(q "$C2" 2001:db8:2::1)
check "IPv6: C2 (2001:db8:2::2, denied by V6) gets a DENY kiss" \
	eval '[ "$(echo "$out" | field refid_ascii)" = DENY ] && [ "$(echo "$out" | field stratum)" = 0 ]'
check "  drop_access +1, kod_deny_sent +1" \
	eval 'expect_delta drop_access "$d0" 1 && expect_delta kod_deny_sent "$s0" 1'
check "ntp access-group ipv6 serve V6 (no kod)" k ntp access-group ipv6 serve V6
d0=$(cnt drop_access) s0=$(cnt kod_deny_sent)
check "IPv6: C2 not answered: 0 of 4" [ "$(replies "$C2" 2001:db8:2::1 4)" = 0 ]
check "  drop_access +4 exactly, no kiss" \
	eval 'expect_delta drop_access "$d0" 4 && expect_delta kod_deny_sent "$s0" 0'

# --- a group whose list is not defined: fail closed ---------------------------------
check "no ipv6 access-list V6" k no ipv6 access-list V6
check "  show access-lists marks the group" \
	eval 'k show access-lists | grep -q "ipv6 serve V6 (list not defined: matches nothing)"'
check "  C1 is refused over IPv6 now" eval 'q "$C1" 2001:db8:1::1 | grep -qx noreply'
check "  while IPv4 is unchanged" eval 'q "$C1" 192.0.2.1 | grep -qx mode=4'

# --- an upstream outside the peer list: never used ----------------------------------
nsx "$C2" "${PKT[@]}" serve 198.51.100.2 "" --timeout 60 >"$D/serve.log" 2>&1 &
srv=$!
check "access-group peer 10 (C2 not in it)" k ntp access-group peer 10
check "server 198.51.100.2 minpoll 0 maxpoll 0" k server 198.51.100.2 minpoll 0 maxpoll 0
check "  C2's server answers: dropped, counted on the association" \
	wait_for 20 eval '[ "$(counter "$S" drop_access 198.51.100.2)" -ge 2 ]'
check "  no sample taken" [ "$(counter "$S" samples 198.51.100.2)" = 0 ]
check "  counted on the instance too" \
	eval '[ "$(cnt drop_access)" -ge "$(counter "$S" drop_access 198.51.100.2)" ]'

# --- removing the groups restores service -------------------------------------------
for g in "peer" "serve-only" "query-only" "ipv6 serve"; do
	# shellcheck disable=SC2086 # words
	check "no ntp access-group $g" k no ntp access-group $g
done
check "  show access-lists: no group" \
	eval 'k show access-lists | grep -q "none: every source is allowed"'
check "  the server association takes samples" \
	wait_for 20 eval '[ "$(counter "$S" samples 198.51.100.2)" -ge 1 ]'
check "  C2 answered over IPv4 and IPv6" \
	eval 'q "$C2" 198.51.100.1 | grep -qx mode=4 && q "$C2" 2001:db8:2::1 | grep -qx mode=4'
k no server 198.51.100.2

# --- kntp apply converges ------------------------------------------------------------
cat >"$D/a.conf" <<'CONF'
! access control
access-list 10 permit 192.0.2.0 0.0.0.255
ipv6 access-list CLIENTS
 permit 2001:db8:1::/48
 deny any
ntp access-group serve-only 10 kod
ntp access-group ipv6 serve CLIENTS
CONF
check "apply: lists replaced and removed, groups set" \
	eval 'k apply "$D/a.conf" >"$D/out" && cat "$D/out" | sed "s/^/# /" &&
	      grep -qx "+ ipv6 access-list CLIENTS (2 entries)" "$D/out" &&
	      grep -qx "access-group serve-only 10 kod" "$D/out" &&
	      grep -qx "access-group ipv6 serve CLIENTS" "$D/out" &&
	      grep -qx -- "- access-list 1300" "$D/out" &&
	      grep -qx -- "- ipv6 access-list EMPTY" "$D/out"'
check "apply again: no change" eval '[ "$(k apply "$D/a.conf")" = "no change" ]'
check "  C2 refused, C1 answered" \
	eval 'q "$C2" 198.51.100.1 | grep -qx refid_ascii=DENY && q "$C1" 192.0.2.1 | grep -qx mode=4'
sed -i 's/serve-only 10 kod/serve-only 10/; s/^ deny any/ permit 2001:db8:2::\/48/' "$D/a.conf"
check "edited: the group's kod and a list entry changed" \
	eval '[ "$(k apply "$D/a.conf" | tr "\n" ";")" = "~ ipv6 access-list CLIENTS (2 entries);access-group serve-only 10;" ]'
check "  C2 answered over IPv6 now" eval 'q "$C2" 2001:db8:2::1 | grep -qx mode=4'
printf 'ipv6 access-list X\n permit any\n permit any\nfoo\n' >"$D/bad.conf"
check "a bad line ends the block and is quoted" \
	fails_with "$D/bad.conf:4: \"foo\": unknown command \"foo\"" k apply "$D/bad.conf"
printf 'ntp access-group peer 10\nntp access-group peer 11\n' >"$D/dup.conf"
check "a group given twice: refused, naming both lines" \
	fails_with "$D/dup.conf:2: \"ntp access-group peer 11\": \"access-group peer\" given twice (also on line 1)" \
	k apply "$D/dup.conf"
printf 'ntp master 3\n' >"$D/none.conf"
check "a file without access control removes it all" \
	eval 'k apply "$D/none.conf" >/dev/null && [ "$(k -j show access-lists)" = "{\"access_lists\": [], \"access_groups\": []}" ]'

ip netns del "$S"
check "no kernel complaints" eval '! kernel_complaints'
tap_done
