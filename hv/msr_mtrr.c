/* The memory-type range registers (SDM vol. 3 "Memory Type Range
 * Registers", MTRRs also on AMD), kept per vCPU with the checks a CPU
 * makes: valid memory types, no reserved bits, no address bits beyond
 * MAXPHYADDR. Guest memory is mapped write-back by EPT/NPT and the guest's
 * PAT decides the rest, so these only answer what the guest wrote. The
 * firmware's setting: variable ranges on, write-back by default, the
 * [3 GiB, 4 GiB) MMIO hole uncacheable. */
#include "hv/msr.h"
#include "hv/vcpu.h"
#include "x86/insn.h"

#define MSR_MTRR_CAP		0xfe
#define MSR_MTRR_PHYSBASE0	0x200
#define MSR_MTRR_FIX_64K	0x250
#define MSR_MTRR_FIX_16K_80000	0x258
#define MSR_MTRR_FIX_16K_A0000	0x259
#define MSR_MTRR_FIX_4K_C0000	0x268
#define MSR_MTRR_FIX_4K_F8000	0x26f
#define MSR_MTRR_DEF_TYPE	0x2ff

#define CAP_FIX			(1u << 8)
#define CAP_WC			(1u << 10)
#define DEF_TYPE_FE		(1u << 10)
#define DEF_TYPE_E		(1u << 11)
#define PHYSMASK_VALID		(1u << 11)
#define TYPE_MASK		0xffu
#define TYPE_UC			0
#define TYPE_WB			6
#define HOLE_BASE		0xc0000000ull	/* 3 GiB */
#define HOLE_SIZE		0x40000000ull

/* Types a range may have: UC, WC, WT, WP, WB. */
static bool type_valid(uint64_t t)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

/* The address bits a PHYSBASE/PHYSMASK may hold: [12, MAXPHYADDR). */
static uint64_t phys_bits(void)
{
	unsigned maxphys = cpuid(0x80000000, 0).eax >= 0x80000008 ?
			   cpuid(0x80000008, 0).eax & 0xff : 36;

	return ((1ull << maxphys) - 1) & ~0xfffull;
}

/* Index into msrs->mtrr_fixed of a fixed-range MSR, or -1. */
static int fixed_index(uint32_t msr)
{
	if (msr == MSR_MTRR_FIX_64K)
		return 0;
	if (msr == MSR_MTRR_FIX_16K_80000 || msr == MSR_MTRR_FIX_16K_A0000)
		return 1 + (int)(msr - MSR_MTRR_FIX_16K_80000);
	if (msr >= MSR_MTRR_FIX_4K_C0000 && msr <= MSR_MTRR_FIX_4K_F8000)
		return 3 + (int)(msr - MSR_MTRR_FIX_4K_C0000);
	return -1;
}

bool msr_is_mtrr(uint32_t msr)
{
	return msr == MSR_MTRR_CAP || msr == MSR_MTRR_DEF_TYPE || fixed_index(msr) >= 0 ||
	       (msr >= MSR_MTRR_PHYSBASE0 && msr < MSR_MTRR_PHYSBASE0 + 2 * MTRR_VAR_COUNT);
}

void msr_mtrr_init(struct vcpu_msrs *m)
{
	m->mtrr_def_type = DEF_TYPE_E | TYPE_WB;
	m->mtrr_var[0] = HOLE_BASE | TYPE_UC;
	m->mtrr_var[1] = (~(HOLE_SIZE - 1) & phys_bits()) | PHYSMASK_VALID;
}

bool msr_mtrr_read(const struct vcpu_msrs *m, uint32_t msr, uint64_t *value)
{
	int fixed = fixed_index(msr);

	if (msr == MSR_MTRR_CAP)
		*value = CAP_WC | CAP_FIX | MTRR_VAR_COUNT;
	else if (msr == MSR_MTRR_DEF_TYPE)
		*value = m->mtrr_def_type;
	else if (fixed >= 0)
		*value = m->mtrr_fixed[fixed];
	else
		*value = m->mtrr_var[msr - MSR_MTRR_PHYSBASE0];
	return true;
}

bool msr_mtrr_write(struct vcpu_msrs *m, uint32_t msr, uint64_t value)
{
	int fixed = fixed_index(msr);
	unsigned var = msr - MSR_MTRR_PHYSBASE0;

	if (msr == MSR_MTRR_CAP)
		return false;		/* read-only */
	if (msr == MSR_MTRR_DEF_TYPE) {
		if ((value & ~(uint64_t)(DEF_TYPE_E | DEF_TYPE_FE | TYPE_MASK)) ||
		    !type_valid(value & TYPE_MASK))
			return false;
		m->mtrr_def_type = value;
		return true;
	}
	if (fixed >= 0) {
		for (unsigned i = 0; i < 8; i++)
			if (!type_valid((value >> (8 * i)) & TYPE_MASK))
				return false;
		m->mtrr_fixed[fixed] = value;
		return true;
	}
	if (var % 2 == 0 && ((value & ~(phys_bits() | TYPE_MASK)) || !type_valid(value & TYPE_MASK)))
		return false;
	if (var % 2 == 1 && (value & ~(phys_bits() | PHYSMASK_VALID)))
		return false;
	m->mtrr_var[var] = value;
	return true;
}
