/* Physical address ranges and the arithmetic boot-time memory setup needs:
 * sort/merge, punch holes, overlap queries. Pure functions, no allocation. */
#pragma once

#include "lib/compiler.h"

/* The bytes [start, end): end is exclusive, start <= end. */
struct mem_range {
	uint64_t start;
	uint64_t end;
};

/* Sort `r` by start and merge overlapping or touching ranges, dropping
 * empty ones, in place. Returns the new count. */
size_t mem_ranges_normalize(struct mem_range *r, size_t n);

/* Remove `hole` from the normalized list `r` of `*n` entries (capacity `max`),
 * keeping it normalized. Returns 0, or -ENOSPC (list unchanged) when the hole
 * splits a range and the list is full. */
int mem_ranges_remove(struct mem_range *r, size_t *n, size_t max,
		      struct mem_range hole);

/* Whether [start, end) shares at least one byte with any of the `n` ranges
 * (which need not be sorted). */
bool mem_ranges_overlap(const struct mem_range *r, size_t n,
			uint64_t start, uint64_t end);
