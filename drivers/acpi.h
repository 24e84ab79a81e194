/* ACPI table discovery: from the RSDP through the XSDT (or RSDT) to the MADT
 * (CPUs, IOAPICs) and the FADT (power-management ports, reset register,
 * DSDT, S5 sleep type). Firmware tables are untrusted: every table is
 * mapped through the caller's callback and its length and checksum are
 * checked before use. */
#pragma once

#include "lib/compiler.h"

#define ACPI_MAX_CPUS		1024	/* x2APIC machines list more than 256 */
#define ACPI_MAX_IOAPICS	16
#define ACPI_MAX_OVERRIDES	16

/* Return a readable view of physical [pa, pa + len), or NULL when any of it
 * is not accessible. The hypervisor checks against its mapped memory. */
typedef const void *(*acpi_map_fn)(uint64_t pa, size_t len, void *ctx);

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;	/* MMIO base */
	uint32_t gsi_base;	/* first global system interrupt it serves */
};

/* An ISA IRQ wired to a different GSI or with non-default polarity/trigger. */
struct acpi_irq_override {
	uint8_t source;		/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: polarity bits 1:0, trigger 3:2 */
};

struct acpi_madt_info {
	bool present;		/* false: no valid MADT, the other fields are 0 */
	uint64_t lapic_address;	/* the 64-bit override entry wins */
	bool legacy_pics;	/* dual 8259s present: mask them */
	size_t cpu_count;
	uint32_t apic_ids[ACPI_MAX_CPUS];	/* enabled or online-capable CPUs */
	size_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	size_t override_count;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
};

struct acpi_fadt_info {
	bool present;		/* false: no valid FADT, the other fields are 0 */
	uint16_t pm1a_cnt_port;	/* 0: none */
	uint16_t pm_timer_port;	/* 0: none */
	bool pm_timer_32bit;	/* else the counter is 24 bits wide */
	uint64_t dsdt_address;	/* 0: none or not a valid DSDT */
	bool s5_present;	/* the DSDT was valid and names _S5_ */
	uint8_t s5_slp_typa;	/* SLP_TYPa value for soft-off */
	uint16_t reset_port;	/* the reset register, if supported and a port; else 0 */
	uint8_t reset_value;	/* what to write there to reset the machine */
};

struct acpi_info {
	uint8_t revision;	/* the RSDP's: 0 ACPI 1.0, 2+ has an XSDT */
	struct acpi_madt_info madt;
	struct acpi_fadt_info fadt;
};

/* Validate the RSDP (`rsdp_len` bytes copied by the loader) and the root
 * table, then read the MADT and FADT through `map`. Returns 0, or -1 with
 * a reason in `err` when the RSDP or every root table is unusable. A bad
 * MADT, FADT or DSDT is skipped with a warning; a missing or bad one reads
 * as present == false, and the caller decides what that means. */
int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       struct acpi_info *out, char *err, size_t errlen);
