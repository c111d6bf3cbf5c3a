#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 200
#
# Packets we write by hand (selftests/ntp_pkt.py) against kntp: malformed
# packets and unanswerable modes are dropped, counted under their reason and
# never answered; requests are answered as RFC 5905 says; a scripted server
# drives every packet test of an association. The module keeps serving.
#
#   f: ntp_pkt.py (sender, fake server)      k: kntp
#   192.0.2.1  2001:db8::1   ------------   192.0.2.2  2001:db8::2
set -u
. "$(dirname "$0")/lib.sh"
need python3 jq

PKT="/usr/bin/python3 $KNTP_TOP/selftests/ntp_pkt.py"
T=$(mktemp -d /tmp/kntp-malformed.XXXXXX)
cleanup() {
	[ -n "${fake:-}" ] && kill "$fake" 2>/dev/null
	ip netns del f 2>/dev/null
	ip netns del k 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }
send() { ip netns exec f $PKT query "$@"; }

# hdr MODE [VERSION]: a 48-byte header as hex: LI/VN/mode, stratum, poll,
# precision; 36 zero bytes (root delay and dispersion, refid, reference,
# origin, receive timestamps); a non-zero transmit timestamp.
hdr() {
	printf '%02x0000ec' $(((${2:-4} << 3) | $1))
	printf '00%.0s' $(seq 36)
	printf 'e%015x' "$RANDOM$RANDOM"
}

# dropped REASON SEND-ARGS...: no reply, and counter REASON grew by one.
dropped() {
	local reason=$1 before out
	shift
	before=$(counter k "$reason")
	out=$(send "$@")
	[ "$out" = noreply ] || { echo "# answered: $out"; return 1; }
	[ "$(counter k "$reason")" = $((before + 1)) ] ||
		{ echo "# $reason: $before -> $(counter k "$reason")"; return 1; }
}

check "insmod kntp.ko" load_module
netns_pair f 192.0.2.1 2001:db8::1 k 192.0.2.2 2001:db8::2
check "kntp: enable (serve only)" k enable

# --- malformed packets: dropped, counted, never answered -------------------
check "20 bytes: drop_short" dropped drop_short 192.0.2.2 --len 20
check "version 0: drop_version" dropped drop_version 192.0.2.2 --raw "$(hdr 3 0)"
check "version 7: drop_version" dropped drop_version 192.0.2.2 --raw "$(hdr 3 7)"
check "extension field longer than the packet: drop_ext_length" \
	dropped drop_ext_length 192.0.2.2 --raw "$(hdr 3)01040028000000000000000000000000"
check "3 stray bytes after the header: drop_trailer" \
	dropped drop_trailer 192.0.2.2 --raw "$(hdr 3)aabbcc"
check "1200 bytes: drop_too_long" dropped drop_too_long 192.0.2.2 --len 1200
check "a MAC with a key we do not hold (key 1, 16-byte digest): auth_unknown_key" \
	dropped auth_unknown_key 192.0.2.2 --raw "$(hdr 3)00000001$(printf '5a%.0s' $(seq 16))"
check "a crypto-NAK (key id 0 alone): auth_nak, no answer" \
	dropped auth_nak 192.0.2.2 --raw "$(hdr 3)00000000"
check "mode 6 (control): drop_control" dropped drop_control 192.0.2.2 --mode 6
check "mode 7 (private): drop_private" dropped drop_private 192.0.2.2 --mode 7
check "mode 5 (broadcast): drop_broadcast" dropped drop_broadcast 192.0.2.2 --mode 5
check "mode 0 (reserved): drop_mode" dropped drop_mode 192.0.2.2 --mode 0
check "mode 2 from nobody we poll: drop_no_assoc" dropped drop_no_assoc 192.0.2.2 --mode 2
check "mode 4 from nobody we poll: drop_no_assoc" dropped drop_no_assoc 2001:db8::2 --mode 4

