/* int vmx_vmrun(struct vcpu_gprs *gprs, bool launched)
 *
 * Record the host RSP in the VMCS, load the guest's GPRs (RSP lives in the
 * VMCS), VMLAUNCH or VMRESUME. A VM exit lands at vmx_vmexit (the VMCS's
 * host RIP) on the same stack: save the guest's GPRs and return 0. If the
 * instruction fails instead, return VMX_VMFAIL_INVALID (CF) or
 * VMX_VMFAIL_VALID (ZF). A VM exit clears RFLAGS, so the caller's RFLAGS
 * (its IF above all) is saved here and restored on both paths. */
#include "vmx/vmx.h"

#define GPR_RAX	0x00
#define GPR_RBX	0x08
#define GPR_RCX	0x10
#define GPR_RDX	0x18
#define GPR_RSI	0x20
#define GPR_RDI	0x28
#define GPR_RBP	0x30
#define GPR_R8	0x40
#define GPR_R9	0x48
#define GPR_R10	0x50
#define GPR_R11	0x58
#define GPR_R12	0x60
#define GPR_R13	0x68
#define GPR_R14	0x70
#define GPR_R15	0x78

	.text
	.globl vmx_vmrun
vmx_vmrun:
	pushfq
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* gprs, for the exit path */

	movl	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jna	.Lfail
	cmpb	$0, %sil		/* the MOVs below keep the flags */
	movq	GPR_RAX(%rdi), %rax
	movq	GPR_RBX(%rdi), %rbx
	movq	GPR_RCX(%rdi), %rcx
	movq	GPR_RDX(%rdi), %rdx
	movq	GPR_RSI(%rdi), %rsi
	movq	GPR_RBP(%rdi), %rbp
	movq	GPR_R8(%rdi), %r8
	movq	GPR_R9(%rdi), %r9
	movq	GPR_R10(%rdi), %r10
	movq	GPR_R11(%rdi), %r11
	movq	GPR_R12(%rdi), %r12
	movq	GPR_R13(%rdi), %r13
	movq	GPR_R14(%rdi), %r14
	movq	GPR_R15(%rdi), %r15
	movq	GPR_RDI(%rdi), %rdi
	jne	.Lresume
	vmlaunch
	jmp	.Lfail
.Lresume:
	vmresume
.Lfail:
	movl	$VMX_VMFAIL_INVALID, %eax
	jc	1f
	movl	$VMX_VMFAIL_VALID, %eax
1:	addq	$8, %rsp		/* gprs */
	jmp	.Lreturn

	.globl vmx_vmexit
vmx_vmexit:
	pushq	%rdi
	movq	8(%rsp), %rdi		/* gprs */
	movq	%rax, GPR_RAX(%rdi)
	movq	%rbx, GPR_RBX(%rdi)
	movq	%rcx, GPR_RCX(%rdi)
	movq	%rdx, GPR_RDX(%rdi)
	movq	%rsi, GPR_RSI(%rdi)
	movq	%rbp, GPR_RBP(%rdi)
	movq	%r8, GPR_R8(%rdi)
	movq	%r9, GPR_R9(%rdi)
	movq	%r10, GPR_R10(%rdi)
	movq	%r11, GPR_R11(%rdi)
	movq	%r12, GPR_R12(%rdi)
	movq	%r13, GPR_R13(%rdi)
	movq	%r14, GPR_R14(%rdi)
	movq	%r15, GPR_R15(%rdi)
	popq	GPR_RDI(%rdi)
	addq	$8, %rsp		/* gprs */
	xorl	%eax, %eax

.Lreturn:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popfq
	ret
