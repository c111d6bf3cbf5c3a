/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The formatters the printers share (fmt.c): values as people read them,
 * an attribute of a decoded record as a cell ("-" when absent), and the
 * words of enums and flags that both the text and the JSON print.
 */
#ifndef KNTP_FMT_H
#define KNTP_FMT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/kntp.h>

#include "attr.h"

void kntp_fmt_refid(char *buf, size_t len, const unsigned char refid[4],
		    int stratum);
void kntp_fmt_poll(char *buf, size_t len, int poll);
/* mag units of 10^-unit_digits, with 1..unit_digits decimals (fmt.c). */
void kntp_fmt_fixed_mag(char *buf, size_t len, uint64_t mag, int neg,
			int unit_digits, int decimals);
void kntp_fmt_ms(char *buf, size_t len, int64_t ns, int decimals);
void kntp_fmt_ums(char *buf, size_t len, uint64_t ns, int decimals);
void kntp_fmt_ppm(char *buf, size_t len, int64_t ppb);
void kntp_fmt_age(char *buf, size_t len, uint64_t ms);
void kntp_fmt_time(char *buf, size_t len, int64_t ns);
void kntp_fmt_ntpts(char *buf, size_t len, uint64_t ts, int64_t now_unix);

/*
 * A network device by its index, as this namespace names it: "eth1", or
 * "ifindex 7" when no device has that index (it went, or is elsewhere).
 * Returns 1 when it has a name, 0 when buf holds "ifindex N".
 */
int kntp_fmt_ifname(char *buf, size_t len, uint32_t ifindex);

/* Printable ASCII, 0x20 to 0x7e: what a kernel's text may print as is. */
int kntp_printable(unsigned char c);
/* "-": the cell of an attribute the kernel did not send. */
void kntp_fmt_dash(char *buf, size_t len);

/*
 * The cells of attr.c's tables (struct kntp_field.cell): attribute a of r,
 * which r has, as people read it. Print them with kntp_fmt_cell().
 */
/* An address: ADDR4 or ADDR6. */
void kntp_fmt_rec_addr(char *buf, size_t len, const struct kntp_rec *r,
		       int a);
/* A refid, read at the association's stratum. */
void kntp_fmt_rec_refid(char *buf, size_t len, const struct kntp_rec *r,
			int a);
/* A status's refid at its stratum; "LOCL" of "ntp master" as a name. */
void kntp_fmt_rec_status_refid(char *buf, size_t len,
			       const struct kntp_rec *r, int a);
/* An unsigned number in decimal. */
void kntp_fmt_rec_uint(char *buf, size_t len, const struct kntp_rec *r,
		       int a);
/* A signed number in decimal. */
void kntp_fmt_rec_int(char *buf, size_t len, const struct kntp_rec *r, int a);
/* An unsigned number in octal (the reach register). */
void kntp_fmt_rec_octal(char *buf, size_t len, const struct kntp_rec *r,
			int a);
/* A poll interval (log2 seconds) in seconds. */
void kntp_fmt_rec_poll(char *buf, size_t len, const struct kntp_rec *r,
		       int a);
/* Signed nanoseconds as milliseconds, 3 decimals. */
void kntp_fmt_rec_ms(char *buf, size_t len, const struct kntp_rec *r, int a);
/* Unsigned nanoseconds as milliseconds, 3 decimals. */
void kntp_fmt_rec_ums(char *buf, size_t len, const struct kntp_rec *r,
		      int a);
/* Unsigned nanoseconds as milliseconds, 2 decimals (root delay, disp). */
void kntp_fmt_rec_ums2(char *buf, size_t len, const struct kntp_rec *r,
		       int a);
/* Milliseconds as whole seconds. */
void kntp_fmt_rec_age(char *buf, size_t len, const struct kntp_rec *r, int a);
/* Signed parts per billion as ppm, 3 decimals. */
void kntp_fmt_rec_ppm(char *buf, size_t len, const struct kntp_rec *r, int a);

/*
 * Attribute a of r (of set) as its table in attr.c says: "-" when r has
 * neither it nor its alt; else its cell formatter; else its word (an "_"
 * read as " "; the number when the value has none); else the number.
 */
void kntp_fmt_cell(char *buf, size_t len, const struct kntp_attrset *set,
		   const struct kntp_rec *r, int a);

/*
 * The word tables of fmt.c that the text and the JSON share. Their sizes
 * are here for ARRAY_SIZE(): the compiler refuses a longer table, and a
 * shorter one would end in an empty entry, which test_show.c catches.
 */
/* enum kntp_assoc_state, bits: the conditions after a row, JSON "state". */
extern const struct kntp_word kntp_state_words[4];
/* enum kntp_reject: why an association is not selectable. */
extern const struct kntp_word kntp_reject_words[5];
/* enum kntp_auth: what the last packet's MAC proved. */
extern const struct kntp_word kntp_auth_words[9];
/* enum kntp_mode: the peer's NTP mode. */
extern const struct kntp_word kntp_mode_words[5];
/* The word of v in w (n words), or NULL. */
const char *kntp_word_of(const struct kntp_word *w, size_t n, uint64_t v);

/* enum kntp_assoc_kind: JSON "kind". */
extern const struct kntp_word kntp_kind_words[2];
/* KNTP_ASSOC_F_*, bits: JSON "flags". */
extern const struct kntp_word kntp_flag_words[3];
/* The leap indicator (RFC 5905 sec. 7.3) for people. */
extern const struct kntp_word kntp_leap_words[4];
/* enum kntp_clock: JSON "clock". */
extern const struct kntp_word kntp_clock_words[2];
/* enum kntp_disc_state: JSON "loop_state". */
extern const struct kntp_word kntp_disc_keys[6];
/* A tally code (enum kntp_tally) as it is shown. */
struct kntp_tally_text {
	char c;			/* before the address in "show associations" */
	const char *word;	/* "show associations detail" */
	const char *label;	/* the state label of the metrics' tally gauge */
};

/* Indexed by enum kntp_tally; entry 0 is not a code (no word). */
extern const struct kntp_tally_text kntp_tallies[KNTP_TALLY_SYSPEER + 1];
/* The association's tally, or NULL when absent or unknown. */
const struct kntp_tally_text *kntp_tally_of(const struct kntp_rec *r);
/* The tally character of an association; a space when absent or unknown. */
char kntp_tally_char(const struct kntp_rec *r);

#endif /* KNTP_FMT_H */
