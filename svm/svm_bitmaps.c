/* The I/O and MSR permission maps, shared by every VMCB: every port is
 * intercepted (the core emulates the devices), every MSR too except the
 * ones hv/msr.c passes through. */
#include <string.h>

#include "hv/msr.h"
#include "lib/log.h"
#include "svm/svm.h"

static uint8_t iopm[SVM_IOPM_BYTES] __aligned(4096);
static uint8_t msrpm[SVM_MSRPM_BYTES] __aligned(4096);

/* The MSRPM covers three ranges of 8192 MSRs, 2 bits each (read, write). */
static const struct { uint32_t first; uint32_t offset; } msrpm_ranges[] = {
	{ 0x00000000, 0x0000 },
	{ 0xc0000000, 0x0800 },
	{ 0xc0010000, 0x1000 },
};

/* Clear both intercept bits of `msr`; false if the map cannot express it. */
static bool msrpm_allow(uint32_t msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(msrpm_ranges); i++) {
		uint32_t index = msr - msrpm_ranges[i].first;

		if (msr < msrpm_ranges[i].first || index >= 8192)
			continue;
		msrpm[msrpm_ranges[i].offset + index / 4] &= ~(3u << (index % 4 * 2));
		return true;
	}
	return false;
}

void svm_bitmaps_init(void)
{
	memset(iopm, 0xff, sizeof(iopm));
	memset(msrpm, 0xff, sizeof(msrpm));
	for (const uint32_t *m = msr_passthrough; *m; m++)
		if (!msrpm_allow(*m))
			log_warn("svm: MSR %#x cannot be passed through; it stays intercepted", *m);
}

uint64_t svm_iopm_pa(void)
{
	return (uintptr_t)iopm;
}

uint64_t svm_msrpm_pa(void)
{
	return (uintptr_t)msrpm;
}
