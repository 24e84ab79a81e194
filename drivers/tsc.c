/* TSC frequency: from CPUID when the CPU states it, else measured over
 * 10 ms of PIT channel 2, else (a machine without a PIT) over 10 ms of the
 * ACPI PM timer once the FADT has named it. */
#include "drivers/tsc.h"
#include "lib/log.h"
#include "x86/insn.h"

#define PIT_HZ          1193182u
#define PIT_CH2_DATA    0x42
#define PIT_COMMAND     0x43
#define PIT_CH2_ONESHOT 0xb0	/* channel 2, lo/hi byte, mode 0, binary */
#define PORT_B          0x61
#define PORT_B_GATE2    0x01
#define PORT_B_SPEAKER  0x02
#define PORT_B_OUT2     0x20
#define CALIBRATE_MS    10
#define POLL_LIMIT      100000000u
#define PM_TIMER_HZ     3579545u

uint64_t tsc_khz;
static uint64_t tsc_zero;
static bool tsc_guessed;		/* neither CPUID nor a PIT gave the rate */

/* kHz from CPUID leaf 0x15 (crystal ratio) or 0x16 (base MHz); 0 if neither. */
static uint64_t tsc_khz_from_cpuid(void)
{
	unsigned max = cpuid(0, 0).eax;

	if (max >= 0x15) {
		struct cpuid_regs r = cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx)
			return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
	}
	if (max >= 0x16) {
		struct cpuid_regs r = cpuid(0x16, 0);
		if (r.eax & 0xffff)
			return (uint64_t)(r.eax & 0xffff) * 1000;
	}
	return 0;
}

/* kHz measured against a CALIBRATE_MS one-shot of PIT channel 2; 0 if it
 * never fires, or if OUT2 is high at once (no PIT: the port reads ones). */
static uint64_t tsc_khz_from_pit(void)
{
	unsigned count = PIT_HZ * CALIBRATE_MS / 1000;
	uint8_t port_b = inb(PORT_B);
	uint64_t start, end;
	unsigned polls = 0;

	outb(PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_COMMAND, PIT_CH2_ONESHOT);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	start = rdtsc();
	if (inb(PORT_B) & PORT_B_OUT2)
		polls = POLL_LIMIT;	/* mode 0 holds OUT2 low until the count runs out */
	while (polls < POLL_LIMIT && !(inb(PORT_B) & PORT_B_OUT2))
		polls++;
	end = rdtsc();
	outb(PORT_B, port_b);
	return polls < POLL_LIMIT ? (end - start) / CALIBRATE_MS : 0;
}

void tsc_calibrate(void)
{
	const char *source = "cpuid";
	uint64_t khz = tsc_khz_from_cpuid();

	if (!khz) {
		source = "pit";
		khz = tsc_khz_from_pit();
	}
	tsc_zero = rdtsc();
	if (!khz) {
		WRITE_ONCE(tsc_khz, 1000000);
		tsc_guessed = true;
		log_warn("tsc: no PIT; assuming 1 GHz until the ACPI PM timer can be read");
		return;
	}
	WRITE_ONCE(tsc_khz, khz);
	log_info("tsc: %llu kHz (from %s)", (unsigned long long)khz, source);
}

/* The PM timer's ticks from `from` to `to`, a `bits`-wide counter. */
static uint32_t pm_ticks(uint32_t from, uint32_t to, bool bits32)
{
	return bits32 ? to - from : (to - from) & 0xffffff;
}

void tsc_calibrate_pm_timer(uint16_t port, bool bits32)
{
	uint32_t want = PM_TIMER_HZ / 1000 * CALIBRATE_MS, p0, p1;
	uint64_t t0, t1;
	unsigned polls = 0;

	if (!tsc_guessed)
		return;
	if (!port) {
		log_warn("tsc: no PIT and no ACPI PM timer: the 1 GHz guess stays");
		return;
	}
	p0 = inl(port);
	t0 = rdtsc();
	do
		p1 = inl(port);
	while (pm_ticks(p0, p1, bits32) < want && ++polls < POLL_LIMIT);
	t1 = rdtsc();
	if (polls == POLL_LIMIT) {
		log_warn("tsc: the ACPI PM timer at %#x does not count: the 1 GHz guess stays", port);
		return;
	}
	WRITE_ONCE(tsc_khz, (t1 - t0) * PM_TIMER_HZ / 1000 / pm_ticks(p0, p1, bits32));
	tsc_guessed = false;
	log_info("tsc: %llu kHz (from the ACPI PM timer)", (unsigned long long)READ_ONCE(tsc_khz));
}

uint64_t tsc_now(void)
{
	return rdtsc();
}

uint64_t tsc_us_since_boot(void)
{
	uint64_t khz = READ_ONCE(tsc_khz);

	return khz ? (rdtsc() - tsc_zero) * 1000 / khz : 0;
}

void tsc_delay_us(uint64_t us)
{
	uint64_t deadline = tsc_us_since_boot() + us;

	while (tsc_us_since_boot() < deadline)
		cpu_relax();
}
