#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
#
# What must not happen: writes past per-CPU objects on IPv6 transmit,
# answers to multicast and broadcast, secrets shown without privilege, the
# system clock steered without CAP_SYS_TIME, a release that cannot restore,
# a frequency carried from one clock to another, another time daemon
# overridden, a step-only clock that claims discipline, memory that no
# cgroup pays for.
#
#            bridge br0 in S (192.0.2.1/24, 2001:db8:9::1/64)
#   netns C ── veth ──┤                         netns S: kntp, virtual clock,
#   192.0.2.2         │                         master 1 (the server)
#   netns R ── veth ──┘
#   192.0.2.3         (R: kntp on a virtual clock, then the system clock)
#
#   init netns ── veth ── S: 198.51.100.2 / 198.51.100.1 (the init instance,
#                            owner of the system clock, polls S)
set -u
. "$(dirname "$0")/lib.sh"
need setpriv python3 jq

S=kntp-s-$$ C=kntp-c-$$ R=kntp-r-$$ M=kntp-m-$$
PKT=(/usr/bin/python3 "$KNTP_TOP/selftests/ntp_pkt.py")
# A root that has CAP_NET_ADMIN but not CAP_SYS_TIME (a host-network
# container, say), and an unprivileged user.
NOTIME=(setpriv --inh-caps=-sys_time --bounding-set=-sys_time)
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
CG=/sys/fs/cgroup/kntp-test-$$
mon=

cleanup() {
	[ -z "$mon" ] || kill "$mon" 2>/dev/null
	for ns in "$S" "$C" "$R" "$M"; do ip netns del "$ns" 2>/dev/null; done
	rmdir "$CG" 2>/dev/null
}
trap cleanup EXIT

in_ns() { nsx "$@"; }
k() { local ns=$1; shift; nsx "$ns" "$KNTP" "$@"; }
# adjtimex FIELD: the kernel's tick (us), freq (2^-16 ppm) or status, read only.
adjtimex() {
	case $1 in
	tick) busybox adjtimex | awk '$2 == "tick:" { print $3 }' ;;
	freq) busybox adjtimex | awk '$2 == "freq.adjust:" { print $3 }' ;;
	status) busybox adjtimex | awk '$1 == "status:" { print $2 }' ;;
	esac
}
status_has() { local ns=$1; shift; k "$ns" show status | grep -qF -- "$*"; }
json_status() {	# json_status NS KEY: one field of show status -j
	k "$1" -j show status | /usr/bin/python3 -c \
		"import json, sys; print(json.load(sys.stdin).get('$2'))"
}
freq_ppm() {	# the discipline's frequency, ppm, from show status
	k "$1" show status | awk '/^frequency is/ { print $3 }'
}
near() { awk -v x="$1" -v c="$2" -v d="$3" 'BEGIN { exit !(x != "" && x - c <= d && c - x <= d) }'; }

check "insmod kntp.ko" load_module
modprobe bridge 2>/dev/null

