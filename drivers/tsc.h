/* The time-stamp counter: the hypervisor's clock. */
#pragma once

#include "lib/compiler.h"

/* TSC ticks per millisecond; 0 until tsc_calibrate() has run. */
extern uint64_t tsc_khz;

/* Find the TSC frequency (CPUID 0x15/0x16, else measured against the PIT) and mark time zero. */
void tsc_calibrate(void);

/* Where neither gave it (no PIT), measure it against the ACPI PM timer at
 * I/O `port` (0: none), a 32- or 24-bit counter, once ACPI is read. */
void tsc_calibrate_pm_timer(uint16_t port, bool bits32);

/* The TSC now: the clock every deadline in the hypervisor is written in
 * (host unit tests supply their own). */
uint64_t tsc_now(void);

/* Microseconds since tsc_calibrate(); 0 before it. */
uint64_t tsc_us_since_boot(void);

/* Spin for at least `us` microseconds. */
void tsc_delay_us(uint64_t us);
