/* TDP MMU: fault-in with huge pages and permissions, the three zap flows,
 * deferred freeing behind the TLB flush and RCU, dirty logging, and a
 * seeded random sequence of faults, slot changes, zaps and harvests checked
 * by a simulated page walker after every step, for EPT and NPT. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/page.h"
#include "mm/tdp_iter.h"
#include "svm/npt_pte.h"
#include "tests/unit/death_host.h"
#include "tests/unit/host.h"
#include "tests/unit/page_host.h"
#include "tests/unit/tdp_check_host.h"
#include "tests/unit/tdp_vm_host.h"
#include "vmx/ept_pte.h"

#define PAGES_2M	512ull
#define PAGES_1G	(512ull * 512)
#define ACC_R		TDP_PERM_READ
#define ACC_W		(TDP_PERM_READ | TDP_PERM_WRITE)

struct format {
	const struct tdp_pte_ops *ops;
	int max_leaf_level;
};

static const struct format ept_1g = { &ept_pte_ops, 3 };
static const struct format ept_2m = { &ept_pte_ops, 2 };
static const struct format npt_1g = { &npt_pte_ops, 3 };

static int setup(void **state)
{
	host_cpus = 1;
	host_set_cpu(0);
	rcu_idle_exit();
	return 0;
}

static int teardown(void **state)
{
	for (unsigned cpu = 1; cpu < host_cpus; cpu++) {	/* after a failure */
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

static void check_tree(struct test_vm *vm)
{
	struct tdp_walk_counts counts;
	const char *err = tdp_check_tree(&vm->mmu, &vm->ms, true, &counts);

	if (err)
		fail_msg("%s", err);
}

static int leaf_level(struct test_vm *vm, uint64_t gfn)
{
	int level;

	tdp_check_lookup(&vm->mmu, gfn, &level);
	return level;
}

static unsigned leaf_perms(struct test_vm *vm, uint64_t gfn)
{
	int level;
	uint64_t pte = tdp_check_lookup(&vm->mmu, gfn, &level);

	return level ? vm->mmu.ops->perms(pte) : 0;
}

/* Huge pages exactly where slot bounds and host alignment allow them. */
static void test_fault_picks_largest_level(void **state)
{
	const struct format *fmts[] = { &ept_1g, &ept_2m, &npt_1g };

	for (unsigned f = 0; f < ARRAY_SIZE(fmts); f++) {
		struct test_vm *vm;
		uint64_t base = PAGES_1G, n = PAGES_1G + PAGES_2M + 5;
		int big = fmts[f]->max_leaf_level;

		vm = test_vm_new(fmts[f]->ops, fmts[f]->max_leaf_level);
		/* Slot 0: gfn and host both 1G aligned. */
		assert_int_equal(memslot_create(&vm->ms, 0, 0, base, n, test_host(PAGES_1G), 0), 0);
		/* Slot 1: host off by one page from gfn alignment. */
		assert_int_equal(memslot_create(&vm->ms, 0, 1, 4 * PAGES_1G, PAGES_1G, test_host(8 * PAGES_1G + 1), 0), 0);

		assert_int_equal(tdp_mmu_fault(&vm->mmu, (base + 7) << 12, ACC_R), TDP_FAULT_MAPPED);
		assert_int_equal(leaf_level(vm, base + 7), big);
		assert_int_equal(leaf_level(vm, base + tdp_level_pages(big) - 1), big);
		assert_int_equal(tdp_mmu_fault(&vm->mmu, (base + 7) << 12, ACC_W), TDP_FAULT_SPURIOUS);
		assert_int_equal(tdp_mmu_fault(&vm->mmu, (base + PAGES_1G + 3) << 12, ACC_W), TDP_FAULT_MAPPED);
		assert_int_equal(leaf_level(vm, base + PAGES_1G + 3), 2);
		assert_int_equal(tdp_mmu_fault(&vm->mmu, (base + PAGES_1G + PAGES_2M + 1) << 12, ACC_W), TDP_FAULT_MAPPED);
		assert_int_equal(leaf_level(vm, base + PAGES_1G + PAGES_2M + 1), 1);
		assert_int_equal(tdp_mmu_fault(&vm->mmu, (4 * PAGES_1G + 600) << 12, ACC_R), TDP_FAULT_MAPPED);
		assert_int_equal(leaf_level(vm, 4 * PAGES_1G + 600), 1);
		assert_int_equal(tdp_mmu_fault(&vm->mmu, (base + n) << 12, ACC_R), TDP_FAULT_NO_SLOT);
		assert_int_equal(mm_stat_read(&vm->mmu.stats.faults), 5);
		assert_int_equal(mm_stat_read(&vm->mmu.stats.pages_mapped[big]), big == 3 ? 1 : 2);
		check_tree(vm);
		test_vm_destroy(vm);
		assert_int_equal(page_host_live(), 0);
	}
}

