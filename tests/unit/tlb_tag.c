/* TLB tag pools: tags stay while valid, recycling starts a generation that
 * invalidates every older tag, and a tag never follows a vCPU to another CPU. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mm/tlb_tag.h"
#include "tests/unit/host.h"

static void test_kept_while_valid(void **state)
{
	struct tlb_tag a = { 0 };

	host_set_cpu(0);
	assert_true(tlb_tag_assign(&a, 15));
	assert_int_not_equal(a.id, 0);
	assert_false(tlb_tag_assign(&a, 15));
	assert_false(tlb_tag_assign(&a, 15));
}

static void test_recycling_invalidates_older_tags(void **state)
{
	struct tlb_tag tags[4] = { 0 };

	host_set_cpu(1);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(tlb_tag_assign(&tags[i], 3));
		assert_int_equal(tags[i].id, i + 1);
	}
	/* The pool is empty: the fourth vCPU starts a new generation. */
	assert_true(tlb_tag_assign(&tags[3], 3));
	assert_int_equal(tags[3].id, 1);
	/* Every tag of the old generation, even one whose number is not
	 * reused yet, must be taken afresh (and so flushed). */
	assert_true(tlb_tag_assign(&tags[2], 3));
	assert_int_equal(tags[2].id, 2);
	assert_true(tlb_tag_assign(&tags[0], 3));
	assert_int_equal(tags[0].id, 3);
	assert_false(tlb_tag_assign(&tags[3], 3));
}

static void test_tag_does_not_follow_to_another_cpu(void **state)
{
	struct tlb_tag a = { 0 };

	host_set_cpu(2);
	assert_true(tlb_tag_assign(&a, 15));
	host_set_cpu(3);
	assert_true(tlb_tag_assign(&a, 15));
	assert_int_equal(a.cpu, 3);
	assert_false(tlb_tag_assign(&a, 15));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_while_valid),
		cmocka_unit_test(test_recycling_invalidates_older_tags),
		cmocka_unit_test(test_tag_does_not_follow_to_another_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
