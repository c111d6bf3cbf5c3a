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
#           measured with ntpsec's ntpdig against the server, from another
#           namespace (a macvlan on the segment, 192.0.2.3).
set -u
. "$(dirname "$0")/lib.sh"

SERVER=192.0.2.1
DONE_PORT=5555	# the client tells the server it is done here (TCP)

nic() { ip -o link show | awk -F': ' '$2 != "lo" { print $2; exit }'; }

server() {
	local dev
	dev=$(nic)
	ip addr add $SERVER/24 dev "$dev" && ip link set "$dev" up
	chronyd_start "" /tmp/chrony "local stratum 1" "allow" \
		"bindaddress $SERVER" || { echo "# chronyd did not start"; exit 1; }
	local i
	busybox nc -l -p $DONE_PORT >/dev/null &
	for i in $(seq $((390 * ${KNTP_TIMEOUT_SCALE:-1}))); do
		kill -0 $! 2>/dev/null || break
		sleep 2
	done
	chronyd_stop /tmp/chrony
	exit 0
}

# offset_s: the server minus our clock, seconds, measured by ntpdig.
offset_s() {
	ip netns exec m ntpdig -t "${KNTP_TIMEOUT_SCALE:-1}" $SERVER 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "+/-") print $i }'
}

abs_below() { awk -v x="$1" -v m="$2" 'BEGIN { if (x < 0) x = -x; exit !(x != "" && x < m) }'; }

client() {
	local dev off0 off t
	dev=$(nic)
	ip addr add 192.0.2.2/24 dev "$dev" && ip link set "$dev" up
	modprobe -q macvlan || true	# built in on the debug kernel
	ip netns add m
	ip link add m0 link "$dev" type macvlan mode bridge
	ip link set m0 netns m
	ip -n m addr add 192.0.2.3/24 dev m0
	ip -n m link set m0 up
	check "the server answers ntpdig" wait_for 60 eval 'off0=$(offset_s); [ -n "$off0" ]'
	off0=$(offset_s)
	# Our clock := the server's + 300 ms; then run 100 ppm fast.
	/usr/bin/python3 -c "import time; time.clock_settime(time.CLOCK_REALTIME, time.time() + $off0 + 0.3)"
	busybox adjtimex -t 10001 >/dev/null
	off=$(offset_s)
	echo "# before kntp: the server minus our clock is $off s (was $off0 s)"
	check "the clock starts about 300 ms ahead" \
		awk -v x="$off" 'BEGIN { exit !(x < -0.25 && x > -0.35) }'

	check "insmod kntp.ko" load_module
	check "kntp: server $SERVER minpoll 0 maxpoll 0 iburst" \
		"$KNTP" server $SERVER minpoll 0 maxpoll 0 iburst
	check "kntp owns the system clock" \
		eval '"$KNTP" show status | grep -q "^clock is system (owned)"'
	t=$(date +%s)
	check "the clock is within 1 ms of the server within 120 s (ntpdig)" \
		wait_for 120 eval 'off=$(offset_s); abs_below "$off" 0.001'
	echo "# converged after $(( $(date +%s) - t )) s: offset $off s"
	"$KNTP" show status | sed 's/^/#   /'
	check "kntp stepped the clock once, by about -300 ms" \
		eval '"$KNTP" show status | grep -Eq "^last step: -(29[0-9]|30[0-9])\.[0-9]+ msec.*\(1 steps\)"'
	# The frequency is measured once the offsets' noise allows a 20 ppm
	# estimate: under emulation, with two guests on two cores, the noise
	# is milliseconds and that takes minutes.
	freq_ok() {
		"$KNTP" show status |
			awk '/^frequency is/ { f = $3 } END { exit !(f < -70 && f > -130) }'
	}
	t=$(date +%s)
	check "kntp measures the frequency error: about -100 ppm, within 420 s" \
		wait_for 420 freq_ok
	echo "# frequency after $(( $(date +%s) - t )) s: $("$KNTP" show status | grep '^frequency')"
	median3() { printf '%s\n' "$(offset_s)" "$(offset_s)" "$(offset_s)" | sort -g | sed -n 2p; }
	sleep 20
	off=$(median3)
	echo "# then: offset $off s (median of 3)"
	# Under emulation the offsets' noise is about a millisecond.
	check "then the clock stays within 3 ms of the server" abs_below "$off" 0.003
	"$KNTP" show status | sed 's/^/#   /'
	check "rmmod kntp" rmmod kntp
	check "no kernel warnings" test -z "$(kernel_complaints)"
	echo done | busybox nc -w 2 $SERVER $DONE_PORT
	tap_done
}

case ${1-} in
server) server ;;
client) client ;;
*) echo "usage: $0 server|client" >&2; exit 2 ;;
esac
