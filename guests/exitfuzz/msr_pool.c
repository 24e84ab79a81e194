/* MSR numbers for the fuzzer: the architectural MSRs a kernel touches
 * (both vendors', SVM's and VMX's included), the three numbered ranges,
 * and the gaps between them. */
#include "guests/exitfuzz/fuzz.h"
#include "guests/exitfuzz/msr.h"
#include "guests/lib/x86.h"

static const uint32_t architectural[] = {
	0x10, 0x1b, 0x3a, 0x3b, 0x48, 0x49, 0x8b, 0xc1, 0xc2, 0xce, 0xe7, 0xe8, 0xfe,
	0x174, 0x175, 0x176, 0x179, 0x17a, 0x186, 0x187, 0x1a0, 0x1d9, 0x200, 0x201,
	0x20e, 0x20f, 0x250, 0x258, 0x259, 0x268, 0x26f, 0x277, 0x2ff, 0x38d, 0x38f,
	0x480, 0x481, 0x48b, 0x491, 0x6e0, 0xd90, 0xda0,
	0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000100,
	0xc0000101, 0xc0000102, 0xc0000103, 0xc0010000, 0xc0010004, 0xc0010010,
	0xc0010015, 0xc0010055, 0xc0010114, 0xc0010117, 0xc0010140, 0xc0010141,
	0xc0011029, 0x40000000, 0x40000001, 0x4b564d00,
};

static const uint32_t range_base[] = { 0, 0xc0000000u, 0xc0010000u };
#define RANGE_SIZE	0x2000u

void msr_try_read(void *t)
{
	struct msr_try *m = t;

	m->value = rdmsr(m->msr);
}

void msr_try_write(void *t)
{
	struct msr_try *m = t;

	wrmsr(m->msr, m->value);
}

bool msr_in_gap(uint32_t msr)
{
	for (unsigned i = 0; i < ARRAY_SIZE(range_base); i++)
		if (msr - range_base[i] < RANGE_SIZE)
			return false;
	return true;
}

uint32_t msr_random(void)
{
	switch (rng_below(4)) {
	case 0:
		return rng_pick(architectural, ARRAY_SIZE(architectural));
	case 1:
		return rng_pick(range_base, ARRAY_SIZE(range_base)) + rng_below(RANGE_SIZE);
	case 2:
		return MSR_X2APIC_FIRST + rng_below(MSR_X2APIC_LAST - MSR_X2APIC_FIRST + 1);
	default:
		return rng32();
	}
}