/* Read-only slots map without write and refuse writes; unknown gfns are
 * MMIO. Neither changes the tables. */
static void test_readonly_and_mmio(void **state)
{
	struct test_vm *vm;
	long tables;

	vm = test_vm_new(&npt_pte_ops, 3);
	assert_int_equal(memslot_create(&vm->ms, 0, 3, 0x100, 16, test_host(0), MEMSLOT_READONLY), 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x105000, TDP_PERM_EXEC), TDP_FAULT_MAPPED);
	assert_int_equal(leaf_perms(vm, 0x105), TDP_PERM_READ | TDP_PERM_EXEC);
	tables = page_host_live();
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x105000, ACC_W), TDP_FAULT_READONLY);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x5000, ACC_R), TDP_FAULT_NO_SLOT);
	assert_int_equal(page_host_live(), tables);
	assert_int_equal(leaf_perms(vm, 0x105), TDP_PERM_READ | TDP_PERM_EXEC);
	check_tree(vm);
	test_vm_destroy(vm);
}

/* Logging splits huge pages, maps 4K write-protected until the first write,
 * which is logged; a harvest reports and re-protects exactly those pages. */
static void test_dirty_logging(void **state)
{
	struct test_vm *vm;
	uint64_t bits[PAGES_2M / 64];
	long flushes;

	vm = test_vm_new(&ept_pte_ops, 3);
	assert_int_equal(memslot_create(&vm->ms, 0, 0, PAGES_2M, PAGES_2M, test_host(PAGES_2M), 0), 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, PAGES_2M << 12, ACC_W), TDP_FAULT_MAPPED);
	assert_int_equal(leaf_level(vm, PAGES_2M), 2);
	assert_int_equal(memslot_get_dirty_log(&vm->ms, 0, 0, bits), MEMSLOT_E_NOLOG);

	flushes = vm->flushes;
	assert_int_equal(memslot_set_flags(&vm->ms, 0, 0, MEMSLOT_DIRTY_LOG), 0);
	assert_int_equal(vm->flushes, flushes + 1);	/* the 2M leaf went */
	assert_int_equal(leaf_level(vm, PAGES_2M), 0);

	assert_int_equal(tdp_mmu_fault(&vm->mmu, (PAGES_2M + 1) << 12, ACC_R), TDP_FAULT_MAPPED);
	assert_int_equal(leaf_level(vm, PAGES_2M + 1), 1);
	assert_int_equal(leaf_perms(vm, PAGES_2M + 1) & TDP_PERM_WRITE, 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, (PAGES_2M + 1) << 12, ACC_W), TDP_FAULT_MAPPED);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, (PAGES_2M + 70) << 12, ACC_W), TDP_FAULT_MAPPED);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, (PAGES_2M + 71) << 12, ACC_W), TDP_FAULT_MAPPED);
	assert_true(leaf_perms(vm, PAGES_2M + 1) & TDP_PERM_WRITE);
	check_tree(vm);

	flushes = vm->flushes;
	assert_int_equal(memslot_get_dirty_log(&vm->ms, 0, 0, bits), 0);
	assert_int_equal(bits[0], 1ull << 1);
	assert_int_equal(bits[1], 3ull << 6);
	for (unsigned w = 2; w < ARRAY_SIZE(bits); w++)
		assert_int_equal(bits[w], 0);
	assert_int_equal(vm->flushes, flushes + 1);
	assert_int_equal(leaf_perms(vm, PAGES_2M + 1) & TDP_PERM_WRITE, 0);
	assert_int_equal(leaf_perms(vm, PAGES_2M + 71) & TDP_PERM_WRITE, 0);

	assert_int_equal(memslot_get_dirty_log(&vm->ms, 0, 0, bits), 0);
	for (unsigned w = 0; w < ARRAY_SIZE(bits); w++)
		assert_int_equal(bits[w], 0);
	assert_int_equal(vm->flushes, flushes + 1);	/* nothing to protect */

	assert_int_equal(memslot_set_flags(&vm->ms, 0, 0, 0), 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, (PAGES_2M + 9) << 12, ACC_R), TDP_FAULT_MAPPED);
	assert_int_equal(leaf_level(vm, PAGES_2M + 9), 2);	/* huge again */
	check_tree(vm);
	test_vm_destroy(vm);
	assert_int_equal(page_host_live(), 0);
	assert_int_equal(page_host_early_frees(), 0);
}

