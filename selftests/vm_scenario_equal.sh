#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400
# vm-mem: 256
#
# The two-router scenario with equal upstream strata: S1 and S2 are both
# stratum 1, each router follows its own server, and R1 fails over to R2
# when S1 goes away. Topology and checks: selftests/scenario.sh.
set -u
. "$(dirname "$0")/lib.sh"
need python3 jq
. "$(dirname "$0")/scenario.sh"
trap scenario_cleanup EXIT

check "insmod kntp.ko" load_module
scenario_run 1
tap_done
