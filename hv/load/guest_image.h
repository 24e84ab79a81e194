/* The guest loader's inside: a kernel image as a list of segments to load,
 * the guest address space rules, and the boot information builders. Only
 * hv/load/guest_*.c include this. */
#pragma once

#include <string.h>

#include "hv/load/guest_load.h"
#include "lib/compiler.h"

#define GUEST_SEGMENTS_MAX	16
#define GUEST_PAGE		KiB(4)

/* One load request: guest RAM and image bytes, with their bounds. */
struct guest_ctx {
	const struct guest_ram *ram;
	uint64_t ram_size;		/* RAM below the hole: [0, ram_size) */
	const uint8_t *image;
	size_t image_size;
	char *err;
	size_t errlen;
};

/* Write "guest_load: <reason>" into ctx's error buffer. */
__printf(2, 3) void guest_report(const struct guest_ctx *ctx, const char *fmt, ...);

/* Whether `ram`'s pieces cover exactly its RAM, in order, none across the
 * PCI hole. */
bool guest_ram_layout_valid(const struct guest_ram *ram);

/* Report and evaluate to -1 (a macro so the compiler sees the -1). */
#define guest_fail(ctx, ...)	(guest_report((ctx), __VA_ARGS__), -1)

/* Image bytes [file_offset, +file_size) go to guest-physical addr; the rest
 * up to mem_size is zeroed (bss). */
struct guest_segment {
	uint64_t file_offset;
	uint64_t file_size;
	uint64_t addr;
	uint64_t mem_size;
};

struct guest_image {
	size_t segment_count;
	struct guest_segment segments[GUEST_SEGMENTS_MAX];
	uint64_t entry;		/* guest-physical */
};

/* What a multiboot1 or multiboot2 header asks of the loader. */
struct guest_mb_header {
	unsigned version;	/* 1 or 2 */
	size_t offset;		/* of the header in the image */
	bool has_address;	/* load by these fields instead of by ELF */
	uint32_t header_addr;
	uint32_t load_addr;
	uint32_t load_end_addr;	/* 0: to the end of the image */
	uint32_t bss_end_addr;	/* 0: no bss */
	bool has_entry;
	uint32_t entry_addr;
};

enum guest_header_found { GUEST_HEADER_NONE, GUEST_HEADER_FOUND };

/* Find and check the multiboot1 (resp. multiboot2) header. Returns
 * GUEST_HEADER_FOUND with *out filled, GUEST_HEADER_NONE when the image has
 * no such header, or -1 (error reported) when the header is invalid or asks
 * for something hv cannot give. */
int guest_mb1_header(const struct guest_ctx *ctx, struct guest_mb_header *out);
int guest_mb2_header(const struct guest_ctx *ctx, struct guest_mb_header *out);

/* The one segment a header's address fields describe ("a.out kludge"). */
int guest_aout_segment(const struct guest_ctx *ctx, const struct guest_mb_header *hdr,
		       struct guest_image *img);

/* The PT_LOAD segments of an ELF32 or ELF64 x86 executable, with the entry
 * turned into a physical address through the segment holding it. */
int guest_elf_segments(const struct guest_ctx *ctx, struct guest_image *img);

/* Check every segment lies in the image and in loadable guest RAM, none
 * overlap, and the entry is inside one. Touches nothing. */
int guest_segments_check(const struct guest_ctx *ctx, const struct guest_image *img);

/* Copy the checked segments into guest RAM and zero their bss. */
void guest_segments_copy(const struct guest_ctx *ctx, const struct guest_image *img);

/* First byte past the highest segment. */
uint64_t guest_segments_end(const struct guest_image *img);

/* The memory map every guest is given (types are MB2_MEMORY_*, which
 * multiboot1 shares): RAM below 640 KiB, the reserved hole to 1 MiB, RAM to
 * the PCI hole or the end, and any RAM from 4 GiB. */
#define GUEST_LOW_RAM_END	0xA0000		/* 640 KiB */
#define GUEST_HIGH_RAM_START	0x100000	/* 1 MiB */
#define GUEST_MEMMAP_MAX	4

struct guest_region {
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

/* Fill `map` for `ram_size` bytes of RAM; returns the number of entries. */
size_t guest_memory_map(uint64_t ram_size, struct guest_region map[GUEST_MEMMAP_MAX]);

/* The reserved range [start, end) overlaps, as text, or NULL if it only
 * covers RAM a kernel may be loaded into. */
const char *guest_reserved_overlap(uint64_t start, uint64_t end);

/* Lowest page-aligned guest-physical address in [GUEST_PAGE,
 * GUEST_LOW_RAM_END) where `size` bytes miss every segment; false if none. */
bool guest_low_space(const struct guest_image *img, uint64_t size, uint64_t *addr);

/* Everything the boot information block describes. */
struct guest_boot_info {
	uint64_t ram_size;
	const char *cmdline;
	size_t module_count;
	uint64_t module_addr[GUEST_MODULES_MAX];	/* where each module was copied */
	uint64_t module_size[GUEST_MODULES_MAX];
	const char *module_string[GUEST_MODULES_MAX];	/* never NULL */
};

#define GUEST_LOADER_NAME	"hv"

/* Build the multiboot1 (resp. multiboot2) boot information for `bi`, as
 * it will lie at guest-physical `gpa`, into `buf`, or with buf == NULL only
 * measure it. Returns its size in bytes. */
size_t guest_mb1_info(uint8_t *buf, uint64_t gpa, const struct guest_boot_info *bi);
size_t guest_mb2_info(uint8_t *buf, uint64_t gpa, const struct guest_boot_info *bi);

/* Sequential writer for the builders of boot information and tables: into
 * a host buffer that will be copied to guest-physical `base`; with
 * buf == NULL it only advances, so one routine both measures and writes. */
struct guest_cursor {
	uint8_t *buf;
	uint64_t base;		/* guest-physical address of buf[0] */
	uint64_t pos;		/* guest-physical */
};

/* The buffer byte that will land at guest-physical `gpa`. */
static inline uint8_t *guest_cursor_at(const struct guest_cursor *c, uint64_t gpa)
{
	return c->buf + (gpa - c->base);
}

/* Put len bytes at the cursor; returns their guest-physical address. */
static inline uint64_t guest_put(struct guest_cursor *c, const void *data, size_t len)
{
	uint64_t at = c->pos;

	if (c->buf)
		memcpy(guest_cursor_at(c, at), data, len);
	c->pos += len;
	return at;
}

/* Zero-pad the cursor up to a multiple of `align`. */
static inline void guest_pad(struct guest_cursor *c, uint64_t align)
{
	uint64_t end = ALIGN_UP(c->pos, align);

	if (c->buf)
		memset(guest_cursor_at(c, c->pos), 0, end - c->pos);
	c->pos = end;
}

/* An ACPI table at the cursor: begin puts its header (8-byte aligned,
 * length and checksum unset) and returns its address; end sets both, the
 * length running to the cursor. */
uint64_t guest_acpi_table_begin(struct guest_cursor *c, const char *signature, uint8_t revision);
void guest_acpi_table_end(struct guest_cursor *c, uint64_t gpa);

/* Write the VM's DSDT at the cursor; returns its address. */
uint64_t guest_acpi_dsdt(struct guest_cursor *c);

/* Load a multiboot1/2 kernel (kind resolved from auto); a flat binary. */
int guest_load_multiboot(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
			 struct guest_entry *entry);
int guest_load_flat(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		    struct guest_entry *entry);

/* Whether the image has a Linux setup header ("HdrS"); load it as one. */
bool guest_linux_detect(const uint8_t *image, size_t size);
int guest_load_linux(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		     struct guest_entry *entry);
