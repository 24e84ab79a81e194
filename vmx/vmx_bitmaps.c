/* The I/O and MSR bitmaps, shared by every VMCS: every port is intercepted
 * (the core emulates the devices), every MSR too except the ones hv/msr.c
 * passes through. */
#include <string.h>

#include "hv/msr.h"
#include "lib/log.h"
#include "vmx/vmx.h"

#define IO_BITMAP_BYTES		4096	/* A: ports 0-0x7fff, B: 0x8000-0xffff */
#define MSR_BITMAP_BYTES	4096

static uint8_t io_bitmap_a[IO_BITMAP_BYTES] __aligned(4096);
static uint8_t io_bitmap_b[IO_BITMAP_BYTES] __aligned(4096);
static uint8_t msr_bitmap[MSR_BITMAP_BYTES] __aligned(4096);

/* The MSR bitmap covers two ranges of 8192 MSRs, one bit each, with the
 * read bitmaps in the first half and the write bitmaps in the second. */
static const struct { uint32_t first; uint32_t read_offset; uint32_t write_offset; }
msr_bitmap_ranges[] = {
	{ 0x00000000, 0x000, 0x800 },
	{ 0xc0000000, 0x400, 0xc00 },
};

/* Clear the read and write intercept bits of `msr`; false if the bitmap
 * cannot express it. */
static bool msr_bitmap_allow(uint32_t msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(msr_bitmap_ranges); i++) {
		uint32_t index = msr - msr_bitmap_ranges[i].first;

		if (msr < msr_bitmap_ranges[i].first || index >= 8192)
			continue;
		msr_bitmap[msr_bitmap_ranges[i].read_offset + index / 8] &= ~(1u << (index % 8));
		msr_bitmap[msr_bitmap_ranges[i].write_offset + index / 8] &= ~(1u << (index % 8));
		return true;
	}
	return false;
}

void vmx_bitmaps_init(void)
{
	memset(io_bitmap_a, 0xff, sizeof(io_bitmap_a));
	memset(io_bitmap_b, 0xff, sizeof(io_bitmap_b));
	memset(msr_bitmap, 0xff, sizeof(msr_bitmap));
	for (const uint32_t *m = msr_passthrough; *m; m++)
		if (!msr_bitmap_allow(*m))
			log_warn("vmx: MSR %#x cannot be passed through; it stays intercepted", *m);
}

uint64_t vmx_io_bitmap_a_pa(void)
{
	return (uintptr_t)io_bitmap_a;
}

uint64_t vmx_io_bitmap_b_pa(void)
{
	return (uintptr_t)io_bitmap_b;
}

uint64_t vmx_msr_bitmap_pa(void)
{
	return (uintptr_t)msr_bitmap;
}
