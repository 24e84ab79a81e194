/* Multiboot v1/v2 boot information, copied into struct boot_info. */
#include "guests/lib/boot.h"
#include "guests/lib/report.h"
#include "guests/lib/serial.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"

static struct boot_info boot_info;
uint32_t boot_info_addr;

/* Copies a loader string, reporting one that does not fit. */
static void copy_cmdline(struct boot_info *bi, const char *s)
{
	size_t len = strlen(s);

	if (len >= sizeof(bi->cmdline)) {
		fail("command line longer than %u bytes", BOOT_CMDLINE_MAX - 1);
		len = sizeof(bi->cmdline) - 1;
	}
	memcpy(bi->cmdline, s, len);
	bi->cmdline[len] = '\0';
}

/* Appends one memory range, reporting a map too long to keep. */
static void add_range(struct boot_info *bi, uint64_t base, uint64_t length, uint32_t type)
{
	if (bi->nr_ranges == BOOT_MAX_RANGES) {
		fail("memory map has more than %u ranges", BOOT_MAX_RANGES);
		return;
	}
	bi->ranges[bi->nr_ranges++] = (struct mem_range){ base, length, type };
}

static void parse_mb1(struct boot_info *bi, const struct mb1_info *info)
{
	bi->multiboot_version = 1;
	if (info->flags & MB1_INFO_CMDLINE)
		copy_cmdline(bi, (const char *)(uintptr_t)info->cmdline);
	if (!(info->flags & MB1_INFO_MEM_MAP))
		return;
	for (uint32_t off = 0; off + sizeof(struct mb1_mmap_entry) <= info->mmap_length;) {
		const struct mb1_mmap_entry *e =
			(const void *)(uintptr_t)(info->mmap_addr + off);

		/* size counts the bytes after itself: at least the 20 we read. */
		if (e->size < sizeof(*e) - sizeof(e->size)) {
			fail("multiboot memory map entry of size %u", e->size);
			return;
		}
		add_range(bi, e->base_addr, e->length, e->type);
		off += e->size + sizeof(e->size);
	}
}

static void parse_mb2_mmap(struct boot_info *bi, const struct mb2_tag_mmap *t)
{
	if (t->tag.size < sizeof(*t) || t->entry_size < sizeof(struct mb2_mmap_entry)) {
		fail("multiboot2 memory map tag of size %u, entries of %u",
		     t->tag.size, t->entry_size);
		return;
	}
	for (uint32_t off = sizeof(*t); off + t->entry_size <= t->tag.size;
	     off += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)((const char *)t + off);

		add_range(bi, e->base_addr, e->length, e->type);
	}
}

static void parse_mb2(struct boot_info *bi, const struct mb2_info_header *info)
{
	const char *end = (const char *)info + info->total_size;
	const char *p = (const char *)(info + 1);

	bi->multiboot_version = 2;
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END)
			return;
		if (tag->size < sizeof(*tag) || tag->size > (size_t)(end - p)) {
			fail("multiboot2 tag %u of size %u", tag->type, tag->size);
			return;
		}
		if (tag->type == MB2_TAG_CMDLINE)
			copy_cmdline(bi, ((const struct mb2_tag_string *)tag)->string);
		else if (tag->type == MB2_TAG_MMAP)
			parse_mb2_mmap(bi, (const void *)tag);
		p += ALIGN_UP(tag->size, MB2_TAG_ALIGN);
	}
	fail("multiboot2 information without an end tag");
}

void boot_main(uint32_t magic, uint32_t info)
{
	boot_info_addr = info;
	serial_init();
	trap_init();
	if (magic == MB1_BOOT_MAGIC) {
		parse_mb1(&boot_info, (const void *)(uintptr_t)info);
	} else if (magic == MB2_BOOT_MAGIC) {
		parse_mb2(&boot_info, (const void *)(uintptr_t)info);
	} else {
		fail("not started by a multiboot loader (eax=0x%x)", magic);
		report_exit();
	}
	guest_main(&boot_info);
	report_exit();
}

uint64_t boot_available_bytes(const struct boot_info *bi)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < bi->nr_ranges; i++)
		if (bi->ranges[i].type == BOOT_MEMORY_AVAILABLE)
			sum += bi->ranges[i].length;
	return sum;
}
