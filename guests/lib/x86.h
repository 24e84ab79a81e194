/*
 * What the guests need of x86 beyond the hypervisor's own x86/ headers
 * (single instructions and register bits, shared with them).
 */
#pragma once

#include "x86/insn.h"
#include "x86/regs.h"

/* Descriptor-table register image for lgdt/lidt. */
struct table_reg {
	uint16_t limit;
	unsigned long base;
} __packed;

static inline void lidt(const struct table_reg *r)
{
	__asm__ volatile("lidt %0" :: "m"(*r) : "memory");
}

#define CPUID1_ECX_VMX		(1u << 5)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUID1_EDX_PSE		(1u << 3)
#define CPUID1_EDX_MSR		(1u << 5)
#define CPUID1_EDX_PAT		(1u << 16)
#define CPUID80000001_ECX_SVM	(1u << 2)
#define CPUID80000001_EDX_NX	(1u << 20)
#define CPUID80000001_EDX_LM	(1u << 29)

/* Exception vectors the guests provoke. */
#define VEC_DE	0
#define VEC_BP	3
#define VEC_UD	6
#define VEC_GP	13
#define VEC_PF	14
