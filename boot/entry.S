/* 32-bit multiboot2 entry: check the loader and the CPU, identity-map the
 * first 4 GiB with 2 MiB pages, switch to long mode and call boot_main().
 * Everything here runs before any C code and before the real page tables
 * (mm/paging) exist. */
#include "boot/long_mode.h"
#include "cpu/gdt.h"
#include "x86/regs.h"

#include "lib/multiboot2.h"
#define COM1             0x3f8
#define PTE_P_W          0x3
#define PTE_PS           0x80
#define EARLY_STACK_SIZE 16384

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl	$early_stack_top, %esp
	cmpl	$MB2_BOOT_MAGIC, %eax
	jne	.Lnot_multiboot2
	movl	%ebx, boot_info_pa

	/* BIOS and GRUB may leave caching disabled (Bochs does). */
	movl	%cr0, %eax
	andl	$~(CR0_CD | CR0_NW), %eax
	movl	%eax, %cr0

	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	.Lno_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	.Lno_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
	movl	$early_pdpt + PTE_P_W, early_pml4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$early_pd + PTE_P_W, %eax
	movl	%eax, early_pdpt(,%ecx,8)
	incl	%ecx
	cmpl	$4, %ecx
	jne	1b
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PTE_P_W | PTE_PS, %eax
	movl	%eax, early_pd(,%ecx,8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, early_pd + 4(,%ecx,8)
	incl	%ecx
	cmpl	$4 * 512, %ecx
	jne	2b

	enable_long_mode

	lgdt	early_gdt_desc
	ljmp	$GDT_CODE64, $long_mode

.Lnot_multiboot2:
	movl	$msg_not_multiboot2, %esi
	jmp	.Lfail
.Lno_long_mode:
	movl	$msg_no_long_mode, %esi
.Lfail:
	/* No console driver yet: poll COM1 directly (the loader set it up). */
	movw	$COM1 + 5, %dx
3:	inb	%dx, %al
	testb	$0x20, %al
	jz	3b
	movw	$COM1, %dx
	lodsb
	testb	%al, %al
	jz	4f
	outb	%al, %dx
	jmp	.Lfail
4:	hlt
	jmp	4b

	.code64
long_mode:
	/* The outermost frame: a debugger's backtrace ends here. */
	.cfi_startproc
	.cfi_undefined rip
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$bsp_stack_top, %rsp
	xorl	%ebp, %ebp
	movl	boot_info_pa, %edi
	call	boot_main
5:	cli
	hlt
	jmp	5b
	.cfi_endproc

	.section .boot.rodata, "a"
	.balign 8
	.globl early_gdt
early_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* GDT_CODE64: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* GDT_DATA: flat data */
	.quad	0x00cf9a000000ffff	/* EARLY_GDT_CODE32: flat 32-bit code */
early_gdt_end:
	.if early_gdt_end - early_gdt != EARLY_GDT_LIMIT + 1
	.error "EARLY_GDT_LIMIT does not match the early GDT"
	.endif
early_gdt_desc:
	.word	EARLY_GDT_LIMIT
	.long	early_gdt
msg_not_multiboot2:
	.asciz	"hv: boot error: not started by a multiboot2 loader (use GRUB's multiboot2 command)\r\n"
msg_no_long_mode:
	.asciz	"hv: boot error: this CPU has no 64-bit long mode\r\n"

	.section .bss
	.balign 4
boot_info_pa:	.skip 4
	.balign 4096
	.globl early_pml4
early_pml4:	.skip 4096
early_pdpt:	.skip 4096
early_pd:	.skip 4 * 4096
	.balign 16
early_stack:	.skip 1024
early_stack_top:
	.globl bsp_stack_top
	.balign 16
bsp_stack:	.skip EARLY_STACK_SIZE
bsp_stack_top:
