/* ACPI parser: a small firmware image (RSDP, XSDT, RSDT, MADT, FADT, DSDT)
 * built in a fake physical memory, then broken one way per test. The map
 * callback returns an exactly-sized heap copy of each range, so
 * AddressSanitizer catches any read past what the parser asked to map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/acpi.h"
#include "drivers/acpi_tables.h"
#include "tests/unit/host.h"

#define MEM_BASE	0xe0000ull
#define MEM_SIZE	0x10000
#define XSDT_PA		0xe0000
#define RSDT_PA		0xe0800
#define FADT_PA		0xe1000
#define DSDT_PA		0xe2000
#define SSDT_PA		0xe3000
#define MADT_PA		0xe4000	/* last: room for large MADTs */
#define OUTSIDE_PA	0x100000

static uint8_t mem[MEM_SIZE];
static struct acpi_rsdp rsdp;
static struct acpi_info info;
static char err[160];
static void *mappings[512];
static size_t mapping_count;

static void *at(uint64_t pa)
{
	return mem + (pa - MEM_BASE);
}

static const void *map_copy(uint64_t pa, size_t len, void *ctx)
{
	void *copy;

	if (pa < MEM_BASE || len > MEM_SIZE || pa - MEM_BASE > MEM_SIZE - len)
		return NULL;
	assert_true(mapping_count < ARRAY_SIZE(mappings));
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, at(pa), len);
	mappings[mapping_count++] = copy;
	return copy;
}

static uint8_t byte_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* Fix the checksum of the table at pa after its bytes changed. */
static void seal(uint64_t pa)
{
	struct acpi_sdt_header *h = at(pa);

	h->checksum = 0;
	h->checksum = -byte_sum(h, h->length);
}

static void seal_rsdp(void)
{
	rsdp.checksum = 0;
	rsdp.checksum = -byte_sum(&rsdp, 20);
	rsdp.extended_checksum = 0;
	rsdp.extended_checksum = -byte_sum(&rsdp, sizeof(rsdp));
}

static struct acpi_sdt_header *new_table(uint64_t pa, const char *sig, uint32_t len)
{
	struct acpi_sdt_header *h = at(pa);

	memset(h, 0, len);
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = 1;
	memcpy(h->oem_id, "HVTEST", 6);
	return h;
}

/* Append raw bytes to the table at pa (checksum left stale). */
static void append(uint64_t pa, const void *bytes, size_t len)
{
	struct acpi_sdt_header *h = at(pa);

	assert_true(pa - MEM_BASE + h->length + len <= MEM_SIZE);
	memcpy((uint8_t *)h + h->length, bytes, len);
	h->length += len;
}

static void madt_lapic(uint8_t apic_id, uint32_t flags)
{
	struct acpi_madt_lapic e = { { ACPI_MADT_LAPIC, sizeof(e) }, apic_id, apic_id, flags };

	append(MADT_PA, &e, sizeof(e));
}

static void madt_x2apic(uint32_t apic_id, uint32_t flags)
{
	struct acpi_madt_x2apic e = { { ACPI_MADT_X2APIC, sizeof(e) }, 0, apic_id, flags, apic_id };

	append(MADT_PA, &e, sizeof(e));
}

static void madt_ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
	struct acpi_madt_ioapic e = { { ACPI_MADT_IOAPIC, sizeof(e) }, id, 0, address, gsi_base };

	append(MADT_PA, &e, sizeof(e));
}

static void madt_override(uint8_t source, uint32_t gsi, uint16_t flags)
{
	struct acpi_madt_irq_override e = { { ACPI_MADT_IRQ_OVERRIDE, sizeof(e) }, 0, source, gsi, flags };

	append(MADT_PA, &e, sizeof(e));
}

/* Point the root table at pa to these tables (entry_size 8: XSDT, 4: RSDT). */
static void set_root(uint64_t pa, const char *sig, size_t entry_size,
		     const uint64_t *tables, size_t n)
{
	size_t i;

	new_table(pa, sig, sizeof(struct acpi_sdt_header));
	for (i = 0; i < n; i++)
		append(pa, &tables[i], entry_size);
	seal(pa);
}

/* Name (\_S5_, Package (4) { 5, 5, 0, 0 }) after a reference that is no declaration. */
static const uint8_t default_aml[] = {
	0x70, '_', 'S', '5', '_', 0x60,
	0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
	0xa3,
};

