/* The vLAPIC: reset state, priorities (IRR/ISR/TPR/PPR, EOI and its
 * broadcast for level-triggered vectors), the ICR's destinations,
 * shorthands and delivery modes, IA32_APIC_BASE transitions, the x2APIC
 * MSR rules, the timer in its three modes (on a clock the test moves), the
 * MMIO rules and errors in the ESR. Four vCPUs on one APIC bus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "drivers/tsc.h"
#include "hv/dev/vlapic_regs.h"
#include "tests/unit/timer_host.h"

#define NR	4
#define BASE	VLAPIC_DEFAULT_BASE
#define X2(off)	(MSR_X2APIC_FIRST + ((off) >> 4))

struct fake_vcpu {
	unsigned notified, nmis, inits, sipis, eois, id_changes;
	uint8_t sipi_vector, eoi_vector;
};

static struct fake_vcpu vcpus[NR];
static struct vapic_bus *bus;
static struct vlapic *apic[NR];

static void notify(void *v) { ((struct fake_vcpu *)v)->notified++; }
static void nmi(void *v) { ((struct fake_vcpu *)v)->nmis++; }
static void init(void *v) { ((struct fake_vcpu *)v)->inits++; }

static void sipi(void *v, uint8_t vector)
{
	((struct fake_vcpu *)v)->sipis++;
	((struct fake_vcpu *)v)->sipi_vector = vector;
}

static void eoi_level(void *v, uint8_t vector)
{
	((struct fake_vcpu *)v)->eois++;
	((struct fake_vcpu *)v)->eoi_vector = vector;
}

static void id_changed(void *v) { ((struct fake_vcpu *)v)->id_changes++; }

static const struct vlapic_ops ops = { notify, nmi, init, sipi, eoi_level, id_changed };

static int setup(void **state)
{
	host_tsc_set(1000000);
	bus = vapic_bus_create(NR);
	for (unsigned i = 0; i < NR; i++) {
		struct vlapic_config cfg = { bus, i, i == 0, &ops, &vcpus[i], 0 };

		vcpus[i] = (struct fake_vcpu){ 0 };
		apic[i] = vlapic_create(&cfg);
		assert_non_null(apic[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < NR; i++)
		vlapic_destroy(apic[i]);
	vapic_bus_destroy(bus);
	return 0;
}

static uint32_t rd(struct vlapic *l, unsigned off)
{
	uint64_t v;

	vlapic_mmio_read(l, off, 4, &v);
	return v;
}

static void wr(struct vlapic *l, unsigned off, uint32_t v)
{
	vlapic_mmio_write(l, off, 4, v);
}

static bool irr(struct vlapic *l, uint8_t v)
{
	return rd(l, APIC_IRR + v / 32 * 0x10) & (1u << (v % 32));
}

static void enable_all(void)
{
	for (unsigned i = 0; i < NR; i++)
		wr(apic[i], APIC_SVR, APIC_SVR_ENABLE | 0xff);
}

static void test_reset_state(void **state)
{
	assert_int_equal(rd(apic[2], APIC_ID), 2u << 24);
	assert_int_equal(rd(apic[2], APIC_VERSION), 0x00050014);
	assert_int_equal(rd(apic[2], APIC_SVR), 0xff);
	assert_int_equal(rd(apic[2], APIC_DFR), 0xffffffff);
	for (unsigned off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10)
		assert_int_equal(rd(apic[2], off), APIC_LVT_MASKED);
	assert_int_equal(vlapic_base(apic[0]), BASE | APIC_BASE_EN | APIC_BASE_BSP);
	assert_int_equal(vlapic_base(apic[1]), BASE | APIC_BASE_EN);
	assert_true(vlapic_mmio_claims(apic[1], BASE + 0x300));
	assert_false(vlapic_mmio_claims(apic[1], BASE + 0x1000));
}

static void test_priorities_and_eoi(void **state)
{
	struct vlapic *l = apic[0];

	/* Software-disabled: fixed interrupts are not accepted. */
	vlapic_set_irq(l, 0x41, false);
	assert_false(irr(l, 0x41));
	enable_all();
	vlapic_set_irq(l, 0x41, false);
	vlapic_set_irq(l, 0x30, false);
	assert_int_equal(vcpus[0].notified, 2);
	assert_int_equal(vlapic_pending_vector(l), 0x41);
	vlapic_accept(l, 0x41);
	assert_int_equal(rd(l, APIC_PPR), 0x40);
	assert_int_equal(vlapic_pending_vector(l), -1);	/* 0x30's class is below */
	vlapic_set_irq(l, 0x51, false);
	assert_int_equal(vlapic_pending_vector(l), 0x51);
	wr(l, APIC_TPR, 0x60);
	assert_int_equal(rd(l, APIC_PPR), 0x60);
	assert_int_equal(vlapic_pending_vector(l), -1);
	wr(l, APIC_TPR, 0);
	vlapic_accept(l, 0x51);
	assert_true(rd(l, APIC_ISR + 0x20) & (1u << (0x51 - 64)));
	wr(l, APIC_EOI, 0);				/* ends 0x51, the highest */
	assert_int_equal(rd(l, APIC_PPR), 0x40);
	wr(l, APIC_EOI, 0);				/* ends 0x41 */
	assert_int_equal(rd(l, APIC_PPR), 0);
	assert_int_equal(vlapic_pending_vector(l), 0x30);
	assert_int_equal(vcpus[0].eois, 0);		/* edge-triggered: no broadcast */
	vlapic_accept(l, 0x30);
	vlapic_set_irq(l, 0x70, true);
	vlapic_accept(l, 0x70);
	wr(l, APIC_EOI, 0);
	assert_int_equal(vcpus[0].eois, 1);
	assert_int_equal(vcpus[0].eoi_vector, 0x70);
}

