#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# Rate limiting of the server's answers ("ntp ratelimit"):
#
#   netns F (flooder) ── veth ── netns S: kntp, master 8 ── veth ── netns C
#   198.51.100.2                 198.51.100.1 | 203.0.113.1          203.0.113.2
#   + 198.51.100.10-209 (many sources), .250 (S's configured server)
#   2001:db8:1::2, ::3 (one /64)    2001:db8:1::1
#
# The word: accepted, bad values refused naming the word and the range,
# round trip through show running-config and apply, refused to an
# unprivileged caller. Then: one source floods at ~10000/s while C polls
# at 0.8/s: the flood gets at most burst + elapsed/interval answers, C every
# one, and the counters add up exactly; the leak answers about its share;
# with kod at most one kiss per interval; the address of a configured
# server is never limited; two IPv6 sources in one /64 share one record;
# more sources than records are counted as evictions.
set -u
. "$(dirname "$0")/lib.sh"
need setpriv python3

# Short names: the veth devices are named after them (15 bytes at most).
S=rs F=rf C=rc
FLOOD=$KNTP_TOP/selftests/ntpflood
# shellcheck disable=SC2034 # used in eval'ed checks
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
D=$(mktemp -d /tmp/kntp-rl.XXXXXX)

cleanup() {
	for ns in "$S" "$F" "$C"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT

[ -x "$FLOOD" ] || { echo "# SKIP: $FLOOD not built (make -C selftests)"; exit "$KSFT_SKIP"; }

k() { nsx "$S" "$KNTP" "$@"; }
c() { counter "$S" "$1"; }
# field LINE-OF-OUTPUT NAME: the value of NAME=value.
field() { sed -n "s/.*\\b$2=\\([0-9.]*\\).*/\\1/p" <<<"$1"; }
used() { k show status | awk '/^rate limit table:/ { print $4 }'; }

check "insmod kntp.ko" load_module
modprobe veth
netns_pair "$S" 198.51.100.1 2001:db8:1::1 "$F" 198.51.100.2 2001:db8:1::2 &&
	ip netns add "$C" 2>/dev/null
ip link add "$S-c" netns "$S" type veth peer name "$C-s" netns "$C"
ip -n "$S" addr add 203.0.113.1/24 dev "$S-c"
ip -n "$C" addr add 203.0.113.2/24 dev "$C-s"
ip -n "$S" link set "$S-c" up
ip -n "$C" link set "$C-s" up
ip -n "$C" link set lo up
for i in $(seq 10 209) 250; do
	ip -n "$F" addr add "198.51.100.$i/24" dev "$F-$S"
done
ip -n "$F" addr add 2001:db8:1::3/64 dev "$F-$S" nodad

check "the server serves (clock virtual, master 8)" \
	eval 'k clock virtual && k master 8'
check "rate limiting is off by default" \
	eval 'k show status | grep -qx "rate limiting is off"'
check "  and the flooder is answered in full" eval '
	out=$(nsx "$F" "$FLOOD" -r 200 -n 100 198.51.100.1)
	[ "$(field "$out" replies)" = 100 ] || { echo "# $out"; false; }'

# --- the word ---------------------------------------------------------
check "\"ntp ratelimit\" accepted" k ratelimit
check "  show running-config: \"ntp ratelimit\"" \
	eval 'k show running-config | grep -qx "ntp ratelimit"'
check "  show status: chrony's defaults, table 4096" eval '
	k show status | grep -qx "rate limiting: interval 2\*\*3 s, burst 8, leak 1/4, kod off" &&
	k show status | grep -q "^rate limit table: [0-9]* of 4096 records used, ipv6 prefix /64"'
check "  JSON: the settings" eval '
	k -j show status | /usr/bin/python3 -c "import json,sys
r = json.load(sys.stdin)[\"ratelimit\"]
assert r == dict(r, enabled=True, interval_log2=3, burst=8, leak_log2=2, kod=False,
                 table_size=4096, ipv6_prefix_len=64), r
assert isinstance(r[\"table_used\"], int), r"'
check "every option accepted" \
	k ratelimit interval -2 burst 16 leak 0 kod table-size 256 ipv6-prefix 56
check "  running-config prints them" eval '
	k show running-config | grep -qx "ntp ratelimit interval -2 burst 16 leak 0 kod table-size 256 ipv6-prefix 56"'
for bad in "interval 13:interval \"13\": out of range (-19..12" \
	   "burst 0:burst \"0\": out of range (1..255)" \
	   "burst 256:burst \"256\": out of range (1..255)" \
	   "leak 5:leak \"5\": out of range (0..4" \
	   "table-size 1000:table-size \"1000\": out of range (64..1048576, a power of two)" \
	   "ipv6-prefix 20:ipv6-prefix \"20\": out of range (32..128 bits)" \
	   "fast:unknown option \"fast\""; do
	# shellcheck disable=SC2086
	check "ratelimit ${bad%%:*}: refused, naming the word and range" \
		fails_with "${bad#*:}" k ratelimit ${bad%%:*}
done
check "  nothing changed" eval '
	k show running-config | grep -qx "ntp ratelimit interval -2 burst 16 leak 0 kod table-size 256 ipv6-prefix 56"'
check "an unprivileged caller is refused" \
	eval '! nsx "$S" "${NOBODY[@]}" "$KNTP" ratelimit burst 2 2>/dev/null'
check "  and cannot turn it off" \
	eval '! nsx "$S" "${NOBODY[@]}" "$KNTP" no ratelimit 2>/dev/null'
check "  but reads it" \
	eval 'nsx "$S" "${NOBODY[@]}" "$KNTP" show status | grep -q "^rate limiting: interval 2\*\*-2 s, burst 16"'
# The running configuration as a file: applied again, nothing changes.
k show running-config >"$D/run.conf"
check "running-config applied again: no change" \
	eval '[ "$(k apply "$D/run.conf")" = "no change" ]'
printf 'ntp master 8\nntp ratelimit burst 4\n' >"$D/edit.conf"
check "a file's line replaces the settings" \
	eval '[ "$(k apply "$D/edit.conf")" = "ratelimit burst 4" ]'
check "  applied twice: no change" \
	eval '[ "$(k apply "$D/edit.conf")" = "no change" ]'
printf 'ntp master 8\nntp ratelimit burst 999\n' >"$D/bad.conf"
check "a bad value in a file: the line quoted, nothing changed" eval '
	fails_with "bad.conf:2: \"ntp ratelimit burst 999\": ratelimit: burst \"999\": out of range (1..255)" k apply "$D/bad.conf" &&
	k show running-config | grep -qx "ntp ratelimit burst 4"'
printf 'ntp master 8\n' >"$D/off.conf"
check "a file without the line turns it off" \
	eval '[ "$(k apply "$D/off.conf")" = "no ratelimit" ] &&
	      k show status | grep -qx "rate limiting is off"'
check "\"no ntp ratelimit\" when off: accepted, nothing to do" k no ntp ratelimit

# --- the flood ----------------------------------------------------------
# interval 0 (1 s), burst 4, no leak: exact.
# C polls at 0.8/s, below the refill of 1/s: never limited.
k ratelimit interval 0 burst 4 leak 0
rx0=$(c rx) rs0=$(c reply_server) rl0=$(c rate_limited) te0=$(c tx_err)
nsx "$C" "$FLOOD" -r 0.8 -t 6 203.0.113.1 >"$D/c.out" &
cpid=$!
out=$(nsx "$F" "$FLOOD" -r 10000 -t 5 198.51.100.1)
wait "$cpid"
cout=$(cat "$D/c.out")
sleep 0.5
rx=$(($(c rx) - rx0)) rs=$(($(c reply_server) - rs0))
rl=$(($(c rate_limited) - rl0)) te=$(($(c tx_err) - te0))
sent=$(field "$out" sent) got=$(field "$out" replies)
secs=$(field "$out" seconds)
echo "# flooder: $out"
echo "# other client: $cout"
echo "# server: rx $rx reply_server $rs rate_limited $rl tx_err $te"
rate=$(awk -v n="$sent" -v s="$secs" 'BEGIN { printf "%d", n / s }')
echo "# flood rate: $rate requests/s"
# A flood, however fast the guest: many times what the limit lets through
# (the debug kernel sends a tenth of what Debian's does).
check "the flood sent at least 50 times its allowance ($rate requests/s)" \
	eval '[ "$sent" -ge $((50 * (4 + ${secs%.*} + 2))) ]'
# Within the limit: 4 at once, then one per second of the flood (and one
# more for the second it started in).
bound=$(awk -v s="$secs" 'BEGIN { printf "%d", 4 + int(s) + 2 }')
check "the flooder got at most burst + seconds answers ($got <= $bound)" \
	eval '[ "$got" -ge 4 ] && [ "$got" -le "$bound" ]'
check "the other client got every answer" \
	eval '[ "$(field "$cout" replies)" = "$(field "$cout" sent)" ] &&
	      [ "$(field "$cout" sent)" -ge 4 ]'
check "every request counted: rx = reply_server + rate_limited" \
	eval '[ "$rx" -eq $((rs + rl)) ] && [ "$te" -eq 0 ]'
check "the server answered what both clients got" \
	eval '[ "$rs" -eq $((got + $(field "$cout" replies))) ]'
check "rate_limited counts the flooder's other requests exactly" \
	eval '[ "$rl" -eq $((rx - got - $(field "$cout" replies))) ] && [ "$rl" -gt 0 ]'

# leak 2: one in 4 of what is over the limit, at random.
k ratelimit interval 0 burst 4 leak 2
lk0=$(c rate_leaked) rl0=$(c rate_limited) rs0=$(c reply_server)
out=$(nsx "$F" "$FLOOD" -r 10000 -t 3 198.51.100.1)
lk=$(($(c rate_leaked) - lk0)) rl=$(($(c rate_limited) - rl0))
rs=$(($(c reply_server) - rs0))
got=$(field "$out" replies)
echo "# leak 2: $out; leaked $lk, limited $rl, answered $rs"
check "leak 2: about one in four over the limit answered ($lk of $((lk + rl)))" \
	awk -v l="$lk" -v r="$rl" 'BEGIN { f = l / (l + r); exit !(l + r > 1000 && f > 0.22 && f < 0.28) }'
check "  the flooder got the leaked ones and its allowance ($got)" \
	eval '[ "$got" -eq "$rs" ] && [ "$got" -ge "$lk" ] &&
	      [ "$got" -le $((lk + 4 + $(field "$out" seconds | cut -d. -f1) + 2)) ]'

# kod: a RATE kiss instead of silence, at most one per interval (2 s).
k ratelimit interval 1 burst 2 leak 0 kod
kd0=$(c rate_kod_sent)
out=$(nsx "$F" "$FLOOD" -r 10000 -t 5 198.51.100.1)
kd=$(($(c rate_kod_sent) - kd0))
kis=$(field "$out" kisses) secs=$(field "$out" seconds)
echo "# kod: $out; rate_kod_sent $kd"
bound=$(awk -v s="$secs" 'BEGIN { printf "%d", int(s / 2) + 2 }')
check "kod: kisses sent, at most one per interval ($kis <= $bound)" \
	eval '[ "$kis" -ge 2 ] && [ "$kis" -le "$bound" ]'
check "  rate_kod_sent counts them ($kd)" eval '[ "$kd" -eq "$kis" ]'
check "  each kiss: leap 3, mode 4, stratum 0, RATE, 48 bytes" \
	eval '[ "$(field "$out" bad_kisses)" = 0 ]'

# A configured server's address is never limited.
k server 198.51.100.250 minpoll 10
rl0=$(c rate_limited)
out=$(nsx "$F" "$FLOOD" -r 2000 -n 2000 -s 198.51.100.250 198.51.100.1)
echo "# from the configured server's address: $out"
check "a configured server's address: every request answered" \
	eval '[ "$(field "$out" replies)" = "$(field "$out" sent)" ] &&
	      [ "$(field "$out" sent)" -ge 1000 ] && [ "$(c rate_limited)" -eq "$rl0" ]'
k no server 198.51.100.250

# IPv6: two sources in one /64 share one record (burst 2 between them).
k ratelimit interval 12 burst 2 leak 0
o2=$(nsx "$F" "$FLOOD" -r 100 -n 2 -s 2001:db8:1::2 2001:db8:1::1)
o3=$(nsx "$F" "$FLOOD" -r 100 -n 2 -s 2001:db8:1::3 2001:db8:1::1)
check "IPv6 /64: the second source shares the first's bucket" \
	eval '[ "$(field "$o2" replies)" = 2 ] && [ "$(field "$o3" replies)" = 0 ]'
k ratelimit interval 12 burst 2 leak 0 ipv6-prefix 128
o3=$(nsx "$F" "$FLOOD" -r 100 -n 2 -s 2001:db8:1::3 2001:db8:1::1)
check "  ipv6-prefix 128: its own bucket" eval '[ "$(field "$o3" replies)" = 2 ]'

# More sources than records: 200 sources, one request each, 64 records.
k ratelimit interval 3 burst 1 leak 0 table-size 64
ev0=$(c rate_evict)
out=$(nsx "$F" "$FLOOD" -r 1000 -n 200 -s 198.51.100.10-198.51.100.209 198.51.100.1)
ev=$(($(c rate_evict) - ev0)) u=$(used)
echo "# 200 sources into 64 records: $out; rate_evict $ev, used $u"
check "each new source answered" eval '[ "$(field "$out" replies)" = 200 ]'
check "evictions counted: rate_evict + records used = 200 ($ev + $u)" \
	eval '[ "$u" -le 64 ] && [ $((ev + u)) -eq 200 ]'

check "no kernel complaint" eval '[ -z "$(kernel_complaints)" ]'
check "no ratelimit: off, the table gone" \
	eval 'k no ratelimit && k show status | grep -qx "rate limiting is off"'
tap_done
