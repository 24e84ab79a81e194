/* Host tests for mm/paging: build tables for synthetic memory maps, then
 * check every address class with a software page walker. Table pages come
 * from a host arena (host pointers double as physical addresses); the
 * mapped addresses themselves are only numbers, never dereferenced. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/paging.h"

#define PAGE	4096ull
#define GIB	(1ull << 30)

/* Bump allocator over an arena; counts what it hands out. */
struct page_pool {
	uint8_t *mem;
	size_t pages, used, limit;
};

static uint64_t pool_alloc(void *ctx)
{
	struct page_pool *p = ctx;

	if (p->used == p->limit)
		return 0;
	/* Dirty pages: paging must clear what it takes. */
	memset(p->mem + p->used * PAGE, 0xa5, PAGE);
	return (uint64_t)(uintptr_t)(p->mem + p->used++ * PAGE);
}

static struct page_pool pool_new(size_t pages)
{
	struct page_pool p = { aligned_alloc(PAGE, pages * PAGE), pages, 0, pages };

	assert_non_null(p.mem);
	return p;
}

static bool pool_owns(const struct page_pool *p, uint64_t pa)
{
	uint64_t base = (uint64_t)(uintptr_t)p->mem;

	return pa >= base && pa < base + p->used * PAGE && IS_ALIGNED(pa, PAGE);
}

/* What the MMU would make of one virtual address. */
struct xlate {
	bool present;
	uint64_t pa;
	uint64_t page_size;
	bool writable, executable, uncacheable;
};

/* Walk `root` for `va` as the CPU does (permissions are ANDed down the
 * levels), asserting every table page belongs to `pool` and no reserved
 * address bit of a huge leaf is set. */
static struct xlate walk(const struct page_pool *pool, uint64_t root, uint64_t va)
{
	struct xlate x = { .writable = true, .executable = true };
	uint64_t table = root;

	for (int level = 4; level >= 1; level--) {
		uint64_t size = PAGE << (9 * (level - 1));
		uint64_t e;

		assert_true(pool_owns(pool, table));
		e = ((uint64_t *)(uintptr_t)table)[(va / size) % 512];
		if (!(e & PTE_PRESENT))
			return (struct xlate){ 0 };
		x.writable &= !!(e & PTE_WRITE);
		x.executable &= !(e & PTE_NX);
		if (level == 1 || (e & PTE_HUGE)) {
			assert_true(level <= 3);
			/* PAT bits (7 in a 4 KiB leaf, 12 in a huge one) stay clear. */
			if (level == 1)
				assert_int_equal(e & PTE_HUGE, 0);
			assert_int_equal(e & PTE_ADDR_MASK & (size - 1), 0);
			x.present = true;
			x.page_size = size;
			x.pa = (e & PTE_ADDR_MASK) + va % size;
			x.uncacheable = (e & PTE_PCD) && (e & PTE_PWT);
			return x;
		}
		assert_int_equal(e & (PTE_PCD | PTE_PWT | PTE_NX), 0);
		table = e & PTE_ADDR_MASK;
	}
	fail();
	return x;
}

/* Number of distinct table pages reachable from `root`. */
static size_t count_tables(uint64_t table, int level)
{
	size_t n = 1;

	for (unsigned i = 0; level > 1 && i < 512; i++) {
		uint64_t e = ((uint64_t *)(uintptr_t)table)[i];

		if ((e & PTE_PRESENT) && !(e & PTE_HUGE))
			n += count_tables(e & PTE_ADDR_MASK, level - 1);
	}
	return n;
}

enum kind { ABSENT, RAM, MMIO, TEXT, RODATA, RW_IMAGE };

static void expect(const struct page_pool *pool, uint64_t root, uint64_t va,
		   enum kind kind, uint64_t page_size)
{
	struct xlate x = walk(pool, root, va);

	if (kind == ABSENT) {
		assert_false(x.present);
		return;
	}
	assert_true(x.present);
	assert_int_equal(x.pa, va);
	assert_int_equal(x.page_size, page_size);
	assert_int_equal(x.writable, kind == RAM || kind == MMIO || kind == RW_IMAGE);
	assert_int_equal(x.executable, kind == TEXT);
	assert_int_equal(x.uncacheable, kind == MMIO);
}

/* A PC-like map: low memory with holes, 2 GiB below the PCI hole, a sliver
 * of usable RAM and firmware ranges in the 4th GiB, 5.25 GiB above 4 GiB,
 * and a lone odd-sized range far above. */
