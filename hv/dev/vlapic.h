/* A vCPU's local APIC, emulated (Intel SDM Vol. 3A "Advanced Programmable
 * Interrupt Controller", AMD APM Vol. 2 "Local APIC"): xAPIC through its
 * MMIO page, x2APIC through MSRs 0x800-0x8ff, modes switched through
 * IA32_APIC_BASE; ID, version, TPR/PPR, ISR/IRR/TMR, EOI (broadcast to the
 * IOAPIC for level-triggered vectors), SVR, ESR, every LVT entry, the ICR
 * with all its destinations and shorthands, and the timer in one-shot,
 * periodic and TSC-deadline modes.
 *
 * The registers live in one 4 KiB page in the xAPIC layout (what APIC
 * virtualization will use as its virtual-APIC page). Everything but IRR is
 * changed only by the owning vCPU on its CPU; IRR bits are set atomically
 * by whoever delivers an interrupt (another vCPU, the IOAPIC, a timer). */
#pragma once

#include "cpu/timer.h"
#include "lib/compiler.h"
#include "x86/pc.h"

#define VLAPIC_DEFAULT_BASE	PC_LAPIC_BASE
#define VLAPIC_MMIO_SIZE	0x1000
/* The APIC timer's input clock, as leaf 0x40000010 tells guests. */
#define VLAPIC_BUS_KHZ		1000000ull
/* The shortest periodic timer period; shorter ones are stretched to it. */
#define VLAPIC_MIN_PERIOD_NS	50000ull

#define MSR_X2APIC_FIRST	0x800
#define MSR_X2APIC_LAST		0x8ff
#define MSR_TSC_DEADLINE	0x6e0

/* The IA32_APIC_BASE bits. */
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_EXTD		(1ull << 10)
#define APIC_BASE_EN		(1ull << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull	/* bits 51:12 */

/* ICR and LVT fields. */
#define APIC_DM_SHIFT		8
#define APIC_DM_MASK		(7u << APIC_DM_SHIFT)
#define APIC_DM_FIXED		(0u << APIC_DM_SHIFT)
#define APIC_DM_LOWEST		(1u << APIC_DM_SHIFT)
#define APIC_DM_SMI		(2u << APIC_DM_SHIFT)
#define APIC_DM_NMI		(4u << APIC_DM_SHIFT)
#define APIC_DM_INIT		(5u << APIC_DM_SHIFT)
#define APIC_DM_STARTUP		(6u << APIC_DM_SHIFT)
#define APIC_DM_EXTINT		(7u << APIC_DM_SHIFT)
#define APIC_DEST_LOGICAL	(1u << 11)
#define APIC_LEVEL_ASSERT	(1u << 14)
#define APIC_TRIGGER_LEVEL	(1u << 15)
#define APIC_LVT_MASKED		(1u << 16)

struct vlapic;
struct vapic_bus;

/* What a vLAPIC asks of the VM core about its vCPU (`vcpu` below). */
struct vlapic_ops {
	/* An interrupt or event became pending: make the vCPU look soon
	 * (wake it, or kick its CPU). Any CPU may call it. */
	void (*notify)(void *vcpu);
	/* Deliver an NMI / an INIT / a start-up IPI to the vCPU. */
	void (*nmi)(void *vcpu);
	void (*init)(void *vcpu);
	void (*sipi)(void *vcpu, uint8_t vector);
	/* The vCPU signalled EOI for level-triggered `vector` (the IOAPIC
	 * clears its remote IRR). */
	void (*eoi_level)(void *vcpu, uint8_t vector);
	/* The guest wrote an xAPIC ID other than the vCPU's index. */
	void (*id_changed)(void *vcpu);
};

struct vlapic_config {
	struct vapic_bus *bus;		/* the VM's APICs, for IPIs */
	uint32_t id;			/* APIC ID: the vCPU's index */
	bool bsp;
	const struct vlapic_ops *ops;
	void *vcpu;			/* passed back to ops */
	int64_t tsc_offset;		/* guest TSC = host TSC + this */
};

/* A VM's APIC bus: its vLAPICs by APIC ID (0..n-1). */
struct vapic_bus *vapic_bus_create(unsigned n);
void vapic_bus_destroy(struct vapic_bus *bus);

/* Create the vLAPIC of one vCPU in its RESET state, on `cfg->bus`.
 * NULL when out of memory. */
