#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# Symmetric-key authentication against implementations we did not write,
# both directions, every digest type each supports: chronyd as server, as
# client and as symmetric peer (its keyfile), NTPsec's ntpd as server (its
# keys file), ntpdig with -k/-a, and hand-made packets. A wrong secret, a
# key id we do not hold, a key we hold but do not trust, another trusted
# key than the association's, a truncated MAC, a missing MAC and a
# crypto-NAK each fail, are counted under their reason and show in "show
# associations detail".
#
#   s: chronyd server (keys 1-4, 7, 8), later NTPsec's ntpd (orphan, stratum 5)
#   192.0.2.1 and 192.0.2.11-15 (one address per key: kntp keeps one
#        |                       association per address)
#   192.0.2.2
#   k: kntp  198.51.100.2 ------ 198.51.100.1  p: chronyd symmetric peer
#   203.0.113.2 and .12-.15                       (key 5), later a forger
#        |
#   203.0.113.1
#   c: chronyd client of kntp (keys 1-4), ntpdig, hand-made requests
#
# Keys (kntp's words; chrony: MD5, SHA1, SHA256, AES128; NTPsec: md5,
# sha1, sha256, aes-128):
#   1 md5, 2 hmac-sha1 (HEX:), 3 hmac-sha2-256, 4 cmac-aes-128: everyone's
#   5 cmac-aes-128: kntp and the chronyd peer
#   6 hmac-sha1: kntp only (the peer association's key in "wrong key")
#   7 hmac-sha1: kntp holds it but does not trust it; the servers (chronyd,
#     then ntpd) and ntpdig have the same secret
#   8 hmac-sha1: kntp and the servers, with different secrets
#   9: nobody but ntpdig and the forger
#   10 hmac-sha1: kntp holds it but does not trust it, nobody else uses it
set -u
. "$(dirname "$0")/lib.sh"
need chronyd chronyc ntpdig python3 jq

PKTPY=$(dirname "$0")/ntp_auth_pkt.py
NTPD=$KNTP_TOP/build/ntpsec/root/usr/sbin/ntpd
T=$(mktemp -d /tmp/kntp-auth-interop.XXXXXX)
ntpd_pid=

cleanup() {
	local d ns
	for d in "$T"/*/; do chronyd_stop "$d"; done
	[ -z "$ntpd_pid" ] || kill "$ntpd_pid" 2>/dev/null
	for ns in s c p k; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }
pkt() {	# pkt NS ARGS...: selftests/ntp_auth_pkt.py in NS
	local ns=$1
	shift
	ip netns exec "$ns" /usr/bin/python3 "$PKTPY" "$@"
}
# The secrets: ASCII unless written HEX:, as both kntp and chrony take them.
S1=md5-secret-one
S2=HEX:0102030405060708090a0b0c0d0e0f1011121314
S3=sha256-secret-3
S4=aes128-secret-16	# 16 bytes
S5=peer-secret-5-16	# 16 bytes
S6=wrong-key-six
S7=untrusted-seven
# shellcheck disable=SC2034 # S8 is used in an eval
S8=kntp-secret-8
TYPES=(- md5 hmac-sha1 hmac-sha2-256 cmac-aes-128)	# kntp's words, by key id
CHRONY=(- MD5 SHA1 SHA256 AES128)
PYT=(- md5 sha1 sha256 aes128)		# ntp_auth_pkt.py --type
SECRETS=(- "$S1" "$S2" "$S3" "$S4")
P=198.51.100.1	# the chronyd peer

# detail ADDR: ADDR's block of "show associations detail" in k.
detail() {
	k show associations detail | awk -v a="$1" '/^[^ ]/ { inb = ($1 == a) } inb'
}
# last_auth ADDR: what the MAC of ADDR's last packet proved, as the detail
# says it: "ok", "bad mac", "unknown key"... (enum kntp_auth, "_" as " ").
last_auth() {
	detail "$1" | sed -n 's/^ authentication: .*last packet \([a-z_ ]*\),.*/\1/p'
}
at_least() {	# at_least COUNTER ADDR N: k's COUNTER (ADDR "": instance) >= N
	[ "$(counter k "$1" ${2:+"$2"})" -ge "$3" ]
}

