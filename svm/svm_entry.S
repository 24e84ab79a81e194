/* void svm_vmrun(uint64_t vmcb_pa, struct vcpu_gprs *gprs, uint64_t host_vmcb_pa)
 *
 * Load the guest's GPRs (RAX and RSP live in the VMCB), VMLOAD its hidden
 * segment state, VMRUN; after #VMEXIT save the guest's GPRs and hidden
 * state and VMLOAD the host's (FS/GS bases: %gs holds the per-CPU block).
 * GIF is clear from before the first VMLOAD until the host state is back,
 * so no NMI or interrupt sees a half-switched CPU. */
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
	movq	%rdi, %rax
	movq	GPR_RBX(%rsi), %rbx
	movq	GPR_RCX(%rsi), %rcx
	movq	GPR_RDX(%rsi), %rdx
	movq	GPR_RDI(%rsi), %rdi
	movq	GPR_RBP(%rsi), %rbp
	movq	GPR_R8(%rsi), %r8
	movq	GPR_R9(%rsi), %r9
	movq	GPR_R10(%rsi), %r10
	movq	GPR_R11(%rsi), %r11
	movq	GPR_R12(%rsi), %r12
	movq	GPR_R13(%rsi), %r13
	movq	GPR_R14(%rsi), %r14
	movq	GPR_R15(%rsi), %r15
	movq	GPR_RSI(%rsi), %rsi
	vmload	%rax
	vmrun	%rax
	vmsave	%rax			/* RAX is the VMCB address again */

	pushq	%rsi
	movq	8(%rsp), %rsi		/* gprs */
	movq	%rbx, GPR_RBX(%rsi)
	movq	%rcx, GPR_RCX(%rsi)
	movq	%rdx, GPR_RDX(%rsi)
	movq	%rdi, GPR_RDI(%rsi)
	movq	%rbp, GPR_RBP(%rsi)
	movq	%r8, GPR_R8(%rsi)
	movq	%r9, GPR_R9(%rsi)
	movq	%r10, GPR_R10(%rsi)
	movq	%r11, GPR_R11(%rsi)
	movq	%r12, GPR_R12(%rsi)
	movq	%r13, GPR_R13(%rsi)
	movq	%r14, GPR_R14(%rsi)
	movq	%r15, GPR_R15(%rsi)
	popq	GPR_RSI(%rsi)
	addq	$8, %rsp
	popq	%rax			/* host_vmcb_pa */
	vmload	%rax
	stgi

	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
