/* Memslots: exact sizing, sorted lookup with hint, id lookup, generations,
 * RCU retirement of old sets, and every invalid update rejected with its
 * error and no change at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
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
	for (unsigned cpu = 1; cpu < host_cpus; cpu++) {
		host_set_cpu(cpu);
		if (!rcu_is_idle())
			rcu_idle_enter();
	}
	host_set_cpu(0);
	host_cpus = 1;
	test_vm_cleanup();
	rcu_barrier();
	rcu_idle_enter();
	page_host_reset();
	return 0;
}

static struct memslot_set *active(void)
{
	struct memslot_set *set;

	rcu_read_lock();
	set = memslots_active(&vm->ms, 0);
	rcu_read_unlock();
	return set;
}

static void test_sorted_exact_and_found(void **state)
{
	struct memslot_set *set;

	assert_int_equal(memslot_create(&vm->ms, 0, 7, 0x3000, 16, test_host(0), 0), 0);
	assert_int_equal(memslot_create(&vm->ms, 0, 2, 0x1000, 16, test_host(16), 0), 0);
	assert_int_equal(memslot_create(&vm->ms, 0, 32766, 0x2000, 0x1000, test_host(32), 0), 0);
	rcu_quiescent();
	set = active();
	assert_int_equal(set->count, 3);
	assert_int_equal(set->generation, 3);
	assert_int_equal(set->slots[0].id, 2);
	assert_int_equal(set->slots[1].id, 32766);
	assert_int_equal(set->slots[2].id, 7);
	/* Exactly sized: one set, three slots, nothing else. */
	assert_int_equal(mm_stat_read(&vm->mmu.stats.memslot_bytes), memslot_set_bytes(3));

	assert_null(memslot_find(set, 0xfff));
	assert_int_equal(memslot_find(set, 0x1000)->id, 2);
	assert_int_equal(memslot_find(set, 0x100f)->id, 2);
	assert_null(memslot_find(set, 0x1010));
	assert_int_equal(memslot_find(set, 0x2fff)->id, 32766);
	assert_int_equal(set->hint, 1);
	assert_int_equal(memslot_find(set, 0x300f)->id, 7);
	assert_null(memslot_find(set, 0x3010));
	set->hint = 12345;	/* a wild hint costs a search, never a wrong slot */
	assert_int_equal(memslot_find(set, 0x3001)->id, 7);
	assert_int_equal(memslot_find_id(set, 32766)->base_gfn, 0x2000);
	assert_null(memslot_find_id(set, 3));
}

static void test_update_publishes_and_retires(void **state)
{
	struct memslot_set *first, *second;

	host_cpus = 2;
	host_set_cpu(1);
	rcu_idle_exit();	/* a reader CPU that has not passed a QS */
	host_set_cpu(0);
	assert_int_equal(memslot_create(&vm->ms, 0, 1, 0x100, 8, test_host(0), 0), 0);
	first = active();
	assert_int_equal(memslot_move(&vm->ms, 0, 1, 0x200), 0);
	second = active();
	assert_ptr_not_equal(first, second);
	assert_int_equal(second->generation, first->generation + 1);
	assert_int_equal(second->slots[0].base_gfn, 0x200);
	assert_int_equal(first->slots[0].base_gfn, 0x100);	/* readers keep theirs */
	rcu_quiescent();
	assert_int_equal(mm_stat_read(&vm->mmu.stats.memslot_bytes),
			 memslot_set_bytes(0) + 2 * memslot_set_bytes(1));
	host_set_cpu(1);
	rcu_quiescent();
	host_set_cpu(0);
	rcu_quiescent();
	assert_int_equal(mm_stat_read(&vm->mmu.stats.memslot_bytes), memslot_set_bytes(1));

	assert_int_equal(memslot_set_flags(&vm->ms, 0, 1, MEMSLOT_DIRTY_LOG), 0);
	assert_non_null(active()->slots[0].dirty_bitmap);
	assert_int_equal(memslot_set_flags(&vm->ms, 0, 1, 0), 0);
	assert_null(active()->slots[0].dirty_bitmap);
	assert_int_equal(memslot_delete(&vm->ms, 0, 1), 0);
	assert_int_equal(active()->count, 0);
	assert_int_equal(active()->generation, second->generation + 3);
	host_set_cpu(1);
	rcu_idle_enter();
	host_set_cpu(0);
	rcu_quiescent();
	assert_int_equal(mm_stat_read(&vm->mmu.stats.memslot_bytes), memslot_set_bytes(0));
}

