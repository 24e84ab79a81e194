/* Table-driven parser for the hypervisor command line, e.g.
 * `console=com1,115200 loglevel=debug smp=2 nosmp name="a b"`.
 * The caller owns the option table and the variables; a bad value leaves
 * the variable at its default and is reported, never fatal. */
#pragma once

#include "lib/compiler.h"

enum cmdline_kind {
	CMDLINE_FLAG,	/* `name` alone sets a bool */
	CMDLINE_UINT,	/* `name=N` (decimal or 0x hex) within [min, max] */
	CMDLINE_ENUM,	/* `name=word`: stores the word's index in choices (the
			 * variable must start as a valid index) */
	CMDLINE_STRING,	/* `name=text` copied into a char array */
};

struct cmdline_option {
	const char *name;
	enum cmdline_kind kind;
	union {
		bool *flag;
		uint64_t *uint;
		unsigned *choice;
		char *string;
	} var;
	uint64_t min, max;		/* CMDLINE_UINT */
	const char *const *choices;	/* CMDLINE_ENUM, NULL-terminated */
	size_t size;			/* CMDLINE_STRING: the array's size */
	const char *help;
};

#define CMDLINE_OPT_FLAG(n, v, h) \
	{ .name = (n), .kind = CMDLINE_FLAG, .var.flag = (v), .help = (h) }
#define CMDLINE_OPT_UINT(n, v, lo, hi, h) \
	{ .name = (n), .kind = CMDLINE_UINT, .var.uint = (v), .min = (lo), \
	  .max = (hi), .help = (h) }
#define CMDLINE_OPT_ENUM(n, v, c, h) \
	{ .name = (n), .kind = CMDLINE_ENUM, .var.choice = (v), .choices = (c), \
	  .help = (h) }
/* `arr` must be a char array (not a pointer): its size bounds the copy. */
#define CMDLINE_OPT_STRING(n, arr, h) \
	{ .name = (n), .kind = CMDLINE_STRING, .var.string = (arr), \
	  .size = sizeof(arr), .help = (h) }

/* Longest `key=value` token, quotes removed; longer tokens are rejected. */
#define CMDLINE_TOKEN_MAX 256

/* Apply every whitespace-separated `key` or `key=value` token of `line` to
 * the matching option in `table`. Double quotes group spaces into a token
 * and are removed. Unknown keys and invalid values are logged with
 * log_warn and skipped; returns how many tokens were skipped. */
unsigned cmdline_parse(const char *line, const struct cmdline_option *table, size_t n);

/* GRUB may pass the image path first ("/boot/hv.elf loglevel=debug"): if
 * the first token starts with '/', return the text after it, else `line`. */
const char *cmdline_skip_path(const char *line);
