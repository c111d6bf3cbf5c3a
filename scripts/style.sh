#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make style: checkpatch (from Debian's linux-source-6.1, extracted into
# build/checkpatch/) over every C source and header we ship, and sparse over
# the module (kbuild C=2). Exits non-zero on any finding.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cp_dir=build/checkpatch
tarball=/usr/src/linux-source-6.1.tar.xz

if [ ! -x "$cp_dir/checkpatch.pl" ]; then
	[ -r "$tarball" ] || { echo "style: $tarball missing (scripts/deps.sh)" >&2; exit 1; }
	mkdir -p "$cp_dir"
	tar -xJf "$tarball" -C "$cp_dir" --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

rc=0
checkpatch() {
	# shellcheck disable=SC2046
	"$cp_dir/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG "$@" || rc=1
}
checkpatch -f $(git ls-files 'kmod/*.[ch]' 'include/*.h')
# Userland and tests follow kernel style too, minus the kernel-only rules
# (kernel types and macros, and libc's PRIu64 read as CamelCase).
checkpatch --ignore PREFER_KERNEL_TYPES,NEW_TYPEDEFS,CAMELCASE \
	--ignore PREFER_DEFINED_ATTRIBUTE_MACRO,MACRO_ARG_REUSE \
	--ignore SPLIT_STRING,STRING_FRAGMENTS \
	-f $(git ls-files 'userland/*.[ch]' 'selftests/*.[ch]')

KVER=${KVER:-$(scripts/kver.sh)}
out=$(make -s -C "/lib/modules/$KVER/build" M="$top" C=2 CHECK=sparse \
	modules 2>&1 | grep -E 'warning|error' || true)
if [ -n "$out" ]; then
	echo "$out"
	rc=1
fi
[ $rc -eq 0 ] && echo "style: checkpatch and sparse clean"
exit $rc
