/* Turning the machine off through ACPI (sleep state S5, soft-off). */
#pragma once

#include "lib/compiler.h"

/* Remember how to enter S5: the FADT's PM1a control port and the DSDT's
 * _S5_ SLP_TYPa value. A zero port or a SLP_TYP wider than 3 bits is
 * rejected with a warning and leaves power_off() unable to switch off. */
void power_init(uint16_t pm1a_cnt_port, uint8_t slp_typ_s5);

/* Log "hv: poweroff" and enter S5. If the machine is still running 100 ms
 * later (or power_init() gave no usable port), log an error and halt this
 * CPU. */
__noreturn void power_off(void);
