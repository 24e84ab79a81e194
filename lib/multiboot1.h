/* Multiboot specification version 0.6.96 ("multiboot 1"): the header a
 * loader looks for in a kernel image and the boot information block it hands
 * over in EBX. The hypervisor is a multiboot1 loader for its guests. */
#pragma once

#include "lib/compiler.h"

/* The OS image header: 4-byte aligned, wholly within the first 8 KiB. */
#define MB1_HEADER_MAGIC	0x1BADB002
#define MB1_HEADER_ALIGN	4
#define MB1_SEARCH_LIMIT	8192

/* Header flags. Bits 0-15 are requirements a loader must honour or refuse. */
#define MB1_HEADER_PAGE_ALIGN	(1u << 0)	/* modules on 4 KiB boundaries */
#define MB1_HEADER_MEMORY_INFO	(1u << 1)	/* mem_* and mmap_* wanted */
#define MB1_HEADER_VIDEO_MODE	(1u << 2)	/* video mode table wanted */
#define MB1_HEADER_REQUIRED	0xffffu
#define MB1_HEADER_AOUT_KLUDGE	(1u << 16)	/* the address fields are valid */

/* EAX at entry when a multiboot1 loader started the image. */
#define MB1_BOOT_MAGIC		0x2BADB002

/* Boot information flags: which fields of struct mb1_info are valid. */
#define MB1_INFO_MEMORY		(1u << 0)
#define MB1_INFO_BOOTDEV	(1u << 1)
#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MODS		(1u << 3)
#define MB1_INFO_MEM_MAP	(1u << 6)
#define MB1_INFO_LOADER_NAME	(1u << 9)

/* Memory map entry types (the same numbers as multiboot2's). */
#define MB1_MEMORY_AVAILABLE	1
#define MB1_MEMORY_RESERVED	2

struct mb1_header {
	uint32_t magic;
	uint32_t flags;
	uint32_t checksum;	/* magic + flags + checksum == 0 (mod 2^32) */
	/* valid with MB1_HEADER_AOUT_KLUDGE: */
	uint32_t header_addr;	/* physical address the header itself loads at */
	uint32_t load_addr;	/* start of the text segment */
	uint32_t load_end_addr;	/* end of the data loaded from the file; 0: file end */
	uint32_t bss_end_addr;	/* end of bss; 0: no bss */
	uint32_t entry_addr;
};
static_assert(sizeof(struct mb1_header) == 32, "multiboot1 header layout");

/* Bytes of the header without the a.out kludge fields. */
#define MB1_HEADER_MIN_SIZE	12

struct mb1_info {
	uint32_t flags;			/* MB1_INFO_* */
	uint32_t mem_lower;		/* KiB from 0 */
	uint32_t mem_upper;		/* KiB from 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;		/* physical address of a C string */
	uint32_t mods_count;
	uint32_t mods_addr;		/* physical address of struct mb1_module[] */
	uint32_t syms[4];
	uint32_t mmap_length;		/* bytes of memory map */
	uint32_t mmap_addr;		/* physical address of the first entry */
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;	/* physical address of a C string */
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode;
	uint16_t vbe_interface_seg;
	uint16_t vbe_interface_off;
	uint16_t vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch;
	uint32_t framebuffer_width;
	uint32_t framebuffer_height;
	uint8_t framebuffer_bpp;
	uint8_t framebuffer_type;
	uint8_t color_info[6];
} __packed;
static_assert(sizeof(struct mb1_info) == 116, "multiboot1 info layout");
static_assert(offsetof(struct mb1_info, framebuffer_addr) == 88, "multiboot1 info layout");

struct mb1_module {
	uint32_t mod_start;
	uint32_t mod_end;	/* first byte past the module */
	uint32_t string;	/* physical address of a C string */
	uint32_t reserved;
};
static_assert(sizeof(struct mb1_module) == 16, "multiboot1 module layout");

/* A memory map entry; `size` counts the bytes after itself (20 here), and
 * mmap_addr points at `size`, so the 64-bit fields are unaligned. */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;		/* MB1_MEMORY_* */
} __packed;
static_assert(sizeof(struct mb1_mmap_entry) == 24, "multiboot1 mmap entry layout");
