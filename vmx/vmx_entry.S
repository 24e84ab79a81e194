/* int vmx_vmrun(struct vcpu_gprs *gprs, bool launched)
 *
 * Record the host RSP in the VMCS, load the guest's GPRs (RSP lives in the
 * VMCS), VMLAUNCH or VMRESUME. A VM exit lands at vmx_vmexit (the VMCS's
 * host RIP) on the same stack: save the guest's GPRs and return 0. If the
 * instruction fails instead, return VMX_VMFAIL_INVALID (CF) or
 * VMX_VMFAIL_VALID (ZF). A VM exit clears RFLAGS, so the caller's RFLAGS
 * (its IF above all) is saved here and restored on both paths. */
#include "hv/vcpu_gprs.h"
#include "vmx/vmx.h"


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
	movq	GPR_RSI(%rdi), %rsi
	gprs_load_common %rdi
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
	movq	%rsi, GPR_RSI(%rdi)
	gprs_save_common %rdi
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
