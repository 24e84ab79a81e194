/* Interrupt and exception entry. One 16-byte stub per vector makes every
 * frame look alike (a dummy error code where the CPU pushes none, then the
 * vector), and one common path saves the GPRs into a struct trap_frame,
 * calls trap_dispatch() and returns with iretq. */
#include "cpu/idt.h"
#include "cpu/traps.h"

/* Vectors for which the CPU itself pushes an error code: #DF, #TS, #NP,
 * #SS, #GP, #PF, #AC, #CP, #VC, #SX. */
#define PUSHES_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign ISR_STUB_SIZE
	.globl isr_stubs
	.type isr_stubs, @function
isr_stubs:
	.set .Lvector, 0
	.rept IDT_VECTORS
	.set .Lstub_start, .
	.if !PUSHES_ERROR_CODE(.Lvector)
	pushq	$0
	.endif
	pushq	$.Lvector
	jmp	isr_common
	/* Pads to the fixed stub size; an oversized stub is an assembly error. */
	.org	.Lstub_start + ISR_STUB_SIZE, 0xcc
	.set .Lvector, .Lvector + 1
	.endr
	.size isr_stubs, . - isr_stubs

	.type isr_common, @function
isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	/* A frame record for the interrupted code, so that a backtrace taken
	 * inside a handler walks on through the interrupted function. The
	 * stack is 16-byte aligned here: the CPU aligned it, 176 bytes of
	 * frame and 16 of record followed. */
	pushq	TRAP_FRAME_RIP(%rdi)
	pushq	TRAP_FRAME_RBP(%rdi)
	movq	%rsp, %rbp
	call	trap_dispatch
	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
	iretq
	.size isr_common, . - isr_common

	.section .note.GNU-stack, "", @progbits
