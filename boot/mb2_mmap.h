/* The two memory maps a multiboot2 loader may pass, turned into the one
 * list struct boot_info holds (boot/mb2_info.c picks which). */
#pragma once

#include "boot/mb2_info.h"
#include "lib/multiboot2.h"

/* The EFI descriptor layout boot/mb2_mmap.c reads (UEFI's only one). */
#define MB2_EFI_DESCRIPTOR_VERSION	1

/* Fill out->mem from the basic memory map `tag`, whose size the caller
 * checked against the block. Returns 0, or -1 with a reason in `err`. */
int mb2_mmap_basic(const struct mb2_tag_mmap *tag, struct boot_info *out,
		   char *err, size_t errlen);

/* Fill out->mem from the EFI memory map `tag` (size checked by the caller,
 * descriptor version MB2_EFI_DESCRIPTOR_VERSION), its types translated to
 * MB2_MEMORY_* and MMIO left out. Returns 0, or -1 with a reason in `err`. */
int mb2_mmap_efi(const struct mb2_tag_efi_mmap *tag, struct boot_info *out,
		 char *err, size_t errlen);
