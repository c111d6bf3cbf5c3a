// SPDX-License-Identifier: GPL-2.0
/*
 * kntp - manage the kntp kernel module (NTPv4) over generic netlink.
 *
 * The commands are in cmd.c; "kntp help" lists them.
 */
#include "cmd.h"

int main(int argc, char **argv)
{
	return kntp_cmd_main(argc - 1, argv + 1);
}
