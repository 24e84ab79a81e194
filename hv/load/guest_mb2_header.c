/* The multiboot2 header: 8-byte aligned within the image's first 32 KiB,
 * magic + architecture + header_length + checksum == 0, then tags. Every
 * tag hv does not honour must be marked optional. */
#include <string.h>

#include "hv/load/guest_image.h"
#include "lib/multiboot2.h"

#define MB2_CONSOLE_REQUIRED	1u	/* console_flags bit 0 */

/* Boot information tags every multiboot2 guest receives. */
static const uint32_t given_info = (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) |
	(1u << MB2_TAG_MODULE) | (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_MMAP);

/* Size each honoured tag must have (0: checked by its handler). */
static const uint32_t tag_size[] = {
	[MB2_HEADER_TAG_ADDRESS] = 24,
	[MB2_HEADER_TAG_ENTRY_ADDRESS] = 12,
	[MB2_HEADER_TAG_CONSOLE_FLAGS] = 12,
	[MB2_HEADER_TAG_MODULE_ALIGN] = 8,
	[MB2_HEADER_TAG_RELOCATABLE] = 24,
};

/* Every boot information type an information request tag asks for must
 * be one hv gives, unless the request is optional. */
static int check_info_request(const struct guest_ctx *ctx, const uint8_t *tag, uint32_t size,
			      bool optional)
{
	uint32_t i, type;

	if (size % 4)
		return guest_fail(ctx, "multiboot2 information request tag has size %u, not a multiple of 4",
				  size);
	for (i = sizeof(struct mb2_header_tag); i < size && !optional; i += 4) {
		memcpy(&type, tag + i, 4);
		if (type >= 32 || !(given_info & (1u << type)))
			return guest_fail(ctx, "multiboot2 header requires boot information tag %u, which hv does not give",
					  type);
	}
	return 0;
}

/* Apply one header tag (not the end tag) to *out. */
static int apply_tag(const struct guest_ctx *ctx, const uint8_t *tag, struct guest_mb_header *out)
{
	struct mb2_header_tag t;
	uint32_t words[4];
	bool optional;

	memcpy(&t, tag, sizeof(t));
	optional = t.flags & MB2_HEADER_TAG_OPTIONAL;
	if (t.type < ARRAY_SIZE(tag_size) && tag_size[t.type] && t.size != tag_size[t.type])
		return guest_fail(ctx, "multiboot2 header tag %u has size %u, expected %u",
				  t.type, t.size, tag_size[t.type]);
	memcpy(words, tag + sizeof(t), MIN(t.size - sizeof(t), sizeof(words)));
	switch (t.type) {
	case MB2_HEADER_TAG_INFO_REQUEST:
		return check_info_request(ctx, tag, t.size, optional);
	case MB2_HEADER_TAG_ADDRESS:
		out->has_address = true;
		out->header_addr = words[0];
		out->load_addr = words[1];
		out->load_end_addr = words[2];
		out->bss_end_addr = words[3];
		return 0;
	case MB2_HEADER_TAG_ENTRY_ADDRESS:
		out->has_entry = true;
		out->entry_addr = words[0];
		return 0;
	case MB2_HEADER_TAG_CONSOLE_FLAGS:
		if ((words[0] & MB2_CONSOLE_REQUIRED) && !optional)
			return guest_fail(ctx, "multiboot2 header requires a console, which hv does not describe");
		return 0;
	case MB2_HEADER_TAG_MODULE_ALIGN:	/* modules are always page aligned */
	case MB2_HEADER_TAG_RELOCATABLE:	/* loading where linked is allowed */
		return 0;
	default:
		if (!optional)
			return guest_fail(ctx, "multiboot2 header tag %u is required but not supported",
					  t.type);
		return 0;
	}
}

/* Walk the tags of the checksummed header at `off` of `length` bytes. */
static int parse_tags(const struct guest_ctx *ctx, size_t off, uint32_t length,
		      struct guest_mb_header *out)
{
	size_t pos = off + sizeof(struct mb2_header), end = off + length;
	struct mb2_header_tag t;

	while (pos + sizeof(t) <= end) {
		memcpy(&t, ctx->image + pos, sizeof(t));
		if (t.size < sizeof(t) || t.size > end - pos)
			return guest_fail(ctx, "multiboot2 header tag %u at 0x%zx has size %u outside the header",
					  t.type, pos, t.size);
		if (t.type == MB2_HEADER_TAG_END)
			return 0;
		if (apply_tag(ctx, ctx->image + pos, out))
			return -1;
		pos += ALIGN_UP(t.size, MB2_HEADER_ALIGN);
	}
	return guest_fail(ctx, "multiboot2 header has no end tag");
}

int guest_mb2_header(const struct guest_ctx *ctx, struct guest_mb_header *out)
{
	size_t limit = MIN(ctx->image_size, (size_t)MB2_SEARCH_LIMIT);
	size_t off, bad_at = SIZE_MAX;
	struct mb2_header h;

	for (off = 0; off + sizeof(h) <= limit; off += MB2_HEADER_ALIGN) {
		memcpy(&h, ctx->image + off, sizeof(h));
		if (h.magic != MB2_HEADER_MAGIC)
			continue;
		if ((uint32_t)(h.magic + h.architecture + h.header_length + h.checksum) == 0)
			break;
		bad_at = MIN(bad_at, off);
	}
	if (off + sizeof(h) > limit) {
		if (bad_at == SIZE_MAX)
			return GUEST_HEADER_NONE;
		return guest_fail(ctx, "multiboot2 header at 0x%zx has a bad checksum", bad_at);
	}
	if (h.architecture != MB2_ARCH_I386)
		return guest_fail(ctx, "multiboot2 header architecture %u is not i386 (0)",
				  h.architecture);
	if (h.header_length < sizeof(h) + sizeof(struct mb2_header_tag))
		return guest_fail(ctx, "multiboot2 header length %u is too small for an end tag",
				  h.header_length);
	if (h.header_length > limit - off)
		return guest_fail(ctx, "multiboot2 header length %u does not fit in %s",
				  h.header_length,
				  limit < MB2_SEARCH_LIMIT ? "the image" : "the first 32 KiB");
	memset(out, 0, sizeof(*out));
	out->version = 2;
	out->offset = off;
	if (parse_tags(ctx, off, h.header_length, out))
		return -1;
	if (out->has_address && !out->has_entry)
		return guest_fail(ctx, "multiboot2 address tag without an entry address tag");
	return GUEST_HEADER_FOUND;
}