static void build_fadt(uint32_t len)
{
	struct acpi_fadt *f = (void *)new_table(FADT_PA, "FACP", len);

	f->dsdt = OUTSIDE_PA;		/* the 64-bit X_DSDT must win */
	f->pm1a_cnt_blk = 0xb004;
	f->pm_tmr_blk = 0xb008;
	f->flags = ACPI_FADT_TMR_VAL_EXT;
	if (len > offsetof(struct acpi_fadt, reset_value)) {
		f->flags |= ACPI_FADT_RESET_REG_SUP;
		f->reset_reg = (struct acpi_gas){ ACPI_SPACE_IO, 8, 0, 1, 0xcf9 };
		f->reset_value = 6;
	}
	if (len >= offsetof(struct acpi_fadt, x_pm_tmr_blk) + sizeof(f->x_pm_tmr_blk)) {
		f->x_dsdt = DSDT_PA;
		f->x_pm1a_cnt_blk = (struct acpi_gas){ ACPI_SPACE_IO, 16, 0, 2, 0x604 };
		f->x_pm_tmr_blk = (struct acpi_gas){ ACPI_SPACE_IO, 32, 0, 3, 0x608 };
	} else {
		f->dsdt = DSDT_PA;
	}
	seal(FADT_PA);
}

static int setup(void **state)
{
	static const uint64_t xsdt_tables[] = { FADT_PA, SSDT_PA, MADT_PA };
	static const uint64_t rsdt_tables[] = { MADT_PA };

	memset(mem, 0xee, sizeof(mem));
	memset(&info, 0x5a, sizeof(info));
	memset(err, 0, sizeof(err));
	host_last_log[0] = '\0';

	set_root(XSDT_PA, "XSDT", 8, xsdt_tables, ARRAY_SIZE(xsdt_tables));
	set_root(RSDT_PA, "RSDT", 4, rsdt_tables, ARRAY_SIZE(rsdt_tables));
	build_fadt(244);
	new_table(DSDT_PA, "DSDT", sizeof(struct acpi_sdt_header));
	append(DSDT_PA, default_aml, sizeof(default_aml));
	seal(DSDT_PA);
	new_table(SSDT_PA, "SSDT", 40);
	seal(SSDT_PA);

	new_table(MADT_PA, "APIC", sizeof(struct acpi_madt));
	((struct acpi_madt *)at(MADT_PA))->lapic_address = 0xfee00000;
	((struct acpi_madt *)at(MADT_PA))->flags = ACPI_MADT_PCAT_COMPAT;
	madt_lapic(0, ACPI_MADT_ENABLED);
	madt_lapic(1, ACPI_MADT_ENABLED);
	madt_lapic(2, 0);				/* disabled */
	madt_lapic(3, ACPI_MADT_ONLINE_CAPABLE);
	madt_lapic(0xff, ACPI_MADT_ENABLED);		/* placeholder */
	madt_ioapic(4, 0xfec00000, 0);
	append(MADT_PA, (uint8_t[]){ 4, 6, 0xff, 0, 0, 1 }, 6);	/* NMI: ignored */
	madt_override(0, 2, 0);
	madt_override(9, 9, 0xd);
	madt_x2apic(0x100, ACPI_MADT_ENABLED);
	madt_x2apic(1, ACPI_MADT_ENABLED);		/* already listed as APIC 1 */
	seal(MADT_PA);

	memset(&rsdp, 0, sizeof(rsdp));
	memcpy(rsdp.signature, "RSD PTR ", 8);
	memcpy(rsdp.oem_id, "HVTEST", 6);
	rsdp.revision = 2;
	rsdp.rsdt_address = RSDT_PA;
	rsdp.length = sizeof(rsdp);
	rsdp.xsdt_address = XSDT_PA;
	seal_rsdp();
	return 0;
}

static int teardown(void **state)
{
	while (mapping_count)
		free(mappings[--mapping_count]);
	return 0;
}

static int parse(void)
{
	return acpi_parse(&rsdp, sizeof(rsdp), map_copy, NULL, &info, err, sizeof(err));
}

