/* Simulated page walker; see tests/unit/tdp_check_host.h. */
#include <stdio.h>

#include "mm/page.h"
#include "tests/unit/page_host.h"
#include "tests/unit/tdp_check_host.h"

static char violation[256];

#define VIOLATION(...) \
	(snprintf(violation, sizeof(violation), __VA_ARGS__), violation)

static bool logged_dirty(const struct memslot *slot, uint64_t gfn)
{
	uint64_t bit = gfn - slot->base_gfn;

	return __atomic_load_n(&slot->dirty_bitmap[bit / 64], __ATOMIC_RELAXED) & (1ull << (bit % 64));
}

/* Check one leaf at `level` mapping [gfn, gfn + pages(level)). */
static const char *check_leaf(struct tdp_mmu *mmu, struct memslot_set *set, uint64_t pte,
			      int level, uint64_t gfn)
{
	const struct tdp_pte_ops *ops = mmu->ops;
	uint64_t n = tdp_level_pages(level);
	const struct memslot *slot = memslot_find(set, gfn);
	unsigned perms = ops->perms(pte);

	if (level > mmu->max_leaf_level)
		return VIOLATION("leaf at level %d above max %d (gfn %#lx)", level,
				 mmu->max_leaf_level, gfn);
	if (!slot || gfn + n > slot->base_gfn + slot->npages)
		return VIOLATION("leaf gfn %#lx level %d outside every slot", gfn, level);
	if (ops->pfn(pte) != (slot->host >> PAGE_SHIFT) + (gfn - slot->base_gfn))
		return VIOLATION("leaf gfn %#lx maps pfn %#lx, slot %u says %#lx", gfn,
				 ops->pfn(pte), slot->id,
				 (slot->host >> PAGE_SHIFT) + (gfn - slot->base_gfn));
	if ((perms & (TDP_PERM_READ | TDP_PERM_EXEC)) != (TDP_PERM_READ | TDP_PERM_EXEC))
		return VIOLATION("leaf gfn %#lx lacks read/exec", gfn);
	if (ops->memtype(pte) != TDP_MEMTYPE_WB)
		return VIOLATION("leaf gfn %#lx not write-back", gfn);
	if ((perms & TDP_PERM_WRITE) && (slot->flags & MEMSLOT_READONLY))
		return VIOLATION("writable leaf gfn %#lx in read-only slot %u", gfn, slot->id);
	if ((slot->flags & MEMSLOT_DIRTY_LOG) && level != 1)
		return VIOLATION("huge leaf gfn %#lx level %d in logging slot %u", gfn, level, slot->id);
	if ((slot->flags & MEMSLOT_DIRTY_LOG) && (perms & TDP_PERM_WRITE) && !logged_dirty(slot, gfn))
		return VIOLATION("writable leaf gfn %#lx of logging slot %u not logged", gfn, slot->id);
	return NULL;
}

static const char *check_table(struct tdp_mmu *mmu, struct memslot_set *set, uint64_t *pt,
			       int level, uint64_t base_gfn, bool mark,
			       struct tdp_walk_counts *counts)
{
	const struct tdp_pte_ops *ops = mmu->ops;
	const char *err;

	if (!page_host_is_live(pt))
		return VIOLATION("freed table page %p reachable at level %d", (void *)pt, level);
	if (mark)
		page_host_mark_reachable(pt);
	counts->tables++;
	for (unsigned i = 0; i < TDP_PT_ENTRIES; i++) {
		uint64_t pte = tdp_read_pte(&pt[i]), gfn = base_gfn + i * tdp_level_pages(level);

		if (!ops->is_present(pte))
			continue;
		if (ops->is_leaf(pte, level)) {
			counts->leaves[level]++;
			err = check_leaf(mmu, set, pte, level, gfn);
		} else {
			err = check_table(mmu, set, phys_to_virt(ops->pfn(pte) << PAGE_SHIFT),
					  level - 1, gfn, mark, counts);
		}
		if (err)
			return err;
	}
	return NULL;
}

const char *tdp_check_tree(struct tdp_mmu *mmu, struct memslots *ms, bool mark,
			   struct tdp_walk_counts *counts)
{
	const char *err;

	*counts = (struct tdp_walk_counts){ 0 };
	rcu_read_lock();
	err = check_table(mmu, memslots_active(ms, 0), mmu->root, mmu->root_level, 0, mark, counts);
	for (int l = 1; !err && l <= TDP_MAX_LEVEL; l++)
		if ((long)mm_stat_read(&mmu->stats.pages_mapped[l]) != counts->leaves[l])
			err = VIOLATION("stats say %lu leaves at level %d, walk found %ld",
					mm_stat_read(&mmu->stats.pages_mapped[l]), l, counts->leaves[l]);
	rcu_read_unlock();
	return err;
}

uint64_t tdp_check_lookup(struct tdp_mmu *mmu, uint64_t gfn, int *level)
{
	uint64_t *pt = mmu->root;

	for (int l = mmu->root_level; l >= 1; l--) {
		uint64_t pte = tdp_read_pte(&pt[tdp_level_index(gfn, l)]);

		if (!mmu->ops->is_present(pte))
			break;
		if (mmu->ops->is_leaf(pte, l)) {
			*level = l;
			return pte;
		}
		pt = phys_to_virt(mmu->ops->pfn(pte) << PAGE_SHIFT);
	}
	*level = 0;
	return 0;
}
