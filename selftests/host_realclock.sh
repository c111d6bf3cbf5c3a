#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-timeout: 900
#
# kntp disciplines a guest's real system clock. Two guests on a private
# segment (QEMU socket netdev on loopback multicast):
#
#   rc-server 192.0.2.1  chronyd, local stratum 1
#        |
#   rc-client 192.0.2.2  kntp on the system clock; clock 300 ms off and
#                        100 ppm fast; chronyd -Q in a netns (192.0.2.3) measures
#
# The client's TAP is this test's. See selftests/realclock_guest.sh.
set -u
cd "$(dirname "$0")/.." || exit 1

port=$(scripts/vm.sh --free-port) || exit 1
# The debug kernel's lane stretches every deadline, the guests' too.
to=$((800 * ${KNTP_TIMEOUT_SCALE:-1}))
scripts/vm.sh --name rc-server --timeout "$to" --net "$port" \
	--mac 52:54:00:4b:00:01 -- selftests/realclock_guest.sh server \
	>build/vm-rc-server.out 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
scripts/vm.sh --name rc-client --timeout "$to" --net "$port" \
	--mac 52:54:00:4b:00:02 -- selftests/realclock_guest.sh client |
	grep --line-buffered -v '^\[ *[0-9]'
rc=${PIPESTATUS[0]}
wait $server
exit "$rc"
