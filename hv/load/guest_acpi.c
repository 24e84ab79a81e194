/* The ACPI tables every VM gets, in the reserved hole below 1 MiB where
 * Linux's scan of [0xe0000, 0x100000) finds the RSDP: RSDT and XSDT, the
 * FADT (PIIX4 PM block, reset register, SCI), its FACS and DSDT
 * (guest_acpi_dsdt.c), and the MADT (one local APIC per vCPU, the IOAPIC,
 * IRQ0 -> GSI 2 and the level-triggered SCI). They describe the devices of
 * hv/dev at the addresses of x86/pc.h. */
#include <errno.h>
#include <stdlib.h>

#include "hv/load/guest_image.h"
#include "x86/acpi.h"
#include "x86/pc.h"

#define OEM_ID		"HVHV  "
#define OEM_TABLE_ID	"HVPC    "
#define CREATOR_ID	0x20205648u	/* "HV  " */

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

uint64_t guest_acpi_table_begin(struct guest_cursor *c, const char *signature, uint8_t revision)
{
	struct acpi_sdt_header h = {
		.revision = revision,
		.oem_revision = 1,
		.creator_id = CREATOR_ID,
		.creator_revision = 1,
	};

	guest_pad(c, 8);
	memcpy(h.signature, signature, sizeof(h.signature));
	memcpy(h.oem_id, OEM_ID, sizeof(h.oem_id));
	memcpy(h.oem_table_id, OEM_TABLE_ID, sizeof(h.oem_table_id));
	return guest_put(c, &h, sizeof(h));
}

void guest_acpi_table_end(struct guest_cursor *c, uint64_t gpa)
{
	struct acpi_sdt_header *h = (void *)guest_cursor_at(c, gpa);

	if (!c->buf)
		return;
	h->length = (uint32_t)(c->pos - gpa);
	h->checksum = checksum((const uint8_t *)h, h->length);
}

static void put_rsdp(struct guest_cursor *c, uint64_t rsdt, uint64_t xsdt)
{
	struct acpi_rsdp r = {
		.revision = 2,
		.rsdt_address = (uint32_t)rsdt,
		.length = sizeof(r),
		.xsdt_address = xsdt,
	};

	memcpy(r.signature, "RSD PTR ", sizeof(r.signature));
	memcpy(r.oem_id, OEM_ID, sizeof(r.oem_id));
	r.checksum = checksum((const uint8_t *)&r, offsetof(struct acpi_rsdp, length));
	r.extended_checksum = checksum((const uint8_t *)&r, sizeof(r));
	guest_put(c, &r, sizeof(r));
}

static uint64_t put_facs(struct guest_cursor *c)
{
	struct acpi_facs f = { .length = sizeof(f), .version = ACPI_FACS_VERSION };

	guest_pad(c, 64);
	memcpy(f.signature, "FACS", sizeof(f.signature));
	return guest_put(c, &f, sizeof(f));
}

static uint64_t put_fadt(struct guest_cursor *c, uint64_t facs, uint64_t dsdt)
{
	uint64_t at = guest_acpi_table_begin(c, "FACP", ACPI_FADT_REVISION);
	struct acpi_fadt f = {
		.firmware_ctrl = (uint32_t)facs,
		.dsdt = (uint32_t)dsdt,
		.sci_int = PC_SCI_IRQ,
		.pm1a_evt_blk = PC_PM1A_EVT_PORT,
		.pm1a_cnt_blk = PC_PM1A_CNT_PORT,
		.pm_tmr_blk = PC_PM_TMR_PORT,
		.pm1_evt_len = ACPI_PM1_EVT_LEN,
		.pm1_cnt_len = ACPI_PM1_CNT_LEN,
		.pm_tmr_len = ACPI_PM_TMR_LEN,
		.p_lvl2_lat = 101,	/* no C2 */
		.p_lvl3_lat = 1001,	/* no C3 */
		.century = 0x32,
		.iapc_boot_arch = ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_NO_VGA,
		.flags = ACPI_FADT_WBINVD | ACPI_FADT_C1_SUPPORTED | ACPI_FADT_PWR_BUTTON |
			 ACPI_FADT_SLP_BUTTON | ACPI_FADT_RESET_REG_SUP,
		.reset_reg = { .space_id = ACPI_SPACE_IO, .bit_width = 8, .access_size = 1,
			       .address = PC_RESET_PORT },
		.reset_value = PC_RESET_VALUE,
		.x_dsdt = dsdt,
	};

	/* The header is in place: copy only what follows it. */
	guest_put(c, (const uint8_t *)&f + sizeof(f.header), sizeof(f) - sizeof(f.header));
	guest_acpi_table_end(c, at);
	return at;
}

static void put_madt_lapic(struct guest_cursor *c, unsigned id)
{
	struct acpi_madt_lapic e = {
		.entry = { ACPI_MADT_LAPIC, sizeof(e) },
		.processor_uid = (uint8_t)id,
		.apic_id = (uint8_t)id,
		.flags = ACPI_MADT_ENABLED,
	};

	guest_put(c, &e, sizeof(e));
}

static void put_madt_override(struct guest_cursor *c, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	struct acpi_madt_irq_override e = {
		.entry = { ACPI_MADT_IRQ_OVERRIDE, sizeof(e) },
		.source = irq,
		.gsi = gsi,
		.flags = flags,
	};

	guest_put(c, &e, sizeof(e));
}

static uint64_t put_madt(struct guest_cursor *c, unsigned vcpus)
{
	uint64_t at = guest_acpi_table_begin(c, "APIC", 5);
	struct acpi_madt m = { .lapic_address = PC_LAPIC_BASE, .flags = ACPI_MADT_PCAT_COMPAT };
	struct acpi_madt_ioapic io = {
		.entry = { ACPI_MADT_IOAPIC, sizeof(io) },
		.id = PC_IOAPIC_ID,
		.address = PC_IOAPIC_BASE,
	};
	struct acpi_madt_lapic_nmi nmi = {
		.entry = { ACPI_MADT_LAPIC_NMI, sizeof(nmi) },
		.processor_uid = 0xff,	/* every processor */
		.lint = 1,
	};

	guest_put(c, (const uint8_t *)&m + sizeof(m.header), sizeof(m) - sizeof(m.header));
	for (unsigned id = 0; id < vcpus; id++)
		put_madt_lapic(c, id);
	guest_put(c, &io, sizeof(io));
	put_madt_override(c, 0, 2, 0);
	put_madt_override(c, PC_SCI_IRQ, PC_SCI_IRQ, ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_LEVEL);
	guest_put(c, &nmi, sizeof(nmi));
	guest_acpi_table_end(c, at);
	return at;
}

/* A root table: the header, then one `entry_size`-byte address per table. */
static uint64_t put_root(struct guest_cursor *c, const char *signature,
			 const uint64_t *tables, size_t count, size_t entry_size)
{
	uint64_t at = guest_acpi_table_begin(c, signature, 1);

	for (size_t i = 0; i < count; i++)
		guest_put(c, &tables[i], entry_size);	/* little-endian: low bytes first */
	guest_acpi_table_end(c, at);
	return at;
}

/* Write every table into `buf` (NULL: only measure); returns the size. */
static size_t build(uint8_t *buf, unsigned vcpus)
{
	struct guest_cursor c = { buf, GUEST_ACPI_RSDP, GUEST_ACPI_RSDP + sizeof(struct acpi_rsdp) };
	uint64_t facs = put_facs(&c), dsdt = guest_acpi_dsdt(&c), tables[2], rsdt, xsdt;
	size_t size;

	/* The root tables list the FADT and MADT; the DSDT is the FADT's. */
	tables[0] = put_fadt(&c, facs, dsdt);
	tables[1] = put_madt(&c, vcpus);
	rsdt = put_root(&c, "RSDT", tables, ARRAY_SIZE(tables), 4);
	xsdt = put_root(&c, "XSDT", tables, ARRAY_SIZE(tables), 8);
	size = c.pos - GUEST_ACPI_RSDP;
	c.pos = GUEST_ACPI_RSDP;
	put_rsdp(&c, rsdt, xsdt);
	return size;
}

int guest_acpi_build(const struct guest_ram *ram, unsigned vcpus)
{
	size_t size = build(NULL, vcpus);
	uint8_t *buf = calloc(1, size);

	if (!buf)
		return -ENOMEM;
	static_assert(GUEST_ACPI_RSDP + 4096 + 8 * GUEST_ACPI_VCPUS_MAX < GUEST_ACPI_END,
		      "the tables of the largest VM fit their hole");
	build(buf, vcpus);
	guest_ram_write(ram, GUEST_ACPI_RSDP, buf, size);
	free(buf);
	return 0;
}