static void test_ipi_destinations(void **state)
{
	enable_all();
	/* Physical: APIC 2. */
	wr(apic[0], APIC_ICR_HIGH, 2u << 24);
	wr(apic[0], APIC_ICR_LOW, 0x40);
	assert_true(irr(apic[2], 0x40));
	assert_false(irr(apic[1], 0x40));
	assert_int_equal(rd(apic[0], APIC_ICR_LOW) & (1u << 12), 0);	/* idle */
	/* Logical flat: LDR bits 1 and 3. */
	wr(apic[1], APIC_LDR, 0x02u << 24);
	wr(apic[3], APIC_LDR, 0x08u << 24);
	wr(apic[0], APIC_ICR_HIGH, 0x0au << 24);
	wr(apic[0], APIC_ICR_LOW, APIC_DEST_LOGICAL | 0x41);
	assert_true(irr(apic[1], 0x41) && irr(apic[3], 0x41));
	assert_false(irr(apic[2], 0x41));
	/* Logical cluster: cluster 1, member bit 0 is APIC 2 only. */
	for (unsigned i = 1; i < NR; i++)
		wr(apic[i], APIC_DFR, 0x0fffffff);
	wr(apic[2], APIC_LDR, 0x11u << 24);
	wr(apic[0], APIC_ICR_HIGH, 0x11u << 24);
	wr(apic[0], APIC_ICR_LOW, APIC_DEST_LOGICAL | 0x42);
	assert_true(irr(apic[2], 0x42));
	assert_false(irr(apic[1], 0x42) || irr(apic[3], 0x42));
	/* Shorthands: self, all but self, all; broadcast physical 0xff. */
	wr(apic[1], APIC_ICR_LOW, (1u << 18) | 0x43);
	assert_true(irr(apic[1], 0x43));
	assert_false(irr(apic[0], 0x43));
	wr(apic[1], APIC_ICR_LOW, (3u << 18) | 0x44);
	assert_false(irr(apic[1], 0x44));
	assert_true(irr(apic[0], 0x44) && irr(apic[2], 0x44) && irr(apic[3], 0x44));
	wr(apic[1], APIC_ICR_LOW, (2u << 18) | 0x45);
	for (unsigned i = 0; i < NR; i++)
		assert_true(irr(apic[i], 0x45));
	wr(apic[0], APIC_ICR_HIGH, 0xffu << 24);
	wr(apic[0], APIC_ICR_LOW, 0x46);
	for (unsigned i = 0; i < NR; i++)
		assert_true(irr(apic[i], 0x46));
}

