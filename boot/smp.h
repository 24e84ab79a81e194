/* Multiprocessor bring-up: the boot CPU comes online first, then starts the
 * application processors (APs) in parallel batches; every CPU that is up
 * enters the scheduler's loop. */
#pragma once

#include "lib/compiler.h"

/* Route the APIC spurious vector and the kick, bring up the boot CPU's
 * local APIC and count the boot CPU online (logs "cpu0: online apic=A").
 * Call once on the boot CPU, after idt_init(), cpu_tables_load() and
 * tsc_calibrate(). */
void smp_init_bsp(void);

/* Start the APs whose APIC IDs are apic_ids[0..n) (the firmware's list: the
 * boot CPU's own ID, repeats and unaddressable IDs are skipped) until
 * `max_cpus` CPUs in all are online, running their start-up code from the
 * free page `page` below 1 MiB (0: none was found, a panic if there is an
 * AP to start), which it overwrites. Each AP gets a block of its own (its
 * stack, percpu block and CPU-local variables), comes online (logs
 * "cpuN: online apic=A") and enters sched_loop(); one that does not come
 * up within a second is named and parked with INIT. Call once, after
 * smp_init_bsp() and once the final page tables (which must map `page`
 * writable), the page allocator and the heap are up. Returns cpu_count(). */
unsigned smp_boot(const uint32_t *apic_ids, unsigned n, unsigned max_cpus, uint64_t page);