# --- the topology --------------------------------------------------------------
ip netns add "$S"
ip netns add "$C"
ip netns add "$R"
in_ns "$S" ip link add br0 type bridge
in_ns "$S" ip link set lo up
in_ns "$S" ip addr add 192.0.2.1/24 dev br0
in_ns "$S" ip addr add 2001:db8:9::1/64 dev br0 nodad
in_ns "$S" ip link set br0 up
for n in "$C:192.0.2.2:2001:db8:9::2" "$R:192.0.2.3:2001:db8:9::3"; do
	ns=${n%%:*} a=${n#*:}
	a4=${a%%:*} a6=${a#*:}
	ip link add "v-$ns" netns "$ns" type veth peer name "p-$ns" netns "$S"
	in_ns "$S" ip link set "p-$ns" master br0
	in_ns "$S" ip link set "p-$ns" up
	in_ns "$ns" ip link set lo up
	in_ns "$ns" ip addr add "$a4/24" dev "v-$ns"
	in_ns "$ns" ip addr add "$a6/64" dev "v-$ns" nodad
	in_ns "$ns" ip link set "v-$ns" up
done
ip link add i-s type veth peer name s-i netns "$S"
ip addr add 198.51.100.2/24 dev i-s
ip link set i-s up
in_ns "$S" ip addr add 198.51.100.1/24 dev s-i
in_ns "$S" ip link set s-i up

check "S: master 1 on its virtual clock" k "$S" master 1
answers() { "${PKT[@]}" query "$1" --timeout 1 | grep -q '^mode=4$'; }
check "S answers C over IPv4 and IPv6 (through its bridge)" \
	wait_for 10 eval 'in_ns "$C" "${PKT[@]}" query 192.0.2.1 | grep -q mode=4 &&
			  in_ns "$C" "${PKT[@]}" query 2001:db8:9::1 | grep -q mode=4'

# --- 1. IPv6 transmit: no tunnel statistics on the route's device -----------
# br0 keeps per-CPU tunnel-style statistics (struct pcpu_sw_netstats): had
# kntp passed it as a tunnel device, every reply would count twice there
# (once by us, once by the bridge). On loopback or veth the same mistake
# writes past a smaller per-CPU object, where nothing shows.
tx0=$(in_ns "$S" cat /sys/class/net/br0/statistics/tx_packets)
r0=$(counter "$S" reply_server)
got=$(in_ns "$C" "${PKT[@]}" query 2001:db8:9::1 --count 100 --timeout 1 | sed 's/replies=//')
tx1=$(in_ns "$S" cat /sys/class/net/br0/statistics/tx_packets)
r1=$(counter "$S" reply_server)
echo "# 100 IPv6 requests: $got replies received, $((r1 - r0)) sent, br0 counted $((tx1 - tx0)) packets out"
check "IPv6: every request answered" [ "$got" -ge 98 ]
check "IPv6: br0 counts each reply once (not twice)" \
	[ $((tx1 - tx0)) -le $((r1 - r0 + 10)) ]
check "IPv6 request to [::1]:123 is answered" in_ns "$S" "${PKT[@]}" query ::1
check "  and IPv4 to 127.0.0.1:123" in_ns "$S" "${PKT[@]}" query 127.0.0.1

# --- 2. no answers to multicast or broadcast ------------------------------------
d0=$(counter "$S" drop_not_unicast) r0=$(counter "$S" reply_server)
e0=$(counter "$S" tx_err)
in_ns "$C" "${PKT[@]}" query "ff02::1%v-$C" --count 5 --timeout 0.3 >/dev/null
in_ns "$C" "${PKT[@]}" query 192.0.2.255 --broadcast --count 5 --timeout 0.3 >/dev/null
d1=$(counter "$S" drop_not_unicast) r1=$(counter "$S" reply_server)
e1=$(counter "$S" tx_err)
echo "# 5 to ff02::1, 5 to 192.0.2.255: drop_not_unicast +$((d1 - d0)), reply_server +$((r1 - r0)), tx_err +$((e1 - e0))"
check "requests to ff02::1 and 192.0.2.255 are dropped and counted" [ $((d1 - d0)) = 10 ]
check "  and never answered (nor tried)" [ $((r1 - r0)) = 0 -a $((e1 - e0)) = 0 ]
check "  while unicast still is" in_ns "$C" "${PKT[@]}" query 192.0.2.1

# --- 3. secrets only for CAP_NET_ADMIN -------------------------------------------
check "S: a server association (C, silent)" k "$S" server 192.0.2.2 minpoll -2 maxpoll -2
sent() { [ "$(counter "$S" tx 192.0.2.2)" -ge 2 ]; }
check "  has polled" wait_for 10 sent
detail() { k "$S" -j show associations detail; }
root_view=$(detail)
nobody_view=$(in_ns "$S" "${NOBODY[@]}" "$KNTP" -j show associations detail)
check "root sees the local port and our transmit timestamps" \
	eval 'grep -q "\"local_port\"" <<<"$root_view" && grep -q "\"xmt_unix_ns\"" <<<"$root_view" &&
	      grep -q "\"xmt_ts\"" <<<"$root_view"'
for f in local_port xmt_unix_ns tx_stamp_unix_ns org_ts rec_ts xmt_ts; do
	check "an unprivileged user does not see $f" eval '! grep -q "\"$f\"" <<<"$nobody_view"'
done
check "  but sees the association" grep -q '"192.0.2.2"' <<<"$nobody_view"
k "$S" no server 192.0.2.2

check "an injected offset beyond a day is refused, by name" \
	fails_with "injected offset beyond a day" k "$S" clock inject offset 86400001

# --- 4. a frequency learnt on one clock is not carried to another -------------------
check "R: server S, poll 2^-2 s, on a clock 200 ppm fast" \
	eval 'k "$R" server 192.0.2.1 minpoll -2 maxpoll -2 iburst && k "$R" clock inject frequency 200'
learnt() { near "$(freq_ppm "$R")" -200 40; }
# The estimate is taken once 2 * noise / span is below 20 ppm: after a
# minute when the offsets' noise is 0.5 ms, 150 s when a loaded host makes
# it 1.5 ms (seen in CI: jitter 0.6 ms, not yet taken after 60 s).
check "R learns about -200 ppm on its virtual clock (300 s)" wait_for 300 learnt
learnt || { k "$R" show status; k "$R" show associations detail; } | sed 's/^/#   /'
echo "# R: frequency $(freq_ppm "$R") ppm"
# No more samples from here: at 4 a second, on a slow (debug) kernel one
# came between the switch below and the reading of the frequency, and the
# system clock's own first estimate was read instead of the start.
check "R: no server; it keeps what it learnt" \
	eval 'k "$R" no server 192.0.2.1 && learnt'
f0=$(adjtimex freq) t0=$(adjtimex tick)
check "R: clock system" k "$R" clock system
f=$(freq_ppm "$R")
check "  starts from 0 ppm on the system clock (was $f)" near "$f" 0 0.001
check "R: clock virtual" k "$R" clock virtual
check "  restores the kernel's tick and frequency" \
	eval '[ "$(adjtimex freq)" = "$f0" ] && [ "$(adjtimex tick)" = "$t0" ]'
check "  and starts from 0 ppm again" near "$(freq_ppm "$R")" 0 0.001
k "$R" disable

# --- 5. every change to the system clock's instance needs CAP_SYS_TIME ---------------
check "init: server 198.51.100.1 (root: claims the system clock)" \
	"$KNTP" server 198.51.100.1 minpoll 4 maxpoll 4
check "  owned" status_has "" "clock is system (owned)"
cfg0=$("$KNTP" show running-config)
for cmd in "server 192.0.2.77" "peer 192.0.2.78" "no server 198.51.100.1" \
	"clock step-threshold 1" "clock panic-threshold 0" "clock stepout 0" \
	"master 3" "disable" "clock virtual"; do
	# shellcheck disable=SC2086 # words
	check "without CAP_SYS_TIME: '$cmd' is refused" \
		fails_with "needs CAP_SYS_TIME" "${NOTIME[@]}" "$KNTP" $cmd
done
check "  and nothing changed" [ "$("$KNTP" show running-config)" = "$cfg0" ]
check "  while the same caller configures S's virtual clock" \
	eval 'in_ns "$S" "${NOTIME[@]}" "$KNTP" clock step-threshold 200'
check "with CAP_SYS_TIME: clock step-threshold 200" "$KNTP" clock step-threshold 200
check "an unprivileged user's own namespace cannot reach the system clock" \
	fails_with "CAP_SYS_TIME" "${NOBODY[@]}" unshare -Urn sh -c \
	"'$KNTP' clock system && '$KNTP' enable"

# --- 6. another time daemon ----------------------------------------------------
"$KNTP" monitor >/tmp/monitor.$$ 2>&1 &
mon=$!
sleep 1
busybox adjtimex -f 4242424 >/dev/null
fset=$(adjtimex freq)
lost() { [ "$(json_status "" clock_lost)" = True ]; }
check "someone else sets the frequency: kntp lets go within 5 s" wait_for 5 lost
check "  status says so" eval 'status_has "" "clock is system (not owned)" &&
				status_has "" "another process adjusted the system clock"'
check "  the log says so" eval 'dmesg | grep -q "adjusted by another process (its frequency changed)"'
check "  listeners are told" wait_for 3 grep -q clock_lost /tmp/monitor.$$
check "  and the instance serves as unsynchronised" status_has "" "stratum 16"
"$KNTP" disable
check "disable leaves the other process's frequency alone" [ "$(adjtimex freq)" = "$fset" ]
check "enable claims the clock again" eval '"$KNTP" enable && status_has "" "clock is system (owned)"'
check "  no longer lost" [ "$(json_status "" clock_lost)" = False ]
/usr/bin/python3 -c "import time; time.clock_settime(time.CLOCK_REALTIME, time.time() + 0.5)"
check "someone else sets the time: kntp lets go" wait_for 5 lost
check "  the log says why" eval 'dmesg | grep -q "adjusted by another process (the time was set)"'
check "clock system claims it again" eval '"$KNTP" clock system && status_has "" "clock is system (owned)"'
kill "$mon" 2>/dev/null
mon=

# --- 7. the release restores, whoever triggers it ---------------------------------
"$KNTP" disable
f0=$(adjtimex freq) t0=$(adjtimex tick)
k "$S" clock inject offset 40
"$KNTP" no server 198.51.100.1
check "init: server S, poll 2^-2 s (S is 40 ms ahead)" \
	"$KNTP" server 198.51.100.1 minpoll -2 maxpoll -2 iburst
steering() { [ "$(adjtimex freq)" != "$f0" ] || [ "$(adjtimex tick)" != "$t0" ]; }
# The offset column is what was measured (about 40 ms until samples taken
# after the correction come in); the residual is net of the correction.
measured_and_residual() {
	"$KNTP" -j show associations | /usr/bin/python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin)["associations"] if x["address"] == "198.51.100.1"][0]
m, r = a.get("offset_ns"), a.get("residual_ns")
if m is None or r is None or m < 20e6 or abs(r) >= m / 2:
    sys.exit(1)
print("# offset as measured %d ns, net of corrections %d ns" % (m, r))'
}
check "  the offset shown is as measured (~40 ms), the residual net of the correction" \
	wait_for 30 measured_and_residual
