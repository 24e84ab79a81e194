/* Guest loader entry point: check what the caller passed, then hand the
 * image to the Linux, multiboot or flat loader. */
#include <stdarg.h>
#include <stdio.h>

#include "hv/load/guest_image.h"

void guest_report(const struct guest_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int used;

	used = snprintf(ctx->err, ctx->errlen, "guest_load: ");
	if (used >= 0 && (size_t)used < ctx->errlen) {
		va_start(ap, fmt);
		vsnprintf(ctx->err + used, ctx->errlen - used, fmt, ap);
		va_end(ap);
	}
}

/* Checks on the request itself, before any image byte is looked at. */
static int check_request(const struct guest_ctx *ctx, const struct guest_kernel *kernel)
{
	size_t i;

	if (ctx->ram->size < GUEST_RAM_MIN || !IS_ALIGNED(ctx->ram->size, GUEST_PAGE))
		return guest_fail(ctx, "guest RAM size 0x%llx is not a 4 KiB multiple of at least 2 MiB",
				  (unsigned long long)ctx->ram->size);
	if (!guest_ram_layout_valid(ctx->ram))
		return guest_fail(ctx, "guest RAM pieces do not cover its %llu MiB in order",
				  (unsigned long long)(ctx->ram->size >> 20));
	if (!kernel->image || !kernel->image_size)
		return guest_fail(ctx, "empty kernel image");
	if (kernel->image_size > ctx->ram_size)
		return guest_fail(ctx, "image of %zu KiB is larger than guest RAM (%llu MiB)",
				  kernel->image_size >> 10,
				  (unsigned long long)(ctx->ram_size >> 20));
	if (kernel->module_count > GUEST_MODULES_MAX)
		return guest_fail(ctx, "%zu modules, at most %d supported",
				  kernel->module_count, GUEST_MODULES_MAX);
	for (i = 0; i < kernel->module_count; i++)
		if (!kernel->modules[i].data || !kernel->modules[i].size)
			return guest_fail(ctx, "module %zu is empty", i);
	return 0;
}

int guest_load(const struct guest_ram *ram, const struct guest_kernel *kernel,
	       struct guest_entry *entry, char *err, size_t errlen)
{
	const struct guest_ctx ctx = {
		.ram = ram,
		.ram_size = guest_ram_low(ram->size),
		.image = kernel->image,
		.image_size = kernel->image_size,
		.err = err,
		.errlen = errlen,
	};

	if (check_request(&ctx, kernel))
		return -1;
	switch (kernel->kind) {
	case VM_KIND_AUTO:
		if (guest_linux_detect(ctx.image, ctx.image_size))
			return guest_load_linux(&ctx, kernel, entry);
		return guest_load_multiboot(&ctx, kernel, entry);
	case VM_KIND_MULTIBOOT:
	case VM_KIND_MULTIBOOT2:
		return guest_load_multiboot(&ctx, kernel, entry);
	case VM_KIND_FLAT:
		return guest_load_flat(&ctx, kernel, entry);
	case VM_KIND_LINUX:
		return guest_load_linux(&ctx, kernel, entry);
	}
	return guest_fail(&ctx, "unknown kernel kind %u", kernel->kind);
}
