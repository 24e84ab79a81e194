/* Synthetic guest kernel images (see guest_image_builder.h). */
#include <elf.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/load/linux_boot.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"
#include "tests/unit/guest_image_builder.h"

static uint8_t scratch[MiB(4)];

/* Write the ELF header and program headers for `spec` into scratch. */
static void put_headers(const struct img_elf *spec, const uint64_t *offsets)
{
	bool is64 = spec->class == ELFCLASS64;
	size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t phoff = spec->phoff ? spec->phoff : ehsize;
	unsigned char ident[EI_NIDENT] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, spec->class,
					   ELFDATA2LSB, EV_CURRENT };
	uint16_t type = spec->type ? spec->type : ET_EXEC;
	uint16_t machine = spec->machine ? spec->machine : is64 ? EM_X86_64 : EM_386;
	uint16_t phentsize = spec->phentsize ? spec->phentsize : phsize;
	size_t i;

	assert_true(phoff + spec->nseg * phsize <= IMG_HEADER_OFFSET || spec->phoff);
	for (i = 0; i < spec->nseg; i++) {
		const struct img_segment *s = &spec->seg[i];
		uint64_t vaddr = s->vaddr ? s->vaddr : s->paddr;
		uint32_t ptype = s->type ? s->type : PT_LOAD;

		if (phoff + (i + 1) * phsize > sizeof(scratch))
			break;
		if (is64) {
			Elf64_Phdr p = { .p_type = ptype, .p_offset = offsets[i], .p_vaddr = vaddr,
					 .p_paddr = s->paddr, .p_filesz = s->filesz,
					 .p_memsz = s->memsz, .p_flags = PF_R | PF_X };

			memcpy(scratch + phoff + i * phsize, &p, sizeof(p));
		} else {
			Elf32_Phdr p = { .p_type = ptype, .p_offset = offsets[i], .p_vaddr = vaddr,
					 .p_paddr = s->paddr, .p_filesz = s->filesz,
					 .p_memsz = s->memsz, .p_flags = PF_R | PF_X };

			memcpy(scratch + phoff + i * phsize, &p, sizeof(p));
		}
	}
	if (is64) {
		Elf64_Ehdr e = { .e_type = type, .e_machine = machine, .e_version = EV_CURRENT,
				 .e_entry = spec->entry, .e_phoff = phoff, .e_ehsize = ehsize,
				 .e_phentsize = phentsize, .e_phnum = spec->nseg };

		memcpy(e.e_ident, ident, sizeof(ident));
		memcpy(scratch, &e, sizeof(e));
	} else {
		Elf32_Ehdr e = { .e_type = type, .e_machine = machine, .e_version = EV_CURRENT,
				 .e_entry = spec->entry, .e_phoff = phoff, .e_ehsize = ehsize,
				 .e_phentsize = phentsize, .e_phnum = spec->nseg };

		memcpy(e.e_ident, ident, sizeof(ident));
		memcpy(scratch, &e, sizeof(e));
	}
}

uint8_t *img_build_elf(const struct img_elf *spec, size_t *size)
{
	uint64_t offsets[IMG_MAX_SEGMENTS];
	uint64_t end = IMG_DATA_OFFSET, j;
	uint8_t *image;
	size_t i;

	assert_true(spec->nseg <= IMG_MAX_SEGMENTS);
	memset(scratch, 0, sizeof(scratch));
	for (i = 0; i < spec->nseg; i++) {
		const struct img_segment *s = &spec->seg[i];

		offsets[i] = end;
		assert_true(end + s->filesz <= sizeof(scratch));
		for (j = 0; j < s->filesz; j++)
			scratch[end + j] = img_byte(s->fill, j);
		end = ALIGN_UP(end + s->filesz, 16);
	}
	put_headers(spec, offsets);
	if (spec->header_len)
		memcpy(scratch + IMG_HEADER_OFFSET, spec->header, spec->header_len);
	image = malloc(end);
	assert_non_null(image);
	memcpy(image, scratch, end);
	*size = end;
	return image;
}

