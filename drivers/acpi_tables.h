/* The interface between the ACPI table parsers in drivers/acpi*.c; the
 * layouts they read are x86/acpi.h's. */
#pragma once

#include "drivers/acpi.h"
#include "lib/compiler.h"
#include "x86/acpi.h"

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
