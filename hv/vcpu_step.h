/* A debugger's single step by RFLAGS.TF, for CPUs that have no way of
 * their own to stop after one instruction (SVM; VMX without the monitor
 * trap flag, as Bochs' models). The TF must stay hidden from the guest.
 * Only PUSHF, POPF and IRET move RFLAGS to or from memory: a stepped
 * PUSHF gets the guest's own TF written back into the image it pushed,
 * and after a stepped POPF or IRET the TF they loaded is the guest's.
 * A step into an exception the guest takes ends only after its handler
 * returns (delivery clears TF). All on v's own CPU. */
#pragma once

#include "hv/vcpu.h"

/* Set TF for one instruction, keeping the guest's own. */
void vcpu_step_tf_start(struct vcpu *v);

/* Clear it again: the guest's own TF back. */
void vcpu_step_tf_end(struct vcpu *v);

/* A #DB with `dr6` arrived during the step: true if it is the step's trap
 * (DR6 and the pushed image are then the guest's again). */
bool vcpu_step_tf_trap(struct vcpu *v, uint64_t dr6);
