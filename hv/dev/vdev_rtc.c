/* The CMOS RTC (MC146818) at 0x70/0x71: 128 bytes of CMOS, of which the
 * clock registers (0x00-0x09 and the century at 0x32) read the VM's time:
 * the host's wall clock when the VM started plus the TSC since, plus what
 * the guest set. BCD or binary, 12- or 24-hour as register B says; the
 * update-in-progress flag for the last 244 us of each second; register C's
 * periodic, alarm and update-ended flags (read clears them and drops IRQ 8),
 * with IRQ 8 raised for those enabled in register B. Register D says the
 * battery is good. Daylight saving and the square-wave output are not
 * emulated. */
#include "cpu/timer.h"
#include "drivers/tsc.h"
#include "hv/dev/vdev_device.h"
#include "lib/calendar.h"

#define RTC_PORT	0x70
#define CMOS_BYTES	128
#define NMI_DISABLE	0x80
#define REG_SEC		0x00
#define REG_SEC_ALARM	0x01
#define REG_MIN		0x02
#define REG_MIN_ALARM	0x03
#define REG_HOUR	0x04
#define REG_HOUR_ALARM	0x05
#define REG_WDAY	0x06
#define REG_MDAY	0x07
#define REG_MONTH	0x08
#define REG_YEAR	0x09
#define REG_A		0x0a
#define REG_B		0x0b
#define REG_C		0x0c
#define REG_D		0x0d
#define REG_CENTURY	0x32
#define A_UIP		0x80
#define B_SET		0x80
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_BINARY	0x04
#define B_24H		0x02
#define C_IRQF		0x80
#define C_PF		0x40
#define C_AF		0x20
#define C_UF		0x10
#define D_VRT		0x80
#define HOUR_PM		0x80
#define ALARM_ANY	0xc0		/* "don't care" in an alarm byte */
#define UIP_US		244
#define RTC_IRQ		8

struct rtc_state {
	struct vdev_set *set;
	bool dying;
	uint8_t index;
	uint8_t cmos[CMOS_BYTES];	/* RAM, alarms, registers A and B */
	uint8_t flags;			/* register C */
	uint64_t wallclock, tsc_start;	/* seconds at tsc_start */
	int64_t offset;			/* what the guest set, in seconds */
	uint64_t frozen;		/* the time while register B's SET is on */
	uint64_t last_second;		/* the second UF/AF were last updated for */
	uint64_t last_period;		/* the periodic tick PF was last set for */
	struct timer timer;
};

static uint64_t tsc_hz(void)
{
	return READ_ONCE(tsc_khz) * 1000;
}

/* Now, in host TSC ticks since the VM's clock started. */
static uint64_t ticks_now(const struct rtc_state *r)
{
	return tsc_now() - r->tsc_start;
}

/* The VM's time in whole seconds. */
static uint64_t rtc_seconds(const struct rtc_state *r)
{
	if (r->cmos[REG_B] & B_SET)
		return r->frozen;
	return r->wallclock + ticks_now(r) / tsc_hz() + r->offset;
}

/* The periodic rate of register A, in TSC ticks per tick; 0 for none. */
static uint64_t period_tsc(const struct rtc_state *r)
{
	unsigned rs = r->cmos[REG_A] & 0xf;

	if (!rs)
		return 0;
	/* Rates 1 and 2 are the same as 8 and 9 (256 and 128 Hz). */
	return tsc_hz() / (32768u >> ((rs < 3 ? rs + 7 : rs) - 1));
}

static uint8_t to_bcd(unsigned v)
{
	return (v / 10) << 4 | (v % 10);
}

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

/* A clock field as register B formats it. */
static uint8_t encode(const struct rtc_state *r, unsigned v)
{
	return r->cmos[REG_B] & B_BINARY ? v : to_bcd(v);
}

static unsigned decode(const struct rtc_state *r, uint8_t v)
{
	return r->cmos[REG_B] & B_BINARY ? v : from_bcd(v);
}

static uint8_t encode_hour(const struct rtc_state *r, unsigned hour)
{
	if (r->cmos[REG_B] & B_24H)
		return encode(r, hour);
	return encode(r, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? HOUR_PM : 0);
}

