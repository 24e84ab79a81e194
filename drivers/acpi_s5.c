/* The S5 (soft-off) sleep type without an AML interpreter: find the
 * declaration `Name (_S5_, Package () { SLP_TYPa, ... })` in the DSDT's
 * byte code and decode just its first element. */
#include <string.h>

#include "drivers/acpi_tables.h"

#define SLP_TYP_MAX	7	/* a 3-bit field of PM1_CNT */

/* Is the name at aml[i] the one a NameOp declares (NameOp, optional '\')? */
static bool declared_at(const uint8_t *aml, size_t i)
{
	return (i >= 1 && aml[i - 1] == AML_NAME_OP) ||
	       (i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
}

/* Decode the PkgLength at p (avail bytes readable) into the package length,
 * counted from p, and the encoding's own size; false unless it fits. */
static bool decode_pkg_length(const uint8_t *p, size_t avail, size_t *length, size_t *size)
{
	size_t follow, i, value;

	if (avail < 1)
		return false;
	follow = p[0] >> 6;	/* bytes after the lead byte */
	if (avail < 1 + follow)
		return false;
	value = follow ? p[0] & 0x0f : p[0] & 0x3f;
	for (i = 1; i <= follow; i++)
		value |= (size_t)p[i] << (4 + 8 * (i - 1));
	*length = value;
	*size = 1 + follow;
	return value >= *size && value <= avail;
}

/* Read the first element of the package that starts at p (at PackageOp). */
static bool read_first_element(const uint8_t *p, size_t avail, uint8_t *slp_typa)
{
	size_t length, size, value;

	if (avail < 1 || p[0] != AML_PACKAGE_OP)
		return false;
	if (!decode_pkg_length(p + 1, avail - 1, &length, &size))
		return false;
	p += 1 + size;			/* NumElements, then the elements */
	avail = length - size;
	if (avail < 2 || p[0] == 0)
		return false;
	switch (p[1]) {
	case AML_ZERO_OP:
		value = 0;
		break;
	case AML_ONE_OP:
		value = 1;
		break;
	case AML_BYTE_PREFIX:
		if (avail < 3)
			return false;
		value = p[2];
		break;
	default:
		return false;
	}
	if (value > SLP_TYP_MAX)
		return false;
	*slp_typa = value;
	return true;
}

bool acpi_find_s5(const struct acpi_sdt_header *dsdt, uint8_t *slp_typa)
{
	const uint8_t *aml = (const uint8_t *)(dsdt + 1);
	size_t len = dsdt->length - sizeof(*dsdt);
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(aml + i, "_S5_", 4) && declared_at(aml, i) &&
		    read_first_element(aml + i + 4, len - i - 4, slp_typa))
			return true;
	return false;
}
