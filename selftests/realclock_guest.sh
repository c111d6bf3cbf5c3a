#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of host_realclock.sh: "server" or "client".
#
#   server: chronyd, local stratum 1, on 192.0.2.1: its own clock is the
#           reference. Serves until the client says it is done (or 780 s).
#   client: 192.0.2.2. Its system clock is set 300 ms ahead of the server
#           and 100 ppm fast (adjtimex tick 10001 us), then kntp, owning
#           the system clock, follows the server. The clock's error is
#           measured against the server by chronyd -Q (kernel timestamps)
#           from another namespace (a macvlan on the segment, 192.0.2.3).
set -u
. "$(dirname "$0")/lib.sh"

SERVER=192.0.2.1
DONE_PORT=5555	# the client tells the server it is done here (TCP)

# nic: the guest's NIC, the first device with a bus device behind it (the
# debug kernel also makes dummy0, before it, and sit0, after it).
nic() {
	local d
	for d in /sys/class/net/*; do
		[ -e "$d/device" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

server() {
	local dev
	dev=$(nic)
	ip addr add $SERVER/24 dev "$dev" && ip link set "$dev" up
	chronyd_start "" /tmp/chrony "local stratum 1" "allow" \
		"bindaddress $SERVER" || { echo "# chronyd did not start"; exit 1; }
	local _
	busybox nc -l -p $DONE_PORT >/dev/null &
	for _ in $(seq $((390 * ${KNTP_TIMEOUT_SCALE:-1}))); do
		kill -0 $! 2>/dev/null || break
		sleep 2
	done
	chronyd_stop /tmp/chrony
	exit 0
}

# ntpdig_offset_s: the server minus our clock, s, by ntpdig (to within
# milliseconds: it stamps its packets in userspace).
ntpdig_offset_s() {
	ip netns exec m ntpdig -t "${KNTP_TIMEOUT_SCALE:-1}" $SERVER 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "+/-") print $i }'
}

# The monitor: chronyd -Q in m (it measures and never sets the clock),
# over four exchanges a quarter of a second apart, with kernel receive and
# transmit timestamps. Its measurements carry a few hundred microseconds
# of noise under emulation, where ntpdig's, stamped in userspace, carry
# milliseconds (their error bound is 3-25 ms here).
MON=/tmp/mon
# mon_sample: the server minus our clock, s, by one chronyd -Q run.
mon_sample() {
	mkdir -p $MON
	ip netns exec m chronyd -Q -u root -t $((10 * ${KNTP_TIMEOUT_SCALE:-1})) \
		-f /dev/null "pidfile $MON/chronyd.pid" \
		"server $SERVER iburst minpoll -2 maxpoll -2" 2>&1 |
		awk '/System clock wrong by/ { print $(NF - 2) }'
}
# mon_offset_s N: the median of N of the monitor's measurements.
mon_offset_s() {
	local _
	for _ in $(seq "$1"); do mon_sample; done | median
}

abs_below() { awk -v x="$1" -v m="$2" 'BEGIN { if (x < 0) x = -x; exit !(x != "" && x < m) }'; }

client() {
	local dev off0 off off_start t
	dev=$(nic)
	ip addr add 192.0.2.2/24 dev "$dev" && ip link set "$dev" up
	modprobe -q macvlan || true	# built in on the debug kernel
	ip netns add m
	ip link add m0 link "$dev" type macvlan mode bridge
	ip link set m0 netns m
	ip -n m addr add 192.0.2.3/24 dev m0
	ip -n m link set m0 up
	check "the server answers ntpdig" wait_for 60 eval 'off0=$(ntpdig_offset_s); [ -n "$off0" ]'
	# Where our clock starts, by the monitor: one sample of ntpdig's can
	# be 50 ms off on the debug kernel.
	off0=$(mon_offset_s 3)
	# Our clock := the server's + 300 ms; then run 100 ppm fast.
	/usr/bin/python3 -c "import time; time.clock_settime(time.CLOCK_REALTIME, time.time() + $off0 + 0.3)"
	busybox adjtimex -t 10001 >/dev/null
	off_start=$(mon_offset_s 3)
	echo "# before kntp: the server minus our clock is $off_start s by the monitor, $(ntpdig_offset_s) s by ntpdig"
	check "the clock starts about 300 ms ahead (the monitor)" \
		awk -v x="$off_start" 'BEGIN { exit !(x != "" && x < -0.25 && x > -0.35) }'

	check "insmod kntp.ko" load_module
	check "kntp: server $SERVER minpoll 0 maxpoll 0 iburst" \
		"$KNTP" server $SERVER minpoll 0 maxpoll 0 iburst
	check "kntp owns the system clock" \
		eval '"$KNTP" show status | grep -q "^clock is system (owned)"'
	t=$(date +%s)
	# Its first update steps the clock; until the filter refills (seconds
	# at 1 s polls) kntp serves unsynchronised, and the offset it shows is
	# none: the step took it out. (Before, it was the offset stepped out.)
	stratum='' offset=''
	check "kntp steps the clock within 60 s" \
		wait_for 60 eval 'read -r steps stratum offset \
			< <(status_json "" "\"\\(.steps) \\(.stratum) \\(.offset_ns)\"") &&
			[ "${steps:-0}" -ge 1 ]'
	if [ "${stratum:-}" = 16 ]; then
		check "right after the step, unsynchronised, it shows no offset ($offset ns)" \
			[ "$offset" = 0 ]
	else
		skip "right after the step: synchronised again before the first reading (stratum ${stratum:-?})"
	fi
	check "the clock is within 1 ms of the server within 120 s (the monitor, median of 3)" \
		wait_for 120 eval 'off=$(mon_offset_s 3); abs_below "$off" 0.001'
	echo "# converged after $(( $(date +%s) - t )) s: offset $off s"
	"$KNTP" show status | sed 's/^/#   /'
	# The step is the offset measured before kntp, less what the clock
	# gained since at 100 ppm (a few seconds: under a millisecond), within
	# the noise of kntp's first samples under emulation (milliseconds).
	stepped_once() {
		"$KNTP" show status | awk -v want="$off_start" '
			/^last step: / { ms = $3; n = $(NF - 1); sub(/^\(/, "", n) }
			END {
				d = ms - want * 1000; if (d < 0) d = -d
				exit !(n == 1 && d < 10)
			}'
	}
	check "kntp stepped the clock once, by the offset measured before (${off_start} s, within 10 ms)" \
		stepped_once
	# The frequency is the slope of a least-squares line through the
	# recent offsets (kmod/core/discipline.c), from the iburst's samples
	# on; under emulation, with two guests on two cores, the offsets carry
	# milliseconds of noise and the slope settles within a minute or two.
	freq_ok() {
		"$KNTP" show status |
			awk '/^frequency is/ { f = $3 } END { exit !(f < -70 && f > -130) }'
	}
	t=$(date +%s)
	check "kntp measures the frequency error: about -100 ppm, within 420 s" \
		wait_for 420 freq_ok
	echo "# frequency after $(( $(date +%s) - t )) s: $("$KNTP" show status | grep '^frequency')"
	# Then ten measurements over the next ten seconds or so. kntp's own
	# offsets carry 1-3 ms of noise here (its jitter); the line through
	# them averages most of it out, the rest reaches the clock: the median
	# stays well within 2 ms.
	local samples
	samples=$(for _ in $(seq 10); do mon_sample; done)
	echo "# then, the monitor:" $samples
	off=$(printf '%s\n' $samples | median)
	check "then the clock stays within 2 ms of the server (the monitor, median of 10: $off s)" \
		abs_below "$off" 0.002
	"$KNTP" show status | sed 's/^/#   /'
	check "rmmod kntp" rmmod kntp
	check "no kernel warnings" test -z "$(kernel_complaints)"
	echo "done" | busybox nc -w 2 $SERVER $DONE_PORT
	tap_done
}

case ${1-} in
server) server ;;
client) client ;;
*) echo "usage: $0 server|client" >&2; exit 2 ;;
esac