size_t img_mb1_header(uint8_t *out, uint32_t flags, const uint32_t addr[5])
{
	struct mb1_header h = {
		.magic = MB1_HEADER_MAGIC,
		.flags = flags,
		.checksum = -(MB1_HEADER_MAGIC + flags),
	};
	size_t len = addr ? sizeof(h) : MB1_HEADER_MIN_SIZE;

	if (addr) {
		h.header_addr = addr[0];
		h.load_addr = addr[1];
		h.load_end_addr = addr[2];
		h.bss_end_addr = addr[3];
		h.entry_addr = addr[4];
	}
	memcpy(out, &h, len);
	return len;
}

void img_mb2_begin(struct img_mb2 *h, uint32_t arch)
{
	struct mb2_header hdr = { .magic = MB2_HEADER_MAGIC, .architecture = arch };

	memset(h, 0, sizeof(*h));
	memcpy(h->bytes, &hdr, sizeof(hdr));
	h->len = sizeof(hdr);
}

void img_mb2_tag(struct img_mb2 *h, uint16_t type, uint16_t flags, const void *payload,
		 size_t len)
{
	struct mb2_header_tag tag = { .type = type, .flags = flags,
				      .size = sizeof(tag) + len };

	assert_true(h->len + sizeof(tag) + len + 8 <= sizeof(h->bytes));
	memcpy(h->bytes + h->len, &tag, sizeof(tag));
	if (len)
		memcpy(h->bytes + h->len + sizeof(tag), payload, len);
	h->len = ALIGN_UP(h->len + sizeof(tag) + len, MB2_HEADER_ALIGN);
}

void img_mb2_end(struct img_mb2 *h)
{
	struct mb2_header hdr;

	img_mb2_tag(h, MB2_HEADER_TAG_END, 0, NULL, 0);
	memcpy(&hdr, h->bytes, sizeof(hdr));
	hdr.header_length = h->len;
	hdr.checksum = MB2_HEADER_CHECKSUM(hdr.architecture, hdr.header_length);
	memcpy(h->bytes, &hdr, sizeof(hdr));
}

/* Store the low `len` bytes of v at p + off (little-endian). */
static void put_le(uint8_t *p, size_t off, uint64_t v, size_t len)
{
	memcpy(p + off, &v, len);
}

uint8_t *img_build_bzimage(const struct img_bzimage *spec, size_t *size)
{
	uint8_t *image;

	*size = IMG_BZ_SETUP_BYTES + spec->kernel_bytes;
	image = calloc(1, *size);
	assert_non_null(image);
	for (size_t j = IMG_BZ_SETUP_BYTES; j < *size; j++)
		image[j] = (uint8_t)(j * 7);
	image[LINUX_SETUP_SECTS] = IMG_BZ_SETUP_SECTS;
	put_le(image, LINUX_SYSSIZE, spec->kernel_bytes / 16, 4);
	put_le(image, LINUX_BOOT_FLAG, LINUX_BOOT_FLAG_MAGIC, 2);
	image[LINUX_HEADER_END] = 0x6a;			/* header up to 0x26c */
	put_le(image, LINUX_HEADER, LINUX_HDRS_MAGIC, 4);
	put_le(image, LINUX_VERSION, spec->version, 2);
	image[LINUX_LOADFLAGS] = LINUX_LOADED_HIGH;
	put_le(image, LINUX_CODE32_START, LINUX_DEFAULT_LOAD, 4);
	put_le(image, LINUX_INITRD_ADDR_MAX, 0x7fffffff, 4);
	put_le(image, LINUX_KERNEL_ALIGNMENT, MiB(2), 4);
	image[LINUX_RELOCATABLE] = spec->relocatable;
	put_le(image, LINUX_XLOADFLAGS, LINUX_XLF_KERNEL_64, 2);
	put_le(image, LINUX_CMDLINE_SIZE, 255, 4);
	put_le(image, LINUX_PREF_ADDRESS, spec->pref_address, 8);
	put_le(image, LINUX_INIT_SIZE, spec->init_size, 4);
	return image;
}
