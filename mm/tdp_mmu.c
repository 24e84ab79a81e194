/* TDP MMU: faults, zaps, write-protection and deferred freeing; see
 * mm/tdp_mmu.h for the locking and freeing rules. */
#include "mm/tdp_mmu.h"

#include <stdlib.h>
#include <string.h>

#include "mm/page.h"
#include "mm/tdp_iter.h"

#define PT_PAGE_BYTES	(PAGE_SIZE + sizeof(struct tdp_pt_page))

static void *pte_table(const struct tdp_mmu *mmu, uint64_t pte)
{
	return phys_to_virt(mmu->ops->pfn(pte) << PAGE_SHIFT);
}

/* A zeroed table page plus its record, or NULL without memory. */
static uint64_t *pt_alloc(struct tdp_pt_page **rec)
{
	uint64_t *pt = page_alloc_zeroed();

	if (!pt)
		return NULL;
	*rec = malloc(sizeof(**rec));
	if (!*rec) {
		page_free(pt);
		return NULL;
	}
	return pt;
}

/* A table page just became reachable: count it and pool its record.
 * Faults run this concurrently (read lock); records leave the pool only
 * under the write lock, so the lock-free push has no ABA problem. */
static void pt_linked(struct tdp_mmu *mmu, struct tdp_pt_page *rec)
{
	struct tdp_pt_page *head = __atomic_load_n(&mmu->spare, __ATOMIC_RELAXED);

	rec->mmu = mmu;
	do {
		rec->next = head;
	} while (!__atomic_compare_exchange_n(&mmu->spare, &head, rec, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	mm_stat_add(&mmu->stats.pt_pages_alloc, 1);
	mm_stat_add(&mmu->stats.table_bytes, PT_PAGE_BYTES);
}

/* RCU callback: the grace period after the flush is over, nobody can reach
 * the page any more. */
static void pt_free_rcu(struct rcu_head *head)
{
	struct tdp_pt_page *rec = container_of(head, struct tdp_pt_page, rcu);
	struct mm_stats *stats = &rec->mmu->stats;

	page_free(rec->pt);
	free(rec);
	mm_stat_add(&stats->pt_pages_freed, 1);
	mm_stat_add(&stats->table_bytes, -(int64_t)PT_PAGE_BYTES);
}

/* `pt`, a table of level-`level` entries, was just unlinked (write lock
 * held): uncount what it maps and queue it and every table below it for
 * freeing after the next flush. Nothing else modifies an unlinked table. */
static void pt_retire(struct tdp_mmu *mmu, uint64_t *pt, int level)
{
	struct tdp_pt_page *rec;

	for (unsigned i = 0; i < TDP_PT_ENTRIES; i++) {
		uint64_t pte = tdp_read_pte(&pt[i]);

		if (!mmu->ops->is_present(pte))
			continue;
		if (mmu->ops->is_leaf(pte, level))
			mm_stat_add(&mmu->stats.pages_mapped[level], -1);
		else
			pt_retire(mmu, pte_table(mmu, pte), level - 1);
	}
	rec = __atomic_load_n(&mmu->spare, __ATOMIC_RELAXED);
	BUG_ON(!rec);
	__atomic_store_n(&mmu->spare, rec->next, __ATOMIC_RELAXED);
	rec->pt = pt;
	rec->next = mmu->unlinked;
	mmu->unlinked = rec;
}

/* Hand every unlinked table page to RCU: hardware can no longer reach it. */
static void pt_release_unlinked(struct tdp_mmu *mmu)
{
	while (mmu->unlinked) {
		struct tdp_pt_page *rec = mmu->unlinked;

		mmu->unlinked = rec->next;
		call_rcu(&rec->rcu, pt_free_rcu);
	}
}

bool tdp_mmu_init(struct tdp_mmu *mmu, const struct tdp_mmu_config *cfg, struct memslots *slots)
{
	struct tdp_pt_page *rec;

	BUG_ON(cfg->root_level < 4 || cfg->root_level > TDP_MAX_LEVEL);
	BUG_ON(cfg->max_leaf_level < 1 || cfg->max_leaf_level > 3);
	memset(mmu, 0, sizeof(*mmu));
	mmu->ops = cfg->ops;
	mmu->root_level = cfg->root_level;
	mmu->max_leaf_level = cfg->max_leaf_level;
	mmu->flush = cfg->flush;
	mmu->flush_ctx = cfg->flush_ctx;
	mmu->slots = slots;
	mmu->root = pt_alloc(&rec);
	if (!mmu->root)
		return false;
	pt_linked(mmu, rec);
	return true;
}

void tdp_mmu_destroy(struct tdp_mmu *mmu)
{
	write_lock(&mmu->lock);
	pt_retire(mmu, mmu->root, mmu->root_level);
	mmu->root = NULL;
	BUG_ON(mmu->spare);
	/* Zap-root flow: the root is unreachable, so no flush is needed. */
	pt_release_unlinked(mmu);
	mmu->tlb_stale = false;
	write_unlock(&mmu->lock);
}

uint64_t tdp_mmu_root_pa(const struct tdp_mmu *mmu)
{
	return virt_to_phys(mmu->root);
}

uint64_t tdp_mmu_gfn_limit(const struct tdp_mmu *mmu)
{
	return 1ull << (mmu->root_level * TDP_LEVEL_BITS);
}

/* Largest leaf level that may map `gfn`: the aligned frame must lie inside
 * the slot with equally aligned host memory, and logging needs 4K pages. */
static int fault_level(const struct tdp_mmu *mmu, const struct memslot *slot, uint64_t gfn)
{
	uint64_t host_pfn = slot->host >> PAGE_SHIFT;

	if (slot->flags & MEMSLOT_DIRTY_LOG)
		return 1;
	for (int level = mmu->max_leaf_level; level > 1; level--) {
		uint64_t n = tdp_level_pages(level), base = gfn & ~(n - 1);

		if (base >= slot->base_gfn && base + n <= slot->base_gfn + slot->npages &&
		    ((host_pfn - slot->base_gfn) & (n - 1)) == 0)
			return level;
	}
	return 1;
}

/* Permissions a new leaf gets: no write to read-only slots, and a logged
 * slot's page becomes writable only on its first write, which logs it. */
static unsigned fault_perms(const struct memslot *slot, unsigned access)
{
	unsigned perms = TDP_PERM_READ | TDP_PERM_EXEC;

	if (slot->flags & MEMSLOT_READONLY)
		return perms;
	if ((slot->flags & MEMSLOT_DIRTY_LOG) && !(access & TDP_PERM_WRITE))
		return perms;
	return perms | TDP_PERM_WRITE;
}

/* A leaf already maps the gfn: grant the missing permissions, if any. */
static enum tdp_fault_result fault_upgrade(struct tdp_mmu *mmu, uint64_t *ptep, uint64_t pte,
					   unsigned perms)
{
	unsigned have = mmu->ops->perms(pte);

	if ((have & perms) == perms)
		return TDP_FAULT_SPURIOUS;
	if (!__atomic_compare_exchange_n(ptep, &pte, mmu->ops->with_perms(pte, have | perms),
					 false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return TDP_FAULT_RETRY;
	return TDP_FAULT_MAPPED;
}

/* Walk from the root to the entry for `gfn`, linking missing tables, and
 * install a leaf at the largest allowed level that is still empty. Read
 * lock held; every change is one compare-exchange on an empty entry. */
static enum tdp_fault_result tdp_mmu_map(struct tdp_mmu *mmu, const struct memslot *slot,
					 uint64_t gfn, unsigned access)
{
	const struct tdp_pte_ops *ops = mmu->ops;
	int goal = fault_level(mmu, slot, gfn);
	unsigned perms = fault_perms(slot, access);
	uint64_t host_pfn = (slot->host >> PAGE_SHIFT) + (gfn - slot->base_gfn);
	uint64_t *pt = mmu->root;

	for (int level = mmu->root_level;; level--) {
		uint64_t *ptep = &pt[tdp_level_index(gfn, level)];
		uint64_t pte = tdp_read_pte(ptep);

		if (level <= goal && !ops->is_present(pte)) {
			uint64_t pfn = host_pfn & ~(tdp_level_pages(level) - 1);
			uint64_t leaf = ops->make_leaf(pfn, level, perms, TDP_MEMTYPE_WB);

			if (__atomic_compare_exchange_n(ptep, &pte, leaf, false,
							__ATOMIC_RELEASE, __ATOMIC_ACQUIRE)) {
				mm_stat_add(&mmu->stats.pages_mapped[level], 1);
				return TDP_FAULT_MAPPED;
			}
		} else if (!ops->is_present(pte)) {
			struct tdp_pt_page *rec;
			uint64_t *child = pt_alloc(&rec);
			uint64_t table;

			if (!child)
				return TDP_FAULT_NOMEM;
			table = ops->make_table(virt_to_phys(child) >> PAGE_SHIFT);
			if (__atomic_compare_exchange_n(ptep, &pte, table, false,
							__ATOMIC_RELEASE, __ATOMIC_ACQUIRE)) {
				pt_linked(mmu, rec);
				pte = table;
			} else {
				page_free(child);	/* never reachable */
				free(rec);
			}
		}
		/* Here pte is present: ours or the winner of a race. */
		if (ops->is_leaf(pte, level))
			return fault_upgrade(mmu, ptep, pte, perms);
		pt = pte_table(mmu, pte);
	}
}

/* Record a write to a logged slot. Under the read lock, so a harvest (write
 * lock) sees either the bit or the writable entry it must protect. */
static void fault_log_write(const struct memslot *slot, uint64_t gfn)
{
	uint64_t bit = gfn - slot->base_gfn;

	__atomic_fetch_or(&slot->dirty_bitmap[bit / 64], 1ull << (bit % 64), __ATOMIC_RELAXED);
}

enum tdp_fault_result tdp_mmu_fault(struct tdp_mmu *mmu, uint64_t gpa, unsigned access)
{
	uint64_t gfn = gpa >> PAGE_SHIFT;
	const struct memslot *slot;
	struct memslot_set *set;
	enum tdp_fault_result r;

	rcu_read_lock();
	set = memslots_active(mmu->slots, 0);
	slot = memslot_find(set, gfn);
	if (!slot) {
		r = TDP_FAULT_NO_SLOT;
	} else if ((access & TDP_PERM_WRITE) && (slot->flags & MEMSLOT_READONLY)) {
		r = TDP_FAULT_READONLY;
	} else {
		read_lock(&mmu->lock);
		/* An update publishes its set before it zaps under the write
		 * lock: a fault that still sees the old set here could undo
		 * that zap, so it must retry with the new set. */
		if (memslots_active(mmu->slots, 0) != set)
			r = TDP_FAULT_RETRY;
		else
			r = tdp_mmu_map(mmu, slot, gfn, access);
		if ((r == TDP_FAULT_MAPPED || r == TDP_FAULT_SPURIOUS) &&
		    (access & TDP_PERM_WRITE) && (slot->flags & MEMSLOT_DIRTY_LOG))
			fault_log_write(slot, gfn);
		read_unlock(&mmu->lock);
	}
	if (r == TDP_FAULT_MAPPED || r == TDP_FAULT_SPURIOUS)
		mm_stat_add(&mmu->stats.faults, 1);
	rcu_read_unlock();
	return r;
}

/* Clear the entry under the iterator and retire what it mapped. */
static void zap_entry(struct tdp_mmu *mmu, const struct tdp_iter *it)
{
	__atomic_store_n(it->ptep, 0, __ATOMIC_RELEASE);
	if (mmu->ops->is_leaf(it->old_pte, it->level))
		mm_stat_add(&mmu->stats.pages_mapped[it->level], -1);
	else
		pt_retire(mmu, pte_table(mmu, it->old_pte), it->level - 1);
	mmu->tlb_stale = true;
}

/* Let CPUs that wait for the lock in, if the walk can make progress after.
 * Pending changes are flushed first: vCPUs faulting meanwhile must not run
 * on translations the walk already removed. */
static bool tdp_mmu_cond_yield(struct tdp_mmu *mmu, struct tdp_iter *it)
{
	if (!rwlock_contended(&mmu->lock) || !tdp_iter_can_yield(it))
		return false;
	if (mmu->tlb_stale)
		tdp_mmu_flush(mmu);
	write_unlock(&mmu->lock);
	cpu_relax();
	write_lock(&mmu->lock);
	tdp_iter_yielded(it);
	mm_stat_add(&mmu->stats.zap_yields, 1);
	return true;
}

bool tdp_mmu_zap_leafs(struct tdp_mmu *mmu, uint64_t start, uint64_t end, bool can_yield)
{
	struct tdp_iter it;

	mmu_lockdep_assert_held_write(mmu);
	for_each_tdp_pte(it, mmu->ops, mmu->root, mmu->root_level, 1, start, end) {
		if (can_yield && tdp_mmu_cond_yield(mmu, &it))
			continue;
		if (mmu->ops->is_leaf(it.old_pte, it.level))
			zap_entry(mmu, &it);
	}
	return mmu->tlb_stale;
}

bool tdp_mmu_zap_pt_page(struct tdp_mmu *mmu, uint64_t gfn, int level)
{
	struct tdp_iter it;

	mmu_lockdep_assert_held_write(mmu);
	if (level < 1 || level >= mmu->root_level)
		return false;
	for_each_tdp_pte(it, mmu->ops, mmu->root, mmu->root_level, level + 1, gfn, gfn + 1) {
		if (it.level > level + 1)
			continue;
		if (!mmu->ops->is_present(it.old_pte) || mmu->ops->is_leaf(it.old_pte, it.level))
			return false;
		zap_entry(mmu, &it);
		return true;
	}
	return false;
}

void tdp_mmu_write_protect_pte(struct tdp_mmu *mmu, uint64_t *ptep)
{
	const struct tdp_pte_ops *ops = mmu->ops;
	uint64_t pte = tdp_read_pte(ptep);

	mmu_lockdep_assert_held_write(mmu);
	if (!(ops->perms(pte) & TDP_PERM_WRITE))
		return;
	/* Hardware may set accessed/dirty meanwhile: keep those bits. */
	while (!__atomic_compare_exchange_n(ptep, &pte,
					    ops->with_perms(pte, ops->perms(pte) & ~TDP_PERM_WRITE),
					    false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	mmu->tlb_stale = true;
}

bool tdp_mmu_recover_huge_pages(struct tdp_mmu *mmu, const struct memslot *slot)
{
	mmu_lockdep_assert_held_write(mmu);
	for (int level = mmu->max_leaf_level; level > 1; level--) {
		uint64_t n = tdp_level_pages(level);

		for (uint64_t gfn = ALIGN_UP(slot->base_gfn, n);
		     gfn + n <= slot->base_gfn + slot->npages; gfn += n)
			if (fault_level(mmu, slot, gfn) == level)
				tdp_mmu_zap_pt_page(mmu, gfn, level - 1);
	}
	return mmu->tlb_stale;
}

bool tdp_mmu_write_protect_range(struct tdp_mmu *mmu, uint64_t start, uint64_t end)
{
	struct tdp_iter it;

	mmu_lockdep_assert_held_write(mmu);
	for_each_tdp_pte(it, mmu->ops, mmu->root, mmu->root_level, 1, start, end)
		if (mmu->ops->is_leaf(it.old_pte, it.level))
			tdp_mmu_write_protect_pte(mmu, it.ptep);
	return mmu->tlb_stale;
}

void tdp_mmu_flush(struct tdp_mmu *mmu)
{
	mmu_lockdep_assert_held_write(mmu);
	mm_stat_add(&mmu->stats.tlb_flush_requests, 1);
	if (!mmu->tlb_stale)
		return;
	mmu->flush->flush_remote_tlbs(mmu->flush_ctx);
	mm_stat_add(&mmu->stats.tlb_flushes, 1);
	mmu->tlb_stale = false;
	pt_release_unlinked(mmu);
}
