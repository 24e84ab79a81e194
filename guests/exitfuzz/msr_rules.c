/* The MSRs whose every bit the architecture defines, written with random
 * values that break a rule now and then: the #GP comes exactly when one
 * is broken, a value that took reads back, and the old value goes back. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/exitfuzz/msr.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define MTRR_TYPE_MASK		0xffull
#define MTRR_MASK_VALID		0x800ull
#define MCG_STATUS_BITS		0x7ull		/* RIPV, EIPV, MCIP */
#define EFER_DEFINED		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME)
#define CANONICAL_LOW		0x00003fffffffffffull	/* canonical at 48 and 57 bits */
#define NONCANONICAL_BIT	(1ull << 62)

static const uint32_t mtrr_types[] = { 0, 1, 4, 5, 6 };
static const uint32_t mtrr_fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b,
				       0x26c, 0x26d, 0x26e, 0x26f };

/* Memory types an MTRR may hold (mtrr_types): UC, WC, WT, WP, WB. */
static bool mtrr_type_ok(unsigned type)
{
	return type == 0 || type == 1 || type == 4 || type == 5 || type == 6;
}

/* Write `value` to `msr`, expecting `want`; a write that took must read
 * back as `value`, then `restore` is written. */
static void rule_write(uint32_t msr, uint64_t value, int want, uint64_t restore)
{
	struct msr_try t = { msr, value }, back = { .msr = msr };
	int v = fuzz_try(msr_try_write, &t), rv;

	fuzz_expect_vector(v, want, "wrmsr 0x%x <- 0x%llx", msr, value);
	if (v != TRAP_NONE)
		return;
	rv = fuzz_try(msr_try_read, &back);
	fuzz_expect(rv == TRAP_NONE && back.value == value,
		    "wrmsr 0x%x <- 0x%llx reads back 0x%llx (vector %d)", msr, value, back.value, rv);
	t.value = restore;
	fuzz_try(msr_try_write, &t);
}

/* The value of `msr` now (0 if it cannot be read). */
static uint64_t current(uint32_t msr)
{
	struct msr_try t = { .msr = msr };

	fuzz_try(msr_try_read, &t);
	return t.value;
}

/* One bit at random from `from` to 63. */
static uint64_t stray_bit(unsigned from)
{
	return 1ull << (from + rng_below(64 - from));
}

/* PAT: eight memory types, 2 and 3 and everything above 7 reserved. */
static void pat_step(void)
{
	static const uint32_t types[] = { 0, 1, 4, 5, 6, 7 };
	uint64_t value = 0;
	bool ok = true;

	for (unsigned i = 0; i < 8; i++)
		value |= (uint64_t)rng_pick(types, ARRAY_SIZE(types)) << (8 * i);
	if (rng_one_in(4)) {
		unsigned entry = rng_below(8), type = rng_one_in(2) ? 2 + rng_below(2) :
						      8 + rng_below(248);

		value = (value & ~(0xffull << (8 * entry))) | (uint64_t)type << (8 * entry);
		ok = false;
	}
	rule_write(MSR_PAT, value, ok ? TRAP_NONE : VEC_GP, PAT_POWER_ON);
}

/* A variable-range MTRR: PHYSBASE holds an address below MAXPHYADDR and a
 * type, PHYSMASK an address mask and the valid bit; nothing else. */
static void mtrr_var_step(void)
{
	uint32_t msr = MSR_MTRR_PHYSBASE0 + rng_below(16);
	bool base = !(msr & 1);
	uint64_t value = rng64() & fuzz_cpu.phys_mask, allowed;

	value |= base ? rng_below(8) : (rng_one_in(2) ? MTRR_MASK_VALID : 0);
	if (rng_one_in(4))
		value |= stray_bit(8);
	allowed = fuzz_cpu.phys_mask | (base ? MTRR_TYPE_MASK : MTRR_MASK_VALID);
	rule_write(msr, value,
		   !(value & ~allowed) && (!base || mtrr_type_ok(value & MTRR_TYPE_MASK)) ?
		   TRAP_NONE : VEC_GP, current(msr));
}

