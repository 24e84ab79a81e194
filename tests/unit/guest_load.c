/* Guest loader: synthetic multiboot1/2 ELF32/ELF64, a.out-kludge and flat
 * images are loaded into a host buffer standing for guest RAM; the segment
 * bytes, bss, modules, boot information and entry state are checked, and
 * every kind of bad input must fail with its message and leave RAM as it
 * was. Images live in exactly-sized heap buffers so AddressSanitizer sees
 * any read past them. */
#include <elf.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/mb2_info.h"
#include "hv/load/guest_load.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"
#include "tests/unit/guest_image_builder.h"
#include "tests/unit/guest_load_fixture.h"

static uint8_t header[600];

static int setup(void **state)
{
	fixture_reset(MiB(8));
	return 0;
}

static void build(const struct img_elf *spec)
{
	free(image);
	image = img_build_elf(spec, &image_size);
}

/* A raw (non-ELF) image of `size` bytes, byte j = j ^ 0x5a, with `hdr` at `at`. */
static void build_raw(size_t size, const void *hdr, size_t hdr_len, size_t at)
{
	size_t j;

	free(image);
	image = malloc(size);
	assert_non_null(image);
	for (j = 0; j < size; j++)
		image[j] = (uint8_t)(j ^ 0x5a);
	memcpy(image + at, hdr, hdr_len);
	image_size = size;
}


/* An ELF kernel with one text+bss segment at 1 MiB and header `hdr`. */
static struct img_elf one_segment_elf(unsigned class, const void *hdr, size_t len)
{
	return (struct img_elf){
		.class = class,
		.entry = 0x100010,
		.nseg = 1,
		.seg = { { .paddr = 0x100000, .filesz = 0x300, .memsz = 0x2000, .fill = 7 } },
		.header = hdr,
		.header_len = len,
	};
}

static size_t mb1_header(uint32_t flags)
{
	return img_mb1_header(header, flags, NULL);
}

/* A multiboot2 header with no tags but the end tag, in `header`. */
static size_t mb2_plain_header(void)
{
	struct img_mb2 h;

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_end(&h);
	memcpy(header, h.bytes, h.len);
	return h.len;
}

/* The segment's file bytes are in RAM at paddr, then zeros up to memsz. */
static void check_segment(const struct img_segment *s)
{
	uint64_t j;

	for (j = 0; j < s->filesz; j++)
		assert_int_equal(ram[s->paddr + j], img_byte(s->fill, j));
	for (; j < s->memsz; j++)
		assert_int_equal(ram[s->paddr + j], 0);
}

static const char *guest_string(uint32_t gpa)
{
	assert_true(gpa < ram_size);
	assert_non_null(memchr(ram + gpa, '\0', ram_size - gpa));
	return (const char *)ram + gpa;
}

/* The multiboot1 info at `gpa`: fields and the standard memory map. */
static struct mb1_info check_mb1_info(uint64_t gpa, const char *cmdline)
{
	static const struct { uint64_t base, len; uint32_t type; } expected[3] = {
		{ 0, 0xA0000, MB1_MEMORY_AVAILABLE },
		{ 0xA0000, 0x60000, MB1_MEMORY_RESERVED },
		{ 0x100000, 0, MB1_MEMORY_AVAILABLE },	/* len: ram_size - 1 MiB */
	};
	struct mb1_info info;
	struct mb1_mmap_entry e;
	size_t i;

	memcpy(&info, ram + gpa, sizeof(info));
	assert_int_equal(info.flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
				     MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME);
	assert_int_equal(info.mem_lower, 640);
	assert_int_equal(info.mem_upper, (ram_size - MiB(1)) / 1024);
	assert_string_equal(guest_string(info.cmdline), cmdline);
	assert_string_equal(guest_string(info.boot_loader_name), "hv");
	assert_int_equal(info.mmap_length, 3 * sizeof(e));
	for (i = 0; i < 3; i++) {
		memcpy(&e, ram + info.mmap_addr + i * sizeof(e), sizeof(e));
		assert_int_equal(e.size, 20);
		assert_int_equal(e.base_addr, expected[i].base);
		assert_int_equal(e.length, i == 2 ? ram_size - MiB(1) : expected[i].len);
		assert_int_equal(e.type, expected[i].type);
	}
	return info;
}

