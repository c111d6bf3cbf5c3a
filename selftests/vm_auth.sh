#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# Symmetric-key authentication between two kntp instances, and its words:
# keys, trust, "authenticate", server/peer "key N", what each refusal
# counts, what show and running-config give away (never a secret), who
# may change keys, and the configuration file that holds secrets.
#
#   a: kntp, master 3            b: kntp, client and peer of a
#   192.0.2.1   2001:db8::1  ---  192.0.2.2   2001:db8::2
set -u
. "$(dirname "$0")/lib.sh"
need setpriv jq

D=$(mktemp -d /tmp/kntp-auth.XXXXXX)
cleanup() {
	ip netns del a 2>/dev/null
	ip netns del b 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT

a() { ip netns exec a "$KNTP" "$@"; }
b() { ip netns exec b "$KNTP" "$@"; }
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

grows() {	# grows NS COUNTER ADDR BEFORE (ADDR "": the instance's)
	[ "$(counter "$1" "$2" ${3:+"$3"})" -gt "$4" ]
}

check "insmod kntp.ko" load_module
modprobe -q cmac 2>/dev/null	# cmac(aes) is a module in Debian's kernel
netns_pair a 192.0.2.1 2001:db8::1 b 192.0.2.2 2001:db8::2
check "a: master 3" a master 3

# --- the words ---------------------------------------------------------------
check "a: authentication-key 1 md5 (ASCII)" a authentication-key 1 md5 tick-tock
check "a: authentication-key 2 hmac-sha1 (HEX:)" \
	a authentication-key 2 hmac-sha1 HEX:00112233445566778899aabbccddeeff
check "a: authentication-key 3 hmac-sha2-256" a authentication-key 3 hmac-sha2-256 s256
check "a: authentication-key 4 cmac-aes-128 (16 bytes)" \
	a authentication-key 4 cmac-aes-128 0123456789abcdef
check "a: trusted-key 1-4" a trusted-key 1-4
check "a: a 15-byte cmac-aes-128 secret is refused, naming the length" \
	fails_with "exactly 16 bytes" a authentication-key 5 cmac-aes-128 0123456789abcde
check "a: key id 0 is refused" fails_with "1..65535" a authentication-key 0 md5 x
check "a: an unknown type is refused, listing the types" \
	fails_with "md5, hmac-sha1, hmac-sha2-256, cmac-aes-128" \
	a authentication-key 5 sha3 x
check "a: no authentication-key 9 (none): refused" \
	fails_with "no key with this id" a no authentication-key 9
check "a: show authentication-keys lists 4 keys, all trusted, no secret" \
	eval '[ "$(a show authentication-keys | grep -c " yes ")" = 4 ] &&
	      ! a show authentication-keys | grep -q tick-tock'
check "a: running-config: keys by fingerprint, trusted-key 1-4, never a secret" \
	eval 'rc=$(a show running-config) &&
	      grep -q "^ntp authentication-key 1 md5 FINGERPRINT:[0-9a-f]\{16\}$" <<<"$rc" &&
	      grep -q "^ntp trusted-key 1-4$" <<<"$rc" &&
	      ! grep -q "tick-tock\|s256\|0123456789abcdef\|00112233" <<<"$rc"'
check "a: the running configuration applies back with no change" \
	eval 'a show running-config >"$D/rc" && chmod 600 "$D/rc" &&
	      [ "$(a apply "$D/rc")" = "no change" ]'
check "a: a changed secret is noticed" \
	eval 'sed "s/^ntp authentication-key 1 md5 FINGERPRINT:.*/ntp authentication-key 1 md5 tock-tick/" \
		"$D/rc" >"$D/rc2" && chmod 600 "$D/rc2" &&
	      a apply "$D/rc2" | grep -q "^~ authentication-key 1 (secret changed)$"'
check "a: a fingerprint that is not the kernel's is refused, nothing changed" \
	eval 'a show running-config |
		sed "s/^\(ntp authentication-key 2 hmac-sha1\) .*/\1 FINGERPRINT:0000000000000000/" \
		>"$D/rc3" && chmod 600 "$D/rc3" &&
	      ! a apply "$D/rc3" 2>"$D/err" &&
	      { grep -q "rc3:[0-9]*: \"ntp authentication-key 2 hmac-sha1 FINGERPRINT:0000000000000000\"" "$D/err" ||
		{ sed "s/^/# /" "$D/err"; false; }; } &&
	      [ "$(a show authentication-keys | wc -l)" = 5 ]'
check "a: a file with secrets readable by others is refused, naming its mode" \
	eval 'cp "$D/rc2" "$D/open" && chmod 644 "$D/open" &&
	      ! a apply "$D/open" 2>"$D/err" &&
	      grep -q "holds secrets.*readable by group and others (mode 0644)" "$D/err"'
check "a: back to tick-tock for key 1" a authentication-key 1 md5 tick-tock
check "an unprivileged user cannot list keys" \
	fails_with "Operation not permitted" ip netns exec a "${NOBODY[@]}" "$KNTP" show authentication-keys
check "an unprivileged user cannot add a key" \
	fails_with "Operation not permitted" ip netns exec a "${NOBODY[@]}" "$KNTP" authentication-key 7 md5 x
check "  and show running-config says the keys are hidden, not that there are none" \
	eval 'ip netns exec a "${NOBODY[@]}" "$KNTP" show running-config | grep -q "keys not shown"'

# --- b, a client of a with each key type ---------------------------------------
b authentication-key 1 md5 tick-tock
b authentication-key 2 hmac-sha1 HEX:00112233445566778899aabbccddeeff
b authentication-key 3 hmac-sha2-256 s256
b authentication-key 4 cmac-aes-128 0123456789abcdef
b trusted-key 1-4
for k in 1 2 3 4; do
	check "b: server 192.0.2.1 key $k: signed samples" \
		eval 'b server 192.0.2.1 key '$k' minpoll -2 maxpoll -2 &&
		      wait_for 15 sampled b 192.0.2.1 &&
		      [ "$(counter b auth_ok 192.0.2.1)" -gt 0 ] &&
		      b no server 192.0.2.1'
done
check "a signed every reply with the request's key" \
	eval '[ "$(counter a reply_auth)" -gt 0 ]'

# --- what must not work ---------------------------------------------------------
b authentication-key 8 md5 wrong-secret
b trusted-key 8
check "b: key 1 with another secret at a: bad MAC, no sample" \
	eval 'b authentication-key 1 md5 not-tick-tock &&
	      b server 192.0.2.1 key 1 minpoll -2 maxpoll -2 && sleep 4 &&
	      ! sampled b 192.0.2.1 && [ "$(counter a auth_bad_mac)" -gt 0 ] &&
	      b no server 192.0.2.1 && b authentication-key 1 md5 tick-tock'
check "b: key 8, an id a does not hold: unknown key, no reply" \
	eval 'before=$(counter a auth_unknown_key) &&
	      b server 192.0.2.1 key 8 minpoll -2 maxpoll -2 && sleep 4 &&
	      ! sampled b 192.0.2.1 && grows a auth_unknown_key "" "$before" &&
	      b no server 192.0.2.1'
check "a no longer trusts key 3: untrusted, no reply" \
	eval 'a no trusted-key 3 && before=$(counter a auth_untrusted) &&
	      b server 192.0.2.1 key 3 minpoll -2 maxpoll -2 && sleep 4 &&
	      ! sampled b 192.0.2.1 && grows a auth_untrusted "" "$before" &&
	      b no server 192.0.2.1 && a trusted-key 3'
check "b: a key of b's that is missing: nothing sent, tx_no_key counted" \
	eval 'b server 192.0.2.1 key 99 minpoll -2 maxpoll -2 && sleep 3 &&
	      [ "$(counter b tx 192.0.2.1)" = 0 ] &&
	      [ "$(counter b tx_no_key 192.0.2.1)" -gt 0 ] &&
	      b no server 192.0.2.1'

# --- a server that does not sign, and "authenticate" ----------------------------
check "b: server 192.0.2.1 key 1, a unsigned reply is refused (auth_missing)" \
	eval 'b server 192.0.2.1 minpoll -2 maxpoll -2 && wait_for 10 sampled b 192.0.2.1 &&
	      b authenticate && before=$(counter b samples 192.0.2.1) && sleep 3 &&
	      [ "$(counter b samples 192.0.2.1)" = "$before" ] &&
	      [ "$(counter b auth_missing 192.0.2.1)" -gt 0 ] &&
	      b show associations detail | grep -q "authentication: no key, last packet missing"'
check "  show status says sources must authenticate" \
	eval 'b show status | grep -q "must authenticate"'
check "  no authenticate: unsigned samples again" \
	eval 'b no authenticate && before=$(counter b samples 192.0.2.1) &&
	      wait_for 10 grows b samples 192.0.2.1 "$before" && b no server 192.0.2.1'

# --- symmetric peers with a key, over IPv6 -------------------------------------
check "a, b: peers over IPv6 with key 4 (cmac-aes-128)" \
	eval 'a peer 2001:db8::2 key 4 minpoll -1 maxpoll -1 &&
	      b peer 2001:db8::1 key 4 minpoll -1 maxpoll -1'
check "  b samples a, signed" \
	eval 'wait_for 20 sampled b 2001:db8::1 && [ "$(counter b auth_ok 2001:db8::1)" -gt 0 ]'
check "  show associations detail names the key and the last packet ok" \
	eval 'b show associations detail | grep -q "authentication: key 4, last packet ok"'

a show counters | grep -E "^ *auth|reply_auth" | sed 's/^/# a: /'
tap_done
