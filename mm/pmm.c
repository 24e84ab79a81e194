/* Physical memory manager: boot-time free-range computation, page-table
 * bootstrap and the global buddy allocator (see mm/pmm.h). */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "mm/buddy.h"
#include "mm/pmm.h"

/* Firmware data, the IVT/BDA and the AP trampoline page live below 1 MiB. */
#define LOW_MEMORY_END	0x100000ull

enum pmm_stage { PMM_OFF, PMM_TABLES_BUILT, PMM_READY };

static enum pmm_stage stage;
static struct mem_range free_ranges[PMM_MAX_RANGES];
static size_t nr_free_ranges;
static struct buddy pmm;

/* `x` rounded up to a page boundary, or UINT64_MAX if that would wrap. */
static uint64_t page_up(uint64_t x)
{
	return x > ALIGN_DOWN(UINT64_MAX, BUDDY_PAGE_SIZE) ?
	       UINT64_MAX : ALIGN_UP(x, BUDDY_PAGE_SIZE);
}

int pmm_free_ranges(const struct mem_range *usable, size_t n,
		    const struct mem_range *reserved, size_t m,
		    struct mem_range *out, size_t max)
{
	size_t count;

	if (n > max)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		if (usable[i].start > usable[i].end)
			return -EINVAL;
	for (size_t i = 0; i < m; i++)
		if (reserved[i].start > reserved[i].end)
			return -EINVAL;

	memcpy(out, usable, n * sizeof(*out));
	count = mem_ranges_normalize(out, n);
	for (size_t i = 0; i < count; i++) {
		out[i].start = page_up(out[i].start);
		out[i].end = ALIGN_DOWN(out[i].end, BUDDY_PAGE_SIZE);
	}
	count = mem_ranges_normalize(out, count);
	for (size_t i = 0; i < m; i++) {
		struct mem_range hole = {
			ALIGN_DOWN(reserved[i].start, BUDDY_PAGE_SIZE),
			page_up(reserved[i].end),
		};
		int err = mem_ranges_remove(out, &count, max, hole);

		if (err)
			return err;
	}
	return count;
}

/* Bootstrap page source: the lowest free page below the limit in `ctx`,
 * taken off the front of its free range so the buddy never sees it. */
static uint64_t boot_page_alloc(void *ctx)
{
	const uint64_t *limit = ctx;

	for (size_t i = 0; i < nr_free_ranges; i++) {
		struct mem_range *r = &free_ranges[i];

		if (r->start + BUDDY_PAGE_SIZE <= MIN(r->end, *limit)) {
			r->start += BUDDY_PAGE_SIZE;
			return r->start - BUDDY_PAGE_SIZE;
		}
	}
	return 0;
}

/* Take the image, the low 1 MiB and what paging cannot map out of the
 * free ranges. */
static int reserve_fixed(const struct image_layout *image)
{
	const struct mem_range fixed[] = {
		{ 0, LOW_MEMORY_END },
		{ image->start, image->end },
		{ PAGING_IDENTITY_LIMIT, UINT64_MAX },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		int err = mem_ranges_remove(free_ranges, &nr_free_ranges,
					    PMM_MAX_RANGES, fixed[i]);

		if (err)
			return err;
	}
	return 0;
}

uint64_t pmm_early_init(const struct pmm_boot_map *boot)
{
	uint64_t limit = boot->early_mapped_end, root;
	struct pt_page_source src = { boot_page_alloc, &limit };
	int n;

	if (stage != PMM_OFF) {
		log_error("pmm: early init called twice");
		return 0;
	}
	n = pmm_free_ranges(boot->map.usable, boot->map.nr_usable,
			    boot->reserved, boot->nr_reserved,
			    free_ranges, PMM_MAX_RANGES);
	if (n >= 0) {
		nr_free_ranges = n;
		n = reserve_fixed(&boot->image);
	}
	if (n < 0) {
		log_error("pmm: cannot compute the free memory ranges (error %d)", n);
		return 0;
	}
	root = paging_build(&boot->map, &boot->image, boot->gbpages, &src);
	if (root)
		stage = PMM_TABLES_BUILT;
	return root;
}

int pmm_init(void)
{
	if (stage != PMM_TABLES_BUILT) {
		log_error("pmm: init before the page tables were built, or twice");
		return -EINVAL;
	}
	buddy_init(&pmm);
	for (size_t i = 0; i < nr_free_ranges; i++) {
		const struct mem_range *r = &free_ranges[i];
		int err = buddy_add_range(&pmm, r->start, r->end);

		if (err == -ENOSPC)
			log_debug("pmm: range %#llx-%#llx too small to manage",
				  (unsigned long long)r->start, (unsigned long long)r->end);
		else if (err)
			return err;
	}
	if (!buddy_managed_pages(&pmm)) {
		log_error("pmm: no usable memory");
		return -ENOMEM;
	}
	stage = PMM_READY;
	log_info("pmm: %llu MiB free in %zu ranges",
		 (unsigned long long)(pmm_free_bytes() >> 20), nr_free_ranges);
	return 0;
}

uint64_t pmm_alloc(unsigned order)
{
	return buddy_alloc(&pmm, order);
}

int pmm_free(uint64_t pa, unsigned order)
{
	return buddy_free(&pmm, pa, order);
}

uint64_t pmm_free_bytes(void)
{
	return buddy_free_pages(&pmm) * BUDDY_PAGE_SIZE;
}

uint64_t pmm_total_bytes(void)
{
	return buddy_managed_pages(&pmm) * BUDDY_PAGE_SIZE;
}

static uint64_t pmm_page_alloc(void *ctx)
{
	return pmm_alloc(0);
}

const struct pt_page_source pmm_pt_pages = { pmm_page_alloc, NULL };
