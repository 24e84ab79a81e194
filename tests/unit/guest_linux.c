/* Linux loader: a synthetic bzImage (setup sectors with a setup header,
 * then a protected-mode part of known bytes) is loaded into a host buffer
 * standing for guest RAM; the kernel, initrd, command line, zero page and
 * entry state are checked, and every header field the loader relies on is
 * broken in turn: each must fail with its own message and leave RAM zero. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/load/guest_image.h"
#include "hv/load/guest_load.h"
#include "hv/load/linux_boot.h"
#include "tests/unit/guest_image_builder.h"
#include "tests/unit/guest_load_fixture.h"

#define SETUP_BYTES	IMG_BZ_SETUP_BYTES
#define KERNEL_BYTES	0x3000
#define LOAD_ADDR	0x1000000
#define INIT_SIZE	0x800000
#define ZERO_PAGE	0x7000

static uint8_t initrd[0x2345];

static void put(uint8_t *p, size_t off, uint64_t v, size_t len)
{
	memcpy(p + off, &v, len);
}

static uint64_t get(const uint8_t *p, size_t off, size_t len)
{
	uint64_t v = 0;

	memcpy(&v, p + off, len);
	return v;
}

/* A protocol 2.15 relocatable bzImage preferring 16 MiB. */
static void build(void)
{
	const struct img_bzimage spec = { 0x20f, true, KERNEL_BYTES, LOAD_ADDR, INIT_SIZE };

	free(image);
	image = img_build_bzimage(&spec, &image_size);
}

static int setup(void **state)
{
	fixture_reset(MiB(64));
	build();
	kernel.kind = VM_KIND_LINUX;
	kernel.cmdline = "console=ttyS0 quiet";
	for (size_t j = 0; j < sizeof(initrd); j++)
		initrd[j] = (uint8_t)(j ^ 0xa5);
	return 0;
}

static void test_loads_relocatable_kernel(void **state)
{
	const uint8_t *zp = ram + ZERO_PAGE;
	uint64_t rd;

	kernel.initrd = initrd;
	kernel.initrd_size = sizeof(initrd);
	assert_int_equal(load(), 0);
	assert_int_equal(entry.mode, GUEST_PROTECTED_FLAT);
	assert_int_equal(entry.kind, VM_KIND_LINUX);
	assert_int_equal(entry.rip, LOAD_ADDR);
	assert_int_equal(entry.rsi, ZERO_PAGE);
	assert_memory_equal(ram + LOAD_ADDR, image + SETUP_BYTES, KERNEL_BYTES);
	/* The setup header is copied, the loader's fields filled. */
	assert_int_equal(get(zp, LINUX_HEADER, 4), LINUX_HDRS_MAGIC);
	assert_int_equal(get(zp, LINUX_VERSION, 2), 0x20f);
	assert_int_equal(zp[LINUX_TYPE_OF_LOADER], LINUX_LOADER_UNKNOWN);
	assert_int_equal(get(zp, LINUX_CODE32_START, 4), LOAD_ADDR);
	assert_string_equal((const char *)ram + get(zp, LINUX_CMD_LINE_PTR, 4), kernel.cmdline);
	/* The initrd at the top of RAM, page-aligned. */
	rd = get(zp, LINUX_RAMDISK_IMAGE, 4);
	assert_int_equal(get(zp, LINUX_RAMDISK_SIZE, 4), sizeof(initrd));
	assert_int_equal(rd % 4096, 0);
	assert_true(rd + sizeof(initrd) <= ram_size && rd + sizeof(initrd) + 4096 > ram_size);
	assert_memory_equal(ram + rd, initrd, sizeof(initrd));
	/* e820: low RAM, the legacy hole, RAM from 1 MiB. */
	assert_int_equal(zp[LINUX_E820_ENTRIES], 3);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 0, 8), 0);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 16, 4), 1);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 20 + 16, 4), 2);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 40, 8), 0x100000);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 48, 8), ram_size - 0x100000);
	assert_int_equal(get(zp, LINUX_E820_TABLE + 56, 4), 1);
}

static void test_auto_detects_bzimage_and_old_kernels_load_at_1m(void **state)
{
	kernel.kind = VM_KIND_AUTO;
	image[LINUX_RELOCATABLE] = 0;
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_LINUX);
	assert_int_equal(entry.rip, 0x100000);
	assert_memory_equal(ram + 0x100000, image + SETUP_BYTES, KERNEL_BYTES);
}

