#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# "ntp serve ingress IFNAME" (kmod/ingress.c): requests to an address of
# IFNAME answered at its ingress, before the IP layer, out of IFNAME to
# the sender's MAC address. What must hold:
#
# - requests of both families are answered there, and the IP layer never
#   sees them (its UDP counters stay still), the answers as they would be;
# - what the hook does not fully check goes up the stack as before: a
#   wrong UDP checksum (the stack drops and counts it), IP options, IP
#   fragments, an address of another device (answered the usual way),
#   every mode but a client's (what may steer the clock keeps the stack's
#   filters), everything while the instance is disabled;
# - access control and rate limiting apply as on the usual path;
# - the device's hook goes with the device (deleted, its namespace gone),
#   the instance's with the instance (namespace deleted, rmmod), nothing
#   waits for a reference;
# - bad commands change nothing; an unprivileged caller is refused.
#
#   f: ntp_pkt.py, ingress_raw.py           k: kntp, serve ingress k-f
#   192.0.2.1  2001:db8::1   ------------   192.0.2.2  2001:db8::2
#                                  198.51.100.1, 2001:db8:100::1 on dummy d0
set -u
. "$(dirname "$0")/lib.sh"
need python3 jq setpriv

PKT="/usr/bin/python3 $KNTP_TOP/selftests/ntp_pkt.py"
RAW="/usr/bin/python3 $KNTP_TOP/selftests/ingress_raw.py"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
T=$(mktemp -d /tmp/kntp-ingress.XXXXXX)
cleanup() {
	rm -rf "$T"
	ip netns del f 2>/dev/null
	ip netns del k 2>/dev/null
	ip netns del k2 2>/dev/null
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }
send() { ip netns exec f $PKT query "$@"; }
raw() { ip netns exec f $RAW 192.0.2.1 "$@"; }

# answered ADDR [ARGS...]: from f, ADDR answers (lib.sh's ntp_answered).
answered() { ntp_answered f "$@"; }
unanswered() {
	reply=$(send "$@" --timeout 0.5)
	echo "$reply" | grep -q '^noreply'
}

# snmp NS NAME: a UDP counter of namespace NS (Udp: and Udp6 lines).
snmp() {
	ip netns exec "$1" awk -v n="$2" '
		$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 }
			else if (n in c) print $c[n] }
		$1 == n { print $2 }' /proc/net/snmp /proc/net/snmp6
}
ingress_json() { k -j show status | jq -c '.ingress'; }

check "insmod kntp.ko" load_module
netns_pair f 192.0.2.1 2001:db8::1 k 192.0.2.2 2001:db8::2
ip -n k link add d0 type dummy && ip -n k addr add 198.51.100.1/32 dev d0 &&
	ip -n k addr add 2001:db8:100::1/128 dev d0 nodad &&
	ip -n k link set d0 up && ip -n f route add 198.51.100.1/32 via 192.0.2.2 &&
	ip -n f route add 2001:db8:100::1/128 via 2001:db8::2
check "kntp: enable, master 3" eval 'k enable && k master 3'
# A kernel without netfilter's ingress hook refuses it, and says why.
if ! out=$(k serve ingress k-f 2>&1); then
	case $out in
	*CONFIG_NETFILTER_INGRESS*)
		echo "# SKIP this kernel has no netfilter ingress hook: $out"
		exit "$KSFT_SKIP" ;;
	esac
fi
k no serve ingress k-f 2>/dev/null

# --- the commands ---------------------------------------------------------
check "serve ingress lo: refused, not Ethernet" \
	fails_with "Ethernet" k serve ingress lo
check "serve ingress of no device: refused by name" \
	fails_with "nodev9" k serve ingress nodev9
check "unprivileged: serve ingress refused" \
	fails_with "Operation not permitted" ip netns exec k "${NOBODY[@]}" "$KNTP" serve ingress k-f
if ip netns exec k "${NOBODY[@]}" unshare -Ur true 2>/dev/null; then
	check "CAP_NET_ADMIN in a user namespace only: refused" \
		fails_with "Operation not permitted" ip netns exec k "${NOBODY[@]}" unshare -Ur \
		"$KNTP" serve ingress k-f