static const struct mem_range usable[] = {
	{ 0x0, 0x9fc00 },
	{ 0x100000, 0x7ffe0000 },
	{ 0xc0000000, 0xc0400000 },
	{ 0x100000000, 0x250100000 },
	{ 0x1000000000, 0x1000201000 },
};
static const struct mem_range ram[] = {
	{ 0x0, 0x9fc00 }, { 0x9fc00, 0xa0000 }, { 0xf0000, 0x100000 },
	{ 0x100000, 0x7ffe0000 }, { 0x7ffe0000, 0x80000000 },
	{ 0xc0000000, 0xc0400000 },
	{ 0xfeffc000, 0xff000000 }, { 0xfffc0000, 0x100000000 },
	{ 0x100000000, 0x250100000 },
	{ 0x1000000000, 0x1000201000 },
};
static const struct paging_memory_map pc_map = {
	ram, ARRAY_SIZE(ram), usable, ARRAY_SIZE(usable),
};

/* Image at 2 MiB: boot 8K, text 32K, rodata 16K, data 24K, symbols 4K. */
static const struct image_layout image = {
	.start = 0x200000,
	.text_start = 0x202000, .text_end = 0x20a000,
	.rodata_start = 0x20a000, .rodata_end = 0x20e000,
	.data_start = 0x20e000, .data_end = 0x214000,
	.end = 0x215000,
};

static void check_common(const struct page_pool *pool, uint64_t root, uint64_t big)
{
	/* Page 0 is a guard (NULL dereferences fault); the rest of low
	 * memory, the AP trampoline page included, is RAM, not executable,
	 * in 4 KiB pages since the guard split its 2 MiB page. */
	expect(pool, root, 0x0, ABSENT, 0);
	expect(pool, root, 0x1000, RAM, PAGE);
	expect(pool, root, 0x8000, RAM, PAGE);
	/* The image, page by page at its section boundaries. */
	expect(pool, root, image.start, RW_IMAGE, PAGE);
	expect(pool, root, image.text_start - PAGE, RW_IMAGE, PAGE);
	expect(pool, root, image.text_start, TEXT, PAGE);
	expect(pool, root, image.text_end - PAGE, TEXT, PAGE);
	expect(pool, root, image.rodata_start, RODATA, PAGE);
	expect(pool, root, image.rodata_end - PAGE, RODATA, PAGE);
	expect(pool, root, image.data_start, RW_IMAGE, PAGE);
	expect(pool, root, image.data_end - PAGE, RW_IMAGE, PAGE);
	expect(pool, root, image.data_end, RODATA, PAGE);
	/* The rest of the image's 2 MiB chunk stays plain RAM. */
	expect(pool, root, image.end, RAM, PAGE);
	expect(pool, root, 0x3ff000, RAM, PAGE);
	expect(pool, root, 0x400000, RAM, 1ull << 21);
	/* Between the top of low RAM and the 4th GiB: a hole. */
	expect(pool, root, 0x80000000, ABSENT, 0);
	expect(pool, root, 0xbfe00000, ABSENT, 0);
	/* The 4th GiB: usable RAM stays cacheable, the rest is UC MMIO. */
	expect(pool, root, 0xc0000000, RAM, 1ull << 21);
	expect(pool, root, 0xc0200000, RAM, 1ull << 21);
	expect(pool, root, 0xc0400000, MMIO, 1ull << 21);
	expect(pool, root, 0xfec00000, MMIO, 1ull << 21);
	expect(pool, root, 0xfee00000, MMIO, 1ull << 21);
	expect(pool, root, 0xfffff000, MMIO, 1ull << 21);
	/* Above 4 GiB: whole GiBs, then a partial one rounded out to 2 MiB. */
	expect(pool, root, 0x100000000, RAM, big);
	expect(pool, root, 0x23fffffff & ~(PAGE - 1), RAM, big);
	expect(pool, root, 0x240000000, RAM, 1ull << 21);
	expect(pool, root, 0x250000000, RAM, 1ull << 21);
	expect(pool, root, 0x2501ff000, RAM, 1ull << 21);
	expect(pool, root, 0x250200000, ABSENT, 0);
	expect(pool, root, 0x27fe00000, ABSENT, 0);
	expect(pool, root, 0x280000000, ABSENT, 0);
	/* The far range, rounded out to two chunks; nothing around it. */
	expect(pool, root, 0xfffe00000, ABSENT, 0);
	expect(pool, root, 0x1000000000, RAM, 1ull << 21);
	expect(pool, root, 0x1000200000, RAM, 1ull << 21);
	expect(pool, root, 0x1000400000, ABSENT, 0);
	expect(pool, root, PAGING_IDENTITY_LIMIT - PAGE, ABSENT, 0);
	/* Every table page came from the allocator, none was lost. */
	assert_int_equal(count_tables(root, 4), pool->used);
}