/* A zapped table page stays allocated through the flush and until every
 * CPU passed a quiescent state; zap-leafs keeps the tables. */
static void test_zap_page_frees_after_flush_and_grace_period(void **state)
{
	struct test_vm *vm;
	uint64_t *pml4e_table, *pt_page;
	int level;

	host_cpus = 2;
	host_set_cpu(1);
	rcu_idle_exit();
	host_set_cpu(0);
	vm = test_vm_new(&ept_pte_ops, 3);
	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0, 64, test_host(0), 0), 0);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x3000, ACC_W), TDP_FAULT_MAPPED);
	assert_int_equal(page_host_live(), 4);	/* PML4, PDPT, PD, PT */
	check_tree(vm);

	write_lock(&vm->mmu.lock);
	assert_true(tdp_mmu_zap_leafs(&vm->mmu, 0, 64, false));
	tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
	assert_int_equal(leaf_level(vm, 3), 0);
	assert_int_equal(page_host_live(), 4);	/* zap-leafs keeps tables */
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0x3000, ACC_W), TDP_FAULT_MAPPED);

	pml4e_table = phys_to_virt(ept_pte_ops.pfn(vm->mmu.root[0]) << 12);
	pt_page = phys_to_virt(ept_pte_ops.pfn(pml4e_table[0]) << 12);	/* the PD */
	tdp_check_lookup(&vm->mmu, 3, &level);
	write_lock(&vm->mmu.lock);
	assert_false(tdp_mmu_zap_pt_page(&vm->mmu, 1ull << 30, 2));	/* no such table */
	assert_true(tdp_mmu_zap_pt_page(&vm->mmu, 3, 2));	/* the PD and its PT */
	write_unlock(&vm->mmu.lock);
	rcu_quiescent();
	assert_true(page_host_is_live(pt_page));	/* no flush yet */
	write_lock(&vm->mmu.lock);
	tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
	rcu_quiescent();
	assert_true(page_host_is_live(pt_page));	/* CPU 1 may still walk it */
	assert_int_equal(mm_stat_read(&vm->mmu.stats.pt_pages_freed), 0);
	host_set_cpu(1);
	rcu_quiescent();
	host_set_cpu(0);
	rcu_quiescent();
	assert_false(page_host_is_live(pt_page));
	assert_int_equal(page_host_live(), 2);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.pt_pages_freed), 2);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.pages_mapped[1]), 0);
	assert_int_equal(page_host_early_frees(), 0);
	check_tree(vm);

	host_set_cpu(1);
	rcu_idle_enter();
	host_set_cpu(0);
	test_vm_destroy(vm);
	host_cpus = 1;
}

/* Teardown zaps the whole root without a flush and returns every page and
 * every byte of metadata. */
static void test_zap_root_needs_no_flush(void **state)
{
	struct test_vm *vm;

	vm = test_vm_new(&npt_pte_ops, 3);
	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0, 3 * PAGES_1G, test_host(0), MEMSLOT_DIRTY_LOG), 0);
	for (uint64_t g = 0; g < 3 * PAGES_1G; g += 4099)
		assert_int_equal(tdp_mmu_fault(&vm->mmu, g << 12, ACC_W), TDP_FAULT_MAPPED);
	check_tree(vm);
	assert_true(page_host_live() > 100);
	test_vm_destroy(vm);
	assert_int_equal(vm->flushes, 0);
	assert_int_equal(page_host_live(), 0);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.pt_pages_alloc),
			 mm_stat_read(&vm->mmu.stats.pt_pages_freed));
	assert_int_equal(mm_stats_metadata_bytes(&vm->mmu.stats), 0);
}

