/* What the hypervisor takes from the multiboot2 boot information block: a
 * validated, bounded summary, so nothing later walks the loader's tags. */
#pragma once

#include "hv/boot_module.h"
#include "lib/compiler.h"

#define BOOT_MAX_MEMMAP		128
#define BOOT_RSDP_V1_LEN	20	/* ACPI 1.0 RSDP size */
#define BOOT_RSDP_MAX		36	/* ACPI 2.0+ RSDP size */

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;		/* MB2_MEMORY_* (an EFI map's types translated) */
};

/* The RSDP tags, in order of preference. */
enum { BOOT_RSDP_NEW, BOOT_RSDP_OLD, BOOT_RSDP_TAGS };

struct boot_rsdp {
	size_t len;		/* 0: the loader gave no such tag */
	uint8_t bytes[BOOT_RSDP_MAX];	/* a copy, not yet validated */
};

struct boot_info {
	uint64_t info_start;	/* the info block itself: keep it out of the allocator */
	uint64_t info_end;
	const char *cmdline;	/* inside the info block; "" when the loader gave none */
	const char *loader_name;	/* NULL when absent */
	uint32_t mem_tag;	/* where mem[] comes from: MB2_TAG_EFI_MMAP or MB2_TAG_MMAP */
	size_t mem_tag_entries;	/* entries in that tag; mem[] merges neighbours */
	size_t mem_count;
	struct boot_mem_region mem[BOOT_MAX_MEMMAP];
	size_t module_count;	/* mb2_next_module() reads them */
	struct boot_module *modules;	/* module_count entries once boot_main() made the table */
	uint64_t efi_system_table;	/* physical, from the EFI64 tag; 0: none */
	struct boot_rsdp rsdp[BOOT_RSDP_TAGS];
};

/* Size in bytes of the boot information block at `info` (reads only its
 * first 8 bytes), so the caller can check the whole block is accessible. */
size_t mb2_info_size(const void *info);

/* Validate the boot information block at `info` (8-byte aligned) and fill
 * `out`; the EFI memory map is preferred over the basic one, which is then
 * not read. Returns 0, or -1 with a reason in `err` when the block is
 * malformed or has no usable memory map. Never reads outside the block's
 * total_size. */
int mb2_parse(const void *info, struct boot_info *out, char *err, size_t errlen);

/* The modules of a block mb2_parse() accepted, in tag order: start with
 * *cursor = 0; each call fills *m and returns true until none is left. */
bool mb2_next_module(const struct boot_info *info, size_t *cursor, struct boot_module *m);
