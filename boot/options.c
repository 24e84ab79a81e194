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
	.panic = PANIC_HALT,
	.selftest = SELFTEST_NONE,
	.focus = "log",
	.history_kib = 64,
};

static const char *const gdb_names[] = { "none", "com2", NULL };
static const char *const level_names[] = { "error", "warn", "info", "debug", NULL };
static const char *const idle_names[] = { "halt", "poweroff", NULL };
static const char *const panic_names[] = { "halt", "poweroff", "reboot", "gdb", NULL };
static const char *const selftest_names[] = { "none", "ud", "pf", "de", "panic", NULL };

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
	char console[32] = CONSOLE_DEFAULT;
	bool nosmp = false;
	unsigned level = log_level;
	unsigned gdb = 0;
	const struct cmdline_option table[] = {
		CMDLINE_OPT_STRING("console", console, "serial console: com1|com2[,baud]"),
		CMDLINE_OPT_ENUM("loglevel", &level, level_names, "most detailed level printed"),
		CMDLINE_OPT_UINT("smp", &hv_options.smp_max, 1, MAX_CPUS, "most CPUs to start"),
		CMDLINE_OPT_FLAG("nosmp", &nosmp, "start only the boot CPU"),
		CMDLINE_OPT_ENUM("idle", &hv_options.idle, idle_names, "when nothing is left to run"),
		CMDLINE_OPT_ENUM("panic", &hv_options.panic, panic_names, "after a panic's report"),
		CMDLINE_OPT_ENUM("selftest", &hv_options.selftest, selftest_names,
				 "fault or panic on purpose (tests those paths)"),
		CMDLINE_OPT_STRING("focus", hv_options.focus,
				   "console focus at boot: log|monitor|a VM's name"),
		CMDLINE_OPT_UINT("history", &hv_options.history_kib, 1, 16384,
				 "KiB of history per console"),
		CMDLINE_OPT_ENUM("gdb", &gdb, gdb_names, "the GDB stub's serial port"),
	};

	cmdline_parse(cmdline_skip_path(cmdline), table, ARRAY_SIZE(table));
	if (!console_option_apply(console))
		log_warn("cmdline: invalid value '%s' for 'console' (expected com1|com2[,baud "
			 "dividing %u]), keeping default '%s'", console, UART_MAX_BAUD,
			 CONSOLE_DEFAULT);
	log_level = level;
	hv_options.gdb_port = gdb ? COM2_PORT : 0;
	if (hv_options.panic == PANIC_GDB && !hv_options.gdb_port) {
		log_warn("cmdline: panic=gdb needs gdb=com2: a panic will halt instead");
		hv_options.panic = PANIC_HALT;
	}
	if (nosmp)
		hv_options.smp_max = 1;
}

const char *selftest_name(unsigned selftest)
{
	return selftest_names[selftest];
}