check "kntp steers the kernel's clock (tick or frequency moved)" wait_for 30 steering
echo "# before: tick $t0 freq $f0; kntp set tick $(adjtimex tick) freq $(adjtimex freq)"
check "rmmod by a caller without CAP_SYS_TIME" "${NOTIME[@]}" rmmod kntp
echo "# after rmmod: tick $(adjtimex tick) freq $(adjtimex freq)"
check "  restores the tick and frequency found at the claim" \
	eval '[ "$(adjtimex freq)" = "$f0" ] && [ "$(adjtimex tick)" = "$t0" ]'
check "  and says so in the log" \
	eval 'dmesg | grep -q "released the system clock: unsynchronised, tick $t0 us and frequency $f0"'
check "  and the kernel's clock is unsynchronised again (STA_UNSYNC, 64)" \
	eval '[ $(($(adjtimex status) & 64)) -ne 0 ]'

# --- 8. step only: no discipline claimed, no slew assumed ---------------------------
check "insmod kntp.ko adjtimex=0" insmod "$KNTP_KO" adjtimex=0
check "S: master 1, 40 ms ahead" eval 'k "$S" master 1 && k "$S" clock inject offset 40'
check "init: server S, poll 2^-2 s" "$KNTP" server 198.51.100.1 minpoll -2 maxpoll -2 iburst
check "status: step only, by the module parameter" \
	wait_for 10 status_has "" "clock note: step only: module parameter adjtimex=0"
