/* Function names for code addresses, from the table tools/symtab.sh builds
 * out of the first link and the second link embeds (section .ksyms). */
#pragma once

#include "lib/compiler.h"

/* One function: its start address and where its name is in the strings. */
struct ksym {
	uint64_t addr;
	uint32_t name_offset;	/* into the strings after the last entry */
	uint32_t reserved;
};
static_assert(sizeof(struct ksym) == 16, "tools/symtab.sh emits 16-byte entries");

/* The table: `count` entries sorted by address, then the NUL-terminated
 * names. Functions end where the next begins; the last one at text_end. */
struct ksyms_header {
	uint64_t count;
	uint64_t text_end;
	struct ksym entries[];
};
static_assert(offsetof(struct ksyms_header, entries) == 16, "tools/symtab.sh header layout");

/* Name of the function in `table` containing `addr`, with addr's offset
 * from its start in *offset; NULL (offset untouched) if `table` is NULL or
 * `addr` lies below the first function or at or beyond text_end. */
const char *ksyms_search(const struct ksyms_header *table, uint64_t addr, uint64_t *offset);

/* ksyms_search() over the hypervisor's own table (none in the first link). */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);
