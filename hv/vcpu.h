/* A virtual CPU: the guest's registers as the core sees them, plus the
 * vendor's control block (VMCB or VMCS) behind an opaque pointer. */
#pragma once

#include "hv/vcpu_gprs.h"
#include "lib/compiler.h"

struct vm;

/* General-purpose registers; the vendor entry code loads and saves them
 * around every VM entry (the layout is fixed for the assembly). */
struct vcpu_gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
static_assert(sizeof(struct vcpu_gprs) == 16 * 8, "GPR block layout");
static_assert(offsetof(struct vcpu_gprs, rsi) == GPR_RSI, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, rsp) == GPR_RSP, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, r8) == GPR_R8, "hv/vcpu_gprs.h offsets");
static_assert(offsetof(struct vcpu_gprs, r15) == GPR_R15, "hv/vcpu_gprs.h offsets");

struct vcpu {
	struct vm *vm;
	unsigned id;
	struct vcpu_gprs gprs;
	uint64_t rip;
	uint64_t rflags;
	uint64_t efer;			/* as the guest sees it */
	void *vendor;			/* struct svm_vcpu / struct vmx_vcpu */
	uint64_t exits;
};
