/* Per-VM memory-core counters: the figures `make bench` and the monitor
 * print. Updated with relaxed atomics (vCPUs fault in parallel). */
#pragma once

#include "mm/tdp_pte.h"

struct mm_stats {
	uint64_t tlb_flushes;		/* remote TLB flushes performed */
	uint64_t tlb_flush_requests;	/* flushes asked for (some need none) */
	uint64_t faults;		/* faults handled: mapped or spurious */
	uint64_t pages_mapped[TDP_MAX_LEVEL + 1];	/* present leaves per level */
	uint64_t pt_pages_alloc;	/* page-table pages ever linked */
	uint64_t pt_pages_freed;	/* page-table pages given back */
	uint64_t zap_yields;		/* long zaps that let others in */
	uint64_t memslot_bytes;		/* slot sets and dirty bitmaps */
	uint64_t table_bytes;		/* table pages and their records */
	uint64_t rmap_bytes;		/* reverse maps */
};

static inline void mm_stat_add(uint64_t *counter, int64_t delta)
{
	__atomic_fetch_add(counter, (uint64_t)delta, __ATOMIC_RELAXED);
}

static inline uint64_t mm_stat_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* Bytes of metadata the memory core holds for the VM right now. */
static inline uint64_t mm_stats_metadata_bytes(const struct mm_stats *s)
{
	return mm_stat_read(&s->memslot_bytes) + mm_stat_read(&s->table_bytes) +
	       mm_stat_read(&s->rmap_bytes);
}
