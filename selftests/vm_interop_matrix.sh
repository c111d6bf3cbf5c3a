#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 360
# vm-mem: 320
#
# The interop matrix (README.md, "Interoperability"): kntp against every NTP
# implementation Debian packages, each role the other side has, IPv4 and
# IPv6. All in one guest, so every clock is the same clock: an offset must be
# within its delay (give or take the error of a kntp virtual clock, 100 us
# between timestamping points, and the millisecond timesyncd rounds to). No
# other daemon may set the clock: chronyd runs with -x, NTPsec's ntpd and
# OpenNTPD without CAP_SYS_TIME in their bounding set, systemd-timesyncd as
# its own unprivileged user; the refusals they log are checked.
#
# One LAN (a bridge in namespace "lan"); namespace X is 192.0.2.N and
# 2001:db8::N:
#   k  .2   kntp, master 2: serves c, n, m, q, o, t; symmetric peer of p
#   j  .3   kntp, client of s, m, r (and of o, which answers unsynchronised)
#   s  .11  chronyd, local stratum 1          c  .12  chronyd client; ntpdig
#   p  .13  chronyd, symmetric peer of k
#   n  .21  NTPsec ntpd, client of k ("disable ntp", "disable kernel")
#   m  .22  NTPsec ntpd, client of k and server of j (stratum 3)
#   r  .23  NTPsec ntpd, orphan mode (stratum 5, reference ID 127.0.0.1)
#   q4 .24, q6 .25   NTPsec ntpd -q, one-shot against k (IPv4, IPv6)
#   o  .31  OpenNTPD: client of k, listens for j
#   t4 .41, t6 .42   systemd-timesyncd, client of k (IPv4, IPv6)
# The one-shots run while the daemons settle; every check comes after.
# busybox: Debian's busybox has no ntpd applet (a skip line says so).
set -u
. "$(dirname "$0")/lib.sh"
need chronyd chronyc ntpdig setpriv python3 jq

NTPSEC=$KNTP_TOP/build/ntpsec/root/usr/sbin/ntpd
OPENNTPD=$KNTP_TOP/build/openntpd/root/usr/sbin/ntpd
NTPCTL=$KNTP_TOP/build/openntpd/root/usr/sbin/ntpctl
TIMESYNCD=$KNTP_TOP/build/timesyncd/root/lib/systemd/systemd-timesyncd
NSS="k j s c p n m r q4 q6 o t4 t6"
SLACK_S=0.0001
T=$(mktemp -d /tmp/kntp-matrix.XXXXXX)
pids=()		# daemons other than chronyd

