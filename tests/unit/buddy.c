/* Host tests for mm/buddy: the "physical memory" is an aligned_alloc'd
 * arena whose host addresses serve as physical addresses. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/buddy.h"
#include "tests/unit/host.h"

#define PAGE BUDDY_PAGE_SIZE

struct arena {
	uint8_t *mem;
	uint64_t size;
};

static struct arena arena_new(uint64_t align, uint64_t size)
{
	struct arena a = { aligned_alloc(align, size), size };

	assert_non_null(a.mem);
	return a;
}

static uint64_t pa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Fill the block with words derived from its address and a tag. */
static void fill_block(uint64_t pa, unsigned order, uint64_t tag)
{
	uint64_t *w = (uint64_t *)(uintptr_t)pa;

	for (uint64_t i = 0; i < (PAGE << order) / 8; i++)
		w[i] = pa ^ (i * 0x9e3779b97f4a7c15ull) ^ tag;
}

static void check_block(uint64_t pa, unsigned order, uint64_t tag)
{
	const uint64_t *w = (const uint64_t *)(uintptr_t)pa;

	for (uint64_t i = 0; i < (PAGE << order) / 8; i++)
		assert_int_equal(w[i], pa ^ (i * 0x9e3779b97f4a7c15ull) ^ tag);
}

/* Allocate order-0 pages until none is left; returns them sorted. */
static uint64_t *alloc_all_pages(struct buddy *b, size_t *count)
{
	size_t cap = buddy_free_pages(b) + 1, n = 0;
	uint64_t *pages = malloc(cap * sizeof(*pages));
	uint64_t pa;

	assert_non_null(pages);
	while ((pa = buddy_alloc(b, 0)) != 0) {
		assert_true(n < cap);
		pages[n++] = pa;
	}
	qsort(pages, n, sizeof(*pages), cmp_u64);
	*count = n;
	return pages;
}

static void test_every_order_aligned_disjoint_and_intact(void **state)
{
	struct arena a = arena_new(MiB(16), MiB(16));
	uint64_t blocks[64], initial;
	unsigned orders[64];
	size_t n = 0;
	struct buddy b;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, pa_of(a.mem), pa_of(a.mem) + a.size), 0);
	initial = buddy_free_pages(&b);
	assert_int_equal(buddy_managed_pages(&b), initial);

	/* Orders 0..10 twice over, so later blocks come from split ones. */
	for (unsigned round = 0; round < 2; round++)
		for (unsigned order = 0; order <= 10; order++) {
			uint64_t pa = buddy_alloc(&b, order);

			assert_int_not_equal(pa, 0);
			assert_true(IS_ALIGNED(pa, PAGE << order));
			assert_true(pa >= pa_of(a.mem));
			assert_true(pa + (PAGE << order) <= pa_of(a.mem) + a.size);
			blocks[n] = pa;
			orders[n++] = order;
			fill_block(pa, order, n);
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j)
				assert_true(blocks[i] + (PAGE << orders[i]) <= blocks[j] ||
					    blocks[j] + (PAGE << orders[j]) <= blocks[i]);
	for (size_t i = 0; i < n; i++)
		check_block(blocks[i], orders[i], i + 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buddy_free(&b, blocks[i], orders[i]), 0);
	assert_int_equal(buddy_free_pages(&b), initial);
	/* The upper 8 MiB of the arena is one order-11 block again. */
	assert_int_equal(buddy_alloc(&b, 11), pa_of(a.mem) + MiB(8));
	assert_int_equal(buddy_alloc(&b, 11), 0);
	free(a.mem);
}

