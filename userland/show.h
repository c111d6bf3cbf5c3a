/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Human output of decoded records (struct kntp_rec), in the layout
 * of a router's "show ntp associations" and "show ntp status", and the
 * counters one per line; and the same as JSON for "-j" (show_assoc.c,
 * show_status.c, show_json.c; the formatters they share are in fmt.h).
 */
#ifndef KNTP_SHOW_H
#define KNTP_SHOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attr.h"
#include "fmt.h"

/* An association's kind's word ("server", "peer"; else "unknown"). */
const char *kntp_kind_word(const struct kntp_rec *r);
/* Whether a status record says synchronised (leap not 3, stratum 1..15). */
int kntp_status_synced(const struct kntp_rec *r);
/*
 * The association of assocs its SYS_PEER names, when that has an address;
 * NULL without a system peer or when assocs does not name it.
 */
const struct kntp_rec *kntp_status_sys_peer(const struct kntp_rec *r,
					    const struct kntp_rec *assocs,
					    size_t n);

void kntp_show_assocs(FILE *f, const struct kntp_rec *recs, size_t n);
void kntp_show_status(FILE *f, const struct kntp_rec *rec,
		      const struct kntp_rec *assocs, size_t n);
void kntp_show_counters(FILE *f, const struct kntp_rec *stats);
/* "show status"'s line of the devices answered at (the status's INGRESS). */
void kntp_show_ingress(FILE *f, const struct kntp_ifindexes *in);
/* "show associations detail": a block per association. */
void kntp_show_assocs_detail(FILE *f, const struct kntp_rec *recs,
			     const struct kntp_rec *stats,
			     const struct kntp_filter *filters, size_t n,
			     int64_t now_unix);

/* The same as JSON documents ("-j"), one line each. */
void kntp_show_assocs_json(FILE *f, const struct kntp_rec *recs,
			   const struct kntp_rec *stats,
			   const struct kntp_filter *filters, size_t n);
void kntp_show_status_json(FILE *f, const struct kntp_reply *reply,
			   const struct kntp_rec *assocs, size_t n);
void kntp_show_counters_json(FILE *f, const struct kntp_rec *stats);
/* The JSON key of an attribute of set, or NULL when it has none. */
const char *kntp_json_key(const struct kntp_attrset *set, int type);

#endif /* KNTP_SHOW_H */
