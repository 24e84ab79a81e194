/* The guest loader targets' harness (guest_ram_fuzz.h). Guest RAM lives in
 * one reserved arena: each exec lays its pieces out with an inaccessible
 * page after each, and afterwards drops every page again, so the next
 * exec starts from zeroed RAM and mincore() tells whether a refused load
 * touched any of it. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "boot/mb2_info.h"
#include "hv/load/guest_image.h"
#include "hv/load/linux_boot.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/guest_ram_fuzz.h"

#define RAM_MAX		MiB(32)
#define PIECE_UNIT	KiB(16)
#define PIECES_MAX	64
#define PAGE		KiB(4)
#define ARENA_SIZE	(RAM_MAX + (PIECES_MAX + 1) * PAGE)
#define MODULES_MAX	3
#define STRING_MAX	256
#define MODULE_UNIT	97		/* module i has (module_size + 1) * (i + 1) units */
#define INITRD_UNIT	131		/* the initrd (module_size + 1) units */
#define PATTERN_SIZE	(256 * MODULE_UNIT * MODULES_MAX + MODULES_MAX)	/* all module bytes */
#define INFO_MAX	KiB(64)		/* more boot information than any request makes */
#define MB_ENTRY_MIN	PAGE		/* the first page is never a segment */

static uint8_t *arena;
static struct guest_ram_piece pieces[PIECES_MAX];
static struct guest_ram ram;
static uint8_t pattern[PATTERN_SIZE];

/* The request the input describes, around its image. */
struct request {
	struct guest_kernel kernel;
	struct guest_module modules[MODULES_MAX];
	char cmdline[STRING_MAX];
	char strings[MODULES_MAX][STRING_MAX];
};

/* `len` characters of `text` repeated, NUL-terminated, into out. */
static void repeat_text(char *out, size_t len, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i < len; i++)
		out[i] = text[i % n];
	out[len] = '\0';
}

/* The request `cfg` describes around `image`, in *r. */
static void request_build(const struct load_config *cfg, const uint8_t *image, size_t size,
			  enum vm_kind kind, struct request *r)
{
	size_t count = (cfg->flags >> LOAD_MODULES_SHIFT) % (MODULES_MAX + 1);

	repeat_text(r->cmdline, cfg->cmdline_len, "console=ttyS0 quiet x=\"a b\" ");
	r->kernel = (struct guest_kernel){
		.kind = cfg->flags & LOAD_AUTO ? VM_KIND_AUTO : kind,
		.image = image,
		.image_size = size,
		.cmdline = cfg->flags & LOAD_NULL_CMDLINE ? NULL : r->cmdline,
		.modules = r->modules,
		.module_count = count,
	};
	/* Module 1's string is NULL, which the loaders give the guest as "". */
	for (size_t i = 0; i < count; i++) {
		repeat_text(r->strings[i], cfg->string_len, "module ");
		r->modules[i] = (struct guest_module){ pattern + i,
						       (cfg->module_size + 1) * MODULE_UNIT * (i + 1),
						       i == 1 ? NULL : r->strings[i] };
	}
	if (cfg->flags & LOAD_INITRD) {
		r->kernel.initrd = pattern + MODULES_MAX;
		r->kernel.initrd_size = (cfg->module_size + 1) * INITRD_UNIT;
	}
}

/* Lay RAM out as the configuration says: piece sizes cycled, a guard page
 * after each, the last piece taking what is left. */
static void ram_layout(const struct load_config *cfg)
{
	uint64_t size = (cfg->ram % 16 + 1) * MiB(2), offset = 0;
	uint8_t *host = arena;
	size_t n = 0;

	while (offset < size) {
		uint64_t bytes = (cfg->piece[n % 3] + 1) * PIECE_UNIT;

		if (n == PIECES_MAX - 1 || bytes > size - offset)
			bytes = size - offset;
		if (mprotect(host, bytes, PROT_READ | PROT_WRITE))
			abort();
		pieces[n++] = (struct guest_ram_piece){ offset, bytes, host };
		host += bytes + PAGE;
		offset += bytes;
	}
	ram = (struct guest_ram){ size, n, pieces };
}

