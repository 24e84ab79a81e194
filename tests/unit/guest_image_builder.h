/* Synthetic guest kernel images for the guest loader tests: ELF32/ELF64
 * executables with chosen segments, multiboot1 and multiboot2 headers,
 * Linux bzImages. */
#pragma once

#include "lib/compiler.h"

#define IMG_HEADER_OFFSET	0x800	/* where build_elf puts the multiboot header */
#define IMG_DATA_OFFSET		0x1000	/* where segment file bytes start */
#define IMG_MAX_SEGMENTS	20

struct img_segment {
	uint32_t type;		/* 0 means PT_LOAD */
	uint64_t paddr;
	uint64_t vaddr;		/* 0 means paddr */
	uint64_t filesz;
	uint64_t memsz;
	uint8_t fill;		/* file byte j is (uint8_t)(fill + j) */
};

struct img_elf {
	unsigned class;		/* ELFCLASS32 or ELFCLASS64 */
	uint16_t machine;	/* 0: the class's x86 machine */
	uint16_t type;		/* 0: ET_EXEC */
	uint16_t phentsize;	/* 0: the class's size */
	uint64_t phoff;		/* 0: right after the ELF header */
	uint64_t entry;
	size_t nseg;
	struct img_segment seg[IMG_MAX_SEGMENTS];
	const void *header;	/* multiboot header bytes put at IMG_HEADER_OFFSET */
	size_t header_len;
};

/* Build the image in a malloc'd buffer of exactly *size bytes. */
uint8_t *img_build_elf(const struct img_elf *spec, size_t *size);

/* The file byte j of a segment with this fill. */
static inline uint8_t img_byte(uint8_t fill, uint64_t j)
{
	return (uint8_t)(fill + j);
}

/* A multiboot1 header: 12 bytes, or 32 with `addr` (header, load, load_end,
 * bss_end, entry) and MB1_HEADER_AOUT_KLUDGE set in flags by the caller.
 * Returns its length. */
size_t img_mb1_header(uint8_t *out, uint32_t flags, const uint32_t addr[5]);

/* A multiboot2 header under construction. */
struct img_mb2 {
	uint8_t bytes[512];
	size_t len;
};

void img_mb2_begin(struct img_mb2 *h, uint32_t arch);
void img_mb2_tag(struct img_mb2 *h, uint16_t type, uint16_t flags, const void *payload,
		 size_t len);
/* Add the end tag and fill in header_length and the checksum. */
void img_mb2_end(struct img_mb2 *h);

/* A bzImage: IMG_BZ_SETUP_SECTS setup sectors holding a setup header of
 * protocol `version` (LOADED_HIGH, the 64-bit entry, 255-byte command
 * lines, initrds below 2 GiB, 2 MiB alignment, `init_size`), then
 * `kernel_bytes` of protected-mode code whose byte j is (uint8_t)(j * 7);
 * a relocatable one prefers `pref_address`. */
struct img_bzimage {
	unsigned version;
	bool relocatable;
	size_t kernel_bytes;
	uint64_t pref_address;
	uint32_t init_size;
};

#define IMG_BZ_SETUP_SECTS	4
#define IMG_BZ_SETUP_BYTES	((IMG_BZ_SETUP_SECTS + 1) * 512)

/* Build it in a malloc'd buffer of exactly *size bytes. */
uint8_t *img_build_bzimage(const struct img_bzimage *spec, size_t *size);
