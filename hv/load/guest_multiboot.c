/* Multiboot1/2 kernels: find the header, turn the image into segments,
 * place modules and boot information around them, and only when all of it
 * fits write anything into guest RAM. */
#include <stdlib.h>
#include <string.h>

#include "hv/load/guest_image.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"

/* The header `kind` calls for; auto prefers multiboot2, like GRUB users'
 * multiboot2 command would. */
static int find_header(const struct guest_ctx *ctx, enum vm_kind kind,
		       struct guest_mb_header *hdr)
{
	int found;

	if (kind != VM_KIND_MULTIBOOT) {
		found = guest_mb2_header(ctx, hdr);
		if (found != GUEST_HEADER_NONE)
			return found < 0 ? -1 : 0;
		if (kind == VM_KIND_MULTIBOOT2)
			return guest_fail(ctx, "no multiboot2 header (magic 0xe85250d6) in the first 32 KiB");
	}
	found = guest_mb1_header(ctx, hdr);
	if (found != GUEST_HEADER_NONE)
		return found < 0 ? -1 : 0;
	if (kind == VM_KIND_MULTIBOOT)
		return guest_fail(ctx, "no multiboot header (magic 0x1badb002) in the first 8 KiB");
	return guest_fail(ctx, "no multiboot or multiboot2 header (kind=flat loads a flat binary)");
}

/* Segments and entry, from the header's address fields or else from ELF;
 * a multiboot2 entry address tag overrides the ELF entry. */
static int image_segments(const struct guest_ctx *ctx, const struct guest_mb_header *hdr,
			  struct guest_image *img)
{
	if (hdr->has_address)
		return guest_aout_segment(ctx, hdr, img);
	if (guest_elf_segments(ctx, img))
		return -1;
	if (hdr->has_entry)
		img->entry = hdr->entry_addr;
	return 0;
}

/* Choose addresses for the modules (page aligned, in order, above the
 * kernel and 1 MiB) and for the boot information (the lowest free page
 * below 640 KiB, else after the modules). */
static int place(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		 const struct guest_image *img, unsigned version,
		 struct guest_boot_info *bi, uint64_t *info_addr)
{
	uint64_t next = ALIGN_UP(MAX(guest_segments_end(img), GUEST_HIGH_RAM_START), GUEST_PAGE);
	size_t info_size, i;

	bi->ram_size = ctx->ram->size;
	bi->cmdline = kernel->cmdline ? kernel->cmdline : "";
	bi->module_count = kernel->module_count;
	for (i = 0; i < kernel->module_count; i++) {
		const struct guest_module *m = &kernel->modules[i];

		if (m->size > ctx->ram_size - next)
			return guest_fail(ctx, "no room for module %zu (%zu KiB) at 0x%llx in %llu MiB of guest RAM",
					  i, m->size >> 10, (unsigned long long)next,
					  (unsigned long long)(ctx->ram_size >> 20));
		bi->module_addr[i] = next;
		bi->module_size[i] = m->size;
		bi->module_string[i] = m->string ? m->string : "";
		next = ALIGN_UP(next + m->size, GUEST_PAGE);
	}
	info_size = version == 1 ? guest_mb1_info(NULL, 0, bi) : guest_mb2_info(NULL, 0, bi);
	if (guest_low_space(img, info_size, info_addr))
		return 0;
	if (info_size > ctx->ram_size - next)
		return guest_fail(ctx, "no room for the %zu-byte boot information", info_size);
	*info_addr = next;
	return 0;
}

int guest_load_multiboot(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
			 struct guest_entry *entry)
{
	struct guest_mb_header hdr;
	struct guest_boot_info bi;
	struct guest_image img;
	uint64_t info_addr;
	size_t i, info_size;
	uint8_t *info;

	if (find_header(ctx, kernel->kind, &hdr) || image_segments(ctx, &hdr, &img) ||
	    guest_segments_check(ctx, &img) || place(ctx, kernel, &img, hdr.version, &bi, &info_addr))
		return -1;

	info_size = hdr.version == 1 ? guest_mb1_info(NULL, info_addr, &bi) :
					guest_mb2_info(NULL, info_addr, &bi);
	info = calloc(1, info_size);
	if (!info)
		return guest_fail(ctx, "no memory to build the %zu-byte boot information", info_size);
	if (hdr.version == 1)
		guest_mb1_info(info, info_addr, &bi);
	else
		guest_mb2_info(info, info_addr, &bi);
	guest_segments_copy(ctx, &img);
	for (i = 0; i < bi.module_count; i++)
		guest_ram_write(ctx->ram, bi.module_addr[i], kernel->modules[i].data, bi.module_size[i]);
	guest_ram_write(ctx->ram, info_addr, info, info_size);
	free(info);
	*entry = (struct guest_entry){
		.mode = GUEST_PROTECTED_FLAT,
		.kind = hdr.version == 1 ? VM_KIND_MULTIBOOT : VM_KIND_MULTIBOOT2,
		.rip = img.entry,
		.rax = hdr.version == 1 ? MB1_BOOT_MAGIC : MB2_BOOT_MAGIC,
		.rbx = info_addr,
	};
	return 0;
}