static void test_build_with_gigabyte_pages(void **state)
{
	struct page_pool pool = pool_new(64);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&pc_map, &image, true, &src);

	assert_true(pool_owns(&pool, root));
	check_common(&pool, root, GIB);
	/* GiB 1 is all RAM (reserved firmware ranges count as RAM). */
	expect(&pool, root, 0x40000000, RAM, GIB);
	expect(&pool, root, 0x7ffff000, RAM, GIB);
	/* PML4 + PDPT + PDs for GiB 0, 3, 9 and 64 + PTs for page 0 and the image. */
	assert_int_equal(pool.used, 1 + 1 + 4 + 2);
	free(pool.mem);
}

static void test_build_without_gigabyte_pages(void **state)
{
	struct page_pool pool = pool_new(64);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&pc_map, &image, false, &src);

	assert_true(pool_owns(&pool, root));
	check_common(&pool, root, 1ull << 21);
	expect(&pool, root, 0x40000000, RAM, 1ull << 21);
	expect(&pool, root, 0x7ffff000, RAM, 1ull << 21);
	/* PML4 + PDPT + PDs for GiB 0, 1, 3, 4..8, 9 and 64 + PTs for page 0
	 * and the image. */
	assert_int_equal(pool.used, 1 + 1 + 10 + 2);
	free(pool.mem);
}

static void test_pure_mmio_gib_is_one_uncacheable_page(void **state)
{
	const struct mem_range low[] = { { 0x100000, 0x40000000 } };
	const struct paging_memory_map map = { low, 1, low, 1 };
	struct page_pool pool = pool_new(16);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&map, &image, true, &src);

	assert_true(pool_owns(&pool, root));
	expect(&pool, root, 0xc0000000, MMIO, GIB);
	expect(&pool, root, 0xfee00000, MMIO, GIB);
	expect(&pool, root, 0x40000000, ABSENT, 0);
	expect(&pool, root, 0x100000000, ABSENT, 0);
	expect(&pool, root, 0x600000, RAM, 1ull << 21);
	free(pool.mem);
}

static void test_ram_beyond_identity_limit_is_clipped(void **state)
{
	const struct mem_range top[] = {
		{ 0x100000, 0x40000000 },
		{ PAGING_IDENTITY_LIMIT - GIB, PAGING_IDENTITY_LIMIT + GIB },
	};
	const struct paging_memory_map map = { top, 2, top, 2 };
	struct page_pool pool = pool_new(16);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&map, &image, true, &src);
	const uint64_t *pml4 = (const uint64_t *)(uintptr_t)root;

	assert_true(pool_owns(&pool, root));
	expect(&pool, root, PAGING_IDENTITY_LIMIT - PAGE, RAM, GIB);
	/* Nothing in the upper (non-canonical for identity) half. */
	for (unsigned i = 256; i < 512; i++)
		assert_int_equal(pml4[i], 0);
	free(pool.mem);
}

static void test_build_failures(void **state)
{
	struct page_pool pool = pool_new(64);
	struct pt_page_source src = { pool_alloc, &pool };
	struct image_layout bad = image;

	/* Running out of table pages at any point fails cleanly. */
	for (size_t limit = 0; limit < 8; limit++) {
		pool.used = 0;
		pool.limit = limit;
		assert_int_equal(paging_build(&pc_map, &image, true, &src), 0);
	}
	pool.used = 0;
	pool.limit = 8;
	assert_int_not_equal(paging_build(&pc_map, &image, true, &src), 0);

	/* Misaligned, unordered or overlapping sections are refused. */
	pool.limit = pool.pages;
	bad.text_end += 8;
	assert_int_equal(paging_build(&pc_map, &bad, true, &src), 0);
	bad = image;
	bad.rodata_start = image.text_start;	/* writable-data-under-text risk */
	assert_int_equal(paging_build(&pc_map, &bad, true, &src), 0);
	bad = image;
	bad.end = bad.start;
	bad.text_start = bad.text_end = bad.rodata_start = bad.rodata_end = bad.start;
	bad.data_start = bad.data_end = bad.start;
	assert_int_equal(paging_build(&pc_map, &bad, true, &src), 0);
	free(pool.mem);
}