static void expect_error(size_t rsdp_len, const char *fragment)
{
	assert_int_equal(acpi_parse(&rsdp, rsdp_len, map_copy, NULL, &info, err, sizeof(err)), -1);
	if (!strstr(err, fragment))
		fail_msg("error '%s' lacks '%s'", err, fragment);
}

static void expect_last_warning(const char *fragment)
{
	if (!strstr(host_last_log, fragment))
		fail_msg("last warning '%s' lacks '%s'", host_last_log, fragment);
}

static void test_full_firmware(void **state)
{
	const struct acpi_madt_info *madt = &info.madt;
	const struct acpi_fadt_info *fadt = &info.fadt;

	assert_int_equal(parse(), 0);
	assert_string_equal(host_last_log, "");
	assert_int_equal(info.revision, 2);

	assert_true(madt->present);
	assert_int_equal(madt->lapic_address, 0xfee00000);
	assert_true(madt->legacy_pics);
	assert_int_equal(madt->cpu_count, 4);
	assert_int_equal(madt->apic_ids[0], 0);
	assert_int_equal(madt->apic_ids[1], 1);
	assert_int_equal(madt->apic_ids[2], 3);
	assert_int_equal(madt->apic_ids[3], 0x100);
	assert_int_equal(madt->ioapic_count, 1);
	assert_int_equal(madt->ioapics[0].id, 4);
	assert_int_equal(madt->ioapics[0].address, 0xfec00000);
	assert_int_equal(madt->ioapics[0].gsi_base, 0);
	assert_int_equal(madt->override_count, 2);
	assert_int_equal(madt->overrides[0].source, 0);
	assert_int_equal(madt->overrides[0].gsi, 2);
	assert_int_equal(madt->overrides[1].source, 9);
	assert_int_equal(madt->overrides[1].flags, 0xd);

	assert_true(fadt->present);
	assert_int_equal(fadt->pm1a_cnt_port, 0x604);
	assert_int_equal(fadt->pm_timer_port, 0x608);
	assert_true(fadt->pm_timer_32bit);
	assert_int_equal(fadt->dsdt_address, DSDT_PA);
	assert_true(fadt->s5_present);
	assert_int_equal(fadt->s5_slp_typa, 5);
	assert_int_equal(fadt->reset_port, 0xcf9);
	assert_int_equal(fadt->reset_value, 6);
}

static void test_rsdp_v1_uses_rsdt(void **state)
{
	rsdp.revision = 0;
	seal_rsdp();
	assert_int_equal(acpi_parse(&rsdp, 20, map_copy, NULL, &info, err, sizeof(err)), 0);
	assert_int_equal(info.revision, 0);
	assert_true(info.madt.present);
	assert_false(info.fadt.present);	/* only the XSDT lists it */
}

static void test_bad_xsdt_falls_back_to_rsdt(void **state)
{
	((uint8_t *)at(XSDT_PA))[40] ^= 1;
	assert_int_equal(parse(), 0);
	assert_true(info.madt.present);
	assert_false(info.fadt.present);
}

static void test_null_xsdt_falls_back_to_rsdt(void **state)
{
	rsdp.xsdt_address = 0;
	seal_rsdp();
	assert_int_equal(parse(), 0);
	assert_true(info.madt.present);
	assert_false(info.fadt.present);
}

static void test_unmapped_xsdt_falls_back_to_rsdt(void **state)
{
	rsdp.xsdt_address = OUTSIDE_PA;
	seal_rsdp();
	assert_int_equal(parse(), 0);
	assert_true(info.madt.present);
	assert_false(info.fadt.present);
}

static void test_ragged_xsdt_falls_back_to_rsdt(void **state)
{
	append(XSDT_PA, "\0\0\0", 4);
	seal(XSDT_PA);
	assert_int_equal(parse(), 0);
	assert_false(info.fadt.present);
}

static void test_no_usable_root_table(void **state)
{
	new_table(RSDT_PA, "RSDX", 36);		/* wrong signature */
	seal(RSDT_PA);
	((uint8_t *)at(XSDT_PA))[9] ^= 1;	/* bad checksum */
	expect_error(sizeof(rsdp), "no valid XSDT or RSDT");
	assert_false(info.madt.present);
}

