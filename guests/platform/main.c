/*
 * The PC platform from inside, measured against the TSC: the PIT's IRQ 0
 * through the IOAPIC (GSI 2) and through the 8259 PIC (the APIC's LINT0
 * in virtual-wire mode, then with the APIC disabled), PIT channel 2 as
 * Linux calibrates against it (port 0x61), the CMOS clock and its periodic
 * IRQ 8, and the ACPI PM timer's rate. Rates must be right within 2%
 * (slack=MS bounds how late the last of a series may come; the RTC's
 * count may fall short by coalesced ticks, not by a rate select). pit-hz=N
 * (default 1000) and rtc-rs=N (register A's rate select, default 6: 1024
 * Hz) slow the interrupts down for an emulator too slow to take them.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "platform";

#define IOAPIC		0xfec00000u
#define VEC_IOAPIC_PIT	0x40
#define VEC_IOAPIC_RTC	0x48
#define VEC_PIC		0x20		/* IRQ 0..7 at 0x20..0x27, 8..15 at 0x28.. */
#define PIT_HZ		1193182u
#define PM_TIMER_PORT	0x608
#define PM_TIMER_HZ	3579545u

static volatile unsigned ticks;
static volatile uint64_t last_tsc;
static uint32_t slack_ms, pit_hz, rtc_rs;

static void ioapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)IOAPIC = reg;
	*(volatile uint32_t *)(IOAPIC + 0x10) = v;
}

/* Pin `pin` to `vector` on APIC 0, edge, unmasked (or masked). */
static void ioapic_route(unsigned pin, uint8_t vector, bool masked)
{
	ioapic_write(0x10 + 2 * pin + 1, 0);
	ioapic_write(0x10 + 2 * pin, vector | (masked ? 1u << 16 : 0));
}

static void on_apic_tick(struct trap_frame *f)
{
	ticks++;
	last_tsc = rdtsc();
	apic_eoi();
}

static void on_pic_tick(struct trap_frame *f)
{
	ticks++;
	last_tsc = rdtsc();
	outb(0x20, 0x20);
}

static void on_rtc(struct trap_frame *f)
{
	ticks++;
	outb(0x70, 0x0c);
	inb(0x71);		/* ends the interrupt */
	apic_eoi();
}

static uint32_t us_between(uint64_t t0, uint64_t t1)
{
	return (uint32_t)div_u64((t1 - t0) * 1000, (uint32_t)tsc_khz());
}

/* Interrupts on until `n` ticks or `limit_us`; HLT between them. */
static void wait_ticks(unsigned n, uint64_t t0, uint32_t limit_us)
{
	while (ticks < n && us_between(t0, rdtsc()) < limit_us)
		__asm__ volatile("sti; hlt; cli");
}

static void pit_periodic(unsigned mode, uint16_t count)
{
	outb(0x43, 0x30 | mode << 1);
	outb(0x40, count & 0xff);
	outb(0x40, count >> 8);
}

static void pit_stop(void)
{
	outb(0x43, 0x30);	/* mode 0, no count: stops channel 0 */
}

/* 20 ticks at pit_hz: the last must come after 20 periods (within 2%),
 * and not later than the slack. */
static bool twenty_ticks(unsigned mode, uint32_t *us)
{
	uint32_t want = 20 * (1000000 / pit_hz);
	uint64_t t0;

	ticks = 0;
	t0 = rdtsc();
	pit_periodic(mode, PIT_HZ / pit_hz);
	wait_ticks(20, t0, want + slack_ms * 1000);
	pit_stop();
	*us = us_between(t0, last_tsc);
	return ticks >= 20 && *us >= want - want / 50 && *us <= want + slack_ms * 1000;
}

static void pic_init(bool mask_all)
{
	outb(0x20, 0x11);
	outb(0x21, VEC_PIC);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, VEC_PIC + 8);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0x21, mask_all ? 0xff : 0xfe);	/* IRQ 0 only */
	outb(0xa1, 0xff);
}

static void check_pit_ioapic(void)
{
	uint32_t us;
	bool ok;

	pic_init(true);
	ioapic_route(2, VEC_IOAPIC_PIT, false);
	ok = twenty_ticks(2, &us);
	ioapic_route(2, VEC_IOAPIC_PIT, true);
	check(ok, "PIT IRQ 0 through IOAPIC GSI 2: %u ticks, the 20th after %u us", ticks, us);
}

static void check_pit_pic_virtual_wire(void)
{
	uint32_t us;
	bool ok;

	pic_init(false);
	apic_write(APIC_LVT_LINT0, 7u << 8);		/* ExtINT, unmasked */
	ok = twenty_ticks(3, &us);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASK);
	check(ok, "PIT IRQ 0 through the PIC and LINT0 (virtual wire): %u ticks, the 20th after %u us",
	      ticks, us);
}

static void check_pit_pic_legacy(void)
{
	uint32_t us;
	bool ok;

	wrmsr(MSR_APIC_BASE_NR, rdmsr(MSR_APIC_BASE_NR) & ~(uint64_t)APIC_BASE_EN);
	ok = twenty_ticks(2, &us);
	outb(0x21, 0xff);
	apic_enable(false);
	check(ok, "PIT IRQ 0 through the PIC with the APIC disabled: %u ticks, the 20th after %u us",
	      ticks, us);
}

/* Channel 2 in mode 0 over 10 ms, OUT2 polled at port 0x61: how Linux
 * calibrates the TSC against the PIT. Not early; late by at most the slack
 * (the vCPU may share its CPU while it polls). The clock starts before the
 * write that loads the count: taken after it, a vCPU preempted in between
 * would see the count already run down and call the PIT early. */
