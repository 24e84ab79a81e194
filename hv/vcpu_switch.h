/* What a vCPU owns that VM entry and exit do not switch: x87/SSE/AVX and
 * every other XSAVE component, XCR0, DR0-DR3, DR6 and CR2 where the
 * vendor's control block lacks them (VMX), and IA32_TSC_AUX. The hypervisor never touches them, so they stay
 * in the CPU while it runs one vCPU and are switched only when the CPU
 * changes vCPUs. */
#pragma once

#include "hv/vcpu.h"

/* Give `v` its owned state in the RESET values; 0 or -ENOMEM. */
int vcpu_owned_init(struct vcpu *v);

/* Free what vcpu_owned_init() allocated. */
void vcpu_owned_free(struct vcpu *v);

/* Make this CPU hold `next`'s state, saving `prev`'s (NULL: nothing of
 * value is loaded, as after the previous owner died). */
void vcpu_switch(struct vcpu *prev, struct vcpu *next);

/* Whether the CPU has IA32_TSC_AUX (it has RDTSCP or RDPID). */
bool vcpu_has_tsc_aux(void);

/* WRMSR of `value` to IA32_TSC_AUX by `v` (loaded on this CPU): false for
 * the #GP a CPU raises (no such MSR, bits 63:32 set). */
bool vcpu_tsc_aux_write(struct vcpu *v, uint64_t value);

/* XSETBV of `value` to XCR `index` by `v` (loaded on this CPU) at `cpl`:
 * false for the #GP a CPU raises (CPL above 0, an XCR other than 0, a
 * reserved or unsupported bit, x87 off, AVX without SSE, a partial
 * AVX-512 or AMX group). */
bool vcpu_xsetbv(struct vcpu *v, unsigned cpl, uint32_t index, uint64_t value);

/* Debug register `n` (0-3, 6 or 7) of `v`, loaded on this CPU: DR0-DR3
 * live in the CPU, DR6 and DR7 where the vendor keeps them. */
uint64_t vcpu_dr_read(struct vcpu *v, unsigned n);
void vcpu_dr_write(struct vcpu *v, unsigned n, uint64_t value);
