/* trap_frame_capture(): the caller's registers as a struct trap_frame,
 * so that a panic() can be shown to a debugger as an exception would be.
 * In assembly because C would have changed callee-saved registers and
 * rbp before it could read them. */
#include "cpu/traps.h"

/* Slot n of struct trap_frame at %rdi. */
#define SLOT(n) (8 * (n))(%rdi)

	.text
	.globl trap_frame_capture
	.type trap_frame_capture, @function
trap_frame_capture:
	/* The GPRs in the frame's order, r15 in slot 0 to rax in slot 14. */
	.set .Lslot, 0
	.irp reg, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
	movq	%\reg, SLOT(.Lslot)
	.set .Lslot, .Lslot + 1
	.endr
	movq	$TRAP_VECTOR_CALL, TRAP_FRAME_VECTOR(%rdi)
	movq	$0, SLOT(16)			/* the error code */
	movq	(%rsp), %rax			/* the return address */
	movq	%rax, TRAP_FRAME_RIP(%rdi)
	xorl	%eax, %eax
	movw	%cs, %ax
	movq	%rax, SLOT(18)
	pushfq
	popq	SLOT(19)
	leaq	8(%rsp), %rax			/* the caller's rsp after the ret */
	movq	%rax, SLOT(20)
	xorl	%eax, %eax
	movw	%ss, %ax
	movq	%rax, SLOT(21)
	ret
	.size trap_frame_capture, . - trap_frame_capture

	.section .note.GNU-stack, "", @progbits
