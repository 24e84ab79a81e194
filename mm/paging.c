/* The hypervisor's page tables (see mm/paging.h).
 *
 * The direct map is decided per 2 MiB chunk: RAM (any memory-map range
 * touching the chunk) is read-write NX; in the 4th GiB every chunk that
 * holds no usable RAM is uncacheable NX MMIO; anything else is not present.
 * A GiB whose 512 chunks agree becomes one 1 GiB page when the CPU has
 * them. The image is then mapped over this in 4 KiB pages, splitting the
 * huge pages it lands in. Intermediate entries are always present +
 * writable + executable: permissions live in the leaves. */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/paging.h"

#define PAGE_2M		(1ull << 21)
#define PAGE_1G		(1ull << 30)
#define MMIO_GIB_START	0xc0000000ull
#define MMIO_GIB_END	0x100000000ull

#define TABLE_FLAGS	(PTE_PRESENT | PTE_WRITE)
#define RAM_FLAGS	(PTE_PRESENT | PTE_WRITE | PTE_NX)
#define MMIO_FLAGS	(PTE_PRESENT | PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX)

/* Serializes runtime changes (paging_map_4k) to the live tables. */
static struct spinlock paging_lock = SPINLOCK_INIT;

static uint64_t *table_at(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* Bytes one entry maps at `level` (1 = PT .. 4 = PML4). */
static uint64_t level_size(int level)
{
	return PT_PAGE_SIZE << (9 * (level - 1));
}

static unsigned level_index(uint64_t va, int level)
{
	return (va / level_size(level)) % PT_ENTRIES;
}

/* A zeroed table page from `src`, or 0. */
static uint64_t new_table(const struct pt_page_source *src)
{
	uint64_t pa = src->alloc(src->ctx);

	if (pa)
		memset(table_at(pa), 0, PT_PAGE_SIZE);
	return pa;
}

/* Replace the huge leaf *entry at `level` (2 or 3) by a table of smaller
 * leaves mapping the same memory with the same attributes. */
static int split_leaf(uint64_t *entry, int level, const struct pt_page_source *src)
{
	uint64_t table = new_table(src);
	uint64_t attrs = *entry & ~PTE_ADDR_MASK;
	uint64_t base = *entry & PTE_ADDR_MASK;

	if (!table)
		return -ENOMEM;
	if (level - 1 == 1)
		attrs &= ~PTE_HUGE;	/* bit 7 means PAT in a 4 KiB entry */
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		table_at(table)[i] = (base + i * level_size(level - 1)) | attrs;
	*entry = table | TABLE_FLAGS;
	return 0;
}

/* Point *out at the entry mapping `va` at `level`, creating missing tables.
 * A huge leaf on the way is split when `split`, else -EEXIST. */
static int walk_to(uint64_t root, uint64_t va, int level, bool split,
		   const struct pt_page_source *src, uint64_t **out)
{
	uint64_t *table = table_at(root);

	for (int l = 4; l > level; l--) {
		uint64_t *entry = &table[level_index(va, l)];

		if (!(*entry & PTE_PRESENT)) {
			uint64_t next = new_table(src);

			if (!next)
				return -ENOMEM;
			*entry = next | TABLE_FLAGS;
		} else if (*entry & PTE_HUGE) {
			int err = split ? split_leaf(entry, l, src) : -EEXIST;

			if (err)
				return err;
		}
		table = table_at(*entry & PTE_ADDR_MASK);
	}
	*out = &table[level_index(va, level)];
	return 0;
}

/* Leaf flags for the 2 MiB chunk at `pa` (0: not mapped). */
static uint64_t chunk_flags(const struct paging_memory_map *map, uint64_t pa)
{
	uint64_t end = pa + PAGE_2M;

	if (pa >= MMIO_GIB_START && pa < MMIO_GIB_END &&
	    !mem_ranges_overlap(map->usable, map->nr_usable, pa, end))
		return MMIO_FLAGS;
	if (mem_ranges_overlap(map->ram, map->nr_ram, pa, end))
		return RAM_FLAGS;
	return 0;
}

/* Map the GiB at `base` as chunk_flags() says: one 1 GiB leaf when all of
 * its chunks agree and `gbpages`, else 2 MiB leaves. */
static int map_gib(uint64_t root, const struct paging_memory_map *map,
		   uint64_t base, bool gbpages, const struct pt_page_source *src)
{
	uint64_t first = chunk_flags(map, base), *entry;
	bool uniform = true;
	int err;

	for (unsigned i = 1; i < PT_ENTRIES && uniform; i++)
		uniform = chunk_flags(map, base + i * PAGE_2M) == first;
	if (uniform && !first)
		return 0;
	if (uniform && gbpages) {
		err = walk_to(root, base, 3, false, src, &entry);
		if (!err)
			*entry = base | first | PTE_HUGE;
		return err;
	}
	for (uint64_t pa = base; pa < base + PAGE_1G; pa += PAGE_2M) {
		uint64_t flags = chunk_flags(map, pa);

		if (!flags)
			continue;
		err = walk_to(root, pa, 2, false, src, &entry);
		if (err)
			return err;
		*entry = pa | flags | PTE_HUGE;
	}
	return 0;
}

/* The identity direct map of RAM and the 4th GiB, below the identity limit. */
static int map_direct(uint64_t root, const struct paging_memory_map *map,
		      bool gbpages, const struct pt_page_source *src)
{
	uint64_t top = MMIO_GIB_END;

	for (size_t i = 0; i < map->nr_ram; i++)
		top = MAX(top, map->ram[i].end);
	if (top > PAGING_IDENTITY_LIMIT) {
		log_warn("paging: memory above %#llx cannot be identity mapped, ignored",
			 PAGING_IDENTITY_LIMIT);
		top = PAGING_IDENTITY_LIMIT;
	}
	for (uint64_t base = 0; base < top; base += PAGE_1G) {
		bool mmio = base == MMIO_GIB_START;
		int err;

		if (!mmio && !mem_ranges_overlap(map->ram, map->nr_ram, base, base + PAGE_1G))
			continue;
		err = map_gib(root, map, base, gbpages, src);
		if (err)
			return err;
	}
	return 0;
}

/* Whether the layout is page aligned, in address order and mappable. */
static bool image_layout_valid(const struct image_layout *img)
{
	const uint64_t bounds[] = {
		img->start, img->text_start, img->text_end, img->rodata_start,
		img->rodata_end, img->data_start, img->data_end, img->end,
	};

	for (size_t i = 0; i < ARRAY_SIZE(bounds); i++) {
		if (!IS_ALIGNED(bounds[i], PT_PAGE_SIZE))
			return false;
		if (i && bounds[i] < bounds[i - 1])
			return false;
	}
	return img->start < img->end && img->end <= PAGING_IDENTITY_LIMIT;
}

/* Identity-map [start, end) in 4 KiB pages with `flags`, overriding (and
 * splitting) whatever the direct map put there. */
static int map_section(uint64_t root, uint64_t start, uint64_t end,
		       uint64_t flags, const struct pt_page_source *src)
{
	for (uint64_t pa = start; pa < end; pa += PT_PAGE_SIZE) {
		uint64_t *entry;
		int err = walk_to(root, pa, 1, true, src, &entry);

		if (err)
			return err;
		*entry = pa | flags;
	}
	return 0;
}

/* The image in 4 KiB pages: only .text executable, only data writable. */
static int map_image(uint64_t root, const struct image_layout *img,
		     const struct pt_page_source *src)
{
	const struct {
		uint64_t start, end, flags;
	} sections[] = {
		{ img->start, img->text_start, PTE_PRESENT | PTE_WRITE | PTE_NX },
		{ img->text_start, img->text_end, PTE_PRESENT },
		{ img->text_end, img->rodata_start, PTE_PRESENT | PTE_NX },
		{ img->rodata_start, img->rodata_end, PTE_PRESENT | PTE_NX },
		{ img->rodata_end, img->data_start, PTE_PRESENT | PTE_NX },
		{ img->data_start, img->data_end, PTE_PRESENT | PTE_WRITE | PTE_NX },
		{ img->data_end, img->end, PTE_PRESENT | PTE_NX },
	};

	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		int err = map_section(root, sections[i].start, sections[i].end,
				      sections[i].flags, src);

		if (err)
			return err;
	}
	return 0;
}

