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
	uint32_t type;		/* MB2_MEMORY_* */
};

struct boot_info {
	uint64_t info_start;	/* the info block itself: keep it out of the allocator */
	uint64_t info_end;
	const char *cmdline;	/* inside the info block; "" when the loader gave none */
	const char *loader_name;	/* NULL when absent */
	size_t mem_count;
	struct boot_mem_region mem[BOOT_MAX_MEMMAP];
	size_t module_count;	/* mb2_next_module() reads them */
	struct boot_module *modules;	/* module_count entries once boot_main() made the table */
	size_t rsdp_len;	/* 0: the loader found no RSDP */
	uint8_t rsdp_revision;	/* the RSDP's revision byte: 0 ACPI 1.0, 2+ has an XSDT */
	uint8_t rsdp[BOOT_RSDP_MAX];	/* a copy; ACPI 2.0 tag preferred over 1.0 */
};

/* Size in bytes of the boot information block at `info` (reads only its
 * first 8 bytes), so the caller can check the whole block is accessible. */
size_t mb2_info_size(const void *info);

/* Validate the boot information block at `info` (8-byte aligned) and fill
 * `out`. Returns 0, or -1 with a reason in `err` when the block is malformed
 * or has no memory map. Never reads outside the block's total_size. */
int mb2_parse(const void *info, struct boot_info *out, char *err, size_t errlen);

/* The modules of a block mb2_parse() accepted, in tag order: start with
 * *cursor = 0; each call fills *m and returns true until none is left. */
bool mb2_next_module(const struct boot_info *info, size_t *cursor, struct boot_module *m);
