/* The guests' local APIC helpers (guests/lib/apic.h). */
#include "guests/lib/apic.h"
#include "guests/lib/div64.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define HV_FREQ_LEAF	0x40000010u
#define PIT_HZ		1193182u
#define CALIBRATE_MS	10

bool apic_x2;

uint32_t apic_read(unsigned reg)
{
	if (apic_x2)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return *(volatile uint32_t *)(APIC_PAGE + reg);
}

void apic_write(unsigned reg, uint32_t value)
{
	if (apic_x2)
		wrmsr(0x800 + (reg >> 4), value);
	else
		*(volatile uint32_t *)(APIC_PAGE + reg) = value;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

uint32_t apic_id(void)
{
	return apic_x2 ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

static void spurious(struct trap_frame *frame)
{
}

void apic_enable(bool x2)
{
	uint64_t base = rdmsr(MSR_APIC_BASE_NR) | APIC_BASE_EN;

	wrmsr(MSR_APIC_BASE_NR, base);
	if (x2)
		wrmsr(MSR_APIC_BASE_NR, base | APIC_BASE_EXTD);
	apic_x2 = x2;
	trap_set_handler(APIC_SPURIOUS, spurious);
	apic_write(APIC_SVR, (1u << 8) | APIC_SPURIOUS);
}

void apic_send_ipi(uint32_t dest, uint32_t icr)
{
	if (apic_x2) {
		wrmsr(0x800 + (APIC_ICR >> 4), (uint64_t)dest << 32 | icr);
		return;
	}
	apic_write(APIC_ICR_HIGH, dest << 24);
	apic_write(APIC_ICR, icr);
}

static bool vector_bit(unsigned first, uint8_t vector)
{
	return apic_read(first + (vector / 32) * 0x10) & (1u << (vector % 32));
}

bool apic_isr(uint8_t vector)
{
	return vector_bit(APIC_ISR, vector);
}

bool apic_irr(uint8_t vector)
{
	return vector_bit(APIC_IRR, vector);
}

/* The hypervisor's frequency leaf, or 0 if there is none. */
static uint32_t hv_freq(bool apic)
{
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR) || cpuid(0x40000000, 0).eax < HV_FREQ_LEAF)
		return 0;
	return apic ? cpuid(HV_FREQ_LEAF, 0).ebx : cpuid(HV_FREQ_LEAF, 0).eax;
}

uint64_t tsc_khz(void)
{
	static uint64_t khz;
	uint64_t start;

	if (khz)
		return khz;
	khz = hv_freq(false);
	if (khz)
		return khz;
	/* PIT channel 2, one-shot over CALIBRATE_MS, polled at port 0x61. */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, (PIT_HZ / 1000 * CALIBRATE_MS) & 0xff);
	outb(0x42, (PIT_HZ / 1000 * CALIBRATE_MS) >> 8);
	start = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	khz = div_u64(rdtsc() - start, CALIBRATE_MS);
	return khz;
}

uint64_t apic_timer_khz(void)
{
	static uint64_t khz;
	uint64_t t0, ticks;

	if (khz)
		return khz;
	khz = hv_freq(true);
	if (khz)
		return khz;
	apic_write(APIC_TIMER_DCR, 0xb);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASK);
	apic_write(APIC_TIMER_INIT, 0xffffffffu);
	t0 = rdtsc();
	udelay(CALIBRATE_MS * 1000);
	ticks = 0xffffffffu - apic_read(APIC_TIMER_CUR);
	khz = div_u64(ticks * tsc_khz(), (uint32_t)(rdtsc() - t0));
	apic_write(APIC_TIMER_INIT, 0);
	return khz;
}

void udelay(uint32_t us)
{
	uint64_t end = rdtsc() + div_u64(tsc_khz() * us, 1000);

	while (rdtsc() < end)
		;
}
