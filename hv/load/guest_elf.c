/* ELF32/ELF64 x86 executables: their PT_LOAD segments, loaded at p_paddr as
 * multiboot loaders do. The image is untrusted: every header is read by
 * memcpy from a range checked against the image first. */
#include <elf.h>
#include <string.h>

#include "hv/load/guest_image.h"

/* The fields this loader uses, the same for both classes. */
struct elf_header {
	unsigned class;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* Read the ELF header, checking identification and size. */
static int read_header(const struct guest_ctx *ctx, struct elf_header *h)
{
	const uint8_t *id = ctx->image;

	if (ctx->image_size < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
		return guest_fail(ctx, "not an ELF image (no \\177ELF magic)");
	if (id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT)
		return guest_fail(ctx, "ELF is not little-endian version 1");
	h->class = id[EI_CLASS];
	if (h->class == ELFCLASS32 && ctx->image_size >= sizeof(Elf32_Ehdr)) {
		Elf32_Ehdr e;

		memcpy(&e, ctx->image, sizeof(e));
		*h = (struct elf_header){ ELFCLASS32, e.e_type, e.e_machine, e.e_phentsize,
					  e.e_phnum, e.e_entry, e.e_phoff };
	} else if (h->class == ELFCLASS64 && ctx->image_size >= sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr e;

		memcpy(&e, ctx->image, sizeof(e));
		*h = (struct elf_header){ ELFCLASS64, e.e_type, e.e_machine, e.e_phentsize,
					  e.e_phnum, e.e_entry, e.e_phoff };
	} else if (h->class == ELFCLASS32 || h->class == ELFCLASS64) {
		return guest_fail(ctx, "ELF header truncated (%zu-byte image)", ctx->image_size);
	} else {
		return guest_fail(ctx, "ELF class %u is neither 32- nor 64-bit", h->class);
	}
	return 0;
}

/* Check the header's fields against what an x86 executable must have. */
static int check_header(const struct guest_ctx *ctx, const struct elf_header *h)
{
	bool is64 = h->class == ELFCLASS64;
	unsigned machine = is64 ? EM_X86_64 : EM_386;
	size_t phentsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t table = (uint64_t)h->phnum * phentsize;

	if (h->machine != machine)
		return guest_fail(ctx, "ELF%d machine %u is not %s", is64 ? 64 : 32,
				  h->machine, is64 ? "x86-64" : "i386");
	if (h->type != ET_EXEC)
		return guest_fail(ctx, "ELF type %u is not an executable", h->type);
	if (h->phentsize != phentsize)
		return guest_fail(ctx, "ELF program header size %u, expected %zu",
				  h->phentsize, phentsize);
	if (h->phoff > ctx->image_size || table > ctx->image_size - h->phoff)
		return guest_fail(ctx, "ELF program headers [0x%llx, +0x%llx) outside the %zu-byte image",
				  (unsigned long long)h->phoff, (unsigned long long)table,
				  ctx->image_size);
	return 0;
}

/* Program header i, whose bytes check_header proved are in the image. */
static void read_phdr(const struct guest_ctx *ctx, const struct elf_header *h, size_t i,
		      struct elf_phdr *p)
{
	const uint8_t *at = ctx->image + h->phoff + i * h->phentsize;

	if (h->class == ELFCLASS64) {
		Elf64_Phdr e;

		memcpy(&e, at, sizeof(e));
		*p = (struct elf_phdr){ e.p_type, e.p_offset, e.p_vaddr, e.p_paddr,
					e.p_filesz, e.p_memsz };
	} else {
		Elf32_Phdr e;

		memcpy(&e, at, sizeof(e));
		*p = (struct elf_phdr){ e.p_type, e.p_offset, e.p_vaddr, e.p_paddr,
					e.p_filesz, e.p_memsz };
	}
}

int guest_elf_segments(const struct guest_ctx *ctx, struct guest_image *img)
{
	struct elf_header h;
	struct elf_phdr p;
	size_t i;

	if (read_header(ctx, &h) || check_header(ctx, &h))
		return -1;
	img->segment_count = 0;
	/* A kernel linked to run at a virtual address names its entry by that
	 * address; paging is off at entry, so translate through the segment. */
	img->entry = h.entry;
	for (i = 0; i < h.phnum; i++) {
		read_phdr(ctx, &h, i, &p);
		if (p.type != PT_LOAD || !p.memsz)
			continue;
		if (img->segment_count == GUEST_SEGMENTS_MAX)
			return guest_fail(ctx, "more than %d loadable ELF segments",
					  GUEST_SEGMENTS_MAX);
		img->segments[img->segment_count++] = (struct guest_segment){
			.file_offset = p.offset,
			.file_size = p.filesz,
			.addr = p.paddr,
			.mem_size = p.memsz,
		};
		if (h.entry >= p.vaddr && h.entry - p.vaddr < p.memsz)
			img->entry = p.paddr + (h.entry - p.vaddr);
	}
	return 0;
}
