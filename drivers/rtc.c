/* Reading the CMOS RTC (drivers/rtc.h): wait for the update-in-progress
 * flag to clear, read the date and time twice until both reads agree (an
 * update may fall between the bytes), undo BCD and 12-hour formats. */
#include "drivers/rtc.h"
#include "drivers/tsc.h"
#include "lib/calendar.h"
#include "lib/log.h"
#include "x86/insn.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define REG_A_UIP	0x80
#define REG_B_24H	0x02
#define REG_B_BINARY	0x04
#define HOUR_PM		0x80
#define TRIES		1000000

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void read_raw(uint8_t raw[7])
{
	static const uint8_t regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };

	for (unsigned tries = 0; (cmos(0x0a) & REG_A_UIP) && tries < TRIES; tries++)
		cpu_relax();
	for (unsigned i = 0; i < 7; i++)
		raw[i] = cmos(regs[i]);
}

static unsigned from_bcd(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint64_t boot_seconds, boot_tsc;

/* Seconds since the epoch the CMOS clock reads, or 0 for nonsense. */
static uint64_t rtc_read_wallclock(void)
{
	uint8_t a[7], b[7], reg_b = cmos(0x0b);
	bool binary = reg_b & REG_B_BINARY;
	struct civil_time t;
	unsigned hour, century;

	read_raw(a);
	do {
		for (unsigned i = 0; i < 7; i++)
			b[i] = a[i];
		read_raw(a);
	} while (a[0] != b[0] || a[1] != b[1] || a[2] != b[2]);
	hour = from_bcd(a[2] & ~HOUR_PM, binary);
	if (!(reg_b & REG_B_24H) && (a[2] & HOUR_PM))
		hour = hour % 12 + 12;
	else if (!(reg_b & REG_B_24H) && hour == 12)
		hour = 0;
	t = (struct civil_time){
		.second = from_bcd(a[0], binary),
		.minute = from_bcd(a[1], binary),
		.hour = hour,
		.day = from_bcd(a[3], binary),
		.month = from_bcd(a[4], binary),
	};
	century = from_bcd(a[6], binary);
	/* Without a century register (0x32 reads 0): the 2000s. */
	t.year = (int)((century ? century : 20) * 100 + from_bcd(a[5], binary));
	if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 ||
	    t.minute > 59 || t.second > 59)
		return 0;
	return civil_to_seconds(&t);
}

void rtc_init(void)
{
	struct civil_time t;

	boot_seconds = rtc_read_wallclock();
	boot_tsc = tsc_now();
	t = civil_from_seconds(boot_seconds);
	log_info("rtc: %04d-%02u-%02u %02u:%02u:%02u UTC%s", t.year, t.month, t.day, t.hour,
		 t.minute, t.second, boot_seconds ? "" : " (the CMOS clock reads nonsense)");
}

uint64_t rtc_now(void)
{
	uint64_t khz = READ_ONCE(tsc_khz);

	return boot_seconds + (khz ? (tsc_now() - boot_tsc) / (khz * 1000) : 0);
}
