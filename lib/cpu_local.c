/* CPU-local variables (lib/cpu_local.h). The linker script names the
 * section's bounds; a host test that links no CPU-local variable has no
 * such section, so the bounds are weak and then both 0. */
#include "lib/cpu_local.h"

/* Bit 63 set: any copy's address is non-canonical (a fault on x86-64). */
#define NO_AREA		(1ull << 63)

extern char __start_cpu_local[] __attribute__((weak));
extern char __stop_cpu_local[] __attribute__((weak));

uintptr_t cpu_local_offsets[MAX_CPUS] = { [1 ... MAX_CPUS - 1] = NO_AREA };

size_t cpu_local_bytes(void)
{
	return (uintptr_t)__stop_cpu_local - (uintptr_t)__start_cpu_local;
}

void cpu_local_install(unsigned cpu, void *area)
{
	cpu_local_offsets[cpu] = (uintptr_t)area - (uintptr_t)__start_cpu_local;
}
