/* The multiboot1 header: 4-byte aligned within the image's first 8 KiB,
 * magic + flags + checksum == 0. */
#include <string.h>

#include "hv/load/guest_image.h"
#include "lib/multiboot1.h"

/* Required flags hv honours: modules are always page aligned, and the
 * memory fields are always given. Video modes are not offered. */
#define MB1_SUPPORTED_REQUIRED	(MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO)

int guest_mb1_header(const struct guest_ctx *ctx, struct guest_mb_header *out)
{
	size_t limit = MIN(ctx->image_size, (size_t)MB1_SEARCH_LIMIT);
	size_t off, bad_at = SIZE_MAX;
	struct mb1_header h;

	for (off = 0; off + MB1_HEADER_MIN_SIZE <= limit; off += MB1_HEADER_ALIGN) {
		memcpy(&h, ctx->image + off, MB1_HEADER_MIN_SIZE);
		if (h.magic != MB1_HEADER_MAGIC)
			continue;
		if ((uint32_t)(h.magic + h.flags + h.checksum) == 0)
			break;
		bad_at = MIN(bad_at, off);
	}
	if (off + MB1_HEADER_MIN_SIZE > limit) {
		if (bad_at == SIZE_MAX)
			return GUEST_HEADER_NONE;
		return guest_fail(ctx, "multiboot header at 0x%zx has a bad checksum", bad_at);
	}
	if (h.flags & MB1_HEADER_REQUIRED & ~MB1_SUPPORTED_REQUIRED)
		return guest_fail(ctx, "multiboot header flags 0x%x require features hv lacks (supported: 0x%x)",
				  h.flags, MB1_SUPPORTED_REQUIRED);
	memset(out, 0, sizeof(*out));
	out->version = 1;
	out->offset = off;
	if (!(h.flags & MB1_HEADER_AOUT_KLUDGE))
		return GUEST_HEADER_FOUND;
	if (off + sizeof(h) > limit)
		return guest_fail(ctx, "multiboot header at 0x%zx: its address fields run past %s",
				  off, limit < MB1_SEARCH_LIMIT ? "the image" : "the first 8 KiB");
	memcpy(&h, ctx->image + off, sizeof(h));
	out->has_address = true;
	out->header_addr = h.header_addr;
	out->load_addr = h.load_addr;
	out->load_end_addr = h.load_end_addr;
	out->bss_end_addr = h.bss_end_addr;
	out->has_entry = true;
	out->entry_addr = h.entry_addr;
	return GUEST_HEADER_FOUND;
}
