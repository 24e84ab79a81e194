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
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp_revision, 2);
	assert_memory_equal(bi.rsdp, v2, 36);
}

static void test_minimal_block_defaults(void **state)
{
	add_mmap(24, ram, 1);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_string_equal(bi.cmdline, "");
	assert_null(bi.loader_name);
	assert_int_equal(bi.module_count, 0);
	assert_int_equal(bi.rsdp_len, 0);
	assert_int_equal(bi.mem_count, 1);
}

static void test_new_rsdp_wins_in_any_order(void **state)
{
	uint8_t v1[20], v2[36];

	rsdp_bytes(v1, sizeof(v1), 0);
	rsdp_bytes(v2, sizeof(v2), 2);
	add_mmap(24, ram, 1);
	add_tag(MB2_TAG_ACPI_NEW, v2, sizeof(v2));
	add_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp_revision, 2);
}

static void test_old_rsdp_only(void **state)
{
	uint8_t v1[20];

	rsdp_bytes(v1, sizeof(v1), 0);
	add_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
	add_mmap(24, ram, 1);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.rsdp_len, 20);
	assert_int_equal(bi.rsdp_revision, 0);
	assert_memory_equal(bi.rsdp, v1, 20);
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

	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct mb2_mmap_entry){ i * 0x1000, 0x1000, 1, 0 };
	add_mmap(24, many, BOOT_MAX_MEMMAP);
	assert_int_equal(mb2_parse(finish(), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEMMAP);

	free(block);
	setup(state);
	add_mmap(24, many, ARRAY_SIZE(many));
	expect_error(finish(), "129 entries");
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
		T(test_new_rsdp_wins_in_any_order),
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
		T(test_error_truncated_to_buffer),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
