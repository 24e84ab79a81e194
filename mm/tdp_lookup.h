/* One guest-physical address through a VM's TDP tables, level by level:
 * what the monitor's `walk` shows after the guest's own walk. */
#pragma once

#include "mm/tdp_mmu.h"

struct tdp_lookup {
	unsigned levels;			/* entries read, top level first */
	uint64_t pte[TDP_MAX_LEVEL];
	int level[TDP_MAX_LEVEL];		/* each one's level (1 maps 4 KiB) */
	bool mapped;				/* the last one is a leaf */
	uint64_t hpa;				/* where gpa is in host memory, if mapped */
};

/* Read the entries that translate `gpa` in `mmu`, stopping at a leaf or
 * at the first entry not present. Lock-free, inside an RCU read section
 * (a table page is freed only after a grace period). */
void tdp_mmu_lookup(struct tdp_mmu *mmu, uint64_t gpa, struct tdp_lookup *out);