static unsigned decode_hour(const struct rtc_state *r, uint8_t v)
{
	unsigned hour = decode(r, v & ~HOUR_PM);

	if (r->cmos[REG_B] & B_24H)
		return decode(r, v);
	return hour % 12 + (v & HOUR_PM ? 12 : 0);
}

static uint8_t clock_read(const struct rtc_state *r, unsigned reg)
{
	struct civil_time t = civil_from_seconds(rtc_seconds(r));

	switch (reg) {
	case REG_SEC:
		return encode(r, t.second);
	case REG_MIN:
		return encode(r, t.minute);
	case REG_HOUR:
		return encode_hour(r, t.hour);
	case REG_WDAY:
		return encode(r, t.weekday + 1);
	case REG_MDAY:
		return encode(r, t.day);
	case REG_MONTH:
		return encode(r, t.month);
	case REG_YEAR:
		return encode(r, t.year % 100);
	default:
		return encode(r, t.year / 100);
	}
}

/* The guest sets one field: the VM's time moves by the difference. */
static void clock_write(struct rtc_state *r, unsigned reg, uint8_t v)
{
	struct civil_time t = civil_from_seconds(rtc_seconds(r));
	uint64_t seconds;

	switch (reg) {
	case REG_SEC:
		t.second = decode(r, v) % 60;
		break;
	case REG_MIN:
		t.minute = decode(r, v) % 60;
		break;
	case REG_HOUR:
		t.hour = decode_hour(r, v) % 24;
		break;
	case REG_WDAY:
		return;		/* follows from the date */
	case REG_MDAY:
		t.day = MIN(MAX(decode(r, v), 1u), 31u);
		break;
	case REG_MONTH:
		t.month = MIN(MAX(decode(r, v), 1u), 12u);
		break;
	case REG_YEAR:
		t.year = t.year / 100 * 100 + decode(r, v) % 100;
		break;
	default:
		t.year = decode(r, v) % 100 * 100 + t.year % 100;
		break;
	}
	if (t.year < 1970)
		return;		/* before the epoch this clock counts from */
	seconds = civil_to_seconds(&t);
	if (r->cmos[REG_B] & B_SET)
		r->frozen = seconds;
	else
		r->offset += (int64_t)(seconds - rtc_seconds(r));
}

/* Set register C's flags for what happened since the last look; raise IRQ 8
 * if an enabled one is new. */
static void rtc_update_flags(struct rtc_state *r)
{
	uint64_t now = ticks_now(r), second = rtc_seconds(r), period = period_tsc(r);
	uint8_t b = r->cmos[REG_B], was = r->flags;

	if (period && now / period != r->last_period) {
		r->last_period = now / period;
		r->flags |= C_PF;
	}
	if (!(b & B_SET) && second != r->last_second) {
		struct civil_time t = civil_from_seconds(second);
		uint8_t s = r->cmos[REG_SEC_ALARM], m = r->cmos[REG_MIN_ALARM];
		uint8_t h = r->cmos[REG_HOUR_ALARM];

		r->last_second = second;
		r->flags |= C_UF;
		if (((s & ALARM_ANY) == ALARM_ANY || decode(r, s) == t.second) &&
		    ((m & ALARM_ANY) == ALARM_ANY || decode(r, m) == t.minute) &&
		    ((h & ALARM_ANY) == ALARM_ANY || decode_hour(r, h) == t.hour))
			r->flags |= C_AF;
	}
	if ((r->flags & C_PF && b & B_PIE) || (r->flags & C_AF && b & B_AIE) ||
	    (r->flags & C_UF && b & B_UIE))
		r->flags |= C_IRQF;
	if ((r->flags & C_IRQF) && !(was & C_IRQF))
		vdev_irq(r->set, RTC_IRQ, true);
}

