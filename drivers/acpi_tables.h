/* ACPI table layouts (ACPI 6.x; older tables are prefixes of these) and the
 * interface between the table parsers in drivers/acpi*.c. */
#pragma once

#include "drivers/acpi.h"
#include "lib/compiler.h"

#define ACPI_TABLE_MAX		MiB(1)	/* longer tables are taken as corrupt */

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	/* ACPI 2.0+ */
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* all `length` bytes sum to 0 */
	uint8_t reserved[3];
} __packed;
static_assert(offsetof(struct acpi_rsdp, length) == 20, "RSDP 1.0 layout");
static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP 2.0 layout");

/* Header of every system description table. */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;	/* whole table, header included */
	uint8_t revision;
	uint8_t checksum;	/* all `length` bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;
static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header layout");

/* Generic address structure. */
struct acpi_gas {
	uint8_t space_id;	/* ACPI_SPACE_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;
static_assert(sizeof(struct acpi_gas) == 12, "GAS layout");

#define ACPI_SPACE_MEMORY	0
#define ACPI_SPACE_IO		1

/* FADT ("FACP") up to X_PM_TMR_BLK; an ACPI 1.0 FADT ends after flags. */
struct acpi_fadt {
	struct acpi_sdt_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t unused_44[20];		/* INT_MODEL .. PM1b_EVT_BLK */
	uint32_t pm1a_cnt_blk;
	uint8_t unused_68[8];		/* PM1b_CNT_BLK, PM2_CNT_BLK */
	uint32_t pm_tmr_blk;
	uint8_t unused_80[32];		/* GPE0_BLK .. IAPC_BOOT_ARCH, reserved */
	uint32_t flags;
	uint8_t unused_116[24];		/* RESET_REG .. X_FIRMWARE_CTRL */
	uint64_t x_dsdt;
	uint8_t unused_148[24];		/* X_PM1a_EVT_BLK, X_PM1b_EVT_BLK */
	struct acpi_gas x_pm1a_cnt_blk;
	uint8_t unused_184[24];		/* X_PM1b_CNT_BLK, X_PM2_CNT_BLK */
	struct acpi_gas x_pm_tmr_blk;
} __packed;
static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm1a_cnt_blk) == 64, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "FADT layout");
static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == 172, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT layout");

#define ACPI_FADT_V1_LEN	(offsetof(struct acpi_fadt, flags) + 4)
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)	/* PM timer is 32 bits wide */

/* MADT ("APIC"): this header, then variable-length entries. */
struct acpi_madt {
	struct acpi_sdt_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __packed;
static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");

#define ACPI_MADT_PCAT_COMPAT	(1u << 0)

struct acpi_madt_entry {
	uint8_t type;		/* ACPI_MADT_* */
	uint8_t length;
} __packed;

#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_IOAPIC		1
#define ACPI_MADT_IRQ_OVERRIDE		2
#define ACPI_MADT_LAPIC_ADDRESS		5
#define ACPI_MADT_X2APIC		9

/* Local APIC and x2APIC entry flags. */
#define ACPI_MADT_ENABLED		(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)

struct acpi_madt_lapic {
	struct acpi_madt_entry entry;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __packed;
static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT local APIC layout");

struct acpi_madt_ioapic {
	struct acpi_madt_entry entry;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __packed;
static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT IOAPIC layout");

struct acpi_madt_irq_override {
	struct acpi_madt_entry entry;
	uint8_t bus;		/* 0: ISA */
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} __packed;
static_assert(sizeof(struct acpi_madt_irq_override) == 10, "MADT override layout");

struct acpi_madt_lapic_address {
	struct acpi_madt_entry entry;
	uint16_t reserved;
	uint64_t address;
} __packed;
static_assert(sizeof(struct acpi_madt_lapic_address) == 12, "MADT LAPIC address layout");

struct acpi_madt_x2apic {
	struct acpi_madt_entry entry;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __packed;
static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC layout");

/* The caller's mapping callback and its context. */
struct acpi_mapper {
	acpi_map_fn map;
	void *ctx;
};

/* Map the table at `pa` whose signature must be `sig`, checking its length
 * and checksum. Returns NULL (after a warning) when it is unusable. */
const struct acpi_sdt_header *acpi_map_table(const struct acpi_mapper *m,
					     uint64_t pa, const char *sig);

/* Fill `out` from a validated MADT; a malformed one is rejected (warning,
 * `out` zeroed). */
void acpi_parse_madt(const struct acpi_sdt_header *madt, struct acpi_madt_info *out);

/* Fill `out` from a validated FADT and the DSDT it points to; a too-short
 * FADT is rejected (warning, `out` zeroed). */
void acpi_parse_fadt(const struct acpi_sdt_header *fadt, const struct acpi_mapper *m,
		     struct acpi_fadt_info *out);

/* Find `Name (_S5_, Package () { a, ... })` in a validated DSDT's AML and
 * store a as SLP_TYPa. Returns false when absent or encoded unexpectedly. */
bool acpi_find_s5(const struct acpi_sdt_header *dsdt, uint8_t *slp_typa);
