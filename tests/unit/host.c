/* Host versions of logging and CPU identity, linked into every unit test. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "tests/unit/host.h"

enum log_level log_level = LOG_WARN;
unsigned host_cpus = 1;
char host_last_log[512];
static __thread unsigned this_cpu_id;

/* Every CPU slot's copy of the CPU-local variables but CPU 0's, which is
 * the program's own as the boot CPU's is the image's. Kept here too: the
 * offsets alone do not tell the leak checker the memory is in use. */
static char *volatile cpu_local_areas;

/* Made before any test runs, so that no two threads race to make one. */
__attribute__((constructor)) static void host_cpu_local_areas(void)
{
	size_t bytes = ALIGN_UP(cpu_local_bytes(), CPU_LOCAL_ALIGN);
	char *areas;

	if (!bytes)
		return;
	areas = aligned_alloc(CPU_LOCAL_ALIGN, bytes * (MAX_CPUS - 1));
	if (!areas)
		abort();
	memset(areas, 0, bytes * (MAX_CPUS - 1));
	cpu_local_areas = areas;
	for (unsigned cpu = 1; cpu < MAX_CPUS; cpu++)
		cpu_local_install(cpu, areas + (cpu - 1) * bytes);
}

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