# --- requests ----------------------------------------------------------------
reply=$(send 192.0.2.2)
echo "$reply" | sed 's/^/#   /'
check "mode 3 gets mode 4, version 4" \
	eval '[ "$(reply_field mode)" = 4 ] && [ "$(reply_field version)" = 4 ]'
check "  origin is the request's transmit timestamp" \
	test "$(reply_field org)" = "$(reply_field sent_xmt)"
check "  unsynchronised: leap 3, stratum 0, refid INIT" \
	eval '[ "$(reply_field leap)" = 3 ] && [ "$(reply_field stratum)" = 0 ] &&
	      [ "$(reply_field refid_ascii)" = INIT ]'
check "  receive <= transmit <= our receive time" \
	eval '[ "$(reply_field rec_le_xmt)" = 1 ] && [ "$(reply_field xmt_le_t4)" = 1 ]'
check "kntp: master 2" k master 2
reply=$(send 2001:db8::2 --version 3)
echo "$reply" | sed 's/^/#   /'
check "IPv6, version 3: mode 4, version 3, leap 0, stratum 2, refid LOCL" \
	eval '[ "$(reply_field mode)" = 4 ] && [ "$(reply_field version)" = 3 ] &&
	      [ "$(reply_field leap)" = 0 ] && [ "$(reply_field stratum)" = 2 ] &&
	      [ "$(reply_field refid_ascii)" = LOCL ]'
check "  reference time not after the transmit time" \
	test "$(reply_field ref_le_xmt)" = 1
reply=$(send 192.0.2.2 --mode 1)
check "mode 1 from an unknown peer: stateless mode 2 reply" \
	eval '[ "$(reply_field mode)" = 2 ] && [ "$(reply_field org)" = "$(reply_field sent_xmt)" ]'
check "  counted, and no association was created" \
	eval '[ "$(counter k reply_passive)" = 1 ] && ! k show associations | grep -qE "^.~"'

# --- a scripted server: every packet test of an association ------------------
script=good,dup,bogus,zero-org,unsync,stratum16,distance,reftime-future,good,rate,good,deny
ip netns exec f $PKT serve 192.0.2.1 "$script" --timeout 4 >"$T/fake.log" 2>&1 &
fake=$!
sleep 0.5
check "kntp: server 192.0.2.1 minpoll -2 maxpoll 0" k server 192.0.2.1 minpoll -2 maxpoll 0
stopped() { k show associations | grep -q "~192.0.2.1 .* denied"; }
check "DENY stops the association, which shows as denied" wait_for 30 stopped
check "  the fake server saw no request after the DENY" \
	eval 'wait "$fake"; grep -q "^idle" "$T/fake.log" &&
	      [ "$(grep -c "^request" "$T/fake.log")" = 12 ]'
sed 's/^/#   /' "$T/fake.log" | tr '\n' ' '
echo
expect() {	# expect COUNTER N
	local n
	n=$(counter k "$1" 192.0.2.1)
	[ "$n" = "$2" ] || { echo "# $1 is $n, not $2"; return 1; }
}
check "test 1: one duplicate" expect drop_dup 1
check "test 2: one bogus (wrong origin)" expect drop_bogus 1
check "test 3: one invalid (zero origin)" expect drop_invalid 1
check "unsynchronised sender: leap 3 and stratum 16" expect drop_unsync 2
check "root distance and reference time after transmit" expect drop_distance 2
check "one RATE kiss code" expect kod_rate 1
check "one DENY kiss code" expect kod_deny 1
check "three good replies became samples" expect samples 3
check "RATE doubled the poll interval (0.25 s -> 0.5 s)" \
	test "$(assoc_json k 192.0.2.1 .poll_log2)" = -1
check "the instance sums the association's drops" \
	eval '[ "$(counter k drop_dup)" -ge 1 ] && [ "$(counter k kod_deny)" = 1 ]'

# --- still serving -------------------------------------------------------------
reply=$(send 192.0.2.2)
check "kntp still answers after all of this" test "$(reply_field mode)" = 4
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
