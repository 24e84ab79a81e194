/* Turning the loader's memory map into the allocator's inputs. */
#include "boot/boot_memory.h"
#include "lib/multiboot2.h"
#include "mm/page.h"

#define LOW_MEMORY_END	MiB(1)	/* what real mode, and so a SIPI, reaches */

static struct mem_range ram[BOOT_MAX_MEMMAP];
static struct mem_range usable[BOOT_MAX_MEMMAP];
static struct mem_range reserved[PMM_MAX_RANGES];
static struct mem_range free_ranges[PMM_MAX_RANGES];

/* Append `r`, widened to whole pages, to the reserved ranges; when the
 * array is full, merge what touches (GRUB packs modules page after page). */
static int reserve(size_t *n, struct mem_range r)
{
	if (*n == ARRAY_SIZE(reserved))
		*n = mem_ranges_normalize(reserved, *n);
	if (*n == ARRAY_SIZE(reserved))
		return -1;
	reserved[(*n)++] = (struct mem_range){ ALIGN_DOWN(r.start, PAGE_SIZE),
					       ALIGN_UP(r.end, PAGE_SIZE) };
	return 0;
}

int boot_memory_map(const struct boot_info *info, struct pmm_boot_map *boot)
{
	size_t nr_ram = 0, nr_usable = 0, nr_reserved = 0, cursor = 0;
	struct boot_module m;

	for (size_t i = 0; i < info->mem_count; i++) {
		const struct boot_mem_region *r = &info->mem[i];
		struct mem_range range = { r->base, r->base + r->length };

		ram[nr_ram++] = range;
		if (r->type == MB2_MEMORY_AVAILABLE)
			usable[nr_usable++] = range;
		/* Where firmware lists a byte twice, the kind that is not free wins. */
		else if (reserve(&nr_reserved, range))
			return -1;
	}
	while (mb2_next_module(info, &cursor, &m))
		if (reserve(&nr_reserved, (struct mem_range){ m.start, m.end }))
			return -1;
	if (reserve(&nr_reserved, (struct mem_range){ info->info_start, info->info_end }))
		return -1;

	*boot = (struct pmm_boot_map){
		.map = { ram, nr_ram, usable, nr_usable },
		.reserved = reserved,
		.nr_reserved = nr_reserved,
		.image = image_layout_from_linker(),
		.early_mapped_end = GiB(4),
		.gbpages = paging_cpu_has_gbpages(),
	};
	return 0;
}

uint64_t boot_memory_low_page(const struct pmm_boot_map *boot)
{
	int n = pmm_free_ranges(boot->map.usable, boot->map.nr_usable, boot->reserved,
				boot->nr_reserved, free_ranges, ARRAY_SIZE(free_ranges));
	uint64_t best = 0;

	for (int i = 0; i < n; i++) {
		uint64_t top = MIN(free_ranges[i].end, LOW_MEMORY_END);

		if (top >= free_ranges[i].start + PAGE_SIZE && top - PAGE_SIZE >= PAGE_SIZE)
			best = MAX(best, top - PAGE_SIZE);
	}
	return best;
}

const void *boot_memory_access(uint64_t pa, size_t len, void *boot_info)
{
	const struct boot_info *info = boot_info;

	if (pa + len < pa)
		return NULL;
	for (size_t i = 0; i < info->mem_count; i++) {
		const struct boot_mem_region *m = &info->mem[i];

		if (pa >= m->base && pa + len <= m->base + m->length)
			return (const void *)(uintptr_t)pa;
	}
	return NULL;
}