struct vlapic *vlapic_create(const struct vlapic_config *cfg);

/* Free it; its timer is stopped first (on any CPU). */
void vlapic_destroy(struct vlapic *l);

/* The INIT state: every register reset but the ID and IA32_APIC_BASE. */
void vlapic_init_reset(struct vlapic *l);

/* The register page (xAPIC layout). */
const uint32_t *vlapic_regs(const struct vlapic *l);

/* IA32_APIC_BASE: read; write with the SDM's mode-transition rules
 * (false: the write raises #GP and changes nothing). */
/* The guest's TSC moved: guest TSC = host TSC + `tsc_offset` from now
 * on. An armed TSC deadline keeps its guest TSC value. */
void vlapic_set_tsc_offset(struct vlapic *l, int64_t tsc_offset);

uint64_t vlapic_base(const struct vlapic *l);
bool vlapic_base_write(struct vlapic *l, uint64_t value);

/* Whether guest-physical `gpa` is in this vCPU's xAPIC register page
 * (xAPIC mode only: in x2APIC mode or disabled the page is not there). */
bool vlapic_mmio_claims(const struct vlapic *l, uint64_t gpa);

/* An MMIO access of `size` bytes at `offset` into the page: reads may be of
 * any size within one register; writes must be 32 bits at a register's
 * start, as the SDM requires (others are ignored). */
void vlapic_mmio_read(struct vlapic *l, unsigned offset, unsigned size, uint64_t *value);
void vlapic_mmio_write(struct vlapic *l, unsigned offset, unsigned size, uint64_t value);

/* x2APIC MSRs 0x800-0x8ff and IA32_TSC_DEADLINE: false for #GP (not in
 * x2APIC mode, a reserved or write-only register read, a read-only
 * register written, reserved bits set). */
bool vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value);
bool vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value);

/* The TPR (CR8 is its bits 7:4), and a write of it. */
uint8_t vlapic_tpr(const struct vlapic *l);
void vlapic_set_tpr(struct vlapic *l, uint8_t tpr);

/* Whether the PIC's INT line reaches this CPU: the APIC is disabled, or
 * LVT LINT0 is unmasked in ExtINT mode (virtual wire). */
bool vlapic_accepts_extint(const struct vlapic *l);

/* Firmware's hand-off state: software-enabled, LINT0 ExtINT (the 8259's
 * virtual wire), LINT1 NMI. */
void vlapic_virtual_wire(struct vlapic *l);

/* The highest-priority vector the APIC would deliver now (IRR above PPR,
 * APIC software-enabled), or -1. */
int vlapic_pending_vector(const struct vlapic *l);

/* The CPU takes `vector` (from vlapic_pending_vector): IRR to ISR. */
void vlapic_accept(struct vlapic *l, uint8_t vector);

/* The highest vector set in IRR / in ISR, or -1 (APICv's RVI and SVI). */
int vlapic_highest_irr(const struct vlapic *l);
int vlapic_highest_isr(const struct vlapic *l);

/* The TMR, 64 vectors per word. */
void vlapic_tmr(const struct vlapic *l, uint64_t tmr[4]);

/* `vector`'s service ended (by an EOI the vLAPIC took, or one the CPU
 * virtualized, which cleared ISR itself): a level-triggered vector's EOI
 * goes to the IOAPIC, and the vCPU looks for what may be delivered now. */
void vlapic_eoi_done(struct vlapic *l, uint8_t vector);
/* The CPU takes `vector` with AutoEOI (a Hyper-V SINT): off IRR, and no
 * ISR bit, so no EOI follows. */
void vlapic_accept_auto_eoi(struct vlapic *l, uint8_t vector);

/* Set IRR bit `vector` (TMR too when `level`): a fixed interrupt arrives.
 * Vectors below 16 are refused with a receive-illegal-vector error. */
void vlapic_set_irq(struct vlapic *l, uint8_t vector, bool level);

/* Deliver an interrupt on the bus: the IOAPIC's and MSI's way, and the ICR's.
 * `icr` holds the vector, delivery mode, logical bit, level and trigger of
 * an ICR's low half; `dest` the destination field (8 bits in xAPIC format,
 * 32 in x2APIC format). Shorthands come only from an APIC (`src`). */
void vapic_bus_deliver(struct vapic_bus *bus, struct vlapic *src, uint32_t icr, uint32_t dest,
		       unsigned shorthand);
