/* The guest-physical address space every guest sees: RAM below 640 KiB and
 * from 1 MiB up, the legacy VGA/BIOS hole between, and the first page kept
 * free of kernel segments (real-mode IVT/BDA; boot information goes there). */
#include "hv/load/guest_image.h"
#include "lib/multiboot2.h"

static const struct {
	uint64_t start, end;
	const char *what;
} reserved[] = {
	{ 0, GUEST_PAGE, "the first 4 KiB [0, 0x1000)" },
	{ GUEST_LOW_RAM_END, GUEST_HIGH_RAM_START, "the hole [0xa0000, 0x100000)" },
};

size_t guest_memory_map(uint64_t ram_size, struct guest_region map[GUEST_MEMMAP_MAX])
{
	uint64_t low = guest_ram_low(ram_size);

	map[0] = (struct guest_region){ 0, GUEST_LOW_RAM_END, MB2_MEMORY_AVAILABLE };
	map[1] = (struct guest_region){ GUEST_LOW_RAM_END,
					GUEST_HIGH_RAM_START - GUEST_LOW_RAM_END,
					MB2_MEMORY_RESERVED };
	map[2] = (struct guest_region){ GUEST_HIGH_RAM_START, low - GUEST_HIGH_RAM_START,
					MB2_MEMORY_AVAILABLE };
	if (ram_size == low)
		return 3;
	map[3] = (struct guest_region){ GUEST_HIGH_RAM, ram_size - low, MB2_MEMORY_AVAILABLE };
	return 4;
}

const char *guest_reserved_overlap(uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (start < reserved[i].end && reserved[i].start < end)
			return reserved[i].what;
	return NULL;
}

bool guest_low_space(const struct guest_image *img, uint64_t size, uint64_t *addr)
{
	uint64_t at = GUEST_PAGE;
	size_t i;

	/* Each segment hit moves the candidate past it, so after a pass with
	 * no hit the candidate misses all of them. */
	for (i = 0; i < img->segment_count; i++) {
		const struct guest_segment *s = &img->segments[i];

		if (at < s->addr + s->mem_size && s->addr < at + size) {
			at = ALIGN_UP(s->addr + s->mem_size, GUEST_PAGE);
			i = (size_t)-1;
		}
	}
	if (at + size > GUEST_LOW_RAM_END)
		return false;
	*addr = at;
	return true;
}