static void test_gigabyte_block(void **state)
{
	struct arena a = arena_new(GiB(1), GiB(2));
	uint64_t base = pa_of(a.mem);
	struct buddy b;
	uint64_t pa;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, base, base + a.size), 0);
	pa = buddy_alloc(&b, BUDDY_MAX_ORDER);
	assert_int_equal(pa, base + GiB(1));
	assert_int_equal(buddy_alloc(&b, BUDDY_MAX_ORDER), 0);
	assert_int_equal(buddy_alloc(&b, BUDDY_MAX_ORDER + 1), 0);
	/* Touch the ends of the block: it is real, writable memory. */
	*(volatile uint64_t *)(uintptr_t)pa = 1;
	*(volatile uint64_t *)(uintptr_t)(pa + GiB(1) - 8) = 2;
	assert_int_equal(buddy_free(&b, pa, BUDDY_MAX_ORDER), 0);
	assert_int_equal(buddy_alloc(&b, BUDDY_MAX_ORDER), pa);
	free(a.mem);
}

static void test_checkerboard_free_then_merge(void **state)
{
	struct arena a = arena_new(MiB(4), MiB(4));
	uint64_t initial, *pages;
	struct buddy b;
	size_t n;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, pa_of(a.mem), pa_of(a.mem) + a.size), 0);
	initial = buddy_free_pages(&b);
	pages = alloc_all_pages(&b, &n);
	assert_int_equal(n, initial);
	assert_int_equal(buddy_free_pages(&b), 0);

	/* Free every page with an even frame number: no two free pages are
	 * buddies, so nothing bigger than one page may be allocatable. */
	for (size_t i = 0; i < n; i++)
		if (!((pages[i] / PAGE) & 1))
			assert_int_equal(buddy_free(&b, pages[i], 0), 0);
	assert_int_equal(buddy_alloc(&b, 1), 0);
	for (size_t i = 0; i < n; i++)
		if ((pages[i] / PAGE) & 1)
			assert_int_equal(buddy_free(&b, pages[i], 0), 0);
	assert_int_equal(buddy_free_pages(&b), initial);
	/* Merging rebuilt the top half of the arena as one 2 MiB block. */
	assert_int_equal(buddy_alloc(&b, 9), pa_of(a.mem) + MiB(2));
	free(pages);
	free(a.mem);
}

static void test_exhaustion_and_full_recovery(void **state)
{
	struct arena a = arena_new(MiB(2), MiB(6));
	uint64_t initial, blocks[4096];
	unsigned orders[4096];
	struct buddy b;
	size_t n = 0;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, pa_of(a.mem), pa_of(a.mem) + a.size), 0);
	initial = buddy_free_pages(&b);
	/* Mixed orders until even a single page fails. */
	for (unsigned order = 3;; order = (order + 5) % 7) {
		uint64_t pa = buddy_alloc(&b, order);

		if (!pa) {
			while ((pa = buddy_alloc(&b, 0)) != 0) {
				blocks[n] = pa;
				orders[n++] = 0;
			}
			break;
		}
		assert_true(n < ARRAY_SIZE(blocks));
		blocks[n] = pa;
		orders[n++] = order;
	}
	assert_int_equal(buddy_free_pages(&b), 0);
	assert_int_equal(buddy_alloc(&b, 0), 0);
	for (size_t i = n; i-- > 0;)
		assert_int_equal(buddy_free(&b, blocks[i], orders[i]), 0);
	assert_int_equal(buddy_free_pages(&b), initial);
	assert_int_not_equal(buddy_alloc(&b, 9), 0);
	assert_int_not_equal(buddy_alloc(&b, 9), 0);
	free(a.mem);
}

/* A rejected free must be logged and leave every count unchanged. */
static void expect_bad_free(struct buddy *b, uint64_t pa, unsigned order,
			    const char *why)
{
	uint64_t before = buddy_free_pages(b);

	host_last_log[0] = '\0';
	assert_int_equal(buddy_free(b, pa, order), -EINVAL);
	assert_non_null(strstr(host_last_log, why));
	assert_int_equal(buddy_free_pages(b), before);
}

