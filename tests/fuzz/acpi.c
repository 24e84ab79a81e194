/* ACPI discovery (drivers/acpi*.c) over a fake physical memory: the input's
 * first byte says how many RSDP bytes the loader copied and whether the
 * mapper fixes checksums (so mutations reach the MADT, FADT and DSDT
 * parsers behind them); the rest is physical memory from FAKE_BASE, the
 * RSDP at its start. Every view the mapper hands out is a copy of exactly
 * the bytes asked for, so any read past a mapped length is an ASan report. */
#include <stdlib.h>
#include <string.h>

#include "boot/mb2_info.h"
#include "drivers/acpi.h"
#include "tests/fuzz/fuzz.h"
#include "x86/acpi.h"

#define FAKE_BASE	0xe0000		/* where the seeds' tables lie (GUEST_ACPI_RSDP) */
#define FIX_CHECKSUMS	0x80
#define RSDP_CHECKSUM	8
#define RSDP_XCHECKSUM	32
#define SDT_CHECKSUM	9

struct fake_memory {
	const uint8_t *bytes;
	size_t size;
	bool fix_checksums;
	size_t views;
	void **view;		/* every copy handed out, freed after the parse */
};

/* Set the byte at `at` so that [p, p + len) sums to 0. */
static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = -sum;
}

/* The acpi_map_fn: a fresh copy of [pa, pa + len), or NULL outside memory. */
static const void *map(uint64_t pa, size_t len, void *ctx)
{
	struct fake_memory *mem = ctx;
	uint32_t length;
	uint8_t *view;

	if (pa < FAKE_BASE || pa - FAKE_BASE > mem->size || len > mem->size - (pa - FAKE_BASE))
		return NULL;
	mem->view = realloc(mem->view, (mem->views + 1) * sizeof(*mem->view));
	FUZZ_CHECK(mem->view);
	view = fuzz_copy(mem->bytes + (pa - FAKE_BASE), len);
	mem->view[mem->views++] = view;
	if (mem->fix_checksums && len > SDT_CHECKSUM && len >= sizeof(struct acpi_sdt_header)) {
		memcpy(&length, view + 4, sizeof(length));
		if (length == len)
			fix_checksum(view, len, SDT_CHECKSUM);
	}
	return view;
}

/* The RSDP the loader copied: `len` bytes, checksums fixed if asked. */
static uint8_t *rsdp_copy(const struct fake_memory *mem, size_t len)
{
	uint8_t *rsdp = fuzz_copy(mem->bytes, len);
	uint32_t length;

	if (mem->fix_checksums && len >= BOOT_RSDP_V1_LEN) {
		fix_checksum(rsdp, BOOT_RSDP_V1_LEN, RSDP_CHECKSUM);
		memcpy(&length, rsdp + 20, sizeof(length));
		if (len == BOOT_RSDP_MAX && length == len)
			fix_checksum(rsdp, len, RSDP_XCHECKSUM);
	}
	return rsdp;
}

/* Whether physical [pa, pa + 4) holds `sig`. */
static bool signature_at(const struct fake_memory *mem, uint64_t pa, const char *sig)
{
	return pa >= FAKE_BASE && pa - FAKE_BASE + 4 <= mem->size &&
	       !memcmp(mem->bytes + (pa - FAKE_BASE), sig, 4);
}

/* Every byte of [p, p + len) is 0. */
static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* The MADT summary: absent reads all zero, else bounded and no CPU twice. */
static void check_madt(const struct acpi_madt_info *m)
{
	if (!m->present) {
		FUZZ_CHECK(all_zero(m, sizeof(*m)));
		return;
	}
	FUZZ_CHECK(m->cpu_count <= ACPI_MAX_CPUS);
	FUZZ_CHECK(m->ioapic_count <= ACPI_MAX_IOAPICS);
	FUZZ_CHECK(m->override_count <= ACPI_MAX_OVERRIDES);
	for (size_t i = 0; i < m->cpu_count; i++)
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(m->apic_ids[i] != m->apic_ids[j]);
}

/* The FADT summary: absent reads all zero; a DSDT and _S5 only as found. */
static void check_fadt(const struct fake_memory *mem, const struct acpi_fadt_info *f)
{
	if (!f->present) {
		FUZZ_CHECK(all_zero(f, sizeof(*f)));
		return;
	}
	FUZZ_CHECK(!f->dsdt_address || signature_at(mem, f->dsdt_address, "DSDT"));
	FUZZ_CHECK(!f->s5_present || (f->dsdt_address && f->s5_slp_typa <= 7));
	FUZZ_CHECK(f->s5_present || !f->s5_slp_typa);
	FUZZ_CHECK(f->reset_port || !f->reset_value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	struct fake_memory mem;
	char err[128] = "";
	size_t rsdp_len;
	uint8_t *rsdp;

	if (size < 1)
		return 0;
	mem = (struct fake_memory){ .bytes = data + 1, .size = size - 1,
				    .fix_checksums = data[0] & FIX_CHECKSUMS };
	rsdp_len = MIN((size_t)(data[0] & 0x3f) % (BOOT_RSDP_MAX + 1), mem.size);
	rsdp = rsdp_copy(&mem, rsdp_len);
	if (!acpi_parse(rsdp, rsdp_len, map, &mem, &info, err, sizeof(err))) {
		FUZZ_CHECK(info.revision == rsdp[15]);
		check_madt(&info.madt);
		check_fadt(&mem, &info.fadt);
	} else {
		FUZZ_CHECK(err[0]);
	}
	for (size_t i = 0; i < mem.views; i++)
		free(mem.view[i]);
	free(mem.view);
	free(rsdp);
	return 0;
}
