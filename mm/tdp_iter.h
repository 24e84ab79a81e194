/* Pre-order walk over the entries of a TDP paging structure that cover a gfn
 * range, through three moves: step down into the table an entry points to,
 * step sideways to the next entry of the same table, step up to the parent
 * table. Holders of the MMU lock may drop it mid-walk ("yield"); the walk
 * then restarts from the root at the first gfn it had not finished. */
#pragma once

#include "mm/tdp_pte.h"

struct tdp_iter {
	const struct tdp_pte_ops *ops;
	uint64_t *pt_path[TDP_MAX_LEVEL];	/* [l - 1]: table of level-l entries */
	uint64_t *ptep;			/* the current entry */
	uint64_t old_pte;		/* its value when the walk reached it */
	uint64_t gfn;			/* first gfn the current entry covers */
	uint64_t next_gfn;		/* where a restarted walk resumes */
	uint64_t yielded_gfn;		/* next_gfn at the last yield */
	int root_level;
	int min_level;			/* never step below this level */
	int level;			/* level of the current entry */
	bool valid;			/* false once the walk left the root */
	bool yielded;			/* the lock was dropped: restart */
};

/* Begin at the root entry covering `start`; the walk never descends below
 * `min_level`. */
void tdp_iter_start(struct tdp_iter *it, const struct tdp_pte_ops *ops, uint64_t *root,
		    int root_level, int min_level, uint64_t start);

/* Move to the next entry in pre-order (or restart after a yield). */
void tdp_iter_next(struct tdp_iter *it);

/* True when yielding now still guarantees forward progress. */
bool tdp_iter_can_yield(const struct tdp_iter *it);

/* Record that the caller dropped the lock: the tables on the path may be
 * gone, so the next step re-walks from the root at next_gfn. */
void tdp_iter_yielded(struct tdp_iter *it);

/* Every entry covering [start, end) at levels >= min_level, pre-order. */
#define for_each_tdp_pte(it, ops, root, root_level, min_level, start, end)	\
	for (tdp_iter_start(&(it), ops, root, root_level, min_level, start);	\
	     (it).valid && (it).gfn < (end); tdp_iter_next(&(it)))
