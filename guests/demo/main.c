/* The demo guest for `make run`: says hello, names its CPU and its RAM. */
#include "guests/lib/boot.h"
#include "guests/lib/cpu.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"

const char guest_name[] = "demo";

#define BRAND_LEAF_FIRST	0x80000002u
#define BRAND_LEAF_LAST		0x80000004u

/* Prints the 48-byte processor brand string, if the CPU has one. */
static void print_brand(void)
{
	struct cpuid_regs r[BRAND_LEAF_LAST - BRAND_LEAF_FIRST + 1];
	char brand[sizeof(r) + 1];

	if (cpuid(0x80000000u, 0).eax < BRAND_LEAF_LAST)
		return;
	for (uint32_t leaf = BRAND_LEAF_FIRST; leaf <= BRAND_LEAF_LAST; leaf++)
		r[leaf - BRAND_LEAF_FIRST] = cpuid(leaf, 0);
	memcpy(brand, r, sizeof(r));
	brand[sizeof(r)] = '\0';
	kprintf("demo: cpu: %s\n", brand);
}

void guest_main(const struct boot_info *bi)
{
	char vendor[CPU_VENDOR_LEN + 1];
	uint64_t ram = boot_available_bytes(bi);

	cpu_vendor(vendor);
	kprintf("demo: hello from a guest (multiboot v%u)\n", bi->multiboot_version);
	kprintf("demo: vendor: %s\n", vendor);
	print_brand();
	kprintf("demo: command line: \"%s\"\n", bi->cmdline);
	check(ram > 0, "%llu KiB of RAM in %u memory ranges", ram >> 10, bi->nr_ranges);
}
