/* The vLAPIC's register offsets and its internal state, shared by the
 * files of hv/dev/vlapic*.c only. */
#pragma once

#include "hv/dev/vlapic.h"

#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_APR	0x090
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_RRD	0x0c0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR_LOW	0x300
#define APIC_ICR_HIGH	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF	0x340
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DCR	0x3e0
#define APIC_SELF_IPI	0x3f0
#define APIC_LAST_REG	0x3f0

/* Version 0x14, 6 LVT entries (timer, thermal, perf, LINT0, LINT1, error). */
#define APIC_VERSION_VALUE	0x00050014u
#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_SVR_MASK		0x3ffu		/* vector, enable, focus checking */
#define APIC_DFR_FLAT		0xffffffffu
#define APIC_VECTOR_MASK	0xffu
#define APIC_LVT_DELIVERY_STATUS (1u << 12)
#define APIC_LVT_REMOTE_IRR	(1u << 14)
#define APIC_LVT_TIMER_MODE	(3u << 17)
#define APIC_TIMER_ONESHOT	(0u << 17)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_DEADLINE	(2u << 17)
#define APIC_SHORTHAND_SHIFT	18
#define APIC_SHORTHAND_NONE	0
#define APIC_SHORTHAND_SELF	1
#define APIC_SHORTHAND_ALL	2
#define APIC_SHORTHAND_OTHERS	3

/* ESR bits. */
#define APIC_ESR_SEND_ILLEGAL	(1u << 5)
#define APIC_ESR_RECV_ILLEGAL	(1u << 6)
#define APIC_ESR_ILLEGAL_REG	(1u << 7)

struct vlapic {
	uint32_t *page;			/* the registers, xAPIC layout */
	uint64_t base;			/* IA32_APIC_BASE */
	uint32_t id;			/* the vCPU's index: the x2APIC ID */
	struct vapic_bus *bus;
	const struct vlapic_ops *ops;
	void *vcpu;
	int64_t tsc_offset;
	uint32_t esr_pending;		/* errors since the last ESR write */
	struct timer timer;
	uint64_t timer_deadline;	/* host TSC the count reaches 0; 0: stopped */
	uint64_t timer_period;		/* host TSC ticks of a periodic period */
	uint64_t tsc_deadline;		/* IA32_TSC_DEADLINE as written, 0: none */
};

struct vapic_bus {
	unsigned n;
	struct vlapic *lapic[];		/* by APIC ID */
};

static inline uint32_t *vlapic_reg(struct vlapic *l, unsigned offset)
{
	return &l->page[offset / 4];
}

static inline uint32_t vlapic_get(const struct vlapic *l, unsigned offset)
{
	return __atomic_load_n(&l->page[offset / 4], __ATOMIC_ACQUIRE);
}

static inline bool vlapic_x2apic(const struct vlapic *l)
{
	return (l->base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

static inline bool vlapic_sw_enabled(const struct vlapic *l)
{
	return (l->base & APIC_BASE_EN) && (vlapic_get(l, APIC_SVR) & APIC_SVR_ENABLE);
}

/* Record an error in the ESR; an unmasked LVT Error entry raises its vector. */
void vlapic_error(struct vlapic *l, uint32_t esr_bit);

/* The timer (hv/dev/vlapic_timer.c): the LVT timer entry, initial count,
 * divide configuration or TSC deadline changed; the current count now. */
void vlapic_timer_reconfigure(struct vlapic *l, uint32_t old_lvt);
void vlapic_timer_start(struct vlapic *l);
uint32_t vlapic_timer_current(const struct vlapic *l);
void vlapic_timer_set_deadline(struct vlapic *l, uint64_t guest_tsc);
void vlapic_timer_expired(struct timer *t);

/* Send the IPI the ICR describes (hv/dev/vlapic_ipi.c). */
void vlapic_send_ipi(struct vlapic *l, uint32_t icr_low, uint32_t dest);
