#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400
# vm-mem: 256
#
# The two-router scenario with S2 worse (stratum 3): the lower stratum (R1,
# stratum 2) serves R2, so R2 is synchronised through R1 when S1 goes away:
# R1 must go unsynchronised, R2 must drop it for S2, and R1 must then
# follow R2 - without a timing loop. Topology and checks: scenario.sh.
set -u
. "$(dirname "$0")/lib.sh"
need python3 jq
. "$(dirname "$0")/scenario.sh"
trap scenario_cleanup EXIT

check "insmod kntp.ko" load_module
scenario_run 3
tap_done
