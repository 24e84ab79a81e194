/* The command-line option table: names, defaults and checks. */
#include <stdlib.h>
#include <string.h>

#include "boot/options.h"
#include "drivers/uart16550.h"
#include "lib/cmdline.h"
#include "lib/cpu.h"
#include "lib/log.h"

#define CONSOLE_DEFAULT "com1,115200"
#define UART_MAX_BAUD   115200

struct hv_options hv_options = {
	.console_port = COM1_PORT,
	.console_baud = UART_MAX_BAUD,
	.smp_max = MAX_CPUS,
	.idle = IDLE_HALT,
	.selftest = SELFTEST_NONE,
};

static const char *const level_names[] = { "error", "warn", "info", "debug", NULL };
static const char *const idle_names[] = { "halt", "poweroff", NULL };
static const char *const selftest_names[] = { "none", "ud", "pf", "de", NULL };

/* Apply `console=comN[,BAUD]`; false if it names no known port or baud
 * rate (a baud rate must divide the UART clock). */
static bool console_option_apply(const char *value)
{
	static const uint16_t ports[] = { COM1_PORT, COM2_PORT };
	unsigned long baud = UART_MAX_BAUD;
	char *end;

	if (strncmp(value, "com", 3) || (value[3] != '1' && value[3] != '2'))
		return false;
	if (value[4] == ',') {
		baud = strtoul(value + 5, &end, 10);
		if (*end || baud == 0 || baud > UART_MAX_BAUD || UART_MAX_BAUD % baud)
			return false;
	} else if (value[4]) {
		return false;
	}
	hv_options.console_port = ports[value[3] - '1'];
	hv_options.console_baud = baud;
	return true;
}

void options_parse(const char *cmdline)
{
	static char console[32] = CONSOLE_DEFAULT;
	bool nosmp = false;
	unsigned level = log_level;
	const struct cmdline_option table[] = {
		CMDLINE_OPT_STRING("console", console, "serial console: com1|com2[,baud]"),
		CMDLINE_OPT_ENUM("loglevel", &level, level_names, "most detailed level printed"),
		CMDLINE_OPT_UINT("smp", &hv_options.smp_max, 1, MAX_CPUS, "most CPUs to start"),
		CMDLINE_OPT_FLAG("nosmp", &nosmp, "start only the boot CPU"),
		CMDLINE_OPT_ENUM("idle", &hv_options.idle, idle_names, "when nothing is left to run"),
		CMDLINE_OPT_ENUM("selftest", &hv_options.selftest, selftest_names,
				 "fault on purpose (tests the exception path)"),
		CMDLINE_OPT_STRING("input", hv_options.input, "the VM the console's input goes to"),
	};

	cmdline_parse(cmdline_skip_path(cmdline), table, ARRAY_SIZE(table));
	if (!console_option_apply(console))
		log_warn("cmdline: invalid value '%s' for 'console' (expected com1|com2[,baud "
			 "dividing %u]), keeping default '%s'", console, UART_MAX_BAUD,
			 CONSOLE_DEFAULT);
	log_level = level;
	if (nosmp)
		hv_options.smp_max = 1;
}

const char *selftest_name(unsigned selftest)
{
	return selftest_names[selftest];
}
