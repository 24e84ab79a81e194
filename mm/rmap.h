/* Reverse maps, allocated lazily: for each guest page of a slot (and each
 * 2M/1G frame), which shadow-MMU entries map it. Only a nested guest's
 * shadow MMU creates such entries, so a VM has no rmaps, and every rmap walk
 * is skipped, until its first shadow root is prepared. That moment allocates
 * rmaps for every slot, then publishes memslots->have_rmaps with release
 * ordering; readers test it with acquire ordering before touching
 * slot->rmap. Slots created later get rmaps at creation. */
#pragma once

#include "mm/memslot.h"

#define RMAP_LEVELS	3	/* 4K, 2M and 1G frames */

/* 0: nothing maps the frame; bit 0 clear: the one entry mapping it;
 * bit 0 set: a chain of struct rmap_desc. */
struct rmap_head {
	uintptr_t val;
};

struct memslot_rmap {
	struct rmap_head *level[RMAP_LEVELS];	/* [l - 1]: frames of level l */
	uint64_t bytes;				/* size of this allocation */
	struct rmap_head heads[];
};

/* Called for each shadow entry mapping a frame. */
typedef void (*rmap_fn)(uint64_t *sptep, void *arg);

/* True once rmaps exist; pairs with the release in
 * mmu_alloc_shadow_root_prepare(). */
static inline bool memslots_have_rmaps(struct memslots *ms)
{
	return __atomic_load_n(&ms->have_rmaps, __ATOMIC_ACQUIRE);
}

/* Give every slot its rmaps and publish have_rmaps: the nested path calls
 * this before creating its first shadow root. Idempotent. */
int mmu_alloc_shadow_root_prepare(struct memslots *ms);

/* Rmap storage for a slot with this placement, or NULL without memory. */
struct memslot_rmap *memslot_rmap_alloc(uint64_t base_gfn, uint64_t npages);

/* Free rmaps (and any chains still hanging off them). NULL is fine. */
void memslot_rmap_free(struct memslot_rmap *rmap);

/* The head for frame `gfn` of `slot` at `level` (slot must have rmaps). */
struct rmap_head *rmap_head_of(const struct memslot *slot, uint64_t gfn, int level);

/* Record / forget that `sptep` maps the frame of `head`. */
int rmap_add(struct rmap_head *head, uint64_t *sptep);
void rmap_remove(struct rmap_head *head, uint64_t *sptep);

/* Call fn for every shadow entry mapping a 4K frame of [start, end) in
 * `slot`. Returns false, doing nothing, while the VM has no rmaps. */
bool rmap_walk_range(struct memslots *ms, const struct memslot *slot, uint64_t start,
		     uint64_t end, rmap_fn fn, void *arg);