static void test_root_table_lengths(void **state)
{
	struct acpi_sdt_header *rsdt = at(RSDT_PA);

	rsdp.xsdt_address = 0;
	seal_rsdp();
	rsdt->length = 35;
	expect_error(sizeof(rsdp), "no valid");
	expect_last_warning("RSDT at 0xe0800 has length 35");
	rsdt->length = ACPI_TABLE_MAX + 1;
	expect_error(sizeof(rsdp), "no valid");
	expect_last_warning("has length 1048577");
	rsdt->length = MEM_SIZE;		/* runs past the end of memory */
	expect_error(sizeof(rsdp), "no valid");
	expect_last_warning("RSDT at 0xe0800 (65536 bytes) runs outside mapped memory");
}

static void test_rsdp_errors(void **state)
{
	assert_int_equal(acpi_parse(NULL, 36, map_copy, NULL, &info, err, sizeof(err)), -1);
	expect_error(19, "no RSDP (19 bytes)");
	expect_error(20, "needs 36 bytes, 20 given");

	rsdp.length = 20;
	seal_rsdp();
	expect_error(sizeof(rsdp), "RSDP length 20 invalid");
	rsdp.length = 40;
	seal_rsdp();
	expect_error(sizeof(rsdp), "RSDP length 40 invalid");

	setup(state);
	rsdp.extended_checksum++;
	expect_error(sizeof(rsdp), "extended checksum");

	setup(state);
	rsdp.checksum++;
	expect_error(sizeof(rsdp), "RSDP checksum");

	setup(state);
	rsdp.signature[0] = 'r';
	seal_rsdp();
	expect_error(sizeof(rsdp), "signature");
}

static void test_madt_bad_checksum(void **state)
{
	((struct acpi_madt *)at(MADT_PA))->lapic_address++;
	assert_int_equal(parse(), 0);
	expect_last_warning("APIC at 0xe4000 has a bad checksum");
	assert_false(info.madt.present);
	assert_int_equal(info.madt.cpu_count, 0);
	assert_true(info.fadt.present);
}

static void test_madt_outside_memory(void **state)
{
	static const uint64_t tables[] = { FADT_PA, MADT_PA + 0xbf00 };
	struct acpi_sdt_header *h = new_table(MADT_PA + 0xbf00, "APIC", 44);

	h->length = 0x200;			/* 0x100 bytes past the end */
	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	expect_last_warning("APIC at 0xeff00 (512 bytes) runs outside mapped memory");
	assert_false(info.madt.present);
}

static void test_root_entry_outside_memory(void **state)
{
	static const uint64_t tables[] = { FADT_PA, MADT_PA, OUTSIDE_PA };

	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	expect_last_warning("root table entry 0x100000 is outside mapped memory");
	assert_true(info.madt.present);
	assert_true(info.fadt.present);
}

static void test_madt_missing(void **state)
{
	static const uint64_t tables[] = { SSDT_PA, FADT_PA };

	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	assert_false(info.madt.present);
	assert_int_equal(info.madt.cpu_count, 0);
	assert_int_equal(info.madt.lapic_address, 0);
	assert_true(info.fadt.present);
}

static void test_madt_too_short(void **state)
{
	new_table(MADT_PA, "APIC", 40);
	seal(MADT_PA);
	assert_int_equal(parse(), 0);
	expect_last_warning("MADT of 40 bytes is too short");
	assert_false(info.madt.present);
}

/* Append `entry` to a fresh MADT with one good CPU; expect it rejected. */
static void expect_bad_madt_entry(const uint8_t *entry, size_t len, const char *warning)
{
	new_table(MADT_PA, "APIC", sizeof(struct acpi_madt));
	madt_lapic(0, ACPI_MADT_ENABLED);
	append(MADT_PA, entry, len);
	seal(MADT_PA);
	assert_int_equal(parse(), 0);
	expect_last_warning(warning);
	assert_false(info.madt.present);
	assert_int_equal(info.madt.cpu_count, 0);
}

static void test_madt_malformed_entries(void **state)
{
	expect_bad_madt_entry((uint8_t[]){ 9, 0 }, 2, "MADT entry at offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 0, 1 }, 2, "MADT entry at offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 0x7f, 1, 0x7f, 1 }, 4, "offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 0, 6, 1, 1, 1, 0 }, 6, "offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 1, 12, 1, 0 }, 4, "offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 0 }, 1, "offset 52 is malformed");
	expect_bad_madt_entry((uint8_t[]){ 9, 12, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 }, 12,
			      "offset 52 is malformed");
}

