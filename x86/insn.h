/* Single x86 instructions as inline functions. The bottom room: it includes
 * nothing of the project, so every room (lib/ too) may use it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

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

/* An entry of the exception fixup table (.ex_table, cpu/extable.c): a
 * #GP at `insn` resumes at `fixup` instead of halting the CPU. */
struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

/* RDMSR that tolerates an MSR the CPU (or emulator) lacks: false on #GP. */
static inline bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	bool ok = true;

	__asm__ volatile("1: rdmsr\n"
			 "2:\n"
			 ".pushsection .ex_table, \"a\"\n"
			 ".balign 8\n"
			 ".quad 1b, 3f\n"
			 ".popsection\n"
			 ".pushsection .text.fixup, \"ax\"\n"
			 "3: movb $0, %2\n"
			 "jmp 2b\n"
			 ".popsection"
			 : "=a"(lo), "=d"(hi), "+m"(ok) : "c"(msr));
	*val = ((uint64_t)hi << 32) | lo;
	return ok;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSC after every earlier instruction has completed (LFENCE first). */
static inline uint64_t rdtsc_ordered(void)
{
	__asm__ volatile("lfence" ::: "memory");
	return rdtsc();
}

/* Control registers are unsigned long: 64 bits here, 32 in the i386 guests
 * (guests/) that share this header. */
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

/* The data segment selectors (a debugger shows them; code and stack
 * selectors are in every trap frame). */
#define DEFINE_SELECTOR_READER(s)                                           \
	static inline uint16_t read_##s(void)                               \
	{                                                                   \
		uint16_t v;                                                 \
		__asm__ volatile("mov %%" #s ", %0" : "=r"(v));             \
		return v;                                                   \
	}
DEFINE_SELECTOR_READER(ds)
DEFINE_SELECTOR_READER(es)
DEFINE_SELECTOR_READER(fs)
DEFINE_SELECTOR_READER(gs)
#undef DEFINE_SELECTOR_READER

static inline uint64_t xgetbv(uint32_t index)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv(uint32_t index, uint64_t value)
{
	__asm__ volatile("xsetbv" :: "c"(index), "a"((uint32_t)value),
			 "d"((uint32_t)(value >> 32)) : "memory");
}

/* XSAVE / XRSTOR of the components in `mask` (and XCR0) at a 64-byte
 * aligned area; FXSAVE / FXRSTOR of the legacy 512 bytes (16-aligned). */
static inline void xsave(void *area, uint64_t mask)
{
	__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"((uint32_t)mask),
			 "d"((uint32_t)(mask >> 32)) : "memory");
}

static inline void xrstor(const void *area, uint64_t mask)
{
	__asm__ volatile("xrstor64 (%0)" :: "r"(area), "a"((uint32_t)mask),
			 "d"((uint32_t)(mask >> 32)) : "memory");
}

static inline void fxsave(void *area)
{
	__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}

/* Debug registers DR0-DR3 and DR6 (DR7 lives in the VMCB / VMCS). */
#define DEFINE_DR_ACCESSORS(n)                                              \
	static inline unsigned long read_dr##n(void)                        \
	{                                                                   \
		unsigned long v;                                            \
		__asm__ volatile("mov %%db" #n ", %0" : "=r"(v));           \
		return v;                                                   \
	}                                                                   \
	static inline void write_dr##n(unsigned long v)                     \
	{                                                                   \
		__asm__ volatile("mov %0, %%db" #n :: "r"(v));              \
	}
DEFINE_DR_ACCESSORS(0)
DEFINE_DR_ACCESSORS(1)
DEFINE_DR_ACCESSORS(2)
DEFINE_DR_ACCESSORS(3)
DEFINE_DR_ACCESSORS(6)
DEFINE_DR_ACCESSORS(7)
#undef DEFINE_DR_ACCESSORS

static inline void invlpg(const volatile void *va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

/* Tell the CPU this is a spin-wait loop. */
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

/* With interrupts off, take the ones already pending: STI's shadow covers
 * the NOP, so they arrive at the CLI at the latest. */
static inline void irq_window(void) { __asm__ volatile("sti; nop; cli" ::: "memory"); }

/* With interrupts off, halt until an interrupt: STI's shadow covers the
 * HLT, so one that became pending since the caller last looked ends the
 * HLT instead of being taken before it. Returns with interrupts off. */
static inline void halt_for_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
