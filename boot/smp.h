/* Multiprocessor bring-up: the boot CPU comes online first, then starts the
 * application processors (APs) one at a time; every online CPU that has
 * nothing to do runs cpu_idle(). */
#pragma once

#include "lib/compiler.h"

/* Route the APIC spurious vector, bring up the boot CPU's local APIC and
 * count the boot CPU online (logs "cpu0: online apic=A"). Call once on the
 * boot CPU, after idt_init(), cpu_tables_load() and tsc_calibrate(). */
void smp_init_bsp(void);

/* Start the APs whose APIC IDs are apic_ids[0..n) (the firmware's list: the
 * boot CPU's own ID, repeats and unaddressable IDs are skipped) until
 * `max_cpus` CPUs in all are online. Each AP gets its per-CPU block and
 * stack, comes online (logs "cpuN: online apic=A") and idles; one that
 * does not report within a second is logged, parked with INIT and skipped.
 * Call once, after smp_init_bsp() and once the final page tables (which
 * must map the page at AP_TRAMPOLINE_PA writable) and the heap are up.
 * Overwrites [AP_TRAMPOLINE_PA, +4 KiB). Returns cpu_count(). */
unsigned smp_boot(const uint32_t *apic_ids, unsigned n, unsigned max_cpus);