cleanup() {
	local d pid ns
	for d in "$T"/*/; do chronyd_stop "$d"; done
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for ns in $NSS lan; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T" /var/lib/openntpd
	rmdir /run/systemd/timesyncd.conf.d 2>/dev/null
}
trap cleanup EXIT

k() { ip netns exec k "$KNTP" "$@"; }
j() { ip netns exec j "$KNTP" "$@"; }
a4() { echo "192.0.2.$1"; }
a6() { echo "2001:db8::$1"; }

# --- the LAN ------------------------------------------------------------------
# join NS N: namespace NS on the bridge, as 192.0.2.N/24 and 2001:db8::N/64.
join() {
	local ns=$1 n=$2
	ip netns add "$ns" || return 1
	ip link add lan netns "$ns" type veth peer name "v-$ns" netns lan || return 1
	ip -n lan link set dev "v-$ns" master sw0 up || return 1
	ip -n "$ns" addr add "$(a4 "$n")/24" dev lan || return 1
	ip -n "$ns" addr add "$(a6 "$n")/64" dev lan nodad || return 1
	ip -n "$ns" link set lo up && ip -n "$ns" link set lan up
}
lan() {
	ip netns add lan &&
		ip -n lan link add sw0 type bridge forward_delay 0 mcast_snooping 0 &&
		ip -n lan link set sw0 up || return 1
	join k 2 && join j 3 && join s 11 && join c 12 && join p 13 &&
		join n 21 && join m 22 && join r 23 && join q4 24 && join q6 25 &&
		join o 31 && join t4 41 && join t6 42
}

# --- reading -------------------------------------------------------------------
# bound_s DELAY NS: DELAY (s) + |NS's clock error| + SLACK_S, in seconds.
bound_s() {
	awk -v d="$1" -v e="$(clock_error_ms "$2")" -v s=$SLACK_S \
		'BEGIN { printf "%.9f", d + e / 1000 + s }'
}
# The counters that count a packet kntp did not use.
DROPS='^(drop_[a-z_]+|auth_(missing|unknown_key|untrusted|bad_length|bad_mac|wrong_key|nak)|kod_(rate|deny))$'
drops() {	# drops NS [ADDR]: those that are not 0, "name=value ..."
	nsx "$1" "$KNTP" show counters ${2:+"$2"} |
		awk -v re="$DROPS" '$1 ~ re && $2 != 0 { printf "%s%s=%s", s, $1, $2; s = " " }'
}
# no_drops NS ADDR: nothing dropped of a server's answers but, at most 1 %
# (at least one), bogus ones: at polls of half a second a slow guest now and
# then sends its next request before the last answer is in, which makes that
# answer bogus (test 2); anything else is a fault.
no_drops() {
	local d bogus rx
	d=$(drops "$@")
	bogus=$(counter "$1" drop_bogus "$2")
	rx=$(counter "$1" rx "$2")
	d=$(echo "$d" | tr ' ' '\n' | grep -v '^drop_bogus=' | tr '\n' ' ')
	[ -z "${d// /}" ] && [ $((bogus * 100)) -le $((rx > 100 ? rx : 100)) ] ||
		{ echo "# $1 $2: ${d:-} drop_bogus=$bogus of rx=$rx"; return 1; }
}
tally() {	# tally NS ADDR: the selection character of ADDR's row
	nsx "$1" "$KNTP" show associations | awk -v a="$2" '{ r = $0; sub(/^.~/, "", r);
		split(r, c, " "); if (c[1] == a) print substr($0, 1, 1) }'
}
# j_follows STRATUM A4 A6: kntp in j is synchronised at STRATUM to A4 or A6
# within 30 s (or what it does instead is shown). The reference ID of an
# IPv6 system peer is a hash: the status names the system peer too.
j_status() {
	local st
	st=$(status_json j '"\(.synchronized) \(.stratum) \(.system_peer)"')
	[ "$st" = "true $1 $2" ] || [ "$st" = "true $1 $3" ]
}
j_follows() {
	wait_for 30 j_status "$@" && return 0
	{ j show status | head -3; j show associations; } | sed 's/^/# /'
	return 1
}
ntpdig_says() {	# ntpdig_says NS ADDR STRATUM: ntpdig in NS gets that stratum
	ip netns exec "$1" ntpdig -t 1 "$2" 2>/dev/null | grep -q " s$3 "
}

# --- starting the others --------------------------------------------------------
listening() { [ -n "$(ip netns exec "$1" ss -Hlun sport = :123)" ]; }

# A private passwd for OpenNTPD (Debian's build runs its engine as "ntpd",
# chrooted to the user's home) and timesyncd (it looks up
# "systemd-timesync"); bound over /etc/passwd in their own mount namespace.
mkdir -p "$T/o/empty"
chmod 755 "$T/o/empty"
grep -v '^ntpd:' /etc/passwd >"$T/passwd"
echo "ntpd:x:64990:65534::$T/o/empty:/usr/sbin/nologin" >>"$T/passwd"
grep -q '^systemd-timesync:' "$T/passwd" ||
	echo "systemd-timesync:x:64991:65534::/:/usr/sbin/nologin" >>"$T/passwd"
TS_ID=$(awk -F: '$1 == "systemd-timesync" { print $3 ":" $4 }' "$T/passwd")
# privately NS BINDS CMD...: CMD in NS, in a mount namespace of its own in
# which each SRC=DST of BINDS (space-separated) is bound over DST.
privately() {
	local ns=$1 binds=$2
	shift 2
	ip netns exec "$ns" unshare -m sh -c 'for b in $0; do
		mount --bind "${b%%=*}" "${b#*=}" || exit 1; done; exec "$@"' "$binds" "$@"
}

# ntpsec_start NS CONFIG-LINES...: NTPsec's ntpd in NS, files in $T/NS
# (peerstats, ntpd.log). Without CAP_SYS_TIME it cannot set the clock;
# "disable kernel" keeps it on adjtime(), where it logs the refusal.
# "unrestrict default limited noquery": NTPsec 1.2.2's default restriction
# has both (RES_Default); "limited" holds every client address to about
# one answer a second and drops the rest without a kiss, and j polls at
# 1 s with iburst. ("restrict default" only adds flags.)
ntpsec_start() {
	local ns=$1 dir=$T/$1
	shift
	mkdir -p "$dir"
	{
		echo "unrestrict default limited noquery"
		printf '%s\n' "$@"
		echo "disable kernel"
		echo "statsdir $dir/"
		echo "statistics peerstats"
		echo "filegen peerstats file peerstats type none enable"
		echo "logfile $dir/ntpd.log"
	} >"$dir/ntp.conf"
	ip netns exec "$ns" setpriv --bounding-set=-sys_time \
		"$NTPSEC" -n -c "$dir/ntp.conf" >"$dir/out" 2>&1 &
	pids+=($!)
	wait_for 15 listening "$ns"
}

openntpd_start() {	# OpenNTPD in o: client of k, listening for j
	mkdir -p /var/lib/openntpd/run /var/lib/openntpd/db	# its fixed paths
	printf '%s\n' "listen on *" "server $(a4 2)" "server $(a6 2)" >"$T/o/ntpd.conf"
	privately o "$T/passwd=/etc/passwd" setpriv --bounding-set=-sys_time \
		"$OPENNTPD" -d -v -f "$T/o/ntpd.conf" >"$T/o/log" 2>&1 &
	pids+=($!)
	wait_for 15 test -S /var/lib/openntpd/run/ntpd.sock
}

# ntpd_q_start NS ADDR: NTPsec's ntpd -q in NS against kntp at ADDR, files
# in $T/NS. -q sets the clock once and exits; "disable ntp" would keep it
# from ever exiting, so it runs without CAP_SYS_TIME: its slew fails, and
# it reports the offset.
ntpd_q_start() {
	local dir=$T/$1
	mkdir -p "$dir"
	printf '%s\n' "server $2 iburst minpoll 0 maxpoll 0" "disable kernel" \
		"statsdir $dir/" "statistics peerstats" \
		"filegen peerstats file peerstats type none enable" >"$dir/ntp.conf"
	ip netns exec "$1" timeout 60 setpriv --bounding-set=-sys_time \
		"$NTPSEC" -n -q -c "$dir/ntp.conf" -l "$dir/ntpd.log" >"$dir/out" 2>&1 &
	pids+=($!)
	eval "qpid_$1=\$!"
}

# timesyncd_start NS ADDR: systemd-timesyncd in NS, its one server kntp at
# ADDR; as its own user, without capabilities, debug log in $T/NS/log.
timesyncd_start() {
	local dir=$T/$1
	mkdir -p "$dir/conf.d" /run/systemd/timesyncd.conf.d	# /run: the guest's tmpfs
	printf '[Time]\nNTP=\nNTP=%s\n' "$2" >"$dir/conf.d/kntp.conf"
	privately "$1" "$T/passwd=/etc/passwd $dir/conf.d=/run/systemd/timesyncd.conf.d" \
		setpriv --reuid="${TS_ID%:*}" --regid="${TS_ID#*:}" --clear-groups \
		env SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console "$TIMESYNCD" \
		>"$dir/log" 2>&1 &
	pids+=($!)
	eval "tpid_$1=\$!"
}

check "insmod kntp.ko" load_module
if lan; then
	ok "one LAN: 13 namespaces on a bridge, 192.0.2.0/24 and 2001:db8::/64"
else
	not_ok "one LAN: 13 namespaces on a bridge, 192.0.2.0/24 and 2001:db8::/64"
	tap_done
fi
check "kntp in k: master 2" k master 2
check "kntp in k: peer $(a4 13), peer $(a6 13) (minpoll 0 maxpoll 0)" \
	eval 'k peer $(a4 13) minpoll 0 maxpoll 0 && k peer $(a6 13) minpoll 0 maxpoll 0'
check "kntp in j: server $(a4 11), server $(a6 11) (minpoll -1 maxpoll 0 iburst)" \
	eval 'j server $(a4 11) minpoll -1 maxpoll 0 iburst && j server $(a6 11) minpoll -1 maxpoll 0 iburst'
check "chronyd in s: local stratum 1" \
	chronyd_start s "$T/s" "local stratum 1" "allow"
check "chronyd in c: server $(a4 2), server $(a6 2) (kntp)" \
	chronyd_start c "$T/c" "server $(a4 2) iburst minpoll 0 maxpoll 0" \
	"server $(a6 2) iburst minpoll 0 maxpoll 0"
check "chronyd in p: local stratum 3, peer $(a4 2), peer $(a6 2) (kntp)" \
	chronyd_start p "$T/p" "local stratum 3" "allow" \
	"peer $(a4 2) minpoll 0 maxpoll 0" "peer $(a6 2) minpoll 0 maxpoll 0"

have_ntpsec=0
if "$NTPSEC" --version >/dev/null 2>&1; then
	have_ntpsec=1
	check "NTPsec ntpd in n: client of kntp, disable ntp" \
		ntpsec_start n "server $(a4 2) iburst minpoll 0 maxpoll 0" \
		"server $(a6 2) iburst minpoll 0 maxpoll 0" "disable ntp"
	# "disable ntp" would keep its leap bits at 11 (unsynchronised) for
	# good: m disciplines in vain instead (adjtime() fails), which makes
	# it synchronised, stratum 3.
	check "NTPsec ntpd in m: client of kntp, ntp enabled without CAP_SYS_TIME" \
		ntpsec_start m "server $(a4 2) iburst minpoll 0 maxpoll 0" \
		"server $(a6 2) iburst minpoll 0 maxpoll 0"
	check "NTPsec ntpd in r: orphan mode (tos orphan 5 orphanwait 1), disable ntp" \
		ntpsec_start r "tos orphan 5 orphanwait 1" "disable ntp"
fi
have_openntpd=0
if "$OPENNTPD" -n -f /dev/null 2>&1 | grep -q 'configuration OK'; then
	have_openntpd=1
	check "OpenNTPD in o: listen on *, server $(a4 2), server $(a6 2)" openntpd_start
	check "kntp in j: server $(a4 31), $(a6 31) (OpenNTPD)" \
		eval 'j server $(a4 31) minpoll 0 maxpoll 0 && j server $(a6 31) minpoll 0 maxpoll 0'
fi
if [ "$have_ntpsec" = 1 ]; then
	ntpd_q_start q4 "$(a4 2)"
	ntpd_q_start q6 "$(a6 2)"
fi
have_timesyncd=0
if "$TIMESYNCD" --ok 2>&1 | grep -q 'does not take arguments'; then
	have_timesyncd=1
	timesyncd_start t4 "$(a4 2)"
	timesyncd_start t6 "$(a6 2)"
fi

# --- chronyd serves kntp (j) ------------------------------------------------------
for a in "$(a4 11)" "$(a6 11)"; do
	check "chronyd -> kntp ($a): reachable and sampled within 15 s" \
		wait_for 15 eval 'reachable j $a && sampled j $a'
	check "  stratum 1 as chronyd says" test "$(assoc_json j "$a" .stratum)" = 1
	check "  offset within delay" offset_ok j "$a"
	check "  no drops" no_drops j "$a"
done
check "kntp in j synchronises to chronyd: stratum 2" j_follows 2 "$(a4 11)" "$(a6 11)"

# --- chronyd is a client of kntp (k) --------------------------------------------
ntpdata_ok() {	# ntpdata_ok ADDR: chronyd in c took valid replies of kntp
	local d
	d=$(chronyc_in "$T/c" ntpdata "$1")
	echo "$d" | grep -q "^Stratum *: 2$" &&
		echo "$d" | grep -q "^Reference ID *: 4C4F434C" &&
		echo "$d" | grep -Eq "^Total valid RX *: [1-9]"
}
chrony_offset_ok() {	# chrony_offset_ok DIR ADDR: chronyd's offset to kntp (k)
	local d off del
	d=$(chronyc_in "$1" ntpdata "$2")
	off=$(echo "$d" | awk -F: '/^Offset/ { print $2 + 0 }')
	del=$(echo "$d" | awk -F: '/^Peer delay/ { print $2 + 0 }')
	echo "# chronyd -> kntp $2: offset $off s, delay $del s"
	within_delay "$off" "$(bound_s "$del" k)"
}
# chrony_selects DIR MODE: chronyd follows kntp: one source "MODE*", the
# other "MODE*" or "MODE+" (both are kntp, in either family).
chrony_selects() {
	chronyc_in "$1" -n sources |
		awk -v m="$2" -v a="$(a4 2)" -v b="$(a6 2)" '
			$2 == a || $2 == b { n++; s = substr($1, 2, 1);
				if (substr($1, 1, 1) != m || (s != "*" && s != "+")) bad = 1;
				if (s == "*") star = 1 }
			END { exit !(n == 2 && star && !bad) }'
}
for a in "$(a4 2)" "$(a6 2)"; do
	check "kntp -> chronyd ($a): stratum 2, refid LOCL, valid replies" \
		wait_for 20 ntpdata_ok "$a"
	check "  chronyd's offset within delay" chrony_offset_ok "$T/c" "$a"
done
check "  chronyd selects kntp (^* and ^* or ^+)" wait_for 20 chrony_selects "$T/c" "^"

# --- chronyd and kntp (k) as symmetric peers -----------------------------------------
chrony_peer_ok() {	# chrony_peer_ok ADDR: chronyd in p takes kntp as a peer
	local d
	d=$(chronyc_in "$T/p" ntpdata "$1")
	echo "$d" | grep -q "^Mode *: Symmetric active" &&
		echo "$d" | grep -Eq "^Total valid RX *: [1-9]"
}
for i in 4 6; do
	a=$(a$i 13) b=$(a$i 2)
	check "kntp <-> chronyd peer ($a): kntp reaches and samples it" \
		wait_for 20 eval 'reachable k $a && sampled k $a'
	check "  chronyd takes kntp's mode 1 packets ($b): valid RX" \
		wait_for 20 chrony_peer_ok "$b"
	check "  kntp's offset within delay" offset_ok k "$a"
done
check "  chronyd follows kntp (=* and =* or =+), stratum 3" \
	wait_for 20 eval 'chrony_selects "$T/p" = && [ "$(assoc_json k $(a4 13) .stratum)" = 3 ]'

# --- ntpdig is a client of kntp (k) ----------------------------------------------------
ntpdig_ok() {	# ntpdig_ok ADDR: ntpdig sees stratum 2, offset within its bound
	ntpdig_s2 c "$1" && within_delay "$dig_off" "$(bound_s "$dig_bound" k)"
}
check "ntpdig -> kntp ($(a4 2)): stratum 2, offset within its bound" ntpdig_ok "$(a4 2)"
check "ntpdig -> kntp ($(a6 2)): stratum 2, offset within its bound" ntpdig_ok "$(a6 2)"

# --- NTPsec's ntpd: client (n), server (m), orphan (r), ntpd -q (q) ------------------
# peerstats ("day second address status offset delay disp jitter"): the
# status word's select field (bits 8-10) is 4 candidate, 5 backup, 6 sys.peer.
peerstat() {	# peerstat NS ADDR: "select offset delay" of ADDR's last line
	local st off del
	read -r st off del < <(awk -v a="$2" '$3 == a { l = $4 " " $5 " " $6 }
		END { print l }' "$T/$1/peerstats" 2>/dev/null)
	[ -n "${del:-}" ] && echo "$(((0x$st >> 8) & 7)) $off $del"
}
ntpsec_selects() {	# ntpsec_selects NS: both kntp addresses selected, one sys.peer
	local s4 s6
	s4=$(peerstat "$1" "$(a4 2)") s6=$(peerstat "$1" "$(a6 2)")
	s4=${s4%% *} s6=${s6%% *}
	[ "${s4:-0}" -ge 4 ] && [ "${s6:-0}" -ge 4 ] && { [ "$s4" = 6 ] || [ "$s6" = 6 ]; }
}
ntpsec_offset_ok() {	# ntpsec_offset_ok NS ADDR
	local sel off del
	read -r sel off del <<<"$(peerstat "$1" "$2")"
	echo "# ntpd in $1 -> kntp $2: select $sel, offset $off s, delay $del s"
	within_delay "$off" "$(bound_s "$del" k)"
}
refid6() {	# NTPsec's reference ID for an IPv6 address: MD5, first 4 bytes
	python3 -c 'import hashlib, socket, sys
print(".".join(str(b) for b in hashlib.md5(socket.inet_pton(socket.AF_INET6, sys.argv[1])).digest()[:4]))' "$1"
}
if [ "$have_ntpsec" = 0 ]; then
	skip "NTPsec's ntpd: $NTPSEC does not run here (scripts/deps.sh unpacks it)"
else
	check "kntp -> NTPsec ntpd (n, disable ntp): both addresses selected, one sys.peer" \
		wait_for 30 ntpsec_selects n
	for a in "$(a4 2)" "$(a6 2)"; do
		check "  ntpd's offset to kntp ($a) within delay" ntpsec_offset_ok n "$a"
	done
	check "NTPsec ntpd in m serves stratum 3 (ntpdig)" \
		wait_for 30 ntpdig_says j "$(a4 22)" 3
	check "  its one slew was refused (adj_systime: Operation not permitted)" \
		grep -q "adj_systime: Operation not permitted" "$T/m/ntpd.log"
	check "NTPsec ntpd in r serves stratum 5 in orphan mode (ntpdig)" \
		wait_for 30 ntpdig_says j "$(a4 23)" 5
	servers() {	# servers ADDR...: j polls each at 1 s
		local a
		for a; do j server "$a" minpoll 0 maxpoll 0 iburst || return 1; done
	}
	check "kntp in j: server $(a4 22), $(a6 22) (m), $(a4 23), $(a6 23) (r)" \
		servers "$(a4 22)" "$(a6 22)" "$(a4 23)" "$(a6 23)"
	for a in "$(a4 22)" "$(a6 22)"; do
		check "NTPsec ntpd -> kntp ($a): reachable and sampled within 15 s" \
			wait_for 15 eval 'reachable j $a && sampled j $a'
		check "  stratum 3, reference ID kntp in k ($(a4 2) or its IPv6 hash)" \
			eval 'st=$(assoc_json j $a .stratum) ref=$(assoc_json j $a .refid);
			      [ "$st" = 3 ] && { [ "$ref" = $(a4 2) ] || [ "$ref" = "$(refid6 $(a6 2))" ]; } ||
			      { echo "# stratum $st, ref $ref"; false; }'
		check "  offset within delay" offset_ok j "$a"
		check "  selectable (tally *, #, + or -)" \
			wait_for 10 eval '[[ "$(tally j $a)" == [*#+-] ]]'
		check "  no drops" no_drops j "$a"
	done
	for a in "$(a4 23)" "$(a6 23)"; do
		check "NTPsec ntpd orphan -> kntp ($a): reachable and sampled within 15 s" \
			wait_for 15 eval 'reachable j $a && sampled j $a'
		check "  stratum 5, reference ID 127.0.0.1" \
			eval '[ "$(assoc_json j $a .stratum)" = 5 ] && [ "$(assoc_json j $a .refid)" = 127.0.0.1 ]'
		check "  offset within delay" offset_ok j "$a"
		check "  no drops" no_drops j "$a"
	done
	no_loop() { ! j show associations detail | grep -q "not selectable: loop"; }
	check "kntp in j: no server $(a4 11), $(a6 11) (chronyd)" \
		eval 'j no server $(a4 11) && j no server $(a6 11)'
	check "  j follows NTPsec ntpd (m): stratum 4" j_follows 4 "$(a4 22)" "$(a6 22)"
	check "kntp in j: no server $(a4 22), $(a6 22) (m)" \
		eval 'j no server $(a4 22) && j no server $(a6 22)'
	check "  j follows the orphan (r, reference ID 127.0.0.1): stratum 6, not a loop" \
		eval 'j_follows 6 $(a4 23) $(a6 23) && no_loop'
	check "  the orphan's offset within delay" offset_ok j "$(status_json j '.system_peer // empty')"

	ntpd_q_ok() {	# ntpd_q_ok NS ADDR: it exited 0, its offset within its delays
		local dir=$T/$1 pid rc slew del
		eval "pid=\$qpid_$1"
		wait "$pid"
		rc=$?
		slew=$(sed -n 's/^ntpd: time slew \([-+0-9.]*\)s$/\1/p' "$dir/out")
		del=$(awk -v a="$2" '$3 == a && $6 > m { m = $6 } END { print m + 0 }' \
			"$dir/peerstats" 2>/dev/null)
		echo "# ntpd -q $2: exit $rc, slew ${slew:-none} s, delays up to $del s"
		[ "$rc" = 0 ] && [ -n "$slew" ] &&
			grep -q "adj_systime: Operation not permitted" "$dir/ntpd.log" &&
			within_delay "$slew" "$(bound_s "$del" k)"
	}
	check "ntpd -q -> kntp ($(a4 2)): exits with an offset within delay, its slew refused" \
		ntpd_q_ok q4 "$(a4 2)"
	check "ntpd -q -> kntp ($(a6 2)): exits with an offset within delay, its slew refused" \
		ntpd_q_ok q6 "$(a6 2)"
fi

# --- OpenNTPD: client of kntp (k); its server answers j unsynchronised ----------------
# ntpctl -s peers: "ADDR" then "[*] wt tl st next poll offset delay jitter"
# (ms), the last three once the peer is valid (trust level 6).
ntpctl_row() {	# ntpctl_row ADDR: "tl st offset delay"
	ip netns exec o "$NTPCTL" -s peers 2>/dev/null | awk -v a="$1" '
		f { if ($0 ~ /not valid/) exit; gsub(/\*/, ""); gsub(/ms/, "");
		    print $2, $3, $6, $7; exit }
		$1 == a { f = 1 }'
}
openntpd_valid() { [ -n "$(ntpctl_row "$1")" ]; }
openntpd_ok() {
	local tl st off del
	read -r tl st off del <<<"$(ntpctl_row "$1")"
	echo "# OpenNTPD -> kntp $1: trust $tl, stratum $st, offset $off ms, delay $del ms"
	[ "$st" = 2 ] && [ "$tl" -ge 6 ] &&
		within_delay "$off" "$(awk -v d="$del" -v e="$(clock_error_ms k)" -v s=$SLACK_S \
			'BEGIN { print d + e + s * 1000 }')"
}
if [ "$have_openntpd" = 0 ]; then
	skip "OpenNTPD: $OPENNTPD does not run here (scripts/deps.sh unpacks it)"
