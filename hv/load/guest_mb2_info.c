/* Multiboot2 boot information: the fixed header, then 8-byte aligned tags
 * (command line, loader name, basic memory, memory map, modules), then the
 * end tag. */
#include "hv/load/guest_image.h"
#include "lib/multiboot2.h"

/* Put a tag header of `size` bytes (payload included, padding not). */
static void put_tag(struct guest_cursor *c, uint32_t type, size_t size)
{
	struct mb2_tag tag = { .type = type, .size = size };

	guest_put(c, &tag, sizeof(tag));
}

static void put_string_tag(struct guest_cursor *c, uint32_t type, const char *s)
{
	size_t len = strlen(s) + 1;

	put_tag(c, type, sizeof(struct mb2_tag_string) + len);
	guest_put(c, s, len);
	guest_pad(c, MB2_TAG_ALIGN);
}

static void put_memory(struct guest_cursor *c, uint64_t ram_size)
{
	struct guest_region map[GUEST_MEMMAP_MAX];
	uint32_t kib[2] = { GUEST_LOW_RAM_END >> 10,
			    (guest_ram_low(ram_size) - GUEST_HIGH_RAM_START) >> 10 };
	uint32_t format[2] = { sizeof(struct mb2_mmap_entry), 0 };	/* entry size, version */
	size_t i, entries;

	put_tag(c, MB2_TAG_BASIC_MEMINFO, sizeof(struct mb2_tag) + sizeof(kib));
	guest_put(c, kib, sizeof(kib));

	entries = guest_memory_map(ram_size, map);
	put_tag(c, MB2_TAG_MMAP, sizeof(struct mb2_tag_mmap) +
		entries * sizeof(struct mb2_mmap_entry));
	guest_put(c, format, sizeof(format));
	for (i = 0; i < entries; i++) {
		struct mb2_mmap_entry e = {
			.base_addr = map[i].base,
			.length = map[i].length,
			.type = map[i].type,
		};

		guest_put(c, &e, sizeof(e));
	}
}

static void put_module(struct guest_cursor *c, const struct guest_boot_info *bi, size_t i)
{
	size_t len = strlen(bi->module_string[i]) + 1;
	uint32_t range[2] = { bi->module_addr[i], bi->module_addr[i] + bi->module_size[i] };

	put_tag(c, MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + len);
	guest_put(c, range, sizeof(range));
	guest_put(c, bi->module_string[i], len);
	guest_pad(c, MB2_TAG_ALIGN);
}

size_t guest_mb2_info(uint8_t *buf, uint64_t gpa, const struct guest_boot_info *bi)
{
	struct guest_cursor c = { .buf = buf, .base = gpa, .pos = gpa + sizeof(struct mb2_info_header) };
	struct mb2_info_header header = { 0 };
	size_t i;

	put_string_tag(&c, MB2_TAG_CMDLINE, bi->cmdline);
	put_string_tag(&c, MB2_TAG_LOADER_NAME, GUEST_LOADER_NAME);
	put_memory(&c, bi->ram_size);
	for (i = 0; i < bi->module_count; i++)
		put_module(&c, bi, i);
	put_tag(&c, MB2_TAG_END, sizeof(struct mb2_tag));

	header.total_size = c.pos - gpa;
	c.pos = gpa;
	guest_put(&c, &header, sizeof(header));
	return header.total_size;
}
