/* Binary buddy allocator of physical pages over one or more ranges.
 * Blocks are 2^order pages (order 0 = 4 KiB .. BUDDY_MAX_ORDER = 1 GiB),
 * naturally aligned. Each range keeps its own bookkeeping (a header and one
 * metadata byte per page) in its first pages, so the allocator needs no
 * other memory; managed memory must be mapped (identity) when added.
 * Once initialized, every call is safe from any CPU (one spinlock). */
#pragma once

#include "lib/compiler.h"
#include "lib/spinlock.h"

#define BUDDY_PAGE_SHIFT	12
#define BUDDY_PAGE_SIZE		(1ull << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER		18	/* 2^18 pages = 1 GiB */
#define BUDDY_ORDERS		(BUDDY_MAX_ORDER + 1)

struct buddy_area;
struct buddy_free_block;

struct buddy {
	struct spinlock lock;
	struct buddy_area *areas;	/* one per added range, by address */
	struct buddy_free_block *free[BUDDY_ORDERS];	/* free blocks per order */
	uint64_t free_pages;
	uint64_t managed_pages;		/* pages handed out or free, not metadata */
};

/* Make `b` an empty allocator (no ranges, nothing free). */
void buddy_init(struct buddy *b);

/* Hand the pages of [start, end) (shrunk inward to page boundaries) to `b`;
 * the range's first pages become its metadata. Returns 0, -EINVAL for a range
 * that overlaps one already added or -ENOSPC when it is too small to hold
 * its metadata and one page. */
int buddy_add_range(struct buddy *b, uint64_t start, uint64_t end);

/* Physical address of a free block of 2^order pages aligned to its size,
 * now owned by the caller; 0 when none is free or order > BUDDY_MAX_ORDER. */
uint64_t buddy_alloc(struct buddy *b, unsigned order);

/* Give back the block at `pa` that buddy_alloc(b, order) returned. A double
 * free, an unaligned or unmanaged address or a wrong order is logged and
 * returns -EINVAL with the allocator unchanged; 0 on success. */
int buddy_free(struct buddy *b, uint64_t pa, unsigned order);

/* Number of free pages (any order). */
uint64_t buddy_free_pages(struct buddy *b);

/* Number of pages the allocator manages (free or allocated). */
uint64_t buddy_managed_pages(struct buddy *b);
