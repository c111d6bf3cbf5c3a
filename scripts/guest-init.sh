#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# First stage of a test guest: /init of the initramfs built by
# scripts/initramfs.sh (busybox only). It loads the virtio and 9p modules,
# builds the new root and hands over to scripts/guest-run.sh of the repo:
#
#   /            tmpfs; every top-level folder of the host root is bound into it
#                read-only from the 9p share "hostroot" (symlinks copied as such)
#   /tmp /run /root /home /var/{tmp,lib,log,cache}   tmpfs (writable)
#   /proc /sys /dev                                  fresh kernel mounts
#   /results     writable 9p share "results" (build/vm/NAME/results on the host)
#   /mnt /media  empty
# The host writes results/.kntp/repo (the repo's absolute path) before boot.
/bin/busybox --install -s /bin
export PATH=/bin

die() {
	echo "guest-init: $*"
	sleep 1
	reboot -f	# ends QEMU (-no-reboot); a halt would not
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do
	insmod "/lib/modules/$m" || die "insmod $m failed"
done </lib/modules/order

# Large msize: fewer round trips (6.1's virtio transport caps it at ~500 KiB).
# The root is read-only, so caching everything (cache=loose) is safe; the
# results share is written by the guest and read by the host: no cache.
p9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "ro,$p9,cache=loose" hostroot /host || die "cannot mount the host root"
mount -t tmpfs -o mode=0755 root /newroot

for e in /host/* /host/.[!.]*; do
	n=${e#/host/}
	if [ -L "$e" ]; then
		ln -s "$(readlink "$e")" "/newroot/$n"
	elif [ -d "$e" ]; then
		mkdir "/newroot/$n"
		case $n in
		proc | sys | dev | tmp | run | root | home | mnt | media | lost+found) ;;
		*) mount -o bind "$e" "/newroot/$n" ;;
		esac
	fi
done
for d in tmp run root home var/tmp var/lib var/log var/cache; do
	mkdir -p "/newroot/$d"
	mount -t tmpfs -o mode=0755 tmpfs "/newroot/$d"
done
chmod 1777 /newroot/tmp /newroot/var/tmp
mkdir -p /newroot/results
mount -t 9p -o "$p9,cache=none" results /newroot/results || die "cannot mount results"

read -r repo </newroot/results/.kntp/repo || die "no results/.kntp/repo"
# The repo may live below a folder that is tmpfs in here (/tmp, /root, ...).
if [ ! -e "/newroot$repo/scripts/guest-run.sh" ]; then
	mkdir -p "/newroot$repo"
	mount -o bind "/host$repo" "/newroot$repo"
fi
umount -l /host		# the binds stay; the share root itself is not needed

for d in dev proc sys; do mount -o move "/$d" "/newroot/$d"; done
exec switch_root /newroot /bin/bash "$repo/scripts/guest-run.sh"