static void test_mb1_elf32(void **state)
{
	struct img_elf spec = one_segment_elf(ELFCLASS32, header, mb1_header(MB1_HEADER_PAGE_ALIGN |
									      MB1_HEADER_MEMORY_INFO));
	struct mb1_info info;

	build(&spec);
	memset(ram, 0xcc, ram_size);	/* bss must be zeroed, not assumed zero */
	kernel.cmdline = "console=ttyS0 debug";
	assert_int_equal(load(), 0);
	check_segment(&spec.seg[0]);
	assert_int_equal(entry.mode, GUEST_PROTECTED_FLAT);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT);
	assert_int_equal(entry.rip, 0x100010);
	assert_int_equal(entry.rax, MB1_BOOT_MAGIC);
	assert_int_equal(entry.rbx, 0x1000);	/* first free page below 640 KiB */
	info = check_mb1_info(entry.rbx, "console=ttyS0 debug");
	assert_int_equal(info.mods_count, 0);
}

static void test_mb1_elf64_with_modules(void **state)
{
	struct img_elf spec = one_segment_elf(ELFCLASS64, header, mb1_header(0));
	static uint8_t mod0[5000], mod1[100];
	struct guest_module mods[2] = {
		{ .data = mod0, .size = sizeof(mod0), .string = "mod one arg" },
		{ .data = mod1, .size = sizeof(mod1), .string = NULL },
	};
	struct mb1_module m[2];
	struct mb1_info info;

	memset(mod0, 0x11, sizeof(mod0));
	memset(mod1, 0x22, sizeof(mod1));
	build(&spec);
	kernel.modules = mods;
	kernel.module_count = 2;
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT);
	info = check_mb1_info(entry.rbx, "");
	assert_int_equal(info.mods_count, 2);
	memcpy(m, ram + info.mods_addr, sizeof(m));
	/* Page aligned, in order, after the kernel's bss (ends 0x102000). */
	assert_int_equal(m[0].mod_start, 0x102000);
	assert_int_equal(m[0].mod_end, 0x102000 + sizeof(mod0));
	assert_int_equal(m[1].mod_start, 0x104000);
	assert_int_equal(m[1].mod_end, 0x104000 + sizeof(mod1));
	assert_memory_equal(ram + m[0].mod_start, mod0, sizeof(mod0));
	assert_memory_equal(ram + m[1].mod_start, mod1, sizeof(mod1));
	assert_string_equal(guest_string(m[0].string), "mod one arg");
	assert_string_equal(guest_string(m[1].string), "");
}

/* The multiboot2 tag of `type` in the info block at gpa, or NULL. */
static const uint8_t *find_mb2_tag(uint64_t gpa, uint32_t type)
{
	struct mb2_info_header h;
	struct mb2_tag tag;
	uint64_t pos;

	memcpy(&h, ram + gpa, sizeof(h));
	for (pos = gpa + sizeof(h); pos < gpa + h.total_size;
	     pos += ALIGN_UP(tag.size, MB2_TAG_ALIGN)) {
		memcpy(&tag, ram + pos, sizeof(tag));
		if (tag.type == type)
			return ram + pos;
		if (tag.type == MB2_TAG_END)
			break;
	}
	return NULL;
}

static void test_mb2_elf64_higher_half(void **state)
{
	struct img_elf spec = {
		.class = ELFCLASS64,
		.entry = 0xffffffff80200040,
		.nseg = 3,
		.seg = {
			{ .paddr = 0x200000, .vaddr = 0xffffffff80200000, .filesz = 0x500,
			  .memsz = 0x500, .fill = 1 },
			{ .type = PT_NOTE, .paddr = 0x5000, .filesz = 0x10, .memsz = 0x10 },
			{ .paddr = 0x300000, .vaddr = 0xffffffff80300000, .filesz = 0x100,
			  .memsz = 0x3000, .fill = 9 },
		},
		.header = header,
		.header_len = mb2_plain_header(),
	};
	static uint8_t mod[3000];
	struct guest_module gm = { .data = mod, .size = sizeof(mod), .string = "initrd --x" };
	struct boot_info bi;
	struct boot_module bm;
	size_t cursor = 0;
	const uint8_t *meminfo;
	uint32_t kib[2];
	char perr[160];

	memset(mod, 0x33, sizeof(mod));
	build(&spec);
	kernel.cmdline = "root=/dev/ram0";
	kernel.modules = &gm;
	kernel.module_count = 1;
	assert_int_equal(load(), 0);
	check_segment(&spec.seg[0]);
	check_segment(&spec.seg[2]);
	assert_int_equal(ram[0x5000], 0);	/* PT_NOTE is not loaded */
	assert_int_equal(entry.mode, GUEST_PROTECTED_FLAT);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT2);
	assert_int_equal(entry.rip, 0x200040);	/* e_entry through the segment */
	assert_int_equal(entry.rax, MB2_BOOT_MAGIC);
	assert_int_equal(entry.rbx, 0x1000);

	/* The hypervisor's own parser accepts the block: it is well-formed. */
	assert_int_equal(mb2_parse(ram + entry.rbx, &bi, perr, sizeof(perr)), 0);
	assert_string_equal(bi.cmdline, "root=/dev/ram0");
	assert_string_equal(bi.loader_name, "hv");
	assert_int_equal(bi.mem_count, 3);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[0].length, 0xA0000);
	assert_int_equal(bi.mem[0].type, MB2_MEMORY_AVAILABLE);
	assert_int_equal(bi.mem[1].base, 0xA0000);
	assert_int_equal(bi.mem[1].length, 0x60000);
	assert_int_equal(bi.mem[1].type, MB2_MEMORY_RESERVED);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem[2].length, ram_size - MiB(1));
	assert_int_equal(bi.mem[2].type, MB2_MEMORY_AVAILABLE);
	assert_int_equal(bi.module_count, 1);
	assert_true(mb2_next_module(&bi, &cursor, &bm));
	assert_int_equal(bm.start, 0x303000);	/* after the data's bss */
	assert_int_equal(bm.end, 0x303000 + sizeof(mod));
	assert_string_equal(bm.string, "initrd --x");
	assert_memory_equal(ram + bm.start, mod, sizeof(mod));
	assert_int_equal(bi.rsdp[BOOT_RSDP_NEW].len, 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_OLD].len, 0);

	meminfo = find_mb2_tag(entry.rbx, MB2_TAG_BASIC_MEMINFO);
	assert_non_null(meminfo);
	memcpy(kib, meminfo + sizeof(struct mb2_tag), sizeof(kib));
	assert_int_equal(kib[0], 640);
	assert_int_equal(kib[1], (ram_size - MiB(1)) / 1024);
}

static void test_mb2_entry_tag_overrides_elf(void **state)
{
	struct img_mb2 h;
	uint32_t entry_addr = 0x100200;
	struct img_elf spec;

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ENTRY_ADDRESS, 0, &entry_addr, 4);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	assert_int_equal(load(), 0);
	assert_int_equal(entry.rip, 0x100200);
}

static void test_mb2_address_tag_raw_image(void **state)
{
	/* header_addr, load_addr, load_end_addr (0: whole file), bss_end_addr */
	uint32_t address[4] = { 0x100040, 0x100000, 0, 0x105000 };
	uint32_t entry_addr = 0x100080;
	struct img_mb2 h;
	size_t j;

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ADDRESS, 0, address, sizeof(address));
	img_mb2_tag(&h, MB2_HEADER_TAG_ENTRY_ADDRESS, 0, &entry_addr, 4);
	img_mb2_end(&h);
	build_raw(0x3000, h.bytes, h.len, 0x40);
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT2);
	assert_int_equal(entry.rip, 0x100080);
	assert_memory_equal(ram + 0x100000, image, image_size);
	for (j = 0x103000; j < 0x105000; j++)
		assert_int_equal(ram[j], 0);
}

static void test_mb1_aout_kludge(void **state)
{
	/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
	const uint32_t addr[5] = { 0x200020, 0x200000, 0x201000, 0x202000, 0x200100 };
	size_t len = img_mb1_header(header, MB1_HEADER_AOUT_KLUDGE | MB1_HEADER_MEMORY_INFO, addr);

	build_raw(0x1800, header, len, 0x20);
	memset(ram, 0xcc, ram_size);
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT);
	assert_int_equal(entry.rip, 0x200100);
	assert_int_equal(entry.rax, MB1_BOOT_MAGIC);
	/* load_end_addr stops the copy before the file's end; then bss. */
	assert_memory_equal(ram + 0x200000, image, 0x1000);
	assert_int_equal(ram[0x201000], 0);
	assert_int_equal(ram[0x201fff], 0);
	assert_int_equal(ram[0x202000], 0xcc);
	check_mb1_info(entry.rbx, "");
}

static void test_kind_choice_with_both_headers(void **state)
{
	size_t len = mb2_plain_header();
	struct img_elf spec;

	len += img_mb1_header(header + len, 0, NULL);
	spec = one_segment_elf(ELFCLASS32, header, len);
	build(&spec);
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT2);
	assert_int_equal(entry.rax, MB2_BOOT_MAGIC);

	new_ram(MiB(8));
	kernel.kind = VM_KIND_MULTIBOOT;
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT);
	assert_int_equal(entry.rax, MB1_BOOT_MAGIC);
	check_mb1_info(entry.rbx, "");

	new_ram(MiB(8));
	kernel.kind = VM_KIND_MULTIBOOT2;
	assert_int_equal(load(), 0);
	assert_int_equal(entry.kind, VM_KIND_MULTIBOOT2);
}

static void test_flat(void **state)
{
	size_t j;

	build_raw(512, "", 0, 0);
	kernel.kind = VM_KIND_FLAT;
	assert_int_equal(load(), 0);
	assert_int_equal(entry.mode, GUEST_REAL_MODE);
	assert_int_equal(entry.kind, VM_KIND_FLAT);
	assert_int_equal(entry.rip, GUEST_RESET_IP);
	assert_int_equal(entry.rax, 0);
	assert_int_equal(entry.rbx, 0);
	assert_int_equal(GUEST_RESET_CS_BASE + GUEST_RESET_IP, 0xFFFF0);
	assert_memory_equal(ram + 0x100000 - 512, image, 512);
	/* The last 16 bytes sit at the reset vector. */
	assert_memory_equal(ram + 0xFFFF0, image + 512 - 16, 16);
	for (j = 0; j < 0x100000 - 512; j++)
		assert_int_equal(ram[j], 0);

	new_ram(MiB(8));
	build_raw(KiB(64), "", 0, 0);
	assert_int_equal(load(), 0);
	assert_memory_equal(ram + 0xF0000, image, KiB(64));
}

static void test_info_placed_high_when_low_ram_is_taken(void **state)
{
	struct img_elf spec = {
		.class = ELFCLASS32,
		.entry = 0x1000,
		.nseg = 1,
		.seg = { { .paddr = 0x1000, .filesz = 0x100, .memsz = 0x9F000, .fill = 3 } },
		.header = header,
		.header_len = mb1_header(0),
	};
	static uint8_t mod[0x1800];
	struct guest_module gm = { .data = mod, .size = sizeof(mod), .string = "m" };
	struct mb1_info info;
	struct mb1_module m;

	build(&spec);
	kernel.modules = &gm;
	kernel.module_count = 1;
	assert_int_equal(load(), 0);
	check_segment(&spec.seg[0]);
	info = check_mb1_info(entry.rbx, "");
	memcpy(&m, ram + info.mods_addr, sizeof(m));
	assert_int_equal(m.mod_start, 0x100000);	/* above 1 MiB, not in the hole */
	assert_int_equal(entry.rbx, 0x102000);		/* after the module */
}

static void test_bad_requests(void **state)
{
	static uint8_t mod[16];
	struct guest_module mods[GUEST_MODULES_MAX + 1];
	size_t i;

	build_raw(0x1000, "", 0, 0);
	ram_size = MiB(1);
	assert_int_equal(load(), -1);
	assert_string_equal(err, "guest_load: guest RAM size 0x100000 is not a 4 KiB multiple of at least 2 MiB");
	ram_size = MiB(2) + 1;
	assert_int_equal(load(), -1);
	assert_string_equal(err, "guest_load: guest RAM size 0x200001 is not a 4 KiB multiple of at least 2 MiB");
	ram_size = MiB(8);
	ram_view();
	pieces[3].gpa += KiB(4);		/* a gap between pieces 2 and 3 */
	kernel.image = image;
	kernel.image_size = image_size;
	assert_int_equal(guest_load(&guest_ram, &kernel, &entry, err, sizeof(err)), -1);
	assert_string_equal(err, "guest_load: guest RAM pieces do not cover its 8 MiB in order");
	guest_ram.nr_pieces = 7;		/* one short */
	pieces[3].gpa -= KiB(4);
	assert_int_equal(guest_load(&guest_ram, &kernel, &entry, err, sizeof(err)), -1);
	assert_string_equal(err, "guest_load: guest RAM pieces do not cover its 8 MiB in order");

	kernel.image_size = 0;
	assert_int_equal(guest_load(ram_view(), &kernel, &entry, err, sizeof(err)), -1);
	assert_string_equal(err, "guest_load: empty kernel image");

	for (i = 0; i < ARRAY_SIZE(mods); i++)
		mods[i] = (struct guest_module){ .data = mod, .size = sizeof(mod) };
	build_raw(0x1000, "", 0, 0);
	kernel.modules = mods;
	kernel.module_count = ARRAY_SIZE(mods);
	expect_error("guest_load: 9 modules, at most 8 supported");
	mods[1].size = 0;
	kernel.module_count = 2;
	expect_error("guest_load: module 1 is empty");
	kernel.module_count = 0;

	kernel.kind = 7;
	expect_error("guest_load: unknown kernel kind 7");
	kernel.kind = VM_KIND_AUTO;

	/* A truncated message still ends in a NUL. */
	ram_size = MiB(1);
	assert_int_equal(guest_load(ram_view(), &kernel, &entry, err, 20), -1);
	assert_string_equal(err, "guest_load: guest R");
}

static void test_image_larger_than_mem(void **state)
{
	new_ram(MiB(2));
	build_raw(MiB(3), "", 0, 0);
	expect_error("guest_load: image of 3072 KiB is larger than guest RAM (2 MiB)");
}

static void test_no_or_bad_header(void **state)
{
	uint8_t bad[12];
	struct img_mb2 h;

	build_raw(0x9000, "", 0, 0);
	memset(image, 0, image_size);
	expect_error("guest_load: no multiboot or multiboot2 header (kind=flat loads a flat binary)");
	kernel.kind = VM_KIND_MULTIBOOT;
	expect_error("guest_load: no multiboot header (magic 0x1badb002) in the first 8 KiB");
	kernel.kind = VM_KIND_MULTIBOOT2;
	expect_error("guest_load: no multiboot2 header (magic 0xe85250d6) in the first 32 KiB");

	/* A header beyond the search window is not seen. */
	img_mb1_header(bad, 0, NULL);
	memcpy(image + 8192, bad, sizeof(bad));
	kernel.kind = VM_KIND_MULTIBOOT;
	expect_error("guest_load: no multiboot header (magic 0x1badb002) in the first 8 KiB");
	/* Nor a misaligned one. */
	memset(image, 0, image_size);
	memcpy(image + 0x102, bad, sizeof(bad));
	expect_error("guest_load: no multiboot header (magic 0x1badb002) in the first 8 KiB");

	memset(image, 0, image_size);
	memcpy(image + 0x100, bad, sizeof(bad));
	image[0x100 + 8] ^= 1;		/* checksum */
	kernel.kind = VM_KIND_AUTO;
	expect_error("guest_load: multiboot header at 0x100 has a bad checksum");

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_end(&h);
	h.bytes[12] ^= 1;
	build_raw(0x2000, h.bytes, h.len, 0x208);
	expect_error("guest_load: multiboot2 header at 0x208 has a bad checksum");
}

static void test_mb1_header_errors(void **state)
{
	const uint32_t addr[5] = { 0x100000, 0x100000, 0, 0, 0x100000 };
	struct img_elf spec = one_segment_elf(ELFCLASS32, header,
					       mb1_header(MB1_HEADER_VIDEO_MODE | MB1_HEADER_PAGE_ALIGN));

	build(&spec);
	expect_error("guest_load: multiboot header flags 0x5 require features hv lacks (supported: 0x3)");
	spec.header_len = mb1_header(1u << 15);
	build(&spec);
	expect_error("guest_load: multiboot header flags 0x8000 require features hv lacks (supported: 0x3)");
	/* Bits above 15 are not requirements. */
	spec.header_len = mb1_header(1u << 20);
	build(&spec);
	assert_int_equal(load(), 0);

	new_ram(MiB(8));
	img_mb1_header(header, MB1_HEADER_AOUT_KLUDGE, addr);
	build_raw(0x3000, header, 12, 8192 - 12);
	expect_error("guest_load: multiboot header at 0x1ff4: its address fields run past the first 8 KiB");
	build_raw(0x1000 + 12, header, 12, 0x1000);
	expect_error("guest_load: multiboot header at 0x1000: its address fields run past the image");
}

static void test_aout_errors(void **state)
{
	static const struct {
		uint32_t addr[5];
		const char *error;
	} cases[] = {
		{ { 0x100000, 0x100020, 0, 0, 0x100020 },
		  "guest_load: multiboot load_addr 0x100020 is above header_addr 0x100000" },
		{ { 0x100100, 0x100000, 0, 0, 0x100000 },
		  "guest_load: multiboot load_addr 0x100000 would start 0xe0 bytes before the image" },
		{ { 0x100020, 0x100000, 0x0ff000, 0, 0x100000 },
		  "guest_load: multiboot load_end_addr 0xff000 is below load_addr 0x100000" },
		{ { 0x100020, 0x100000, 0x101000, 0x100800, 0x100000 },
		  "guest_load: multiboot bss_end_addr 0x100800 is below the load end 0x101000" },
		{ { 0x100020, 0x100000, 0x102000, 0, 0x100000 },
		  "guest_load: segment 0 file bytes [0x0, +0x2000) are outside the 4096-byte image" },
		{ { 0x100020, 0x100000, 0, 0, 0x200000 },
		  "guest_load: entry 0x200000 is not inside a loaded segment" },
		{ { 0x20, 0x0, 0, 0, 0x0 },
		  "guest_load: segment 0 [0x0, 0x1000) overlaps the first 4 KiB [0, 0x1000)" },
		{ { 0x800020, 0x800000, 0, 0, 0x800000 },
		  "guest_load: segment 0 [0x800000, 0x801000) outside guest RAM (8 MiB)" },
		{ { 0x100020, 0x100000, 0x100000, 0, 0x100000 },
		  "guest_load: segment 0 is empty" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = img_mb1_header(header, MB1_HEADER_AOUT_KLUDGE, cases[i].addr);

		build_raw(0x1000, header, len, 0x20);
		expect_error(cases[i].error);
	}
}

static void test_elf_errors(void **state)
{
	struct img_elf spec = one_segment_elf(ELFCLASS32, header, mb1_header(0));
	uint8_t tiny[28] = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, EV_CURRENT };
	size_t i;

	/* A multiboot header but no ELF and no address fields. */
	build_raw(0x1000, header, 12, 0x100);
	expect_error("guest_load: not an ELF image (no \\177ELF magic)");

	img_mb1_header(tiny + 16, 0, NULL);
	build_raw(sizeof(tiny), tiny, sizeof(tiny), 0);
	expect_error("guest_load: ELF header truncated (28-byte image)");

	build(&spec);
	image[EI_CLASS] = 3;
	expect_error("guest_load: ELF class 3 is neither 32- nor 64-bit");
	image[EI_CLASS] = ELFCLASS32;
	image[EI_DATA] = ELFDATA2MSB;
	expect_error("guest_load: ELF is not little-endian version 1");

	spec.class = ELFCLASS64;
	spec.machine = EM_386;
	build(&spec);
	expect_error("guest_load: ELF64 machine 3 is not x86-64");
	spec.class = ELFCLASS32;
	spec.machine = EM_X86_64;
	build(&spec);
	expect_error("guest_load: ELF32 machine 62 is not i386");
	spec.machine = 0;
	spec.type = ET_DYN;
	build(&spec);
	expect_error("guest_load: ELF type 3 is not an executable");
	spec.type = 0;
	spec.phentsize = 40;
	build(&spec);
	expect_error("guest_load: ELF program header size 40, expected 32");
	spec.phentsize = 0;

	/* Program headers past the end of the file. */
	spec.phoff = 0x12f0;
	build(&spec);
	expect_error("guest_load: ELF program headers [0x12f0, +0x20) outside the 4864-byte image");
	spec.phoff = 0xfffffff0;
	build(&spec);
	expect_error("guest_load: ELF program headers [0xfffffff0, +0x20) outside the 4864-byte image");
	spec.phoff = 0;

	/* Only non-loadable segments. */
	spec.seg[0].type = PT_NOTE;
	build(&spec);
	expect_error("guest_load: no loadable segments");
	spec.seg[0].type = 0;

	spec.nseg = 17;
	for (i = 0; i < spec.nseg; i++)
		spec.seg[i] = (struct img_segment){ .paddr = 0x100000 + i * 0x1000,
						    .filesz = 0x10, .memsz = 0x1000 };
	build(&spec);
	expect_error("guest_load: more than 16 loadable ELF segments");
	spec.nseg = 16;
	build(&spec);
	assert_int_equal(load(), 0);
}

static void test_segment_errors(void **state)
{
	struct img_elf spec = {
		.class = ELFCLASS64,
		.entry = 0x100000,
		.nseg = 3,
		.seg = {
			{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x1000 },
			{ .paddr = 0x180000, .filesz = 0x100, .memsz = 0x1000 },
			{ .paddr = 0x200000, .filesz = 0x100, .memsz = 0x4E00000 },
		},
		.header = header,
		.header_len = mb1_header(0),
	};

	new_ram(MiB(32));
	build(&spec);
	expect_error("guest_load: segment 2 [0x200000, 0x5000000) outside guest RAM (32 MiB)");
	spec.seg[2].paddr = 0xfffffffffffff000;
	build(&spec);
	expect_error("guest_load: segment 2 [0xfffffffffffff000, 0x4dff000) outside guest RAM (32 MiB)");

	spec.seg[2] = (struct img_segment){ .paddr = 0x180800, .filesz = 0x10, .memsz = 0x10 };
	build(&spec);
	expect_error("guest_load: segments 1 and 2 overlap");
	spec.seg[2] = (struct img_segment){ .paddr = 0xff000, .filesz = 0x10, .memsz = 0x1001 };
	build(&spec);
	expect_error("guest_load: segment 2 [0xff000, 0x100001) overlaps the hole [0xa0000, 0x100000)");
	spec.seg[2] = (struct img_segment){ .paddr = 0x9f000, .filesz = 0x10, .memsz = 0x1001 };
	build(&spec);
	expect_error("guest_load: segment 2 [0x9f000, 0xa0001) overlaps the hole [0xa0000, 0x100000)");
	spec.seg[2] = (struct img_segment){ .paddr = 0xfff, .filesz = 0x10, .memsz = 0x10 };
	build(&spec);
	expect_error("guest_load: segment 2 [0xfff, 0x100f) overlaps the first 4 KiB [0, 0x1000)");

	spec.seg[2] = (struct img_segment){ .paddr = 0x300000, .filesz = 0x200, .memsz = 0x100 };
	build(&spec);
	expect_error("guest_load: segment 2 file size 0x200 is larger than its memory size 0x100");

	/* Truncate the file in the middle of the last segment's bytes. */
	spec.seg[2] = (struct img_segment){ .paddr = 0x300000, .filesz = 0x100, .memsz = 0x100 };
	build(&spec);
	image_size -= 0x20;
	image = realloc(image, image_size);
	expect_error("guest_load: segment 2 file bytes [0x1200, +0x100) are outside the 4832-byte image");

	spec.entry = 0x101000;		/* just past segment 0 */
	build(&spec);
	expect_error("guest_load: entry 0x101000 is not inside a loaded segment");
	spec.entry = 0x300000 + 0xff;	/* the last byte of segment 2 */
	build(&spec);
	assert_int_equal(load(), 0);
}

static void test_no_room(void **state)
{
	struct img_elf spec = {
		.class = ELFCLASS32,
		.entry = 0x100000,
		.nseg = 1,
		.seg = { { .paddr = 0x100000, .filesz = 0x10, .memsz = 0x80000 } },
		.header = header,
		.header_len = mb1_header(0),
	};
	static uint8_t mod[MiB(1)];
	struct guest_module gm = { .data = mod, .size = sizeof(mod), .string = "big" };

	new_ram(MiB(2));
	build(&spec);
	kernel.modules = &gm;
	kernel.module_count = 1;
	expect_error("guest_load: no room for module 0 (1024 KiB) at 0x180000 in 2 MiB of guest RAM");
	gm.size = 0x80000;		/* exactly fills RAM: still fine */
	assert_int_equal(load(), 0);

	/* The kernel covers all low RAM and everything from 1 MiB. */
	new_ram(MiB(2));
	spec.nseg = 2;
	spec.seg[0] = (struct img_segment){ .paddr = 0x1000, .filesz = 0x10, .memsz = 0x9F000 };
	spec.seg[1] = (struct img_segment){ .paddr = 0x100000, .filesz = 0x10, .memsz = 0x100000 };
	build(&spec);
	kernel.module_count = 0;
	expect_error("guest_load: no room for the 192-byte boot information");
}

