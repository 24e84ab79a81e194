/*
 * A write 16 MiB past the end of RAM. The hypervisor must stop the VM and
 * report it (the harness checks that report); bare QEMU ignores the write,
 * so bare the only verdict is that the guest went on running.
 */
#include "guests/lib/boot.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"

const char guest_name[] = "oob";

#define DISTANCE	(16u << 20)
/* Stay below where 32-bit PCs put MMIO (the PCI hole). */
#define HIGHEST_TARGET	0xc0000000ull

void guest_main(const struct boot_info *bi)
{
	uint64_t ram_end = 0, target;

	for (unsigned i = 0; i < bi->nr_ranges; i++) {
		const struct mem_range *r = &bi->ranges[i];

		if (r->type == BOOT_MEMORY_AVAILABLE && r->base + r->length > ram_end)
			ram_end = r->base + r->length;
	}
	target = ram_end + DISTANCE;
	if (!ram_end || target > HIGHEST_TARGET) {
		fail("RAM ends at 0x%llx: no target below 0x%llx", ram_end, HIGHEST_TARGET);
		return;
	}
	kprintf("oob: wrote beyond RAM at 0x%llx (RAM ends at 0x%llx)\n", target, ram_end);
	*(volatile uint32_t *)(uintptr_t)target = 0x0bad0bad;
	pass("write to 0x%llx did not stop the guest", target);
}