uint64_t paging_build(const struct paging_memory_map *map,
		      const struct image_layout *image, bool gbpages,
		      const struct pt_page_source *src)
{
	uint64_t root;
	int err;

	if (!image_layout_valid(image)) {
		log_error("paging: invalid image layout %#llx-%#llx",
			  (unsigned long long)image->start, (unsigned long long)image->end);
		return 0;
	}
	root = new_table(src);
	if (!root) {
		log_error("paging: out of memory for the page tables");
		return 0;
	}
	err = map_direct(root, map, gbpages, src);
	if (!err)
		err = map_image(root, image, src);
	/* Leave page 0 unmapped so that a NULL dereference faults. */
	if (!err)
		err = map_section(root, 0, PT_PAGE_SIZE, 0, src);
	if (err) {
		log_error("paging: out of memory for the page tables");
		return 0;
	}
	return root;
}

int paging_map_4k(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
		  const struct pt_page_source *src)
{
	const uint64_t allowed = PTE_PRESENT | PTE_WRITE | PTE_PWT | PTE_PCD | PTE_NX;
	uint64_t *entry;
	int err;

	if (!IS_ALIGNED(va, PT_PAGE_SIZE) || !IS_ALIGNED(pa, PT_PAGE_SIZE) ||
	    va >= PAGING_IDENTITY_LIMIT || (pa & ~PTE_ADDR_MASK) ||
	    !(flags & PTE_PRESENT) || (flags & ~allowed))
		return -EINVAL;
	spin_lock(&paging_lock);
	err = walk_to(root, va, 1, false, src, &entry);
	if (!err && (*entry & PTE_PRESENT))
		err = -EEXIST;
	if (!err)
		*entry = pa | flags;
	spin_unlock(&paging_lock);
	return err;
}

uint64_t paging_lookup(uint64_t root, uint64_t va)
{
	const uint64_t *table = table_at(root);

	if (va >= PAGING_IDENTITY_LIMIT)
		return 0;
	for (int level = 4; level >= 1; level--) {
		uint64_t entry = table[level_index(va, level)];

		if (!(entry & PTE_PRESENT))
			return 0;
		if (level == 1 || (level <= 3 && (entry & PTE_HUGE)))
			return entry;
		table = table_at(entry & PTE_ADDR_MASK);
	}
	return 0;
}