static void test_ipi_modes(void **state)
{
	enable_all();
	wr(apic[0], APIC_ICR_HIGH, 3u << 24);
	wr(apic[0], APIC_ICR_LOW, APIC_DM_NMI);
	assert_int_equal(vcpus[3].nmis, 1);
	wr(apic[0], APIC_ICR_LOW, APIC_DM_INIT | APIC_LEVEL_ASSERT);
	assert_int_equal(vcpus[3].inits, 1);
	wr(apic[0], APIC_ICR_LOW, APIC_DM_INIT | APIC_TRIGGER_LEVEL);	/* de-assert: nothing */
	assert_int_equal(vcpus[3].inits, 1);
	wr(apic[0], APIC_ICR_LOW, APIC_DM_STARTUP | 0x9a);
	assert_int_equal(vcpus[3].sipis, 1);
	assert_int_equal(vcpus[3].sipi_vector, 0x9a);
	/* Lowest priority among all: APIC 2 has the lowest TPR. */
	wr(apic[0], APIC_TPR, 0x80);
	wr(apic[1], APIC_TPR, 0x70);
	wr(apic[2], APIC_TPR, 0x10);
	wr(apic[3], APIC_TPR, 0x30);
	wr(apic[0], APIC_ICR_HIGH, 0xffu << 24);
	wr(apic[0], APIC_ICR_LOW, APIC_DM_LOWEST | 0x50);
	assert_true(irr(apic[2], 0x50));
	assert_false(irr(apic[0], 0x50) || irr(apic[1], 0x50) || irr(apic[3], 0x50));
	/* An illegal vector is not sent: the sender's ESR says so. */
	wr(apic[0], APIC_ICR_LOW, 0x05);
	wr(apic[0], APIC_ESR, 0);
	assert_int_equal(rd(apic[0], APIC_ESR), APIC_ESR_SEND_ILLEGAL);
	for (unsigned i = 0; i < NR; i++)
		assert_false(irr(apic[i], 0x05));
	vlapic_set_irq(apic[1], 0x07, false);		/* receive illegal */
	wr(apic[1], APIC_ESR, 0);
	assert_int_equal(rd(apic[1], APIC_ESR), APIC_ESR_RECV_ILLEGAL);
	wr(apic[1], APIC_ESR, 0);
	assert_int_equal(rd(apic[1], APIC_ESR), 0);
}

static void test_apic_base_transitions(void **state)
{
	struct vlapic *l = apic[1];
	uint64_t v;

	assert_false(vlapic_base_write(l, BASE | APIC_BASE_EN | APIC_BASE_BSP));	/* BSP is RO */
	assert_false(vlapic_base_write(l, BASE | APIC_BASE_EXTD));	/* EXTD without EN */
	assert_false(vlapic_base_write(l, BASE | APIC_BASE_EN | 0x1));	/* reserved */
	assert_false(vlapic_base_write(l, (1ull << 40) | APIC_BASE_EN));	/* above 36 bits */
	assert_true(vlapic_base_write(l, BASE | APIC_BASE_EN | APIC_BASE_EXTD));
	assert_false(vlapic_mmio_claims(l, BASE));
	assert_false(vlapic_base_write(l, BASE | APIC_BASE_EN));	/* x2APIC -> xAPIC */
	assert_true(vlapic_base_write(l, BASE));			/* -> disabled */
	assert_false(vlapic_base_write(l, BASE | APIC_BASE_EN | APIC_BASE_EXTD)); /* disabled -> x2 */
	assert_false(vlapic_msr_read(l, X2(APIC_ID), &v));
	assert_true(vlapic_base_write(l, 0xfed00000 | APIC_BASE_EN));	/* relocated xAPIC */
	assert_true(vlapic_mmio_claims(l, 0xfed00020));
	assert_false(vlapic_mmio_claims(l, BASE));
	assert_int_equal(rd(l, APIC_ID), 1u << 24);
	assert_int_equal(rd(l, APIC_LVT_LINT0), APIC_LVT_MASKED);	/* state was reset */
	assert_false(vlapic_msr_read(l, X2(APIC_ID), &v));		/* xAPIC: no MSRs */
}