/* Many zaps under one lock hold cost one flush. */
static void test_zaps_batch_one_flush(void **state)
{
	struct test_vm *vm;

	vm = test_vm_new(&ept_pte_ops, 1);
	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0, 1000, test_host(0), 0), 0);
	for (uint64_t g = 0; g < 1000; g++)
		assert_int_equal(tdp_mmu_fault(&vm->mmu, g << 12, ACC_R), TDP_FAULT_MAPPED);
	write_lock(&vm->mmu.lock);
	for (uint64_t g = 0; g < 1000; g++)
		assert_true(tdp_mmu_zap_leafs(&vm->mmu, g, g + 1, false));
	assert_int_equal(vm->flushes, 0);
	tdp_mmu_flush(&vm->mmu);
	tdp_mmu_flush(&vm->mmu);	/* nothing changed since: a request only */
	write_unlock(&vm->mmu.lock);
	assert_int_equal(vm->flushes, 1);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.tlb_flushes), 1);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.tlb_flush_requests), 2);
	assert_int_equal(mm_stat_read(&vm->mmu.stats.pages_mapped[1]), 0);
	test_vm_destroy(vm);
}

/* Out of table pages: the fault fails cleanly and works again later. */
static void test_fault_out_of_memory(void **state)
{
	struct test_vm *vm;

	vm = test_vm_new(&ept_pte_ops, 3);
	assert_int_equal(memslot_create(&vm->ms, 0, 0, 0, 16, test_host(0), 0), 0);
	page_host_fail_after(1);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0, ACC_R), TDP_FAULT_NOMEM);
	assert_int_equal(leaf_level(vm, 0), 0);
	check_tree(vm);
	page_host_fail_after(-1);
	assert_int_equal(tdp_mmu_fault(&vm->mmu, 0, ACC_R), TDP_FAULT_MAPPED);
	check_tree(vm);
	test_vm_destroy(vm);
	assert_int_equal(page_host_live(), 0);
}

static struct test_vm *death_vm;

static void zap_without_lock(void *arg)
{
	tdp_mmu_zap_leafs(&death_vm->mmu, 0, 1, false);
}

static void zap_with_read_lock(void *arg)
{
	read_lock(&death_vm->mmu.lock);
	tdp_mmu_zap_pt_page(&death_vm->mmu, 0, 1);
}

static void flush_without_lock(void *arg)
{
	tdp_mmu_flush(&death_vm->mmu);
}

static void fault_under_write_lock(void *arg)
{
	write_lock(&death_vm->mmu.lock);
	tdp_mmu_fault(&death_vm->mmu, 0, ACC_R);
}

/* The lock rules are asserted, not just documented. */
static void test_lock_rules_asserted(void **state)
{
	death_vm = test_vm_new(&ept_pte_ops, 3);
	assert_int_equal(memslot_create(&death_vm->ms, 0, 0, 0, 1, test_host(0), 0), 0);
	assert_true(host_dies(zap_without_lock, NULL));
	assert_true(host_dies(zap_with_read_lock, NULL));
	assert_true(host_dies(flush_without_lock, NULL));
	assert_true(host_dies(fault_under_write_lock, NULL));
	test_vm_destroy(death_vm);
}

/* ---- Random sequences checked against a model ---- */

#define RND_SLOTS	12
#define RND_GFNS	(8 * PAGES_1G)		/* guest-physical universe */

struct model_slot {
	bool used;
	uint64_t base, npages, host_page;
	uint32_t flags;
	uint8_t *written;	/* per page: written since last harvest */
};

struct rnd {
	uint64_t state, seed;
	int step;
	struct test_vm *vm;
	struct model_slot slots[RND_SLOTS];
};

