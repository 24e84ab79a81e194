/* Which of the CPUs the firmware lists (MADT) the boot CPU should start. */
#pragma once

#include "lib/compiler.h"

/* Copy into `out` (room for `out_cap`) the APIC IDs from apic_ids[0..n)
 * that name an application processor to start, in firmware order: not
 * `bsp_apic_id`, not above `max_apic_id` (what the APIC mode can address)
 * and each ID once. Dropped entries and any beyond `out_cap` are logged.
 * Returns how many IDs were copied. */
unsigned smp_select_aps(const uint32_t *apic_ids, unsigned n, uint32_t bsp_apic_id,
			uint32_t max_apic_id, uint32_t *out, unsigned out_cap);
