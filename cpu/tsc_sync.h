/* How far each CPU's TSC stands from the boot CPU's, measured once as the
 * CPU comes online, so that a guest's TSC reads the same on every CPU. */
#pragma once

#include "lib/compiler.h"

/* CPU `cpu`'s TSC minus the boot CPU's at the same instant: 0 when the
 * difference is within the measurement's error. */
int64_t tsc_skew(unsigned cpu);

/* The two halves of the measurement: the boot CPU runs tsc_sync_bsp(cpu)
 * while the AP that came online as `cpu` runs tsc_sync_ap(). The AP may
 * call first and halts (interrupts enabled for the HLT only) until
 * tsc_sync_bsp() names it and kicks it, so its block must be in
 * percpu_blocks and kick_init() must have run. */
void tsc_sync_bsp(unsigned cpu);
void tsc_sync_ap(void);

/* Log what the measurements found (once, after the APs are up). */
void tsc_sync_report(void);