static void test_map_4k_at_runtime(void **state)
{
	struct page_pool pool = pool_new(64);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&pc_map, &image, true, &src);
	const uint64_t flags = PTE_PRESENT | PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX;
	const uint64_t va = 0x4000000000;	/* 256 GiB: no RAM there */
	size_t used;

	assert_int_not_equal(root, 0);
	assert_int_equal(paging_map_4k(root, va, 0xfed00000, flags, &src), 0);
	{
		struct xlate x = walk(&pool, root, va + 0x123);

		assert_true(x.present && x.writable && x.uncacheable && !x.executable);
		assert_int_equal(x.pa, 0xfed00123);
		assert_int_equal(x.page_size, PAGE);
	}
	/* A neighbour reuses the new tables; a second mapping of va fails. */
	used = pool.used;
	assert_int_equal(paging_map_4k(root, va + PAGE, 0x5000, PTE_PRESENT, &src), 0);
	assert_int_equal(pool.used, used);
	expect(&pool, root, va + 2 * PAGE, ABSENT, 0);
	assert_int_equal(paging_map_4k(root, va, 0x6000, PTE_PRESENT, &src), -EEXIST);
	assert_int_equal(walk(&pool, root, va).pa, 0xfed00000);
	/* Memory under a live huge page is never remapped (no flush needed). */
	assert_int_equal(paging_map_4k(root, 0x100000000, 0x1000, PTE_PRESENT, &src), -EEXIST);
	assert_int_equal(paging_map_4k(root, 0x40000000, 0x1000, PTE_PRESENT, &src), -EEXIST);
	expect(&pool, root, 0x100000000, RAM, GIB);
	assert_int_equal(paging_map_4k(root, image.text_start, 0x1000, PTE_PRESENT, &src), -EEXIST);
	expect(&pool, root, image.text_start, TEXT, PAGE);

	/* Bad arguments. */
	assert_int_equal(paging_map_4k(root, va + 8, 0x1000, PTE_PRESENT, &src), -EINVAL);
	assert_int_equal(paging_map_4k(root, va + 8 * PAGE, 0x1001, PTE_PRESENT, &src), -EINVAL);
	assert_int_equal(paging_map_4k(root, va + 8 * PAGE, 1ull << 52, PTE_PRESENT, &src), -EINVAL);
	assert_int_equal(paging_map_4k(root, PAGING_IDENTITY_LIMIT, 0x1000, PTE_PRESENT, &src), -EINVAL);
	assert_int_equal(paging_map_4k(root, va + 8 * PAGE, 0x1000, PTE_WRITE, &src), -EINVAL);
	assert_int_equal(paging_map_4k(root, va + 8 * PAGE, 0x1000, PTE_PRESENT | PTE_HUGE, &src), -EINVAL);
	expect(&pool, root, va + 8 * PAGE, ABSENT, 0);

	/* Out of table pages: refused, nothing half-mapped. */
	pool.limit = pool.used;
	assert_int_equal(paging_map_4k(root, 0x5000000000, 0x1000, PTE_PRESENT, &src), -ENOMEM);
	expect(&pool, root, 0x5000000000, ABSENT, 0);
	assert_int_equal(count_tables(root, 4), pool.used);
	free(pool.mem);
}

/* paging_lookup() finds the leaf walk() finds, and nothing the identity
 * map cannot reach, however the address's unused bits alias a mapping. */
static void test_lookup(void **state)
{
	static const uint64_t addrs[] = {
		0, 0xfff, 0x1000, 0x9f000, 0xa0000, 0x100000, 0x7ffdf000, 0xc0000000,
		0xfee00000, 0x100000000, 0x250000000, 0x280000000, 0x1000200000,
		0x202000, 0x20a000, 0x20e000,	/* the image's text, rodata, data */
	};
	struct page_pool pool = pool_new(64);
	struct pt_page_source src = { pool_alloc, &pool };
	uint64_t root = paging_build(&pc_map, &image, true, &src);

	assert_int_not_equal(root, 0);
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct xlate x = walk(&pool, root, addrs[i]);
		uint64_t leaf = paging_lookup(root, addrs[i]);

		assert_int_equal(leaf != 0, x.present);
		if (!x.present)
			continue;
		assert_int_equal((leaf & PTE_ADDR_MASK) + addrs[i] % x.page_size, x.pa);
		assert_int_equal((leaf & PTE_PCD) && (leaf & PTE_PWT), x.uncacheable);
	}
	/* 0x100000 is RAM: its aliases in the upper half and beyond it are not. */
	assert_int_not_equal(paging_lookup(root, 0x100000), 0);
	assert_int_equal(paging_lookup(root, 0x1000000100000), 0);
	assert_int_equal(paging_lookup(root, 0xffff800000100000), 0);
	assert_int_equal(paging_lookup(root, PAGING_IDENTITY_LIMIT), 0);
	free(pool.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_with_gigabyte_pages),
		cmocka_unit_test(test_build_without_gigabyte_pages),
		cmocka_unit_test(test_pure_mmio_gib_is_one_uncacheable_page),
		cmocka_unit_test(test_ram_beyond_identity_limit_is_clipped),
		cmocka_unit_test(test_build_failures),
		cmocka_unit_test(test_map_4k_at_runtime),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