static void test_x2apic_msrs(void **state)
{
	uint64_t v;

	for (unsigned i = 0; i < NR; i++) {
		assert_true(vlapic_base_write(apic[i], BASE | APIC_BASE_EN | APIC_BASE_EXTD |
						       (i ? 0 : APIC_BASE_BSP)));
		assert_true(vlapic_msr_write(apic[i], X2(APIC_SVR), APIC_SVR_ENABLE | 0xff));
	}
	assert_true(vlapic_msr_read(apic[3], X2(APIC_ID), &v));
	assert_int_equal(v, 3);
	/* An LVT entry written back with its read-only status bits (as Linux
	 * does at shutdown) is taken; a reserved bit is #GP. */
	assert_true(vlapic_msr_write(apic[3], X2(APIC_LVT_LINT0), 0x5700));
	assert_int_equal(vlapic_get(apic[3], APIC_LVT_LINT0), 0x0700);
	assert_false(vlapic_msr_write(apic[3], X2(APIC_LVT_LINT0), 1u << 20));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_LVT_TIMER), 1u << 14));
	assert_true(vlapic_msr_read(apic[3], X2(APIC_LDR), &v));
	assert_int_equal(v, 1u << 3);				/* cluster 0, bit 3 */
	assert_false(vlapic_msr_read(apic[3], X2(APIC_DFR), &v));	/* no DFR */
	assert_false(vlapic_msr_read(apic[3], X2(APIC_EOI), &v));	/* write-only */
	assert_false(vlapic_msr_read(apic[3], X2(APIC_SELF_IPI), &v));
	assert_false(vlapic_msr_read(apic[3], X2(APIC_ICR_HIGH), &v));
	assert_false(vlapic_msr_read(apic[3], 0x8ff, &v));		/* reserved */
	assert_false(vlapic_msr_write(apic[3], X2(APIC_VERSION), 0));	/* read-only */
	assert_false(vlapic_msr_write(apic[3], X2(APIC_ID), 7));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_LDR), 0));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_TPR), 0x100));	/* reserved bits */
	assert_false(vlapic_msr_write(apic[3], X2(APIC_EOI), 1));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_ICR_LOW), 1ull << 13));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_SVR), 1ull << 32));
	/* A 64-bit ICR write: physical x2APIC ID 2. */
	assert_true(vlapic_msr_write(apic[0], X2(APIC_ICR_LOW), 2ull << 32 | 0x60));
	assert_true(irr(apic[2], 0x60));
	assert_false(irr(apic[0], 0x60));	/* not a self IPI though dest and mode are 0-like */
	assert_true(vlapic_msr_write(apic[0], X2(APIC_ICR_LOW), 0x61));	/* to x2APIC ID 0 */
	assert_true(irr(apic[0], 0x61));
	/* Logical x2APIC: cluster 0, bits 1 and 2. */
	assert_true(vlapic_msr_write(apic[0], X2(APIC_ICR_LOW), 0x6ull << 32 |
					      APIC_DEST_LOGICAL | 0x62));
	assert_true(irr(apic[1], 0x62) && irr(apic[2], 0x62));
	assert_false(irr(apic[3], 0x62));
	assert_true(vlapic_msr_write(apic[3], X2(APIC_SELF_IPI), 0x63));
	assert_true(irr(apic[3], 0x63));
	assert_false(vlapic_msr_write(apic[3], X2(APIC_SELF_IPI), 0x163));
	assert_true(vlapic_msr_read(apic[0], X2(APIC_ICR_LOW), &v));
	assert_int_equal(v, 0x6ull << 32 | APIC_DEST_LOGICAL | 0x62);
}

