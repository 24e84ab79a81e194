/* Host tests for mm/heap: the break over a pmm-backed block and its
 * sizing. pmm runs over a host arena. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/heap.h"
#include "mm/pmm.h"
#include "tests/unit/host.h"

void *_sbrk(ptrdiff_t incr);

static uint8_t *arena;

/* pmm over 24 MiB at a 32 MiB boundary: the lower 16 MiB holds metadata
 * and tables, so the biggest free block is the 8 MiB above it. */
static int setup_pmm(void **state)
{
	uint64_t base;
	static struct mem_range ram[1];
	struct pmm_boot_map boot;

	arena = aligned_alloc(MiB(32), MiB(32));
	if (!arena)
		return -1;
	base = (uint64_t)(uintptr_t)arena;
	ram[0] = (struct mem_range){ base, base + MiB(24) };
	boot = (struct pmm_boot_map){
		.map = { ram, 1, ram, 1 },
		.image = { base, base + 4096, base + 8192, base + 8192, base + 8192,
			   base + 8192, base + 8192, base + 8192 },
		.early_mapped_end = UINT64_MAX,
	};
	if (!pmm_early_init(&boot) || pmm_init())
		return -1;
	return 0;
}

static int teardown_pmm(void **state)
{
	free(arena);
	return 0;
}

static void test_default_size(void **state)
{
	assert_int_equal(heap_default_bytes(MiB(16)), MiB(2));
	assert_int_equal(heap_default_bytes(MiB(256)), MiB(16));
	assert_int_equal(heap_default_bytes(GiB(2)), MiB(64));
	assert_int_equal(heap_default_bytes(GiB(512)), MiB(64));
}

static void test_sbrk_before_init_fails(void **state)
{
	errno = 0;
	assert_ptr_equal(_sbrk(16), (void *)-1);
	assert_int_equal(errno, ENOMEM);
	assert_non_null(strstr(host_last_log, "before heap_init"));
}

static void test_break_moves_inside_the_block(void **state)
{
	uint64_t free_before = pmm_free_bytes();
	uint8_t *start, *p;

	/* No 16 MiB block exists: the heap falls back to the biggest one. */
	assert_int_equal(heap_init(MiB(24)), 0);
	assert_int_equal(heap_size_bytes(), MiB(8));
	assert_int_equal(pmm_free_bytes(), free_before - MiB(8));
	assert_int_equal(heap_init(MiB(2)), -EINVAL);
	assert_int_equal(heap_used_bytes(), 0);

	start = _sbrk(0);
	assert_true(IS_ALIGNED((uintptr_t)start, MiB(8)));
	assert_ptr_equal(_sbrk(100), start);
	assert_ptr_equal(_sbrk(4000), start + 100);
	assert_int_equal(heap_used_bytes(), 4100);
	memset(start, 0x5a, 4100);	/* real, writable memory */
	assert_ptr_equal(_sbrk(-100), start + 4100);
	assert_int_equal(heap_used_bytes(), 4000);

	/* Exhaustion: refused with ENOMEM, break unchanged, then still usable. */
	errno = 0;
	assert_ptr_equal(_sbrk(MiB(8)), (void *)-1);
	assert_int_equal(errno, ENOMEM);
	assert_non_null(strstr(host_last_log, "out of memory"));
	assert_ptr_equal(_sbrk(-5000), (void *)-1);
	assert_int_equal(heap_used_bytes(), 4000);
	p = _sbrk(MiB(8) - 4000);
	assert_ptr_equal(p, start + 4000);
	assert_int_equal(heap_used_bytes(), MiB(8));
	assert_ptr_equal(_sbrk(1), (void *)-1);
	assert_ptr_equal(_sbrk(-(ptrdiff_t)MiB(8)), start + MiB(8));
	assert_int_equal(heap_used_bytes(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_size),
		cmocka_unit_test(test_sbrk_before_init_fails),
		cmocka_unit_test(test_break_moves_inside_the_block),
	};

	return cmocka_run_group_tests(tests, setup_pmm, teardown_pmm);
}
