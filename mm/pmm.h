/* The physical memory manager: one global buddy allocator over all free
 * RAM, set up at boot from the multiboot2 memory map.
 *
 * Boot order (the buddy keeps its metadata inside the RAM it manages, and
 * RAM above 4 GiB is not mapped until the final page tables are loaded):
 *   1. root = pmm_early_init(&boot): free ranges = usable - reserved; the
 *      final page tables are built from the lowest free pages below
 *      boot.early_mapped_end (mapped by the early tables);
 *   2. paging_load(root);
 *   3. pmm_init(): every remaining free range goes to the buddy. */
#pragma once

#include "lib/compiler.h"
#include "mm/mem_range.h"
#include "mm/paging.h"

/* Most free ranges boot can track (memory map entries split by holes). */
#define PMM_MAX_RANGES	256

/* Write to out[0..max) the page-aligned free ranges: the usable ranges
 * (any order, may overlap; shrunk inward to pages) minus the reserved ones
 * (grown outward to pages), sorted and disjoint. Returns their count,
 * -EINVAL for a reversed range, -ENOSPC when more than `max` result. */
int pmm_free_ranges(const struct mem_range *usable, size_t n,
		    const struct mem_range *reserved, size_t m,
		    struct mem_range *out, size_t max);

struct pmm_boot_map {
	struct paging_memory_map map;	/* every memory-map range, and the usable (type 1) ones */
	const struct mem_range *reserved;	/* boot modules, the multiboot info block, ... */
	size_t nr_reserved;
	struct image_layout image;	/* reserved by pmm, as is the low 1 MiB */
	uint64_t early_mapped_end;	/* the early tables map [0, this) */
	bool gbpages;			/* paging_cpu_has_gbpages() */
};

/* Step 1: compute the free ranges and build the final page tables from
 * them. Returns the tables' root (PML4 physical address) to load into CR3
 * before pmm_init(), or 0 (logged) on invalid input or too little memory. */
uint64_t pmm_early_init(const struct pmm_boot_map *boot);

/* Step 3, after the root from pmm_early_init() is loaded: hand the free
 * ranges to the allocator. Returns 0, or -EINVAL when called out of order
 * and -ENOMEM when no range was big enough to manage. */
int pmm_init(void);

/* Physical address of 2^order free, naturally aligned pages (not zeroed),
 * or 0 when none is free. */
uint64_t pmm_alloc(unsigned order);

/* Give back a block from pmm_alloc(order); bad frees are logged and
 * refused with -EINVAL (see buddy_free()). */
int pmm_free(uint64_t pa, unsigned order);

/* Bytes currently free. */
uint64_t pmm_free_bytes(void);

/* Bytes the allocator manages (free or allocated). */
uint64_t pmm_total_bytes(void);

/* Page-table pages for paging_map_4k(), from pmm_alloc(0). */
extern const struct pt_page_source pmm_pt_pages;
