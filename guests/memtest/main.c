/*
 * Touches every available page of RAM above the guest image: writes a
 * page-unique pattern with paging on (4 KiB pages below 4 MiB, 4 MiB pages
 * above), then reads it back with paging off. Under the hypervisor this
 * makes the nested page tables map all guest memory, with both page sizes.
 */
#include "guests/lib/boot.h"
#include "guests/lib/paging.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

const char guest_name[] = "memtest";

#define FOUR_GIB	0x100000000ull
#define PATTERN		0x5a17c3e5u
#define LAST_WORD	(PAGE_SIZE / 4 - 1)

/* Calls fn on each page of each available range above the image, below 4 GiB. */
static uint32_t for_each_page(const struct boot_info *bi,
			      uint32_t (*fn)(volatile uint32_t *page))
{
	uint64_t floor = (uintptr_t)guest_image_end;
	uint32_t result = 0;

	for (unsigned i = 0; i < bi->nr_ranges; i++) {
		const struct mem_range *r = &bi->ranges[i];
		uint64_t start = ALIGN_UP(MAX(r->base, floor), PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(MIN(r->base + r->length, FOUR_GIB), PAGE_SIZE);

		if (r->type != BOOT_MEMORY_AVAILABLE)
			continue;
		for (uint64_t p = start; p < end; p += PAGE_SIZE)
			result += fn((volatile uint32_t *)(uintptr_t)p);
	}
	return result;
}

static uint32_t pattern_of(volatile uint32_t *page)
{
	return (uint32_t)(uintptr_t)page ^ PATTERN;
}

/* Writes the first and last word of page; returns 1 (a page). */
static uint32_t write_page(volatile uint32_t *page)
{
	page[0] = pattern_of(page);
	page[LAST_WORD] = ~pattern_of(page);
	return 1;
}

/* Returns 1 if page lost its pattern. */
static uint32_t page_differs(volatile uint32_t *page)
{
	return page[0] != pattern_of(page) || page[LAST_WORD] != ~pattern_of(page);
}

void guest_main(const struct boot_info *bi)
{
	uint32_t pages, bad;

	if (!paging_enable()) {
		fail("no PSE: cannot map RAM with 4 MiB pages");
		return;
	}
	pages = for_each_page(bi, write_page);
	paging_disable();
	check(pages > 0, "wrote %u pages (%u MiB) above 0x%x with paging on (4K + 4M pages)",
	      pages, pages / (1u << 20 >> 12), (uint32_t)(uintptr_t)guest_image_end);
	bad = for_each_page(bi, page_differs);
	check(bad == 0, "verified %u pages with paging off: %u differ", pages, bad);
}
