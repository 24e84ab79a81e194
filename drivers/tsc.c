/* TSC frequency: from CPUID when the CPU states it, else measured over
 * 10 ms of PIT channel 2 (which every PC and both emulators have). */
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

uint64_t tsc_khz;
static uint64_t tsc_zero;

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

/* kHz measured against a CALIBRATE_MS one-shot of PIT channel 2; 0 if it never fires. */
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
	while (!(inb(PORT_B) & PORT_B_OUT2) && ++polls < POLL_LIMIT)
		;
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
		log_warn("tsc: PIT channel 2 never fired; assuming 1 GHz, timestamps are approximate");
		return;
	}
	WRITE_ONCE(tsc_khz, khz);
	log_info("tsc: %llu kHz (from %s)", (unsigned long long)khz, source);
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