/* x2APIC entries beside xAPIC ones: 32-bit IDs above 255 are listed, a CPU
 * named by both kinds of entry once, disabled ones not at all, NMI entries
 * of both kinds accepted, and an entry longer than this parser knows (a
 * later ACPI revision's) read by its known prefix. */
static void test_madt_x2apic_cpus(void **state)
{
	struct acpi_madt_x2apic_nmi nmi = { { ACPI_MADT_X2APIC_NMI, sizeof(nmi) }, 0,
					    0xffffffff, 1, { 0 } };
	uint8_t longer[20] = { ACPI_MADT_X2APIC, 20, 0, 0, 0x00, 0x10, 0, 0, ACPI_MADT_ENABLED };

	new_table(MADT_PA, "APIC", sizeof(struct acpi_madt));
	madt_lapic(0, ACPI_MADT_ENABLED);
	madt_x2apic(0, ACPI_MADT_ENABLED);		/* the same CPU */
	madt_x2apic(0x100, ACPI_MADT_ENABLED);
	madt_x2apic(0x1234567, ACPI_MADT_ONLINE_CAPABLE);
	madt_x2apic(0x200, 0);				/* disabled */
	append(MADT_PA, &nmi, sizeof(nmi));
	append(MADT_PA, (uint8_t[]){ ACPI_MADT_LAPIC_NMI, 6, 0xff, 0, 0, 1 }, 6);
	madt_lapic(0xff, ACPI_MADT_ENABLED);		/* placeholder */
	madt_x2apic(5, ACPI_MADT_ENABLED);
	madt_lapic(5, ACPI_MADT_ENABLED);		/* the same CPU, xAPIC entry last */
	append(MADT_PA, longer, sizeof(longer));	/* x2APIC ID 0x1000 */
	seal(MADT_PA);
	assert_int_equal(parse(), 0);
	assert_string_equal(host_last_log, "");
	assert_true(info.madt.present);
	assert_int_equal(info.madt.cpu_count, 5);
	assert_int_equal(info.madt.apic_ids[0], 0);
	assert_int_equal(info.madt.apic_ids[1], 0x100);
	assert_int_equal(info.madt.apic_ids[2], 0x1234567);
	assert_int_equal(info.madt.apic_ids[3], 5);
	assert_int_equal(info.madt.apic_ids[4], 0x1000);
}

/* x2APIC and NMI entries cut short, or running past the table's end. */
static void test_madt_x2apic_lengths(void **state)
{
	uint8_t x2apic[16] = { ACPI_MADT_X2APIC, 15, 0, 0, 1, 0, 0, 0, ACPI_MADT_ENABLED };
	uint8_t nmi[12] = { ACPI_MADT_X2APIC_NMI, 11 };

	expect_bad_madt_entry(x2apic, 15, "offset 52 is malformed: type 9, length 15, 15 bytes left");
	x2apic[1] = 20;	/* claims more than the table holds */
	expect_bad_madt_entry(x2apic, 16, "offset 52 is malformed: type 9, length 20, 16 bytes left");
	expect_bad_madt_entry(nmi, 11, "offset 52 is malformed: type 10, length 11, 11 bytes left");
	expect_bad_madt_entry((uint8_t[]){ ACPI_MADT_LAPIC_NMI, 5, 0xff, 0, 0 }, 5,
			      "offset 52 is malformed: type 4, length 5");
	expect_bad_madt_entry((uint8_t[]){ ACPI_MADT_X2APIC }, 1,
			      "offset 52 is malformed: 1 bytes left");
}

static void test_madt_lapic_address_override(void **state)
{
	struct acpi_madt_lapic_address e = { { ACPI_MADT_LAPIC_ADDRESS, sizeof(e) }, 0,
					     0x1234fee00000ull };

	append(MADT_PA, &e, sizeof(e));
	seal(MADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.madt.lapic_address, 0x1234fee00000ull);
}

