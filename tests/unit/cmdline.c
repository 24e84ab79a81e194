/* Command line parser: tokenizing, each option kind, and every way a token
 * can be rejected (the variable must keep its default and a warning names
 * the problem). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/cmdline.h"
#include "tests/unit/host.h"

static const char *const levels[] = { "error", "warn", "info", "debug", NULL };

static bool nosmp;
static uint64_t smp;
static uint64_t big;
static unsigned loglevel;
static char console[16];

static const struct cmdline_option table[] = {
	CMDLINE_OPT_FLAG("nosmp", &nosmp, "start only the boot CPU"),
	CMDLINE_OPT_UINT("smp", &smp, 1, 64, "CPUs to start"),
	CMDLINE_OPT_UINT("big", &big, 0, UINT64_MAX, "any 64-bit number"),
	CMDLINE_OPT_ENUM("loglevel", &loglevel, levels, "console verbosity"),
	CMDLINE_OPT_STRING("console", console, "serial port and speed"),
};

static int setup(void **state)
{
	nosmp = false;
	smp = 1;
	big = 7;
	loglevel = 1;
	strcpy(console, "com1");
	host_last_log[0] = '\0';
	return 0;
}

static unsigned parse(const char *line)
{
	return cmdline_parse(line, table, ARRAY_SIZE(table));
}

/* Parse a line holding one bad token: one problem, this warning. */
static void expect_warning(const char *line, const char *warning)
{
	assert_int_equal(parse(line), 1);
	assert_string_equal(host_last_log, warning);
}

static void test_all_kinds(void **state)
{
	assert_int_equal(parse("console=com2,9600 loglevel=debug smp=8 nosmp big=0x1F"), 0);
	assert_string_equal(console, "com2,9600");
	assert_int_equal(loglevel, 3);
	assert_int_equal(smp, 8);
	assert_true(nosmp);
	assert_int_equal(big, 31);
	assert_string_equal(host_last_log, "");
}

static void test_whitespace_only(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse(" \t\n "), 0);
	assert_int_equal(parse("\tsmp=3  \t nosmp\n"), 0);
	assert_int_equal(smp, 3);
	assert_true(nosmp);
}

static void test_quotes(void **state)
{
	assert_int_equal(parse("console=\"a b\tc\" smp=2"), 0);
	assert_string_equal(console, "a b\tc");
	assert_int_equal(smp, 2);
	assert_int_equal(parse("\"console=x y\""), 0);
	assert_string_equal(console, "x y");
	assert_int_equal(parse("console=\"\""), 0);
	assert_string_equal(console, "");
}

static void test_unclosed_quote(void **state)
{
	expect_warning("console=\"abc smp=9",
		       "cmdline: option 'console=abc smp=9' has no closing quote, ignored");
	assert_string_equal(console, "com1");
	assert_int_equal(smp, 1);
}

static void test_last_value_wins(void **state)
{
	assert_int_equal(parse("smp=2 smp=4"), 0);
	assert_int_equal(smp, 4);
}

static void test_unknown_option(void **state)
{
	expect_warning("smp=2 frobnicate=1", "cmdline: unknown option 'frobnicate' ignored");
	assert_int_equal(smp, 2);
	expect_warning("smp2", "cmdline: unknown option 'smp2' ignored");
	expect_warning("=5", "cmdline: unknown option '' ignored");
}

static void test_bad_uint(void **state)
{
	static const char *const bad[] = {
		"0", "65", "abc", "-1", "+2", "", "2x", "0x", "0x-1", " 3", "1e3",
	};
	char line[32], warning[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "smp=\"%s\"", bad[i]);
		snprintf(warning, sizeof(warning),
			 "cmdline: invalid value '%s' for 'smp' (expected 1..64), keeping default '1'",
			 bad[i]);
		expect_warning(line, warning);
		assert_int_equal(smp, 1);
	}
	expect_warning("smp", "cmdline: invalid value '' for 'smp' (expected 1..64), keeping default '1'");
}

static void test_uint_limits(void **state)
{
	assert_int_equal(parse("smp=64"), 0);
	assert_int_equal(smp, 64);
	assert_int_equal(parse("smp=0x1"), 0);
	assert_int_equal(smp, 1);
	assert_int_equal(parse("big=18446744073709551615"), 0);
	assert_true(big == UINT64_MAX);
	big = 7;
	expect_warning("big=18446744073709551616",
		       "cmdline: invalid value '18446744073709551616' for 'big' (expected 0..18446744073709551615), keeping default '7'");
	assert_int_equal(big, 7);
}

static void test_bad_enum(void **state)
{
	expect_warning("loglevel=verbose",
		       "cmdline: invalid value 'verbose' for 'loglevel' (expected one of error|warn|info|debug), keeping default 'warn'");
	assert_int_equal(loglevel, 1);
	expect_warning("loglevel=DEBUG",
		       "cmdline: invalid value 'DEBUG' for 'loglevel' (expected one of error|warn|info|debug), keeping default 'warn'");
	assert_int_equal(loglevel, 1);
}

static void test_bad_string(void **state)
{
	expect_warning("console=0123456789abcdef",
		       "cmdline: invalid value '0123456789abcdef' for 'console' (expected at most 15 characters), keeping default 'com1'");
	assert_string_equal(console, "com1");
	assert_int_equal(parse("console=0123456789abcde"), 0);
	assert_string_equal(console, "0123456789abcde");
}

static void test_flag_with_value(void **state)
{
	expect_warning("nosmp=1",
		       "cmdline: invalid value '1' for 'nosmp' (expected no value), keeping default 'off'");
	assert_false(nosmp);
}

static void test_too_long_token(void **state)
{
	char line[CMDLINE_TOKEN_MAX + 16], warning[CMDLINE_TOKEN_MAX + 64];

	memset(line, 'x', CMDLINE_TOKEN_MAX);
	strcpy(line + CMDLINE_TOKEN_MAX, " smp=5");
	expect_warning(line, "cmdline: option 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' longer than 255 characters ignored");
	assert_int_equal(smp, 5);

	line[CMDLINE_TOKEN_MAX - 1] = '\0';	/* exactly 255 characters fits */
	snprintf(warning, sizeof(warning), "cmdline: unknown option '%s' ignored", line);
	expect_warning(line, warning);
}

static void test_problems_are_counted(void **state)
{
	assert_int_equal(parse("what smp=0 loglevel=info ever=1 nosmp=x"), 4);
	assert_int_equal(loglevel, 2);
	assert_int_equal(smp, 1);
	assert_false(nosmp);
}

static void test_skip_path(void **state)
{
	const char *plain = "loglevel=debug smp=2", *empty = "";

	assert_string_equal(cmdline_skip_path("/boot/hv.elf loglevel=debug"), "loglevel=debug");
	assert_string_equal(cmdline_skip_path("  /boot/hv.elf \t smp=2 "), "smp=2 ");
	assert_string_equal(cmdline_skip_path("/boot/hv.elf"), "");
	assert_ptr_equal(cmdline_skip_path(plain), plain);
	assert_ptr_equal(cmdline_skip_path(empty), empty);
	assert_string_equal(cmdline_skip_path("smp=2 /boot/x"), "smp=2 /boot/x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(test_all_kinds),
		T(test_whitespace_only),
		T(test_quotes),
		T(test_unclosed_quote),
		T(test_last_value_wins),
		T(test_unknown_option),
		T(test_bad_uint),
		T(test_uint_limits),
		T(test_bad_enum),
		T(test_bad_string),
		T(test_flag_with_value),
		T(test_too_long_token),
		T(test_problems_are_counted),
		T(test_skip_path),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
