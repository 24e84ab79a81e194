/* Hypervisor command line parser: tokenize, look the key up in the caller's
 * table, convert and range-check the value, and only then store it. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"
#include "lib/log.h"

/* One token with its quotes removed. */
struct token {
	char text[CMDLINE_TOKEN_MAX];
	bool too_long;		/* text holds only the first CMDLINE_TOKEN_MAX - 1 bytes */
	bool open_quote;	/* a '"' was never closed */
};

static const char *skip_spaces(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Copy the token that starts at p into tok; return the first byte after it. */
static const char *read_token(const char *p, struct token *tok)
{
	size_t len = 0;
	bool quoted = false;

	tok->too_long = false;
	for (; *p && (quoted || !isspace((unsigned char)*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (len < sizeof(tok->text) - 1)
			tok->text[len++] = *p;
		else
			tok->too_long = true;
	}
	tok->text[len] = '\0';
	tok->open_quote = quoted;
	return p;
}

/* Parse a whole decimal or 0x-prefixed hexadecimal number; false if s is not one. */
static bool parse_uint(const char *s, uint64_t *out)
{
	unsigned long long value;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* strtoull alone would accept leading spaces, signs and an empty string. */
	if (!isxdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	value = strtoull(s, &end, base);
	if (errno || *end)
		return false;
	*out = value;
	return true;
}

/* Index of `word` in the NULL-terminated `choices`, or -1. */
static int find_choice(const char *const *choices, const char *word)
{
	int i;

	for (i = 0; choices[i]; i++)
		if (!strcmp(choices[i], word))
			return i;
	return -1;
}

/* Store `value` (NULL for a bare key) in opt's variable if it is valid for it. */
static bool set_option(const struct cmdline_option *opt, const char *value)
{
	uint64_t number;
	int choice;

	switch (opt->kind) {
	case CMDLINE_FLAG:
		if (value)
			return false;
		*opt->var.flag = true;
		return true;
	case CMDLINE_UINT:
		if (!value || !parse_uint(value, &number) ||
		    number < opt->min || number > opt->max)
			return false;
		*opt->var.uint = number;
		return true;
	case CMDLINE_ENUM:
		choice = value ? find_choice(opt->choices, value) : -1;
		if (choice < 0)
			return false;
		*opt->var.choice = choice;
		return true;
	case CMDLINE_STRING:
		if (!value || strlen(value) >= opt->size)
			return false;
		strcpy(opt->var.string, value);
		return true;
	}
	return false;
}

/* Describe what opt accepts, e.g. "1..64" or "one of error|warn". */
static void describe_expected(const struct cmdline_option *opt, char *buf, size_t len)
{
	size_t used;
	int i;

	switch (opt->kind) {
	case CMDLINE_FLAG:
		snprintf(buf, len, "no value");
		break;
	case CMDLINE_UINT:
		snprintf(buf, len, "%llu..%llu", (unsigned long long)opt->min,
			 (unsigned long long)opt->max);
		break;
	case CMDLINE_ENUM:
		used = snprintf(buf, len, "one of ");
		for (i = 0; opt->choices[i] && used < len; i++)
			used += snprintf(buf + used, len - used, "%s%s",
					 i ? "|" : "", opt->choices[i]);
		break;
	case CMDLINE_STRING:
		snprintf(buf, len, "at most %zu characters", opt->size - 1);
		break;
	}
}

/* Print opt's current value, which the caller initialised to the default. */
static void describe_current(const struct cmdline_option *opt, char *buf, size_t len)
{
	switch (opt->kind) {
	case CMDLINE_FLAG:
		snprintf(buf, len, "%s", *opt->var.flag ? "on" : "off");
		break;
	case CMDLINE_UINT:
		snprintf(buf, len, "%llu", (unsigned long long)*opt->var.uint);
		break;
	case CMDLINE_ENUM:
		snprintf(buf, len, "%s", opt->choices[*opt->var.choice]);
		break;
	case CMDLINE_STRING:
		snprintf(buf, len, "%s", opt->var.string);
		break;
	}
}

/* Apply one `key` or `key=value` token; returns 1 if it was skipped, else 0. */
static unsigned apply_token(char *text, const struct cmdline_option *table, size_t n)
{
	char *eq = strchr(text, '=');
	const char *value = NULL;
	char expected[128], current[64];
	size_t i;

	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	for (i = 0; i < n && strcmp(table[i].name, text); i++)
		;
	if (i == n) {
		log_warn("cmdline: unknown option '%s' ignored", text);
		return 1;
	}
	if (set_option(&table[i], value))
		return 0;
	describe_expected(&table[i], expected, sizeof(expected));
	describe_current(&table[i], current, sizeof(current));
	log_warn("cmdline: invalid value '%s' for '%s' (expected %s), keeping default '%s'",
		 value ? value : "", text, expected, current);
	return 1;
}

unsigned cmdline_parse(const char *line, const struct cmdline_option *table, size_t n)
{
	struct token tok;
	unsigned problems = 0;

	for (line = skip_spaces(line); *line; line = skip_spaces(line)) {
		line = read_token(line, &tok);
		if (tok.too_long) {
			log_warn("cmdline: option '%.32s...' longer than %d characters ignored",
				 tok.text, CMDLINE_TOKEN_MAX - 1);
			problems++;
		} else if (tok.open_quote) {
			log_warn("cmdline: option '%s' has no closing quote, ignored", tok.text);
			problems++;
		} else {
			problems += apply_token(tok.text, table, n);
		}
	}
	return problems;
}

const char *cmdline_skip_path(const char *line)
{
	const char *p = skip_spaces(line);

	if (*p != '/')
		return line;
	while (*p && !isspace((unsigned char)*p))
		p++;
	return skip_spaces(p);
}
