/* EPT and NPT entry formats: exact bits per the Intel SDM / AMD APM and
 * round trips through the PTE-ops interface. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "svm/npt_pte.h"
#include "vmx/ept_pte.h"

static void test_ept_bits(void **state)
{
	const struct tdp_pte_ops *o = &ept_pte_ops;
	uint64_t leaf = o->make_leaf(0x1234, 1, TDP_PERM_ALL, TDP_MEMTYPE_WB);

	/* R/W/X bits 0-2, WB (6) in bits 5:3, ignore-PAT bit 6. */
	assert_int_equal(leaf, 0x1234000ull | 0x7 | (6 << 3) | (1 << 6));
	assert_int_equal(o->make_leaf(0x200, 2, TDP_PERM_READ, TDP_MEMTYPE_UC),
			 0x200000ull | 0x1 | (1 << 6) | (1 << 7));
	assert_int_equal(o->make_table(0x55), 0x55000ull | 0x7);
	assert_false(o->is_present(0));
	assert_true(o->is_present(EPT_EXEC));	/* execute-only is present */
	assert_true(o->is_leaf(leaf, 1));
	assert_false(o->is_leaf(o->make_table(0x55), 2));
	assert_true(o->is_leaf(o->make_leaf(0x40000, 3, TDP_PERM_ALL, TDP_MEMTYPE_WB), 3));
	assert_int_equal(o->pfn(leaf | (1ull << 63) | (1ull << 52)), 0x1234);
	assert_int_equal(o->perms(o->with_perms(leaf, TDP_PERM_READ | TDP_PERM_EXEC)),
			 TDP_PERM_READ | TDP_PERM_EXEC);
	assert_int_equal(o->with_perms(leaf, TDP_PERM_ALL), leaf);
	assert_int_equal(o->memtype(leaf), TDP_MEMTYPE_WB);
	assert_false(o->is_accessed(leaf) || o->is_dirty(leaf));
	assert_true(o->is_accessed(leaf | (1 << 8)));
	assert_true(o->is_dirty(leaf | (1 << 9)));
	assert_int_equal(o->clear_dirty(leaf | (3 << 8)), leaf | (1 << 8));
}

static void test_npt_bits(void **state)
{
	const struct tdp_pte_ops *o = &npt_pte_ops;
	uint64_t leaf = o->make_leaf(0x1234, 1, TDP_PERM_READ | TDP_PERM_EXEC, TDP_MEMTYPE_WB);

	/* P, US (nested walks are user accesses); no RW; NX clear: exec. */
	assert_int_equal(leaf, 0x1234000ull | 0x1 | 0x4);
	assert_int_equal(o->make_leaf(0x1234, 1, TDP_PERM_READ, TDP_MEMTYPE_WB),
			 leaf | (1ull << 63));
	assert_int_equal(o->make_leaf(0x200, 2, TDP_PERM_ALL, TDP_MEMTYPE_UC),
			 0x200000ull | 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | (1 << 7));
	assert_int_equal(o->make_table(0x55), 0x55000ull | 0x7);
	assert_false(o->is_present(NPT_WRITE | NPT_USER));
	assert_true(o->is_leaf(leaf, 1));
	assert_false(o->is_leaf(o->make_table(0x55), 3));
	assert_int_equal(o->pfn(leaf | (1ull << 63)), 0x1234);
	assert_int_equal(o->perms(leaf), TDP_PERM_READ | TDP_PERM_EXEC);
	assert_int_equal(o->perms(o->with_perms(leaf, TDP_PERM_ALL)), TDP_PERM_ALL);
	assert_int_equal(o->perms(o->with_perms(leaf, TDP_PERM_READ)), TDP_PERM_READ);
	assert_int_equal(o->memtype(o->make_leaf(1, 1, TDP_PERM_READ, TDP_MEMTYPE_UC)), TDP_MEMTYPE_UC);
	assert_true(o->is_accessed(leaf | (1 << 5)));
	assert_true(o->is_dirty(leaf | (1 << 6)));
	assert_int_equal(o->clear_dirty(leaf | (3 << 5)), leaf | (1 << 5));
}

/* Every combination survives make_leaf -> accessors in both formats. */
static void test_round_trips(void **state)
{
	const struct tdp_pte_ops *fmts[] = { &ept_pte_ops, &npt_pte_ops };

	for (unsigned f = 0; f < 2; f++)
		for (int level = 1; level <= 3; level++)
			for (unsigned perms = TDP_PERM_READ; perms <= TDP_PERM_ALL; perms++) {
				uint64_t pfn = 0xabcde000ull >> ((level - 1) * 9) << ((level - 1) * 9);
				uint64_t pte;

				if (!(perms & TDP_PERM_READ))
					continue;
				pte = fmts[f]->make_leaf(pfn, level, perms, TDP_MEMTYPE_WB);
				assert_true(fmts[f]->is_leaf(pte, level));
				assert_int_equal(fmts[f]->pfn(pte), pfn);
				assert_int_equal(fmts[f]->perms(pte), perms);
				assert_int_equal(fmts[f]->memtype(pte), TDP_MEMTYPE_WB);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ept_bits),
		cmocka_unit_test(test_npt_bits),
		cmocka_unit_test(test_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
