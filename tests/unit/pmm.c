/* Host tests for mm/pmm: free-range arithmetic on synthetic memory maps,
 * then the whole boot sequence over a host arena (host addresses serve as
 * physical addresses). The boot tests run in order: pmm keeps global state. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/pmm.h"
#include "tests/unit/host.h"

#define PAGE	4096ull

static void expect_ranges(const struct mem_range *got, int n,
			  const struct mem_range *want, int m)
{
	assert_int_equal(n, m);
	for (int i = 0; i < m; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].end, want[i].end);
	}
}

static void test_free_ranges_subtracts_reserved(void **state)
{
	const struct mem_range usable[] = {
		{ 0x100000, 0x7ffe0000 }, { 0x0, 0x9fc00 }, { 0x100000000, 0x140000000 },
	};
	const struct mem_range reserved[] = {
		{ 0x0, 0x100000 },		/* low memory */
		{ 0x200000, 0x315000 },		/* image */
		{ 0x7ff00123, 0x7ff00456 },	/* info block: grows to whole pages */
		{ 0x13ff00000, 0x150000000 },	/* module past the end of RAM */
		{ 0x90000000, 0xa0000000 },	/* hole: no effect */
	};
	const struct mem_range want[] = {
		{ 0x100000, 0x200000 }, { 0x315000, 0x7ff00000 },
		{ 0x7ff01000, 0x7ffe0000 }, { 0x100000000, 0x13ff00000 },
	};
	struct mem_range out[8];
	int n = pmm_free_ranges(usable, ARRAY_SIZE(usable), reserved,
				ARRAY_SIZE(reserved), out, ARRAY_SIZE(out));

	expect_ranges(out, n, want, ARRAY_SIZE(want));
}

static void test_free_ranges_merges_overlaps_and_aligns_inward(void **state)
{
	const struct mem_range usable[] = {
		{ 0x5000, 0x9000 }, { 0x1800, 0x3800 }, { 0x3800, 0x5200 },
		{ 0x8000, 0x8800 },		/* inside another */
		{ 0x20100, 0x20f00 },		/* less than a page once aligned */
		{ 0x30000, 0x30000 },		/* empty */
		{ UINT64_MAX - 0x800, UINT64_MAX },	/* would wrap when aligned */
	};
	const struct mem_range want[] = { { 0x2000, 0x9000 } };
	struct mem_range out[8];
	int n = pmm_free_ranges(usable, ARRAY_SIZE(usable), NULL, 0, out, ARRAY_SIZE(out));

	expect_ranges(out, n, want, ARRAY_SIZE(want));
}

static void test_free_ranges_splits_and_removes(void **state)
{
	const struct mem_range usable[] = { { 0x10000, 0x20000 }, { 0x30000, 0x40000 } };
	const struct mem_range reserved[] = {
		{ 0x14000, 0x15000 }, { 0x18fff, 0x19001 },	/* two holes: three pieces */
		{ 0x2f000, 0x41000 },				/* all of the second */
		{ 0x0, 0x11000 },				/* the head of the first */
		{ UINT64_MAX - 0x10, UINT64_MAX },		/* would wrap when aligned */
	};
	const struct mem_range want[] = {
		{ 0x11000, 0x14000 }, { 0x15000, 0x18000 }, { 0x1a000, 0x20000 },
	};
	struct mem_range out[4];
	int n = pmm_free_ranges(usable, ARRAY_SIZE(usable), reserved,
				ARRAY_SIZE(reserved), out, ARRAY_SIZE(out));

	expect_ranges(out, n, want, ARRAY_SIZE(want));
}

static void test_free_ranges_rejects_bad_input(void **state)
{
	const struct mem_range usable[] = { { 0x10000, 0x20000 }, { 0x30000, 0x40000 } };
	const struct mem_range split[] = { { 0x14000, 0x15000 }, { 0x34000, 0x35000 } };
	const struct mem_range reversed[] = { { 0x20000, 0x10000 } };
	struct mem_range out[3];

	assert_int_equal(pmm_free_ranges(reversed, 1, NULL, 0, out, 3), -EINVAL);
	assert_int_equal(pmm_free_ranges(usable, 2, reversed, 1, out, 3), -EINVAL);
	assert_int_equal(pmm_free_ranges(usable, 2, NULL, 0, out, 1), -ENOSPC);
	/* Two splits need four slots. */
	assert_int_equal(pmm_free_ranges(usable, 2, split, 2, out, 3), -ENOSPC);
	assert_int_equal(pmm_free_ranges(usable, 2, split, 1, out, 3), 3);
}

/* The boot tests' machine: a 64 MiB arena of "RAM" holding a fake image
 * at +8 MiB and a module at +20 MiB. */
static uint8_t *arena;
static struct mem_range arena_ram[1], modules[1];
static struct pmm_boot_map boot;

static uint64_t at(uint64_t offset)
{
	return (uint64_t)(uintptr_t)arena + offset;
}