static void test_timer_oneshot_and_periodic(void **state)
{
	struct vlapic *l = apic[0];
	uint64_t t0 = tsc_now();

	enable_all();
	wr(l, APIC_TIMER_DCR, 0x1);			/* divide by 4 */
	wr(l, APIC_LVT_TIMER, 0x30);			/* one-shot, vector 0x30 */
	wr(l, APIC_TIMER_INIT, 1000);			/* 4000 ns at 1 GHz bus */
	host_tsc_advance_to(t0 + 1000);
	assert_int_equal(rd(l, APIC_TIMER_CUR), 750);
	assert_false(irr(l, 0x30));
	host_tsc_advance_to(t0 + 4000);
	assert_true(irr(l, 0x30));
	assert_int_equal(rd(l, APIC_TIMER_CUR), 0);
	vlapic_accept(l, 0x30);
	wr(l, APIC_EOI, 0);
	host_tsc_advance_to(t0 + 20000);
	assert_false(irr(l, 0x30));			/* one-shot: once */
	/* Periodic, divide by 1: 100 us periods (above the minimum). */
	t0 = tsc_now();
	wr(l, APIC_TIMER_DCR, 0xb);
	wr(l, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | 0x31);
	wr(l, APIC_TIMER_INIT, 100000);
	for (unsigned i = 1; i <= 3; i++) {
		host_tsc_advance_to(t0 + i * 100000 - 1);
		assert_false(irr(l, 0x31));
		host_tsc_advance_to(t0 + i * 100000);
		assert_true(irr(l, 0x31));
		vlapic_accept(l, 0x31);
		wr(l, APIC_EOI, 0);
	}
	/* Masked: the count goes on, no interrupt. */
	wr(l, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | APIC_LVT_MASKED | 0x31);
	host_tsc_advance_to(t0 + 500000);
	assert_false(irr(l, 0x31));
	/* A tiny periodic count is stretched to the minimum period. */
	t0 = tsc_now();
	wr(l, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | 0x32);
	wr(l, APIC_TIMER_INIT, 10);
	host_tsc_advance_to(t0 + VLAPIC_MIN_PERIOD_NS - 1);
	assert_false(irr(l, 0x32));
	host_tsc_advance_to(t0 + VLAPIC_MIN_PERIOD_NS);
	assert_true(irr(l, 0x32));
	wr(l, APIC_TIMER_INIT, 0);			/* stops it */
}

static void test_timer_tsc_deadline(void **state)
{
	struct vlapic *l = apic[1];
	uint64_t v, t0 = tsc_now();

	enable_all();
	/* Not in TSC-deadline mode: the MSR reads 0 and writes do nothing. */
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, t0 + 100));
	assert_true(vlapic_msr_read(l, MSR_TSC_DEADLINE, &v));
	assert_int_equal(v, 0);
	wr(l, APIC_LVT_TIMER, APIC_TIMER_DEADLINE | 0x33);
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, t0 + 5000));
	assert_true(vlapic_msr_read(l, MSR_TSC_DEADLINE, &v));
	assert_int_equal(v, t0 + 5000);
	wr(l, APIC_TIMER_INIT, 10);			/* ignored in this mode */
	host_tsc_advance_to(t0 + 4999);
	assert_false(irr(l, 0x33));
	host_tsc_advance_to(t0 + 5000);
	assert_true(irr(l, 0x33));
	assert_true(vlapic_msr_read(l, MSR_TSC_DEADLINE, &v));
	assert_int_equal(v, 0);				/* cleared when it fires */
	vlapic_accept(l, 0x33);
	wr(l, APIC_EOI, 0);
	/* 0 disarms; a deadline already passed fires at once. */
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, t0 + 9000));
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, 0));
	host_tsc_advance_to(t0 + 10000);
	assert_false(irr(l, 0x33));
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, t0));
	host_tsc_advance_to(t0 + 10000);
	assert_true(irr(l, 0x33));
	/* Leaving TSC-deadline mode disarms. */
	vlapic_accept(l, 0x33);
	wr(l, APIC_EOI, 0);
	assert_true(vlapic_msr_write(l, MSR_TSC_DEADLINE, t0 + 20000));
	wr(l, APIC_LVT_TIMER, APIC_TIMER_ONESHOT | 0x33);
	host_tsc_advance_to(t0 + 30000);
	assert_false(irr(l, 0x33));
}

