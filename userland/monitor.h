/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp monitor: the module's notifications, as they come.
 */
#ifndef KNTP_MONITOR_H
#define KNTP_MONITOR_H

#include <stdio.h>
#include <netlink/attr.h>

int kntp_monitor(int json);
void kntp_monitor_print(FILE *f, struct nlattr **tb, int json);

#endif /* KNTP_MONITOR_H */
