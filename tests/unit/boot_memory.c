/* From a parsed memory map to the free ranges the page allocator gets:
 * boot_memory_map()'s inputs fed to pmm_free_ranges(), for an OVMF map
 * (the EFI map GRUB passed with 8 GiB on QEMU q35) and for firmware that
 * lists one byte as both free and not; and the page below 1 MiB the APs'
 * start-up code takes from the same inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/boot_memory.h"
#include "lib/multiboot2.h"

/* The image's linker symbols, unused here (pmm reserves the image, not
 * this code); the C runtime has a __data_start of its own. */
char __image_start[1], __text_start[1], __text_end[1], __rodata_start[1],
	__rodata_end[1], __data_end[1], __image_end[1];

/* An info block with one module, as GRUB leaves it in loader memory. */
static struct {
	struct mb2_info_header header;
	struct mb2_tag_module module;
	char string[8];
	struct mb2_tag end;
} __attribute__((aligned(8))) block = {
	{ sizeof(block), 0 },
	{ { MB2_TAG_MODULE, sizeof(block.module) + sizeof(block.string) },
	  0x1000000, 0x1234567, },
	"vm=a",
	{ MB2_TAG_END, sizeof(struct mb2_tag) },
};

static struct boot_info info;
static struct mem_range free_ranges[PMM_MAX_RANGES];

/* What mb2_parse() makes of `block` with the memory map `mem`. The block
 * itself is at a host address, outside every map here. */
static void set_map(const struct boot_mem_region *mem, size_t n)
{
	memset(&info, 0, sizeof(info));
	info.info_start = (uintptr_t)&block;
	info.info_end = info.info_start + sizeof(block);
	info.module_count = 1;
	info.mem_count = n;
	memcpy(info.mem, mem, n * sizeof(*mem));
}

/* Run both steps; returns the number of free ranges in free_ranges. */
static int free_ranges_of_map(void)
{
	struct pmm_boot_map boot;

	assert_int_equal(boot_memory_map(&info, &boot), 0);
	return pmm_free_ranges(boot.map.usable, boot.map.nr_usable,
			       boot.reserved, boot.nr_reserved,
			       free_ranges, PMM_MAX_RANGES);
}

static uint64_t free_bytes(int n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += free_ranges[i].end - free_ranges[i].start;
	return sum;
}

/* OVMF with -m 8192 (boot/mb2_mmap.c's translation of its 131 descriptors,
 * as `loglevel=debug` prints them): free is every available range less
 * the module; the ECAM window, runtime and ACPI memory stay out. */
static void test_ovmf_8g(void **state)
{
	static const struct boot_mem_region ovmf[] = {
		{ 0, 0xa0000, MB2_MEMORY_AVAILABLE },
		{ 0x100000, 0x700000, MB2_MEMORY_AVAILABLE },
		{ 0x800000, 0x8000, MB2_MEMORY_NVS },
		{ 0x808000, 0x3000, MB2_MEMORY_AVAILABLE },
		{ 0x80b000, 0x1000, MB2_MEMORY_NVS },
		{ 0x80c000, 0x4000, MB2_MEMORY_AVAILABLE },
		{ 0x810000, 0xf0000, MB2_MEMORY_NVS },
		{ 0x900000, 0x7e1a4000, MB2_MEMORY_AVAILABLE },
		{ 0x7eaa4000, 0xc1000, MB2_MEMORY_RESERVED },
		{ 0x7eb65000, 0x988000, MB2_MEMORY_AVAILABLE },
		{ 0x7f4ed000, 0x280000, MB2_MEMORY_RESERVED },
		{ 0x7f76d000, 0x12000, MB2_MEMORY_ACPI_RECLAIMABLE },
		{ 0x7f77f000, 0x80000, MB2_MEMORY_NVS },
		{ 0x7f7ff000, 0x751000, MB2_MEMORY_AVAILABLE },
		{ 0x7ff50000, 0x20000, MB2_MEMORY_RESERVED },
		{ 0x7ff70000, 0x90000, MB2_MEMORY_NVS },
		{ 0x100000000, 0x180000000, MB2_MEMORY_AVAILABLE },
		{ 0xb0000000, 0x10000000, MB2_MEMORY_RESERVED },
	};
	uint64_t available = 0;
	int n;

	set_map(ovmf, ARRAY_SIZE(ovmf));
	for (size_t i = 0; i < ARRAY_SIZE(ovmf); i++)
		if (ovmf[i].type == MB2_MEMORY_AVAILABLE)
			available += ovmf[i].length;
	n = free_ranges_of_map();
	assert_true(n > 0);
	/* The module's pages are taken out. */
	assert_int_equal(free_bytes(n), available - 0x235000);
	assert_int_equal(free_ranges[n - 1].start, 0x100000000);
	assert_int_equal(free_ranges[n - 1].end, 0x280000000);
}

