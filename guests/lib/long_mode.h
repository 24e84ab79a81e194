/*
 * For the guests' own 32-bit entry code (assembly): turn on long mode over
 * page tables already built, the way the modes and gdb64 guests do.
 */
#pragma once

#define CR0_PG		0x80000000
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define PTE_PW		0x3		/* present, writable */
#define PDE_2M		0x83		/* present, writable, large */

/* PAE on, CR3 = \pml4, EFER.LME, paging on, then a far jump to \target in
 * the 64-bit code segment \sel. Clobbers EAX, ECX, EDX. */
	.macro LONG_MODE_ON pml4, sel, target
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $\pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	ljmp $\sel, $\target
	.endm
