/* Memslot sets: validation, copy-on-update, RCU publication; see
 * mm/memslot.h. */
#include "mm/memslot.h"

#include <stdlib.h>
#include <string.h>

#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/tdp_mmu.h"

static struct mm_stats *ms_stats(struct memslots *ms)
{
	return &ms->mmu->stats;
}

/* An uninitialised set of `count` slots with a clean header. */
static struct memslot_set *set_alloc(struct memslots *ms, uint32_t count)
{
	struct memslot_set *set = malloc(memslot_set_bytes(count));

	if (!set)
		return NULL;
	memset(set, 0, sizeof(*set));
	set->owner = ms;
	set->count = count;
	mm_stat_add(&ms_stats(ms)->memslot_bytes, memslot_set_bytes(count));
	return set;
}

/* Free the dirty bitmap and rmaps a slot owns. */
static void slot_resources_free(struct memslots *ms, struct memslot *slot)
{
	if (slot->dirty_bitmap)
		mm_stat_add(&ms_stats(ms)->memslot_bytes,
			    -(int64_t)memslot_bitmap_bytes(slot->npages));
	if (slot->rmap)
		mm_stat_add(&ms_stats(ms)->rmap_bytes, -(int64_t)slot->rmap->bytes);
	free(slot->dirty_bitmap);
	memslot_rmap_free(slot->rmap);
	slot->dirty_bitmap = NULL;
	slot->rmap = NULL;
}

/* Allocate what a new slot placement needs: a bitmap while logging, rmaps
 * once the VM has them (slots lock held, so have_rmaps cannot change). */
static int slot_resources_alloc(struct memslots *ms, struct memslot *slot)
{
	slot->dirty_bitmap = NULL;
	slot->rmap = NULL;
	if (slot->flags & MEMSLOT_DIRTY_LOG) {
		slot->dirty_bitmap = calloc(1, memslot_bitmap_bytes(slot->npages));
		if (!slot->dirty_bitmap)
			return MEMSLOT_E_NOMEM;
		mm_stat_add(&ms_stats(ms)->memslot_bytes, memslot_bitmap_bytes(slot->npages));
	}
	if (ms->have_rmaps) {
		slot->rmap = memslot_rmap_alloc(slot->base_gfn, slot->npages);
		if (!slot->rmap) {
			slot_resources_free(ms, slot);
			return MEMSLOT_E_NOMEM;
		}
		mm_stat_add(&ms_stats(ms)->rmap_bytes, slot->rmap->bytes);
	}
	return MEMSLOT_OK;
}

static void set_free(struct memslot_set *set)
{
	struct memslots *ms = set->owner;

	slot_resources_free(ms, &set->retired);
	mm_stat_add(&ms_stats(ms)->memslot_bytes, -(int64_t)memslot_set_bytes(set->count));
	free(set);
}

static void set_free_rcu(struct rcu_head *head)
{
	set_free(container_of(head, struct memslot_set, rcu));
}

int memslots_init(struct memslots *ms, struct tdp_mmu *mmu)
{
	memset(ms, 0, sizeof(*ms));
	ms->lock = (struct spinlock)SPINLOCK_INIT;
	ms->mmu = mmu;
	for (unsigned as = 0; as < MEMSLOT_NR_AS; as++) {
		ms->active[as] = set_alloc(ms, 0);
		if (!ms->active[as]) {
			while (as--)
				set_free(ms->active[as]);
			return MEMSLOT_E_NOMEM;
		}
	}
	return MEMSLOT_OK;
}

void memslots_destroy(struct memslots *ms)
{
	for (unsigned as = 0; as < MEMSLOT_NR_AS; as++) {
		struct memslot_set *set = ms->active[as];

		for (uint32_t i = 0; i < set->count; i++)
			slot_resources_free(ms, &set->slots[i]);
		set_free(set);
		ms->active[as] = NULL;
	}
	free(ms->regions);
	ms->regions = NULL;
	ms->nr_regions = ms->region_capacity = 0;
}

/* Double the room for regions (at least 8). Lock held. */
static int regions_grow(struct memslots *ms)
{
	unsigned capacity = ms->region_capacity ? 2 * ms->region_capacity : 8;
	struct host_region *regions = realloc(ms->regions, capacity * sizeof(*regions));

	if (!regions)
		return MEMSLOT_E_NOMEM;
	ms->regions = regions;
	ms->region_capacity = capacity;
	return MEMSLOT_OK;
}

int memslots_add_region(struct memslots *ms, void *host, uint64_t bytes)
{
	uintptr_t base = (uintptr_t)host;
	int err = MEMSLOT_OK;

	if (!bytes)
		return MEMSLOT_E_SIZE;
	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(bytes, PAGE_SIZE))
		return MEMSLOT_E_ALIGN;
	if (bytes - 1 > UINTPTR_MAX - base)
		return MEMSLOT_E_RANGE;
	spin_lock(&ms->lock);
	for (unsigned i = 0; i < ms->nr_regions && !err; i++) {
		const struct host_region *r = &ms->regions[i];

		if (base - r->base < r->bytes || r->base - base < bytes)
			err = MEMSLOT_E_OVERLAP;
	}
	if (!err && ms->nr_regions == ms->region_capacity)
		err = regions_grow(ms);
	if (!err)
		ms->regions[ms->nr_regions++] = (struct host_region){ base, bytes };
	spin_unlock(&ms->lock);
	return err;
}

/* True when the slot's host memory lies inside one region of the VM. */
static bool slot_backing_ok(const struct memslots *ms, const struct memslot *slot)
{
	for (unsigned i = 0; i < ms->nr_regions; i++) {
		const struct host_region *r = &ms->regions[i];
		uint64_t offset = slot->host - r->base;

		if (slot->host >= r->base && offset < r->bytes &&
		    slot->npages <= (r->bytes - offset) >> PAGE_SHIFT)
			return true;
	}
	return false;
}

/* Check a slot placement against the VM and the other slots of `set`
 * (`self`, the slot being moved, is not an other). */
static int slot_validate(const struct memslots *ms, const struct memslot_set *set,
			 const struct memslot *slot, const struct memslot *self)
{
	uint64_t limit = tdp_mmu_gfn_limit(ms->mmu);

	if (!slot->npages)
		return MEMSLOT_E_SIZE;
	if (!IS_ALIGNED(slot->host, PAGE_SIZE))
		return MEMSLOT_E_ALIGN;
	if (slot->npages > limit || slot->base_gfn > limit - slot->npages)
		return MEMSLOT_E_RANGE;
	if (!slot_backing_ok(ms, slot))
		return MEMSLOT_E_BACKING;
	for (uint32_t i = 0; i < set->count; i++) {
		const struct memslot *s = &set->slots[i];

		if (s != self && slot->base_gfn < s->base_gfn + s->npages &&
		    s->base_gfn < slot->base_gfn + slot->npages)
			return MEMSLOT_E_OVERLAP;
	}
	return MEMSLOT_OK;
}

/* Index of the first slot of `set` starting above `gfn`. */
static uint32_t set_upper_bound(const struct memslot_set *set, uint64_t gfn)
{
	uint32_t lo = 0, hi = set->count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (set->slots[mid].base_gfn <= gfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A copy of `old` without its slot at index `drop` (none when drop ==
 * old->count) and with `add` (none when NULL) in gfn order. */
static struct memslot_set *set_build(struct memslots *ms, const struct memslot_set *old,
				     uint32_t drop, const struct memslot *add)
{
	uint32_t kept = old->count - (drop < old->count);
	struct memslot_set *set = set_alloc(ms, kept + (add != NULL));
	uint32_t head = MIN(drop, old->count), pos;

	if (!set)
		return NULL;
	set->generation = old->generation + 1;
	memcpy(set->slots, old->slots, head * sizeof(struct memslot));
	if (head < old->count)
		memcpy(set->slots + head, old->slots + head + 1,
		       (old->count - head - 1) * sizeof(struct memslot));
	if (add) {
		set->count = kept;
		pos = set_upper_bound(set, add->base_gfn);
		memmove(set->slots + pos + 1, set->slots + pos, (kept - pos) * sizeof(struct memslot));
		set->slots[pos] = *add;
		set->count = kept + 1;
	}
	return set;
}

/* How an update invalidates the mappings of the slot it replaces. */
enum slot_zap {
	ZAP_NONE,		/* new gfns only */
	ZAP_LEAFS,		/* the slot's old gfns */
	ZAP_COLLAPSIBLE,	/* tables where huge pages may come back */
};

/* Publish `set` in place of `old`, zap what it invalidates about `slot`
 * (as in `set`), and free `old` with the resources of `retired` after a
 * grace period. Slots lock held. */
static void set_commit(struct memslots *ms, unsigned as_id, struct memslot_set *old,
		       struct memslot_set *set, const struct memslot *retired,
		       const struct memslot *slot, enum slot_zap zap)
{
	struct tdp_mmu *mmu = ms->mmu;
	bool flush = false;

	rcu_assign_pointer(ms->active[as_id], set);
	if (zap != ZAP_NONE) {
		write_lock(&mmu->lock);
		if (zap == ZAP_LEAFS)
			flush = tdp_mmu_zap_leafs(mmu, slot->base_gfn,
						  slot->base_gfn + slot->npages, true);
		else
			flush = tdp_mmu_recover_huge_pages(mmu, slot);
		if (flush)
			tdp_mmu_flush(mmu);
		write_unlock(&mmu->lock);
	}
	if (retired)
		old->retired = *retired;
	call_rcu(&old->rcu, set_free_rcu);
}

static struct memslot_set *active_locked(struct memslots *ms, unsigned as_id)
{
	return rcu_dereference_protected(ms->active[as_id], spin_is_locked(&ms->lock));
}

int memslot_create(struct memslots *ms, unsigned as_id, unsigned id, uint64_t base_gfn,
		   uint64_t npages, void *host, uint32_t flags)
{
	struct memslot slot = {
		.base_gfn = base_gfn, .npages = npages, .host = (uintptr_t)host,
		.flags = flags, .id = id, .as_id = as_id,
	};
	struct memslot_set *old, *set;
	int err;

	if (as_id >= MEMSLOT_NR_AS || id >= MEMSLOT_MAX_SLOTS)
		return MEMSLOT_E_ID;
	if (flags & ~MEMSLOT_FLAGS_ALL)
		return MEMSLOT_E_FLAGS;
	spin_lock(&ms->lock);
	old = active_locked(ms, as_id);
	err = memslot_find_id(old, id) ? MEMSLOT_E_EXISTS : slot_validate(ms, old, &slot, NULL);
	if (!err)
		err = slot_resources_alloc(ms, &slot);
	if (!err) {
		set = set_build(ms, old, old->count, &slot);
		if (set) {
			set_commit(ms, as_id, old, set, NULL, &slot, ZAP_NONE);
		} else {
			slot_resources_free(ms, &slot);
			err = MEMSLOT_E_NOMEM;
		}
	}
	spin_unlock(&ms->lock);
	return err;
}

/* Look up slot `id` for an update: validates the ids, takes the slots lock
 * on success (the caller unlocks). */
static int slot_for_update(struct memslots *ms, unsigned as_id, unsigned id,
			   struct memslot_set **set, const struct memslot **slot)
{
	if (as_id >= MEMSLOT_NR_AS || id >= MEMSLOT_MAX_SLOTS)
		return MEMSLOT_E_ID;
	spin_lock(&ms->lock);
	*set = active_locked(ms, as_id);
	*slot = memslot_find_id(*set, id);
	if (!*slot) {
		spin_unlock(&ms->lock);
		return MEMSLOT_E_NOENT;
	}
	return MEMSLOT_OK;
}

int memslot_delete(struct memslots *ms, unsigned as_id, unsigned id)
{
	const struct memslot *slot;
	struct memslot_set *old, *set;
	int err = slot_for_update(ms, as_id, id, &old, &slot);

	if (err)
		return err;
	set = set_build(ms, old, slot - old->slots, NULL);
	if (set)
		set_commit(ms, as_id, old, set, slot, slot, ZAP_LEAFS);
	else
		err = MEMSLOT_E_NOMEM;
	spin_unlock(&ms->lock);
	return err;
}

int memslot_move(struct memslots *ms, unsigned as_id, unsigned id, uint64_t new_base_gfn)
{
	const struct memslot *slot;
	struct memslot_set *old, *set;
	struct memslot moved;
	int err = slot_for_update(ms, as_id, id, &old, &slot);

	if (err)
		return err;
	moved = *slot;
	moved.base_gfn = new_base_gfn;
	err = slot_validate(ms, old, &moved, slot);
	/* Dirty state and rmaps describe the old gfns: start afresh. */
	if (!err)
		err = slot_resources_alloc(ms, &moved);
	if (!err) {
		set = set_build(ms, old, slot - old->slots, &moved);
		if (set) {
			set_commit(ms, as_id, old, set, slot, slot, ZAP_LEAFS);
		} else {
			slot_resources_free(ms, &moved);
			err = MEMSLOT_E_NOMEM;
		}
	}
	spin_unlock(&ms->lock);
	return err;
}

int memslot_set_flags(struct memslots *ms, unsigned as_id, unsigned id, uint32_t flags)
{
	const struct memslot *slot;
	struct memslot_set *old, *set;
	struct memslot updated, retired = { 0 };
	int err;

	if (flags & ~MEMSLOT_FLAGS_ALL)
		return MEMSLOT_E_FLAGS;
	err = slot_for_update(ms, as_id, id, &old, &slot);
	if (err)
		return err;
	if ((flags ^ slot->flags) & MEMSLOT_READONLY)
		err = MEMSLOT_E_FLAGS;
	if (err || flags == slot->flags)
		goto out;
	updated = *slot;
	updated.flags = flags;
	if (flags & MEMSLOT_DIRTY_LOG) {
		updated.dirty_bitmap = calloc(1, memslot_bitmap_bytes(slot->npages));
		if (!updated.dirty_bitmap) {
			err = MEMSLOT_E_NOMEM;
			goto out;
		}
		mm_stat_add(&ms_stats(ms)->memslot_bytes, memslot_bitmap_bytes(slot->npages));
	} else {
		updated.dirty_bitmap = NULL;
		retired.npages = slot->npages;
		retired.dirty_bitmap = slot->dirty_bitmap;
	}
	set = set_build(ms, old, slot - old->slots, &updated);
	if (!set) {
		updated.rmap = NULL;
		slot_resources_free(ms, &updated);
		err = MEMSLOT_E_NOMEM;
		goto out;
	}
	/* Starting to log zaps the leaves, so pages refault 4K and
	 * write-protected; stopping zaps the tables of frames that may be
	 * huge again. */
	set_commit(ms, as_id, old, set, &retired, &updated,
		   (flags & MEMSLOT_DIRTY_LOG) ? ZAP_LEAFS : ZAP_COLLAPSIBLE);
out:
	spin_unlock(&ms->lock);
	return err;
}

/* Rmap walk step: write-protect one shadow entry mapping a logged page. */
static void rmap_write_protect_spte(uint64_t *sptep, void *arg)
{
	tdp_mmu_write_protect_pte(arg, sptep);
}

/* Write-protect, in the TDP tables and through rmaps, the pages of `slot`
 * whose bits are set in `mask` (bit i: page base + i). */
static void slot_write_protect_mask(struct memslots *ms, const struct memslot *slot,
				    uint64_t base, uint64_t mask)
{
	while (mask) {
		unsigned first = __builtin_ctzll(mask);
		uint64_t rest = ~(mask >> first);
		unsigned len = rest ? (unsigned)__builtin_ctzll(rest) : 64 - first;
		uint64_t start = slot->base_gfn + base + first;

		tdp_mmu_write_protect_range(ms->mmu, start, start + len);
		rmap_walk_range(ms, slot, start, start + len, rmap_write_protect_spte, ms->mmu);
		mask = first + len == 64 ? 0 : mask & ~(((1ull << len) - 1) << first);
	}
}

int memslot_get_dirty_log(struct memslots *ms, unsigned as_id, unsigned id, uint64_t *out)
{
	const struct memslot *slot;
	struct memslot_set *set;
	int err = slot_for_update(ms, as_id, id, &set, &slot);

	if (err)
		return err;
	if (!(slot->flags & MEMSLOT_DIRTY_LOG)) {
		spin_unlock(&ms->lock);
		return MEMSLOT_E_NOLOG;
	}
	write_lock(&ms->mmu->lock);
	for (uint64_t w = 0; w < memslot_bitmap_bytes(slot->npages) / 8; w++) {
		out[w] = __atomic_exchange_n(&slot->dirty_bitmap[w], 0, __ATOMIC_RELAXED);
		slot_write_protect_mask(ms, slot, w * 64, out[w]);
	}
	if (ms->mmu->tlb_stale)
		tdp_mmu_flush(ms->mmu);
	write_unlock(&ms->mmu->lock);
	spin_unlock(&ms->lock);
	return MEMSLOT_OK;
}

const char *memslot_strerror(int err)
{
	switch (err) {
	case MEMSLOT_OK: return "success";
	case MEMSLOT_E_ID: return "slot id or address space out of range";
	case MEMSLOT_E_EXISTS: return "slot id already in use";
	case MEMSLOT_E_NOENT: return "no slot with that id";
	case MEMSLOT_E_SIZE: return "zero size";
	case MEMSLOT_E_ALIGN: return "host memory not page aligned";
	case MEMSLOT_E_RANGE: return "gfn range beyond guest-physical space";
	case MEMSLOT_E_OVERLAP: return "overlaps an existing range";
	case MEMSLOT_E_BACKING: return "host memory not inside one of the VM's regions";
	case MEMSLOT_E_FLAGS: return "unknown flag, or read-only changed";
	case MEMSLOT_E_NOMEM: return "out of memory";
	case MEMSLOT_E_NOLOG: return "slot is not dirty logging";
	default: return "unknown memslot error";
	}
}

const struct memslot *memslot_find(struct memslot_set *set, uint64_t gfn)
{
	uint32_t hint = __atomic_load_n(&set->hint, __ATOMIC_RELAXED), i;
	const struct memslot *slot;

	/* The hint is only an index into this immutable set, checked before
	 * use: a stale or racing value costs a search, never a wrong slot. */
	if (hint < set->count) {
		slot = &set->slots[hint];
		if (gfn >= slot->base_gfn && gfn - slot->base_gfn < slot->npages)
			return slot;
	}
	i = set_upper_bound(set, gfn);
	if (!i)
		return NULL;
	slot = &set->slots[i - 1];
	if (gfn - slot->base_gfn >= slot->npages)
		return NULL;
	__atomic_store_n(&set->hint, i - 1, __ATOMIC_RELAXED);
	return slot;
}

const struct memslot *memslot_find_id(const struct memslot_set *set, unsigned id)
{
	for (uint32_t i = 0; i < set->count; i++)
		if (set->slots[i].id == id)
			return &set->slots[i];
	return NULL;
}