/* Expect `err` and no change: same set, same generation, same bytes. */
#define assert_rejected(call, err)						\
	do {									\
		struct memslot_set *before_ = active();				\
		uint64_t bytes_ = mm_stat_read(&vm->mmu.stats.memslot_bytes);	\
		assert_int_equal((call), (err));				\
		assert_ptr_equal(active(), before_);				\
		assert_int_equal(active()->generation, before_->generation);	\
		assert_int_equal(mm_stat_read(&vm->mmu.stats.memslot_bytes), bytes_); \
	} while (0)

static void test_invalid_updates_change_nothing(void **state)
{
	struct memslots *ms = &vm->ms;
	uint64_t limit = tdp_mmu_gfn_limit(&vm->mmu), bits[1];
	uint8_t *foreign = aligned_alloc(4096, 2 * 4096);

	assert_int_equal(memslot_create(ms, 0, 1, 0x100, 0x100, test_host(0), 0), 0);
	assert_int_equal(memslot_create(ms, 0, 2, 0x400, 0x10, test_host(0x1000), MEMSLOT_READONLY), 0);
	rcu_quiescent();

	/* Ids and address spaces. */
	assert_rejected(memslot_create(ms, 0, MEMSLOT_MAX_SLOTS, 0x1000, 1, test_host(0), 0), MEMSLOT_E_ID);
	assert_rejected(memslot_create(ms, MEMSLOT_NR_AS, 3, 0x1000, 1, test_host(0), 0), MEMSLOT_E_ID);
	assert_rejected(memslot_create(ms, 0, 1, 0x1000, 1, test_host(0), 0), MEMSLOT_E_EXISTS);
	assert_rejected(memslot_delete(ms, 0, 3), MEMSLOT_E_NOENT);
	assert_rejected(memslot_delete(ms, 0, MEMSLOT_MAX_SLOTS), MEMSLOT_E_ID);
	assert_rejected(memslot_move(ms, 0, 3, 0x5000), MEMSLOT_E_NOENT);
	assert_rejected(memslot_set_flags(ms, 0, 3, 0), MEMSLOT_E_NOENT);
	assert_rejected(memslot_get_dirty_log(ms, 0, 3, bits), MEMSLOT_E_NOENT);
	/* Size, alignment, range. */
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 0, test_host(0), 0), MEMSLOT_E_SIZE);
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 1, (char *)test_host(0) + 8, 0), MEMSLOT_E_ALIGN);
	assert_rejected(memslot_create(ms, 0, 3, limit - 1, 2, test_host(0), 0), MEMSLOT_E_RANGE);
	assert_rejected(memslot_create(ms, 0, 3, UINT64_MAX, 2, test_host(0), 0), MEMSLOT_E_RANGE);
	assert_rejected(memslot_create(ms, 0, 3, 1, UINT64_MAX, test_host(0), 0), MEMSLOT_E_RANGE);
	assert_rejected(memslot_move(ms, 0, 1, limit - 0x80), MEMSLOT_E_RANGE);
	/* Overlaps: inside, straddling either end, covering. */
	assert_rejected(memslot_create(ms, 0, 3, 0x180, 1, test_host(0), 0), MEMSLOT_E_OVERLAP);
	assert_rejected(memslot_create(ms, 0, 3, 0xff, 2, test_host(0), 0), MEMSLOT_E_OVERLAP);
	assert_rejected(memslot_create(ms, 0, 3, 0x1ff, 2, test_host(0), 0), MEMSLOT_E_OVERLAP);
	assert_rejected(memslot_create(ms, 0, 3, 0, 0x1000, test_host(0), 0), MEMSLOT_E_OVERLAP);
	assert_rejected(memslot_move(ms, 0, 1, 0x3f8), MEMSLOT_E_OVERLAP);
	/* Backing that is not the VM's, or runs past its region. */
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 1, foreign, 0), MEMSLOT_E_BACKING);
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 2,
				       test_host((TEST_REGION_BYTES >> 12) - 1), 0), MEMSLOT_E_BACKING);
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 1, test_host(-1ull >> 12), 0), MEMSLOT_E_BACKING);
	/* Flags. */
	assert_rejected(memslot_create(ms, 0, 3, 0x1000, 1, test_host(0), 1u << 7), MEMSLOT_E_FLAGS);
	assert_rejected(memslot_set_flags(ms, 0, 1, MEMSLOT_READONLY), MEMSLOT_E_FLAGS);
	assert_rejected(memslot_set_flags(ms, 0, 2, 0), MEMSLOT_E_FLAGS);
	assert_rejected(memslot_set_flags(ms, 0, 1, 1u << 9), MEMSLOT_E_FLAGS);
	assert_rejected(memslot_get_dirty_log(ms, 0, 1, bits), MEMSLOT_E_NOLOG);
	/* Same flags: accepted, nothing to do. */
	assert_rejected(memslot_set_flags(ms, 0, 1, 0), MEMSLOT_OK);
	/* Regions. */
	assert_int_equal(memslots_add_region(ms, foreign, 0), MEMSLOT_E_SIZE);
	assert_int_equal(memslots_add_region(ms, foreign + 1, 4096), MEMSLOT_E_ALIGN);
	assert_int_equal(memslots_add_region(ms, test_host(5), 4096), MEMSLOT_E_OVERLAP);
	assert_int_equal(memslots_add_region(ms, (void *)(uintptr_t)-4096, 8192), MEMSLOT_E_RANGE);
	assert_string_equal(memslot_strerror(MEMSLOT_E_BACKING),
			    "host memory not inside one of the VM's regions");
	free(foreign);
}

