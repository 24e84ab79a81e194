/* What a CPU does when it has nothing else to do. */
#pragma once

#include "lib/compiler.h"

/* Run queued VMs; when there are none, halt (RCU-idle) until an interrupt
 * (the scheduler's kick IPI among them) arrives. Never returns. */
__noreturn void cpu_idle(void);
