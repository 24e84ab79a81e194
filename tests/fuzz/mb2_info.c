/* Multiboot2 information (boot/mb2_info.c) as GRUB would hand it over: the
 * input is the block, its total_size field bounding what may be read. An
 * accepted block must give a summary that stays inside it. */
#include <stdlib.h>
#include <string.h>

#include "boot/mb2_info.h"
#include "lib/multiboot2.h"
#include "tests/fuzz/fuzz.h"

/* A C string that starts and ends (NUL included) inside the block. */
static void check_string(const struct boot_info *bi, const char *s)
{
	uint64_t at = (uintptr_t)s;

	FUZZ_CHECK(at >= bi->info_start && at < bi->info_end);
	FUZZ_CHECK(memchr(s, '\0', bi->info_end - at));
}

/* A block mb2_parse() took: its summary stays inside it. */
static void check_accepted(const struct boot_info *bi, uint32_t total)
{
	struct boot_module m;
	size_t cursor = 0, modules = 0;

	FUZZ_CHECK(bi->info_end - bi->info_start == total);
	FUZZ_CHECK(bi->mem_tag == MB2_TAG_MMAP || bi->mem_tag == MB2_TAG_EFI_MMAP);
	FUZZ_CHECK(bi->mem_count <= BOOT_MAX_MEMMAP);
	for (size_t i = 0; i < bi->mem_count; i++)
		FUZZ_CHECK(bi->mem[i].length <= UINT64_MAX - bi->mem[i].base);
	if (bi->cmdline[0])
		check_string(bi, bi->cmdline);
	if (bi->loader_name)
		check_string(bi, bi->loader_name);
	for (size_t i = 0; i < BOOT_RSDP_TAGS; i++)
		FUZZ_CHECK(bi->rsdp[i].len <= BOOT_RSDP_MAX);
	while (mb2_next_module(bi, &cursor, &m)) {
		FUZZ_CHECK(cursor <= total);
		FUZZ_CHECK(m.start < m.end);
		check_string(bi, m.string);
		modules++;
	}
	FUZZ_CHECK(modules == bi->module_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	char err[128] = "";
	uint8_t *block;
	uint32_t total;

	if (size < sizeof(struct mb2_info_header))
		return 0;
	memcpy(&total, data, sizeof(total));
	if (total > size)	/* the caller maps total_size bytes: no more exist */
		return -1;
	/* The header itself is always read, whatever total_size claims. */
	block = fuzz_copy(data, MAX(total, sizeof(struct mb2_info_header)));
	if (!mb2_parse(block, &bi, err, sizeof(err)))
		check_accepted(&bi, total);
	else
		FUZZ_CHECK(err[0]);
	free(block);
	return 0;
}