check "insmod kntp.ko" load_module
modprobe -q cmac 2>/dev/null	# cmac(aes) is a module in Debian's kernel
netns_pair s 192.0.2.1 2001:db8:1::1 k 192.0.2.2 2001:db8:1::2
netns_pair p $P 2001:db8:2::1 k 198.51.100.2 2001:db8:2::2
netns_pair c 203.0.113.1 2001:db8:3::1 k 203.0.113.2 2001:db8:3::2
for i in 1 2 3 4 5; do ip -n s addr add "192.0.2.1$i/24" dev s-k; done
for i in 2 3 4 5; do ip -n k addr add "203.0.113.1$i/24" dev k-c; done

# --- keys ---------------------------------------------------------------------
keys_1_4() {
	local i
	for i in 1 2 3 4; do
		k authentication-key "$i" "${TYPES[i]}" "${SECRETS[i]}" || return 1
	done
}
check "kntp: authentication-key 1-4 (md5, hmac-sha1 HEX:, hmac-sha2-256, cmac-aes-128)" \
	keys_1_4
check "kntp: authentication-key 5 cmac-aes-128, 6, 7, 8 and 10 hmac-sha1" \
	eval 'k authentication-key 5 cmac-aes-128 $S5 && k authentication-key 6 hmac-sha1 $S6 &&
	      k authentication-key 7 hmac-sha1 $S7 && k authentication-key 8 hmac-sha1 $S8 &&
	      k authentication-key 10 hmac-sha1 untrusted-ten'
check "kntp: trusted-key 1-6, trusted-key 8 (not 7, not 10)" \
	eval 'k trusted-key 1-6 && k trusted-key 8'

