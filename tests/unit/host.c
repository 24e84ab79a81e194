/* Host versions of logging and CPU identity, linked into every unit test. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/cpu.h"
#include "lib/log.h"
#include "tests/unit/host.h"

enum log_level log_level = LOG_WARN;
unsigned host_cpus = 1;
char host_last_log[512];
static __thread unsigned this_cpu_id;

void host_set_cpu(unsigned id)
{
	this_cpu_id = id;
}

unsigned cpu_id(void)
{
	return this_cpu_id;
}

unsigned cpu_count(void)
{
	return host_cpus;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_last_log, sizeof(host_last_log), fmt, ap);
	va_end(ap);
	if (level <= log_level)
		fprintf(stderr, "log%d: %s\n", level, host_last_log);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