/* Drop every page written and make the whole arena inaccessible again. */
static void ram_release(void)
{
	if (madvise(arena, ARENA_SIZE, MADV_DONTNEED) || mprotect(arena, ARENA_SIZE, PROT_NONE))
		abort();
}

/* No page of any piece was touched since ram_layout(). */
static bool ram_untouched(void)
{
	static unsigned char resident[RAM_MAX / PAGE];

	for (size_t i = 0; i < ram.nr_pieces; i++) {
		size_t pages = pieces[i].bytes / PAGE;

		if (mincore(pieces[i].host, pieces[i].bytes, resident))
			abort();
		for (size_t p = 0; p < pages; p++)
			if (resident[p] & 1)
				return false;
	}
	return true;
}

/* Guest-physical [gpa, gpa + len) into buf; false unless all of it is RAM
 * below the PCI hole (all a loader may place things in). */
static bool ram_read(uint64_t gpa, void *buf, uint64_t len)
{
	uint8_t *out = buf;

	if (gpa > ram.size || len > ram.size - gpa)
		return false;
	for (size_t i = 0; i < ram.nr_pieces && len; i++) {
		const struct guest_ram_piece *p = &pieces[i];
		uint64_t n;

		if (gpa < p->gpa || gpa - p->gpa >= p->bytes)
			continue;
		n = MIN(len, p->bytes - (gpa - p->gpa));
		memcpy(out, p->host + (gpa - p->gpa), n);
		out += n;
		gpa += n;
		len -= n;
	}
	return !len;
}

/* RAM at gpa holds exactly `len` bytes of `data`. */
static bool ram_equal(uint64_t gpa, const void *data, uint64_t len)
{
	uint8_t *copy = malloc(MAX(len, 1));
	bool same = ram_read(gpa, copy, len) && !memcmp(copy, data, len);

	free(copy);
	return same;
}

/* RAM at gpa holds the C string `s`, its NUL included. */
static bool ram_string(uint64_t gpa, const char *s)
{
	return ram_equal(gpa, s ? s : "", strlen(s ? s : "") + 1);
}

/* Module i of the request lies at [start, end) in RAM. */
static void check_module(const struct guest_kernel *k, size_t i, uint64_t start, uint64_t end)
{
	FUZZ_CHECK(i < k->module_count);
	FUZZ_CHECK(start >= GUEST_HIGH_RAM_START && start < end);
	FUZZ_CHECK(end - start == k->modules[i].size);
	FUZZ_CHECK(ram_equal(start, k->modules[i].data, k->modules[i].size));
}

/* The multiboot2 information at gpa: the hypervisor's own parser accepts
 * it, and it gives the command line and modules asked for. */
static void check_mb2_info(const struct guest_kernel *k, uint64_t gpa)
{
	static struct boot_info bi;
	struct boot_module m;
	size_t cursor = 0, i = 0;
	char err[128];
	uint32_t total;
	uint8_t *info;

	FUZZ_CHECK(ram_read(gpa, &total, sizeof(total)) && total <= INFO_MAX);
	info = malloc(MAX(total, sizeof(struct mb2_info_header)));
	FUZZ_CHECK(ram_read(gpa, info, total));
	FUZZ_CHECK(!mb2_parse(info, &bi, err, sizeof(err)));
	FUZZ_CHECK(!strcmp(bi.cmdline, k->cmdline ? k->cmdline : ""));
	FUZZ_CHECK(bi.module_count == k->module_count);
	for (; mb2_next_module(&bi, &cursor, &m); i++) {
		check_module(k, i, m.start, m.end);
		FUZZ_CHECK(!strcmp(m.string, k->modules[i].string ? k->modules[i].string : ""));
	}
	free(info);
}

/* The multiboot1 information at gpa: command line and modules. */
static void check_mb1_info(const struct guest_kernel *k, uint64_t gpa)
{
	struct mb1_info info;

	FUZZ_CHECK(ram_read(gpa, &info, sizeof(info)));
	FUZZ_CHECK(ram_string(info.cmdline, k->cmdline));
	FUZZ_CHECK(info.mods_count == k->module_count);
	for (size_t i = 0; i < info.mods_count; i++) {
		struct mb1_module m;

		FUZZ_CHECK(ram_read(info.mods_addr + i * sizeof(m), &m, sizeof(m)));
		check_module(k, i, m.mod_start, m.mod_end);
		FUZZ_CHECK(ram_string(m.string, k->modules[i].string));
	}
}

/* The little-endian u32 at p + off. */
static uint32_t get_u32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* A Linux load: the protected-mode part at rip, the zero page at rsi with
 * the command line and initrd it points to. */
static void check_linux(const struct guest_kernel *k, const struct guest_entry *e)
{
	const uint8_t *image = k->image;
	uint64_t setup = (uint64_t)((image[LINUX_SETUP_SECTS] ? image[LINUX_SETUP_SECTS] : 4) + 1) * 512;
	uint8_t zp[LINUX_ZERO_PAGE_SIZE];

	FUZZ_CHECK(e->mode == GUEST_PROTECTED_FLAT);
	FUZZ_CHECK(e->rip >= LINUX_DEFAULT_LOAD);
	FUZZ_CHECK(ram_equal(e->rip, image + setup, k->image_size - setup));
	FUZZ_CHECK(ram_read(e->rsi, zp, sizeof(zp)));
	FUZZ_CHECK(ram_string(get_u32(zp, LINUX_CMD_LINE_PTR), k->cmdline));
	FUZZ_CHECK(get_u32(zp, LINUX_RAMDISK_SIZE) == k->initrd_size);
	FUZZ_CHECK(!k->initrd_size ||
		   ram_equal(get_u32(zp, LINUX_RAMDISK_IMAGE), k->initrd, k->initrd_size));
	FUZZ_CHECK(zp[LINUX_E820_ENTRIES] >= 1 && zp[LINUX_E820_ENTRIES] <= GUEST_MEMMAP_MAX);
}

/* An accepted load: entered as its kind says, everything where it says. */
static void check_loaded(const struct guest_kernel *k, const struct guest_entry *e)
{
	FUZZ_CHECK(e->kind != VM_KIND_AUTO);
	FUZZ_CHECK(k->kind == VM_KIND_AUTO || e->kind == k->kind);
	switch (e->kind) {
	case VM_KIND_FLAT:
		FUZZ_CHECK(e->mode == GUEST_REAL_MODE && e->rip == GUEST_RESET_IP);
		FUZZ_CHECK(k->image_size <= GUEST_FLAT_MAX);
		FUZZ_CHECK(ram_equal(GUEST_HIGH_RAM_START - k->image_size, k->image, k->image_size));
		break;
	case VM_KIND_MULTIBOOT:
	case VM_KIND_MULTIBOOT2:
		FUZZ_CHECK(e->mode == GUEST_PROTECTED_FLAT);
		FUZZ_CHECK(e->rip >= MB_ENTRY_MIN && e->rip < guest_ram_low(ram.size));
		FUZZ_CHECK(e->rax == (e->kind == VM_KIND_MULTIBOOT ? MB1_BOOT_MAGIC : MB2_BOOT_MAGIC));
		if (e->kind == VM_KIND_MULTIBOOT)
			check_mb1_info(k, e->rbx);
		else
			check_mb2_info(k, e->rbx);
		break;
	case VM_KIND_LINUX:
		check_linux(k, e);
		break;
	case VM_KIND_AUTO:
		break;
	}
}

int fuzz_guest_load(const uint8_t *data, size_t size, enum vm_kind kind)
{
	struct load_config cfg;
	struct guest_entry entry;
	struct request r;
	char err[256] = "";

	if (size < sizeof(cfg))
		return -1;
	if (!arena) {
		arena = mmap(NULL, ARENA_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			     -1, 0);
		if (arena == MAP_FAILED)
			abort();
		for (size_t i = 0; i < sizeof(pattern); i++)
			pattern[i] = (uint8_t)(i * 7 + 3);
	}
	memcpy(&cfg, data, sizeof(cfg));
	request_build(&cfg, data + sizeof(cfg), size - sizeof(cfg), kind, &r);
	ram_layout(&cfg);
	if (guest_load(&ram, &r.kernel, &entry, err, sizeof(err))) {
		FUZZ_CHECK(!strncmp(err, "guest_load: ", 12));
		FUZZ_CHECK(ram_untouched());
	} else {
		check_loaded(&r.kernel, &entry);
	}
	ram_release();
	return 0;
}