free() { status_has "" "loop state is free-running (step only)"; }
check "the loop runs free (no slews below the step threshold)" wait_for 30 free
offset_ms() { assoc_json "" 198.51.100.1 '.offset_ns / 1e6'; }
sleep 5
o=$(offset_ms) f=$(freq_ppm "")
echo "# offset to S $o ms, frequency $f ppm"
check "  the offset is still the true 40 ms (nothing compensated)" near "$o" 40 5
check "  no frequency is claimed" near "$f" 0 0.001
check "  the kernel's frequency was never touched" \
	eval '[ "$(adjtimex freq)" = "$f0" ] && [ "$(adjtimex tick)" = "$t0" ]'
check "rmmod kntp" rmmod kntp

# --- 9. memory is charged to the cgroup of whoever configures ----------------------
# memory.current moves in batches of 64 pages; the slab statistics are
# exact once flushed (every 2 s).
check "insmod kntp.ko" load_module
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p "$CG"
ip netns add "$M"
peers=$(for i in $(seq 1 200); do echo "ntp peer 203.0.113.$i"; done)
objsize=$(cat /sys/kernel/slab/kntp_assoc/slab_size 2>/dev/null || echo 0)
# shellcheck disable=SC2016 # expanded by the inner shell
in_cg() { sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$CG" "$@"; }
slab() { sleep 2.5; awk '$1 == "slab_unreclaimable" { print $2 }' "$CG/memory.stat"; }
in_cg ip netns exec "$M" "$KNTP" show status >/dev/null
m0=$(slab)
in_cg ip netns exec "$M" "$KNTP" apply - <<<"$peers" >/dev/null
m1=$(slab)
echo "# 200 peers from a process in $CG: its slab_unreclaimable +$((m1 - m0)) bytes; kntp_assoc objects take $objsize bytes each"
check "200 associations are charged to the configuring cgroup" \
	[ "$objsize" -gt 0 -a $((m1 - m0)) -ge $((200 * objsize)) ]
ip netns del "$M"
check "rmmod kntp" rmmod kntp
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
