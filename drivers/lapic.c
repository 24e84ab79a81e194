/* Local APIC access in either mode. A register is named by its xAPIC MMIO
 * offset; in x2APIC mode the same register is MSR 0x800 + (offset >> 4). */
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_X2APIC	(1ull << 10)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull
#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define MSR_TSC_DEADLINE	0x6e0

#define LAPIC_ID		0x020
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ICR_LOW		0x300
#define LAPIC_ICR_HIGH		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_TIMER_INITIAL	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0
#define XAPIC_MMIO_SIZE		0x1000

#define X2APIC_MSR_BASE		0x800
#define X2APIC_ICR_MSR		(X2APIC_MSR_BASE + (LAPIC_ICR_LOW >> 4))

#define SVR_APIC_ENABLE		(1u << 8)
#define LVT_MASKED		(1u << 16)
#define LVT_TIMER_TSC_DEADLINE	(2u << 17)
#define TIMER_DIVIDE_BY_1	0xb
#define TIMER_CALIBRATE_US	10000
#define ICR_FIXED		(0u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_SEND_PENDING	(1u << 12)
#define ICR_LEVEL_ASSERT	(1u << 14)
#define XAPIC_ICR_DEST_SHIFT	24
#define XAPIC_ID_SHIFT		24

#define XAPIC_MAX_ID		0xfeu		/* 0xff is the broadcast address */
#define X2APIC_MAX_ID		0xfffffffeu	/* 0xffffffff is the broadcast address */

/* An APIC accepts an IPI within microseconds; this bounds a wedged one. */
#define ICR_ACCEPT_TIMEOUT_US	10000

static bool x2apic;			/* chosen by the boot CPU */
static volatile uint32_t *xapic_regs;	/* xAPIC register page, identity mapped */
static bool timer_tsc_deadline;		/* the timer counts in TSC-deadline mode */
static uint64_t timer_khz;		/* one-shot mode: timer ticks per ms (divide by 1) */

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return xapic_regs[reg / sizeof(uint32_t)];
}

static void lapic_write(unsigned reg, uint32_t val)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), val);
	else
		xapic_regs[reg / sizeof(uint32_t)] = val;
}

/* On the boot CPU: x2APIC if CPUID offers it, else xAPIC at the register
 * page IA32_APIC_BASE names, which must be in the 4th GiB because only
 * there do the hypervisor's page tables map device memory uncached. */
static void lapic_choose_mode(uint64_t apic_base)
{
	uint64_t pa = apic_base & APIC_BASE_ADDR_MASK;

	x2apic = cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;
	if (x2apic) {
		log_info("lapic: x2APIC mode");
		return;
	}
	if (pa < GiB(3) || pa + XAPIC_MMIO_SIZE > GiB(4))
		panic("lapic: xAPIC registers at %#llx, outside the uncached 4th GiB",
		      (unsigned long long)pa);
	xapic_regs = (volatile uint32_t *)(uintptr_t)pa;
	log_info("lapic: xAPIC mode, registers at %#llx", (unsigned long long)pa);
}

