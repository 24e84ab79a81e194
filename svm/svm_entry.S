/* void svm_vmrun(uint64_t vmcb_pa, struct vcpu_gprs *gprs, uint64_t host_vmcb_pa)
 *
 * Load the guest's GPRs (RAX and RSP live in the VMCB), VMLOAD its hidden
 * segment state, VMRUN; after #VMEXIT save the guest's GPRs and hidden
 * state and VMLOAD the host's (FS/GS bases: %gs holds the per-CPU block).
 * GIF is clear from before the first VMLOAD until the host state is back,
 * so no NMI or interrupt sees a half-switched CPU. RFLAGS.IF is set across
 * VMRUN (GIF keeps the host from taking anything meanwhile): with
 * V_INTR_MASKING the host's saved IF decides whether a physical interrupt
 * reaches the guest's intercept, and it must, for preemption and kicks.
 * The interrupt stays pending after the exit until the run loop opens a
 * window for it. */
#include "hv/vcpu_gprs.h"

	.text
	.globl svm_vmrun
svm_vmrun:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdx			/* host_vmcb_pa */
	pushq	%rsi			/* gprs */

	clgi
	sti
	movq	%rdi, %rax
	movq	GPR_RDI(%rsi), %rdi
	gprs_load_common %rsi
	movq	GPR_RSI(%rsi), %rsi
	vmload	%rax
	vmrun	%rax
	vmsave	%rax			/* RAX is the VMCB address again */

	pushq	%rsi
	movq	8(%rsp), %rsi		/* gprs */
	movq	%rdi, GPR_RDI(%rsi)
	gprs_save_common %rsi
	popq	GPR_RSI(%rsi)
	addq	$8, %rsp
	popq	%rax			/* host_vmcb_pa */
	vmload	%rax
	cli
	stgi

	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
