/* The hypervisor command line (lib/cmdline.c) through the real option table
 * (boot/options.c): any line leaves every option at a value its checks
 * allow, and parsing starts from the defaults each time. */
#include <stdlib.h>
#include <string.h>

#include "boot/options.h"
#include "drivers/uart16550.h"
#include "lib/cmdline.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

#define UART_CLOCK_BAUD	115200
#define HISTORY_KIB_MAX	16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hv_options defaults;
	static bool saved;
	const struct hv_options *o = &hv_options;
	char *line = fuzz_string(data, size);
	const char *rest;

	if (!saved) {
		defaults = hv_options;
		saved = true;
	}
	hv_options = defaults;
	log_level = LOG_ERROR;

	rest = cmdline_skip_path(line);
	FUZZ_CHECK(rest >= line && rest <= line + strlen(line));
	options_parse(line);

	FUZZ_CHECK(o->console_port == COM1_PORT || o->console_port == COM2_PORT);
	FUZZ_CHECK(o->console_baud >= 1 && UART_CLOCK_BAUD % o->console_baud == 0);
	FUZZ_CHECK(o->smp_max >= 1 && o->smp_max <= MAX_CPUS);
	FUZZ_CHECK(o->idle <= IDLE_POWEROFF);
	FUZZ_CHECK(o->panic <= PANIC_GDB && (o->panic != PANIC_GDB || o->gdb_port));
	FUZZ_CHECK(o->selftest <= SELFTEST_PANIC && selftest_name(o->selftest));
	FUZZ_CHECK(memchr(o->focus, '\0', sizeof(o->focus)));
	FUZZ_CHECK(o->history_kib >= 1 && o->history_kib <= HISTORY_KIB_MAX);
	FUZZ_CHECK(log_level <= LOG_DEBUG);
	log_level = LOG_ERROR;
	free(line);
	return 0;
}
