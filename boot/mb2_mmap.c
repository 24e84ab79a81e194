/* Memory map tags. Each entry is checked before it is recorded; neighbours
 * of one type are merged, since an EFI map lists memory in many small
 * pieces (one per firmware allocation) that mean the same to us. */
#include <string.h>

#include "boot/mb2_mmap.h"
#include "lib/efi.h"
#include "lib/errmsg.h"

#define MB2_MEMORY_NONE	0	/* not memory: left out of the map */

/* Record [base, base + length) of `type` as out->mem's next region, or
 * grow the last one when this continues it; entry `index` is for errors. */
static int add_region(struct boot_info *out, size_t index, uint64_t base,
		      uint64_t length, uint32_t type, char *err, size_t errlen)
{
	struct boot_mem_region *last = out->mem_count ? &out->mem[out->mem_count - 1] : NULL;

	if (length > UINT64_MAX - base)
		return errmsg(err, errlen, "multiboot2: memory map entry %zu (0x%llx + 0x%llx) wraps around",
			      index, (unsigned long long)base, (unsigned long long)length);
	if (!length)
		return 0;
	if (last && last->type == type && last->base + last->length == base) {
		last->length += length;
		return 0;
	}
	if (out->mem_count == BOOT_MAX_MEMMAP)
		return errmsg(err, errlen, "multiboot2: memory map needs more than %d ranges (entry %zu)",
			      BOOT_MAX_MEMMAP, index);
	out->mem[out->mem_count++] = (struct boot_mem_region){ base, length, type };
	return 0;
}

/* Check that the `what` map's `bytes` hold whole entries of `entry_size`
 * (at least `min`, a multiple of `align`) and store their number in *count.
 * Returns 0, or -1 with a reason in `err`. */
static int entry_count(const char *what, size_t bytes, uint32_t entry_size, size_t min,
		       size_t align, size_t *count, char *err, size_t errlen)
{
	if (entry_size < min || !IS_ALIGNED(entry_size, align))
		return errmsg(err, errlen, "multiboot2: %s entry size %u invalid", what, entry_size);
	if (bytes % entry_size)
		return errmsg(err, errlen, "multiboot2: %s of %zu bytes is not a whole number of %u-byte entries",
			      what, bytes, entry_size);
	*count = bytes / entry_size;
	return 0;
}

int mb2_mmap_basic(const struct mb2_tag_mmap *tag, struct boot_info *out,
		   char *err, size_t errlen)
{
	const uint8_t *entries = (const uint8_t *)(tag + 1);
	size_t count;

	/* Entries are read in place: their size keeps them 8-byte aligned. */
	if (entry_count("memory map", tag->tag.size - sizeof(*tag), tag->entry_size,
			sizeof(struct mb2_mmap_entry), 8, &count, err, errlen))
		return -1;
	for (size_t i = 0; i < count; i++) {
		const struct mb2_mmap_entry *e = (const void *)(entries + i * tag->entry_size);

		if (add_region(out, i, e->base_addr, e->length, e->type, err, errlen))
			return -1;
	}
	out->mem_tag = MB2_TAG_MMAP;
	out->mem_tag_entries = count;
	return 0;
}

/* What an EFI memory type is to the hypervisor. GRUB has left boot
 * services, so their memory is free; loader memory holds the image, the
 * modules and the info block, which boot_memory_map() reserves, and
 * otherwise GRUB's own leftovers (as in the basic map, where GRUB calls it
 * available too). Free memory must take write-back mappings, as the
 * hypervisor's direct map uses. Runtime services, persistent and not yet
 * accepted memory, and types this code does not know, are kept away from. */
static uint32_t efi_type(const struct efi_memory_descriptor *d)
{
	switch (d->type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return d->attribute & EFI_MEMORY_WB ? MB2_MEMORY_AVAILABLE : MB2_MEMORY_RESERVED;
	case EFI_UNUSABLE_MEMORY:
		return MB2_MEMORY_BADRAM;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MB2_MEMORY_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS:
		return MB2_MEMORY_NVS;
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return MB2_MEMORY_NONE;	/* device registers: never mapped as RAM */
	default:
		return MB2_MEMORY_RESERVED;
	}
}

int mb2_mmap_efi(const struct mb2_tag_efi_mmap *tag, struct boot_info *out,
		 char *err, size_t errlen)
{
	const uint8_t *entries = (const uint8_t *)(tag + 1);
	size_t count;

	/* Descriptors are copied out, so any size the firmware chose works. */
	if (entry_count("EFI memory map", tag->tag.size - sizeof(*tag), tag->descriptor_size,
			sizeof(struct efi_memory_descriptor), 1, &count, err, errlen))
		return -1;
	for (size_t i = 0; i < count; i++) {
		struct efi_memory_descriptor d;
		uint32_t type;

		memcpy(&d, entries + i * tag->descriptor_size, sizeof(d));
		type = efi_type(&d);
		if (d.number_of_pages > UINT64_MAX >> EFI_PAGE_SHIFT)
			return errmsg(err, errlen, "multiboot2: EFI memory map entry %zu has 0x%llx pages",
				      i, (unsigned long long)d.number_of_pages);
		if (type != MB2_MEMORY_NONE &&
		    add_region(out, i, d.physical_start, d.number_of_pages << EFI_PAGE_SHIFT,
			       type, err, errlen))
			return -1;
	}
	out->mem_tag = MB2_TAG_EFI_MMAP;
	out->mem_tag_entries = count;
	return 0;
}
