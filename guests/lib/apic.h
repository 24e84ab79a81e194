/*
 * The local APIC, as the guests use it: xAPIC through its register page
 * (at its physical address: the guests run without paging) or x2APIC
 * through MSRs, the same register offsets for both. Also the clocks the
 * timer tests measure against.
 */
#pragma once

#include "lib/compiler.h"

#define APIC_PAGE	0xfee00000u
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR_HIGH	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DCR	0x3e0
#define APIC_SELF_IPI	0x3f0

#define MSR_APIC_BASE_NR	0x1b
#define MSR_TSC_DEADLINE_NR	0x6e0
#define APIC_BASE_EN		(1u << 11)
#define APIC_BASE_EXTD		(1u << 10)
#define APIC_SPURIOUS		0xff
#define APIC_LVT_MASK		(1u << 16)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_TSC_DEADLINE	(2u << 17)
#define ICR_SELF		(1u << 18)
#define ICR_ALL_BUT_SELF	(3u << 18)
#define ICR_NMI			(4u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_LOGICAL		(1u << 11)
#define ICR_ASSERT		(1u << 14)

/* Whether the APIC is used through MSRs (x2APIC mode). */
extern bool apic_x2;

/* Enable this CPU's APIC (x2APIC mode when `x2`), software-enabled with
 * the spurious vector APIC_SPURIOUS, and a handler for that vector. */
void apic_enable(bool x2);

uint32_t apic_read(unsigned reg);
void apic_write(unsigned reg, uint32_t value);
void apic_eoi(void);
uint32_t apic_id(void);

/* Send the IPI `icr` (low half) to APIC `dest` (ignored with a shorthand). */
void apic_send_ipi(uint32_t dest, uint32_t icr);

/* Whether the interrupt `vector` is in-service / requested now. */
bool apic_isr(uint8_t vector);
bool apic_irr(uint8_t vector);

/* TSC ticks per millisecond and APIC timer ticks (divide by 1) per
 * millisecond: the hypervisor's leaf 0x40000010 when it has one, else
 * measured (the TSC against PIT channel 2, the APIC timer against the TSC). */
uint64_t tsc_khz(void);
uint64_t apic_timer_khz(void);

/* Spin until `us` microseconds have passed on the TSC. */
void udelay(uint32_t us);
