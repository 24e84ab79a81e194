/*
 * The application processors' first instructions: copied to SMP_TRAMPOLINE
 * (a page below 1 MiB that a start-up IPI names), they run in real mode
 * with CS = the page's segment, load the guest's GDT, enter 32-bit
 * protected mode and jump to smp_ap_entry in the image, which takes a
 * stack and calls into C.
 */
#define SEL_CODE32	0x08
#define SEL_DATA32	0x10
#define AP_STACK_SIZE	8192

	.section .rodata
	.code16
	.globl smp_trampoline_start, smp_trampoline_end
smp_trampoline_start:
	cli
	cld
	lgdtl %cs:(tramp_gdt_desc - smp_trampoline_start)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $smp_ap_entry
	.balign 4
tramp_gdt_desc:
	.short smp_gdt_end - smp_gdt - 1
	.long smp_gdt
smp_trampoline_end:

	.balign 8
	.globl smp_gdt
smp_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* SEL_CODE32 */
	.quad 0x00cf93000000ffff	/* SEL_DATA32 */
smp_gdt_end:

	.text
	.code32
smp_ap_entry:
	movw $SEL_DATA32, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	/* Stack i + 1 for the i-th AP to arrive. */
	movl $1, %eax
	lock xaddl %eax, smp_next_stack
	incl %eax
	imull $AP_STACK_SIZE, %eax
	leal smp_stacks(%eax), %esp
	call smp_ap_main	/* does not return */
1:	hlt
	jmp 1b

	.data
	.balign 4
smp_next_stack:
	.long 0

	.bss
	.balign 16
	.globl smp_stacks
smp_stacks:
	.space AP_STACK_SIZE * 64