else
	for a in "$(a4 2)" "$(a6 2)"; do
		check "kntp -> OpenNTPD ($a): a valid peer within 60 s" wait_for 60 openntpd_valid "$a"
		check "  stratum 2, offset within delay" openntpd_ok "$a"
	done
	check "  OpenNTPD's clock adjustments were refused (Operation not permitted)" \
		grep -q "adjtime failed: Operation not permitted" "$T/o/log"
	# OpenNTPD says it is synchronised only after it has slewed the clock
	# twice, 8 samples apart (minutes at its 5 and 30 s polls, and only by
	# setting the clock): until then it answers with leap 11, which kntp
	# must count and never use.
	# The three counters from one reading: at 1 s polls two readings can be
	# a packet apart (under the debug kernel one takes over a second).
	unsync_only() {	# unsync_only ADDR: every answer counted drop_unsync, no sample
		local rx un sm
		read -r rx un sm <<<"$(counters j "rx drop_unsync samples" "$1")"
		[ "$rx" -ge 3 ] && [ "$un" = "$rx" ] && [ "$sm" = 0 ] &&
			j show associations detail | awk -v a="$1" '/^[^ ]/ { inb = ($1 == a) } inb' |
			grep -q "not selectable: unsynchronized"
	}
	unsync_why() {	# unsync_why ADDR: what j saw of ADDR, and OpenNTPD's own word
		echo "# j <- $1: rx $(counter j rx "$1"), drop_unsync $(counter j drop_unsync "$1")," \
			"samples $(counter j samples "$1")"
		j show associations detail | awk -v a="$1" '/^[^ ]/ { inb = ($1 == a) } inb' |
			sed 's/^/#   /'
		grep -aiE 'synced|clock|settime' "$T/o/log" | tail -n 5 | sed 's/^/#   o: /'
	}
	for a in "$(a4 31)" "$(a6 31)"; do
		check "OpenNTPD -> kntp ($a): answers (leap 11), kntp counts drop_unsync, no samples" \
			eval 'wait_for 15 unsync_only "$a" || { unsync_why "$a"; false; }'
	done
fi

# --- systemd-timesyncd: client of kntp (k) --------------------------------------------
# Without capabilities it logs the response (debug) and that clock_adjtime()
# was refused, and goes on.
timesyncd_ok() {	# timesyncd_ok NS ADDR
	local log=$T/$1/log pid leap st off del
	eval "pid=\$tpid_$1"
	wait_for 20 grep -q "^Contacted time server" "$log"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	leap=$(awk -F: '/^  leap / { print $2 + 0; exit }' "$log")
	st=$(awk -F: '/^  stratum / { print $2 + 0; exit }' "$log")
	off=$(awk -F: '/^  offset / { print $2 + 0; exit }' "$log")
	del=$(awk -F: '/^  delay / { print $2 + 0; exit }' "$log")
	echo "# timesyncd -> kntp $2: leap ${leap:-?}, stratum ${st:-?}, offset ${off:-?} s, delay ${del:-?} s"
	grep -q "^Contacted time server $2\|^Contacted time server \[$2\]" "$log" ||
		{ tail -n 5 "$log" | sed 's/^/# /'; return 1; }
	grep -q "Failed to call clock_adjtime(): Operation not permitted" "$log" &&
		[ "$leap" = 0 ] && [ "$st" = 2 ] &&
		within_delay "$off" "$(bound_s "$(awk -v d="$del" 'BEGIN { print d + 0.001 }')" k)"
}
if [ "$have_timesyncd" = 0 ]; then
	skip "systemd-timesyncd: $TIMESYNCD does not run here (scripts/deps.sh unpacks it)"
