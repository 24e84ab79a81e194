/* Segments to load: every bound checked before the first byte is copied. */
#include <string.h>

#include "hv/load/guest_image.h"

/* One segment on its own: in the image, in RAM a kernel may use. */
static int check_segment(const struct guest_ctx *ctx, const struct guest_segment *s,
			 size_t i)
{
	unsigned long long start = s->addr, end = s->addr + s->mem_size;
	const char *reserved;

	if (!s->mem_size)
		return guest_fail(ctx, "segment %zu is empty", i);
	if (s->file_size > s->mem_size)
		return guest_fail(ctx, "segment %zu file size 0x%llx is larger than its memory size 0x%llx",
				  i, (unsigned long long)s->file_size,
				  (unsigned long long)s->mem_size);
	if (s->file_offset > ctx->image_size || s->file_size > ctx->image_size - s->file_offset)
		return guest_fail(ctx, "segment %zu file bytes [0x%llx, +0x%llx) are outside the %zu-byte image",
				  i, (unsigned long long)s->file_offset,
				  (unsigned long long)s->file_size, ctx->image_size);
	if (s->addr >= ctx->ram_size || s->mem_size > ctx->ram_size - s->addr)
		return guest_fail(ctx, "segment %zu [0x%llx, 0x%llx) outside guest RAM (%llu MiB)",
				  i, start, end,
				  (unsigned long long)(ctx->ram_size >> 20));
	reserved = guest_reserved_overlap(start, end);
	if (reserved)
		return guest_fail(ctx, "segment %zu [0x%llx, 0x%llx) overlaps %s",
				  i, start, end, reserved);
	return 0;
}

int guest_segments_check(const struct guest_ctx *ctx, const struct guest_image *img)
{
	const struct guest_segment *s = img->segments;
	bool entry_inside = false;
	size_t i, j;

	if (!img->segment_count)
		return guest_fail(ctx, "no loadable segments");
	for (i = 0; i < img->segment_count; i++) {
		if (check_segment(ctx, &s[i], i))
			return -1;
		for (j = 0; j < i; j++)
			if (s[i].addr < s[j].addr + s[j].mem_size &&
			    s[j].addr < s[i].addr + s[i].mem_size)
				return guest_fail(ctx, "segments %zu and %zu overlap", j, i);
		if (img->entry >= s[i].addr && img->entry - s[i].addr < s[i].mem_size)
			entry_inside = true;
	}
	if (!entry_inside)
		return guest_fail(ctx, "entry 0x%llx is not inside a loaded segment",
				  (unsigned long long)img->entry);
	return 0;
}

void guest_segments_copy(const struct guest_ctx *ctx, const struct guest_image *img)
{
	size_t i;

	for (i = 0; i < img->segment_count; i++) {
		const struct guest_segment *s = &img->segments[i];

		guest_ram_write(ctx->ram, s->addr, ctx->image + s->file_offset, s->file_size);
		guest_ram_write(ctx->ram, s->addr + s->file_size, NULL, s->mem_size - s->file_size);
	}
}

uint64_t guest_segments_end(const struct guest_image *img)
{
	uint64_t end = 0;
	size_t i;

	for (i = 0; i < img->segment_count; i++)
		end = MAX(end, img->segments[i].addr + img->segments[i].mem_size);
	return end;
}
