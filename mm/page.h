/* Page-table pages for the memory core. The hypervisor implements the two
 * allocation calls over its page allocator; host unit tests implement them
 * with instrumentation (tests/unit/page_host.c). */
#pragma once

#include "lib/compiler.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ull << PAGE_SHIFT)

/* One zeroed 4 KiB page, 4 KiB aligned, or NULL when memory is exhausted. */
void *page_alloc_zeroed(void);

/* Give back a page from page_alloc_zeroed(). */
void page_free(void *page);

/* The hypervisor identity-maps memory: a pointer is its physical address. */
static inline uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Inverse of virt_to_phys(). */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}
