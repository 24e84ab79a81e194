/*
 * 32-bit entry of every multiboot guest: the loader leaves protected mode,
 * paging off, EAX = magic, EBX = info, and a GDT we must not rely on. Load
 * our own flat GDT and stack, then call boot_main(magic, info).
 */
#define SEL_CODE32	0x08
#define SEL_DATA32	0x10
#define STACK_SIZE	16384

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	movl $stack_top, %esp
	pushl %ebx
	pushl %eax
	lgdt gdt_desc
	ljmp $SEL_CODE32, $1f
1:	movw $SEL_DATA32, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	call boot_main		/* does not return */
2:	hlt
	jmp 2b

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* SEL_CODE32: flat, 32-bit, accessed */
	.quad 0x00cf93000000ffff	/* SEL_DATA32: flat, writable, accessed */
gdt_end:
gdt_desc:
	.short gdt_end - gdt - 1
	.long gdt

	.bss
	.balign 16
	.space STACK_SIZE
stack_top:
