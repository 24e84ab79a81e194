/* Lazily allocated reverse maps; see mm/rmap.h. */
#include "mm/rmap.h"

#include <stdlib.h>

#include "mm/mm_stats.h"
#include "mm/tdp_mmu.h"

#define RMAP_DESC_ENTRIES	7

/* Overflow storage once more than one entry maps a frame. */
struct rmap_desc {
	uint64_t *sptes[RMAP_DESC_ENTRIES];	/* filled from index 0 */
	struct rmap_desc *next;
};
static_assert(sizeof(struct rmap_desc) == 64, "one cache line per rmap chain link");

/* Frames of `level` that [base_gfn, base_gfn + npages) touches. */
static uint64_t rmap_frames(uint64_t base_gfn, uint64_t npages, int level)
{
	unsigned shift = (level - 1) * TDP_LEVEL_BITS;

	return ((base_gfn + npages - 1) >> shift) - (base_gfn >> shift) + 1;
}

struct memslot_rmap *memslot_rmap_alloc(uint64_t base_gfn, uint64_t npages)
{
	uint64_t frames[RMAP_LEVELS], total = 0;
	struct memslot_rmap *rmap;

	for (int l = 1; l <= RMAP_LEVELS; l++) {
		frames[l - 1] = rmap_frames(base_gfn, npages, l);
		total += frames[l - 1];
	}
	rmap = calloc(1, sizeof(*rmap) + total * sizeof(struct rmap_head));
	if (!rmap)
		return NULL;
	rmap->bytes = sizeof(*rmap) + total * sizeof(struct rmap_head);
	rmap->level[0] = rmap->heads;
	for (int l = 2; l <= RMAP_LEVELS; l++)
		rmap->level[l - 1] = rmap->level[l - 2] + frames[l - 2];
	return rmap;
}

static struct rmap_desc *head_desc(const struct rmap_head *head)
{
	return (struct rmap_desc *)(head->val & ~(uintptr_t)1);
}

void memslot_rmap_free(struct memslot_rmap *rmap)
{
	uint64_t n;

	if (!rmap)
		return;
	n = (rmap->bytes - sizeof(*rmap)) / sizeof(struct rmap_head);
	for (uint64_t i = 0; i < n; i++) {
		struct rmap_desc *d = (rmap->heads[i].val & 1) ? head_desc(&rmap->heads[i]) : NULL;

		while (d) {
			struct rmap_desc *next = d->next;

			free(d);
			d = next;
		}
	}
	free(rmap);
}

struct rmap_head *rmap_head_of(const struct memslot *slot, uint64_t gfn, int level)
{
	unsigned shift = (level - 1) * TDP_LEVEL_BITS;

	return &slot->rmap->level[level - 1][(gfn >> shift) - (slot->base_gfn >> shift)];
}

int rmap_add(struct rmap_head *head, uint64_t *sptep)
{
	struct rmap_desc *d;

	if (!head->val) {
		head->val = (uintptr_t)sptep;
		return 0;
	}
	if (!(head->val & 1)) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return MEMSLOT_E_NOMEM;
		d->sptes[0] = (uint64_t *)head->val;
		head->val = (uintptr_t)d | 1;
	}
	for (d = head_desc(head);; d = d->next) {
		for (int i = 0; i < RMAP_DESC_ENTRIES; i++) {
			if (!d->sptes[i]) {
				d->sptes[i] = sptep;
				return 0;
			}
		}
		if (!d->next)
			break;
	}
	d->next = calloc(1, sizeof(*d));
	if (!d->next)
		return MEMSLOT_E_NOMEM;
	d->next->sptes[0] = sptep;
	return 0;
}

/* The last filled entry of a chain, to move into a hole. */
static uint64_t **rmap_desc_last(struct rmap_desc *d, struct rmap_desc **owner)
{
	while (d->next)
		d = d->next;
	*owner = d;
	for (int i = RMAP_DESC_ENTRIES - 1; i > 0; i--)
		if (d->sptes[i])
			return &d->sptes[i];
	return &d->sptes[0];
}

void rmap_remove(struct rmap_head *head, uint64_t *sptep)
{
	struct rmap_desc *first = head_desc(head), *d, *last_desc, *prev;
	uint64_t **last;

	if (!(head->val & 1)) {
		BUG_ON(head->val != (uintptr_t)sptep);
		head->val = 0;
		return;
	}
	for (d = first; d; d = d->next) {
		for (int i = 0; i < RMAP_DESC_ENTRIES; i++) {
			if (d->sptes[i] != sptep)
				continue;
			last = rmap_desc_last(first, &last_desc);
			d->sptes[i] = *last;
			*last = NULL;
			if (last_desc->sptes[0])
				return;
			/* The last link emptied: unhook it. */
			for (prev = first; prev->next && prev->next != last_desc; prev = prev->next)
				;
			if (last_desc == first)
				head->val = 0;
			else
				prev->next = NULL;
			free(last_desc);
			return;
		}
	}
	BUG_ON(true);
}

/* Call fn for each entry recorded in one head. */
static void rmap_head_for_each(const struct rmap_head *head, rmap_fn fn, void *arg)
{
	if (!head->val)
		return;
	if (!(head->val & 1)) {
		fn((uint64_t *)head->val, arg);
		return;
	}
	for (struct rmap_desc *d = head_desc(head); d; d = d->next)
		for (int i = 0; i < RMAP_DESC_ENTRIES && d->sptes[i]; i++)
			fn(d->sptes[i], arg);
}

bool rmap_walk_range(struct memslots *ms, const struct memslot *slot, uint64_t start,
		     uint64_t end, rmap_fn fn, void *arg)
{
	if (!memslots_have_rmaps(ms))
		return false;
	for (uint64_t gfn = start; gfn < end; gfn++)
		rmap_head_for_each(rmap_head_of(slot, gfn, 1), fn, arg);
	return true;
}

int mmu_alloc_shadow_root_prepare(struct memslots *ms)
{
	struct mm_stats *stats = &ms->mmu->stats;
	int err = MEMSLOT_OK;

	spin_lock(&ms->lock);
	if (ms->have_rmaps)
		goto out;
	for (unsigned as = 0; as < MEMSLOT_NR_AS; as++) {
		struct memslot_set *set = rcu_dereference_protected(ms->active[as], spin_is_locked(&ms->lock));

		for (uint32_t i = 0; i < set->count; i++) {
			struct memslot *slot = &set->slots[i];

			slot->rmap = memslot_rmap_alloc(slot->base_gfn, slot->npages);
			if (!slot->rmap) {
				err = MEMSLOT_E_NOMEM;
				goto undo;
			}
			mm_stat_add(&stats->rmap_bytes, slot->rmap->bytes);
		}
	}
	/* Every slot's rmap is written before anyone can see the flag. */
	__atomic_store_n(&ms->have_rmaps, true, __ATOMIC_RELEASE);
	goto out;
undo:
	for (unsigned as = 0; as < MEMSLOT_NR_AS; as++) {
		struct memslot_set *set = rcu_dereference_protected(ms->active[as], spin_is_locked(&ms->lock));

		for (uint32_t i = 0; i < set->count; i++) {
			struct memslot *slot = &set->slots[i];

			if (slot->rmap)
				mm_stat_add(&stats->rmap_bytes, -(int64_t)slot->rmap->bytes);
			memslot_rmap_free(slot->rmap);
			slot->rmap = NULL;
		}
	}
out:
	spin_unlock(&ms->lock);
	return err;
}
