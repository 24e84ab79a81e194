/* The IOAPIC (hv/dev/vioapic.h). */
#include <stdlib.h>

#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "lib/spinlock.h"

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOEOI		0x40
#define REG_ID		0x00
#define REG_VERSION	0x01
#define REG_ARB		0x02
#define REG_REDIR	0x10
#define VERSION_VALUE	(0x11u | (VIOAPIC_PINS - 1) << 16)

/* What software may write: all but delivery status and remote IRR. */
#define RTE_WRITABLE	(RTE_VECTOR | RTE_DM | RTE_LOGICAL | RTE_POLARITY | RTE_LEVEL | RTE_MASK | \
			 0xffull << RTE_DEST_SHIFT)

struct vioapic {
	struct spinlock lock;
	struct vapic_bus *bus;
	uint32_t regsel;
	uint32_t id;
	uint64_t rte[VIOAPIC_PINS];
	uint32_t level;			/* pins asserted now, one bit each */
	uint32_t generation;		/* atomic: bumped by every redirection-entry write */
};

struct vioapic *vioapic_create(struct vapic_bus *bus)
{
	struct vioapic *io = calloc(1, sizeof(*io));

	if (!io)
		return NULL;
	io->lock = (struct spinlock)SPINLOCK_INIT;
	io->bus = bus;
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		io->rte[pin] = RTE_MASK;
	return io;
}

void vioapic_destroy(struct vioapic *io)
{
	free(io);
}

/* Send pin `pin`'s interrupt (lock held). A level-triggered one sets the
 * remote IRR until its EOI. */
static void deliver(struct vioapic *io, unsigned pin)
{
	uint64_t rte = io->rte[pin];
	uint32_t icr = (rte & (RTE_VECTOR | RTE_DM | RTE_LOGICAL)) |
		       (rte & RTE_LEVEL ? APIC_TRIGGER_LEVEL : 0) | APIC_LEVEL_ASSERT;

	if (rte & RTE_MASK)
		return;
	if (rte & RTE_LEVEL) {
		if (rte & RTE_REMOTE_IRR)
			return;
		io->rte[pin] |= RTE_REMOTE_IRR;
	}
	vapic_bus_deliver(io->bus, NULL, icr, rte >> RTE_DEST_SHIFT, 0);
}

void vioapic_set_pin(struct vioapic *io, unsigned pin, bool level)
{
	uint32_t bit = 1u << pin;
	bool was;

	if (pin >= VIOAPIC_PINS)
		return;
	spin_lock(&io->lock);
	was = io->level & bit;
	io->level = level ? io->level | bit : io->level & ~bit;
	if (level && ((io->rte[pin] & RTE_LEVEL) || !was))
		deliver(io, pin);
	spin_unlock(&io->lock);
}

void vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	spin_lock(&io->lock);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];

		if ((rte & RTE_VECTOR) != vector || !(rte & RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~RTE_REMOTE_IRR;
		if (io->level & (1u << pin))
			deliver(io, pin);
	}
	spin_unlock(&io->lock);
}

/* The register IOREGSEL selects (lock held). */
static uint32_t reg_read(struct vioapic *io)
{
	unsigned r = io->regsel;

	if (r == REG_ID)
		return io->id << 24;
	if (r == REG_VERSION)
		return VERSION_VALUE;
	if (r == REG_ARB)
		return io->id << 24;
	if (r >= REG_REDIR && r < REG_REDIR + 2 * VIOAPIC_PINS) {
		uint64_t rte = io->rte[(r - REG_REDIR) / 2];

		return r & 1 ? rte >> 32 : (uint32_t)rte;
	}
	return 0;
}

static void reg_write(struct vioapic *io, uint32_t value)
{
	unsigned r = io->regsel, pin;
	uint64_t rte, mask;

	if (r == REG_ID) {
		io->id = (value >> 24) & 0xf;
		return;
	}
	if (r < REG_REDIR || r >= REG_REDIR + 2 * VIOAPIC_PINS)
		return;		/* version and arbitration are read-only */
	pin = (r - REG_REDIR) / 2;
	mask = r & 1 ? 0xffffffff00000000ull : 0xffffffffull;
	rte = r & 1 ? (uint64_t)value << 32 : value;
	io->rte[pin] = (io->rte[pin] & ~(mask & RTE_WRITABLE)) | (rte & mask & RTE_WRITABLE);
	/* Before anything is delivered through the entry (vioapic_generation). */
	__atomic_fetch_add(&io->generation, 1, __ATOMIC_SEQ_CST);
	/* Switching to edge drops a stale remote IRR; unmasking an asserted
	 * level pin delivers it. */
	if (!(io->rte[pin] & RTE_LEVEL))
		io->rte[pin] &= ~RTE_REMOTE_IRR;
	else if (io->level & (1u << pin))
		deliver(io, pin);
}

void vioapic_mmio_read(struct vioapic *io, unsigned offset, unsigned size, uint64_t *value)
{
	*value = 0;
	if (size != 4)
		return;
	spin_lock(&io->lock);
	if (offset == IOREGSEL)
		*value = io->regsel;
	else if (offset == IOWIN)
		*value = reg_read(io);
	spin_unlock(&io->lock);
}

void vioapic_mmio_write(struct vioapic *io, unsigned offset, unsigned size, uint64_t value)
{
	if (size != 4)
		return;
	if (offset == IOEOI) {
		vioapic_eoi(io, value & 0xff);
		return;
	}
	spin_lock(&io->lock);
	if (offset == IOREGSEL)
		io->regsel = value & 0xff;
	else if (offset == IOWIN)
		reg_write(io, value);
	spin_unlock(&io->lock);
}

uint64_t vioapic_entry(struct vioapic *io, unsigned pin)
{
	uint64_t rte;

	spin_lock(&io->lock);
	rte = pin < VIOAPIC_PINS ? io->rte[pin] : 0;
	spin_unlock(&io->lock);
	return rte;
}

uint32_t vioapic_generation(struct vioapic *io)
{
	return __atomic_load_n(&io->generation, __ATOMIC_SEQ_CST);
}

void vioapic_level_vectors(struct vioapic *io, uint64_t vectors[4])
{
	vectors[0] = vectors[1] = vectors[2] = vectors[3] = 0;
	spin_lock(&io->lock);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint8_t vector = io->rte[pin] & RTE_VECTOR;

		if (io->rte[pin] & RTE_LEVEL)
			vectors[vector / 64] |= 1ull << (vector % 64);
	}
	spin_unlock(&io->lock);
}
