/* Entering long mode from 32-bit protected mode, shared by the boot CPU's
 * entry and the AP trampoline. */
#pragma once

#include "x86/regs.h"

/* The early GDT (boot/entry.S), loaded by the boot CPU's entry and by every
 * AP's trampoline: the final GDT's code and data selectors (cpu/gdt.h), so
 * the segment registers stay valid until cpu_tables_load(), then a flat
 * 32-bit code segment for the APs' way from real mode. */
#define EARLY_GDT_CODE32	0x18
#define EARLY_GDT_ENTRIES	4
#define EARLY_GDT_LIMIT		(EARLY_GDT_ENTRIES * 8 - 1)

#ifdef __ASSEMBLY__
/* PAE on, CR3 = the early identity tables, EFER.LME and NXE (the final
 * tables use NX bits, reserved without NXE), then paging with WP. The next
 * instruction must be a far jump to 64-bit code. Clobbers EAX, ECX, EDX. */
.macro enable_long_mode
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$early_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
.endm
#endif