/* Overlapping entries, either order: the overlap is not free. */
static void test_overlap_not_free(void **state)
{
	const struct boot_mem_region overlap[] = {
		{ 0x100000, 0x100000, MB2_MEMORY_AVAILABLE },
		{ 0x180000, 0x100000, MB2_MEMORY_RESERVED },
		{ 0x3000000, 0x1000000, MB2_MEMORY_NVS },
		{ 0x2000000, 0x3000000, MB2_MEMORY_AVAILABLE },
	};
	int n;

	set_map(overlap, ARRAY_SIZE(overlap));
	n = free_ranges_of_map();
	assert_int_equal(n, 3);
	assert_int_equal(free_ranges[0].start, 0x100000);
	assert_int_equal(free_ranges[0].end, 0x180000);
	assert_int_equal(free_ranges[1].start, 0x2000000);
	assert_int_equal(free_ranges[1].end, 0x3000000);
	assert_int_equal(free_ranges[2].start, 0x4000000);
	assert_int_equal(free_ranges[2].end, 0x5000000);
}

/* The start-up page boot_memory_low_page() picks for the map `mem`. */
static uint64_t low_page_of_map(const struct boot_mem_region *mem, size_t n)
{
	struct pmm_boot_map boot;

	set_map(mem, n);
	assert_int_equal(boot_memory_map(&info, &boot), 0);
	return boot_memory_low_page(&boot);
}

/* SeaBIOS's map (QEMU pc): free to the EBDA at 0x9fc00, whose page is
 * partly reserved; the highest whole free page is below it. */
static void test_low_page_seabios(void **state)
{
	static const struct boot_mem_region seabios[] = {
		{ 0, 0x9fc00, MB2_MEMORY_AVAILABLE },
		{ 0x9fc00, 0x400, MB2_MEMORY_RESERVED },
		{ 0xf0000, 0x10000, MB2_MEMORY_RESERVED },
		{ 0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE },
	};

	assert_int_equal(low_page_of_map(seabios, ARRAY_SIZE(seabios)), 0x9e000);
}

/* OVMF's map: the whole 640 KiB is free once boot services have ended. */
static void test_low_page_ovmf(void **state)
{
	static const struct boot_mem_region ovmf[] = {
		{ 0, 0xa0000, MB2_MEMORY_AVAILABLE },
		{ 0x100000, 0x700000, MB2_MEMORY_AVAILABLE },
	};

	assert_int_equal(low_page_of_map(ovmf, ARRAY_SIZE(ovmf)), 0x9f000);
}

/* A range listed as free and as reserved is not free: the page comes from
 * below it, and never from above 1 MiB. */
static void test_low_page_skips_reserved(void **state)
{
	static const struct boot_mem_region map[] = {
		{ 0, 0xa0000, MB2_MEMORY_AVAILABLE },
		{ 0x9b800, 0x4800, MB2_MEMORY_RESERVED },
		{ 0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE },
	};

	assert_int_equal(low_page_of_map(map, ARRAY_SIZE(map)), 0x9a000);
}

/* Firmware that keeps everything below 1 MiB but page 0 leaves no page:
 * page 0 (the real-mode IVT and BIOS data) is never chosen. */
static void test_low_page_none(void **state)
{
	static const struct boot_mem_region map[] = {
		{ 0, 0x1000, MB2_MEMORY_AVAILABLE },
		{ 0x1000, 0xff000, MB2_MEMORY_RESERVED },
		{ 0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE },
	};

	assert_int_equal(low_page_of_map(map, ARRAY_SIZE(map)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ovmf_8g),
		cmocka_unit_test(test_overlap_not_free),
		cmocka_unit_test(test_low_page_seabios),
		cmocka_unit_test(test_low_page_ovmf),
		cmocka_unit_test(test_low_page_skips_reserved),
		cmocka_unit_test(test_low_page_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