/* A region added later makes a backing valid; the list of regions grows. */
static void test_regions(void **state)
{
	void *extra = aligned_alloc(4096, 4096);

	assert_int_equal(memslot_create(&vm->ms, 0, 3, 0x1000, 1, extra, 0), MEMSLOT_E_BACKING);
	assert_int_equal(memslots_add_region(&vm->ms, extra, 4096), 0);
	assert_int_equal(memslot_create(&vm->ms, 0, 3, 0x1000, 1, extra, 0), 0);
	for (unsigned i = 2; i < 100; i++)
		assert_int_equal(memslots_add_region(&vm->ms, test_host((TEST_REGION_BYTES >> 12) + i), 4096), 0);
	assert_int_equal(vm->ms.nr_regions, 100);
	assert_int_equal(memslots_add_region(&vm->ms, test_host((TEST_REGION_BYTES >> 12) + 99), 4096),
			 MEMSLOT_E_OVERLAP);
	test_vm_cleanup();
	vm = test_vm_new(&ept_pte_ops, 3);
	free(extra);
}

/* Many slots: every gfn resolves to the right slot, holes to none. */
static void test_many_slots_lookup(void **state)
{
	struct memslot_set *set;

	for (unsigned i = 0; i < 2000; i++) {
		unsigned id = (i * 7919) % 2000;	/* created out of order */

		assert_int_equal(memslot_create(&vm->ms, 0, id, 0x10 * id, 8, test_host(8 * id), 0), 0);
		rcu_quiescent();
	}
	set = active();
	assert_int_equal(set->count, 2000);
	for (uint64_t gfn = 0; gfn < 0x10 * 2000; gfn++) {
		const struct memslot *slot = memslot_find(set, gfn);

		if ((gfn & 0xf) < 8)
			assert_true(slot && slot->id == gfn / 0x10);
		else
			assert_null(slot);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sorted_exact_and_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_publishes_and_retires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_updates_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_slots_lookup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
