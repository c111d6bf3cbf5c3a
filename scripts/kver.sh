#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the release of the newest installed Debian amd64 kernel that has its
# headers installed (the kernel the guests boot and the module is built for).
# The host's own running kernel is not used: it cannot load modules here.
for d in $(ls -1 /lib/modules 2>/dev/null | sort -rV); do
	if [ -e "/lib/modules/$d/build/Makefile" ] && [ -e "/boot/vmlinuz-$d" ]; then
		echo "$d"
		exit 0
	fi
done
echo "kver.sh: no kernel with headers in /lib/modules (run scripts/deps.sh as root)" >&2
exit 1
