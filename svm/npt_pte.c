/* NPT entry format. Every nested walk is a user-mode access, so US is set at
 * all levels; non-leaf entries grant everything and leave the restriction to
 * the leaf. Read access is implied by presence. Memory type comes from
 * PCD/PWT (PAT index 0 = WB, 3 = UC in the default PAT). */
#include "svm/npt_pte.h"

static bool npt_is_present(uint64_t pte)
{
	return pte & NPT_PRESENT;
}

static bool npt_is_leaf(uint64_t pte, int level)
{
	return npt_is_present(pte) && (level == 1 || (pte & NPT_LARGE));
}

static uint64_t npt_pfn(uint64_t pte)
{
	return (pte & TDP_PFN_MASK) >> 12;
}

static uint64_t npt_perm_bits(unsigned perms)
{
	return ((perms & TDP_PERM_READ) ? NPT_PRESENT : 0) |
	       ((perms & TDP_PERM_WRITE) ? NPT_WRITE : 0) |
	       ((perms & TDP_PERM_EXEC) ? 0 : NPT_NX);
}

static unsigned npt_perms(uint64_t pte)
{
	return ((pte & NPT_PRESENT) ? TDP_PERM_READ : 0) |
	       ((pte & NPT_WRITE) ? TDP_PERM_WRITE : 0) |
	       ((pte & NPT_NX) ? 0 : TDP_PERM_EXEC);
}

static enum tdp_memtype npt_memtype(uint64_t pte)
{
	return (pte & (NPT_PCD | NPT_PWT)) ? TDP_MEMTYPE_UC : TDP_MEMTYPE_WB;
}

static bool npt_is_accessed(uint64_t pte)
{
	return pte & NPT_ACCESSED;
}

static bool npt_is_dirty(uint64_t pte)
{
	return pte & NPT_DIRTY;
}

static uint64_t npt_make_leaf(uint64_t pfn, int level, unsigned perms, enum tdp_memtype type)
{
	return (pfn << 12) | npt_perm_bits(perms) | NPT_USER |
	       (type == TDP_MEMTYPE_UC ? NPT_PCD | NPT_PWT : 0) |
	       (level > 1 ? NPT_LARGE : 0);
}

static uint64_t npt_make_table(uint64_t table_pfn)
{
	return (table_pfn << 12) | NPT_PRESENT | NPT_WRITE | NPT_USER;
}

static uint64_t npt_with_perms(uint64_t pte, unsigned perms)
{
	return (pte & ~(NPT_PRESENT | NPT_WRITE | NPT_NX)) | npt_perm_bits(perms);
}

static uint64_t npt_clear_dirty(uint64_t pte)
{
	return pte & ~NPT_DIRTY;
}

const struct tdp_pte_ops npt_pte_ops = {
	.name = "npt",
	.is_present = npt_is_present,
	.is_leaf = npt_is_leaf,
	.pfn = npt_pfn,
	.perms = npt_perms,
	.memtype = npt_memtype,
	.is_accessed = npt_is_accessed,
	.is_dirty = npt_is_dirty,
	.make_leaf = npt_make_leaf,
	.make_table = npt_make_table,
	.with_perms = npt_with_perms,
	.clear_dirty = npt_clear_dirty,
};
