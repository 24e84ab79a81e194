/* The vLAPIC's registers (hv/dev/vlapic.h): reset, IA32_APIC_BASE, the MMIO
 * and x2APIC MSR interfaces, priorities, acceptance and EOI. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "hv/dev/vlapic_regs.h"

#define X2APIC_MSR(offset)	(MSR_X2APIC_FIRST + ((offset) >> 4))
#define APIC_BASE_PHYS_BITS	36			/* what CPUID 0x80000008 tells guests */

/* Bit `vector` of the 256-bit ISR/TMR/IRR register at `first`. */
static uint32_t *vector_word(struct vlapic *l, unsigned first, uint8_t vector)
{
	return vlapic_reg(l, first + (vector / 32) * 0x10);
}

static bool vector_test(const struct vlapic *l, unsigned first, uint8_t vector)
{
	return vlapic_get(l, first + (vector / 32) * 0x10) & (1u << (vector % 32));
}

static void vector_set(struct vlapic *l, unsigned first, uint8_t vector)
{
	__atomic_fetch_or(vector_word(l, first, vector), 1u << (vector % 32), __ATOMIC_SEQ_CST);
}

static void vector_clear(struct vlapic *l, unsigned first, uint8_t vector)
{
	__atomic_fetch_and(vector_word(l, first, vector), ~(1u << (vector % 32)),
			   __ATOMIC_SEQ_CST);
}

