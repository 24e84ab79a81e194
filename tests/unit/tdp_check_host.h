/* A simulated hardware page walker for tests: visits every table page and
 * leaf reachable from a TDP MMU's root and checks each leaf against the
 * published memslots. */
#pragma once

#include "mm/tdp_mmu.h"

struct tdp_walk_counts {
	long tables;				/* reachable table pages, root included */
	long leaves[TDP_MAX_LEVEL + 1];		/* present leaves per level */
};

/* Walk `mmu` (caller holds no MMU lock, nothing runs concurrently, CPU is
 * RCU-online). With `mark`, tell page_host each reachable table page.
 * Returns NULL when everything holds, else a description of the first
 * violation. */
const char *tdp_check_tree(struct tdp_mmu *mmu, struct memslots *ms, bool mark,
			   struct tdp_walk_counts *counts);

/* The leaf mapping `gfn` and its level, or 0 when none. */
uint64_t tdp_check_lookup(struct tdp_mmu *mmu, uint64_t gfn, int *level);
