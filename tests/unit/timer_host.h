/* Host stand-ins for cpu/timer.h and the TSC (drivers/tsc.h): a clock the
 * test moves by hand, and armed timers that fire when it passes them. */
#pragma once

#include "cpu/timer.h"

/* Set the host TSC clock (tsc_now()). */
void host_tsc_set(uint64_t now);

/* Move the clock to `now` and run every timer whose deadline it passed. */
void host_tsc_advance_to(uint64_t now);