static uint64_t rnd_next(struct rnd *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(struct rnd *r, uint64_t n)
{
	return rnd_next(r) % n;
}

#define RND_CHECK(r, cond, ...)							\
	do {									\
		if (!(cond)) {							\
			char m_[200];						\
			snprintf(m_, sizeof(m_), __VA_ARGS__);			\
			fail_msg("seed %lu step %d: %s (set MM_TEST_SEED=%lu to replay)", \
				 (r)->seed, (r)->step, m_, (r)->seed);		\
		}								\
	} while (0)

static bool model_overlaps(struct rnd *r, int self, uint64_t base, uint64_t n)
{
	for (int i = 0; i < RND_SLOTS; i++)
		if (i != self && r->slots[i].used && base < r->slots[i].base + r->slots[i].npages &&
		    r->slots[i].base < base + n)
			return true;
	return false;
}

static int model_slot_of(struct rnd *r, uint64_t gfn)
{
	for (int i = 0; i < RND_SLOTS; i++)
		if (r->slots[i].used && gfn >= r->slots[i].base &&
		    gfn < r->slots[i].base + r->slots[i].npages)
			return i;
	return -1;
}

static uint64_t rnd_gfn(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);

	if (r->slots[id].used && rnd_below(r, 5))
		return r->slots[id].base + rnd_below(r, r->slots[id].npages);
	return rnd_below(r, RND_GFNS);
}

static void rnd_fault(struct rnd *r)
{
	uint64_t gfn = rnd_gfn(r);
	unsigned access = rnd_below(r, 2) ? ACC_W : (rnd_below(r, 2) ? ACC_R : TDP_PERM_EXEC);
	enum tdp_fault_result res = tdp_mmu_fault(&r->vm->mmu, gfn << 12, access);
	int id = model_slot_of(r, gfn);
	struct model_slot *s = id >= 0 ? &r->slots[id] : NULL;

	if (!s) {
		RND_CHECK(r, res == TDP_FAULT_NO_SLOT, "fault gfn %#lx outside slots: %d", gfn, res);
		return;
	}
	if ((access & TDP_PERM_WRITE) && (s->flags & MEMSLOT_READONLY)) {
		RND_CHECK(r, res == TDP_FAULT_READONLY, "write to read-only gfn %#lx: %d", gfn, res);
		return;
	}
	RND_CHECK(r, res == TDP_FAULT_MAPPED || res == TDP_FAULT_SPURIOUS, "fault gfn %#lx: %d", gfn, res);
	RND_CHECK(r, (leaf_perms(r->vm, gfn) & access) == access, "gfn %#lx lacks access %u", gfn, access);
	if ((access & TDP_PERM_WRITE) && (s->flags & MEMSLOT_DIRTY_LOG))
		s->written[gfn - s->base] = 1;
}

/* A placement that often allows huge pages: host congruent to the gfn
 * modulo 1G, sometimes off by a page. */
static void rnd_placement(struct rnd *r, uint64_t *base, uint64_t *npages, uint64_t *host_page)
{
	static const uint64_t aligns[] = { 1, PAGES_2M, PAGES_1G };
	uint64_t align = aligns[rnd_below(r, 3)];
	uint64_t kind = rnd_below(r, 10);

	*npages = kind < 5 ? 1 + rnd_below(r, 64) :
		  kind < 9 ? PAGES_2M * (1 + rnd_below(r, 4)) + rnd_below(r, 3) :
		  PAGES_1G + rnd_below(r, 2) * PAGES_2M;
	*base = ALIGN_DOWN(rnd_below(r, RND_GFNS - *npages), align);
	*host_page = rnd_below(r, 60) * PAGES_1G + (*base & (PAGES_1G - 1)) + (rnd_below(r, 8) == 0);
}

static void rnd_create(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);
	uint64_t base, npages, host_page;
	uint32_t flags = (rnd_below(r, 4) == 0 ? MEMSLOT_READONLY : 0) |
			 (rnd_below(r, 4) == 0 ? MEMSLOT_DIRTY_LOG : 0);
	int expect, err;

	rnd_placement(r, &base, &npages, &host_page);
	expect = r->slots[id].used ? MEMSLOT_E_EXISTS :
		 model_overlaps(r, -1, base, npages) ? MEMSLOT_E_OVERLAP : MEMSLOT_OK;
	err = memslot_create(&r->vm->ms, 0, id, base, npages, test_host(host_page), flags);
	RND_CHECK(r, err == expect, "create id %d: %d, expected %d", id, err, expect);
	if (err)
		return;
	r->slots[id] = (struct model_slot){ true, base, npages, host_page, flags,
					    calloc(npages, 1) };
}

