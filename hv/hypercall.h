/* Hypercalls: VMMCALL (AMD) or VMCALL (Intel) with the number in RAX and
 * arguments in RBX, RCX, RDX; the result comes back in RAX. The ABI is
 * documented in docs/hypercalls.md. */
#pragma once

#include "hv/vcpu.h"

#define HC_PING			0	/* RAX <- HC_PING_REPLY, RBX <- HC_ABI_VERSION */
#define HC_ADD			1	/* RAX <- (EBX + ECX) mod 2^32: tests argument passing */
#define HC_COUNTER		2	/* RAX <- VM counter RBX, RBX <- its high half */
#define HC_UNMAP		3	/* drop the mappings of [RBX, RBX + RCX); CPL 0 */
#define HC_PING_REPLY		0x6876	/* "hv" */
#define HC_ABI_VERSION		1
#define HC_ENOSYS		((uint64_t)-1)	/* unknown hypercall number */
#define HC_EINVAL		((uint64_t)-2)	/* an argument out of range */

/* Perform the hypercall in v's registers. Returns true when it completed
 * (the caller skips the instruction), false when it raised #UD instead. */
bool hypercall_handle(struct vcpu *v);