else
	ok "# SKIP no unprivileged user namespaces"
fi
check "  nothing changed: no device listed" [ "$(ingress_json)" = "[]" ]
check "serve ingress k-f" k serve ingress k-f
check "  listed in show status" eval 'k show status | grep -q "ingress: k-f"'
check "  and in its JSON" [ "$(ingress_json)" = '["k-f"]' ]
check "serve ingress k-f again: refused" fails_with "already" k serve ingress k-f
check "no serve ingress d0 (not served): refused" \
	fails_with "not answering" k no serve ingress d0

# --- answered there, the IP layer never sees it ---------------------------
u4=$(snmp k InDatagrams)
u6=$(snmp k Udp6InDatagrams)
tx=$(counter k tx)
check "IPv4: answered, origin = our transmit" answered 192.0.2.2
check "IPv6: answered, origin = our transmit" answered 2001:db8::2
check "IPv4: 300 requests, 300 answers" eval \
	'[ "$(send 192.0.2.2 --count 300)" = "replies=300" ]'
check "  kntp counted 302 answers" [ "$(counter k tx)" = $((tx + 302)) ]
check "  the IP layer's UDP saw none of them (IPv4)" [ "$(snmp k InDatagrams)" = "$u4" ]
check "  nor IPv6's" [ "$(snmp k Udp6InDatagrams)" = "$u6" ]
check "a flood under a packet tap on k-f: answered" eval \
	'ip netns exec k $PKT tap k-f --wait 1 >/dev/null & [ "$(send 192.0.2.2 --count 200)" = "replies=200" ]; wait'

# --- what it does not take goes up the stack as before ---------------------
csum=$(snmp k InCsumErrors)
rx=$(counter k rx)
check "a wrong UDP checksum: not answered" [ "$(raw 192.0.2.2 --bad-csum)" = noreply ]
check "  the stack dropped it, counted" [ "$(snmp k InCsumErrors)" = $((csum + 1)) ]
check "  kntp never saw it" [ "$(counter k rx)" = "$rx" ]
u4=$(snmp k InDatagrams)
check "IP options: answered by the usual path" [ "$(raw 192.0.2.2 --ip-options)" = answered ]
check "  through the IP layer" [ "$(snmp k InDatagrams)" = $((u4 + 1)) ]
check "the right checksum, no options: answered at ingress" [ "$(raw 192.0.2.2)" = answered ]
check "  not through the IP layer" [ "$(snmp k InDatagrams)" = $((u4 + 1)) ]
check "  the answer: don't fragment, IP ID 0 (RFC 6864 sec. 4.1)" \
	[ "$(raw 192.0.2.2 --ip-header)" = "answered df=1 id=0" ]
check "symmetric active (mode 1) from a stranger: answered by the usual path" eval \
	'reply=$(send 192.0.2.2 --mode 1) && [ "$(reply_field mode)" = 2 ]'
check "  through the IP layer: only client requests are taken" \
	[ "$(snmp k InDatagrams)" = $((u4 + 2)) ]
check "the usual path's answer: don't fragment too" eval \
	'case $(raw 192.0.2.2 --ip-options --ip-header) in "answered df=1 id="*) ;; *) false ;; esac'
u4=$(snmp k InDatagrams)
check "IPv4: a request in two fragments: answered by the usual path" \
	answered 192.0.2.2 --fragment
check "  through the IP layer" [ "$(snmp k InDatagrams)" = $((u4 + 1)) ]
u4=$(snmp k InDatagrams)
check "an address of another device (d0): answered the usual way" answered 198.51.100.1
check "  through the IP layer" [ "$(snmp k InDatagrams)" = $((u4 + 1)) ]
u6=$(snmp k Udp6InDatagrams)
check "IPv6: a global address of d0: answered the usual way" answered 2001:db8:100::1
check "  through the IP layer" [ "$(snmp k Udp6InDatagrams)" = $((u6 + 1)) ]

check "disable: requests pass up (no socket: port unreachable)" eval \
	'n=$(snmp k NoPorts); k disable && unanswered 192.0.2.2 &&
	 [ "$(snmp k NoPorts)" = $((n + 1)) ]'