static void check_pit_channel2(void)
{
	uint32_t count = PIT_HZ / 100;
	uint64_t t0, t1, want = tsc_khz() * 10;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, count & 0xff);
	t0 = rdtsc();
	outb(0x42, count >> 8);
	while (!(inb(0x61) & 0x20) && rdtsc() - t0 < want * 10)
		;
	t1 = rdtsc();
	check(t1 - t0 >= want - want / 50 && t1 - t0 <= want + tsc_khz() * slack_ms,
	      "PIT channel 2, 10 ms by port 0x61's OUT2: %llu TSC ticks, %llu expected",
	      (unsigned long long)(t1 - t0), (unsigned long long)want);
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static bool bcd_ok(uint8_t v, unsigned max)
{
	return (v & 0xf) <= 9 && (unsigned)((v >> 4) * 10 + (v & 0xf)) <= max;
}

static void check_rtc(void)
{
	uint8_t sec, year, month, day, hour, min, next;
	uint64_t t0 = rdtsc();

	while ((cmos(0x0a) & 0x80) && us_between(t0, rdtsc()) < 1000000)
		;
	sec = cmos(0x00);
	min = cmos(0x02);
	hour = cmos(0x04);
	day = cmos(0x07);
	month = cmos(0x08);
	year = cmos(0x09);
	/* The next second arrives within about a second. */
	do
		next = cmos(0x00);
	while (next == sec && us_between(t0, rdtsc()) < 2500000);
	check(bcd_ok(sec, 59) && bcd_ok(min, 59) && bcd_ok(hour, 23) && bcd_ok(day, 31) &&
	      bcd_ok(month, 12) && bcd_ok(year, 99) && cmos(0x32) == 0x20 && next != sec &&
	      (cmos(0x0d) & 0x80),
	      "CMOS clock 20%02x-%02x-%02x %02x:%02x:%02x, then second %02x", year, month, day,
	      hour, min, sec, next);
}

/* IRQ 8 at the rate rtc_rs selects through IOAPIC pin 8 for 100 ms. */
static void check_rtc_periodic(void)
{
	unsigned hz = 32768u >> (rtc_rs - 1), want = hz / 10;
	uint64_t t0;

	ioapic_route(8, VEC_IOAPIC_RTC, false);
	cmos(0x0c);
	ticks = 0;
	outb(0x70, 0x0a);
	outb(0x71, 0x20 | rtc_rs);
	outb(0x70, 0x0b);
	outb(0x71, 0x42);		/* periodic interrupt, 24 h, BCD */
	t0 = rdtsc();
	wait_ticks(1000, t0, 100000);
	outb(0x70, 0x0b);
	outb(0x71, 0x02);
	ioapic_route(8, VEC_IOAPIC_RTC, true);
	/* Not too many; too few only if a slower rate select was taken (half
	 * the rate or less): ticks a busy host keeps the vCPU from taking are
	 * coalesced, as a PC's RTC coalesces them. */
	check(ticks > want * 6 / 10 && ticks <= want + 4,
	      "RTC periodic IRQ 8 at %u Hz: %u in 100 ms (%u expected, more than %u)", hz, ticks,
	      want, want * 6 / 10);
}

/* PM timer ticks for `tsc` TSC ticks. */
static uint64_t pm_ticks_for(uint64_t tsc)
{
	return div_u64(tsc * PM_TIMER_HZ, (uint32_t)(tsc_khz() * 1000));
}

/* The PM timer over ~10 ms against the TSC. Each read is bracketed by TSC
 * reads, since the vCPU may be preempted at the exit it takes: the ticks
 * counted must lie between the shortest and the longest interval. */
static void check_pm_timer(void)
{
	uint64_t a0 = rdtsc(), b0, a1, b1, got, lo, hi;
	uint32_t p0 = inl(PM_TIMER_PORT), p1;

	b0 = rdtsc();
	udelay(10000);
	a1 = rdtsc();
	p1 = inl(PM_TIMER_PORT);
	b1 = rdtsc();
	got = (p1 - p0) & 0xffffff;
	lo = pm_ticks_for(a1 - b0);
	hi = pm_ticks_for(b1 - a0);
	check(got >= lo - lo / 50 && got <= hi + hi / 50 && !(p1 >> 24),
	      "ACPI PM timer: %llu ticks in about 10 ms (%llu to %llu at 3.579545 MHz), 24 bits",
	      (unsigned long long)got, (unsigned long long)lo, (unsigned long long)hi);
}

void guest_main(const struct boot_info *bi)
{
	slack_ms = cmdline_number(bi->cmdline, "slack", 200);
	pit_hz = cmdline_number(bi->cmdline, "pit-hz", 1000);
	rtc_rs = cmdline_number(bi->cmdline, "rtc-rs", 6);
	if (pit_hz < 20 || pit_hz > 10000 || rtc_rs < 3 || rtc_rs > 15) {
		fail("pit-hz=%u (20..10000) or rtc-rs=%u (3..15) out of range", pit_hz, rtc_rs);
		return;
	}
	trap_set_handler(VEC_IOAPIC_PIT, on_apic_tick);
	trap_set_handler(VEC_IOAPIC_RTC, on_rtc);
	trap_set_handler(VEC_PIC, on_pic_tick);
	for (unsigned v = VEC_PIC + 1; v < VEC_PIC + 16; v++)
		trap_set_handler(v, on_pic_tick);	/* a spurious IRQ 7 must not end us */
	apic_enable(false);
	check_pit_ioapic();
	check_pit_pic_virtual_wire();
	check_pit_pic_legacy();
	check_pit_channel2();
	check_rtc();
	check_rtc_periodic();
	check_pm_timer();
}
