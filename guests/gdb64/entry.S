/*
 * The gdb64 guest's entry: from the multiboot loader's 32-bit protected
 * mode to 64-bit long mode (an identity map of the first 4 GiB in 2 MiB
 * pages, so the local APIC at 0xfee00000 is in it), then gdb64_main().
 * Also the two interrupt stubs its IDT points at.
 */
#include "guests/lib/long_mode.h"

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define PAGE		4096
#define STACK_SIZE	16384

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	movl $stack_top, %esp
	movl $pdpt + PTE_PW, pml4
	/* Four page directories of 512 2 MiB pages each: 0-4 GiB. */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_2M, %eax
	movl %eax, pd(, %ecx, 8)
	incl %ecx
	cmpl $4 * 512, %ecx
	jb 1b
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $12, %eax			/* directory n is at pd + n * 4096 */
	addl $pd + PTE_PW, %eax
	movl %eax, pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	lgdt gdt_desc
	LONG_MODE_ON pml4, SEL_CODE64, long_entry

	.code64
long_entry:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq $stack_top, %rsp
	movl %ebx, %edi			/* the multiboot information, below 4 GiB */
	call gdb64_main
3:	hlt
	jmp 3b

/* Interrupt stubs: save the registers C may clobber, call the handler. */
	.macro STUB name, handler
	.globl \name
\name:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	call \handler
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	iretq
	.endm
	STUB debug_stub, on_debug
	STUB timer_stub, on_timer

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* SEL_CODE64: long mode, accessed */
	.quad 0x00cf93000000ffff	/* SEL_DATA: flat, writable, accessed */
gdt_end:
gdt_desc:
	.short gdt_end - gdt - 1
	.long gdt

	.bss
	.balign PAGE
pml4:	.space PAGE
pdpt:	.space PAGE
pd:	.space 4 * PAGE
	.balign 16
	.space STACK_SIZE
stack_top:
