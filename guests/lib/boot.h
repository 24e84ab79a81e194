/*
 * What a multiboot (v1 or v2) loader told the guest, copied out of the
 * loader's info block at entry (the block may lie in RAM a guest overwrites).
 */
#pragma once

#include "lib/compiler.h"

#define BOOT_CMDLINE_MAX	256
#define BOOT_MAX_RANGES		32
#define BOOT_MEMORY_AVAILABLE	1	/* multiboot v1 and v2 use the same number */

struct mem_range {
	uint64_t base;
	uint64_t length;
	uint32_t type;		/* BOOT_MEMORY_AVAILABLE or a reserved kind */
};

struct boot_info {
	unsigned multiboot_version;	/* 1 or 2 */
	char cmdline[BOOT_CMDLINE_MAX];	/* "" when the loader gave none */
	struct mem_range ranges[BOOT_MAX_RANGES];
	unsigned nr_ranges;
};

/* First and last+1 byte of the loaded guest image, bss included (link.ld). */
extern char guest_image_start[], guest_image_end[];

/*
 * Each guest's body: called with COM1, the guest's GDT and IDT set up;
 * returning ends the guest through report_exit().
 */
void guest_main(const struct boot_info *bi);

/* The loader's EBX: its info block, for a guest that reads it raw (mb2dump). */
extern uint32_t boot_info_addr;

/* Entry from start.S with the loader's EAX and EBX: parses, runs guest_main. */
__noreturn void boot_main(uint32_t magic, uint32_t info);

/* Returns the bytes of RAM the memory map calls available. */
uint64_t boot_available_bytes(const struct boot_info *bi);