/* The highest vector set in the 256-bit register at `first`, or -1. */
static int vector_highest(const struct vlapic *l, unsigned first)
{
	for (int word = 7; word >= 0; word--) {
		uint32_t bits = vlapic_get(l, first + word * 0x10);

		if (bits)
			return word * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

/* PPR: the TPR, or the class of the highest in-service vector if above. */
static void ppr_update(struct vlapic *l)
{
	uint32_t tpr = vlapic_get(l, APIC_TPR), isrv = MAX(vector_highest(l, APIC_ISR), 0);

	*vlapic_reg(l, APIC_PPR) = (tpr & 0xf0) >= (isrv & 0xf0) ? tpr : (isrv & 0xf0);
}

/* Every LVT entry masked, as after reset or a software disable. */
static void lvt_mask_all(struct vlapic *l)
{
	for (unsigned off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10)
		*vlapic_reg(l, off) |= APIC_LVT_MASKED;
}

/* The ID and LDR an x2APIC derives from the x2APIC ID. */
static void x2apic_ids(struct vlapic *l)
{
	*vlapic_reg(l, APIC_ID) = l->id;
	*vlapic_reg(l, APIC_LDR) = (l->id >> 4) << 16 | 1u << (l->id & 0xf);
}

void vlapic_init_reset(struct vlapic *l)
{
	uint32_t id = vlapic_get(l, APIC_ID);

	timer_cancel(&l->timer);
	l->timer_deadline = l->timer_period = l->tsc_deadline = 0;
	memset(l->page, 0, VLAPIC_MMIO_SIZE);
	*vlapic_reg(l, APIC_ID) = id;
	*vlapic_reg(l, APIC_VERSION) = APIC_VERSION_VALUE;
	*vlapic_reg(l, APIC_DFR) = APIC_DFR_FLAT;
	*vlapic_reg(l, APIC_SVR) = 0xff;
	lvt_mask_all(l);
	l->esr_pending = 0;
	if (vlapic_x2apic(l))
		x2apic_ids(l);
}

void vlapic_virtual_wire(struct vlapic *l)
{
	*vlapic_reg(l, APIC_SVR) = APIC_SVR_ENABLE | 0xff;
	*vlapic_reg(l, APIC_LVT_LINT0) = APIC_DM_EXTINT;
	*vlapic_reg(l, APIC_LVT_LINT1) = APIC_DM_NMI;
}

struct vlapic *vlapic_create(const struct vlapic_config *cfg)
{
	struct vlapic *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->page = memalign(VLAPIC_MMIO_SIZE, VLAPIC_MMIO_SIZE);
	if (!l->page) {
		free(l);
		return NULL;
	}
	memset(l->page, 0, VLAPIC_MMIO_SIZE);
	l->id = cfg->id;
	l->bus = cfg->bus;
	l->ops = cfg->ops;
	l->vcpu = cfg->vcpu;
	l->tsc_offset = cfg->tsc_offset;
	l->base = VLAPIC_DEFAULT_BASE | APIC_BASE_EN | (cfg->bsp ? APIC_BASE_BSP : 0);
	timer_init(&l->timer, vlapic_timer_expired);
	*vlapic_reg(l, APIC_ID) = cfg->id << 24;
	vlapic_init_reset(l);
	if (cfg->id < l->bus->n)
		l->bus->lapic[cfg->id] = l;
	return l;
}

void vlapic_destroy(struct vlapic *l)
{
	if (!l)
		return;
	timer_cancel_sync(&l->timer);
	if (l->id < l->bus->n && l->bus->lapic[l->id] == l)
		l->bus->lapic[l->id] = NULL;
	free(l->page);
	free(l);
}

const uint32_t *vlapic_regs(const struct vlapic *l)
{
	return l->page;
}

uint64_t vlapic_base(const struct vlapic *l)
{
	return l->base;
}

bool vlapic_base_write(struct vlapic *l, uint64_t value)
{
	uint64_t reserved = ~(APIC_BASE_BSP | APIC_BASE_EXTD | APIC_BASE_EN |
			      (APIC_BASE_ADDR_MASK & ((1ull << APIC_BASE_PHYS_BITS) - 1)));
	bool was_en = l->base & APIC_BASE_EN, was_x2 = vlapic_x2apic(l);
	bool en = value & APIC_BASE_EN, x2 = value & APIC_BASE_EXTD;

	/* BSP is read-only; EXTD needs EN; x2APIC can only be left by
	 * disabling; a disabled APIC enters xAPIC mode first. */
	if ((value & reserved) || (value & APIC_BASE_BSP) != (l->base & APIC_BASE_BSP) ||
	    (x2 && !en) || (was_x2 && en && !x2) || (!was_en && x2))
		return false;
	l->base = value;
	if (was_en && !en) {
		vlapic_init_reset(l);
		*vlapic_reg(l, APIC_ID) = l->id << 24;
	} else if (x2 && !was_x2) {
		x2apic_ids(l);
	}
	return true;
}

bool vlapic_mmio_claims(const struct vlapic *l, uint64_t gpa)
{
	uint64_t page = l->base & APIC_BASE_ADDR_MASK;

	return (l->base & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN &&
	       gpa >= page && gpa < page + VLAPIC_MMIO_SIZE;
}

void vlapic_error(struct vlapic *l, uint32_t esr_bit)
{
	uint32_t lvt = vlapic_get(l, APIC_LVT_ERROR);

	l->esr_pending |= esr_bit;
	if (!(lvt & APIC_LVT_MASKED) && (lvt & APIC_VECTOR_MASK) >= 16)
		vlapic_set_irq(l, lvt & APIC_VECTOR_MASK, false);
}

void vlapic_set_irq(struct vlapic *l, uint8_t vector, bool level)
{
	if (vector < 16) {
		vlapic_error(l, APIC_ESR_RECV_ILLEGAL);
		return;
	}
	if (!vlapic_sw_enabled(l))
		return;
	if (level)
		vector_set(l, APIC_TMR, vector);
	else
		vector_clear(l, APIC_TMR, vector);
	vector_set(l, APIC_IRR, vector);
	l->ops->notify(l->vcpu);
}

bool vlapic_accepts_extint(const struct vlapic *l)
{
	uint32_t lint0 = vlapic_get(l, APIC_LVT_LINT0);

	if (!(l->base & APIC_BASE_EN))
		return true;
	return !(lint0 & APIC_LVT_MASKED) && (lint0 & APIC_DM_MASK) == APIC_DM_EXTINT;
}

uint8_t vlapic_tpr(const struct vlapic *l)
{
	return vlapic_get(l, APIC_TPR);
}

void vlapic_set_tpr(struct vlapic *l, uint8_t tpr)
{
	*vlapic_reg(l, APIC_TPR) = tpr;
	ppr_update(l);
	if (vlapic_pending_vector(l) >= 0)
		l->ops->notify(l->vcpu);
}

int vlapic_pending_vector(const struct vlapic *l)
{
	int vector = vector_highest(l, APIC_IRR);

	if (vector < 0 || !vlapic_sw_enabled(l))
		return -1;
	return ((unsigned)vector & 0xf0) > (vlapic_get(l, APIC_PPR) & 0xf0) ? vector : -1;
}

void vlapic_accept(struct vlapic *l, uint8_t vector)
{
	vector_clear(l, APIC_IRR, vector);
	vector_set(l, APIC_ISR, vector);
	ppr_update(l);
}

void vlapic_eoi_done(struct vlapic *l, uint8_t vector)
{
	if (vector_test(l, APIC_TMR, vector))
		l->ops->eoi_level(l->vcpu, vector);
	/* A lower-priority interrupt may be deliverable now. */
	if (vlapic_pending_vector(l) >= 0)
		l->ops->notify(l->vcpu);
}

void vlapic_accept_auto_eoi(struct vlapic *l, uint8_t vector)
{
	vector_clear(l, APIC_IRR, vector);
}

static void vlapic_eoi(struct vlapic *l)
{
	int vector = vector_highest(l, APIC_ISR);

	if (vector < 0)
		return;
	vector_clear(l, APIC_ISR, vector);
	ppr_update(l);
	vlapic_eoi_done(l, vector);
}

int vlapic_highest_irr(const struct vlapic *l)
{
	return vector_highest(l, APIC_IRR);
}

int vlapic_highest_isr(const struct vlapic *l)
{
	return vector_highest(l, APIC_ISR);
}

void vlapic_tmr(const struct vlapic *l, uint64_t tmr[4])
{
	for (unsigned i = 0; i < 4; i++)
		tmr[i] = vlapic_get(l, APIC_TMR + 0x20 * i) |
			 (uint64_t)vlapic_get(l, APIC_TMR + 0x20 * i + 0x10) << 32;
}

/* The bits software may write in each LVT entry. */
static uint32_t lvt_writable(unsigned offset)
{
	switch (offset) {
	case APIC_LVT_TIMER:
		return APIC_VECTOR_MASK | APIC_LVT_MASKED | APIC_LVT_TIMER_MODE;
	case APIC_LVT_LINT0:
		return APIC_VECTOR_MASK | APIC_DM_MASK | (1u << 13) | APIC_TRIGGER_LEVEL |
		       APIC_LVT_MASKED;
	case APIC_LVT_LINT1:
		return APIC_VECTOR_MASK | APIC_DM_MASK | (1u << 13) | APIC_LVT_MASKED;
	case APIC_LVT_ERROR:
		return APIC_VECTOR_MASK | APIC_LVT_MASKED;
	default:	/* thermal, performance */
		return APIC_VECTOR_MASK | APIC_DM_MASK | APIC_LVT_MASKED;
	}
}

/* The read-only status bits of each LVT entry: delivery status, and the
 * LINT pins' remote IRR. */
static uint32_t lvt_status(unsigned offset)
{
	switch (offset) {
	case APIC_LVT_LINT0:
	case APIC_LVT_LINT1:
		return APIC_LVT_DELIVERY_STATUS | APIC_LVT_REMOTE_IRR;
	default:
		return APIC_LVT_DELIVERY_STATUS;
	}
}

/* Read register `offset`; false when it is reserved (or write-only) in
 * the current mode. */
static bool reg_read(struct vlapic *l, unsigned offset, uint32_t *value)
{
	bool x2 = vlapic_x2apic(l);

	switch (offset) {
	case APIC_ID: case APIC_VERSION: case APIC_TPR: case APIC_PPR: case APIC_LDR:
	case APIC_SVR: case APIC_ICR_LOW: case APIC_TIMER_INIT: case APIC_TIMER_DCR:
	case APIC_LVT_TIMER: case APIC_LVT_THERMAL: case APIC_LVT_PERF: case APIC_LVT_LINT0:
	case APIC_LVT_LINT1: case APIC_LVT_ERROR:
		*value = vlapic_get(l, offset);
		return true;
	case APIC_ISR ... APIC_IRR + 0x70:
		if (offset & 0xf)
			return false;
		*value = vlapic_get(l, offset);
		return true;
	case APIC_ESR:
		*value = vlapic_get(l, APIC_ESR);
		return true;
	case APIC_TIMER_CUR:
		*value = vlapic_timer_current(l);
		return true;
	case APIC_ICR_HIGH: case APIC_DFR: case APIC_APR: case APIC_RRD: case APIC_EOI:
		*value = offset == APIC_ICR_HIGH || offset == APIC_DFR ? vlapic_get(l, offset) :
			 offset == APIC_APR ? vlapic_get(l, APIC_PPR) : 0;
		return !x2;
	default:
		return false;
	}
}

/* Write `value` to register `offset`; false when the write is not allowed
 * in the current mode (x2APIC: #GP; xAPIC: ignored). */
static bool reg_write(struct vlapic *l, unsigned offset, uint32_t value)
{
	bool x2 = vlapic_x2apic(l);

	switch (offset) {
	case APIC_ID:
		if (x2)
			return false;
		*vlapic_reg(l, APIC_ID) = value & 0xff000000u;
		if (value >> 24 != l->id)
			l->ops->id_changed(l->vcpu);
		return true;
	case APIC_TPR:
		if (x2 && (value & ~0xffu))
			return false;
		vlapic_set_tpr(l, value & 0xff);
		return true;
	case APIC_EOI:
		if (x2 && value)
			return false;
		vlapic_eoi(l);
		return true;
	case APIC_LDR:
		if (x2)
			return false;
		*vlapic_reg(l, APIC_LDR) = value & 0xff000000u;
		return true;
	case APIC_DFR:
		if (x2)
			return false;
		*vlapic_reg(l, APIC_DFR) = value | 0x0fffffffu;
		return true;
	case APIC_SVR:
		if (x2 && (value & ~APIC_SVR_MASK))
			return false;
		*vlapic_reg(l, APIC_SVR) = value & APIC_SVR_MASK;
		if (!(value & APIC_SVR_ENABLE))
			lvt_mask_all(l);
		return true;
	case APIC_ESR:
		if (x2 && value)
			return false;
		*vlapic_reg(l, APIC_ESR) = l->esr_pending;
		l->esr_pending = 0;
		return true;
	case APIC_ICR_LOW:
		if (x2)
			return false;
		*vlapic_reg(l, APIC_ICR_LOW) = value & ~(1u << 12);
		vlapic_send_ipi(l, value, vlapic_get(l, APIC_ICR_HIGH) >> 24);
		return true;
	case APIC_ICR_HIGH:
		if (x2)
			return false;
		*vlapic_reg(l, APIC_ICR_HIGH) = value & 0xff000000u;
		return true;
	case APIC_LVT_TIMER: case APIC_LVT_THERMAL: case APIC_LVT_PERF: case APIC_LVT_LINT0:
	case APIC_LVT_LINT1: case APIC_LVT_ERROR: {
		uint32_t old = vlapic_get(l, offset), keep = old & ~lvt_writable(offset);

		/* Delivery status and remote IRR are read-only, not reserved:
		 * writing back what was read is no #GP. */
		if (x2 && (value & ~(lvt_writable(offset) | lvt_status(offset))))
			return false;
		if (offset == APIC_LVT_TIMER &&
		    (value & APIC_LVT_TIMER_MODE) == APIC_LVT_TIMER_MODE)
			return !x2;	/* mode 3 is reserved */
		if (!vlapic_sw_enabled(l))
			value |= APIC_LVT_MASKED;
		*vlapic_reg(l, offset) = keep | (value & lvt_writable(offset));
		if (offset == APIC_LVT_TIMER)
			vlapic_timer_reconfigure(l, old);
		return true;
	}
	case APIC_TIMER_INIT:
		if ((vlapic_get(l, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE) == APIC_TIMER_DEADLINE)
			return true;	/* ignored in TSC-deadline mode */
		*vlapic_reg(l, APIC_TIMER_INIT) = value;
		vlapic_timer_start(l);
		return true;
	case APIC_TIMER_DCR:
		if (x2 && (value & ~0xbu))
			return false;
		*vlapic_reg(l, APIC_TIMER_DCR) = value & 0xb;
		return true;
	case APIC_SELF_IPI:
		if (!x2 || (value & ~APIC_VECTOR_MASK))
			return false;
		vlapic_send_ipi(l, (value & APIC_VECTOR_MASK) |
				   APIC_SHORTHAND_SELF << APIC_SHORTHAND_SHIFT, 0);
		return true;
	default:
		return false;	/* read-only or reserved */
	}
}

void vlapic_mmio_read(struct vlapic *l, unsigned offset, unsigned size, uint64_t *value)
{
	unsigned in_reg = offset & 0xf;
	uint32_t reg = 0;

	if (!reg_read(l, offset & ~0xfu, &reg) && (offset & ~0xfu) <= APIC_LAST_REG)
		vlapic_error(l, APIC_ESR_ILLEGAL_REG);
	*value = in_reg < 4 ? (reg >> (8 * in_reg)) : 0;
	if (size < 8)
		*value &= (1ull << (8 * size)) - 1;
}

void vlapic_mmio_write(struct vlapic *l, unsigned offset, unsigned size, uint64_t value)
{
	if (size != 4 || (offset & 0xf))
		return;		/* the SDM leaves these undefined: ignore */
	if (!reg_write(l, offset, (uint32_t)value) && offset <= APIC_LAST_REG)
		vlapic_error(l, APIC_ESR_ILLEGAL_REG);
}

bool vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value)
{
	uint32_t reg;

	if (msr == MSR_TSC_DEADLINE) {
		*value = (vlapic_get(l, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE) ==
			 APIC_TIMER_DEADLINE ? l->tsc_deadline : 0;
		return true;
	}
	if (!vlapic_x2apic(l) || msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
		return false;
	if (!reg_read(l, (msr - MSR_X2APIC_FIRST) << 4, &reg))
		return false;
	*value = reg;
	if (msr == X2APIC_MSR(APIC_ICR_LOW))
		*value |= (uint64_t)vlapic_get(l, APIC_ICR_HIGH) << 32;
	return true;
}

/* The bits of the x2APIC ICR that must be zero: delivery status, 13,
 * 16-17 and 20-31 of the low half. */
#define X2APIC_ICR_RESERVED	0xfff33000ull

bool vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value)
{
	if (msr == MSR_TSC_DEADLINE) {
		if ((vlapic_get(l, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE) == APIC_TIMER_DEADLINE)
			vlapic_timer_set_deadline(l, value);
		return true;
	}
	if (!vlapic_x2apic(l) || msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
		return false;
	if (msr == X2APIC_MSR(APIC_ICR_LOW)) {
		if (value & X2APIC_ICR_RESERVED)
			return false;
		*vlapic_reg(l, APIC_ICR_LOW) = (uint32_t)value;
		*vlapic_reg(l, APIC_ICR_HIGH) = value >> 32;
		vlapic_send_ipi(l, (uint32_t)value, value >> 32);
		return true;
	}
	if (value >> 32)
		return false;
	return reg_write(l, (msr - MSR_X2APIC_FIRST) << 4, (uint32_t)value);
}