mkdir -p "$T/keys"
chmod 700 "$T/keys"
{
	for i in 1 2 3 4; do
		case ${SECRETS[i]} in
		HEX:*) echo "$i ${CHRONY[i]} ${SECRETS[i]}" ;;
		*) echo "$i ${CHRONY[i]} ASCII:${SECRETS[i]}" ;;
		esac
	done
	echo "7 SHA1 ASCII:$S7"
	echo "8 SHA1 ASCII:chrony-secret-8"
} >"$T/keys/chrony.keys"
echo "5 AES128 ASCII:$S5" >"$T/keys/peer.keys"
# NTPsec (ntpd and ntpdig): "ID type secret", the secret ASCII up to 20
# characters, hex beyond.
{
	echo "1 md5 $S1"
	echo "2 sha1 ${S2#HEX:}"
	echo "3 sha256 $S3"
	echo "4 aes-128 $S4"
	echo "7 sha1 $S7"
	echo "8 sha1 ntpd-secret-8"
	echo "9 sha1 nobody-has-nine"
} >"$T/keys/ntp.keys"
chmod 600 "$T"/keys/*

# --- chronyd serves kntp; kntp serves chronyd; kntp and chronyd peer ----------
for i in 1 2 3 4; do
	check "kntp: server 192.0.2.1$i key $i (${TYPES[i]}) minpoll -1 maxpoll 0 iburst" \
		k server "192.0.2.1$i" key "$i" minpoll -1 maxpoll 0 iburst
done
check "kntp: server 192.0.2.1 key 7 (the server has it; kntp does not trust it)" \
	k server 192.0.2.1 key 7 minpoll -1 maxpoll 0 iburst
check "kntp: server 192.0.2.15 key 8 (the server has another secret for 8)" \
	k server 192.0.2.15 key 8 minpoll -1 maxpoll 0 iburst
check "kntp: peer $P key 5 minpoll 0 maxpoll 0" k peer $P key 5 minpoll 0 maxpoll 0
check "chronyd in s: local stratum 1, keyfile with MD5, SHA1, SHA256, AES128 keys" \
	chronyd_start s "$T/s" "local stratum 1" "allow" "port 123" \
	"keyfile $T/keys/chrony.keys"
# chronyd sends a SHA256 MAC whole (32 bytes) in an NTPv3 packet unless told
# "version 4" (ntp_core.c: "If the MAC in NTPv4 packets would be truncated,
# use version 3"): .13 gets version 4 (a 20-byte digest), .15 the default.
check "chronyd in c: server 203.0.113.2 key 1, .12 key 2, .13 key 3 version 4, .14 key 4, .15 key 3" \
	chronyd_start c "$T/c" "keyfile $T/keys/chrony.keys" \
	"server 203.0.113.2 key 1 iburst minpoll 0 maxpoll 0" \
	"server 203.0.113.12 key 2 iburst minpoll 0 maxpoll 0" \
	"server 203.0.113.13 key 3 version 4 iburst minpoll 0 maxpoll 0" \
	"server 203.0.113.14 key 4 iburst minpoll 0 maxpoll 0" \
	"server 203.0.113.15 key 3 iburst minpoll 0 maxpoll 0"
check "chronyd in p: local stratum 3, peer 198.51.100.2 key 5 (AES128)" \
	chronyd_start p "$T/p" "local stratum 3" "allow" "keyfile $T/keys/peer.keys" \
	"peer 198.51.100.2 key 5 minpoll 0 maxpoll 0"

authed() {	# authed ADDR: samples of ADDR, every one authenticated
	sampled k "$1" && at_least auth_ok "$1" 1 && [ "$(last_auth "$1")" = ok ]
}
for i in 1 2 3 4; do
	check "kntp <- chronyd, ${TYPES[i]}: samples, auth_ok, detail \"last packet ok\"" \
		wait_for 20 authed "192.0.2.1$i"
done
# untrusted SERVER MIN: its replies are refused as untrusted (at least MIN
# of them), no sample, and the detail says so.
untrusted() {
	at_least auth_untrusted "$1" "$2" && [ "$(counter k samples "$1")" = 0 ] &&
		[ "$(last_auth "$1")" = untrusted ]
}
check "kntp <- chronyd, key 7 (not trusted by kntp): auth_untrusted, no samples, detail \"last packet untrusted\"" \
	wait_for 15 untrusted 192.0.2.1 2
# Its replies would add to the instance's auth_untrusted, which the
# hand-made requests below count exactly; it comes back for ntpd.
check "kntp: no server 192.0.2.1" k no server 192.0.2.1
# silent SERVER TX: a server that drops our requests (their MAC fails:
# neither chronyd nor ntpd sends a crypto-NAK): TX sent, nothing received.
silent() {
	at_least tx "$1" "$2" && [ "$(counter k rx "$1")" = 0 ] &&
		[ "$(counter k samples "$1")" = 0 ]
}
check "kntp -> chronyd, key 8 (another secret): never answered, no samples" \
	wait_for 15 silent 192.0.2.15 4

chrony_authed() {	# chrony_authed DIR ADDR: chronyd took authenticated packets
	local d
	d=$(chronyc_in "$1" ntpdata "$2")
	echo "$d" | grep -q "^Authenticated *: Yes" &&
		echo "$d" | grep -Eq "^Total valid RX *: [1-9]"
}
chrony_waits() {	# chrony_waits ADDR: chrony_authed, or what went wrong
	wait_for 30 chrony_authed "$T/c" "$1" && return 0
	chronyc_in "$T/c" ntpdata "$1" |
		grep -E "^(Version|Mode|Stratum|Authenticated|Total)" | sed 's/^/# /'
	echo "# kntp: $(k show counters | awk '$2 != 0 && $1 ~ /^(drop|auth)_/' | tr '\n' ' ')"
	return 1
}
addr_of_key=(- 203.0.113.2 203.0.113.12 203.0.113.13 203.0.113.14)
for i in 1 2 3 4; do
	check "chronyd <- kntp, ${CHRONY[i]}: valid replies, \"Authenticated: Yes\"" \
		chrony_waits "${addr_of_key[i]}"
done
check "chronyd <- kntp, SHA256 as chronyd sends it by default (NTPv3, a 32-byte digest)" \
	chrony_waits 203.0.113.15
check "  kntp counted signed replies (reply_auth)" at_least reply_auth "" 5

check "kntp <-> chronyd peer, AES128: kntp samples chronyd, authenticated" \
	wait_for 30 authed $P
chrony_peer_ok() {
	chronyc_in "$T/p" ntpdata 198.51.100.2 | grep -q "^Mode *: Symmetric active" &&
		chrony_authed "$T/p" 198.51.100.2
}
check "  chronyd samples kntp as a symmetric peer, authenticated" \
	wait_for 30 chrony_peer_ok
fails_none() {	# no authentication failure counted by the instance (key 7's aside)
	local c n
	for c in missing unknown_key bad_length bad_mac wrong_key nak; do
		n=$(counter k "auth_$c")
		[ "$n" = 0 ] || { echo "# auth_$c: $n"; return 1; }
	done
}
check "  so far, no authentication failure counted" fails_none

# --- what the chronyd peer sends, refused for each reason -----------------------
# chronyd keeps signing with key 5 (AES128, the right secret) once a second;
# kntp's side changes. Each reason must be counted on the association, stop
# its samples and show as the last packet's in show associations detail.
refused() {	# refused COUNTER WORD: chronyd's packets now fail with it
	local c0 s1 s2
	c0=$(counter k "$1" $P)
	wait_for 15 at_least "$1" $P $((c0 + 1)) || { echo "# no $1 counted"; return 1; }
	s1=$(counter k samples $P)
	wait_for 15 at_least "$1" $P $((c0 + 3)) || { echo "# $1 did not grow"; return 1; }
	s2=$(counter k samples $P)
	[ "$s1" = "$s2" ] || { echo "# samples went on: $s1 -> $s2"; return 1; }
	[ "$(last_auth $P)" = "${2//_/ }" ] || { detail $P | sed 's/^/# /'; return 1; }
	detail $P | grep -q "^ authentication: key [0-9]*, .*, ${2//_/ } [1-9]" ||
		{ detail $P | sed 's/^/# /'; return 1; }
}
check "wrong secret: kntp's key 5 replaced with another secret" \
	k authentication-key 5 cmac-aes-128 wrong-secret-005
check "  chronyd's packets: auth_bad_mac, no samples, detail \"last packet bad mac\"" \
	refused auth_bad_mac bad_mac
check "untrusted: the right secret again, no trusted-key 5" \
	eval 'k authentication-key 5 cmac-aes-128 $S5 && k no trusted-key 5'
check "  chronyd's packets: auth_untrusted, no samples, detail \"last packet untrusted\"" \
	refused auth_untrusted untrusted
tx_no_key0=$(counter k tx_no_key $P)
check "unknown key id: no authentication-key 5" k no authentication-key 5
check "  chronyd's packets: auth_unknown_key, no samples, detail \"last packet unknown key\"" \
	refused auth_unknown_key unknown_key
check "  and kntp sends nothing for the key it lacks (tx_no_key)" \
	at_least tx_no_key $P $((tx_no_key0 + 1))
check "wrong key: key 5 back and trusted, the peer association now with key 6" \
	eval 'k authentication-key 5 cmac-aes-128 $S5 && k trusted-key 5 &&
	      k no peer $P && k peer $P key 6 minpoll 0 maxpoll 0'
check "  chronyd's packets (key 5): auth_wrong_key, no samples, detail \"last packet wrong key\"" \
	refused auth_wrong_key wrong_key

# --- the peer forged: hand-made packets from its address, counted exactly -------
chronyd_stop "$T/p"
check "chronyd in p stopped" \
	wait_for 10 eval '[ -z "$(ip netns exec p ss -Hlun sport = :123)" ]'
forged() {	# forged COUNTER WORD ARGS...: one mode 1 packet from the peer
	local c0 out
	c0=$(counter k "$1" $P)
	out=$(pkt p query 198.51.100.2 --mode 1 --timeout 0.3 "${@:3}")
	[ "$out" = noreply ] || { echo "# kntp answered: $out"; return 1; }
	[ "$(counter k "$1" $P)" = $((c0 + 1)) ] ||
		{ echo "# $1: $c0 -> $(counter k "$1" $P)"; return 1; }
	[ "$(last_auth $P)" = "${2//_/ }" ] || { detail $P | sed 's/^/# /'; return 1; }
}
check "a MAC of key 6 cut from 24 to 20 bytes: auth_bad_length +1, detail \"last packet bad length\"" \
	forged auth_bad_length bad_length --key 6 --type sha1 --secret $S6 --truncate 20
check "no MAC, where key 6 is required: auth_missing +1, detail \"last packet missing\"" \
	forged auth_missing missing
check "a crypto-NAK: auth_nak +1, detail \"last packet nak\"" forged auth_nak nak --nak
check "a valid MAC of key 6: auth_ok +1, detail \"ok\" (not answered: a configured peer)" \
	forged auth_ok ok --key 6 --type sha1 --secret $S6

# --- requests to kntp, hand-made, counted exactly ------------------------------
chronyd_stop "$T/c"
check "chronyd in c stopped (reply_auth only counts ours from here)" \
	wait_for 10 eval '! [ -S "$T/c/chronyd.sock" ]'
field() { sed -n "s/^$1=//p"; }
signed_reply() {	# signed_reply KEY: a request signed with it, a reply signed with it
	local i=$1 r0 out
	r0=$(counter k reply_auth)
	out=$(pkt c query 203.0.113.2 --key "$i" --type "${PYT[i]}" --secret "${SECRETS[i]}")
	echo "# key $i: $(echo "$out" | grep -E '^(mode|stratum|len|auth|mac_key)=' | tr '\n' ' ')"
	[ "$(echo "$out" | field auth)" = ok ] && [ "$(echo "$out" | field mac_key)" = "$i" ] &&
		[ "$(echo "$out" | field mode)" = 4 ] &&
		[ "$(counter k reply_auth)" = $((r0 + 1)) ]
}
for i in 1 2 3 4; do
	check "request with ${TYPES[i]} (key $i): a mode 4 reply with a valid MAC of key $i, reply_auth +1" \
		signed_reply "$i"
done
check "request without MAC: an unsigned reply, reply_auth +0" \
	eval 'r0=$(counter k reply_auth) &&
	      [ "$(pkt c query 203.0.113.2 | field auth)" = none ] &&
	      [ "$(counter k reply_auth)" = "$r0" ]'
dropped() {	# dropped COUNTER ARGS...: one request, no reply, COUNTER +1
	local c0 out
	c0=$(counter k "$1")
	out=$(pkt c query 203.0.113.2 --timeout 0.5 "${@:2}")
	[ "$out" = noreply ] || { echo "# kntp answered: $out"; return 1; }
	[ "$(counter k "$1")" = $((c0 + 1)) ] || { echo "# $1: $c0 -> $(counter k "$1")"; return 1; }
}
check "request with a SHA1 MAC cut from 24 to 20 bytes: no reply, auth_bad_length +1" \
	dropped auth_bad_length --key 2 --type sha1 --secret "$S2" --truncate 20
check "request with a wrong digest (key 2): no reply, auth_bad_mac +1" \
	dropped auth_bad_mac --key 2 --type sha1 --secret "$S2" --corrupt
check "request with key 9 (not held): no reply, auth_unknown_key +1" \
	dropped auth_unknown_key --key 9 --type sha1 --secret nobody-has-nine
check "request with key 10 (held, not trusted), a valid MAC: no reply, auth_untrusted +1" \
	dropped auth_untrusted --key 10 --type sha1 --secret untrusted-ten
check "request that is a crypto-NAK: no reply, auth_nak +1" dropped auth_nak --nak
check "mode 1 from a stranger signed with key 3: a mode 2 reply signed with key 3" \
	eval 'out=$(pkt c query 203.0.113.2 --mode 1 --key 3 --type sha256 --secret $S3) &&
	      [ "$(echo "$out" | field mode)" = 2 ] && [ "$(echo "$out" | field auth)" = ok ]'

# --- ntpdig -k -a ----------------------------------------------------------------
# (Not key 3: ntpdig 1.2.2 sends the whole 32-byte SHA-256 digest, which
# chronyd, ntpd and kntp all refuse as the wrong length.)
ntpdig_ok() {	# ntpdig_ok KEY: ntpdig accepts kntp's authenticated answer
	local out r0
	r0=$(counter k reply_auth)
	out=$(ip netns exec c ntpdig -t 2 -k "$T/keys/ntp.keys" -a "$1" 203.0.113.2 2>&1)
	echo "# ntpdig -a $1: $out"
	echo "$out" | grep -q " 203.0.113.2 s2 " && at_least reply_auth "" $((r0 + 1))
}
check "ntpdig -k -a 2 (sha1): kntp's signed answer accepted, stratum 2" ntpdig_ok 2
check "ntpdig -k -a 4 (aes-128): kntp's signed answer accepted, stratum 2" ntpdig_ok 4
ntpdig_refused() {	# ntpdig_refused KEY COUNTER
	local out c0
	c0=$(counter k "$2")
	out=$(ip netns exec c ntpdig -t 1 -k "$T/keys/ntp.keys" -a "$1" 203.0.113.2 2>&1)
	echo "# ntpdig -a $1: $out"
	! echo "$out" | grep -q " 203.0.113.2 s[0-9]" && at_least "$2" "" $((c0 + 1))
}
check "ntpdig -k -a 7 (a key kntp does not trust): no answer, auth_untrusted" \
	ntpdig_refused 7 auth_untrusted
check "ntpdig -k -a 9 (a key kntp does not hold): no answer, auth_unknown_key" \
	ntpdig_refused 9 auth_unknown_key

# --- NTPsec's ntpd as the server -------------------------------------------------
ntpsec() {
	chronyd_stop "$T/s"
	wait_for 10 eval '[ -z "$(ip netns exec s ss -Hlun sport = :123)" ]' || return 1
	mkdir -p "$T/ntpd"
	# Orphan mode: with no source, ntpd serves stratum 5 after a second;
	# it never touches the clock (disable ntp, kernel). NTPsec 1.2.2's
	# default restriction is "noquery limited" (include/ntp.h RES_Default):
	# about one answer a second per client address, the rest dropped
	# without a kiss. kntp's six associations here come from one address
	# at half-second polls, so the test lifts both ("restrict default"
	# would only add flags).
	cat >"$T/ntpd/ntp.conf" <<-EOF
		unrestrict default limited noquery
		keys $T/keys/ntp.keys
		trustedkey 1 2 3 4 7 8
		tos orphan 5 orphanwait 1
		disable ntp
		disable kernel
		logfile $T/ntpd/ntpd.log
	EOF
	ip netns exec s "$NTPD" -n -c "$T/ntpd/ntp.conf" -p "$T/ntpd/ntpd.pid" \
		>"$T/ntpd/out" 2>&1 &
	ntpd_pid=$!
	wait_for 15 eval '[ -n "$(ip netns exec s ss -Hlun sport = :123)" ]'
}
if ! [ -x "$NTPD" ] || ! "$NTPD" --version >/dev/null 2>&1; then
	skip "NTPsec's ntpd: $NTPD does not run here (scripts/deps.sh unpacks it)"
elif ! ntpsec; then
	not_ok "NTPsec's ntpd runs in s (orphan mode, keys 1-4, 7, 8)"
	sed 's/^/# /' "$T/ntpd/out" "$T/ntpd/ntpd.log" 2>/dev/null | tail -n 20
else
	ok "NTPsec's ntpd runs in s (orphan mode, keys 1-4, 7, 8)"
	declare -a n0
	for i in 1 2 3 4; do n0[i]=$(counter k samples "192.0.2.1$i"); done
	from_ntpd() {	# from_ntpd KEY: samples of ntpd (stratum 5), authenticated
		[ "$(assoc_json k "192.0.2.1$1" .stratum)" = 5 ] &&
			sampled k "192.0.2.1$1" $((n0[$1] + 2)) &&
			[ "$(last_auth "192.0.2.1$1")" = ok ]
	}
	t0=$(counter k tx 192.0.2.15)
	for i in 1 2 3 4; do
		if wait_for 40 from_ntpd "$i"; then
			ok "kntp <- ntpd, ${TYPES[i]} (key $i): stratum 5, samples, last packet ok"
		else
			not_ok "kntp <- ntpd, ${TYPES[i]} (key $i): stratum 5, samples, last packet ok"
			detail "192.0.2.1$i" | sed 's/^/# /'
		fi
	done
	# Orphan mode names 127.0.0.1 as its reference: never us (loop
	# detection compares with our address facing the source).
	not_loop() {
		[ "$(assoc_json k 192.0.2.11 .refid)" = 127.0.0.1 ] &&
			! k show associations detail | grep -q "not selectable: loop"
	}
	check "kntp <- ntpd in orphan mode (reference ID 127.0.0.1): not taken for a loop" \
		wait_for 20 not_loop
	check "kntp: server 192.0.2.1 key 7 again" \
		k server 192.0.2.1 key 7 minpoll -1 maxpoll 0 iburst
	if wait_for 15 untrusted 192.0.2.1 2; then
		ok "kntp <- ntpd, key 7 (ntpd trusts it, kntp does not): auth_untrusted, no samples"
	else
		not_ok "kntp <- ntpd, key 7 (ntpd trusts it, kntp does not): auth_untrusted, no samples"
		detail 192.0.2.1 | sed 's/^/# /'
		k show counters 192.0.2.1 | sed 's/^/# /'
		tail -n 20 "$T/ntpd/ntpd.log" | sed 's/^/# ntpd: /'
		kill -0 "$ntpd_pid" || echo "# ntpd $ntpd_pid is gone"
	fi
	check "kntp -> ntpd, key 8 (another secret): never answered, no samples" \
		wait_for 15 silent 192.0.2.15 $((t0 + 4))
fi

check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
