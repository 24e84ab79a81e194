/*
 * Single x86 instructions for the guests, sized for the mode a guest is built
 * for (control registers are unsigned long: 32 bits in i386, 64 in x86-64).
 */
#pragma once

#include "hv/compiler.h"

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val),
			 "d"((uint32_t)(val >> 32)) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                              \
	static inline unsigned long read_cr##n(void)                        \
	{                                                                   \
		unsigned long v;                                            \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));           \
		return v;                                                   \
	}                                                                   \
	static inline void write_cr##n(unsigned long v)                     \
	{                                                                   \
		__asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory");   \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void invlpg(const volatile void *va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Descriptor-table register image for lgdt/lidt. */
struct table_reg {
	uint16_t limit;
	unsigned long base;
} __packed;

static inline void lidt(const struct table_reg *r)
{
	__asm__ volatile("lidt %0" :: "m"(*r) : "memory");
}

#define CR0_PE		(1ul << 0)
#define CR0_PG		(1ul << 31)
#define CR4_PSE		(1ul << 4)
#define CR4_PAE		(1ul << 5)
#define CR4_VMXE	(1ul << 13)

#define MSR_TSC		0x10u
#define MSR_APIC_BASE	0x1bu
#define MSR_PAT		0x277u
#define MSR_EFER	0xc0000080u

#define EFER_SCE	(1ull << 0)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)
#define EFER_SVME	(1ull << 12)

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