static void test_header_errors(void **state)
{
	put(image, LINUX_HEADER, 0x12345678, 4);
	expect_error("guest_load: not a bzImage: no \"HdrS\" setup header at 0x202");
	build();
	put(image, LINUX_VERSION, 0x205, 2);
	expect_error("guest_load: Linux boot protocol 2.05 is too old (2.06 or later needed)");
	build();
	image[LINUX_LOADFLAGS] = 0;
	expect_error("guest_load: a zImage (loadflags LOADED_HIGH clear): only bzImage kernels load");
	build();
	put(image, LINUX_SYSSIZE, KERNEL_BYTES / 16 + 1, 4);
	expect_error("guest_load: truncated bzImage: 12288 bytes of kernel, the header says 12304");
	build();
	image_size = SETUP_BYTES - 1;
	expect_error("guest_load: bzImage of 2559 bytes ends inside its 4 setup sectors");
	build();
	put(image, LINUX_KERNEL_ALIGNMENT, 0x300000, 4);
	expect_error("guest_load: bzImage kernel_alignment 0x300000 is not a power of two");
	build();
	put(image, LINUX_PREF_ADDRESS, 0x1100000, 8);
	expect_error("guest_load: bzImage pref_address 0x1100000 is below 1 MiB or not 2097152-aligned");
}

static void test_placement_errors(void **state)
{
	put(image, LINUX_INIT_SIZE, 0x3000001, 4);
	expect_error("guest_load: the kernel needs guest RAM up to 65 MiB (0x1000000 + init_size 0x3000001), the VM has 64 MiB");
	/* A pref_address whose sum with init_size wraps to 0 (found by fuzzing). */
	put(image, LINUX_PREF_ADDRESS, 0xffffffffff000000ull, 8);
	put(image, LINUX_INIT_SIZE, 0x1000000, 4);
	expect_error("guest_load: the kernel needs guest RAM up to 17592186044416 MiB (0xffffffffff000000 + init_size 0x1000000), the VM has 64 MiB");
}

static void test_initrd_and_cmdline_errors(void **state)
{
	static uint8_t big[MiB(41)];

	kernel.initrd = big;
	kernel.initrd_size = sizeof(big);
	expect_error("guest_load: initrd of 41984 KiB does not fit between the kernel's end (0x1800000) and 0x4000000");
	kernel.initrd_size = sizeof(initrd);
	put(image, LINUX_INITRD_ADDR_MAX, 0x17fffff, 4);
	expect_error("guest_load: initrd of 9 KiB does not fit between the kernel's end (0x1800000) and 0x1800000");
	build();
	put(image, LINUX_CMDLINE_SIZE, 5, 4);
	expect_error("guest_load: command line of 19 bytes is longer than the kernel's 5");
	build();
	kernel.modules = &(struct guest_module){ initrd, sizeof(initrd), "rd" };
	kernel.module_count = 1;
	expect_error("guest_load: a Linux kernel takes no role=module lines (role=initrd gives it an initrd)");
}

/* The same load into RAM whose 2 MiB pieces lie in host memory in reverse
 * order gives every guest-physical byte the flat load gives. */
static void test_scattered_ram_gets_the_same_bytes(void **state)
{
	const uint64_t piece = MiB(2), n = ram_size / piece;
	struct guest_ram_piece scattered[32];
	uint8_t *host = calloc(1, ram_size);
	struct guest_ram view = { ram_size, n, scattered };

	assert_true(n <= ARRAY_SIZE(scattered));
	assert_non_null(host);
	kernel.initrd = initrd;
	kernel.initrd_size = sizeof(initrd);
	assert_int_equal(load(), 0);
	for (uint64_t i = 0; i < n; i++)
		scattered[i] = (struct guest_ram_piece){ i * piece, piece, host + (n - 1 - i) * piece };
	assert_int_equal(guest_load(&view, &kernel, &entry, err, sizeof(err)), 0);
	for (uint64_t i = 0; i < n; i++)
		assert_memory_equal(scattered[i].host, ram + i * piece, piece);
	free(host);
}

/* Beyond 3 GiB of RAM the e820 map skips the PCI hole: the rest is at 4 GiB. */
static void test_memory_map_of_a_large_vm(void **state)
{
	struct guest_region map[GUEST_MEMMAP_MAX];

	assert_int_equal(guest_memory_map(GiB(5), map), 4);
	assert_int_equal(map[2].base, MiB(1));
	assert_int_equal(map[2].length, GiB(3) - MiB(1));
	assert_int_equal(map[3].base, GiB(4));
	assert_int_equal(map[3].length, GiB(2));
	assert_int_equal(map[3].type, map[2].type);
	assert_int_equal(guest_memory_map(GiB(3), map), 3);
	assert_int_equal(guest_ram_gpa(GiB(3) - 1), GiB(3) - 1);
	assert_int_equal(guest_ram_gpa(GiB(3)), GiB(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loads_relocatable_kernel, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_auto_detects_bzimage_and_old_kernels_load_at_1m,
						setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_header_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_placement_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_initrd_and_cmdline_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_scattered_ram_gets_the_same_bytes, setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_memory_map_of_a_large_vm, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