static void test_bad_frees_are_detected(void **state)
{
	struct arena a = arena_new(MiB(2), MiB(2));
	uint64_t base = pa_of(a.mem), initial, p4, p0, q0, r0, pg[3];
	struct buddy b;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, base, base + a.size), 0);
	initial = buddy_free_pages(&b);
	p4 = buddy_alloc(&b, 4);
	/* Of three single pages two are buddies (q0, r0); p0 is the other. */
	for (size_t i = 0; i < ARRAY_SIZE(pg); i++)
		assert_int_not_equal(pg[i] = buddy_alloc(&b, 0), 0);
	qsort(pg, ARRAY_SIZE(pg), sizeof(pg[0]), cmp_u64);
	if ((pg[0] ^ PAGE) == pg[1]) {
		q0 = pg[0], r0 = pg[1], p0 = pg[2];
	} else {
		p0 = pg[0], q0 = pg[1], r0 = pg[2];
	}
	assert_int_not_equal(p4, 0);
	assert_int_equal(q0 ^ PAGE, r0);

	expect_bad_free(&b, p4, 3, "wrong order");
	expect_bad_free(&b, p4, 5, "");
	expect_bad_free(&b, p4 + PAGE, 0, "not the start of an allocated block");
	expect_bad_free(&b, p4 + 8 * PAGE, 3, "not the start");
	expect_bad_free(&b, p0 + 0x800, 0, "not aligned");
	expect_bad_free(&b, p0, BUDDY_MAX_ORDER + 1, "order out of range");
	expect_bad_free(&b, base, 0, "not managed");	/* the metadata page */
	expect_bad_free(&b, base + MiB(2), 0, "not managed");
	expect_bad_free(&b, 0, 0, "not managed");

	assert_int_equal(buddy_free(&b, p0, 0), 0);
	expect_bad_free(&b, p0, 0, "double free");
	/* Once merged with its buddy, the page is inside a bigger free block. */
	assert_int_equal(buddy_free(&b, q0, 0), 0);
	expect_bad_free(&b, q0, 0, "double free");
	assert_int_equal(buddy_free(&b, r0, 0), 0);
	expect_bad_free(&b, MAX(q0, r0), 0, "not the start");
	expect_bad_free(&b, MIN(q0, r0), 0, "double free");

	assert_int_equal(buddy_free(&b, p4, 4), 0);
	expect_bad_free(&b, p4, 4, "");
	assert_int_equal(buddy_free_pages(&b), initial);
	assert_int_equal(buddy_alloc(&b, 8), base + MiB(1));
	free(a.mem);
}

