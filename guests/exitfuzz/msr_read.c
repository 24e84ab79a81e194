/* RDMSR of random MSRs. Architectural answers checked: #GP in the gaps
 * between the MSR ranges, for x2APIC MSRs in xAPIC mode and for the VMX
 * capability MSRs CPUID hides; no fault for the MSRs every x86-64 CPU has;
 * EFER, APIC base and PAT as a 32-bit kernel that never changed them
 * (the WRMSR steps put back what they change) sees them. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/exitfuzz/msr.h"
#include "guests/lib/apic.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define APIC_BASE_BSP	(1ull << 8)
#define EFER_LONG_BITS	(EFER_LME | EFER_LMA | EFER_SVME)

/* MSRs of every x86-64 CPU: the TSC, APIC base, MTRRs, machine-check
 * globals, SYSENTER, PAT; EFER and the SYSCALL/segment-base MSRs. */
static bool always_present(uint32_t msr)
{
	switch (msr) {
	case MSR_TSC: case MSR_APIC_BASE: case MSR_MTRR_CAP: case 0x174: case 0x175: case 0x176:
	case MSR_MCG_CAP: case MSR_MCG_STATUS: case MSR_PAT: case 0x2ff: case 0x250:
	case 0x258: case 0x259: case 0x268 ... 0x26f: case MSR_MTRR_PHYSBASE0 ... MSR_MTRR_PHYSMASK7:
		return true;
	case MSR_EFER: case 0xc0000081 ... 0xc0000084: case MSR_FS_BASE: case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
		return fuzz_cpu.lm;
	}
	return false;
}

/* The vector RDMSR of `msr` must raise, or -2 when it depends on the CPU. */
static int expected_vector(uint32_t msr)
{
	if (msr_in_gap(msr) || (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST) ||
	    (msr >= MSR_VMX_FIRST && msr <= MSR_VMX_LAST))
		return VEC_GP;
	if (msr == MSR_TSC_AUX)
		return fuzz_cpu.tsc_aux ? TRAP_NONE : VEC_GP;
	return always_present(msr) ? TRAP_NONE : -2;
}

/* What the values of EFER, the APIC base and PAT must be. */
static void check_value(const struct msr_try *t)
{
	if (t->msr == MSR_EFER)
		fuzz_expect(!(t->value & EFER_LONG_BITS), "rdmsr EFER 0x%llx in a 32-bit guest",
			    t->value);
	else if (t->msr == MSR_APIC_BASE)
		fuzz_expect((t->value & ~0xfffull) == APIC_PAGE &&
			    (t->value & (APIC_BASE_EN | APIC_BASE_BSP | APIC_BASE_EXTD)) ==
			    (APIC_BASE_EN | APIC_BASE_BSP),
			    "rdmsr APIC base 0x%llx: not an enabled xAPIC BSP at 0x%x", t->value,
			    APIC_PAGE);
	else if (t->msr == MSR_PAT)
		fuzz_expect(t->value == PAT_POWER_ON, "rdmsr PAT 0x%llx, nothing wrote it",
			    t->value);
}

/* RDMSR of a random MSR, checked where the answer is fixed. */
static void step(void)
{
	struct msr_try t = { .msr = msr_random() };
	int v = fuzz_try(msr_try_read, &t), want = expected_vector(t.msr);

	if (want != -2)
		fuzz_expect_vector(v, want, "rdmsr 0x%x", t.msr);
	if (v == TRAP_NONE)
		check_value(&t);
}

const struct fuzz_class fuzz_rdmsr = { "rdmsr", 10, step, NULL };
