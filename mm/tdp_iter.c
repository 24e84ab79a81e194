/* TDP iterator moves; see mm/tdp_iter.h. */
#include "mm/tdp_iter.h"

#include "mm/page.h"

static uint64_t round_gfn(uint64_t gfn, int level)
{
	return gfn & ~(tdp_level_pages(level) - 1);
}

/* Point ptep/old_pte at the entry for gfn in the table of the current level. */
static void tdp_iter_refresh(struct tdp_iter *it)
{
	it->ptep = it->pt_path[it->level - 1] + tdp_level_index(it->gfn, it->level);
	it->old_pte = tdp_read_pte(it->ptep);
}

/* Re-walk from the root entry that covers next_gfn. */
static void tdp_iter_restart(struct tdp_iter *it)
{
	it->yielded = false;
	it->level = it->root_level;
	it->gfn = round_gfn(it->next_gfn, it->level);
	tdp_iter_refresh(it);
	it->valid = true;
}

void tdp_iter_start(struct tdp_iter *it, const struct tdp_pte_ops *ops, uint64_t *root,
		    int root_level, int min_level, uint64_t start)
{
	it->ops = ops;
	it->pt_path[root_level - 1] = root;
	it->root_level = root_level;
	it->min_level = min_level;
	it->next_gfn = start;
	it->yielded_gfn = start;
	tdp_iter_restart(it);
}

/* Into the table the current entry points to, if any. The entry is re-read:
 * the caller may just have installed that table. */
static bool try_step_down(struct tdp_iter *it)
{
	uint64_t pte;

	if (it->level == it->min_level)
		return false;
	pte = tdp_read_pte(it->ptep);
	if (!it->ops->is_present(pte) || it->ops->is_leaf(pte, it->level))
		return false;
	it->level--;
	it->pt_path[it->level - 1] = phys_to_virt(it->ops->pfn(pte) << PAGE_SHIFT);
	it->gfn = round_gfn(it->next_gfn, it->level);
	tdp_iter_refresh(it);
	return true;
}

/* To the next entry of the same table, unless this was its last. */
static bool try_step_side(struct tdp_iter *it)
{
	if (tdp_level_index(it->gfn, it->level) == TDP_PT_ENTRIES - 1)
		return false;
	it->gfn += tdp_level_pages(it->level);
	it->next_gfn = it->gfn;
	it->ptep++;
	it->old_pte = tdp_read_pte(it->ptep);
	return true;
}

/* Back to the parent entry, unless at the root. */
static bool try_step_up(struct tdp_iter *it)
{
	if (it->level == it->root_level)
		return false;
	it->level++;
	it->gfn = round_gfn(it->gfn, it->level);
	tdp_iter_refresh(it);
	return true;
}

void tdp_iter_next(struct tdp_iter *it)
{
	if (it->yielded) {
		tdp_iter_restart(it);
		return;
	}
	if (try_step_down(it))
		return;
	do {
		if (try_step_side(it))
			return;
	} while (try_step_up(it));
	it->valid = false;
}

bool tdp_iter_can_yield(const struct tdp_iter *it)
{
	return it->next_gfn != it->yielded_gfn;
}

void tdp_iter_yielded(struct tdp_iter *it)
{
	it->yielded_gfn = it->next_gfn;
	it->yielded = true;
}
