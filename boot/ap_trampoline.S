/* Application-processor start-up. Only the real-mode part must lie below
 * 1 MiB, where a SIPI can point: the blob between ap_trampoline_start and
 * ap_trampoline_end, linked read-only into the image and copied by
 * boot/smp.c to a free page the memory map offers. A SIPI starts the AP
 * there in real mode with CS = page >> 4, IP = 0. The blob addresses its
 * own bytes through CS only, so it runs from any page unchanged; it loads
 * the image's early GDT and jumps into the image, which the loader put at
 * its link address: 32-bit protected mode (ap_pm32) -> PAE paging on the
 * early tables (boot/entry.S; they map the first 4 GiB executable) ->
 * long mode (ap_entry64), where the AP takes a start ticket, the final
 * page tables, its block's stack, and calls ap_main(). */
#include "boot/ap_trampoline.h"
#include "boot/long_mode.h"
#include "cpu/gdt.h"
#include "x86/regs.h"

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
	ljmpl	$EARLY_GDT_CODE32, $ap_pm32

	/* The pseudo-descriptor must be reachable through DS in real mode;
	 * the GDT it names is the image's, at its link address. */
tramp_gdt_desc:
	.word	EARLY_GDT_LIMIT
	.long	early_gdt
	.globl ap_trampoline_end
ap_trampoline_end:

	.section .boot.text, "ax"
	.code32
ap_pm32:
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	enable_long_mode
	ljmp	$GDT_CODE64, $ap_entry64

/* In long mode on the early tables. Take the next ticket if the boot CPU
 * allows one more (tickets taken < allowed, both halves of one word, so
 * that taking and closing are each one compare-and-swap); none means this
 * CPU woke too late or one too many: stay out of the way. The ticket
 * indexes the blocks, which may lie above the 4 GiB the early tables map:
 * they are touched only once the final tables are loaded. */
	.text
	.code64
ap_entry64:
	/* The outermost frame: a debugger's backtrace ends here. */
	.cfi_startproc
	.cfi_undefined rip
	movq	ap_start + AP_START_TICKETS(%rip), %rax
1:	movq	%rax, %rdx
	shrq	$32, %rdx
	cmpl	%edx, %eax
	jae	ap_park
	leaq	1(%rax), %rdx
	lock cmpxchgq %rdx, ap_start + AP_START_TICKETS(%rip)
	jne	1b
	movl	%eax, %edi
	movq	ap_start + AP_START_FINAL_CR3(%rip), %rax
	movq	%rax, %cr3
	movq	ap_start + AP_START_BLOCKS(%rip), %rax
	movq	(%rax,%rdi,8), %rdi
	movq	AP_PERCPU_STACK_TOP(%rdi), %rsp
	xorl	%ebp, %ebp
	call	ap_main
	ud2
ap_park:
	cli
	hlt
	jmp	ap_park
	.cfi_endproc
