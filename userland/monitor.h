/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kntp monitor: the module's notifications, as they come.
 */
#ifndef KNTP_MONITOR_H
#define KNTP_MONITOR_H

#include <stddef.h>
#include <netlink/attr.h>

int kntp_monitor(int json);
void kntp_monitor_format(struct nlattr **tb, int json, char *buf, size_t len);

#endif /* KNTP_MONITOR_H */
