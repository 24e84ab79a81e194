/* The PTE-ops interface: how the arch-neutral TDP MMU reads and builds
 * entries of a two-dimensional paging format. vmx/ept_pte.c (Intel EPT) and
 * svm/npt_pte.c (AMD NPT) fill it; the MMU never looks at entry bits itself.
 *
 * Levels count from the leaf: 1 maps 4 KiB, 2 maps 2 MiB, 3 maps 1 GiB,
 * 4 is the PML4 and 5 the PML5. Entries hold physical addresses in bits
 * 51:12 in both formats. */
#pragma once

#include "lib/compiler.h"

#define TDP_PT_ENTRIES		512
#define TDP_LEVEL_BITS		9
#define TDP_MAX_LEVEL		5
#define TDP_PFN_MASK		0x000ffffffffff000ull	/* address bits 51:12 */

/* Guest access rights a leaf grants. */
enum tdp_perm {
	TDP_PERM_READ = 1u << 0,
	TDP_PERM_WRITE = 1u << 1,
	TDP_PERM_EXEC = 1u << 2,
	TDP_PERM_ALL = TDP_PERM_READ | TDP_PERM_WRITE | TDP_PERM_EXEC,
};

/* Memory type of a leaf's host memory. */
enum tdp_memtype {
	TDP_MEMTYPE_WB,		/* ordinary RAM */
	TDP_MEMTYPE_UC,		/* device memory */
};

struct tdp_pte_ops {
	const char *name;
	/* Present (maps or points to something) at any level. */
	bool (*is_present)(uint64_t pte);
	/* Present and maps memory at `level` rather than pointing to a table. */
	bool (*is_leaf)(uint64_t pte, int level);
	/* Page frame the entry maps or the table it points to. */
	uint64_t (*pfn)(uint64_t pte);
	/* TDP_PERM_* bits a present leaf grants. */
	unsigned (*perms)(uint64_t pte);
	/* Memory type of a present leaf. */
	enum tdp_memtype (*memtype)(uint64_t pte);
	/* Hardware accessed/dirty flags of a present leaf. */
	bool (*is_accessed)(uint64_t pte);
	bool (*is_dirty)(uint64_t pte);
	/* A leaf at `level` mapping `pfn` (aligned to the level) with `perms`. */
	uint64_t (*make_leaf)(uint64_t pfn, int level, unsigned perms, enum tdp_memtype type);
	/* A non-leaf entry pointing to the table page at `table_pfn`. */
	uint64_t (*make_table)(uint64_t table_pfn);
	/* The present leaf `pte` with its permissions replaced by `perms`. */
	uint64_t (*with_perms)(uint64_t pte, unsigned perms);
	/* The present leaf `pte` with its dirty flag cleared. */
	uint64_t (*clear_dirty)(uint64_t pte);
};

/* Guest frames one entry at `level` covers. */
static inline uint64_t tdp_level_pages(int level)
{
	return 1ull << ((level - 1) * TDP_LEVEL_BITS);
}

/* Index of `gfn`'s entry in its table at `level`. */
static inline unsigned tdp_level_index(uint64_t gfn, int level)
{
	return (gfn >> ((level - 1) * TDP_LEVEL_BITS)) & (TDP_PT_ENTRIES - 1);
}

/* Atomic read of one entry; pairs with the release that installed it. */
static inline uint64_t tdp_read_pte(const uint64_t *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_ACQUIRE);
}
