/* A VM's memslots: which host memory backs each guest-physical range.
 *
 * The set of slots of one address space is an array sorted by base gfn and
 * sized exactly for the slots in use. Readers (the fault path) find a slot
 * by binary search inside an RCU read section, without locks. An update
 * validates its input, builds a new array, publishes it with RCU under a new
 * generation, zaps the TDP mappings it invalidates and frees the old array
 * after a grace period. Address space 0 is ordinary memory; the layout keeps
 * room for a second one (SMM) by indexing every set by address space. */
#pragma once

#include "lib/compiler.h"
#include "lib/spinlock.h"
#include "mm/rcu.h"

#define MEMSLOT_MAX_SLOTS	32767	/* ids 0 .. 32766 */
#define MEMSLOT_NR_AS		1	/* address spaces; SMM would make it 2 */

enum memslot_flags {
	MEMSLOT_READONLY = 1u << 0,	/* guest writes exit to the emulator */
	MEMSLOT_DIRTY_LOG = 1u << 1,	/* track written pages in a bitmap */
	MEMSLOT_FLAGS_ALL = MEMSLOT_READONLY | MEMSLOT_DIRTY_LOG,
};

enum memslot_error {
	MEMSLOT_OK = 0,
	MEMSLOT_E_ID = -1,		/* slot id or address space out of range */
	MEMSLOT_E_EXISTS = -2,		/* slot id already in use */
	MEMSLOT_E_NOENT = -3,		/* no slot with that id */
	MEMSLOT_E_SIZE = -4,		/* zero pages */
	MEMSLOT_E_ALIGN = -5,		/* host memory not page aligned */
	MEMSLOT_E_RANGE = -6,		/* gfn range beyond guest-physical space */
	MEMSLOT_E_OVERLAP = -7,		/* gfn range (or region) overlaps another */
	MEMSLOT_E_BACKING = -8,		/* host memory not inside one VM region */
	MEMSLOT_E_FLAGS = -9,		/* unknown flag, or read-only changed */
	MEMSLOT_E_NOMEM = -10,
	MEMSLOT_E_NOLOG = -12,		/* dirty log asked of a slot not logging */
};

struct memslot_rmap;

struct memslot {
	uint64_t base_gfn;
	uint64_t npages;
	uintptr_t host;			/* backing: host (= physical) address */
	uint64_t *dirty_bitmap;		/* one bit per page while logging */
	struct memslot_rmap *rmap;	/* NULL until the first shadow root */
	uint32_t flags;			/* enum memslot_flags */
	uint16_t id;
	uint16_t as_id;
};
static_assert(sizeof(struct memslot) == 48, "memslot layout: 48 bytes per slot");

struct memslot_set {
	struct rcu_head rcu;
	struct memslots *owner;
	uint64_t generation;		/* bumped by every update */
	uint32_t count;
	uint32_t hint;			/* index of a recent hit; racy on purpose */
	struct memslot retired;		/* resources freed along with this set */
	struct memslot slots[];		/* sorted by base_gfn, no overlaps */
};

struct host_region {
	uintptr_t base;
	uint64_t bytes;
};

struct tdp_mmu;

struct memslots {
	struct memslot_set *active[MEMSLOT_NR_AS];	/* RCU-published */
	struct spinlock lock;		/* serializes updates and rmap allocation */
	bool have_rmaps;		/* see mm/rmap.h: release/acquire */
	unsigned nr_regions, region_capacity;
	struct host_region *regions;	/* grown as regions are added; under lock */
	struct tdp_mmu *mmu;		/* zapped on updates; holds the stats */
};

/* Empty sets for every address space; updates zap `mmu`. */
int memslots_init(struct memslots *ms, struct tdp_mmu *mmu);

/* Free every set and slot resource. Nobody may use `ms` any more and no
 * callback of an earlier update may be pending (rcu_barrier()). */
void memslots_destroy(struct memslots *ms);

/* Record host memory allocated for this VM; slots may only be backed by
 * such regions. As many as memory for the list allows. */
int memslots_add_region(struct memslots *ms, void *host, uint64_t bytes);

/* Add slot `id` mapping `npages` guest frames from `base_gfn` to `host`. */
int memslot_create(struct memslots *ms, unsigned as_id, unsigned id, uint64_t base_gfn,
		   uint64_t npages, void *host, uint32_t flags);

/* Remove slot `id` and its mappings. */
int memslot_delete(struct memslots *ms, unsigned as_id, unsigned id);

/* Move slot `id` to start at `new_base_gfn`, same backing and size. */
int memslot_move(struct memslots *ms, unsigned as_id, unsigned id, uint64_t new_base_gfn);

/* Change slot `id`'s flags; only MEMSLOT_DIRTY_LOG may change. */
int memslot_set_flags(struct memslots *ms, unsigned as_id, unsigned id, uint32_t flags);

/* Copy slot `id`'s dirty bitmap to `out` (npages bits), clear it and
 * write-protect the pages that were dirty so their next write is logged. */
int memslot_get_dirty_log(struct memslots *ms, unsigned as_id, unsigned id, uint64_t *out);

/* A human-readable description of an enum memslot_error. */
const char *memslot_strerror(int err);

/* The current set of `as_id`; inside an RCU read section. */
static inline struct memslot_set *memslots_active(struct memslots *ms, unsigned as_id)
{
	return rcu_dereference(ms->active[as_id]);
}

/* The slot of `set` containing `gfn`, or NULL. Safe for concurrent readers. */
const struct memslot *memslot_find(struct memslot_set *set, uint64_t gfn);

/* The slot of `set` with `id`, or NULL (linear: update path only). */
const struct memslot *memslot_find_id(const struct memslot_set *set, unsigned id);

/* Bytes a set of `count` slots occupies. */
static inline size_t memslot_set_bytes(uint32_t count)
{
	return sizeof(struct memslot_set) + count * sizeof(struct memslot);
}

/* Bytes of a dirty bitmap for `npages` pages. */
static inline size_t memslot_bitmap_bytes(uint64_t npages)
{
	return ALIGN_UP(npages, 64) / 8;
}
