/* Hypercalls: VMMCALL (AMD) or VMCALL (Intel) with the number in RAX and
 * arguments in RBX, RCX, RDX; the result comes back in RAX. The ABI is
 * documented in docs/hypercalls.md. */
#pragma once

#include "hv/vcpu.h"

#define HC_PING			0	/* RAX <- HC_PING_REPLY, RBX <- HC_ABI_VERSION */
#define HC_ADD			1	/* RAX <- (EBX + ECX) mod 2^32: tests argument passing */
#define HC_PING_REPLY		0x6876	/* "hv" */
#define HC_ABI_VERSION		1
#define HC_ENOSYS		((uint64_t)-1)	/* unknown hypercall number */

/* Perform the hypercall in v's registers (the caller skips the instruction). */
void hypercall_handle(struct vcpu *v);
