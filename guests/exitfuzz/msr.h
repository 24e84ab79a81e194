/* What the fuzzer's RDMSR and WRMSR steps share: the access itself (run
 * under fuzz_try) and where MSR numbers come from. */
#pragma once

#include "lib/compiler.h"

#define MSR_MCG_CAP		0x179
#define MSR_MCG_STATUS		0x17a
#define MSR_VMX_FIRST		0x480	/* the VMX capability MSRs */
#define MSR_VMX_LAST		0x491
#define MSR_MTRR_CAP		0xfe
#define MSR_MTRR_PHYSBASE0	0x200
#define MSR_MTRR_PHYSMASK7	0x20f
#define MSR_X2APIC_FIRST	0x800
#define MSR_X2APIC_LAST		0x8ff

/* One access: `msr`, and the value written or read. */
struct msr_try {
	uint32_t msr;
	uint64_t value;
};

/* RDMSR into / WRMSR from t->value (struct msr_try *), for fuzz_try. */
void msr_try_read(void *t);
void msr_try_write(void *t);

/* Whether `msr` lies outside the three ranges MSRs are numbered in
 * (0-0x1fff, 0xc0000000-0xc0001fff, 0xc0010000-0xc0011fff), where every
 * access raises #GP. */
bool msr_in_gap(uint32_t msr);

/* An MSR number: an architectural one, one from the three ranges, an
 * x2APIC one, or anything. */
uint32_t msr_random(void);

/* Write a random value to one of the MSRs whose fields the architecture
 * defines, expecting exactly the #GP its rules give (msr_rules.c). */
void msr_rule_step(void);
