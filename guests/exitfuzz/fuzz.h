/*
 * The exit fuzzer's shared parts: the instruction classes, the seeded
 * random source, what CPUID says the guest may do, and the bookkeeping of
 * one step (the exception it raised, whether that was the architectural
 * answer).
 */
#pragma once

#include "lib/compiler.h"

/* One class of exiting instructions: a step runs one or a few of them
 * with random operands and checks what is checkable. */
struct fuzz_class {
	const char *name;
	unsigned weight;	/* relative share of the steps */
	void (*step)(void);
	void (*init)(void);	/* once before the first step, or NULL */
};

/* Every class, in the order of the report. */
extern const struct fuzz_class fuzz_cpuid, fuzz_rdmsr, fuzz_wrmsr, fuzz_io, fuzz_cr,
	fuzz_dr, fuzz_xsetbv, fuzz_hlt, fuzz_mmio, fuzz_hypercall, fuzz_ud;

/* The local APIC timer's vector: the one interrupt this guest expects. */
#define FUZZ_TIMER_VECTOR	0x40

/* What the guest's CPUID allows, read once at start, and what the
 * command line says of the CPU and the run (cpu_facts.c). */
struct fuzz_cpu {
	bool amd;		/* AMD/Hygon: VMMCALL, SVM instructions are the vendor's */
	uint32_t cr4_ok;	/* CR4 bits CPUID lets a 32-bit kernel set */
	uint64_t xcr0_ok;	/* CPUID 0xD.0 EDX:EAX; 0 without XSAVE */
	bool xsave;
	bool nx, lm, syscall;	/* the EFER bits CPUID allows */
	bool alt_cr8;		/* LOCK MOV CR0 is MOV CR8 (AMD AltMovCr8) */
	bool tsc_aux;		/* RDTSCP or RDPID: IA32_TSC_AUX exists */
	bool monitor;		/* MONITOR/MWAIT */
	uint64_t phys_mask;	/* address bits below MAXPHYADDR, from bit 12 */
	uint32_t ram_bytes;	/* guest RAM below 4 GiB, from the memory map */
	/* What the CPU under the hypervisor implements of what it passes
	 * through, where an emulator falls short (the command line says). */
	bool dr7_gd;		/* DR7.GD's #DB (dr7-gd=0: QEMU's TCG has none) */
	bool canonical_msrs;	/* #GP for non-canonical FS/GS/SWAPGS bases and
				 * LSTAR (canonical-msrs=0: TCG truncates them) */
	bool sti_shadow;	/* STI's shadow kept over an exit (sti-shadow=0:
				 * TCG's VMRUN drops it) */
	bool straddle;		/* straddle=1: every MMIO access runs past its
				 * page's end, which stops the VM */
};
extern struct fuzz_cpu fuzz_cpu;

/* Fill fuzz_cpu from CPUID, `ram_bytes` and the command line. */
void fuzz_cpu_init(uint32_t ram_bytes, const char *cmdline);

/* The random source: xorshift64* seeded from `seed`, so a seed replays
 * the same steps. */
void rng_seed(uint32_t seed);
uint32_t rng32(void);
uint64_t rng64(void);
/* A number in [0, n), n > 0. */
uint32_t rng_below(uint32_t n);
/* True once in `n` times on average. */
bool rng_one_in(uint32_t n);
/* A random element of the `n` words at `set`. */
uint32_t rng_pick(const uint32_t *set, unsigned n);

/* The run's seed, named in every failure so that it can be replayed. */
extern uint32_t fuzz_seed;

/* Run fn(arg) as part of the current step; returns the exception vector it
 * raised (fn is abandoned there) or TRAP_NONE, and counts it. */
int fuzz_try(void (*fn)(void *arg), void *arg);

/* The step's outcome against the architectural one: when `ok` is false, a
 * FAIL line names the step, the seed that replays it and `fmt`. */
__printf(2, 3) void fuzz_expect(bool ok, const char *fmt, ...);

/* The step raised `got` (a vector or TRAP_NONE) where the CPU raises `want`. */
__printf(3, 4) void fuzz_expect_vector(int got, int want, const char *fmt, ...);

/* Start step `index` of `class` (counted as one of its steps). */
void fuzz_begin(unsigned index, unsigned class);

/* One verdict line per class: its steps, checks and faults; PASS unless an
 * expectation failed. */
void fuzz_report(const struct fuzz_class *const *classes, unsigned n);
