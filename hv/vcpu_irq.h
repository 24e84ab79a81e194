/* A vCPU's interrupts: its vLAPIC, the NMI, INIT and start-up IPI it may
 * be sent, what is injected before each entry, and what ends a HLT. */
#pragma once

#include "hv/vcpu.h"

struct vapic_bus;

/* Give `v` its vLAPIC on `bus`, in RESET state; 0 or -ENOMEM. */
int vcpu_irq_init(struct vcpu *v, struct vapic_bus *bus);

/* Free the vLAPIC (its timer stopped first). */
void vcpu_irq_free(struct vcpu *v);

/* Before each entry: inject the NMI or the interrupt the guest can take
 * now (an event queued already goes first), and ask for an exit at the
 * next chance to inject what still waits. */
void vcpu_inject_events(struct vcpu *v);

/* Whether something would end a HLT (or, waiting for a start-up IPI, the
 * wait) now: an NMI, an interrupt with RFLAGS.IF set, INIT, a start-up IPI. */
bool vcpu_wakeup_pending(struct vcpu *v);

/* HLT (already stepped over): sleep until vcpu_wakeup_pending(). */
void vcpu_halt(struct vcpu *v);

/* Act on INIT / a start-up IPI that other vCPUs sent (on v's own CPU). */
void vcpu_handle_init(struct vcpu *v);
void vcpu_handle_sipi(struct vcpu *v);
