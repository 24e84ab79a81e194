/* The rules of MOV to CR0 and CR4 (SDM vol. 2 "MOV - Move to/from Control
 * Registers", vol. 3 "Control Registers"; APM vol. 2 "CR0 Register", "CR4
 * Register"): which CR4 bits a CPUID offers and when a write is #GP. Pure
 * functions of the registers, for hv/cr.c and the unit test. */
#include "hv/cr.h"
#include "x86/regs.h"

/* Leaf 1 EDX, leaf 1 ECX, leaf 7.0 EBX, ECX, EDX and leaf 7.1 EAX flags. */
#define L1D_VME		BIT(1)
#define L1D_DE		BIT(2)
#define L1D_PSE		BIT(3)
#define L1D_TSC		BIT(4)
#define L1D_PAE		BIT(6)
#define L1D_MCE		BIT(7)
#define L1D_PGE		BIT(13)
#define L1D_FXSR	BIT(24)
#define L1D_SSE		BIT(25)
#define L1C_VMX		BIT(5)
#define L1C_SMX		BIT(6)
#define L1C_PCID	BIT(17)
#define L1C_XSAVE	BIT(26)
#define L7B_FSGSBASE	BIT(0)
#define L7B_SMEP	BIT(7)
#define L7B_SMAP	BIT(20)
#define L7C_UMIP	BIT(2)
#define L7C_PKU		BIT(3)
#define L7C_CET_SS	BIT(7)
#define L7C_LA57	BIT(16)
#define L7C_KL		BIT(23)
#define L7C_PKS		BIT(31)
#define L7D_UINTR	BIT(5)
#define L71A_LAM	BIT(26)

/* `bits` if `flag` is set in `word`, else 0. */
static uint64_t if_set(uint32_t word, uint32_t flag, uint64_t bits)
{
	return word & flag ? bits : 0;
}

uint64_t cr4_bits_offered(struct cpuid_regs l1, struct cpuid_regs l7, struct cpuid_regs l71)
{
	return CR4_PCE | if_set(l1.edx, L1D_VME, CR4_VME | CR4_PVI) |
	       if_set(l1.edx, L1D_TSC, CR4_TSD) | if_set(l1.edx, L1D_DE, CR4_DE) |
	       if_set(l1.edx, L1D_PSE, CR4_PSE) | if_set(l1.edx, L1D_PAE, CR4_PAE) |
	       if_set(l1.edx, L1D_MCE, CR4_MCE) | if_set(l1.edx, L1D_PGE, CR4_PGE) |
	       if_set(l1.edx, L1D_FXSR, CR4_OSFXSR) | if_set(l1.edx, L1D_SSE, CR4_OSXMMEXCPT) |
	       if_set(l1.ecx, L1C_VMX, CR4_VMXE) | if_set(l1.ecx, L1C_SMX, CR4_SMXE) |
	       if_set(l1.ecx, L1C_PCID, CR4_PCIDE) | if_set(l1.ecx, L1C_XSAVE, CR4_OSXSAVE) |
	       if_set(l7.ebx, L7B_FSGSBASE, CR4_FSGSBASE) | if_set(l7.ebx, L7B_SMEP, CR4_SMEP) |
	       if_set(l7.ebx, L7B_SMAP, CR4_SMAP) | if_set(l7.ecx, L7C_UMIP, CR4_UMIP) |
	       if_set(l7.ecx, L7C_PKU, CR4_PKE) | if_set(l7.ecx, L7C_CET_SS, CR4_CET) |
	       if_set(l7.ecx, L7C_LA57, CR4_LA57) | if_set(l7.ecx, L7C_KL, CR4_KL) |
	       if_set(l7.ecx, L7C_PKS, CR4_PKS) | if_set(l7.edx, L7D_UINTR, CR4_UINTR) |
	       if_set(l71.eax, L71A_LAM, CR4_LAM_SUP);
}

bool cr0_write_allowed(uint64_t old, uint64_t cr4, uint64_t efer, bool code64, uint64_t value)
{
	bool paging = value & CR0_PG;

	if ((value >> 32) || (paging && !(value & CR0_PE)) ||
	    ((value & CR0_NW) && !(value & CR0_CD)))
		return false;
	/* IA-32e paging needs PAE; 64-bit code cannot switch paging off. */
	if (paging && !(old & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE))
		return false;
	if (!paging && code64)
		return false;
	return (value & CR0_WP) || !(cr4 & CR4_CET);
}

bool cr4_write_allowed(uint64_t offered, uint64_t cr0, uint64_t cr3, uint64_t old, uint64_t efer,
		       uint64_t value)
{
	bool long_mode = efer & EFER_LMA;

	if (value & ~offered)
		return false;
	/* PCIDE only in IA-32e mode, and set only with PCID 0 in CR3. */
	if ((value & CR4_PCIDE) && (!long_mode || (!(old & CR4_PCIDE) && (cr3 & 0xfff))))
		return false;
	/* IA-32e paging needs PAE, and its depth cannot change under it. */
	if (long_mode && (!(value & CR4_PAE) || ((value ^ old) & CR4_LA57)))
		return false;
	/* CET needs supervisor write protection. */
	return !(value & CR4_CET) || (cr0 & CR0_WP);
}
