/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "kntp show metrics": the status, counters and associations in the
 * OpenMetrics text format (metrics.c).
 */
#ifndef KNTP_METRICS_H
#define KNTP_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "attr.h"

/* The name of the tool's namespace in /run/netns, or "" (metrics.c). */
void kntp_metrics_netns(char *buf, size_t len);

/*
 * status: the STATUS_GET reply; assocs and stats: n associations from a
 * dump and the counters of each (absent counters: an empty record).
 * netns: the netns label's value, "" for none.
 */
void kntp_show_metrics(FILE *f, const char *netns,
		       const struct kntp_reply *status,
		       const struct kntp_rec *assocs,
		       const struct kntp_rec *stats, size_t n);

#endif /* KNTP_METRICS_H */