static void test_madt_limits(void **state)
{
	unsigned i;

	new_table(MADT_PA, "APIC", sizeof(struct acpi_madt));
	for (i = 0; i <= ACPI_MAX_IOAPICS; i++)
		madt_ioapic(i, 0xfec00000 + i * 0x1000, i * 24);
	for (i = 0; i <= ACPI_MAX_OVERRIDES; i++)
		madt_override(i, i + 1, 0);
	for (i = 0; i <= ACPI_MAX_CPUS; i++)
		madt_x2apic(i * 2, ACPI_MADT_ENABLED);
	seal(MADT_PA);
	assert_int_equal(parse(), 0);
	expect_last_warning("more than 1024 CPUs, APIC ID 2048 not used");
	assert_true(info.madt.present);
	assert_int_equal(info.madt.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.madt.apic_ids[ACPI_MAX_CPUS - 1], 2046);
	assert_int_equal(info.madt.ioapic_count, ACPI_MAX_IOAPICS);
	assert_int_equal(info.madt.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base, 15 * 24);
	assert_int_equal(info.madt.override_count, ACPI_MAX_OVERRIDES);
}

static void test_fadt_v1(void **state)
{
	build_fadt(ACPI_FADT_V1_LEN);
	((struct acpi_fadt *)at(FADT_PA))->flags = 0;
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_true(info.fadt.present);
	assert_int_equal(info.fadt.pm1a_cnt_port, 0xb004);
	assert_int_equal(info.fadt.pm_timer_port, 0xb008);
	assert_false(info.fadt.pm_timer_32bit);
	assert_int_equal(info.fadt.dsdt_address, DSDT_PA);
	assert_int_equal(info.fadt.s5_slp_typa, 5);
	assert_int_equal(info.fadt.reset_port, 0);	/* ACPI 1.0 has no reset register */
}

/* A reset register is used only when the flags say it works and it is a port. */
static void test_fadt_reset_register_unusable(void **state)
{
	struct acpi_fadt *f = at(FADT_PA);

	f->flags &= ~ACPI_FADT_RESET_REG_SUP;
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.fadt.reset_port, 0);
	f->flags |= ACPI_FADT_RESET_REG_SUP;
	f->reset_reg.space_id = ACPI_SPACE_MEMORY;
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.fadt.reset_port, 0);
	f->reset_reg = (struct acpi_gas){ ACPI_SPACE_IO, 8, 0, 1, 0x10000 };
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.fadt.reset_port, 0);
}

static void test_fadt_extended_blocks_not_in_io_space(void **state)
{
	struct acpi_fadt *f = at(FADT_PA);

	f->x_pm1a_cnt_blk.space_id = ACPI_SPACE_MEMORY;
	f->x_pm_tmr_blk.address = 0;
	f->x_dsdt = 0;
	f->dsdt = DSDT_PA;
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.fadt.pm1a_cnt_port, 0xb004);
	assert_int_equal(info.fadt.pm_timer_port, 0xb008);
	assert_int_equal(info.fadt.dsdt_address, DSDT_PA);
}

static void test_fadt_ports_out_of_range(void **state)
{
	struct acpi_fadt *f = at(FADT_PA);

	f->x_pm1a_cnt_blk.address = 0x10000;
	f->x_pm_tmr_blk.space_id = ACPI_SPACE_MEMORY;
	f->pm_tmr_blk = 0x12345;
	seal(FADT_PA);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.fadt.pm1a_cnt_port, 0);
	assert_int_equal(info.fadt.pm_timer_port, 0);
}

static void test_fadt_too_short(void **state)
{
	static const uint64_t tables[] = { MADT_PA, FADT_PA };

	build_fadt(ACPI_FADT_V1_LEN - 4);

	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	expect_last_warning("FADT of 112 bytes is too short");
	assert_false(info.fadt.present);
	assert_int_equal(info.fadt.pm1a_cnt_port, 0);
	assert_true(info.madt.present);
}

static void test_dsdt_bad_checksum(void **state)
{
	((uint8_t *)at(DSDT_PA))[40]++;
	assert_int_equal(parse(), 0);
	assert_true(info.fadt.present);
	assert_false(info.fadt.s5_present);
	assert_int_equal(info.fadt.dsdt_address, 0);
	assert_int_equal(info.fadt.pm1a_cnt_port, 0x604);
}

static void test_dsdt_wrong_signature(void **state)
{
	static const uint64_t tables[] = { MADT_PA, FADT_PA };
	struct acpi_fadt *f = at(FADT_PA);

	f->x_dsdt = SSDT_PA;
	seal(FADT_PA);
	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	expect_last_warning("no usable _S5_");
	assert_false(info.fadt.s5_present);
	assert_int_equal(info.fadt.dsdt_address, 0);
}

