/*
 * The modes guest from the reset vector to 64-bit C: real mode (print, check
 * CR0.PE clear), protected mode (print, check CR0.PE set), then PAE paging
 * with an identity map of the first 1 GiB in 2 MiB pages, long mode, and
 * long_main(passed, failed) with the verdicts so far.
 */
#include "guests/lib/long_mode.h"

#define ROM_BASE	0xf0000
#define REAL_STACK	0x7000		/* below the bss at 0x10000 */
#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20
#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18
#define CR0_PE		0x1
#define PAGE		4096
#define STACK_SIZE	16384

/* Prints the NUL-terminated string at (E)SI (DS:SI in real mode) on COM1;
 * the same bytes work in 16- and 32-bit code. Clobbers AX, DX, SI. */
	.macro PUTS_BODY
1:	lodsb
	testb %al, %al
	jz 3f
	movb %al, %ah
	movw $COM1_LSR, %dx
2:	inb %dx, %al
	testb $LSR_THRE, %al
	jz 2b
	movb %ah, %al
	movw $COM1, %dx
	outb %al, %dx
	jmp 1b
3:	ret
	.endm

/* Prints pass_msg and counts it in BX, or fail_msg and counts it in BP, by
 * the zero flag (ZF set: pass); base turns a label into an offset. */
	.macro VERDICT puts, pass_msg, fail_msg, base
	jnz 4f
	movl $(\pass_msg - \base), %esi
	incw %bx
	jmp 5f
4:	movl $(\fail_msg - \base), %esi
	incw %bp
5:	call \puts
	.endm

	.section .text16, "ax"
	.code16
start16:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ss
	movw $REAL_STACK, %sp
	movw %cs, %ax			/* 0xf000: strings are ROM offsets */
	movw %ax, %ds
	xorw %bx, %bx			/* passed */
	xorw %bp, %bp			/* failed */
	smsw %ax
	testb $CR0_PE, %al
	VERDICT puts16, msg_real_pass, msg_real_fail, ROM_BASE

	lgdtl %cs:(gdt_desc - ROM_BASE)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $start32

puts16:
	PUTS_BODY

	.code32
start32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $stack_top, %esp
	movl $__bss_start, %edi		/* bss is RAM: clear it before use */
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	movl %cr0, %eax
	notl %eax
	testb $CR0_PE, %al		/* ZF set when PE is set */
	VERDICT puts32, msg_prot_pass, msg_prot_fail, 0

	/* Identity-map 0-1 GiB: PML4[0] -> PDPT[0] -> PD of 512 2 MiB pages. */
	movl $pdpt + PTE_PW, pml4
	movl $pd + PTE_PW, pdpt
	movl $pd, %edi
	movl $PDE_2M, %eax
6:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	cmpl $pd + PAGE, %edi
	jb 6b

	LONG_MODE_ON pml4, SEL_CODE64, start64

puts32:
	PUTS_BODY

	.code64
start64:
	movl $stack_top, %esp
	movzwl %bx, %edi		/* long_main(passed, failed) */
	movzwl %bp, %esi
	call long_main			/* does not return */
7:	hlt
	jmp 7b

	.section .rodata
msg_real_pass:	.asciz "PASS modes: real mode, CR0.PE clear\n"
msg_real_fail:	.asciz "FAIL modes: real mode, but CR0.PE set\n"
msg_prot_pass:	.asciz "PASS modes: protected mode, CR0.PE set\n"
msg_prot_fail:	.asciz "FAIL modes: protected mode, but CR0.PE clear\n"

	/* Accessed bits preset: the CPU need not write to the ROM. */
	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* SEL_CODE32 */
	.quad 0x00cf93000000ffff	/* SEL_DATA */
	.quad 0x00af9b000000ffff	/* SEL_CODE64 */
gdt_end:
gdt_desc:
	.short gdt_end - gdt - 1
	.long gdt

/* The CPU starts at F000:FFF0 (the image's last 16 bytes): go to start16. */
	.section .reset, "ax"
	.code16
	.globl reset_vector
reset_vector:
	ljmp $(ROM_BASE >> 4), $(start16 - ROM_BASE)

	.bss
	.balign PAGE
pml4:	.space PAGE
pdpt:	.space PAGE
pd:	.space PAGE
	.space STACK_SIZE
stack_top:
