/* Multiboot2 boot information parser: well-formed blocks and every way a
 * block can be malformed. Blocks are copied into heap buffers of exactly
 * total_size bytes, so AddressSanitizer catches any read outside them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/mb2_info.h"
#include "boot/mb2_mmap.h"
#include "lib/efi.h"
#include "lib/multiboot2.h"

/* A boot information block under construction. */
struct builder {
	uint64_t words[2048];	/* uint64_t: the block must be 8-byte aligned */
	size_t len;
};

static struct builder b;
static struct boot_info bi;
static char err[160];
static void *block;

static int setup(void **state)
{
	memset(&b, 0, sizeof(b));
	b.len = sizeof(struct mb2_info_header);
	memset(err, 0, sizeof(err));
	block = NULL;
	return 0;
}

static int teardown(void **state)
{
	free(block);
	return 0;
}

/* Append a tag with the given size field and payload; returns its offset. */
static size_t add_tag_sized(uint32_t type, uint32_t size, const void *payload, size_t len)
{
	uint8_t *bytes = (uint8_t *)b.words;
	struct mb2_tag tag = { .type = type, .size = size };
	size_t offset = b.len;

	assert_true(offset + sizeof(tag) + len + 8 <= sizeof(b.words));
	memcpy(bytes + offset, &tag, sizeof(tag));
	if (len)
		memcpy(bytes + offset + sizeof(tag), payload, len);
	b.len = ALIGN_UP(offset + sizeof(tag) + len, 8);
	return offset;
}

static size_t add_tag(uint32_t type, const void *payload, size_t len)
{
	return add_tag_sized(type, sizeof(struct mb2_tag) + len, payload, len);
}

static void add_string_tag(uint32_t type, const char *s)
{
	add_tag(type, s, strlen(s) + 1);
}

static void add_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t payload[128];

	memcpy(payload, &start, 4);
	memcpy(payload + 4, &end, 4);
	strcpy((char *)payload + 8, s);
	add_tag(MB2_TAG_MODULE, payload, 8 + strlen(s) + 1);
}

/* Append a memory map tag with `n` entries of `entry_size` bytes. */
static void add_mmap(uint32_t entry_size, const struct mb2_mmap_entry *e, size_t n)
{
	uint8_t payload[8 + 200 * 32] = { 0 };
	uint32_t head[2] = { entry_size, 0 };
	size_t i;

	assert_true(n <= 200 && entry_size <= 32);
	memcpy(payload, head, sizeof(head));
	for (i = 0; i < n; i++)
		memcpy(payload + 8 + i * entry_size, &e[i], MIN(entry_size, sizeof(*e)));
	add_tag(MB2_TAG_MMAP, payload, 8 + n * entry_size);
}

/* A write-back capable EFI descriptor: `pages` 4 KiB pages at `start`. */
static struct efi_memory_descriptor efi(uint32_t type, uint64_t start, uint64_t pages)
{
	return (struct efi_memory_descriptor){
		.type = type, .physical_start = start, .number_of_pages = pages,
		.attribute = EFI_MEMORY_WB,
	};
}

/* Append an EFI memory map tag: `n` descriptors of `size` bytes each (past
 * the struct, filler the parser must step over), layout `version`. */
static void add_efi_mmap_sized(uint32_t size, uint32_t version,
			       const struct efi_memory_descriptor *d, size_t n)
{
	static uint8_t payload[8 + 64 * 80];
	uint32_t head[2] = { size, version };

	assert_true(n <= 64 && size <= 80);
	memset(payload, 0xee, sizeof(payload));
	memcpy(payload, head, sizeof(head));
	for (size_t i = 0; i < n; i++)
		memcpy(payload + 8 + i * size, &d[i], MIN(size, sizeof(*d)));
	add_tag(MB2_TAG_EFI_MMAP, payload, 8 + n * size);
}

/* GRUB on OVMF: 48-byte descriptors, version 1. */
static void add_efi_mmap(const struct efi_memory_descriptor *d, size_t n)
{
	add_efi_mmap_sized(48, MB2_EFI_DESCRIPTOR_VERSION, d, n);
}

static void expect_region(size_t i, uint64_t base, uint64_t length, uint32_t type)
{
	assert_true(i < bi.mem_count);
	assert_int_equal(bi.mem[i].base, base);
	assert_int_equal(bi.mem[i].length, length);
	assert_int_equal(bi.mem[i].type, type);
}

static const struct mb2_mmap_entry ram[3] = {
	{ 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
	{ 0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0 },
	{ 0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE, 0 },
};

/* Close the block with `total` as its size (0: the real size) and copy it
 * to an exactly-sized heap buffer. */
static void *finish_sized(uint32_t total)
{
	struct mb2_info_header *h = (void *)b.words;

	h->total_size = total ? total : b.len;
	block = malloc(h->total_size);
	assert_non_null(block);
	memcpy(block, b.words, MIN(h->total_size, sizeof(b.words)));
	return block;
}

static void *finish(void)
{
	add_tag(MB2_TAG_END, NULL, 0);
	return finish_sized(0);
}

static void expect_error(const void *info, const char *fragment)
{
	assert_int_equal(mb2_parse(info, &bi, err, sizeof(err)), -1);
	if (!strstr(err, fragment))
		fail_msg("error '%s' lacks '%s'", err, fragment);
}

static void rsdp_bytes(uint8_t *rsdp, size_t len, uint8_t revision)
{
	memset(rsdp, 0xaa, len);
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = revision;
}

static void test_full_block(void **state)
{
	struct boot_module m;
	size_t cursor = 0;
	uint8_t v1[20], v2[36];
	uint8_t elf[12] = { 0 };
	void *info;

	rsdp_bytes(v1, sizeof(v1), 0);
	rsdp_bytes(v2, sizeof(v2), 2);
	add_string_tag(MB2_TAG_CMDLINE, "loglevel=debug smp=2");
	add_string_tag(MB2_TAG_LOADER_NAME, "GRUB 2.06");
	add_module(0x200000, 0x201000, "name=linux mem=64M");
	add_mmap(24, ram, 3);
	add_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	add_tag(MB2_TAG_ELF_SECTIONS, elf, sizeof(elf));
	add_tag(99, elf, 3);
	add_module(0x300000, 0x300001, "");
	add_tag(MB2_TAG_ACPI_NEW, v2, sizeof(v2));
	info = finish();

	assert_int_equal(mb2_info_size(info), b.len);
	assert_int_equal(mb2_parse(info, &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.info_start, (uintptr_t)info);
	assert_int_equal(bi.info_end, (uintptr_t)info + b.len);
	assert_string_equal(bi.cmdline, "loglevel=debug smp=2");
	assert_string_equal(bi.loader_name, "GRUB 2.06");
	assert_int_equal(bi.module_count, 2);
	assert_true(mb2_next_module(&bi, &cursor, &m));
	assert_int_equal(m.start, 0x200000);
	assert_int_equal(m.end, 0x201000);
	assert_string_equal(m.string, "name=linux mem=64M");
	assert_true(mb2_next_module(&bi, &cursor, &m));
	assert_int_equal(m.start, 0x300000);
	assert_string_equal(m.string, "");
	assert_false(mb2_next_module(&bi, &cursor, &m));
	assert_int_equal(bi.mem_count, 3);
	assert_int_equal(bi.mem[1].base, 0xf0000);
	assert_int_equal(bi.mem[1].length, 0x10000);
	assert_int_equal(bi.mem[1].type, MB2_MEMORY_RESERVED);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem_tag, MB2_TAG_MMAP);
	assert_int_equal(bi.mem_tag_entries, 3);
	assert_int_equal(bi.rsdp[BOOT_RSDP_NEW].len, 36);
	assert_memory_equal(bi.rsdp[BOOT_RSDP_NEW].bytes, v2, 36);
	assert_int_equal(bi.rsdp[BOOT_RSDP_OLD].len, 20);
	assert_memory_equal(bi.rsdp[BOOT_RSDP_OLD].bytes, v1, 20);
	assert_int_equal(bi.efi_system_table, 0);
}

static void test_minimal_block_defaults(void **state)
{
	add_mmap(24, ram, 1);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_string_equal(bi.cmdline, "");
	assert_null(bi.loader_name);
	assert_int_equal(bi.module_count, 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_NEW].len, 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_OLD].len, 0);
	assert_int_equal(bi.mem_count, 1);
}

/* Both copies are kept, each in its slot, whatever the tag order: the
 * ACPI 2.0 one is tried first, the 1.0 one if it does not check out. */
static void test_both_rsdps_kept_in_any_order(void **state)
{
	uint8_t v1[20], v2[40];

	rsdp_bytes(v1, sizeof(v1), 0);
	rsdp_bytes(v2, sizeof(v2), 2);
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_ACPI_NEW, v2, sizeof(v2));	/* longer than an RSDP: cut */
	add_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_NEW].len, 36);
	assert_memory_equal(bi.rsdp[BOOT_RSDP_NEW].bytes, v2, 36);
	assert_int_equal(bi.rsdp[BOOT_RSDP_OLD].len, 20);
}

static void test_old_rsdp_only(void **state)
{
	uint8_t v1[20];

	rsdp_bytes(v1, sizeof(v1), 0);
	add_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	add_mmap(24, ram, 1);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_NEW].len, 0);
	assert_int_equal(bi.rsdp[BOOT_RSDP_OLD].len, 20);
	assert_memory_equal(bi.rsdp[BOOT_RSDP_OLD].bytes, v1, 20);
}

static void test_larger_mmap_entries_are_stepped(void **state)
{
	add_mmap(32, ram, 3);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 3);
	assert_int_equal(bi.mem[2].base, 0x100000);
	assert_int_equal(bi.mem[2].length, 0x7ee0000);
	assert_int_equal(bi.mem[2].type, MB2_MEMORY_AVAILABLE);
}

static void test_misaligned_block(void **state)
{
	uint8_t *info;

	add_mmap(24, ram, 1);
	info = finish();
	expect_error(info + 4, "aligned");
	expect_error(NULL, "aligned");
}

static void test_total_size_too_small(void **state)
{
	expect_error(finish_sized(8), "too small");
}

static void test_missing_end_tag(void **state)
{
	add_mmap(24, ram, 1);
	expect_error(finish_sized(0), "no end tag");
}

static void test_block_cut_inside_tag(void **state)
{
	add_string_tag(MB2_TAG_CMDLINE, "a fairly long command line");
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_END, NULL, 0);
	expect_error(finish_sized(24), "outside the block");
}

static void test_tag_size_below_header(void **state)
{
	add_tag_sized(MB2_TAG_CMDLINE, 4, NULL, 0);
	add_mmap(24, ram, 1);
	expect_error(finish(), "outside the block");
}

static void test_tag_size_past_end(void **state)
{
	add_mmap(24, ram, 1);
	add_tag_sized(MB2_TAG_LOADER_NAME, 4096, "x", 2);
	expect_error(finish(), "outside the block");
}

static void test_tag_below_minimum_size(void **state)
{
	uint8_t payload[8] = { 0, 0, 0x20, 0, 0, 0, 0x21, 0 };

	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_MODULE, payload, sizeof(payload));	/* no string byte */
	expect_error(finish(), "below its minimum");
}

static void test_short_new_rsdp(void **state)
{
	uint8_t v1[20];

	rsdp_bytes(v1, sizeof(v1), 2);
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_ACPI_NEW, v1, sizeof(v1));
	expect_error(finish(), "below its minimum");
}

static void test_cmdline_not_terminated(void **state)
{
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_CMDLINE, "smp=2", 5);
	expect_error(finish(), "command line is not NUL-terminated");
}

static void test_loader_name_not_terminated(void **state)
{
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_LOADER_NAME, "GRUB", 4);
	expect_error(finish(), "loader name is not NUL-terminated");
}

static void test_module_string_not_terminated(void **state)
{
	uint8_t payload[12] = { 0, 0, 0x20, 0, 0, 0, 0x21, 0, 'a', 'b', 'c', 'd' };

	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_MODULE, payload, sizeof(payload));
	expect_error(finish(), "module 0 string is not NUL-terminated");
}

static void test_module_range_reversed(void **state)
{
	add_mmap(24, ram, 1);
	add_module(0x200000, 0x300000, "ok");
	add_module(0x400000, 0x400000, "empty");
	expect_error(finish(), "module 1 range 0x400000-0x400000");
}

/* No table limits the modules: each one comes back, in order. */
static void test_many_modules(void **state)
{
	enum { MODULES = 300 };
	struct boot_module m;
	size_t cursor = 0, i;

	add_mmap(24, ram, 1);
	for (i = 0; i < MODULES; i++)
		add_module(0x100000 * (i + 1), 0x100000 * (i + 1) + i + 1, i % 2 ? "odd" : "even");
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.module_count, MODULES);
	for (i = 0; i < MODULES; i++) {
		assert_true(mb2_next_module(&bi, &cursor, &m));
		assert_int_equal(m.start, 0x100000 * (i + 1));
		assert_int_equal(m.end, 0x100000 * (i + 1) + i + 1);
		assert_string_equal(m.string, i % 2 ? "odd" : "even");
	}
	assert_false(mb2_next_module(&bi, &cursor, &m));
}

static void test_mmap_entry_too_small(void **state)
{
	add_mmap(16, ram, 2);
	expect_error(finish(), "entry size 16 invalid");
}

static void test_mmap_entry_size_unaligned(void **state)
{
	add_mmap(28, ram, 2);
	expect_error(finish(), "entry size 28 invalid");
}

static void test_mmap_partial_entry(void **state)
{
	uint8_t payload[8 + 24 + 8] = { 24, 0, 0, 0 };

	add_tag(MB2_TAG_MMAP, payload, sizeof(payload));
	expect_error(finish(), "not a whole number");
}

static void test_mmap_overflow(void **state)
{
	static struct mb2_mmap_entry many[BOOT_MAX_MEMMAP + 1];
	size_t i;

	/* Alternating types: no two neighbours merge. */
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct mb2_mmap_entry){ i * 0x1000, 0x1000, 1 + i % 2, 0 };
	add_mmap(24, many, BOOT_MAX_MEMMAP);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEMMAP);

	free(block);
	setup(state);
	add_mmap(24, many, ARRAY_SIZE(many));
	expect_error(finish(), "more than 128 ranges (entry 128)");
}

static void test_mmap_entry_wraps(void **state)
{
	struct mb2_mmap_entry e[2] = {
		{ 0, 0x1000, 1, 0 },
		{ 0xfffffffffffff000ull, 0x2000, 2, 0 },
	};

	add_mmap(24, e, 2);
	expect_error(finish(), "entry 1 (0xfffffffffffff000 + 0x2000) wraps");
}

static void test_missing_mmap(void **state)
{
	add_string_tag(MB2_TAG_CMDLINE, "smp=2");
	expect_error(finish(), "no memory map");
}

static void test_duplicate_tags(void **state)
{
	add_mmap(24, ram, 1);
	add_mmap(24, ram, 2);
	expect_error(finish(), "tag type 6 appears twice");

	free(block);
	setup(state);
	add_mmap(24, ram, 1);
	add_string_tag(MB2_TAG_CMDLINE, "a");
	add_string_tag(MB2_TAG_CMDLINE, "b");
	expect_error(finish(), "tag type 1 appears twice");
}

/* Every EFI type, each at an address of its own (so none merge): what is
 * free after boot services is available, MMIO is left out, the rest keeps
 * its meaning or is reserved. */
static void test_efi_every_type(void **state)
{
	static const uint32_t want[] = {
		[EFI_RESERVED_MEMORY] = MB2_MEMORY_RESERVED,
		[EFI_LOADER_CODE] = MB2_MEMORY_AVAILABLE,
		[EFI_LOADER_DATA] = MB2_MEMORY_AVAILABLE,
		[EFI_BOOT_SERVICES_CODE] = MB2_MEMORY_AVAILABLE,
		[EFI_BOOT_SERVICES_DATA] = MB2_MEMORY_AVAILABLE,
		[EFI_RUNTIME_SERVICES_CODE] = MB2_MEMORY_RESERVED,
		[EFI_RUNTIME_SERVICES_DATA] = MB2_MEMORY_RESERVED,
		[EFI_CONVENTIONAL_MEMORY] = MB2_MEMORY_AVAILABLE,
		[EFI_UNUSABLE_MEMORY] = MB2_MEMORY_BADRAM,
		[EFI_ACPI_RECLAIM_MEMORY] = MB2_MEMORY_ACPI_RECLAIMABLE,
		[EFI_ACPI_MEMORY_NVS] = MB2_MEMORY_NVS,
		[EFI_MEMORY_MAPPED_IO] = 0,
		[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = 0,
		[EFI_PAL_CODE] = MB2_MEMORY_RESERVED,
		[EFI_PERSISTENT_MEMORY] = MB2_MEMORY_RESERVED,
		[EFI_UNACCEPTED_MEMORY] = MB2_MEMORY_RESERVED,
		[16] = MB2_MEMORY_RESERVED,	/* past the spec's list */
		[17] = MB2_MEMORY_RESERVED,	/* an OEM type, below */
	};
	struct efi_memory_descriptor d[ARRAY_SIZE(want)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i] = efi(i, 0x100000 * (2 * i + 1), 16);
	d[17].type = 0x80000001;
	add_efi_mmap(d, ARRAY_SIZE(d));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_tag, MB2_TAG_EFI_MMAP);
	assert_int_equal(bi.mem_tag_entries, ARRAY_SIZE(d));
	for (i = 0; i < ARRAY_SIZE(d); i++)
		if (want[i])
			expect_region(n++, d[i].physical_start, 0x10000, want[i]);
	assert_int_equal(bi.mem_count, n);
	assert_int_equal(n, ARRAY_SIZE(d) - 2);
}

/* Free memory the firmware cannot map write-back is not taken. */
static void test_efi_free_needs_write_back(void **state)
{
	struct efi_memory_descriptor d[2] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 16),
		efi(EFI_CONVENTIONAL_MEMORY, 0x200000, 16),
	};

	d[1].attribute = 1;	/* EFI_MEMORY_UC only */
	add_efi_mmap(d, 2);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	expect_region(0, 0x100000, 0x10000, MB2_MEMORY_AVAILABLE);
	expect_region(1, 0x200000, 0x10000, MB2_MEMORY_RESERVED);
}

/* Touching descriptors of one kind become one range, in map order; a gap
 * or another kind starts a new one. */
static void test_efi_neighbours_merge(void **state)
{
	const struct efi_memory_descriptor d[] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0, 0xa0),
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100),
		efi(EFI_LOADER_DATA, 0x200000, 0x10),
		efi(EFI_BOOT_SERVICES_CODE, 0x210000, 0x10),
		efi(EFI_ACPI_MEMORY_NVS, 0x220000, 1),
		efi(EFI_ACPI_MEMORY_NVS, 0x221000, 1),
		efi(EFI_BOOT_SERVICES_DATA, 0x222000, 0xde),
		efi(EFI_MEMORY_MAPPED_IO, 0x300000, 1),	/* left out: no break */
		efi(EFI_CONVENTIONAL_MEMORY, 0x301000, 0xff),
	};

	add_efi_mmap(d, ARRAY_SIZE(d));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_tag_entries, ARRAY_SIZE(d));
	assert_int_equal(bi.mem_count, 5);
	expect_region(0, 0, 0xa0000, MB2_MEMORY_AVAILABLE);
	expect_region(1, 0x100000, 0x120000, MB2_MEMORY_AVAILABLE);
	expect_region(2, 0x220000, 0x2000, MB2_MEMORY_NVS);
	expect_region(3, 0x222000, 0xde000, MB2_MEMORY_AVAILABLE);
	expect_region(4, 0x301000, 0xff000, MB2_MEMORY_AVAILABLE);
}

/* The tag's descriptor size is the stride, whatever it is: larger than the
 * struct, not a multiple of 8; the filler between is never read as data. */
static void test_efi_descriptor_size_honoured(void **state)
{
	static const uint32_t sizes[] = { 40, 44, 48, 80 };
	const struct efi_memory_descriptor d[3] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100),
		efi(EFI_RUNTIME_SERVICES_DATA, 0x200000, 0x10),
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000000ull, 0x40000),
	};

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		setup(state);
		add_efi_mmap_sized(sizes[i], MB2_EFI_DESCRIPTOR_VERSION, d, 3);
		assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
		assert_int_equal(bi.mem_count, 3);
		expect_region(0, 0x100000, 0x100000, MB2_MEMORY_AVAILABLE);
		expect_region(1, 0x200000, 0x10000, MB2_MEMORY_RESERVED);
		expect_region(2, 0x100000000ull, GiB(1), MB2_MEMORY_AVAILABLE);
		teardown(state);
	}
	setup(state);
}

static void test_efi_descriptor_size_too_small(void **state)
{
	const struct efi_memory_descriptor d = efi(EFI_CONVENTIONAL_MEMORY, 0, 1);

	add_efi_mmap_sized(32, MB2_EFI_DESCRIPTOR_VERSION, &d, 1);
	expect_error(finish(), "EFI memory map entry size 32 invalid");
}

/* A map cut inside a descriptor, a tag too short for its header, and one
 * the block ends inside: each is an error, nothing past them is read. */
static void test_efi_map_truncated(void **state)
{
	const struct efi_memory_descriptor d[2] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0, 1), efi(EFI_CONVENTIONAL_MEMORY, 0x1000, 1),
	};
	uint8_t cut[8 + 88] = { 48, 0, 0, 0, 1 };	/* the second descriptor lacks 8 bytes */

	memcpy(cut + 8, d, sizeof(d[0]));
	memcpy(cut + 8 + 48, &d[1], 40);
	add_tag(MB2_TAG_EFI_MMAP, cut, sizeof(cut));
	expect_error(finish(), "EFI memory map of 88 bytes is not a whole number of 48-byte entries");

	teardown(state);
	setup(state);
	add_tag(MB2_TAG_EFI_MMAP, (uint32_t[]){ 48 }, 4);
	expect_error(finish(), "tag type 17 has size 12, below its minimum 16");

	teardown(state);
	setup(state);
	add_efi_mmap(d, 2);
	expect_error(finish_sized(b.len - 8), "outside the block");
}

/* GRUB on UEFI passes both maps: the EFI one is used, in either order, and
 * the basic one is not even read. */
static void test_efi_map_preferred(void **state)
{
	const struct efi_memory_descriptor d = efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100);

	add_mmap(24, ram, 3);
	add_efi_mmap(&d, 1);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_tag, MB2_TAG_EFI_MMAP);
	assert_int_equal(bi.mem_count, 1);
	expect_region(0, 0x100000, 0x100000, MB2_MEMORY_AVAILABLE);

	teardown(state);
	setup(state);
	add_efi_mmap(&d, 1);
	add_mmap(16, ram, 3);	/* malformed, but not needed */
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_tag, MB2_TAG_EFI_MMAP);
}

/* A descriptor layout other than UEFI's version 1 is not guessed at: the
 * basic map serves if there is one. */
static void test_efi_unknown_version(void **state)
{
	const struct efi_memory_descriptor d = efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100);

	add_efi_mmap_sized(48, 2, &d, 1);
	add_mmap(24, ram, 3);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_tag, MB2_TAG_MMAP);
	assert_int_equal(bi.mem_count, 3);

	teardown(state);
	setup(state);
	add_efi_mmap_sized(48, 2, &d, 1);
	expect_error(finish(), "descriptor version 2 unknown, and no other memory map");
}

/* Overlapping descriptors are kept as the firmware gave them; where they
 * disagree boot_memory_map() lets the kind that is not free win. */
static void test_efi_overlap_kept(void **state)
{
	const struct efi_memory_descriptor d[2] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100),
		efi(EFI_RUNTIME_SERVICES_DATA, 0x180000, 0x100),
	};

	add_efi_mmap(d, 2);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0x100000, 0x100000, MB2_MEMORY_AVAILABLE);
	expect_region(1, 0x180000, 0x100000, MB2_MEMORY_RESERVED);
}

/* A big machine's map: RAM to 2 GiB, the PCI hole, then RAM above 4 GiB in
 * pieces with reserved and missing stretches between them. */
static void test_efi_holes_above_4g(void **state)
{
	const struct efi_memory_descriptor d[] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0, 0xa0),
		efi(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x7ff00),
		efi(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400),
		efi(EFI_BOOT_SERVICES_DATA, GiB(4), 0x40000),
		efi(EFI_CONVENTIONAL_MEMORY, GiB(5), 0x40000),
		efi(EFI_RESERVED_MEMORY, GiB(6), 0x20000),	/* 6 - 6.5 GiB */
		efi(EFI_CONVENTIONAL_MEMORY, GiB(8), 0x80000),	/* after a gap */
		efi(EFI_UNUSABLE_MEMORY, GiB(10), 1),
		efi(EFI_CONVENTIONAL_MEMORY, GiB(10) + 0x1000, 0xfffff),
	};
	uint64_t free_bytes = 0;

	add_efi_mmap(d, ARRAY_SIZE(d));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 7);
	expect_region(2, GiB(4), GiB(2), MB2_MEMORY_AVAILABLE);
	expect_region(3, GiB(6), MiB(512), MB2_MEMORY_RESERVED);
	expect_region(4, GiB(8), GiB(2), MB2_MEMORY_AVAILABLE);
	expect_region(5, GiB(10), 0x1000, MB2_MEMORY_BADRAM);
	expect_region(6, GiB(10) + 0x1000, GiB(4) - 0x1000, MB2_MEMORY_AVAILABLE);
	for (size_t i = 0; i < bi.mem_count; i++)
		if (bi.mem[i].type == MB2_MEMORY_AVAILABLE)
			free_bytes += bi.mem[i].length;
	assert_int_equal(free_bytes, 0xa0000 + 0x7ff00000 + GiB(8) - 0x1000);
}

static void test_efi_descriptor_out_of_range(void **state)
{
	struct efi_memory_descriptor d[2] = {
		efi(EFI_CONVENTIONAL_MEMORY, 0, 1),
		efi(EFI_CONVENTIONAL_MEMORY, 0x1000, 1ull << 52),
	};

	add_efi_mmap(d, 2);
	expect_error(finish(), "EFI memory map entry 1 has 0x10000000000000 pages");

	teardown(state);
	setup(state);
	d[1] = efi(EFI_RESERVED_MEMORY, 0xfffffffffff00000ull, 0x101);
	add_efi_mmap(d, 2);
	expect_error(finish(), "entry 1 (0xfffffffffff00000 + 0x101000) wraps");
}

static void test_efi64_system_table(void **state)
{
	const uint64_t table = 0x7f5ec018;

	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_EFI64, &table, sizeof(table));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.efi_system_table, table);

	teardown(state);
	setup(state);
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_EFI64, &table, 4);
	expect_error(finish(), "tag type 12 has size 12, below its minimum 16");

	teardown(state);
	setup(state);
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_EFI64, &table, sizeof(table));
	add_tag(MB2_TAG_EFI64, &table, sizeof(table));
	expect_error(finish(), "tag type 12 appears twice");
}

static void test_error_truncated_to_buffer(void **state)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	assert_int_equal(mb2_parse(finish(), &bi, small, sizeof(small)), -1);
	assert_string_equal(small, "multibo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_full_block),
		T(test_minimal_block_defaults),
		T(test_both_rsdps_kept_in_any_order),
		T(test_old_rsdp_only),
		T(test_larger_mmap_entries_are_stepped),
		T(test_misaligned_block),
		T(test_total_size_too_small),
		T(test_missing_end_tag),
		T(test_block_cut_inside_tag),
		T(test_tag_size_below_header),
		T(test_tag_size_past_end),
		T(test_tag_below_minimum_size),
		T(test_short_new_rsdp),
		T(test_cmdline_not_terminated),
		T(test_loader_name_not_terminated),
		T(test_module_string_not_terminated),
		T(test_module_range_reversed),
		T(test_many_modules),
		T(test_mmap_entry_too_small),
		T(test_mmap_entry_size_unaligned),
		T(test_mmap_partial_entry),
		T(test_mmap_overflow),
		T(test_mmap_entry_wraps),
		T(test_missing_mmap),
		T(test_duplicate_tags),
		T(test_efi_every_type),
		T(test_efi_free_needs_write_back),
		T(test_efi_neighbours_merge),
		T(test_efi_descriptor_size_honoured),
		T(test_efi_descriptor_size_too_small),
		T(test_efi_map_truncated),
		T(test_efi_map_preferred),
		T(test_efi_unknown_version),
		T(test_efi_overlap_kept),
		T(test_efi_holes_above_4g),
		T(test_efi_descriptor_out_of_range),
		T(test_efi64_system_table),
		T(test_error_truncated_to_buffer),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