static void test_s5_absent(void **state)
{
	static const uint64_t tables[] = { MADT_PA, FADT_PA };

	new_table(DSDT_PA, "DSDT", 40);
	memcpy((uint8_t *)at(DSDT_PA) + 36, "_S4_", 4);
	seal(DSDT_PA);
	set_root(XSDT_PA, "XSDT", 8, tables, ARRAY_SIZE(tables));
	assert_int_equal(parse(), 0);
	expect_last_warning("no usable _S5_ in the DSDT");
	assert_false(info.fadt.s5_present);
	assert_int_equal(info.fadt.dsdt_address, DSDT_PA);
}

/* Run acpi_find_s5 on a DSDT holding exactly this AML. */
static bool find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa)
{
	struct acpi_sdt_header *dsdt = malloc(sizeof(*dsdt) + len);

	assert_non_null(dsdt);
	assert_true(mapping_count < ARRAY_SIZE(mappings));
	mappings[mapping_count++] = dsdt;
	memset(dsdt, 0, sizeof(*dsdt));
	memcpy(dsdt->signature, "DSDT", 4);
	dsdt->length = sizeof(*dsdt) + len;
	memcpy(dsdt + 1, aml, len);
	*slp_typa = 0xaa;
	return acpi_find_s5(dsdt, slp_typa);
}

#define FIND_S5(typ, ...) \
	find_s5((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), (typ))

static void test_s5_encodings(void **state)
{
	uint8_t typ;

	assert_true(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00));
	assert_int_equal(typ, 0);
	assert_true(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01));
	assert_int_equal(typ, 1);
	assert_true(FIND_S5(&typ, 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x07, 0x00));
	assert_int_equal(typ, 7);
	/* A two-byte PkgLength: lead 0x40 | 0x6, then 0x00 -> 6. */
	assert_true(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x46, 0x00, 0x01, 0x0a, 0x03, 0x00));
	assert_int_equal(typ, 3);
	/* A first match that is no package does not hide a later good one. */
	assert_true(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x0a, 0x05,
			    0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x02));
	assert_int_equal(typ, 2);
}

static void test_s5_malformed(void **state)
{
	uint8_t typ;

	/* Not a declaration. */
	assert_false(FIND_S5(&typ, 0x70, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01));
	/* Not a package. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x0a, 0x05));
	/* Package runs past the table. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x09, 0x02, 0x0a, 0x05));
	/* PkgLength shorter than its own encoding. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02, 0x0a, 0x05));
	/* PkgLength cut by the end of the table. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0xc4, 0x00));
	/* No elements. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x00, 0x0a, 0x05));
	/* The element lies outside the package length. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x0a, 0x05));
	/* A value too large for SLP_TYP, and an unsupported encoding. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x08));
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x01, 0x00));
	/* Name cut by the end of the table. */
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5'));
	assert_false(FIND_S5(&typ, 0x08, '_', 'S', '5', '_'));
	assert_int_equal(typ, 0xaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_full_firmware),
		T(test_rsdp_v1_uses_rsdt),
		T(test_bad_xsdt_falls_back_to_rsdt),
		T(test_null_xsdt_falls_back_to_rsdt),
		T(test_unmapped_xsdt_falls_back_to_rsdt),
		T(test_ragged_xsdt_falls_back_to_rsdt),
		T(test_no_usable_root_table),
		T(test_root_table_lengths),
		T(test_rsdp_errors),
		T(test_madt_bad_checksum),
		T(test_madt_outside_memory),
		T(test_root_entry_outside_memory),
		T(test_madt_missing),
		T(test_madt_too_short),
		T(test_madt_malformed_entries),
		T(test_madt_x2apic_cpus),
		T(test_madt_x2apic_lengths),
		T(test_madt_lapic_address_override),
		T(test_madt_limits),
		T(test_fadt_v1),
		T(test_fadt_reset_register_unusable),
		T(test_fadt_extended_blocks_not_in_io_space),
		T(test_fadt_ports_out_of_range),
		T(test_fadt_too_short),
		T(test_dsdt_bad_checksum),
		T(test_dsdt_wrong_signature),
		T(test_s5_absent),
		T(test_s5_encodings),
		T(test_s5_malformed),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
