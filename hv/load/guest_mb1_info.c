/* Multiboot1 boot information: the mb1_info structure, then the strings it
 * points to, then the memory map and the module list. */
#include "hv/load/guest_image.h"
#include "lib/multiboot1.h"

/* Put a C string with its NUL; returns its guest-physical address. */
static uint32_t put_string(struct guest_cursor *c, const char *s)
{
	return guest_put(c, s, strlen(s) + 1);
}

size_t guest_mb1_info(uint8_t *buf, uint64_t gpa, const struct guest_boot_info *bi)
{
	struct guest_cursor c = { .buf = buf, .base = gpa, .pos = gpa + sizeof(struct mb1_info) };
	struct guest_region map[GUEST_MEMMAP_MAX];
	uint32_t strings[GUEST_MODULES_MAX];
	struct mb1_info info = {
		.flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
			 MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME,
		.mem_lower = GUEST_LOW_RAM_END >> 10,
		.mem_upper = (guest_ram_low(bi->ram_size) - GUEST_HIGH_RAM_START) >> 10,
		.mods_count = bi->module_count,
	};
	size_t i, entries;

	info.cmdline = put_string(&c, bi->cmdline);
	info.boot_loader_name = put_string(&c, GUEST_LOADER_NAME);
	for (i = 0; i < bi->module_count; i++)
		strings[i] = put_string(&c, bi->module_string[i]);

	guest_pad(&c, 8);
	entries = guest_memory_map(bi->ram_size, map);
	info.mmap_addr = c.pos;
	for (i = 0; i < entries; i++) {
		struct mb1_mmap_entry e = {
			.size = sizeof(e) - sizeof(e.size),
			.base_addr = map[i].base,
			.length = map[i].length,
			.type = map[i].type,
		};

		guest_put(&c, &e, sizeof(e));
	}
	info.mmap_length = c.pos - info.mmap_addr;

	info.mods_addr = c.pos;
	for (i = 0; i < bi->module_count; i++) {
		struct mb1_module m = {
			.mod_start = bi->module_addr[i],
			.mod_end = bi->module_addr[i] + bi->module_size[i],
			.string = strings[i],
		};

		guest_put(&c, &m, sizeof(m));
	}

	c.pos = gpa;
	guest_put(&c, &info, sizeof(info));
	return info.mods_addr + bi->module_count * sizeof(struct mb1_module) - gpa;
}
