#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the two-router scenario, in a guest booting Debian's kernel.
#
#   S1 (stratum 1)                                   S2 (stratum 1)
#   192.0.2.1                                        203.0.113.1
#      |                                                  |
#   R1 ---- 198.51.100.1 ------------ 198.51.100.2 ---- R2
#
# R1 and R2 each sync to their own upstream and peer with each other, in
# router words. Then R1 loses S1 and syncs through R2; then S1 comes back.
# Each box is a network namespace with its own kntp instance and clock;
# documentation addresses stand in for the seed's 1.1.1.1 and 10.1.2.2.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "${1-}" != --in-guest ]; then
	if [ "$(id -u)" -eq 0 ]; then
		scripts/deps.sh
	fi
	make -s all
	echo "(the guest's console messages: build/vm/demo/console.log)"
	exec scripts/vm.sh --quiet --name demo --mem 256 --timeout 400 -- \
		scripts/demo.sh --in-guest
fi

set +e
. selftests/lib.sh
. selftests/scenario.sh
check() { "${@:2}" >/dev/null; }	# quiet: the demo shows, it does not count
trap scenario_cleanup EXIT
say() { printf '\n### %s\n' "$*"; }
show() {	# show ROUTER
	echo "$1# show ntp associations"
	kn "$1" show ntp associations
	echo "$1# show ntp status"
	kn "$1" show ntp status | head -n 3
}

say "insmod kmod/kntp.ko (Debian kernel $(uname -r), in a guest)"
load_module
netns_pair S1 $R1_S1 2001:db8:1::1 R1 $R1_LOCAL 2001:db8:1::2
netns_pair R1 $R1_PEER 2001:db8:2::1 R2 $R2_PEER 2001:db8:2::2
netns_pair S2 $R2_S2 2001:db8:3::1 R2 $R2_LOCAL 2001:db8:3::2
kn S1 master 1
kn S2 master 1

say "Configuration"
for line in "R1 ntp server $R1_S1 minpoll 0 maxpoll 0 iburst" \
	    "R1 ntp peer $R2_PEER minpoll 0 maxpoll 0" \
	    "R2 ntp server $R2_S2 minpoll 0 maxpoll 0 iburst" \
	    "R2 ntp peer $R1_PEER minpoll 0 maxpoll 0"; do
	echo "${line%% *}(config)# ${line#* }"
	# shellcheck disable=SC2086
	kn $line
done
# Their clocks start wrong: kntp has to pull them in.
kn R1 clock inject offset 50 frequency 30
kn R2 clock inject offset -40 frequency -20

say "Waiting for both routers to synchronise (1 s polls)"
wait_for 60 eval 'synced R1 && synced R2' && sleep 10
show R1
show R2

say "S1 goes away (its link is cut); R1 fails over to R2"
ip -n S1 link set S1-R1 down
failover_watch 60
echo "R1 followed R2 after ${T_R1_R2:-(not within 60)} s; no timing loop: $([ "$LOOP_SEEN" = 0 ] && echo yes || echo NO)"
show R1

say "S1 comes back; R1 returns to it"
ip -n S1 link set S1-R1 up
wait_for 30 eval 'r1_via_s1'
show R1
rmmod kntp
