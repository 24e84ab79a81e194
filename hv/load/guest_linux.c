/* Linux bzImage kernels by the x86 boot protocol: check the setup header,
 * place the protected-mode kernel, the initrd and the command line, build
 * the zero page, and enter through the 32-bit protocol (flat protected
 * mode, paging off, ESI = the zero page). Nothing is written into guest
 * RAM until every check has passed. */
#include <string.h>

#include "hv/load/guest_image.h"
#include "hv/load/linux_boot.h"

#define ZERO_PAGE_ADDR	0x7000	/* below 640 KiB, like the usual loaders' */
#define CMDLINE_ADDR	0x8000	/* up to the end of low RAM */

/* What the loader takes from the setup header. */
struct linux_header {
	unsigned version;
	uint64_t setup_size;	/* real-mode part, header included */
	uint64_t kernel_size;	/* protected-mode part */
	uint64_t load_addr;
	uint64_t init_size;
	uint64_t initrd_top;	/* one past the highest byte an initrd may use */
	uint64_t cmdline_max;	/* bytes, NUL excluded */
	size_t header_len;	/* bytes from LINUX_SETUP_SECTS to copy */
};

/* Where everything goes. */
struct linux_layout {
	uint64_t initrd_addr;
	size_t cmdline_len;
};

static uint32_t get_u32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint16_t get_u16(const uint8_t *p, size_t off)
{
	uint16_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint64_t get_u64(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

bool guest_linux_detect(const uint8_t *image, size_t size)
{
	return size >= LINUX_INIT_SIZE + 4 && get_u32(image, LINUX_HEADER) == LINUX_HDRS_MAGIC &&
	       get_u16(image, LINUX_BOOT_FLAG) == LINUX_BOOT_FLAG_MAGIC;
}

/* The load address: a relocatable kernel's preferred one (aligned as it
 * asks), else 1 MiB. */
static int header_load_addr(const struct guest_ctx *ctx, struct linux_header *h)
{
	const uint8_t *img = ctx->image;
	uint32_t align = get_u32(img, LINUX_KERNEL_ALIGNMENT);

	h->load_addr = LINUX_DEFAULT_LOAD;
	if (!img[LINUX_RELOCATABLE] || h->version < LINUX_PROTOCOL_SIZES)
		return 0;
	if (!align || (align & (align - 1)))
		return guest_fail(ctx, "bzImage kernel_alignment 0x%x is not a power of two", align);
	h->load_addr = get_u64(img, LINUX_PREF_ADDRESS);
	if (h->load_addr < LINUX_DEFAULT_LOAD || !IS_ALIGNED(h->load_addr, align))
		return guest_fail(ctx, "bzImage pref_address 0x%llx is below 1 MiB or not %u-aligned",
				  (unsigned long long)h->load_addr, align);
	return 0;
}

/* MiB of RAM from 0 that holds [base, base + len), for any base (no sum
 * that could wrap). */
static uint64_t mib_to_hold(uint64_t base, uint64_t len)
{
	return (base >> 20) + (((base & (MiB(1) - 1)) + len + MiB(1) - 1) >> 20);
}

/* Decode and check every setup header field the loader uses. */
static int header_parse(const struct guest_ctx *ctx, struct linux_header *h)
{
	const uint8_t *img = ctx->image;
	unsigned sects;

	if (!guest_linux_detect(img, ctx->image_size))
		return guest_fail(ctx, "not a bzImage: no \"HdrS\" setup header at 0x202");
	h->version = get_u16(img, LINUX_VERSION);
	if (h->version < LINUX_PROTOCOL_MIN)
		return guest_fail(ctx, "Linux boot protocol %u.%02u is too old (2.06 or later needed)",
				  h->version >> 8, h->version & 0xff);
	if (!(img[LINUX_LOADFLAGS] & LINUX_LOADED_HIGH))
		return guest_fail(ctx, "a zImage (loadflags LOADED_HIGH clear): only bzImage kernels load");
	sects = img[LINUX_SETUP_SECTS] ? img[LINUX_SETUP_SECTS] : 4;
	h->setup_size = (uint64_t)(sects + 1) * 512;
	h->header_len = LINUX_HEADER + img[LINUX_HEADER_END] - LINUX_SETUP_SECTS;
	if (h->setup_size >= ctx->image_size || LINUX_SETUP_SECTS + h->header_len > h->setup_size)
		return guest_fail(ctx, "bzImage of %zu bytes ends inside its %u setup sectors",
				  ctx->image_size, sects);
	h->kernel_size = ctx->image_size - h->setup_size;
	if ((uint64_t)get_u32(img, LINUX_SYSSIZE) * 16 > h->kernel_size)
		return guest_fail(ctx, "truncated bzImage: %llu bytes of kernel, the header says %llu",
				  (unsigned long long)h->kernel_size,
				  (unsigned long long)get_u32(img, LINUX_SYSSIZE) * 16);
	if (header_load_addr(ctx, h))
		return -1;
	h->init_size = h->version >= LINUX_PROTOCOL_SIZES ? get_u32(img, LINUX_INIT_SIZE) : 0;
	h->init_size = MAX(h->init_size, h->kernel_size);
	h->initrd_top = (uint64_t)get_u32(img, LINUX_INITRD_ADDR_MAX) + 1;
	h->cmdline_max = get_u32(img, LINUX_CMDLINE_SIZE);
	/* Two checks, not one sum: a pref_address near 2^64 would wrap it. */
	if (h->load_addr > ctx->ram_size || h->init_size > ctx->ram_size - h->load_addr)
		return guest_fail(ctx, "the kernel needs guest RAM up to %llu MiB (0x%llx + init_size 0x%llx), the VM has %llu MiB",
				  (unsigned long long)mib_to_hold(h->load_addr, h->init_size),
				  (unsigned long long)h->load_addr, (unsigned long long)h->init_size,
				  (unsigned long long)(ctx->ram_size >> 20));
	return 0;
}

/* The initrd as high as the kernel allows, above what the kernel needs;
 * the command line in low RAM. */
static int layout(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		  const struct linux_header *h, struct linux_layout *l)
{
	uint64_t kernel_end = ALIGN_UP(h->load_addr + h->init_size, GUEST_PAGE);
	uint64_t top = MIN(ctx->ram_size, h->initrd_top);
	const char *cmdline = kernel->cmdline ? kernel->cmdline : "";

	l->cmdline_len = strlen(cmdline);
	if (l->cmdline_len > h->cmdline_max || l->cmdline_len >= GUEST_LOW_RAM_END - CMDLINE_ADDR)
		return guest_fail(ctx, "command line of %zu bytes is longer than the kernel's %llu",
				  l->cmdline_len, (unsigned long long)h->cmdline_max);
	l->initrd_addr = 0;
	if (!kernel->initrd_size)
		return 0;
	if (top < kernel_end || kernel->initrd_size > top - kernel_end)
		return guest_fail(ctx, "initrd of %zu KiB does not fit between the kernel's end (0x%llx) and 0x%llx",
				  (kernel->initrd_size + 1023) >> 10, (unsigned long long)kernel_end,
				  (unsigned long long)top);
	l->initrd_addr = ALIGN_DOWN(top - kernel->initrd_size, GUEST_PAGE);
	return 0;
}

static void put_u32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

/* The zero page: the image's setup header, what the loader chose, and the
 * memory map. */
static void zero_page_build(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
			    const struct linux_header *h, const struct linux_layout *l,
			    uint8_t zp[LINUX_ZERO_PAGE_SIZE])
{
	struct guest_region map[GUEST_MEMMAP_MAX];
	size_t entries = guest_memory_map(ctx->ram->size, map);

	memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
	memcpy(zp + LINUX_SETUP_SECTS, ctx->image + LINUX_SETUP_SECTS, h->header_len);
	zp[LINUX_TYPE_OF_LOADER] = LINUX_LOADER_UNKNOWN;
	put_u32(zp, LINUX_CODE32_START, (uint32_t)h->load_addr);
	put_u32(zp, LINUX_CMD_LINE_PTR, CMDLINE_ADDR);
	put_u32(zp, LINUX_RAMDISK_IMAGE, (uint32_t)l->initrd_addr);
	put_u32(zp, LINUX_RAMDISK_SIZE, (uint32_t)kernel->initrd_size);
	put_u32(zp, LINUX_ACPI_RSDP_ADDR, GUEST_ACPI_RSDP);	/* the high half stays 0 */
	for (size_t i = 0; i < entries; i++) {
		struct linux_e820_entry e = { map[i].base, map[i].length, map[i].type };

		memcpy(zp + LINUX_E820_TABLE + i * sizeof(e), &e, sizeof(e));
	}
	zp[LINUX_E820_ENTRIES] = (uint8_t)entries;
}

int guest_load_linux(const struct guest_ctx *ctx, const struct guest_kernel *kernel,
		     struct guest_entry *entry)
{
	uint8_t zero_page[LINUX_ZERO_PAGE_SIZE];
	struct linux_header h;
	struct linux_layout l;

	if (kernel->module_count)
		return guest_fail(ctx, "a Linux kernel takes no role=module lines (role=initrd gives it an initrd)");
	if (header_parse(ctx, &h) || layout(ctx, kernel, &h, &l))
		return -1;
	guest_ram_write(ctx->ram, h.load_addr, ctx->image + h.setup_size, h.kernel_size);
	if (kernel->initrd_size)
		guest_ram_write(ctx->ram, l.initrd_addr, kernel->initrd, kernel->initrd_size);
	guest_ram_write(ctx->ram, CMDLINE_ADDR, kernel->cmdline ? kernel->cmdline : "",
			l.cmdline_len);
	guest_ram_write(ctx->ram, CMDLINE_ADDR + l.cmdline_len, NULL, 1);
	zero_page_build(ctx, kernel, &h, &l, zero_page);
	guest_ram_write(ctx->ram, ZERO_PAGE_ADDR, zero_page, sizeof(zero_page));
	*entry = (struct guest_entry){
		.mode = GUEST_PROTECTED_FLAT,
		.kind = VM_KIND_LINUX,
		.rip = h.load_addr,
		.rsi = ZERO_PAGE_ADDR,
	};
	return 0;
}
