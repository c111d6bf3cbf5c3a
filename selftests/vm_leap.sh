#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# The kernel's NTP state and leap seconds, on the guest's real clock. kntp
# in the initial namespace owns the system clock and follows three servers
# in s, played by ntp_pkt.py clock: stratum 1, a clock of their own on
# CLOCK_MONOTONIC_RAW (the discipline does not move it), and leap seconds
# applied as the kernel applies them.
#
#   s  192.0.2.1 .11 .12  ntp_pkt.py clock   ---  init  192.0.2.2  kntp
#
# The guest's clock is set to just before a month's end, and then:
#   1. a warning on a day that is not a month's last: ignored;
#   2. on a month's last day, one source of three warns: not a majority;
#   3. two of three warn of an inserted second: kntp serves leap 1, arms
#      STA_INS; the kernel inserts the second; kntp does not step, keeps
#      the clock, and serves leap 0 after;
#   4. all warn of a deleted second: the same with STA_DEL.
# Throughout, while synchronised: STA_UNSYNC clear, maxerror and esterror
# current; after rmmod: STA_UNSYNC set.
set -u
. "$(dirname "$0")/lib.sh"
need python3

PKT="/usr/bin/python3 $KNTP_TOP/selftests/ntp_pkt.py"
SERVERS="192.0.2.1 192.0.2.11 192.0.2.12"
STA_INS=16 STA_DEL=32 STA_UNSYNC=64	# include/uapi/linux/timex.h
# Leap seconds at the end of these days (the next midnight, Unix s).
DEC31_END=1798761600	# 2027-01-01 00:00:00 UTC: ends a month
JAN31_END=1801440000	# 2027-02-01 00:00:00 UTC: ends a month
FEB01_END=1801526400	# 2027-02-02 00:00:00 UTC: does not

T=$(mktemp -d /tmp/kntp-leap.XXXXXX)
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del s 2>/dev/null
	rmmod kntp 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

ip netns add s
ip link add k-s type veth peer name s-k netns s
ip addr add 192.0.2.2/24 dev k-s
ip link set k-s up
for a in $SERVERS; do ip -n s addr add "$a/24" dev s-k; done
ip -n s link set lo up
ip -n s link set s-k up

