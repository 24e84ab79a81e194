/* The hypervisor's command-line options and their values after parsing. */
#pragma once

#include "lib/compiler.h"

enum idle_action { IDLE_HALT, IDLE_POWEROFF };
enum panic_action { PANIC_HALT, PANIC_POWEROFF, PANIC_REBOOT, PANIC_GDB };
enum selftest { SELFTEST_NONE, SELFTEST_UD, SELFTEST_PF, SELFTEST_DE, SELFTEST_PANIC };

struct hv_options {
	uint16_t console_port;
	unsigned console_baud;
	uint64_t smp_max;		/* most CPUs to start */
	unsigned idle;			/* enum idle_action */
	unsigned panic;			/* enum panic_action */
	unsigned selftest;		/* enum selftest */
	char focus[32];			/* what has the console's focus at boot */
	uint64_t history_kib;		/* history kept per console */
	uint16_t gdb_port;		/* the GDB stub's UART, 0: none */
};

extern struct hv_options hv_options;

/* Parse the multiboot2 command line into hv_options and log_level; bad
 * options are reported and leave their defaults. */
void options_parse(const char *cmdline);

/* The name of a selftest value, as written on the command line. */
const char *selftest_name(unsigned selftest);
