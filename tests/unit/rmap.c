/* Lazily allocated rmaps: none (and walks skipped) until the first shadow
 * root is prepared; then every slot, and each slot created later, has them;
 * chains hold any number of entries; harvests protect through them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mm/rmap.h"
#include "tests/unit/host.h"
#include "tests/unit/page_host.h"
#include "tests/unit/tdp_vm_host.h"
#include "vmx/ept_pte.h"

static struct test_vm *vm;

static int setup(void **state)
{
	host_cpus = 1;
	host_set_cpu(0);
	rcu_idle_exit();
	vm = test_vm_new(&ept_pte_ops, 3);
	return 0;
}

static int teardown(void **state)
{
	test_vm_cleanup();
	rcu_barrier();
	rcu_idle_enter();
	page_host_reset();
	return 0;
}

static const struct memslot *slot_of(unsigned id)
{
	const struct memslot *slot;

	rcu_read_lock();
	slot = memslot_find_id(memslots_active(&vm->ms, 0), id);
	rcu_read_unlock();
	return slot;
}

/* Heads for 4K, 2M and 1G frames of a slot, plus the header. */
static uint64_t expected_bytes(uint64_t base, uint64_t n)
{
	uint64_t heads = n + ((base + n - 1) >> 9) - (base >> 9) + 1 +
			 ((base + n - 1) >> 18) - (base >> 18) + 1;

	return sizeof(struct memslot_rmap) + heads * sizeof(struct rmap_head);
}

static void count_visit(uint64_t *sptep, void *arg)
{
	(*(int *)arg)++;
}

static void test_no_rmaps_until_shadow_root(void **state)
{
	int visits = 0;

	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0, 1ull << 18, test_host(0), 0), 0);	/* 1 GiB */
	assert_int_equal(memslot_create(&vm->ms, 0, 1, 0x80001, 700, test_host(1ull << 18), 0), 0);
	assert_false(memslots_have_rmaps(&vm->ms));
	assert_null(slot_of(0)->rmap);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.rmap_bytes), 0);
	assert_false(rmap_walk_range(&vm->ms, slot_of(0), 0, 16, count_visit, &visits));

	assert_int_equal(mmu_alloc_shadow_root_prepare(&vm->ms), 0);
	assert_true(memslots_have_rmaps(&vm->ms));
	assert_non_null(slot_of(0)->rmap);
	assert_non_null(slot_of(1)->rmap);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.rmap_bytes),
			 expected_bytes(0, 1ull << 18) + expected_bytes(0x80001, 700));
	assert_true(rmap_walk_range(&vm->ms, slot_of(0), 0, 16, count_visit, &visits));
	assert_int_equal(visits, 0);

	assert_int_equal(mmu_alloc_shadow_root_prepare(&vm->ms), 0);	/* idempotent */
	assert_int_equal(mm_stat_read(&vm->mmu.stats.rmap_bytes),
			 expected_bytes(0, 1ull << 18) + expected_bytes(0x80001, 700));

	/* Created, moved: rmaps from the start, for the new placement. */
	assert_int_equal(memslot_create(&vm->ms, 0, 2, 0x100000, 8, test_host(1ull << 19), 0), 0);
	assert_non_null(slot_of(2)->rmap);
	assert_int_equal(memslot_move(&vm->ms, 0, 2, 0x1001ff), 0);
	rcu_quiescent();
	assert_int_equal(mm_stat_read(&vm->mmu.stats.rmap_bytes),
			 expected_bytes(0, 1ull << 18) + expected_bytes(0x80001, 700) +
			 expected_bytes(0x1001ff, 8));
	assert_int_equal(memslot_delete(&vm->ms, 0, 0), 0);
	rcu_quiescent();
	assert_int_equal(mm_stat_read(&vm->mmu.stats.rmap_bytes),
			 expected_bytes(0x80001, 700) + expected_bytes(0x1001ff, 8));
}

static void collect(uint64_t *sptep, void *arg)
{
	uint64_t ***out = arg;

	*(*out)++ = sptep;
}

static void test_chains_hold_any_number(void **state)
{
	uint64_t sptes[20], *seen[20], **cursor;
	struct rmap_head *head;

	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0x10, 4, test_host(0), 0), 0);
	assert_int_equal(mmu_alloc_shadow_root_prepare(&vm->ms), 0);
	head = rmap_head_of(slot_of(0), 0x12, 1);
	for (int i = 0; i < 20; i++)
		assert_int_equal(rmap_add(head, &sptes[i]), 0);
	for (int i = 0; i < 20; i += 3)
		rmap_remove(head, &sptes[i]);
	cursor = seen;
	assert_true(rmap_walk_range(&vm->ms, slot_of(0), 0x10, 0x14, collect, &cursor));
	assert_int_equal(cursor - seen, 13);
	for (int i = 0; i < 20; i++) {
		bool found = false;

		for (uint64_t **p = seen; p < cursor; p++)
			found |= *p == &sptes[i];
		assert_int_equal(found, i % 3 != 0);
	}
	for (int i = 0; i < 20; i++)
		if (i % 3)
			rmap_remove(head, &sptes[i]);
	assert_int_equal(head->val, 0);
}

/* A harvest write-protects shadow entries found through the rmaps too. */
static void test_harvest_protects_shadow_entries(void **state)
{
	uint64_t shadow = ept_pte_ops.make_leaf(0x77, 1, TDP_PERM_ALL, TDP_MEMTYPE_WB), bits[1];

	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0x10, 8, test_host(0), MEMSLOT_DIRTY_LOG), 0);
	assert_int_equal(mmu_alloc_shadow_root_prepare(&vm->ms), 0);
	assert_int_equal(rmap_add(rmap_head_of(slot_of(0), 0x13, 1), &shadow), 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x13000, TDP_PERM_READ | TDP_PERM_WRITE), TDP_FAULT_MAPPED);
	assert_int_equal(memslot_get_dirty_log(&vm->ms, 0, 0, bits), 0);
	assert_int_equal(bits[0], 1u << 3);
	assert_int_equal(ept_pte_ops.perms(shadow), TDP_PERM_READ | TDP_PERM_EXEC);
	rmap_remove(rmap_head_of(slot_of(0), 0x13, 1), &shadow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_rmaps_until_shadow_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chains_hold_any_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_harvest_protects_shadow_entries, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