# status FIELD: a field of kntp's status (JSON).
status() {
	"$KNTP" -j show status |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
# kfield NAME: a field of the kernel's NTP state (adjtimex): status,
# maxerror, esterror; kbit BIT: that bit of the status is set.
kfield() { busybox adjtimex | awk -v k="$1:" '$1 == k { print $2 }'; }
kbit() { [ $(($(kfield status) & $1)) -ne 0 ]; }
# served LEAP: s asks kntp, and kntp answers with leap indicator LEAP.
served() {
	[ "$(ip netns exec s $PKT query 192.0.2.2 --timeout 2 |
		sed -n 's/^leap=//p')" = "$1" ]
}

# serve END KIND LI...: (re)start the servers, with a leap second of KIND
# (add, del) at END, warned of by each server with the LI given.
serve() {
	local end=$1 kind=$2 specs=() a
	shift 2
	for a in $SERVERS; do specs+=("$a=$1"); shift; done
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	ip netns exec s $PKT clock "${specs[@]}" --leap "$kind" \
		--leap-at "$end" --seconds 500 >"$T/srv.out" 2>&1 &
	srv=$!
	wait_for 20 grep -q ready "$T/srv.out"
}

# clock_to END: our clock, and the servers' started after, END - 120 s
# (more where the debug kernel's lane stretches every deadline).
clock_to() { date -u -s "@$(($1 - 120 * ${KNTP_TIMEOUT_SCALE:-1}))" >/dev/null; }
# start: kntp follows the three servers.
start() {
	load_module &&
		for a in $SERVERS; do
			"$KNTP" server "$a" minpoll 0 maxpoll 0 iburst || return 1
		done
}

synced() { [ "$(status stratum)" = 2 ] && ! kbit $STA_UNSYNC; }
show() { "$KNTP" show status | sed 's/^/#   /'; "$KNTP" show associations | sed 's/^/#   /'; }
# truechimers: every server survived the intersection, so every one votes.
truechimers() {
	[ "$("$KNTP" -j show associations | python3 -c 'import json, sys
print(sum(a["tally"] in "*+#-" for a in json.load(sys.stdin)["associations"]))')" = 3 ]
}

# after_leap END KIND WORD: the kernel applied it (KIND: inserting,
# deleting); kntp saw it (WORD: inserted, deleted), kept the clock, did
# not step, and is within 20 ms of the servers 15 s after.
after_leap() {
	local end=$1 kind=$2 word=$3
	wait_for 400 eval '[ "$(date -u +%s)" -ge $((end + 15)) ]'
	check "the kernel says: $kind leap second" \
		eval "dmesg | grep -q 'Clock: $kind leap second'"
	check "kntp saw it applied, as armed" \
		eval "dmesg | grep -q 'kntp: the kernel $word a leap second, as armed'"
	check "kntp still owns the clock (no other process seen)" \
		eval '[ "$(status clock_lost)" = False ] && [ "$(status clock_owner)" = True ]'
	check "kntp did not step the clock" eval '[ "$(status steps)" = 0 ]'
	local off
	off=$(status offset_ns)
	echo "# 15 s after the leap: offset $off ns, $(busybox adjtimex | grep status:)"
	show
	check "and its offset to the servers is within 20 ms ($off ns)" \
		awk -v o="$off" 'BEGIN { if (o < 0) o = -o; exit !(o != "" && o < 20000000) }'
	check "after it, kntp serves leap 0 and the kernel's leap bits are clear" \
		wait_for 5 eval 'served 0 && ! kbit $STA_INS && ! kbit $STA_DEL'
}

# 1. Not a month's end: a warning is ignored.
check "unsynchronised before kntp: STA_UNSYNC set" kbit $STA_UNSYNC
clock_to $FEB01_END
serve $FEB01_END add 1 1 1
check "kntp follows three servers (clock: 2027-02-01 23:58 UTC)" start
check "kntp synchronises; the kernel is told (STA_UNSYNC clear)" \
	wait_for 60 eval 'synced && truechimers'
show
sleep 2
max=$(kfield maxerror) est=$(kfield esterror)
echo "# adjtimex: maxerror $max us, esterror $est us"
# Root distance: root delay 0 here, root dispersion 0.2 ms from the
# servers plus our sample's dispersion and jitter: well under 100 ms.
check "maxerror is the root distance: 0 < $max us < 100000" \
	eval '[ "$max" -gt 0 ] && [ "$max" -lt 100000 ]'
check "esterror is the system jitter: $est us <= maxerror" \
	eval '[ "$est" -ge 0 ] && [ "$est" -le "$max" ]'
check "all three warn on 2027-02-01, not a month's last day: ignored" \
	eval '[ "$(status leap)" = 0 ] && served 0 && ! kbit $STA_INS'
check "rmmod: the kernel is told unsynchronised (STA_UNSYNC set)" \
	eval 'rmmod kntp && kbit $STA_UNSYNC && [ "$(kfield maxerror)" -ge 16000000 ]'

# 2.-3. 2026-12-31: an inserted leap second.
clock_to $DEC31_END
serve $DEC31_END add 1 0 0
check "kntp follows three servers (clock: 2026-12-31 23:58 UTC)" start
check "kntp synchronises, and every server is a truechimer" \
	wait_for 60 eval 'synced && truechimers'
show
sleep 2
check "one server of three warns of an inserted second: not served, not armed" \
	eval '[ "$(status leap)" = 0 ] && served 0 && ! kbit $STA_INS'
serve $DEC31_END add 1 1 0
check "two of three warn: kntp serves leap 1" wait_for 20 served 1
check "and the kernel is armed: STA_INS" kbit $STA_INS
check "show status says so" \
	eval '"$KNTP" show status | grep -q "^leap second: one inserted at the end of this day (UTC)$"'
check "still synchronised (STA_UNSYNC clear) with the leap armed" synced
after_leap $DEC31_END inserting inserted
check "rmmod kntp" rmmod kntp

# 4. 2027-01-31: a deleted leap second.
clock_to $JAN31_END
serve $JAN31_END del 2 2 2
check "kntp follows three servers (clock: 2027-01-31 23:58 UTC)" start
check "all warn of a deleted second: kntp serves leap 2" wait_for 60 served 2
check "and the kernel is armed: STA_DEL" kbit $STA_DEL
after_leap $JAN31_END deleting deleted
check "rmmod kntp: STA_UNSYNC set" eval 'rmmod kntp && kbit $STA_UNSYNC'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
