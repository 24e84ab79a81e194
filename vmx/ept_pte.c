/* EPT entry format: an entry is present when any of R/W/X is set. Leaves
 * carry the memory type with "ignore PAT", so guest PAT cannot make RAM
 * uncacheable behind the hypervisor's back. */
#include "vmx/ept_pte.h"

static bool ept_is_present(uint64_t pte)
{
	return pte & (EPT_READ | EPT_WRITE | EPT_EXEC);
}

static bool ept_is_leaf(uint64_t pte, int level)
{
	return ept_is_present(pte) && (level == 1 || (pte & EPT_LARGE));
}

static uint64_t ept_pfn(uint64_t pte)
{
	return (pte & TDP_PFN_MASK) >> 12;
}

static uint64_t ept_perm_bits(unsigned perms)
{
	return ((perms & TDP_PERM_READ) ? EPT_READ : 0) |
	       ((perms & TDP_PERM_WRITE) ? EPT_WRITE : 0) |
	       ((perms & TDP_PERM_EXEC) ? EPT_EXEC : 0);
}

static unsigned ept_perms(uint64_t pte)
{
	return ((pte & EPT_READ) ? TDP_PERM_READ : 0) |
	       ((pte & EPT_WRITE) ? TDP_PERM_WRITE : 0) |
	       ((pte & EPT_EXEC) ? TDP_PERM_EXEC : 0);
}

static enum tdp_memtype ept_memtype(uint64_t pte)
{
	uint64_t type = (pte >> EPT_MEMTYPE_SHIFT) & 7;

	return type == EPT_MEMTYPE_WB ? TDP_MEMTYPE_WB : TDP_MEMTYPE_UC;
}

static bool ept_is_accessed(uint64_t pte)
{
	return pte & EPT_ACCESSED;
}

static bool ept_is_dirty(uint64_t pte)
{
	return pte & EPT_DIRTY;
}

static uint64_t ept_make_leaf(uint64_t pfn, int level, unsigned perms, enum tdp_memtype type)
{
	uint64_t mt = type == TDP_MEMTYPE_WB ? EPT_MEMTYPE_WB : EPT_MEMTYPE_UC;

	return (pfn << 12) | ept_perm_bits(perms) | (mt << EPT_MEMTYPE_SHIFT) |
	       EPT_IGNORE_PAT | (level > 1 ? EPT_LARGE : 0);
}

static uint64_t ept_make_table(uint64_t table_pfn)
{
	return (table_pfn << 12) | EPT_READ | EPT_WRITE | EPT_EXEC;
}

static uint64_t ept_with_perms(uint64_t pte, unsigned perms)
{
	return (pte & ~(EPT_READ | EPT_WRITE | EPT_EXEC)) | ept_perm_bits(perms);
}

static uint64_t ept_clear_dirty(uint64_t pte)
{
	return pte & ~EPT_DIRTY;
}

const struct tdp_pte_ops ept_pte_ops = {
	.name = "ept",
	.is_present = ept_is_present,
	.is_leaf = ept_is_leaf,
	.pfn = ept_pfn,
	.perms = ept_perms,
	.memtype = ept_memtype,
	.is_accessed = ept_is_accessed,
	.is_dirty = ept_is_dirty,
	.make_leaf = ept_make_leaf,
	.make_table = ept_make_table,
	.with_perms = ept_with_perms,
	.clear_dirty = ept_clear_dirty,
};
