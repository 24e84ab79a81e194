/* Offsets of struct vcpu_gprs (hv/vcpu.h checks them) and the register
 * moves both vendors' entry code share. */
#pragma once

#define GPR_RAX	0x00
#define GPR_RBX	0x08
#define GPR_RCX	0x10
#define GPR_RDX	0x18
#define GPR_RSI	0x20
#define GPR_RDI	0x28
#define GPR_RBP	0x30
#define GPR_RSP	0x38
#define GPR_R8	0x40
#define GPR_R9	0x48
#define GPR_R10	0x50
#define GPR_R11	0x58
#define GPR_R12	0x60
#define GPR_R13	0x68
#define GPR_R14	0x70
#define GPR_R15	0x78

#ifdef __ASSEMBLY__
/* Load from / store to the block at \base every GPR that both entry paths
 * treat alike: all but RAX (in the VMCB on SVM), RSP (in the VMCB/VMCS)
 * and RSI/RDI (each path's base register). */
.macro gprs_load_common base
	movq	GPR_RBX(\base), %rbx
	movq	GPR_RCX(\base), %rcx
	movq	GPR_RDX(\base), %rdx
	movq	GPR_RBP(\base), %rbp
	movq	GPR_R8(\base), %r8
	movq	GPR_R9(\base), %r9
	movq	GPR_R10(\base), %r10
	movq	GPR_R11(\base), %r11
	movq	GPR_R12(\base), %r12
	movq	GPR_R13(\base), %r13
	movq	GPR_R14(\base), %r14
	movq	GPR_R15(\base), %r15
.endm

.macro gprs_save_common base
	movq	%rbx, GPR_RBX(\base)
	movq	%rcx, GPR_RCX(\base)
	movq	%rdx, GPR_RDX(\base)
	movq	%rbp, GPR_RBP(\base)
	movq	%r8, GPR_R8(\base)
	movq	%r9, GPR_R9(\base)
	movq	%r10, GPR_R10(\base)
	movq	%r11, GPR_R11(\base)
	movq	%r12, GPR_R12(\base)
	movq	%r13, GPR_R13(\base)
	movq	%r14, GPR_R14(\base)
	movq	%r15, GPR_R15(\base)
.endm
#endif
