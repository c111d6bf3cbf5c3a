/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command table: words, arguments, help text and handler of each
 * command, the lookup of a command line in it, and the help it generates.
 */
#ifndef KNTP_CMD_H
#define KNTP_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "parse.h"

#define KNTP_CMD_WORDS	3

struct kntp_command {
	const char *words[KNTP_CMD_WORDS];	/* NULL-terminated */
	const char *args;	/* synopsis after the words */
	int opts;		/* takes the association options */
	const char *help;
	/* argv[argi] is the first word after the command's words. */
	int (*parse)(const struct kntp_command *c, int argc, char **argv,
		     int argi, struct kntp_req *req, struct kntp_perr *err);
	int (*run)(const struct kntp_command *c, const struct kntp_req *req,
		   const char *ctx);
	uint8_t nl_cmd;		/* KNTP_CMD_* */
	uint8_t kind;		/* KNTP_ASSOC_KIND_*, 0: not sent */
	unsigned int flags;	/* KNTP_CMDF_* */
	int value;		/* parse's setting: KNTP_NUM_*, a clock, 0/1 */
};

/* What a command is, for the code that treats commands alike. */
#define KNTP_CMDF_NO		0x1	/* the "no" form of another */
#define KNTP_CMDF_JSON		0x2	/* prints JSON with -j */
#define KNTP_CMDF_CONFIG	0x4	/* a line of a configuration file */
#define KNTP_CMDF_ACL		0x8	/* ... kept by acl.c's configuration */

/* Exit status. */
#define KNTP_EXIT_OK	0
#define KNTP_EXIT_FAIL	1	/* the request failed */
#define KNTP_EXIT_USAGE	2	/* the command line is wrong */

int kntp_cmd_parse(int argc, char **argv, const struct kntp_command **cmd,
		   struct kntp_req *req, struct kntp_perr *err);
int kntp_cmd_main(int argc, char **argv);
int kntp_help(const struct kntp_command *c, const struct kntp_req *req,
	      const char *ctx);

#endif /* KNTP_CMD_H */