else
	check "kntp -> systemd-timesyncd ($(a4 2)): stratum 2, offset within delay (+1 ms: it prints ms), adjustment refused" \
		timesyncd_ok t4 "$(a4 2)"
	check "kntp -> systemd-timesyncd ($(a6 2)): stratum 2, offset within delay (+1 ms: it prints ms), adjustment refused" \
		timesyncd_ok t6 "$(a6 2)"
fi

# --- busybox ---------------------------------------------------------------------------
if busybox ntpd --help 2>&1 | grep -q "applet not found"; then
	skip "busybox ntpd: not packaged by Debian (its busybox has no ntpd applet)"
else
	not_ok "busybox has an ntpd applet: it belongs in this matrix"
fi

# --- what kntp dropped ----------------------------------------------------------------
# Symmetric peers polling at the same rate cross: a packet of chronyd's that
# answers our last packet but one is bogus (RFC 5905 test 2), and its very
# first one, before it heard from us, has no origin (invalid). Nothing else
# may be dropped, and no client's request may be.
peer_drops_only() {
	local c n4 n6 n
	for c in $(nsx k "$KNTP" show counters | awk -v re="$DROPS" '$1 ~ re && $2 != 0 { print $1 }'); do
		n=$(counter k "$c") n4=$(counter k "$c" "$(a4 13)") n6=$(counter k "$c" "$(a6 13)")
		echo "# k: $c $n ($(a4 13): $n4, $(a6 13): $n6)"
		case $c in drop_bogus | drop_invalid) ;; *) return 1 ;; esac
		[ "$n" = $((n4 + n6)) ] || return 1
	done
}
check "kntp in k: dropped only symmetric packets of chronyd that crossed ours" peer_drops_only
for a in "$(a4 13)" "$(a6 13)"; do
	check "  and used most of them ($a: samples > bogus + invalid)" \
		eval '[ "$(counter k samples $a)" -gt $(($(counter k drop_bogus $a) + $(counter k drop_invalid $a))) ]'
done
check "kntp in k answered every client (reply_server), timestamps from the skb" \
	eval '[ "$(counter k reply_server)" -gt 20 ] && [ "$(counter k rx_stamp_late)" = 0 ]'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
