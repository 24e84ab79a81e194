/* Application-processor start-up. The blob between ap_trampoline_start and
 * ap_trampoline_end is linked read-only into the image and copied by
 * boot/smp.c to AP_TRAMPOLINE_PA; a SIPI starts the AP there in real mode
 * with CS = AP_TRAMPOLINE_PA >> 4, IP = 0. Its path: real mode -> 32-bit
 * protected mode on the blob's own GDT -> PAE paging on the early tables
 * (boot/entry.S; they map the first 4 GiB executable, unlike the final
 * tables, which mark this page NX) -> long mode -> ap_entry64 in .text. */
#include "boot/ap_trampoline.h"
#include "boot/long_mode.h"
#include "cpu/gdt.h"
#include "x86/regs.h"

/* The blob's GDT reuses the final GDT's selectors for code and data, so
 * the AP's segment registers stay valid until cpu_tables_load(). */
#define TRAMP_CODE32		0x18

/* Where a blob label lives once copied: as a linear address (protected and
 * long mode) and as an offset from CS = DS (real mode). */
#define TRAMP_PA(label)		AP_TRAMPOLINE_PA + label - ap_trampoline_start
#define TRAMP_OFF(label)	label - ap_trampoline_start

	.section .rodata.ap_trampoline, "a"
	.balign 16
	.globl ap_trampoline_start
	.code16
ap_trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	TRAMP_OFF(tramp_gdt_desc)
	/* After INIT the cache is off (CD, NW): turn it on with protection. */
	movl	%cr0, %eax
	andl	$~(CR0_CD | CR0_NW), %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$TRAMP_CODE32, $TRAMP_PA(tramp_pm32)

	.code32
tramp_pm32:
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	enable_long_mode
	ljmpl	$GDT_CODE64, $TRAMP_PA(tramp_lm64)

	.code64
tramp_lm64:
	/* Take this AP's percpu block. None left means this CPU woke up
	 * late from a start the BSP abandoned: stay out of the way. */
	xorl	%edi, %edi
	xchgq	%rdi, TRAMP_PA(ap_trampoline_params) + AP_PARAM_PERCPU
	testq	%rdi, %rdi
	jz	tramp_halt
	movq	TRAMP_PA(ap_trampoline_params) + AP_PARAM_FINAL_CR3, %rax
	movq	$ap_entry64, %rdx
	jmp	*%rdx
tramp_halt:
	cli
	hlt
	jmp	tramp_halt

	.balign 8
tramp_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* GDT_CODE64: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* GDT_DATA: flat data */
	.quad	0x00cf9a000000ffff	/* TRAMP_CODE32: flat 32-bit code */
tramp_gdt_end:
tramp_gdt_desc:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	TRAMP_PA(tramp_gdt)

	.balign 8
	.globl ap_trampoline_params
ap_trampoline_params:
	.skip	AP_PARAMS_SIZE
	.globl ap_trampoline_end
ap_trampoline_end:

/* In the image, on the early tables: rax = final CR3, rdi = the AP's
 * struct percpu. The block and its stack may lie above the 4 GiB the early
 * tables map: they are touched only after the final tables are loaded. */
	.text
	.code64
ap_entry64:
	movq	%rax, %cr3
	movq	AP_PERCPU_STACK_TOP(%rdi), %rsp
	xorl	%ebp, %ebp
	call	ap_main
	ud2
