/* Running a vCPU. */
#pragma once

#include "hv/vcpu.h"

/* Enter the guest and handle its exits until the VM stops. */
void vcpu_run(struct vcpu *v);

/* Log the vCPU's registers (after a fault that stopped its VM). */
void vcpu_dump(struct vcpu *v);
