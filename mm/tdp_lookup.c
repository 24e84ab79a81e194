/* The TDP lookup of one address (mm/tdp_lookup.h). */
#include "mm/page.h"
#include "mm/tdp_lookup.h"

void tdp_mmu_lookup(struct tdp_mmu *mmu, uint64_t gpa, struct tdp_lookup *out)
{
	uint64_t gfn = gpa >> PAGE_SHIFT;
	const uint64_t *table;

	*out = (struct tdp_lookup){ 0 };
	rcu_read_lock();
	table = mmu->root;
	for (int level = mmu->root_level; table && level >= 1; level--) {
		uint64_t pte = tdp_read_pte(&table[tdp_level_index(gfn, level)]);

		out->pte[out->levels] = pte;
		out->level[out->levels++] = level;
		if (!mmu->ops->is_present(pte))
			break;
		if (mmu->ops->is_leaf(pte, level)) {
			uint64_t offset = gpa & ((tdp_level_pages(level) << PAGE_SHIFT) - 1);

			out->mapped = true;
			out->hpa = (mmu->ops->pfn(pte) << PAGE_SHIFT) + offset;
			break;
		}
		table = phys_to_virt(mmu->ops->pfn(pte) << PAGE_SHIFT);
	}
	rcu_read_unlock();
}
