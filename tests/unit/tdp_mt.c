/* Concurrency: vCPU threads fault in parallel (MMU lock read mode) while
 * another CPU creates, deletes and moves slots, toggles dirty logging, zaps
 * and harvests. Afterwards every mapping must match the final memslots and
 * every page come back. Also built under ThreadSanitizer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/unit/host.h"
#include "tests/unit/page_host.h"
#include "tests/unit/tdp_check_host.h"
#include "tests/unit/tdp_vm_host.h"
#include "svm/npt_pte.h"
#include "vmx/ept_pte.h"

#define FAULTERS	3
#define SLOTS		8
#define SLOT_PAGES	1024ull		/* two 2M frames */
#define GFNS		(SLOTS * 2 * SLOT_PAGES)
#define UPDATES		150		/* at least */
#define FAULTS		20000		/* at least, across all faulters */

struct faulter {
	struct test_vm *vm;
	unsigned cpu;
	long results[TDP_FAULT_NOMEM + 1];
	long done;		/* faults so far, read by the updater */
};

static int stop;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *faulter_main(void *arg)
{
	struct faulter *f = arg;
	uint64_t seed = 0x9e3779b97f4a7c15ull * f->cpu;

	host_set_cpu(f->cpu);
	rcu_idle_exit();
	for (long i = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		uint64_t r = xorshift(&seed);
		unsigned access = (r & 1) ? TDP_PERM_READ | TDP_PERM_WRITE : TDP_PERM_READ;

		f->results[tdp_mmu_fault(&f->vm->mmu, (r >> 8) % GFNS << 12, access)]++;
		__atomic_store_n(&f->done, i + 1, __ATOMIC_RELAXED);
		rcu_quiescent();	/* the VM entry that follows */
		if (i % 256 == 0) {	/* and an idle spell now and then */
			rcu_idle_enter();
			rcu_idle_exit();
		}
	}
	rcu_idle_enter();
	return NULL;
}

/* Slot id's home: gfn and host aligned so huge pages happen. */
static void create_slot(struct test_vm *vm, unsigned id, uint64_t base, uint32_t flags)
{
	assert_int_equal(memslot_create(&vm->ms, 0, id, base, SLOT_PAGES, test_host(id * SLOT_PAGES), flags), 0);
}

static void updater_step(struct test_vm *vm, uint64_t *seed, uint64_t *bases, uint32_t *flags)
{
	uint64_t r = xorshift(seed), bits[SLOT_PAGES / 64];
	unsigned id = r % SLOTS;

	switch ((r >> 8) % 6) {
	case 0:
		assert_int_equal(memslot_delete(&vm->ms, 0, id), 0);
		create_slot(vm, id, bases[id], flags[id]);
		break;
	case 1:	/* each slot moves between its two homes */
		bases[id] ^= SLOT_PAGES;
		assert_int_equal(memslot_move(&vm->ms, 0, id, bases[id]), 0);
		break;
	case 2:
		flags[id] ^= MEMSLOT_DIRTY_LOG;
		assert_int_equal(memslot_set_flags(&vm->ms, 0, id, flags[id]), 0);
		break;
	case 3:
		test_vm_zap(vm, (r >> 16) % GFNS, (r >> 16) % GFNS + (r >> 40) % 2048);
		break;
	case 4:
		write_lock(&vm->mmu.lock);
		if (tdp_mmu_zap_pt_page(&vm->mmu, (r >> 16) % GFNS, 1 + (r >> 40) % 2))
			tdp_mmu_flush(&vm->mmu);
		write_unlock(&vm->mmu.lock);
		break;
	default:
		if (flags[id] & MEMSLOT_DIRTY_LOG)
			assert_int_equal(memslot_get_dirty_log(&vm->ms, 0, id, bits), 0);
		break;
	}
}

static long faults_done(struct faulter *f)
{
	long n = 0;

	for (unsigned i = 0; i < FAULTERS; i++)
		n += __atomic_load_n(&f[i].done, __ATOMIC_RELAXED);
	return n;
}

static void run(const struct tdp_pte_ops *ops)
{
	struct faulter f[FAULTERS] = { 0 };
	pthread_t t[FAULTERS];
	struct test_vm *vm;
	struct tdp_walk_counts counts;
	uint64_t bases[SLOTS], seed = 42;
	uint32_t flags[SLOTS] = { 0 };
	const char *err;
	long mapped = 0;

	host_cpus = FAULTERS + 1;
	host_set_cpu(0);
	rcu_idle_exit();
	vm = test_vm_new(ops, 3);
	for (unsigned id = 0; id < SLOTS; id++) {
		bases[id] = 2 * id * SLOT_PAGES;
		create_slot(vm, id, bases[id], 0);
	}
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < FAULTERS; i++) {
		f[i] = (struct faulter){ .vm = vm, .cpu = i + 1 };
		pthread_create(&t[i], NULL, faulter_main, &f[i]);
	}
	for (int i = 0; i < UPDATES || faults_done(f) < FAULTS; i++) {
		updater_step(vm, &seed, bases, flags);
		rcu_quiescent();
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < FAULTERS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(f[i].results[TDP_FAULT_NOMEM], 0);
		assert_int_equal(f[i].results[TDP_FAULT_READONLY], 0);
		mapped += f[i].results[TDP_FAULT_MAPPED];
	}
	assert_true(mapped > 0);
	print_message("%ld faults mapped, %lu flushes, %lu zap yields\n", mapped,
		      mm_stat_read(&vm->mmu.stats.tlb_flushes), mm_stat_read(&vm->mmu.stats.zap_yields));

	rcu_barrier();
	err = tdp_check_tree(&vm->mmu, &vm->ms, false, &counts);
	if (err)
		fail_msg("%s", err);
	assert_int_equal(page_host_live(), counts.tables);
	test_vm_destroy(vm);
	assert_int_equal(page_host_live(), 0);
	assert_int_equal(mm_stats_metadata_bytes(&vm->mmu.stats), 0);
	test_vm_cleanup();
	rcu_idle_enter();
	page_host_reset();
}

static void test_concurrent_faults_and_updates_ept(void **state)
{
	run(&ept_pte_ops);
}

static void test_concurrent_faults_and_updates_npt(void **state)
{
	run(&npt_pte_ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_faults_and_updates_ept),
		cmocka_unit_test(test_concurrent_faults_and_updates_npt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
