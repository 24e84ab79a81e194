/* ACPI table layouts (ACPI 6.x; older tables are prefixes of these), the
 * PM1 register bits and the few AML opcodes the tables here contain: read
 * by the host's ACPI parser (drivers/acpi*.c) and written by the tables
 * each VM gets (hv/load/guest_acpi.c). */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* A system description table longer than this is taken as corrupt. */
#define ACPI_TABLE_MAX		(1u << 20)

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
} __attribute__((packed));
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
} __attribute__((packed));
static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header layout");

/* Generic address structure. */
struct acpi_gas {
	uint8_t space_id;	/* ACPI_SPACE_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
static_assert(sizeof(struct acpi_gas) == 12, "GAS layout");

#define ACPI_SPACE_MEMORY	0
#define ACPI_SPACE_IO		1

/* FADT ("FACP"), ACPI 6.x; older ones are prefixes (ACPI 1.0 ends after flags). */
struct acpi_fadt {
	struct acpi_sdt_header header;
	uint32_t firmware_ctrl;		/* the FACS */
	uint32_t dsdt;
	uint8_t reserved_44;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;		/* ISA IRQ of the SCI */
	uint32_t smi_cmd;		/* 0: no SMI, always in ACPI mode */
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;		/* > 100: no C2 */
	uint16_t p_lvl3_lat;		/* > 1000: no C3 */
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;		/* CMOS index of the century, 0: none */
	uint16_t iapc_boot_arch;	/* ACPI_BOOT_* */
	uint8_t reserved_111;
	uint32_t flags;			/* ACPI_FADT_* */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_vendor;
} __attribute__((packed));
static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm1a_evt_blk) == 56, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm1a_cnt_blk) == 64, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "FADT layout");
static_assert(offsetof(struct acpi_fadt, pm1_evt_len) == 88, "FADT layout");
static_assert(offsetof(struct acpi_fadt, century) == 108, "FADT layout");
static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT layout");
static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == 172, "FADT layout");
static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT layout");
static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout");

#define ACPI_FADT_V1_LEN	(offsetof(struct acpi_fadt, flags) + 4)
#define ACPI_FADT_REVISION	6
#define ACPI_FADT_WBINVD	(1u << 0)	/* WBINVD flushes caches */
#define ACPI_FADT_C1_SUPPORTED	(1u << 2)	/* HLT works on every CPU */
#define ACPI_FADT_PWR_BUTTON	(1u << 4)	/* no fixed power button */
#define ACPI_FADT_SLP_BUTTON	(1u << 5)	/* no fixed sleep button */
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)	/* PM timer is 32 bits wide */
#define ACPI_FADT_RESET_REG_SUP	(1u << 10)	/* reset_reg works */

/* IA-PC boot architecture flags. */
#define ACPI_BOOT_LEGACY_DEVICES (1u << 0)	/* ISA devices (RTC, UART) exist */
#define ACPI_BOOT_8042		(1u << 1)
#define ACPI_BOOT_NO_VGA	(1u << 2)

/* PM1 registers: status and enable halves of the event block, control. */
#define ACPI_PM1_EVT_LEN	4
#define ACPI_PM1_CNT_LEN	2
#define ACPI_PM_TMR_LEN		4
#define ACPI_PM1_TMR_STS	(1u << 0)	/* status and enable bits share places */
#define ACPI_PM1_GBL_STS	(1u << 5)
#define ACPI_PM1_PWRBTN_STS	(1u << 8)
#define ACPI_PM1_SLPBTN_STS	(1u << 9)
#define ACPI_PM1_RTC_STS	(1u << 10)
#define ACPI_PM1_WAK_STS	(1u << 15)
#define ACPI_PM1_CNT_SCI_EN	(1u << 0)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP	(7u << ACPI_PM1_CNT_SLP_TYP_SHIFT)
#define ACPI_PM1_CNT_SLP_EN	(1u << 13)

/* FACS: firmware-OS shared memory, 64-byte aligned, no checksum. */
struct acpi_facs {
	char signature[4];	/* "FACS" */
	uint32_t length;
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));
static_assert(sizeof(struct acpi_facs) == 64, "FACS layout");

#define ACPI_FACS_VERSION	2

/* MADT ("APIC"): this header, then variable-length entries. */
struct acpi_madt {
	struct acpi_sdt_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");

#define ACPI_MADT_PCAT_COMPAT	(1u << 0)

struct acpi_madt_entry {
	uint8_t type;		/* ACPI_MADT_* */
	uint8_t length;
} __attribute__((packed));

#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_IOAPIC		1
#define ACPI_MADT_IRQ_OVERRIDE		2
#define ACPI_MADT_LAPIC_NMI		4
#define ACPI_MADT_LAPIC_ADDRESS		5
#define ACPI_MADT_X2APIC		9
#define ACPI_MADT_X2APIC_NMI		0xa

/* Local APIC and x2APIC entry flags. */
#define ACPI_MADT_ENABLED		(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)

struct acpi_madt_lapic {
	struct acpi_madt_entry entry;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT local APIC layout");

struct acpi_madt_ioapic {
	struct acpi_madt_entry entry;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT IOAPIC layout");

struct acpi_madt_irq_override {
	struct acpi_madt_entry entry;
	uint8_t bus;		/* 0: ISA */
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_irq_override) == 10, "MADT override layout");

/* Which LINT pin of a local APIC (0xff: all of them) takes the NMI. */
struct acpi_madt_lapic_nmi {
	struct acpi_madt_entry entry;
	uint8_t processor_uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT local APIC NMI layout");

/* Interrupt source override flags (MPS INTI). */
#define ACPI_INTI_ACTIVE_HIGH	0x1
#define ACPI_INTI_ACTIVE_LOW	0x3
#define ACPI_INTI_EDGE		(0x1 << 2)
#define ACPI_INTI_LEVEL		(0x3 << 2)

struct acpi_madt_lapic_address {
	struct acpi_madt_entry entry;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_lapic_address) == 12, "MADT LAPIC address layout");

struct acpi_madt_x2apic {
	struct acpi_madt_entry entry;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC layout");

/* The x2APIC form of the NMI entry (processor UID 0xffffffff: all of them). */
struct acpi_madt_x2apic_nmi {
	struct acpi_madt_entry entry;
	uint16_t flags;
	uint32_t processor_uid;
	uint8_t lint;
	uint8_t reserved[3];
} __attribute__((packed));
static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT x2APIC NMI layout");

/* AML (ACPI spec, "ACPI Machine Language Specification"). */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82	/* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR		'\\'