static void test_odd_sized_and_multiple_ranges(void **state)
{
	struct arena a = arena_new(MiB(1), MiB(8));
	uint64_t base = pa_of(a.mem);
	/* Unaligned ends, a non-power-of-two length, and a gap between. */
	struct mem { uint64_t start, end; } r[] = {
		{ base + 123, base + MiB(3) + 5 * PAGE + 77 },
		{ base + MiB(4) + 3 * PAGE, base + MiB(7) + 1 },
	};
	uint64_t raw_pages = 0, *pages;
	struct buddy b;
	size_t n;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, r[1].start, r[1].end), 0);
	assert_int_equal(buddy_add_range(&b, r[0].start, r[0].end), 0);
	for (size_t i = 0; i < ARRAY_SIZE(r); i++)
		raw_pages += (ALIGN_DOWN(r[i].end, PAGE) - ALIGN_UP(r[i].start, PAGE)) / PAGE;
	/* Metadata costs one byte per page plus a small header, per range. */
	assert_true(buddy_managed_pages(&b) < raw_pages);
	assert_true(buddy_managed_pages(&b) >= raw_pages - 2 - raw_pages / PAGE - 2);
	assert_int_equal(buddy_free_pages(&b), buddy_managed_pages(&b));

	/* Every page handed out lies inside one range, page aligned, once. */
	pages = alloc_all_pages(&b, &n);
	assert_int_equal(n, buddy_managed_pages(&b));
	for (size_t i = 0; i < n; i++) {
		bool inside = false;

		assert_true(IS_ALIGNED(pages[i], PAGE));
		for (size_t j = 0; j < ARRAY_SIZE(r); j++)
			inside |= pages[i] >= r[j].start && pages[i] + PAGE <= r[j].end;
		assert_true(inside);
		if (i)
			assert_true(pages[i] > pages[i - 1]);
		fill_block(pages[i], 0, 7);
	}
	for (size_t i = 0; i < n; i++) {
		check_block(pages[i], 0, 7);
		assert_int_equal(buddy_free(&b, pages[i], 0), 0);
	}
	assert_int_equal(buddy_free_pages(&b), n);

	/* Overlapping, reversed, too small and out-of-range ranges are refused. */
	assert_int_equal(buddy_add_range(&b, base + MiB(2), base + MiB(5)), -EINVAL);
	assert_int_equal(buddy_add_range(&b, base + MiB(7) - 4 * PAGE, base + MiB(8)), -EINVAL);
	assert_int_equal(buddy_add_range(&b, base + MiB(7) + PAGE, base + MiB(7)), -EINVAL);
	assert_int_equal(buddy_add_range(&b, base + MiB(7) + PAGE, base + MiB(7) + 2 * PAGE), -ENOSPC);
	assert_int_equal(buddy_add_range(&b, base + MiB(7) + PAGE, base + MiB(7) + PAGE + 100), -ENOSPC);
	assert_int_equal(buddy_add_range(&b, 1ull << 52, (1ull << 52) + MiB(2)), -EINVAL);
	assert_int_equal(buddy_free_pages(&b), n);
	free(pages);
	free(a.mem);
}

struct worker {
	struct buddy *b;
	unsigned id;
};

/* Allocate, stamp, verify and free blocks of small orders, many times. */
static void *churn(void *arg)
{
	struct worker *w = arg;
	uint64_t held[16] = { 0 };
	unsigned seed = w->id;

	host_set_cpu(w->id);
	for (unsigned i = 0; i < 4000; i++) {
		unsigned slot = rand_r(&seed) % ARRAY_SIZE(held);
		unsigned order = slot % 4;

		if (held[slot]) {
			check_block(held[slot], order, w->id);
			if (buddy_free(w->b, held[slot], order))
				return "free failed";
			held[slot] = 0;
		} else if ((held[slot] = buddy_alloc(w->b, order)) != 0) {
			fill_block(held[slot], order, w->id);
		}
	}
	for (unsigned slot = 0; slot < ARRAY_SIZE(held); slot++)
		if (held[slot] && buddy_free(w->b, held[slot], slot % 4))
			return "free failed";
	return NULL;
}

static void test_concurrent_alloc_free(void **state)
{
	struct arena a = arena_new(MiB(2), MiB(2));
	/* Two threads: more than the machine's cores make a ticket lock crawl
	 * (the next holder may be descheduled), worst under ThreadSanitizer. */
	struct worker w[2];
	pthread_t t[2];
	uint64_t initial;
	struct buddy b;

	buddy_init(&b);
	assert_int_equal(buddy_add_range(&b, pa_of(a.mem), pa_of(a.mem) + a.size), 0);
	initial = buddy_free_pages(&b);
	host_cpus = ARRAY_SIZE(t);
	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		w[i] = (struct worker){ &b, i };
		assert_int_equal(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		void *err;

		assert_int_equal(pthread_join(t[i], &err), 0);
		assert_null(err);
	}
	host_cpus = 1;
	assert_int_equal(buddy_free_pages(&b), initial);
	free(a.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_order_aligned_disjoint_and_intact),
		cmocka_unit_test(test_gigabyte_block),
		cmocka_unit_test(test_checkerboard_free_then_merge),
		cmocka_unit_test(test_exhaustion_and_full_recovery),
		cmocka_unit_test(test_bad_frees_are_detected),
		cmocka_unit_test(test_odd_sized_and_multiple_ranges),
		cmocka_unit_test(test_concurrent_alloc_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
