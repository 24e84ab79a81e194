/* FADT parser: the power-management ports the hypervisor drives itself (PM1a
 * control for soft-off, PM timer, the reset register) and the DSDT's S5
 * sleep type. */
#include <string.h>

#include "drivers/acpi_tables.h"
#include "lib/log.h"

/* Does this FADT (whose length may predate ACPI 2.0) contain `field`? */
#define FADT_HAS(fadt, field) \
	(offsetof(struct acpi_fadt, field) + sizeof((fadt)->field) <= (fadt)->header.length)

/* The I/O port of a register block: the extended address when it is present
 * and in I/O space, else the 32-bit legacy one; 0 when none fits a port. */
static uint16_t block_port(bool have_extended, const struct acpi_gas *extended,
			   uint32_t legacy)
{
	uint64_t port = legacy;

	if (have_extended && extended->address && extended->space_id == ACPI_SPACE_IO)
		port = extended->address;
	return port <= UINT16_MAX ? port : 0;
}

/* The reset register when the FADT says it works and it is an I/O port
 * (ACPI 2.0+; memory and PCI-configuration ones are not driven). */
static void reset_register(const struct acpi_fadt *fadt, struct acpi_fadt_info *out)
{
	const struct acpi_gas *reg = &fadt->reset_reg;

	if (!FADT_HAS(fadt, reset_value) || !(fadt->flags & ACPI_FADT_RESET_REG_SUP) ||
	    reg->space_id != ACPI_SPACE_IO || !reg->address || reg->address > UINT16_MAX)
		return;
	out->reset_port = reg->address;
	out->reset_value = fadt->reset_value;
}

void acpi_parse_fadt(const struct acpi_sdt_header *hdr, const struct acpi_mapper *m,
		     struct acpi_fadt_info *out)
{
	const struct acpi_fadt *fadt = (const void *)hdr;
	const struct acpi_sdt_header *dsdt;
	uint64_t dsdt_address;

	memset(out, 0, sizeof(*out));
	if (hdr->length < ACPI_FADT_V1_LEN) {
		log_warn("acpi: FADT of %u bytes is too short, ignored", hdr->length);
		return;
	}
	out->present = true;
	out->pm1a_cnt_port = block_port(FADT_HAS(fadt, x_pm1a_cnt_blk),
					&fadt->x_pm1a_cnt_blk, fadt->pm1a_cnt_blk);
	out->pm_timer_port = block_port(FADT_HAS(fadt, x_pm_tmr_blk),
					&fadt->x_pm_tmr_blk, fadt->pm_tmr_blk);
	out->pm_timer_32bit = fadt->flags & ACPI_FADT_TMR_VAL_EXT;
	reset_register(fadt, out);
	dsdt_address = FADT_HAS(fadt, x_dsdt) && fadt->x_dsdt ? fadt->x_dsdt : fadt->dsdt;
	dsdt = dsdt_address ? acpi_map_table(m, dsdt_address, "DSDT") : NULL;
	if (dsdt) {
		out->dsdt_address = dsdt_address;
		out->s5_present = acpi_find_s5(dsdt, &out->s5_slp_typa);
	}
	if (!out->s5_present)
		log_warn("acpi: no usable _S5_ in the DSDT, ACPI power-off unavailable");
}
