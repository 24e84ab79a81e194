/* The hypervisor's command-line options and their values after parsing. */
#pragma once

#include "lib/compiler.h"

enum idle_action { IDLE_HALT, IDLE_POWEROFF };
enum selftest { SELFTEST_NONE, SELFTEST_UD, SELFTEST_PF, SELFTEST_DE };

struct hv_options {
	uint16_t console_port;
	unsigned console_baud;
	uint64_t smp_max;		/* most CPUs to start */
	unsigned idle;			/* enum idle_action */
	unsigned selftest;		/* enum selftest */
	char input[16];			/* the VM the console's input goes to ("": first) */
};

extern struct hv_options hv_options;

/* Parse the multiboot2 command line into hv_options and log_level; bad
 * options are reported and leave their defaults. */
void options_parse(const char *cmdline);

/* The name of a selftest value, as written on the command line. */
const char *selftest_name(unsigned selftest);