static void test_mmio_rules(void **state)
{
	struct vlapic *l = apic[2];
	uint64_t v;

	vlapic_mmio_read(l, APIC_VERSION + 2, 1, &v);	/* a byte of a register */
	assert_int_equal(v, 0x05);
	vlapic_mmio_read(l, APIC_VERSION + 4, 4, &v);	/* past the 32 bits */
	assert_int_equal(v, 0);
	vlapic_mmio_write(l, APIC_TPR, 2, 0x50);	/* not 32 bits: ignored */
	assert_int_equal(rd(l, APIC_TPR), 0);
	vlapic_mmio_write(l, APIC_TPR + 4, 4, 0x50);	/* not at the start: ignored */
	assert_int_equal(rd(l, APIC_TPR), 0);
	wr(l, APIC_VERSION, 0);				/* read-only */
	assert_int_equal(rd(l, APIC_VERSION), 0x00050014);
	wr(l, 0x2f0, 0);				/* no CMCI entry: an illegal register */
	wr(l, APIC_ESR, 0);
	assert_int_equal(rd(l, APIC_ESR), APIC_ESR_ILLEGAL_REG);
	/* A software-disabled APIC forces its LVT entries masked. */
	wr(l, APIC_LVT_LINT0, 0x700);
	assert_int_equal(rd(l, APIC_LVT_LINT0), APIC_LVT_MASKED | 0x700);
	wr(l, APIC_SVR, APIC_SVR_ENABLE | 0xff);
	wr(l, APIC_LVT_LINT0, 0x700);
	assert_int_equal(rd(l, APIC_LVT_LINT0), 0x700);
	wr(l, APIC_SVR, 0xff);
	assert_int_equal(rd(l, APIC_LVT_LINT0), APIC_LVT_MASKED | 0x700);
}

/* What APIC virtualization reads of the page (RVI, SVI, the EOI-exit
 * bitmap), an EOI the CPU virtualized, and an xAPIC ID write reported. */
static void test_apicv_view(void **state)
{
	struct vlapic *l = apic[1];
	uint64_t tmr[4];

	enable_all();
	assert_int_equal(vlapic_highest_irr(l), -1);
	assert_int_equal(vlapic_highest_isr(l), -1);
	vlapic_set_irq(l, 0x31, false);
	vlapic_set_irq(l, 0xa5, true);
	assert_int_equal(vlapic_highest_irr(l), 0xa5);
	vlapic_tmr(l, tmr);
	assert_true(tmr[2] == 1ull << (0xa5 - 128) && !tmr[0] && !tmr[1] && !tmr[3]);
	vlapic_accept(l, 0xa5);
	assert_int_equal(vlapic_highest_irr(l), 0x31);
	assert_int_equal(vlapic_highest_isr(l), 0xa5);
	/* The CPU cleared ISR itself; the IOAPIC still hears of the level EOI. */
	*(uint32_t *)((char *)vlapic_regs(l) + APIC_ISR + 0x50) = 0;
	vlapic_eoi_done(l, 0xa5);
	assert_int_equal(vcpus[1].eois, 1);
	assert_int_equal(vcpus[1].eoi_vector, 0xa5);
	vlapic_eoi_done(l, 0x31);	/* edge-triggered: nothing for the IOAPIC */
	assert_int_equal(vcpus[1].eois, 1);
	/* Writing its own ID back is no change; another ID is. */
	wr(l, APIC_ID, 1u << 24);
	assert_int_equal(vcpus[1].id_changes, 0);
	wr(l, APIC_ID, 7u << 24);
	assert_int_equal(vcpus[1].id_changes, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reset_state),
		T(test_priorities_and_eoi),
		T(test_ipi_destinations),
		T(test_ipi_modes),
		T(test_apic_base_transitions),
		T(test_x2apic_msrs),
		T(test_timer_oneshot_and_periodic),
		T(test_timer_tsc_deadline),
		T(test_mmio_rules),
		T(test_apicv_view),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
