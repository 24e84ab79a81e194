/* ACPI discovery: RSDP, root table (XSDT preferred, RSDT fallback) and the
 * checked mapping of each table before a parser reads it. */
#include <string.h>

#include "drivers/acpi.h"
#include "drivers/acpi_tables.h"
#include "lib/errmsg.h"
#include "lib/log.h"

#define ACPI_RSDP_V1_LEN	offsetof(struct acpi_rsdp, length)

/* Byte sum of [p, p + len): 0 for a valid ACPI structure. */
static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *bytes = p;
	uint8_t sum = 0;

	while (len--)
		sum += *bytes++;
	return sum;
}

const struct acpi_sdt_header *acpi_map_table(const struct acpi_mapper *m,
					     uint64_t pa, const char *sig)
{
	const struct acpi_sdt_header *hdr = m->map(pa, sizeof(*hdr), m->ctx);
	uint32_t len;

	if (!hdr) {
		log_warn("acpi: %s at 0x%llx is outside mapped memory, skipped",
			 sig, (unsigned long long)pa);
		return NULL;
	}
	if (memcmp(hdr->signature, sig, sizeof(hdr->signature))) {
		log_warn("acpi: table at 0x%llx is '%.4s', expected %s, skipped",
			 (unsigned long long)pa, hdr->signature, sig);
		return NULL;
	}
	len = hdr->length;
	if (len < sizeof(*hdr) || len > ACPI_TABLE_MAX) {
		log_warn("acpi: %s at 0x%llx has length %u, skipped",
			 sig, (unsigned long long)pa, len);
		return NULL;
	}
	hdr = m->map(pa, len, m->ctx);
	if (!hdr) {
		log_warn("acpi: %s at 0x%llx (%u bytes) runs outside mapped memory, skipped",
			 sig, (unsigned long long)pa, len);
		return NULL;
	}
	if (checksum(hdr, len)) {
		log_warn("acpi: %s at 0x%llx has a bad checksum, skipped",
			 sig, (unsigned long long)pa);
		return NULL;
	}
	return hdr;
}

/* Map the root table `sig` with `entry_size`-byte pointers, or NULL. */
static const struct acpi_sdt_header *map_root(const struct acpi_mapper *m,
					      uint64_t pa, const char *sig,
					      size_t entry_size)
{
	const struct acpi_sdt_header *root = acpi_map_table(m, pa, sig);

	if (root && (root->length - sizeof(*root)) % entry_size) {
		log_warn("acpi: %s length %u is not a whole number of entries, skipped",
			 sig, root->length);
		return NULL;
	}
	return root;
}

/* Hand the table at `pa` to its parser if it is one we use and not yet found. */
static void parse_table(const struct acpi_mapper *m, uint64_t pa, struct acpi_info *out)
{
	const struct acpi_sdt_header *hdr = m->map(pa, sizeof(*hdr), m->ctx);

	if (!hdr) {
		log_warn("acpi: root table entry 0x%llx is outside mapped memory, skipped",
			 (unsigned long long)pa);
		return;
	}
	if (!memcmp(hdr->signature, "APIC", 4) && !out->madt.present) {
		hdr = acpi_map_table(m, pa, "APIC");
		if (hdr)
			acpi_parse_madt(hdr, &out->madt);
	} else if (!memcmp(hdr->signature, "FACP", 4) && !out->fadt.present) {
		hdr = acpi_map_table(m, pa, "FACP");
		if (hdr)
			acpi_parse_fadt(hdr, m, &out->fadt);
	}
}

/* Check the RSDP's signature, checksums and (ACPI 2.0+) length. */
static int check_rsdp(const struct acpi_rsdp *rsdp, size_t rsdp_len,
		      char *err, size_t errlen)
{
	if (!rsdp || rsdp_len < ACPI_RSDP_V1_LEN)
		return errmsg(err, errlen, "acpi: no RSDP (%zu bytes)", rsdp_len);
	if (memcmp(rsdp->signature, "RSD PTR ", sizeof(rsdp->signature)))
		return errmsg(err, errlen, "acpi: RSDP signature is not 'RSD PTR '");
	if (checksum(rsdp, ACPI_RSDP_V1_LEN))
		return errmsg(err, errlen, "acpi: RSDP checksum is wrong");
	if (rsdp->revision < 2)
		return 0;
	if (rsdp_len < sizeof(*rsdp))
		return errmsg(err, errlen, "acpi: RSDP revision %u needs %zu bytes, %zu given",
			    rsdp->revision, sizeof(*rsdp), rsdp_len);
	if (rsdp->length < sizeof(*rsdp) || rsdp->length > rsdp_len)
		return errmsg(err, errlen, "acpi: RSDP length %u invalid (%zu bytes given)",
			    rsdp->length, rsdp_len);
	if (checksum(rsdp, rsdp->length))
		return errmsg(err, errlen, "acpi: RSDP extended checksum is wrong");
	return 0;
}

int acpi_parse(const void *rsdp_bytes, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       struct acpi_info *out, char *err, size_t errlen)
{
	const struct acpi_rsdp *rsdp = rsdp_bytes;
	const struct acpi_mapper m = { .map = map, .ctx = ctx };
	const struct acpi_sdt_header *root = NULL;
	size_t entry_size = sizeof(uint64_t), count, i;

	memset(out, 0, sizeof(*out));
	if (check_rsdp(rsdp, rsdp_len, err, errlen))
		return -1;
	out->revision = rsdp->revision;
	if (rsdp->revision >= 2 && rsdp->xsdt_address)
		root = map_root(&m, rsdp->xsdt_address, "XSDT", entry_size);
	if (!root && rsdp->rsdt_address) {
		entry_size = sizeof(uint32_t);
		root = map_root(&m, rsdp->rsdt_address, "RSDT", entry_size);
	}
	if (!root)
		return errmsg(err, errlen, "acpi: no valid XSDT or RSDT");

	count = (root->length - sizeof(*root)) / entry_size;
	for (i = 0; i < count; i++) {
		uint64_t pa = 0;

		/* Little-endian: a 4-byte RSDT entry fills the low half. */
		memcpy(&pa, (const uint8_t *)(root + 1) + i * entry_size, entry_size);
		parse_table(&m, pa, out);
	}
	return 0;
}
