/* Turning the loader's memory map into the allocator's inputs. */
#include "boot/boot_memory.h"
#include "lib/multiboot2.h"

#define MAX_RESERVED (BOOT_MAX_MODULES + 1)

static struct mem_range ram[BOOT_MAX_MEMMAP];
static struct mem_range usable[BOOT_MAX_MEMMAP];
static struct mem_range reserved[MAX_RESERVED];

void boot_memory_map(const struct boot_info *info, struct pmm_boot_map *boot)
{
	size_t nr_ram = 0, nr_usable = 0, nr_reserved = 0;

	for (size_t i = 0; i < info->mem_count; i++) {
		const struct boot_mem_region *m = &info->mem[i];
		struct mem_range r = { m->base, m->base + m->length };

		ram[nr_ram++] = r;
		if (m->type == MB2_MEMORY_AVAILABLE)
			usable[nr_usable++] = r;
	}
	for (size_t i = 0; i < info->module_count; i++)
		reserved[nr_reserved++] = (struct mem_range){ info->modules[i].start,
							      info->modules[i].end };
	reserved[nr_reserved++] = (struct mem_range){ info->info_start, info->info_end };

	*boot = (struct pmm_boot_map){
		.map = { ram, nr_ram, usable, nr_usable },
		.reserved = reserved,
		.nr_reserved = nr_reserved,
		.image = image_layout_from_linker(),
		.early_mapped_end = GiB(4),
		.gbpages = paging_cpu_has_gbpages(),
	};
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
