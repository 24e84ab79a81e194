/* Interrupt and exception entry stubs for all 256 vectors, and the
 * trap_run()/trap_resume() unwinding pair. */

	.text
	.code32

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			   (v) == 21 || (v) == 29 || (v) == 30)
#define STUB_SIZE	16	/* trap.c: TRAP_STUB_SIZE */

/* One stub per vector, STUB_SIZE bytes apart: push a 0 error code where the
 * CPU pushes none, push the vector, join the common path. */
	.balign STUB_SIZE
	.globl trap_stubs
trap_stubs:
	.set v, 0
	.rept 256
	.balign STUB_SIZE
	.if v < 32 && HAS_ERROR_CODE(v)
	.else
	pushl $0
	.endif
	pushl $v
	jmp trap_common
	.set v, v + 1
	.endr

/* trap_dispatch returns for a handled vector: back to the interrupted code. */
trap_common:
	pushal
	cld
	pushl %esp		/* struct trap_frame * */
	call trap_dispatch
	addl $4, %esp
	popal
	addl $8, %esp		/* vector, error code */
	iret

/* int trap_run(void (*fn)(void *), void *arg) */
	.globl trap_run
trap_run:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, trap_run_esp
	pushl 24(%esp)		/* arg */
	call *24(%esp)		/* fn */
	addl $4, %esp
	movl $-1, %eax		/* TRAP_NONE */
	jmp 1f

/* void trap_resume(int vector): back to trap_run's frame, returning vector. */
	.globl trap_resume
trap_resume:
	movl 4(%esp), %eax
	movl trap_run_esp, %esp
1:	movl $0, trap_run_esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.bss
	.balign 4
	.globl trap_run_esp
trap_run_esp:
	.long 0
