/* CPU-local variables: one copy per CPU that is present, none for the CPU
 * slots a machine does not fill. A variable defined with CPU_LOCAL() lands
 * in the section `cpu_local`; the image's copy of that section is the boot
 * CPU's (usable before the heap exists), and boot gives every other CPU a
 * zeroed area of the section's size before it runs. A CPU's copy of `var`
 * lies at &var plus that CPU's offset.
 *
 * CPU-local variables start zeroed on every CPU: an initializer would reach
 * the boot CPU's copy only, so none may have one. */
#pragma once

#include "lib/compiler.h"
#include "lib/cpu.h"

/* The alignment of every CPU's area, so any variable up to a cache line's
 * alignment keeps it in every copy. */
#define CPU_LOCAL_ALIGN		64

/* Define file-local `name` of `type`, one copy per CPU. */
#define CPU_LOCAL(type, name)							\
	static_assert(_Alignof(type) <= CPU_LOCAL_ALIGN,			\
		      #name " needs more alignment than a CPU-local area has");	\
	static type name __section("cpu_local")

/* How far each CPU's copy lies from the image's. A CPU that has no area
 * yet holds an offset that makes every access a non-canonical address, so
 * a use before cpu_local_install() faults instead of sharing the boot
 * CPU's copy. */
extern uintptr_t cpu_local_offsets[MAX_CPUS];

/* CPU `cpu`'s copy of CPU-local variable `var`. */
#define cpu_local_ptr(var, cpu)							\
	((__typeof__(&(var)))((uintptr_t)&(var) + cpu_local_offsets[cpu]))

/* The running CPU's copy of `var`. */
#define this_cpu_ptr(var)	cpu_local_ptr(var, cpu_id())

/* The bytes of one CPU's area: every CPU-local variable linked in. */
size_t cpu_local_bytes(void);

/* Make `area` (cpu_local_bytes() zeroed bytes, CPU_LOCAL_ALIGN-aligned)
 * CPU `cpu`'s copy of every CPU-local variable. Call before `cpu` runs;
 * CPU 0 keeps the image's copy. */
void cpu_local_install(unsigned cpu, void *area);
