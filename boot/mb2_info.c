/* Multiboot2 boot information parser. The block comes from the loader, so
 * every size is checked against the block before anything is read. */
#include <string.h>

#include "boot/mb2_info.h"
#include "boot/mb2_mmap.h"
#include "lib/errmsg.h"
#include "lib/multiboot2.h"

/* Tags that may appear once: two memory maps or command lines are ambiguous. */
#define ONCE_TAGS ((1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | \
		   (1u << MB2_TAG_MMAP) | (1u << MB2_TAG_ACPI_OLD) | \
		   (1u << MB2_TAG_ACPI_NEW) | (1u << MB2_TAG_EFI64) | \
		   (1u << MB2_TAG_EFI_MMAP))

/* The memory map tags of a block, read once every tag has been seen. */
struct mb2_maps {
	const struct mb2_tag_mmap *basic;
	const struct mb2_tag_efi_mmap *efi;
};

/* Smallest size of each tag this parser reads; strings need at least a NUL. */
static const uint32_t min_tag_size[] = {
	[MB2_TAG_CMDLINE] = sizeof(struct mb2_tag_string) + 1,
	[MB2_TAG_LOADER_NAME] = sizeof(struct mb2_tag_string) + 1,
	[MB2_TAG_MODULE] = sizeof(struct mb2_tag_module) + 1,
	[MB2_TAG_MMAP] = sizeof(struct mb2_tag_mmap),
	[MB2_TAG_EFI64] = sizeof(struct mb2_tag_efi64),
	[MB2_TAG_ACPI_OLD] = sizeof(struct mb2_tag_rsdp) + BOOT_RSDP_V1_LEN,
	[MB2_TAG_ACPI_NEW] = sizeof(struct mb2_tag_rsdp) + BOOT_RSDP_MAX,
	[MB2_TAG_EFI_MMAP] = sizeof(struct mb2_tag_efi_mmap),
};

size_t mb2_info_size(const void *info)
{
	return ((const struct mb2_info_header *)info)->total_size;
}

/* The string of `len` bytes at s if a NUL ends it within those bytes, else NULL. */
static const char *bounded_string(const char *s, size_t len)
{
	return memchr(s, '\0', len) ? s : NULL;
}

/* Check one module tag and count it; mb2_next_module() reads it later. */
static int parse_module(const struct mb2_tag_module *mod, struct boot_info *out,
			char *err, size_t errlen)
{
	if (!bounded_string(mod->string, mod->tag.size - sizeof(*mod)))
		return errmsg(err, errlen, "multiboot2: module %zu string is not NUL-terminated",
			    out->module_count);
	if (mod->mod_start >= mod->mod_end)
		return errmsg(err, errlen, "multiboot2: module %zu range 0x%x-0x%x is empty or reversed",
			    out->module_count, mod->mod_start, mod->mod_end);
	out->module_count++;
	return 0;
}

/* Keep a copy of an RSDP tag's bytes in `slot`; acpi_parse() checks them. */
static void copy_rsdp(const struct mb2_tag_rsdp *tag, struct boot_rsdp *slot)
{
	slot->len = MIN(tag->tag.size - sizeof(*tag), sizeof(slot->bytes));
	memcpy(slot->bytes, tag->rsdp, slot->len);
}

/* Check and record one tag (not the end tag); `seen` tracks tag types and
 * `maps` collects the memory maps. */
static int parse_tag(const struct mb2_tag *tag, struct boot_info *out,
		     struct mb2_maps *maps, uint32_t *seen, char *err, size_t errlen)
{
	const struct mb2_tag_string *str = (const void *)tag;
	size_t payload = tag->size - sizeof(*tag);
	uint32_t bit = tag->type < 32 ? 1u << tag->type : 0;

