/* Which CPU is running: the hypervisor reads its per-CPU block, host unit
 * tests supply their own versions (one "CPU" per test thread). */
#pragma once

/* CPU slots: the CPU numbers there may be. Per-CPU data is allocated for
 * the CPUs present; only tables of a word per slot are sized by this. */
#define MAX_CPUS 1024

/* Index of the running CPU, 0 .. cpu_count() - 1. */
unsigned cpu_id(void);

/* Number of CPUs that are online. */
unsigned cpu_count(void);

/* Take this CPU offline and stop it for good (interrupts off, halted). */
__attribute__((noreturn)) void cpu_halt_forever(void);
