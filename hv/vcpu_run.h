/* Running a vCPU: enter the guest, handle its exits, repeat. */
#pragma once

#include "hv/vcpu.h"

/* Run `v` (its owned state loaded on this CPU) until it halts, its slice
 * ends at TSC `slice_end`, another vCPU of this CPU wants the CPU, or its
 * VM ends (it is then torn down and gone from its ring). */
void vcpu_run(struct vcpu *v, uint64_t slice_end);

/* Log the vCPU's registers (after a fault that stopped its VM). */
void vcpu_dump(struct vcpu *v);
