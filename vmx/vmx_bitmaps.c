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
static uint8_t msr_bitmap_x2apic[MSR_BITMAP_BYTES] __aligned(4096);

/* x2APIC MSRs whose reads the CPU satisfies from the virtual-APIC page with
 * APIC-register virtualization (SDM 3C "Virtualizing MSR-Based APIC
 * Accesses"): ID, version, TPR, PPR, LDR, SVR, ISR, TMR, IRR, ESR, the LVT
 * and the timer's initial count and divide configuration. The current
 * count is computed and the ICR is one 64-bit register there (two in the
 * vLAPIC's page): those stay intercepted, as does every write but TPR,
 * EOI and self-IPI, which the CPU virtualizes. */
static const struct { uint16_t first, last; } x2apic_reads[] = {
	{ 0x802, 0x803 }, { 0x808, 0x808 }, { 0x80a, 0x80a }, { 0x80d, 0x80d }, { 0x80f, 0x80f },
	{ 0x810, 0x828 }, { 0x832, 0x838 }, { 0x83e, 0x83e },
};
static const uint16_t x2apic_writes[] = { 0x808, 0x80b, 0x83f };

/* The MSR bitmap covers two ranges of 8192 MSRs, one bit each, with the
 * read bitmaps in the first half and the write bitmaps in the second. */
static const struct { uint32_t first; uint32_t read_offset; uint32_t write_offset; }
msr_bitmap_ranges[] = {
	{ 0x00000000, 0x000, 0x800 },
	{ 0xc0000000, 0x400, 0xc00 },
};

/* Clear `bitmap`'s intercept bits of `msr` for reads and/or writes; false
 * if the bitmap cannot express it. */
static bool msr_bitmap_allow(uint8_t *bitmap, uint32_t msr, bool read, bool write)
{
	for (size_t i = 0; i < ARRAY_SIZE(msr_bitmap_ranges); i++) {
		uint32_t index = msr - msr_bitmap_ranges[i].first;

		if (msr < msr_bitmap_ranges[i].first || index >= 8192)
			continue;
		if (read)
			bitmap[msr_bitmap_ranges[i].read_offset + index / 8] &= ~(1u << (index % 8));
		if (write)
			bitmap[msr_bitmap_ranges[i].write_offset + index / 8] &= ~(1u << (index % 8));
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
		if (!msr_bitmap_allow(msr_bitmap, *m, true, true))
			log_warn("vmx: MSR %#x cannot be passed through; it stays intercepted", *m);
	memcpy(msr_bitmap_x2apic, msr_bitmap, sizeof(msr_bitmap));
	for (size_t i = 0; i < ARRAY_SIZE(x2apic_reads); i++)
		for (uint32_t msr = x2apic_reads[i].first; msr <= x2apic_reads[i].last; msr++)
			msr_bitmap_allow(msr_bitmap_x2apic, msr, true, false);
	for (size_t i = 0; i < ARRAY_SIZE(x2apic_writes); i++)
		msr_bitmap_allow(msr_bitmap_x2apic, x2apic_writes[i], false, true);
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

uint64_t vmx_msr_bitmap_x2apic_pa(void)
{
	return (uintptr_t)msr_bitmap_x2apic;
}
