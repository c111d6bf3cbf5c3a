#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot a guest with Debian's kernel, load kntp.ko and configure
# router R1 of the seed scenario with the tool, in router words, then show
# what the module holds.
#
# The seed's R1 says "ntp server 1.1.1.1" and "ntp peer 10.1.2.2"; the demo
# uses documentation addresses instead (S1 = 192.0.2.1, R2 = 198.51.100.2)
# so that nothing here ever points at a real host.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "${1-}" != --in-guest ]; then
	if [ "$(id -u)" -eq 0 ]; then
		scripts/deps.sh
	fi
	make -s all
	exec scripts/vm.sh --name demo --timeout 180 -- scripts/demo.sh --in-guest
fi

kntp=$top/userland/kntp
say() { printf '\n### %s\n' "$*"; }

say "insmod kmod/kntp.ko (Debian kernel $(uname -r), in a guest)"
insmod kmod/kntp.ko
grep '^kntp ' /proc/modules

say "R1's configuration, line by line"
while read -r line; do
	echo "R1(config)# $line"
	# shellcheck disable=SC2086
	"$kntp" $line
done <<'CONF'
ntp server 192.0.2.1 iburst
ntp peer 198.51.100.2
CONF

say "R1# show ntp associations"
"$kntp" show ntp associations
say "R1# show ntp status"
"$kntp" show ntp status

say "A refused line changes nothing: ntp server 192.0.2.1 minpoll 3 maxpoll 2"
"$kntp" ntp server 192.0.2.1 minpoll 3 maxpoll 2 || true

say "R1(config)# no ntp peer 198.51.100.2"
"$kntp" no ntp peer 198.51.100.2
"$kntp" show ntp associations

say "rmmod kntp"
rmmod kntp
echo "unloaded"
