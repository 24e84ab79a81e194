/* The "a.out kludge": a multiboot header's address fields (multiboot1 flag
 * 16, multiboot2 address tag) describe one segment, located in the file
 * relative to the header itself. */
#include "hv/load/guest_image.h"

int guest_aout_segment(const struct guest_ctx *ctx, const struct guest_mb_header *hdr,
		       struct guest_image *img)
{
	uint64_t before_header = (uint64_t)hdr->header_addr - hdr->load_addr;
	uint64_t load_end, file_offset;

	if (hdr->load_addr > hdr->header_addr)
		return guest_fail(ctx, "multiboot load_addr 0x%x is above header_addr 0x%x",
				  hdr->load_addr, hdr->header_addr);
	if (before_header > hdr->offset)
		return guest_fail(ctx, "multiboot load_addr 0x%x would start 0x%llx bytes before the image",
				  hdr->load_addr,
				  (unsigned long long)(before_header - hdr->offset));
	file_offset = hdr->offset - before_header;
	load_end = hdr->load_end_addr ? hdr->load_end_addr :
		   hdr->load_addr + (ctx->image_size - file_offset);
	if (load_end < hdr->load_addr)
		return guest_fail(ctx, "multiboot load_end_addr 0x%x is below load_addr 0x%x",
				  hdr->load_end_addr, hdr->load_addr);
	if (hdr->bss_end_addr && hdr->bss_end_addr < load_end)
		return guest_fail(ctx, "multiboot bss_end_addr 0x%x is below the load end 0x%llx",
				  hdr->bss_end_addr, (unsigned long long)load_end);
	img->segment_count = 1;
	img->segments[0] = (struct guest_segment){
		.file_offset = file_offset,
		.file_size = load_end - hdr->load_addr,
		.addr = hdr->load_addr,
		.mem_size = (hdr->bss_end_addr ? hdr->bss_end_addr : load_end) - hdr->load_addr,
	};
	img->entry = hdr->entry_addr;
	return 0;
}