static void rnd_delete(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);
	int err = memslot_delete(&r->vm->ms, 0, id);

	RND_CHECK(r, err == (r->slots[id].used ? MEMSLOT_OK : MEMSLOT_E_NOENT), "delete %d: %d", id, err);
	if (!err) {
		free(r->slots[id].written);
		r->slots[id] = (struct model_slot){ 0 };
	}
}

static void rnd_move(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);
	struct model_slot *s = &r->slots[id];
	uint64_t base = rnd_below(r, RND_GFNS - (s->used ? s->npages : 0));
	int expect, err;

	if (rnd_below(r, 2))
		base = ALIGN_DOWN(base, PAGES_2M) + (s->host_page & (PAGES_2M - 1));
	expect = !s->used ? MEMSLOT_E_NOENT :
		 model_overlaps(r, id, base, s->npages) ? MEMSLOT_E_OVERLAP : MEMSLOT_OK;
	err = memslot_move(&r->vm->ms, 0, id, base);
	RND_CHECK(r, err == expect, "move %d: %d, expected %d", id, err, expect);
	if (!err) {
		s->base = base;
		memset(s->written, 0, s->npages);
	}
}

static void rnd_toggle_log(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);
	struct model_slot *s = &r->slots[id];
	int err;

	if (!s->used) {
		err = memslot_set_flags(&r->vm->ms, 0, id, 0);
		RND_CHECK(r, err == MEMSLOT_E_NOENT, "flags of unused %d: %d", id, err);
		return;
	}
	err = memslot_set_flags(&r->vm->ms, 0, id, s->flags ^ MEMSLOT_DIRTY_LOG);
	RND_CHECK(r, err == MEMSLOT_OK, "toggle log %d: %d", id, err);
	s->flags ^= MEMSLOT_DIRTY_LOG;
	memset(s->written, 0, s->npages);
}

static void rnd_harvest(struct rnd *r)
{
	int id = (int)rnd_below(r, RND_SLOTS);
	struct model_slot *s = &r->slots[id];
	uint64_t *bits;
	int err;

	if (!s->used || !(s->flags & MEMSLOT_DIRTY_LOG))
		return;
	bits = calloc(memslot_bitmap_bytes(s->npages), 1);
	err = memslot_get_dirty_log(&r->vm->ms, 0, id, bits);
	RND_CHECK(r, err == MEMSLOT_OK, "harvest %d: %d", id, err);
	for (uint64_t p = 0; p < s->npages; p++) {
		bool dirty = bits[p / 64] & (1ull << (p % 64));

		RND_CHECK(r, dirty == s->written[p], "slot %d page %lu dirty %d, model %d", id, p,
			  dirty, s->written[p]);
		RND_CHECK(r, !(leaf_perms(r->vm, s->base + p) & TDP_PERM_WRITE),
			  "slot %d page %lu writable after harvest", id, p);
	}
	memset(s->written, 0, s->npages);
	free(bits);
}

static void rnd_zap_range(struct rnd *r)
{
	uint64_t start = rnd_gfn(r), end = start + 1 + rnd_below(r, 4 * PAGES_2M);

	test_vm_zap(r->vm, start, end);
	for (uint64_t g = start; g < end; g += 97)
		RND_CHECK(r, leaf_level(r->vm, g) == 0, "gfn %#lx mapped after zap", g);
}

static void rnd_zap_page(struct rnd *r)
{
	uint64_t gfn = rnd_gfn(r);
	int level = 1 + (int)rnd_below(r, 3);

	write_lock(&r->vm->mmu.lock);
	if (tdp_mmu_zap_pt_page(&r->vm->mmu, gfn, level))
		tdp_mmu_flush(&r->vm->mmu);
	write_unlock(&r->vm->mmu.lock);
	RND_CHECK(r, leaf_level(r->vm, gfn) > level || leaf_level(r->vm, gfn) == 0,
		  "gfn %#lx still mapped below a zapped level-%d table", gfn, level);
}

