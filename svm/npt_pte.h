/* AMD NPT entries behind the TDP PTE-ops interface: ordinary x86-64
 * long-mode entries (APM Vol. 2, "Nested Paging"), rooted in nCR3. */
#pragma once

#include "mm/tdp_pte.h"

#define NPT_PRESENT		(1ull << 0)
#define NPT_WRITE		(1ull << 1)
#define NPT_USER		(1ull << 2)	/* nested walks are user accesses */
#define NPT_PWT			(1ull << 3)
#define NPT_PCD			(1ull << 4)
#define NPT_ACCESSED		(1ull << 5)
#define NPT_DIRTY		(1ull << 6)
#define NPT_LARGE		(1ull << 7)	/* PS: 2M/1G leaf at levels 2/3 */
#define NPT_NX			(1ull << 63)

extern const struct tdp_pte_ops npt_pte_ops;