/* The host timer for the next tick or second an enabled interrupt needs. */
static void rtc_arm(struct rtc_state *r)
{
	uint64_t now = ticks_now(r), period = period_tsc(r), next = UINT64_MAX;
	uint8_t b = r->cmos[REG_B];

	timer_cancel(&r->timer);
	if ((b & B_PIE) && period)
		next = (now / period + 1) * period;
	if ((b & (B_AIE | B_UIE)) && !(b & B_SET))
		next = MIN(next, (now / tsc_hz() + 1) * tsc_hz());
	if (next != UINT64_MAX)
		timer_arm(&r->timer, r->tsc_start + next);
}

static void rtc_fired(struct timer *t)
{
	struct rtc_state *r = container_of(t, struct rtc_state, timer);

	vdev_lock(r->set);
	if (!r->dying) {
		rtc_update_flags(r);
		rtc_arm(r);
	}
	vdev_unlock(r->set);
}

static uint8_t rtc_read(struct rtc_state *r, unsigned reg)
{
	uint8_t v;

	switch (reg) {
	case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY: case REG_MDAY:
	case REG_MONTH: case REG_YEAR: case REG_CENTURY:
		return clock_read(r, reg);
	case REG_A: {
		bool uip = !(r->cmos[REG_B] & B_SET) &&
			   ticks_now(r) % tsc_hz() >= tsc_hz() - tsc_hz() / 1000000 * UIP_US;

		return (r->cmos[REG_A] & ~A_UIP) | (uip ? A_UIP : 0);
	}
	case REG_C:
		rtc_update_flags(r);
		v = r->flags;
		r->flags = 0;
		if (v & C_IRQF)
			vdev_irq(r->set, RTC_IRQ, false);
		return v;
	case REG_D:
		return D_VRT;
	default:
		return r->cmos[reg];
	}
}

static void rtc_write(struct rtc_state *r, unsigned reg, uint8_t v)
{
	switch (reg) {
	case REG_SEC: case REG_MIN: case REG_HOUR: case REG_WDAY: case REG_MDAY:
	case REG_MONTH: case REG_YEAR: case REG_CENTURY:
		clock_write(r, reg, v);
		break;
	case REG_A:
		r->cmos[REG_A] = v & ~A_UIP;
		rtc_arm(r);
		break;
	case REG_B:
		if ((v & B_SET) && !(r->cmos[REG_B] & B_SET))
			r->frozen = rtc_seconds(r);
		if (!(v & B_SET) && (r->cmos[REG_B] & B_SET)) {
			r->cmos[REG_B] = v;
			r->offset = 0;
			r->offset = (int64_t)(r->frozen - rtc_seconds(r));
		}
		r->cmos[REG_B] = v;
		rtc_update_flags(r);
		rtc_arm(r);
		break;
	case REG_C:
	case REG_D:
		break;		/* read-only */
	default:
		r->cmos[reg] = v;
		break;
	}
}

static enum vdev_result rtc_io(struct vdev_set *set, void *state, uint16_t offset,
			       unsigned size, bool is_write, uint32_t *value)
{
	struct rtc_state *r = state;

	if (offset == 0) {
		if (is_write)
			r->index = *value & ~NMI_DISABLE;
		else
			*value = 0xff;	/* the index register is write-only */
	} else if (is_write) {
		rtc_write(r, r->index, *value);
	} else {
		*value = rtc_read(r, r->index);
	}
	return VDEV_OK;
}

static void rtc_destroy(struct vdev_set *set, void *state)
{
	struct rtc_state *r = state;

	vdev_timer_retire(set, &r->dying, &r->timer);
}

static const struct vdev_ops rtc_ops = { .io = rtc_io, .destroy = rtc_destroy };

int vdev_rtc_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct rtc_state *r;
	void *state;
	int err = vdev_register(set, RTC_PORT, 2, &rtc_ops, sizeof(*r), &state);

	if (err)
		return err;
	r = state;
	r->set = set;
	r->wallclock = config->wallclock;
	r->tsc_start = config->tsc_start;
	r->cmos[REG_A] = 0x26;			/* 32.768 kHz, 1024 Hz rate */
	r->cmos[REG_B] = B_24H;
	r->last_second = rtc_seconds(r);
	timer_init(&r->timer, rtc_fired);
	return 0;
}