/* A fixed-range MTRR: eight memory types. */
static void mtrr_fixed_step(void)
{
	uint32_t msr = rng_pick(mtrr_fixed, ARRAY_SIZE(mtrr_fixed));
	uint64_t value = 0;
	bool ok = true;

	for (unsigned i = 0; i < 8; i++) {
		unsigned type = rng_one_in(16) ? rng_below(256) :
				rng_pick(mtrr_types, ARRAY_SIZE(mtrr_types));

		ok &= mtrr_type_ok(type);
		value |= (uint64_t)type << (8 * i);
	}
	rule_write(msr, value, ok ? TRAP_NONE : VEC_GP, current(msr));
}

/* A bit EFER reserves on both vendors: not 0, 8, 10-15 or 17-21, which
 * one vendor or another defines. */
static uint64_t efer_reserved_bit(void)
{
	uint64_t bit;

	do
		bit = stray_bit(1);
	while (bit & (EFER_DEFINED | 0xfd01ull | 0x3e0000ull));
	return bit;
}

/* Turn paging on (for the LME check; a CPU that took it would crash us). */
static void paging_on_try(void *arg)
{
	write_cr0(read_cr0() | CR0_PG);
}

/* EFER: SCE, LME, NXE as CPUID allows, LMA read-only, SVME absent with
 * SVM hidden, LME frozen while paging is on; the rest reserved. With LME
 * set and paging off, turning paging on without PAE is #GP. */
static void efer_step(void)
{
	static const uint32_t flips[] = { EFER_SCE, EFER_NXE, EFER_LME, EFER_SVME };
	uint64_t old = current(MSR_EFER), flip = 0, value;
	bool ok;

	for (unsigned i = 0; i < ARRAY_SIZE(flips); i++)
		if (rng_one_in(3))
			flip |= flips[i];
	if (rng_one_in(4))
		flip |= efer_reserved_bit();
	value = old ^ flip;
	ok = !(value & ~(EFER_DEFINED & ~EFER_SVME)) &&
	     (!(value & EFER_SCE) || fuzz_cpu.syscall) && (!(value & EFER_NXE) || fuzz_cpu.nx) &&
	     (!(value & EFER_LME) || fuzz_cpu.lm) &&
	     (!(flip & EFER_LME) || !(read_cr0() & CR0_PG));
	if (ok && (value & EFER_LME) && !(read_cr0() & CR0_PG) && !(read_cr4() & CR4_PAE)) {
		wrmsr(MSR_EFER, value);
		fuzz_expect_vector(fuzz_try(paging_on_try, NULL), VEC_GP,
				   "paging on with EFER 0x%llx and no PAE", value);
		wrmsr(MSR_EFER, old);
	}
	rule_write(MSR_EFER, value, ok ? TRAP_NONE : VEC_GP, old);
}

/* IA32_TSC_AUX: 32 bits, the upper half reserved; absent without RDTSCP
 * and RDPID. */
static void tsc_aux_step(void)
{
	uint64_t value = rng32() | (rng_one_in(4) ? stray_bit(32) : 0);

	rule_write(MSR_TSC_AUX, value, fuzz_cpu.tsc_aux && !(value >> 32) ? TRAP_NONE : VEC_GP,
		   0);
}

/* MCG_STATUS: RIPV, EIPV, MCIP; the rest reserved. */
static void mcg_status_step(void)
{
	uint64_t value = rng_below(8) | (rng_one_in(4) ? stray_bit(3) : 0);

	rule_write(MSR_MCG_STATUS, value, value & ~MCG_STATUS_BITS ? VEC_GP : TRAP_NONE, 0);
}

/* FS/GS base, the SWAPGS base and LSTAR hold linear addresses: a
 * non-canonical one is #GP. */
static void base_step(void)
{
	static const uint32_t msrs[] = { MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, 0xc0000082 };
	uint32_t msr = rng_pick(msrs, ARRAY_SIZE(msrs));
	bool canonical = !rng_one_in(3);
	uint64_t value = rng64() & CANONICAL_LOW;

	if (!fuzz_cpu.lm || (!canonical && !fuzz_cpu.canonical_msrs))
		return;
	if (!canonical)
		value |= NONCANONICAL_BIT;
	else if (rng_one_in(2))
		value |= ~CANONICAL_LOW;
	rule_write(msr, value, canonical ? TRAP_NONE : VEC_GP, current(msr));
}

void msr_rule_step(void)
{
	static void (*const steps[])(void) = { pat_step, mtrr_var_step, mtrr_fixed_step,
					       efer_step, tsc_aux_step, mcg_status_step,
					       base_step };

	steps[rng_below(ARRAY_SIZE(steps))]();
}