static int setup_machine(void **state)
{
	arena = aligned_alloc(MiB(2), MiB(64));
	if (!arena)
		return -1;
	arena_ram[0] = (struct mem_range){ at(0), at(MiB(64)) };
	modules[0] = (struct mem_range){ at(MiB(20)) + 0x10, at(MiB(21)) - 0x10 };
	boot = (struct pmm_boot_map){
		.map = { arena_ram, 1, arena_ram, 1 },
		.reserved = modules,
		.nr_reserved = 1,
		.image = {
			.start = at(MiB(8)),
			.text_start = at(MiB(8) + 2 * PAGE), .text_end = at(MiB(8) + 10 * PAGE),
			.rodata_start = at(MiB(8) + 10 * PAGE), .rodata_end = at(MiB(8) + 14 * PAGE),
			.data_start = at(MiB(8) + 14 * PAGE), .data_end = at(MiB(8) + 20 * PAGE),
			.end = at(MiB(8) + 21 * PAGE),
		},
		.early_mapped_end = at(64 * PAGE),
		.gbpages = true,
	};
	return 0;
}

static int teardown_machine(void **state)
{
	free(arena);
	return 0;
}

/* Collect the table pages reachable from a page-table root. */
static size_t collect_tables(uint64_t table, int level, uint64_t *out, size_t n)
{
	out[n++] = table;
	for (unsigned i = 0; level > 1 && i < 512; i++) {
		uint64_t e = ((uint64_t *)(uintptr_t)table)[i];

		if ((e & PTE_PRESENT) && !(e & PTE_HUGE))
			n = collect_tables(e & PTE_ADDR_MASK, level - 1, out, n);
	}
	return n;
}

static bool inside(uint64_t pa, uint64_t start, uint64_t end)
{
	return pa >= start && pa < end;
}

static void test_boot_refuses_bad_order_and_input(void **state)
{
	struct pmm_boot_map tight = boot, bad = boot;
	const struct mem_range reversed[] = { { at(MiB(2)), at(MiB(1)) } };

	assert_int_equal(pmm_init(), -EINVAL);
	assert_int_equal(pmm_alloc(0), 0);
	/* Only three pages below the early limit: not enough for the tables. */
	tight.early_mapped_end = at(3 * PAGE);
	assert_int_equal(pmm_early_init(&tight), 0);
	bad.reserved = reversed;
	assert_int_equal(pmm_early_init(&bad), 0);
	bad = boot;
	bad.image.text_end = bad.image.text_start - PAGE;
	assert_int_equal(pmm_early_init(&bad), 0);
	assert_int_equal(pmm_init(), -EINVAL);
}

static void test_boot_builds_tables_then_manages_the_rest(void **state)
{
	uint64_t root = pmm_early_init(&boot), tables[64], total, *pages;
	size_t nr_tables, n = 0;

	assert_int_not_equal(root, 0);
	nr_tables = collect_tables(root, 4, tables, 0);
	/* The tables come from the lowest free pages, below the early limit. */
	for (size_t i = 0; i < nr_tables; i++)
		assert_true(inside(tables[i], at(0), boot.early_mapped_end));
	assert_int_equal(pmm_early_init(&boot), 0);	/* only once */

	assert_int_equal(pmm_init(), 0);
	total = pmm_total_bytes();
	assert_int_equal(pmm_free_bytes(), total);
	/* The arena minus image, module, tables and a few metadata pages. */
	assert_true(total < MiB(64) - MiB(1) - 21 * PAGE - nr_tables * PAGE);
	assert_true(total > MiB(64) - MiB(1) - 21 * PAGE - nr_tables * PAGE - 16 * PAGE);
	assert_int_equal(pmm_init(), -EINVAL);	/* only once */

	/* Every allocatable page avoids what boot reserved. */
	pages = malloc((total / PAGE + 1) * sizeof(*pages));
	assert_non_null(pages);
	while ((pages[n] = pmm_alloc(0)) != 0) {
		uint64_t pa = pages[n++];

		assert_true(inside(pa, at(0), at(MiB(64))));
		assert_false(inside(pa, boot.image.start, boot.image.end));
		assert_false(inside(pa, at(MiB(20)), at(MiB(21))));
		for (size_t i = 0; i < nr_tables; i++)
			assert_int_not_equal(pa, tables[i]);
		assert_true(n <= total / PAGE);
	}
	assert_int_equal(n, total / PAGE);
	assert_int_equal(pmm_free_bytes(), 0);

	assert_int_equal(pmm_free(pages[0], 1), -EINVAL);
	assert_int_equal(pmm_free(boot.image.start, 0), -EINVAL);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pmm_free(pages[i], 0), 0);
	assert_int_equal(pmm_free_bytes(), total);
	assert_int_equal(pmm_free(pages[0], 0), -EINVAL);
	free(pages);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_free_ranges_subtracts_reserved),
		cmocka_unit_test(test_free_ranges_merges_overlaps_and_aligns_inward),
		cmocka_unit_test(test_free_ranges_splits_and_removes),
		cmocka_unit_test(test_free_ranges_rejects_bad_input),
	};
	const struct CMUnitTest boot_sequence[] = {
		cmocka_unit_test(test_boot_refuses_bad_order_and_input),
		cmocka_unit_test(test_boot_builds_tables_then_manages_the_rest),
	};

	return cmocka_run_group_tests(pure, NULL, NULL) |
	       cmocka_run_group_tests(boot_sequence, setup_machine, teardown_machine);
}
