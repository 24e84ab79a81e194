/* WRMSR of random values. Where the architecture fixes the answer it is
 * checked: #GP in the gaps between the MSR ranges, for read-only MSRs,
 * x2APIC MSRs in xAPIC mode and hidden VMX MSRs; PAT, the MTRRs, EFER,
 * IA32_TSC_AUX, MCG_STATUS and the segment and SYSCALL base MSRs by their
 * field rules (msr_rules.c), read back after a write that took. Other
 * MSRs get random values and no verdict. Every MSR written is put back. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/exitfuzz/msr.h"
#include "guests/lib/apic.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

/* MSRs the random writes leave alone: a wrong value would stop this
 * guest's clocks, move its APIC, switch its mode or memory types, or has
 * a rule step of its own. */
static bool spared(uint32_t msr)
{
	switch (msr) {
	case MSR_TSC: case MSR_APIC_BASE: case 0x3b: case MSR_TSC_DEADLINE_NR: case 0x2ff:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST: case MSR_EFER: case MSR_PAT:
	case MSR_FS_BASE: case MSR_GS_BASE:
		return true;
	}
	return false;
}

/* Read-only or absent MSRs: MTRRcap, MCG_CAP, x2APIC registers that are
 * read-only or reserved (harmless even if a write got through), the VMX
 * capability MSRs. */
static uint32_t read_only_msr(void)
{
	static const uint32_t set[] = { MSR_MTRR_CAP, MSR_MCG_CAP, 0x801, 0x803, 0x80a, 0x810,
					0x820, 0x839, MSR_VMX_FIRST, MSR_VMX_LAST };

	return rng_pick(set, ARRAY_SIZE(set));
}

/* A number in the gaps between the MSR ranges. */
static uint32_t gap_msr(void)
{
	uint32_t msr;

	do
		msr = rng32();
	while (!msr_in_gap(msr));
	return msr;
}

/* Write a random value to a random MSR outside the spared ones; put the
 * old value back if it took. */
static void write_random(void)
{
	struct msr_try old = { .msr = msr_random() }, t;
	int readable, v;

	if (spared(old.msr))
		return;
	readable = fuzz_try(msr_try_read, &old);
	t = (struct msr_try){ old.msr, rng_one_in(2) ? rng64() : rng32() };
	v = fuzz_try(msr_try_write, &t);
	if (msr_in_gap(t.msr))
		fuzz_expect_vector(v, VEC_GP, "wrmsr 0x%x <- 0x%llx", t.msr, t.value);
	if (v == TRAP_NONE && readable == TRAP_NONE)
		fuzz_try(msr_try_write, &old);
}

/* A WRMSR that must be #GP: to a gap or a read-only MSR. */
static void write_forbidden(void)
{
	struct msr_try t = { rng_one_in(2) ? gap_msr() : read_only_msr(), rng64() };

	fuzz_expect_vector(fuzz_try(msr_try_write, &t), VEC_GP, "wrmsr 0x%x <- 0x%llx", t.msr,
			   t.value);
}

/* A rule step, a random write or a forbidden one. */
static void step(void)
{
	if (rng_one_in(3))
		msr_rule_step();
	else if (rng_one_in(2))
		write_random();
	else
		write_forbidden();
}

const struct fuzz_class fuzz_wrmsr = { "wrmsr", 14, step, NULL };