static void test_mb2_header_errors(void **state)
{
	uint32_t u32 = 0, address[4] = { 0x100000, 0x100000, 0, 0 };
	uint32_t request[2] = { MB2_TAG_MMAP, MB2_TAG_ACPI_NEW };
	uint8_t fb[12] = { 0 };
	struct mb2_header raw;
	struct img_mb2 h;
	struct img_elf spec;

	img_mb2_begin(&h, MB2_ARCH_MIPS32);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 header architecture 4 is not i386 (0)");

	/* header_length beyond the image. */
	raw = (struct mb2_header){ MB2_HEADER_MAGIC, 0, 0x1000,
				   MB2_HEADER_CHECKSUM(0, 0x1000) };
	build_raw(0x400, &raw, sizeof(raw), 0x100);
	expect_error("guest_load: multiboot2 header length 4096 does not fit in the image");
	raw = (struct mb2_header){ MB2_HEADER_MAGIC, 0, 16, MB2_HEADER_CHECKSUM(0, 16) };
	build_raw(0x400, &raw, sizeof(raw), 0x100);
	expect_error("guest_load: multiboot2 header length 16 is too small for an end tag");

	/* A header whose tags never end. */
	raw = (struct mb2_header){ MB2_HEADER_MAGIC, 0, 32, MB2_HEADER_CHECKSUM(0, 32) };
	build_raw(0x400, &raw, sizeof(raw), 0x100);
	memset(image + 0x110, 0, 16);
	image[0x110] = MB2_HEADER_TAG_MODULE_ALIGN;
	image[0x114] = 8;
	image[0x118] = MB2_HEADER_TAG_MODULE_ALIGN;
	image[0x11c] = 8;
	expect_error("guest_load: multiboot2 header has no end tag");
	image[0x11c] = 9;		/* a tag larger than what is left */
	expect_error("guest_load: multiboot2 header tag 6 at 0x118 has size 9 outside the header");

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_FRAMEBUFFER, 0, fb, sizeof(fb));
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 header tag 5 is required but not supported");
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_FRAMEBUFFER, MB2_HEADER_TAG_OPTIONAL, fb, sizeof(fb));
	img_mb2_tag(&h, MB2_HEADER_TAG_MODULE_ALIGN, 0, NULL, 0);
	img_mb2_tag(&h, MB2_HEADER_TAG_INFO_REQUEST, MB2_HEADER_TAG_OPTIONAL, request, 8);
	img_mb2_tag(&h, MB2_HEADER_TAG_INFO_REQUEST, 0, request, 4);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	assert_int_equal(load(), 0);	/* optional tags and a request hv meets */

	new_ram(MiB(8));
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_INFO_REQUEST, 0, request, 8);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 header requires boot information tag 15, which hv does not give");
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_INFO_REQUEST, 0, request, 6);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 information request tag has size 14, not a multiple of 4");

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ENTRY_ADDRESS, 0, address, 8);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 header tag 3 has size 16, expected 12");

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ADDRESS, 0, address, sizeof(address));
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 address tag without an entry address tag");

	u32 = 1;		/* console required */
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_CONSOLE_FLAGS, 0, &u32, 4);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	expect_error("guest_load: multiboot2 header requires a console, which hv does not describe");
	u32 = 2;		/* EGA text supported: nothing asked of hv */
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_CONSOLE_FLAGS, 0, &u32, 4);
	img_mb2_end(&h);
	spec = one_segment_elf(ELFCLASS32, h.bytes, h.len);
	build(&spec);
	assert_int_equal(load(), 0);
}

static void test_flat_errors(void **state)
{
	static uint8_t mod[16];
	struct guest_module gm = { .data = mod, .size = sizeof(mod) };

	kernel.kind = VM_KIND_FLAT;
	build_raw(KiB(64) + 1, "", 0, 0);
	expect_error("guest_load: flat binary of 65537 bytes is larger than 64 KiB");
	build_raw(0x200, "", 0, 0);
	kernel.cmdline = "x";
	expect_error("guest_load: a flat binary takes no modules or command line");
	kernel.cmdline = "";
	kernel.modules = &gm;
	kernel.module_count = 1;
	expect_error("guest_load: a flat binary takes no modules or command line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mb1_elf32, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb1_elf64_with_modules, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb2_elf64_higher_half, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb2_entry_tag_overrides_elf, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb2_address_tag_raw_image, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb1_aout_kludge, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_kind_choice_with_both_headers, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flat, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_info_placed_high_when_low_ram_is_taken, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_image_larger_than_mem, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_or_bad_header, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb1_header_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_aout_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_elf_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_segment_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_no_room, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_mb2_header_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_flat_errors, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
