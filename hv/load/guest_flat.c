/* Flat real-mode binaries: the image is placed so that it ends at 1 MiB,
 * which puts its last 16 bytes at the reset vector 0xFFFF0. */
#include <string.h>

#include "hv/load/guest_image.h"

int guest_load_flat(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		    struct guest_entry *entry)
{
	uint64_t base = GUEST_HIGH_RAM_START - ctx->image_size;

	if (ctx->image_size > GUEST_FLAT_MAX)
		return guest_fail(ctx, "flat binary of %zu bytes is larger than 64 KiB",
				  ctx->image_size);
	if (kernel->module_count || (kernel->cmdline && kernel->cmdline[0]))
		return guest_fail(ctx, "a flat binary takes no modules or command line");
	guest_ram_write(ctx->ram, base, ctx->image, ctx->image_size);
	*entry = (struct guest_entry){
		.mode = GUEST_REAL_MODE,
		.kind = VM_KIND_FLAT,
		.rip = GUEST_RESET_IP,
	};
	return 0;
}
