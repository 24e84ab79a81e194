/* Interrupt delivery on a VM's APIC bus: destination matching (physical,
 * logical flat and cluster, x2APIC cluster), shorthands, lowest priority,
 * and the delivery modes. The IOAPIC delivers through the same function. */
#include <stdlib.h>

#include "hv/dev/vlapic_regs.h"

#define XAPIC_BROADCAST		0xffu
#define X2APIC_BROADCAST	0xffffffffu
#define DFR_MODEL_FLAT		0xfu

struct vapic_bus *vapic_bus_create(unsigned n)
{
	struct vapic_bus *bus = calloc(1, sizeof(*bus) + n * sizeof(bus->lapic[0]));

	if (bus)
		bus->n = n;
	return bus;
}

void vapic_bus_destroy(struct vapic_bus *bus)
{
	free(bus);
}

/* Whether `t` is a destination of `dest`, in x2APIC format (32-bit) or
 * xAPIC format (8-bit). */
static bool dest_matches(const struct vlapic *t, uint32_t dest, bool logical, bool x2_format)
{
	uint32_t ldr = vlapic_get(t, APIC_LDR);

	if (!(t->base & APIC_BASE_EN))
		return false;
	if (x2_format) {
		if (dest == X2APIC_BROADCAST)
			return true;
		if (!logical)
			return vlapic_x2apic(t) ? dest == t->id : dest == vlapic_get(t, APIC_ID) >> 24;
		return vlapic_x2apic(t) && dest >> 16 == ldr >> 16 && (dest & ldr & 0xffff);
	}
	dest &= 0xff;
	if (dest == XAPIC_BROADCAST)
		return true;
	if (!logical)
		return vlapic_x2apic(t) ? dest == t->id : dest == vlapic_get(t, APIC_ID) >> 24;
	if (vlapic_x2apic(t))
		return false;
	if (vlapic_get(t, APIC_DFR) >> 28 == DFR_MODEL_FLAT)
		return dest & (ldr >> 24);
	return dest >> 4 == ldr >> 28 && (dest & (ldr >> 24) & 0xf);
}

/* Hand one interrupt, as the ICR-format `icr` describes it, to `t`. */
static void deliver_one(struct vlapic *t, uint32_t icr)
{
	uint8_t vector = icr & APIC_VECTOR_MASK;

	switch (icr & APIC_DM_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		vlapic_set_irq(t, vector, icr & APIC_TRIGGER_LEVEL);
		break;
	case APIC_DM_NMI:
		t->ops->nmi(t->vcpu);
		break;
	case APIC_DM_INIT:
		t->ops->init(t->vcpu);
		break;
	case APIC_DM_STARTUP:
		t->ops->sipi(t->vcpu, vector);
		break;
	default:	/* SMI, ExtINT and the reserved mode: no SMM, no 8259 behind an IPI */
		break;
	}
}

void vapic_bus_deliver(struct vapic_bus *bus, struct vlapic *src, uint32_t icr, uint32_t dest,
		       unsigned shorthand)
{
	bool logical = icr & APIC_DEST_LOGICAL, x2 = src && vlapic_x2apic(src);
	uint32_t mode = icr & APIC_DM_MASK;
	struct vlapic *lowest = NULL;

	for (unsigned i = 0; i < bus->n; i++) {
		struct vlapic *t = bus->lapic[i];
		bool match;

		if (!t)
			continue;
		switch (shorthand) {
		case APIC_SHORTHAND_SELF:
			match = t == src;
			break;
		case APIC_SHORTHAND_ALL:
			match = true;
			break;
		case APIC_SHORTHAND_OTHERS:
			match = t != src;
			break;
		default:
			match = dest_matches(t, dest, logical, x2);
			break;
		}
		if (!match)
			continue;
		if (mode != APIC_DM_LOWEST) {
			deliver_one(t, icr);
		} else if (!lowest || (vlapic_get(t, APIC_PPR) & 0xf0) <
					      (vlapic_get(lowest, APIC_PPR) & 0xf0)) {
			lowest = t;
		}
	}
	if (lowest)
		deliver_one(lowest, icr);
}

void vlapic_send_ipi(struct vlapic *l, uint32_t icr_low, uint32_t dest)
{
	unsigned shorthand = (icr_low >> APIC_SHORTHAND_SHIFT) & 3;
	uint32_t mode = icr_low & APIC_DM_MASK;

	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) &&
	    (icr_low & APIC_VECTOR_MASK) < 16) {
		vlapic_error(l, APIC_ESR_SEND_ILLEGAL);
		return;
	}
	/* INIT level de-assert only synchronizes arbitration IDs: nothing. */
	if (mode == APIC_DM_INIT && !(icr_low & APIC_LEVEL_ASSERT) &&
	    (icr_low & APIC_TRIGGER_LEVEL))
		return;
	vapic_bus_deliver(l->bus, l, icr_low, dest, shorthand);
}