void lapic_init(void)
{
	uint64_t apic_base = rdmsr(MSR_APIC_BASE);

	if (apic_base & APIC_BASE_BSP)
		lapic_choose_mode(apic_base);
	/* x2APIC may only be entered from enabled xAPIC mode: two steps. */
	apic_base |= APIC_BASE_ENABLE;
	wrmsr(MSR_APIC_BASE, apic_base);
	if (x2apic)
		wrmsr(MSR_APIC_BASE, apic_base | APIC_BASE_X2APIC);

	lapic_write(LAPIC_TPR, 0);
	/* The firmware may leave the 8259 wired to the boot CPU's LINT0 with
	 * its timer running; the hypervisor does not use the 8259. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | LAPIC_SPURIOUS_VECTOR);
}

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

uint32_t lapic_max_apic_id(void)
{
	return x2apic ? X2APIC_MAX_ID : XAPIC_MAX_ID;
}

uint32_t lapic_id(void)
{
	if (x2apic)
		return lapic_read(LAPIC_ID);
	return lapic_read(LAPIC_ID) >> XAPIC_ID_SHIFT;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Send the IPI `icr_low` describes to `apic_id` and, in xAPIC mode, wait
 * for the APIC to accept it (an x2APIC ICR write completes the send).
 * The xAPIC ICR is written in two halves: callers must not race another
 * send on the same CPU (from an interrupt handler). */
static bool lapic_send(uint32_t apic_id, uint32_t icr_low)
{
	uint64_t deadline;

	if (apic_id > lapic_max_apic_id()) {
		log_warn("lapic: IPI %#x to APIC ID %#x: no such ID in %s mode",
			 icr_low, apic_id, x2apic ? "x2APIC" : "xAPIC");
		return false;
	}
	if (x2apic) {
		/* An x2APIC MSR write is not serializing: without the fences
		 * the target could see the IPI before this CPU's stores. */
		__asm__ volatile("mfence; lfence" ::: "memory");
		wrmsr(X2APIC_ICR_MSR, (uint64_t)apic_id << 32 | icr_low);
		return true;
	}
	lapic_write(LAPIC_ICR_HIGH, apic_id << XAPIC_ICR_DEST_SHIFT);
	lapic_write(LAPIC_ICR_LOW, icr_low);
	deadline = tsc_us_since_boot() + ICR_ACCEPT_TIMEOUT_US;
	while (lapic_read(LAPIC_ICR_LOW) & ICR_SEND_PENDING) {
		if (tsc_us_since_boot() > deadline) {
			log_warn("lapic: IPI %#x to APIC ID %u not accepted within %u us",
				 icr_low, apic_id, ICR_ACCEPT_TIMEOUT_US);
			return false;
		}
		cpu_relax();
	}
	return true;
}

bool lapic_send_init(uint32_t apic_id)
{
	return lapic_send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
}

bool lapic_send_sipi(uint32_t apic_id, uint8_t vector_page)
{
	return lapic_send(apic_id, ICR_STARTUP | ICR_LEVEL_ASSERT | vector_page);
}

bool lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	if (vector < LAPIC_MIN_VECTOR) {
		log_warn("lapic: IPI vector %u is reserved", vector);
		return false;
	}
	return lapic_send(apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | vector);
}

/* One-shot mode: how fast the timer counts, measured against the TSC. */
static uint64_t lapic_timer_measure_khz(void)
{
	uint32_t left;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INITIAL, UINT32_MAX);
	tsc_delay_us(TIMER_CALIBRATE_US);
	left = lapic_read(LAPIC_TIMER_CURRENT);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	return (uint64_t)(UINT32_MAX - left) * 1000 / TIMER_CALIBRATE_US;
}

void lapic_timer_init(uint8_t vector)
{
	if (rdmsr(MSR_APIC_BASE) & APIC_BASE_BSP) {
		timer_tsc_deadline = cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE;
		if (!timer_tsc_deadline) {
			timer_khz = lapic_timer_measure_khz();
			if (!timer_khz)
				panic("lapic: the timer does not count");
		}
		if (timer_tsc_deadline)
			log_info("lapic: timer in TSC-deadline mode");
		else
			log_info("lapic: timer in one-shot mode, %llu kHz",
				 (unsigned long long)timer_khz);
	}
	if (timer_tsc_deadline) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | vector);
	} else {
		lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
		lapic_write(LAPIC_LVT_TIMER, vector);
	}
}

void lapic_timer_set(uint64_t tsc_deadline)
{
	uint64_t now, ticks;

	if (timer_tsc_deadline) {
		wrmsr(MSR_TSC_DEADLINE, tsc_deadline);
		return;
	}
	if (!tsc_deadline) {
		lapic_write(LAPIC_TIMER_INITIAL, 0);
		return;
	}
	now = tsc_now();
	ticks = tsc_deadline > now ? (tsc_deadline - now) * timer_khz / tsc_khz : 0;
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)MIN(MAX(ticks, 1), UINT32_MAX));
}