check "  the device still listed" [ "$(ingress_json)" = '["k-f"]' ]
check "enable: answered at ingress again" eval 'k enable && k master 3 && answered 192.0.2.2'

# --- access control and rate limiting apply -------------------------------
acc=$(counter k drop_access)
check "access-list 10 deny host 192.0.2.1, permit any; access-group serve 10" eval \
	'k access-list 10 deny host 192.0.2.1 && k access-list 10 permit any &&
	 k access-group serve 10'
check "  192.0.2.1 unanswered" unanswered 192.0.2.2
check "  counted as refused" [ "$(counter k drop_access)" = $((acc + 1)) ]
check "no access-group serve: answered again" eval 'k no access-group serve && answered 192.0.2.2'
check "ratelimit interval 3 burst 1 leak 0" k ratelimit interval 3 burst 1 leak 0
lim=$(counter k rate_limited)
# 30 requests in about 3 s: the burst's one answer, a token in 8 s.
check "  30 requests in a row: 2 answers at most" eval \
	'n=$(send 192.0.2.2 --count 30 --timeout 0.1 | sed -n "s/^replies=//p"); [ "$n" -le 2 ]'
check "  the rest counted as limited" [ "$(counter k rate_limited)" -ge $((lim + 28)) ]
check "no ratelimit" k no ratelimit

# --- the hook goes with its device, its instance ---------------------------
check "serve ingress d0 (a dummy: Ethernet)" k serve ingress d0
check "  both listed" [ "$(ingress_json)" = '["k-f","d0"]' ]
check "delete d0: it leaves the list" eval \
	'ip -n k link del d0 && [ "$(ingress_json)" = "[\"k-f\"]" ]'
# --- the configuration file ------------------------------------------------
check "running-config has the line" eval \
	'k show running-config | grep -qx "ntp serve ingress k-f"'
ip -n k link add d1 type dummy
k show running-config >"$T/cfg"
echo "ntp serve ingress d1" >>"$T/cfg"
check "apply: + serve ingress d1" eval 'k apply "$T/cfg" | grep -qx "+ serve ingress d1"'
check "  both listed" [ "$(ingress_json)" = '["k-f","d1"]' ]
check "apply again: no change" eval '[ "$(k apply "$T/cfg")" = "no change" ]'
grep -v "serve ingress" "$T/cfg" >"$T/cfg.none"
check "apply a file without them: both removed" eval \
	'[ "$(k apply "$T/cfg.none" | grep -c "^- serve ingress")" = 2 ]'
check "  none listed" [ "$(ingress_json)" = "[]" ]
echo "ntp serve ingress nodev7" >>"$T/cfg.none"
check "apply naming no device: refused, quoting the line" \
	fails_with '"ntp serve ingress nodev7"' k apply "$T/cfg.none"
check "  nothing changed" [ "$(ingress_json)" = "[]" ]
u4=$(snmp k InDatagrams)
check "  answered the usual way" answered 192.0.2.2
check "  through the IP layer" [ "$(snmp k InDatagrams)" = $((u4 + 1)) ]
check "serve ingress k-f again" k serve ingress k-f
check "delete f (the veth pair goes): k-f leaves the list" eval \
	'ip netns del f && wait_for 10 eval "[ \"\$(ingress_json)\" = \"[]\" ]"'
# A namespace deleted while its instance answers at a device's ingress.
ip netns add k2
ip -n k2 link add e0 type dummy && ip -n k2 link set e0 up
check "k2: enable, serve ingress e0" eval \
	'ip netns exec k2 "$KNTP" enable && ip netns exec k2 "$KNTP" serve ingress e0'
check "delete k2" ip netns del k2
netns_pair f 192.0.2.1 2001:db8::1 k 192.0.2.2 2001:db8::2 2>/dev/null
check "a new pair: serve ingress k-f, answered" eval \
	'k serve ingress k-f && answered 192.0.2.2'
check "rmmod while it answers at k-f" eval 'sleep 1; rmmod kntp'
check "  then k-f passes requests up: unanswered" unanswered 192.0.2.2
check "no kernel warnings" eval '! kernel_complaints'
tap_done