static void rnd_write_protect(struct rnd *r)
{
	uint64_t start = rnd_gfn(r), end = start + 1 + rnd_below(r, PAGES_2M);

	write_lock(&r->vm->mmu.lock);
	if (tdp_mmu_write_protect_range(&r->vm->mmu, start, end))
		tdp_mmu_flush(&r->vm->mmu);
	write_unlock(&r->vm->mmu.lock);
	RND_CHECK(r, !(leaf_perms(r->vm, start) & TDP_PERM_WRITE), "gfn %#lx writable", start);
}

/* The published set matches the model slot for slot. */
static void rnd_check_slots(struct rnd *r)
{
	struct memslot_set *set;
	uint32_t used = 0;

	rcu_read_lock();
	set = memslots_active(&r->vm->ms, 0);
	for (int i = 0; i < RND_SLOTS; i++) {
		const struct memslot *slot = memslot_find_id(set, i);
		struct model_slot *s = &r->slots[i];

		RND_CHECK(r, !slot == !s->used, "slot %d presence", i);
		if (!slot)
			continue;
		used++;
		RND_CHECK(r, slot->base_gfn == s->base && slot->npages == s->npages &&
			  slot->host == (uintptr_t)test_host(s->host_page) && slot->flags == s->flags,
			  "slot %d differs from model", i);
	}
	RND_CHECK(r, set->count == used, "set has %u slots, model %u", set->count, used);
	for (uint32_t i = 1; i < set->count; i++)
		RND_CHECK(r, set->slots[i - 1].base_gfn < set->slots[i].base_gfn, "set unsorted");
	rcu_read_unlock();
}

static void rnd_check(struct rnd *r)
{
	struct tdp_walk_counts counts;
	const char *err;

	rcu_quiescent();	/* run due frees: live pages = reachable */
	err = tdp_check_tree(&r->vm->mmu, &r->vm->ms, true, &counts);
	RND_CHECK(r, !err, "%s", err);
	RND_CHECK(r, page_host_live() == counts.tables, "%ld pages live, %ld reachable",
		  page_host_live(), counts.tables);
	RND_CHECK(r, page_host_early_frees() == 0, "table page freed before its flush");
	RND_CHECK(r, mm_stat_read(&r->vm->mmu.stats.pt_pages_alloc) -
		  mm_stat_read(&r->vm->mmu.stats.pt_pages_freed) == (uint64_t)counts.tables,
		  "table page counters disagree");
	rnd_check_slots(r);
}

static uint64_t test_seed(uint64_t fallback)
{
	const char *env = getenv("MM_TEST_SEED");

	return env ? strtoull(env, NULL, 0) : fallback;
}

static void run_random(const struct format *fmt, uint64_t default_seed, int steps)
{
	static void (*const ops[])(struct rnd *) = {
		rnd_fault, rnd_fault, rnd_fault, rnd_fault, rnd_fault, rnd_fault,
		rnd_create, rnd_create, rnd_delete, rnd_move, rnd_toggle_log,
		rnd_harvest, rnd_zap_range, rnd_zap_page, rnd_write_protect,
	};
	struct rnd *r = calloc(1, sizeof(*r));

	r->seed = test_seed(default_seed);
	r->state = r->seed * 2 + 1;
	r->vm = test_vm_new(fmt->ops, fmt->max_leaf_level);
	for (r->step = 0; r->step < steps; r->step++) {
		ops[rnd_below(r, ARRAY_SIZE(ops))](r);
		rnd_check(r);
	}
	test_vm_destroy(r->vm);
	RND_CHECK(r, page_host_live() == 0, "%ld pages leaked", page_host_live());
	RND_CHECK(r, page_host_early_frees() == 0, "table page freed before its flush");
	RND_CHECK(r, mm_stats_metadata_bytes(&r->vm->mmu.stats) == 0, "metadata left");
	for (int i = 0; i < RND_SLOTS; i++)
		free(r->slots[i].written);
	free(r);
}

static void test_random_ept(void **state)
{
	run_random(&ept_1g, 1, 1500);
}

static void test_random_ept_no_1g(void **state)
{
	run_random(&ept_2m, 2, 800);
}

static void test_random_npt(void **state)
{
	run_random(&npt_1g, 3, 1500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fault_picks_largest_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_mmio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirty_logging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zap_page_frees_after_flush_and_grace_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zap_root_needs_no_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zaps_batch_one_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_out_of_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_rules_asserted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_ept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_ept_no_1g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_npt, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
