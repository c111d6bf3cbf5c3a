#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family, byte by byte: nl_test (kselftest harness) runs
# every test in a fresh network namespace of its own, so each sees a fresh
# kntp instance:
#
#   guest ── netns per test ── kntp instance ── nl_test (raw genl socket)
#
# Runs in a guest, as root, with kmod/kntp.ko built.
set -u
. "$(dirname "$0")/lib.sh"

# nl_test's namespaces go with its children; the module, on any exit.
trap 'rmmod kntp 2>/dev/null' EXIT
load_module || { echo "not ok 1 - insmod kntp.ko"; exit 1; }
"$KNTP_TOP/selftests/nl_test"
rc=$?
# Namespaces are dismantled asynchronously (cleanup_net): give it time.
no_assocs() { [ "$(live_assocs)" -eq 0 ]; }
check "every association freed with its namespace" wait_for 10 no_assocs
check "rmmod kntp" rmmod kntp
check "no kernel warnings" test -z "$(kernel_complaints)"
[ "$rc" -eq 0 ] || not_ok "nl_test exited $rc"
tap_done
