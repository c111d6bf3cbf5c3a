/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Human output of decoded records (struct kntp_rec), in the layout
 * of a router's "show ntp associations" and "show ntp status", and the
 * counters one per line; and the same as JSON for "-j".
 */
#ifndef KNTP_SHOW_H
#define KNTP_SHOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "attr.h"

void kntp_fmt_refid(char *buf, size_t len, const unsigned char refid[4],
		    int stratum);
void kntp_fmt_poll(char *buf, size_t len, int poll);
/* mag units of 10^-unit_digits, with 1..unit_digits decimals (show.c). */
void kntp_fmt_fixed_mag(char *buf, size_t len, uint64_t mag, int neg,
			int unit_digits, int decimals);
void kntp_fmt_ms(char *buf, size_t len, int64_t ns, int decimals);
void kntp_fmt_ums(char *buf, size_t len, uint64_t ns, int decimals);
void kntp_fmt_ppm(char *buf, size_t len, int64_t ppb);
void kntp_fmt_age(char *buf, size_t len, uint64_t ms);
void kntp_fmt_time(char *buf, size_t len, int64_t ns);
void kntp_fmt_ntpts(char *buf, size_t len, uint64_t ts, int64_t now_unix);

/* An association's address, its kind's word ("server", "peer"). */
void kntp_fmt_addr(char *buf, size_t len, const struct kntp_rec *r);
const char *kntp_kind_word(const struct kntp_rec *r);
/* Whether a status record says synchronised (leap not 3, stratum 1..15). */
int kntp_status_synced(const struct kntp_rec *r);

void kntp_show_assocs(FILE *f, const struct kntp_rec *recs, size_t n);
void kntp_show_status(FILE *f, const struct kntp_rec *rec,
		      const struct kntp_rec *assocs, size_t n);
void kntp_show_counters(FILE *f, const struct kntp_rec *stats);
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
