/*
 * The local APIC from inside: reset state, self-IPIs through the ICR, TPR
 * and PPR, in-service nesting by priority class, NMI by IPI, the ESR, and
 * the x2APIC mode with its MSR rules. Runs on the hypervisor's vLAPIC and
 * on QEMU's bare.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "apic";

static volatile unsigned hits[256];
static volatile bool isr_inside, preempted_inside;
static volatile unsigned order[8], nr_order;

static void count(struct trap_frame *f)
{
	hits[f->vector]++;
	isr_inside = apic_isr(f->vector);
	order[nr_order++ & 7] = f->vector;
	apic_eoi();
}

/* Vector 0x40's handler lets 0x80 (a higher class) in, and 0x41 (its
 * own class) must wait for its EOI. */
static void nesting(struct trap_frame *f)
{
	order[nr_order++ & 7] = f->vector;
	apic_send_ipi(0, ICR_SELF | 0x41);
	apic_send_ipi(0, ICR_SELF | 0x80);
	__asm__ volatile("sti; nop; nop; cli");
	preempted_inside = hits[0x80] == 1 && hits[0x41] == 0;
	apic_eoi();
}

static void nmi(struct trap_frame *f)
{
	hits[2]++;
}

/* Send a self-IPI with interrupts off, then let it in. */
static void self_ipi(uint8_t vector)
{
	apic_send_ipi(0, ICR_SELF | vector);
	__asm__ volatile("sti; nop; cli");
}

static void check_reset(void)
{
	uint32_t ver = apic_read(APIC_VERSION);

	check(apic_id() == 0 && (ver & 0xff) >= 0x10 && ((ver >> 16) & 0xff) >= 5 &&
	      (apic_read(APIC_LVT_LINT0) & APIC_LVT_MASK),
	      "APIC ID %u, version 0x%x, LINT0 0x%x", apic_id(), ver, apic_read(APIC_LVT_LINT0));
}

static void check_self_ipi(void)
{
	self_ipi(0x31);
	check(hits[0x31] == 1 && isr_inside && !apic_isr(0x31),
	      "self-IPI 0x31: handled %u time(s), in service inside, %s after EOI",
	      hits[0x31], apic_isr(0x31) ? "still in service" : "not in service");
}

static void check_tpr(void)
{
	bool held, requested;

	apic_write(APIC_TPR, 0x50);
	self_ipi(0x45);
	held = hits[0x45] == 0;
	requested = apic_irr(0x45);
	apic_write(APIC_TPR, 0x40);
	__asm__ volatile("sti; nop; cli");
	held &= hits[0x45] == 0;
	apic_write(APIC_TPR, 0);
	__asm__ volatile("sti; nop; cli");
	check(held && requested && hits[0x45] == 1 && apic_read(APIC_PPR) == 0,
	      "TPR 0x50 and 0x40 hold back vector 0x45 (in IRR: %s) until lowered: %u delivery",
	      requested ? "yes" : "no", hits[0x45]);
}

static void check_nesting(void)
{
	nr_order = 0;
	trap_set_handler(0x40, nesting);
	self_ipi(0x40);
	__asm__ volatile("sti; nop; cli");
	check(preempted_inside && hits[0x41] == 1 && nr_order == 3 && order[0] == 0x40 &&
	      order[1] == 0x80 && order[2] == 0x41,
	      "vector 0x80 preempts 0x40's handler, 0x41 waits for its EOI (order 0x%x 0x%x 0x%x)",
	      order[0], order[1], order[2]);
}

static void check_nmi(void)
{
	apic_send_ipi(0, ICR_SELF | ICR_NMI);
	__asm__ volatile("nop");
	check(hits[2] == 1, "NMI by IPI to itself: handler ran %u time(s), with interrupts off",
	      hits[2]);
}

static void check_esr(void)
{
	uint32_t esr;

	apic_write(APIC_ESR, 0);
	apic_send_ipi(0, ICR_SELF | 0x05);	/* vectors 0-15 are illegal */
	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	apic_write(APIC_ESR, 0);
	check(esr & (1u << 5) && hits[0x05] == 0 && apic_read(APIC_ESR) == 0,
	      "ESR 0x%x after sending vector 5 (send-illegal-vector), cleared by the next write",
	      esr);
}

static uint64_t msr_value;

static void read_msr(void *arg)
{
	msr_value = rdmsr((uint32_t)(uintptr_t)arg);
}

static void write_msr(void *arg)
{
	const uint64_t *mv = arg;

	wrmsr((uint32_t)mv[0], mv[1]);
}

static int rd_fault(uint32_t msr)
{
	return trap_run(read_msr, (void *)(uintptr_t)msr);
}

static int wr_fault(uint32_t msr, uint64_t value)
{
	uint64_t mv[2] = { msr, value };

	return trap_run(write_msr, mv);
}

static void check_x2apic(void)
{
	const char *bad = NULL;

	if (!(cpuid(1, 0).ecx & (1u << 21))) {
		fail("CPUID does not offer x2APIC");
		return;
	}
	apic_enable(true);
	if (apic_read(APIC_ID) != 0 || apic_read(APIC_LDR) != 1)
		bad = "ID or LDR";
	else if (rd_fault(0x800 + (APIC_DFR >> 4)) != VEC_GP)
		bad = "DFR read";
	else if (rd_fault(0x800 + (APIC_ICR_HIGH >> 4)) != VEC_GP)
		bad = "ICR2 read";
	else if (rd_fault(0x800 + (APIC_EOI >> 4)) != VEC_GP)
		bad = "EOI read";
	else if (wr_fault(0x800 + (APIC_VERSION >> 4), 0) != VEC_GP)
		bad = "version write";
	else if (wr_fault(0x800 + (APIC_TPR >> 4), 0x100) != VEC_GP)
		bad = "TPR reserved bits";
	else if (wr_fault(0x800 + (APIC_ICR >> 4), 1u << 13) != VEC_GP)
		bad = "ICR reserved bit";
	wrmsr(0x800 + (APIC_SELF_IPI >> 4), 0x32);
	__asm__ volatile("sti; nop; cli");
	if (!bad && hits[0x32] != 1)
		bad = "SELF IPI";
	apic_send_ipi(0, 0x33);			/* 64-bit ICR, physical ID 0 */
	__asm__ volatile("sti; nop; cli");
	if (!bad && hits[0x33] != 1)
		bad = "64-bit ICR";
	/* x2APIC cannot go back to xAPIC but through disabled. */
	if (!bad && (wr_fault(MSR_APIC_BASE_NR, rdmsr(MSR_APIC_BASE_NR) & ~(uint64_t)APIC_BASE_EXTD) !=
		     VEC_GP || !(rdmsr(MSR_APIC_BASE_NR) & APIC_BASE_EXTD)))
		bad = "x2APIC to xAPIC";
	check(!bad, "x2APIC: ID and LDR by MSR, DFR/ICR2/EOI reads and version/reserved-bit writes "
		    "#GP, SELF IPI and 64-bit ICR delivered, no way back to xAPIC%s%s",
	      bad ? ": wrong " : "", bad ? bad : "");
}

void guest_main(const struct boot_info *bi)
{
	for (unsigned v = 0x30; v < 0x90; v++)
		trap_set_handler(v, count);
	trap_set_handler(2, nmi);
	apic_enable(false);
	check_reset();
	check_self_ipi();
	check_tpr();
	check_nesting();
	check_nmi();
	check_esr();
	check_x2apic();
}
