/* MADT parser: the local APIC address, the CPUs that may be started, the
 * IOAPICs and the ISA interrupt overrides. */
#include <string.h>

#include "drivers/acpi_tables.h"
#include "lib/log.h"

/* Smallest valid length of each entry type this parser reads or checks:
 * the NMI entries are not used (no LINT pin is programmed for NMIs), but
 * one cut short means the table is wrong. A longer entry is a later
 * revision's and is read by its known prefix. */
static const uint8_t min_entry_len[] = {
	[ACPI_MADT_LAPIC] = sizeof(struct acpi_madt_lapic),
	[ACPI_MADT_IOAPIC] = sizeof(struct acpi_madt_ioapic),
	[ACPI_MADT_IRQ_OVERRIDE] = sizeof(struct acpi_madt_irq_override),
	[ACPI_MADT_LAPIC_NMI] = sizeof(struct acpi_madt_lapic_nmi),
	[ACPI_MADT_LAPIC_ADDRESS] = sizeof(struct acpi_madt_lapic_address),
	[ACPI_MADT_X2APIC] = sizeof(struct acpi_madt_x2apic),
	[ACPI_MADT_X2APIC_NMI] = sizeof(struct acpi_madt_x2apic_nmi),
};

/* Record a usable CPU once (firmware may list it as both APIC and x2APIC). */
static void add_cpu(struct acpi_madt_info *out, uint32_t apic_id, uint32_t flags)
{
	size_t i;

	if (!(flags & (ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE)))
		return;
	for (i = 0; i < out->cpu_count; i++)
		if (out->apic_ids[i] == apic_id)
			return;
	if (out->cpu_count == ACPI_MAX_CPUS) {
		log_warn("acpi: more than %d CPUs, APIC ID %u not used", ACPI_MAX_CPUS, apic_id);
		return;
	}
	out->apic_ids[out->cpu_count++] = apic_id;
}

static void add_ioapic(struct acpi_madt_info *out, const struct acpi_madt_ioapic *e)
{
	if (out->ioapic_count == ACPI_MAX_IOAPICS) {
		log_warn("acpi: more than %d IOAPICs, IOAPIC %u not used", ACPI_MAX_IOAPICS, e->id);
		return;
	}
	out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){
		.id = e->id, .address = e->address, .gsi_base = e->gsi_base,
	};
}

static void add_override(struct acpi_madt_info *out, const struct acpi_madt_irq_override *e)
{
	if (out->override_count == ACPI_MAX_OVERRIDES) {
		log_warn("acpi: more than %d interrupt overrides, IRQ %u not used",
			 ACPI_MAX_OVERRIDES, e->source);
		return;
	}
	out->overrides[out->override_count++] = (struct acpi_irq_override){
		.source = e->source, .gsi = e->gsi, .flags = e->flags,
	};
}

/* Record what one length-checked entry says. */
static void parse_entry(const struct acpi_madt_entry *entry, struct acpi_madt_info *out)
{
	const struct acpi_madt_lapic *lapic = (const void *)entry;
	const struct acpi_madt_x2apic *x2apic = (const void *)entry;
	const struct acpi_madt_ioapic *ioapic = (const void *)entry;
	const struct acpi_madt_irq_override *override = (const void *)entry;
	const struct acpi_madt_lapic_address *lapic_address = (const void *)entry;

	switch (entry->type) {
	case ACPI_MADT_LAPIC:
		/* 0xff marks an unused slot; such CPUs are listed as x2APICs. */
		if (lapic->apic_id != 0xff)
			add_cpu(out, lapic->apic_id, lapic->flags);
		break;
	case ACPI_MADT_X2APIC:
		add_cpu(out, x2apic->x2apic_id, x2apic->flags);
		break;
	case ACPI_MADT_IOAPIC:
		add_ioapic(out, ioapic);
		break;
	case ACPI_MADT_IRQ_OVERRIDE:
		add_override(out, override);
		break;
	case ACPI_MADT_LAPIC_ADDRESS:
		out->lapic_address = lapic_address->address;
		break;
	}
}

/* Whether the entry at `offset` lies inside the `len`-byte MADT at `table`
 * and is long enough for its type; warns when not. */
static bool entry_fits(const uint8_t *table, size_t len, size_t offset)
{
	const struct acpi_madt_entry *entry = (const void *)(table + offset);

	if (len - offset < sizeof(*entry)) {
		log_warn("acpi: MADT entry at offset %zu is malformed: %zu bytes left, MADT ignored",
			 offset, len - offset);
		return false;
	}
	if (entry->length < sizeof(*entry) || entry->length > len - offset ||
	    (entry->type < ARRAY_SIZE(min_entry_len) &&
	     entry->length < min_entry_len[entry->type])) {
		log_warn("acpi: MADT entry at offset %zu is malformed: type %u, length %u, %zu bytes left, MADT ignored",
			 offset, entry->type, entry->length, len - offset);
		return false;
	}
	return true;
}

void acpi_parse_madt(const struct acpi_sdt_header *hdr, struct acpi_madt_info *out)
{
	const struct acpi_madt *madt = (const void *)hdr;
	const uint8_t *table = (const uint8_t *)hdr;
	const struct acpi_madt_entry *entry;
	size_t offset;

	memset(out, 0, sizeof(*out));
	if (hdr->length < sizeof(*madt)) {
		log_warn("acpi: MADT of %u bytes is too short, ignored", hdr->length);
		return;
	}
	out->lapic_address = madt->lapic_address;
	out->legacy_pics = madt->flags & ACPI_MADT_PCAT_COMPAT;
	for (offset = sizeof(*madt); offset < hdr->length; offset += entry->length) {
		entry = (const void *)(table + offset);
		if (!entry_fits(table, hdr->length, offset)) {
			memset(out, 0, sizeof(*out));
			return;
		}
		parse_entry(entry, out);
	}
	out->present = true;
}