	if (tag->type < ARRAY_SIZE(min_tag_size) && tag->size < min_tag_size[tag->type])
		return errmsg(err, errlen, "multiboot2: tag type %u has size %u, below its minimum %u",
			    tag->type, tag->size, min_tag_size[tag->type]);
	if (*seen & bit & ONCE_TAGS)
		return errmsg(err, errlen, "multiboot2: tag type %u appears twice", tag->type);
	*seen |= bit;

	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		out->cmdline = bounded_string(str->string, payload);
		if (!out->cmdline)
			return errmsg(err, errlen, "multiboot2: command line is not NUL-terminated");
		return 0;
	case MB2_TAG_LOADER_NAME:
		out->loader_name = bounded_string(str->string, payload);
		if (!out->loader_name)
			return errmsg(err, errlen, "multiboot2: loader name is not NUL-terminated");
		return 0;
	case MB2_TAG_MODULE:
		return parse_module((const void *)tag, out, err, errlen);
	case MB2_TAG_MMAP:
		maps->basic = (const void *)tag;
		return 0;
	case MB2_TAG_EFI_MMAP:
		maps->efi = (const void *)tag;
		return 0;
	case MB2_TAG_EFI64:
		out->efi_system_table = ((const struct mb2_tag_efi64 *)tag)->pointer;
		return 0;
	case MB2_TAG_ACPI_OLD:
		copy_rsdp((const void *)tag, &out->rsdp[BOOT_RSDP_OLD]);
		return 0;
	case MB2_TAG_ACPI_NEW:
		copy_rsdp((const void *)tag, &out->rsdp[BOOT_RSDP_NEW]);
		return 0;
	default:	/* ELF sections, framebuffer, EFI32, ...: not needed */
		return 0;
	}
}

/* Fill out->mem from the EFI memory map if the block has one whose layout
 * is known (the firmware's own, taken as GRUB left boot services; the
 * basic map is GRUB's translation of an earlier one), else the basic map. */
static int parse_maps(const struct mb2_maps *maps, struct boot_info *out,
		      char *err, size_t errlen)
{
	if (maps->efi && maps->efi->descriptor_version == MB2_EFI_DESCRIPTOR_VERSION)
		return mb2_mmap_efi(maps->efi, out, err, errlen);
	if (maps->basic)
		return mb2_mmap_basic(maps->basic, out, err, errlen);
	if (maps->efi)
		return errmsg(err, errlen, "multiboot2: EFI memory map descriptor version %u unknown, and no other memory map",
			      maps->efi->descriptor_version);
	return errmsg(err, errlen, "multiboot2: the loader gave no memory map");
}

int mb2_parse(const void *info, struct boot_info *out, char *err, size_t errlen)
{
	const uint8_t *block = info;
	const struct mb2_tag *tag;
	struct mb2_maps maps = { NULL, NULL };
	uint32_t seen = 0;
	uint64_t total, offset;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	if (!info || !IS_ALIGNED((uintptr_t)info, MB2_TAG_ALIGN))
		return errmsg(err, errlen, "multiboot2: info block at %p is not 8-byte aligned", info);
	total = mb2_info_size(info);
	if (total < sizeof(struct mb2_info_header) + sizeof(struct mb2_tag))
		return errmsg(err, errlen, "multiboot2: info block size %llu is too small",
			    (unsigned long long)total);
	out->info_start = (uintptr_t)info;
	out->info_end = out->info_start + total;

	for (offset = sizeof(struct mb2_info_header);;
	     offset += ALIGN_UP(tag->size, MB2_TAG_ALIGN)) {
		if (offset + sizeof(*tag) > total)
			return errmsg(err, errlen, "multiboot2: no end tag within the %llu-byte info block",
				    (unsigned long long)total);
		tag = (const void *)(block + offset);
		if (tag->size < sizeof(*tag) || tag->size > total - offset)
			return errmsg(err, errlen, "multiboot2: tag type %u at offset %llu has size %u outside the block",
				    tag->type, (unsigned long long)offset, tag->size);
		if (tag->type == MB2_TAG_END)
			break;
		if (parse_tag(tag, out, &maps, &seen, err, errlen))
			return -1;
	}
	return parse_maps(&maps, out, err, errlen);
}

bool mb2_next_module(const struct boot_info *info, size_t *cursor, struct boot_module *m)
{
	const uint8_t *block = (const void *)(uintptr_t)info->info_start;
	size_t offset = MAX(*cursor, sizeof(struct mb2_info_header));

	for (;;) {
		const struct mb2_tag *tag = (const void *)(block + offset);

		if (tag->type == MB2_TAG_END)
			return false;
		offset += ALIGN_UP(tag->size, MB2_TAG_ALIGN);
		if (tag->type == MB2_TAG_MODULE) {
			const struct mb2_tag_module *mod = (const void *)tag;

			*m = (struct boot_module){ mod->mod_start, mod->mod_end, mod->string };
			*cursor = offset;
			return true;
		}
	}
}
