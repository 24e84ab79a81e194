/* TDP iterator: pre-order over a hand-built structure with 1G, 2M and 4K
 * leaves, the minimum level, range ends, and restart after a yield. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mm/page.h"
#include "mm/tdp_iter.h"
#include "tests/unit/page_host.h"
#include "vmx/ept_pte.h"

#define G1	(1ull << 18)	/* gfns per 1G entry */
#define M2	512ull		/* gfns per 2M entry */

static uint64_t *root;

static uint64_t table_entry(uint64_t *pt)
{
	return ept_pte_ops.make_table(virt_to_phys(pt) >> 12);
}

/* PML4[0] -> PDPT; PDPT[0] = 1G leaf; PDPT[1] -> PD; PD[0] = 2M leaf;
 * PD[1] -> PT with 4K leaves at 0 and 5; PD[2] empty. */
static int build(void **state)
{
	uint64_t *pdpt = page_alloc_zeroed(), *pd = page_alloc_zeroed(), *pt = page_alloc_zeroed();

	root = page_alloc_zeroed();
	root[0] = table_entry(pdpt);
	pdpt[0] = ept_pte_ops.make_leaf(0x40000, 3, TDP_PERM_ALL, TDP_MEMTYPE_WB);
	pdpt[1] = table_entry(pd);
	pd[0] = ept_pte_ops.make_leaf(0x80000, 2, TDP_PERM_ALL, TDP_MEMTYPE_WB);
	pd[1] = table_entry(pt);
	pt[0] = ept_pte_ops.make_leaf(0x1000, 1, TDP_PERM_ALL, TDP_MEMTYPE_WB);
	pt[5] = ept_pte_ops.make_leaf(0x1005, 1, TDP_PERM_ALL, TDP_MEMTYPE_WB);
	return 0;
}

static int unbuild(void **state)
{
	page_host_reset();
	return 0;
}

struct visit {
	int level;
	uint64_t gfn;
};

static void expect_visit(const struct tdp_iter *it, int level, uint64_t gfn)
{
	assert_true(it->valid);
	assert_int_equal(it->level, level);
	assert_int_equal(it->gfn, gfn);
	assert_int_equal(it->old_pte, *it->ptep);
}

static void test_preorder_over_mixed_leaves(void **state)
{
	struct tdp_iter it;
	uint64_t end = G1 + 3 * M2, expect_gfn = G1 + M2;
	int n = 0, present_4k = 0;

	tdp_iter_start(&it, &ept_pte_ops, root, 4, 1, 0);
	expect_visit(&it, 4, 0);
	tdp_iter_next(&it);
	expect_visit(&it, 3, 0);		/* the 1G leaf: not entered */
	tdp_iter_next(&it);
	expect_visit(&it, 3, G1);
	tdp_iter_next(&it);
	expect_visit(&it, 2, G1);		/* the 2M leaf */
	tdp_iter_next(&it);
	expect_visit(&it, 2, G1 + M2);
	for (tdp_iter_next(&it); it.valid && it.level == 1; tdp_iter_next(&it)) {
		expect_visit(&it, 1, expect_gfn++);
		present_4k += ept_pte_ops.is_present(it.old_pte);
		n++;
	}
	assert_int_equal(n, 512);
	assert_int_equal(present_4k, 2);
	expect_visit(&it, 2, G1 + 2 * M2);	/* empty */
	tdp_iter_next(&it);
	assert_true(it.gfn >= end);		/* the walk's range ends here */
}

static void test_min_level_and_start_inside(void **state)
{
	struct tdp_iter it;
	struct visit seen[8];
	int n = 0;

	for_each_tdp_pte(it, &ept_pte_ops, root, 4, 2, G1 + M2 + 7, G1 + 3 * M2) {
		assert_true(n < 8);
		seen[n++] = (struct visit){ it.level, it.gfn };
	}
	assert_int_equal(n, 4);	/* L4, L3, then the L2 entries from the one holding start */
	assert_int_equal(seen[0].level, 4);
	assert_int_equal(seen[1].level, 3);
	assert_int_equal(seen[1].gfn, G1);
	assert_int_equal(seen[2].level, 2);
	assert_int_equal(seen[2].gfn, G1 + M2);
	assert_int_equal(seen[3].gfn, G1 + 2 * M2);
}

static void test_yield_restarts_from_root(void **state)
{
	struct tdp_iter it;

	tdp_iter_start(&it, &ept_pte_ops, root, 4, 1, G1 + M2);
	assert_false(tdp_iter_can_yield(&it));	/* no progress yet */
	while (!(it.level == 1 && it.gfn == G1 + M2 + 5))
		tdp_iter_next(&it);
	assert_true(tdp_iter_can_yield(&it));
	tdp_iter_yielded(&it);
	tdp_iter_next(&it);
	expect_visit(&it, 4, 0);
	assert_false(tdp_iter_can_yield(&it));	/* a second yield would not progress */
	tdp_iter_next(&it);
	expect_visit(&it, 3, G1);
	tdp_iter_next(&it);
	expect_visit(&it, 2, G1 + M2);
	tdp_iter_next(&it);
	expect_visit(&it, 1, G1 + M2 + 5);	/* resumes at the unfinished entry */
	assert_true(ept_pte_ops.is_present(it.old_pte));
	tdp_iter_next(&it);
	expect_visit(&it, 1, G1 + M2 + 6);
	assert_true(tdp_iter_can_yield(&it));
}

static void test_walk_ends_at_top_of_address_space(void **state)
{
	struct tdp_iter it;
	int n = 0;

	for_each_tdp_pte(it, &ept_pte_ops, root, 4, 4, 510ull << 27, UINT64_MAX)
		n++;
	assert_int_equal(n, 2);	/* PML4 entries 510 and 511, then the walk ends */
	assert_false(it.valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preorder_over_mixed_leaves),
		cmocka_unit_test(test_min_level_and_start_inside),
		cmocka_unit_test(test_yield_restarts_from_root),
		cmocka_unit_test(test_walk_ends_at_top_of_address_space),
	};

	return cmocka_run_group_tests(tests, build, unbuild);
}
