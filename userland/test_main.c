// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kntp tool without the module, one file for each module
 * under test (test_*.c): run in their historical order, as TAP. The last
 * tests talk to the running kernel's "nlctrl" family (test_kernel.c).
 */
#include <stdio.h>

#include "test_util.h"

int tap_n, tap_failed;

int main(void)
{
	int ret;

	test_commands();
	test_errors();
	test_encode();
	test_offsets();
	test_acks();
	test_decode();
	test_render();
	test_show();
	test_instance_commands();
	test_instance_encode();
	test_stats();
	test_metrics();
	test_fmt_measurements();
	test_show_measurements();
	test_status_lines();
	test_clock_commands();
	test_decimal();
	test_clock_encode();
	test_tally();
	test_decode_clock();
	test_status_clock();
	test_config();
	test_auth();
	test_json();
	test_assoc_detail();
	test_kernel();
	test_acl();
	test_ratelimit();
	test_monitor();
	test_ingress();
	ret = done();
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return ret;
}
