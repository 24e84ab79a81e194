/* Intel EPT entries behind the TDP PTE-ops interface (SDM Vol. 3C,
 * "EPT Paging-Structure Entries"). */
#pragma once

#include "mm/tdp_pte.h"

#define EPT_READ		(1ull << 0)
#define EPT_WRITE		(1ull << 1)
#define EPT_EXEC		(1ull << 2)
#define EPT_MEMTYPE_SHIFT	3		/* bits 5:3, leaves only */
#define EPT_MEMTYPE_UC		0ull
#define EPT_MEMTYPE_WB		6ull
#define EPT_IGNORE_PAT		(1ull << 6)
#define EPT_LARGE		(1ull << 7)	/* 2M/1G leaf at levels 2/3 */
#define EPT_ACCESSED		(1ull << 8)	/* only with EPTP A/D enabled */
#define EPT_DIRTY		(1ull << 9)

extern const struct tdp_pte_ops ept_pte_ops;
