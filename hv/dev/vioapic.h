/* The VM's IOAPIC (Intel 82093AA datasheet; version 0x11 as QEMU's): 24
 * pins at 0xfec00000, IOREGSEL/IOWIN, ID, version and arbitration
 * registers, and a redirection entry per pin with vector, delivery mode,
 * logical destination, polarity, trigger mode, remote IRR, mask and an
 * 8-bit destination. Edge pins deliver on a rising edge; level pins while
 * asserted, once per EOI (remote IRR). Interrupts go out on the VM's APIC
 * bus (hv/dev/vlapic.h). Its own lock serializes pins, registers and EOIs
 * from any CPU. */
#pragma once

#include "lib/compiler.h"
#include "x86/pc.h"

#define VIOAPIC_BASE	PC_IOAPIC_BASE
#define VIOAPIC_SIZE	0x1000
#define VIOAPIC_PINS	24

/* Redirection entry bits (vioapic_entry()). */
#define RTE_VECTOR	0xffull
#define RTE_DM		(7ull << 8)
#define RTE_LOGICAL	(1ull << 11)
#define RTE_STATUS	(1ull << 12)
#define RTE_POLARITY	(1ull << 13)
#define RTE_REMOTE_IRR	(1ull << 14)
#define RTE_LEVEL	(1ull << 15)
#define RTE_MASK	(1ull << 16)
#define RTE_DEST_SHIFT	56

struct vapic_bus;
struct vioapic;

/* An IOAPIC delivering on `bus`, every pin masked; NULL without memory. */
struct vioapic *vioapic_create(struct vapic_bus *bus);
void vioapic_destroy(struct vioapic *io);

/* Drive pin `pin` (< VIOAPIC_PINS) to `level` (1: asserted). */
void vioapic_set_pin(struct vioapic *io, unsigned pin, bool level);

/* A local APIC signalled EOI for level-triggered `vector`: clear the remote
 * IRR of every pin with that vector, delivering again where still asserted. */
void vioapic_eoi(struct vioapic *io, uint8_t vector);

/* MMIO at `offset` into the IOAPIC's page: 32-bit accesses to IOREGSEL
 * (0x00), IOWIN (0x10) and the EOI register (0x40); others read zero and
 * are ignored. */
void vioapic_mmio_read(struct vioapic *io, unsigned offset, unsigned size, uint64_t *value);
void vioapic_mmio_write(struct vioapic *io, unsigned offset, unsigned size, uint64_t value);

/* A number that changes whenever a redirection entry is written (before
 * the write delivers anything), and the vectors of every level-triggered
 * entry, masked or not (one bit each in four words): what an EOI of which
 * the IOAPIC must hear may end (APICv's EOI-exit bitmap). */
uint32_t vioapic_generation(struct vioapic *io);
void vioapic_level_vectors(struct vioapic *io, uint64_t vectors[4]);

/* The redirection entry of `pin`, for the monitor and the tests. */
uint64_t vioapic_entry(struct vioapic *io, unsigned pin);
