/* The PC platform devices through their ports and registers, on a clock
 * the test moves: the 8259 pair (initialization, masks, priorities, EOI,
 * cascade, ELCR, poll, spurious), the 8254 (modes 0, 2 and 3, latches,
 * read-back, LSB/MSB access, IRQ 0, port 0x61's gate and OUT2), the CMOS
 * RTC (the clock in BCD and binary, 12 and 24 hours, setting it, the
 * update flag, periodic interrupts and register C), the PM timer, and the
 * IOAPIC (redirection entries, edge and level delivery to a vLAPIC, remote
 * IRR and EOI, masks) with the ISA routing (IRQ 0 on GSI 2), and COM1's
 * interrupts (THRE, received data through the FIFO, the OUT2 gate on IRQ 4)
 * with the console lines it makes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/tsc.h"
#include "hv/dev/vdev_device.h"
#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic_regs.h"
#include "lib/calendar.h"
#include "tests/unit/timer_host.h"

#define T0		1000000000ull	/* host TSC at the VM's start (1 GHz) */
#define SEC		1000000000ull
#define WALLCLOCK	1767225600ull	/* 2026-01-01 00:00:00 */

static struct vdev_set *set;
static struct vapic_bus *bus;
static struct vioapic *ioapic;
static struct vlapic *lapic;
static unsigned pic_raised;

static void nothing(void *v) { }
static void nothing_u8(void *v, uint8_t x) { }

static void eoi_level(void *v, uint8_t vector)
{
	vioapic_eoi(ioapic, vector);
}

static const struct vlapic_ops lapic_ops = { nothing, nothing, nothing, nothing_u8, eoi_level,
						    nothing };

static char last_line[128];
static unsigned lines;

static void console(void *ctx, const char *line)
{
	snprintf(last_line, sizeof(last_line), "%s", line);
	lines++;
}

static uint8_t sent[64];
static unsigned sent_len;

static void console_bytes(void *ctx, const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n && sent_len < sizeof(sent); i++)
		sent[sent_len++] = bytes[i];
}

static void pic_intr(void *ctx)
{
	pic_raised++;
}

static int setup(void **state)
{
	struct vlapic_config lc = { .id = 0, .bsp = true, .ops = &lapic_ops };
	struct vdev_config cfg = {
		.vm_name = "p", .ram_bytes = 1 << 20, .vcpus = 1, .console = console,
		.console_bytes = console_bytes, .pic_intr = pic_intr, .wallclock = WALLCLOCK, .tsc_start = T0,
	};

	host_tsc_set(T0);
	pic_raised = 0;
	lines = 0;
	last_line[0] = 0;
	sent_len = 0;
	bus = vapic_bus_create(1);
	lc.bus = bus;
	lapic = vlapic_create(&lc);
	ioapic = vioapic_create(bus);
	cfg.ioapic = ioapic;
	set = vdev_set_create(&cfg);
	assert_non_null(set);
	vlapic_mmio_write(lapic, APIC_SVR, 4, APIC_SVR_ENABLE | 0xff);
	return 0;
}

static int teardown(void **state)
{
	vdev_set_destroy(set);
	vioapic_destroy(ioapic);
	vlapic_destroy(lapic);
	vapic_bus_destroy(bus);
	return 0;
}

static void out(uint16_t port, uint32_t v)
{
	assert_int_equal(vdev_io(set, port, 1, true, &v), VDEV_OK);
}

static uint32_t in(uint16_t port, unsigned size)
{
	uint32_t v = 0;

	assert_int_equal(vdev_io(set, port, size, false, &v), VDEV_OK);
	return v;
}

static void irq(unsigned n, bool level)
{
	vdev_lock(set);
	vdev_irq(set, n, level);
	vdev_unlock(set);
}

/* Linux's initialization: vectors 0x30/0x38, slave on IRQ 2, 8086 mode. */
static void pic_init(void)
{
	out(0x20, 0x11);
	out(0x21, 0x30);
	out(0x21, 0x04);
	out(0x21, 0x01);
	out(0xa0, 0x11);
	out(0xa1, 0x38);
	out(0xa1, 0x02);
	out(0xa1, 0x01);
	out(0x21, 0x00);
	out(0xa1, 0x00);
}

static void test_pic(void **state)
{
	assert_false(vdev_pic_output(set));
	assert_int_equal(in(0x21, 1), 0xff);		/* masked until initialized */
	pic_init();
	irq(3, true);
	irq(3, false);
	assert_true(vdev_pic_output(set));
	assert_true(pic_raised > 0);
	irq(1, true);					/* higher priority than 3 */
	assert_int_equal(vdev_pic_ack(set), 0x31);
	assert_int_equal(vdev_pic_ack(set), 0x30 + 7);	/* 3 is below 1 in service: spurious */
	out(0x20, 0x0b);				/* OCW3: read ISR */
	assert_int_equal(in(0x20, 1), 0x02);		/* a spurious IRQ 7 sets no ISR bit */
	out(0x20, 0x20);				/* non-specific EOI: 1 */
	assert_int_equal(vdev_pic_ack(set), 0x33);
	out(0x20, 0x20);
	assert_false(vdev_pic_output(set));
	/* Masked IRQs wait; the slave cascades on IRQ 2. */
	out(0x21, 0x10);
	irq(4, true);
	assert_false(vdev_pic_output(set));
	out(0x21, 0x00);
	assert_int_equal(vdev_pic_ack(set), 0x34);
	out(0x20, 0x20);
	irq(4, false);
	irq(12, true);
	assert_int_equal(vdev_pic_ack(set), 0x38 + 4);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	irq(12, false);
	/* Level-triggered through the ELCR: the request follows the line. */
	out(0x4d1, 0x02);				/* IRQ 9 */
	assert_int_equal(in(0x4d1, 1), 0x02);
	out(0x4d0, 0xff);
	assert_int_equal(in(0x4d0, 1), 0xf8);		/* IRQ 0-2 stay edge */
	out(0x4d0, 0x00);
	irq(9, true);
	assert_int_equal(vdev_pic_ack(set), 0x39);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	assert_true(vdev_pic_output(set));		/* still asserted: again */
	irq(9, false);
	assert_false(vdev_pic_output(set));
	/* Poll mode: the read acknowledges. */
	irq(5, true);
	out(0x20, 0x0c);
	assert_int_equal(in(0x20, 1), 0x85);
	out(0x20, 0x20);
	irq(5, false);
}

/* Program PIT channel `ch` (LSB then MSB) in `mode` with `count`. */
static void pit_load(unsigned ch, unsigned mode, uint16_t count)
{
	out(0x43, ch << 6 | 0x30 | mode << 1);
	out(0x40 + ch, count & 0xff);
	out(0x40 + ch, count >> 8);
}

static uint16_t pit_latched(unsigned ch)
{
	uint16_t lo;

	out(0x43, ch << 6);
	lo = in(0x40 + ch, 1);
	return lo | in(0x40 + ch, 1) << 8;
}

/* Nanoseconds (TSC ticks at 1 GHz) for PIT ticks, rounded up. */
static uint64_t pit_ns(uint64_t ticks)
{
	return (ticks * 1000000000ull + 1193181) / 1193182;
}

static void test_pit_counting(void **state)
{
	uint64_t t0 = tsc_now();

	pit_load(2, 0, 10000);
	out(0x61, 0x01);				/* gate 2 up */
	assert_int_equal(in(0x61, 1) & 0x21, 0x01);	/* OUT2 low in mode 0 */
	t0 = tsc_now();
	host_tsc_advance_to(t0 + pit_ns(2500));
	assert_int_equal(pit_latched(2), 7500);
	host_tsc_advance_to(t0 + pit_ns(10000));
	assert_int_equal(in(0x61, 1) & 0x20, 0x20);	/* terminal count: OUT2 high */
	host_tsc_advance_to(t0 + pit_ns(10010));
	assert_int_equal(pit_latched(2), 0xfff6);	/* counts on, wrapped */
	/* Gate low pauses mode 0. */
	out(0x61, 0x00);
	host_tsc_advance_to(t0 + pit_ns(20000));
	assert_int_equal(pit_latched(2), 0xfff6);
	/* Mode 2 reloads; mode 3 counts by two. */
	out(0x61, 0x01);
	pit_load(2, 2, 1000);
	t0 = tsc_now();
	host_tsc_advance_to(t0 + pit_ns(2300));
	assert_int_equal(pit_latched(2), 700);
	pit_load(2, 3, 1000);
	t0 = tsc_now();
	host_tsc_advance_to(t0 + pit_ns(100));
	assert_int_equal(pit_latched(2), 800);
	assert_true(in(0x61, 1) & 0x20);		/* first half: high */
	host_tsc_advance_to(t0 + pit_ns(700));
	assert_false(in(0x61, 1) & 0x20);		/* second half: low */
	/* Read-back: status of channel 2 (output low, LSB/MSB, mode 3). */
	out(0x43, 0xc0 | 0x20 | 0x08);			/* status only, channel 2 */
	assert_int_equal(in(0x42, 1), 0x00 | 0x30 | 3 << 1);
	/* LSB-only access, live reads. */
	out(0x43, 0x80 | 0x10 | 2 << 1);
	out(0x42, 0x80);
	assert_int_equal(in(0x42, 1), 0x80);
}

static void test_pit_irq0_on_gsi2(void **state)
{
	uint64_t t0;

	pic_init();
	vioapic_mmio_write(ioapic, 0x00, 4, 0x10 + 2 * 2);	/* GSI 2: vector 0x40, edge */
	vioapic_mmio_write(ioapic, 0x10, 4, 0x40);
	pit_load(0, 2, 11932);				/* 10 ms */
	t0 = tsc_now();
	host_tsc_advance_to(t0 + pit_ns(11931));
	assert_false(vdev_pic_output(set));
	assert_int_equal(vlapic_pending_vector(lapic), -1);
	host_tsc_advance_to(t0 + pit_ns(11932) + 1);
	assert_true(vdev_pic_output(set));		/* IRQ 0 on the PIC */
	assert_int_equal(vlapic_pending_vector(lapic), 0x40);	/* and GSI 2 */
	assert_int_equal(vdev_pic_ack(set), 0x30);
	out(0x20, 0x20);
	vlapic_accept(lapic, 0x40);
	vlapic_mmio_write(lapic, APIC_EOI, 4, 0);
	host_tsc_advance_to(t0 + pit_ns(2 * 11932) + 1);	/* periodic */
	assert_int_equal(vlapic_pending_vector(lapic), 0x40);
	assert_int_equal(vdev_pic_ack(set), 0x30);
	out(0x43, 0x30);				/* reprogramming stops it */
	vlapic_accept(lapic, 0x40);
	vlapic_mmio_write(lapic, APIC_EOI, 4, 0);
	host_tsc_advance_to(t0 + pit_ns(5 * 11932));
	assert_int_equal(vlapic_pending_vector(lapic), -1);
}

static uint8_t cmos(uint8_t reg)
{
	out(0x70, reg);
	return in(0x71, 1);
}

static void cmos_set(uint8_t reg, uint8_t v)
{
	out(0x70, reg);
	out(0x71, v);
}

static void test_rtc_clock(void **state)
{
	/* 2026-01-01 00:00:00 plus 1 day, 13 h, 5 min, 9 s. */
	host_tsc_advance_to(T0 + (86400ull + 13 * 3600 + 5 * 60 + 9) * SEC);
	assert_int_equal(cmos(0x09), 0x26);		/* BCD */
	assert_int_equal(cmos(0x32), 0x20);
	assert_int_equal(cmos(0x08), 0x01);
	assert_int_equal(cmos(0x07), 0x02);
	assert_int_equal(cmos(0x06), 0x06);		/* Friday */
	assert_int_equal(cmos(0x04), 0x13);
	assert_int_equal(cmos(0x02), 0x05);
	assert_int_equal(cmos(0x00), 0x09);
	assert_int_equal(cmos(0x0d), 0x80);
	cmos_set(0x0b, 0x06);				/* binary, 24 h */
	assert_int_equal(cmos(0x04), 13);
	cmos_set(0x0b, 0x04);				/* binary, 12 h */
	assert_int_equal(cmos(0x04), 0x80 | 1);		/* 1 PM */
	/* Set the time: SET, write, clear SET; the clock goes on from there. */
	cmos_set(0x0b, 0x82 | 0x04);			/* SET, binary, 24 h */
	cmos_set(0x04, 7);
	cmos_set(0x02, 30);
	cmos_set(0x00, 0);
	host_tsc_advance_to(tsc_now() + 10 * SEC);	/* frozen meanwhile */
	assert_int_equal(cmos(0x00), 0);
	cmos_set(0x0b, 0x06);
	host_tsc_advance_to(tsc_now() + 61 * SEC);
	assert_int_equal(cmos(0x04), 7);
	assert_int_equal(cmos(0x02), 31);
	assert_int_equal(cmos(0x00), 1);
	/* Update in progress: the last 244 us of a second. */
	host_tsc_advance_to((tsc_now() - T0) / SEC * SEC + T0 + SEC - 100000);
	assert_true(cmos(0x0a) & 0x80);
	host_tsc_advance_to(tsc_now() + 200000);
	assert_false(cmos(0x0a) & 0x80);
	/* CMOS RAM keeps what is written. */
	cmos_set(0x40, 0x5a);
	assert_int_equal(cmos(0x40), 0x5a);
}

static void test_rtc_periodic_irq8(void **state)
{
	uint64_t t0;

	pic_init();
	cmos(0x0c);
	cmos_set(0x0a, 0x26);				/* 1024 Hz */
	cmos_set(0x0b, 0x02 | 0x40);			/* periodic interrupt on */
	t0 = tsc_now();
	host_tsc_advance_to(t0 + SEC / 1024 + 1000);
	assert_true(vdev_pic_output(set));
	assert_int_equal(vdev_pic_ack(set), 0x38);	/* IRQ 8 */
	assert_int_equal(cmos(0x0c) & 0xc0, 0xc0);	/* IRQF, PF; read clears */
	assert_int_equal(cmos(0x0c) & 0xc0, 0x00);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	cmos_set(0x0b, 0x02);				/* off: PF still shows, no IRQ */
	host_tsc_advance_to(tsc_now() + SEC);
	assert_false(vdev_pic_output(set));
	assert_int_equal(cmos(0x0c), 0x40 | 0x10);	/* PF and UF, no IRQF */
}

static void test_pm_timer(void **state)
{
	host_tsc_advance_to(T0 + SEC);
	assert_int_equal(in(0x608, 4), 3579545 & 0xffffff);
	host_tsc_advance_to(T0 + 10 * SEC);
	assert_int_equal(in(0x608, 4), 35795450 & 0xffffff);	/* 24 bits, wrapped */
}

static void test_ioapic(void **state)
{
	uint64_t v;

	vioapic_mmio_write(ioapic, 0x00, 4, 0x01);
	vioapic_mmio_read(ioapic, 0x10, 4, &v);
	assert_int_equal(v, 0x00170011);		/* 24 pins, version 0x11 */
	/* Pin 9, level, vector 0x51: delivered once until EOI. */
	assert_true(vioapic_entry(ioapic, 9) & (1u << 16));	/* masked at reset */
	vioapic_mmio_write(ioapic, 0x00, 4, 0x10 + 2 * 9);
	vioapic_mmio_write(ioapic, 0x10, 4, 0x51 | 1u << 15);
	vioapic_set_pin(ioapic, 9, true);
	assert_int_equal(vlapic_pending_vector(lapic), 0x51);
	assert_true(vioapic_entry(ioapic, 9) & (1u << 14));	/* remote IRR */
	vlapic_accept(lapic, 0x51);
	vioapic_set_pin(ioapic, 9, true);		/* no second delivery */
	assert_int_equal(vlapic_pending_vector(lapic), -1);
	vlapic_mmio_write(lapic, APIC_EOI, 4, 0);	/* EOI broadcast: still asserted */
	assert_int_equal(vlapic_pending_vector(lapic), 0x51);
	vlapic_accept(lapic, 0x51);
	vioapic_set_pin(ioapic, 9, false);
	vlapic_mmio_write(lapic, APIC_EOI, 4, 0);
	assert_false(vioapic_entry(ioapic, 9) & (1u << 14));
	assert_int_equal(vlapic_pending_vector(lapic), -1);
	/* Edge pin 5, masked: the edge is lost; unmasked: one delivery per edge. */
	vioapic_mmio_write(ioapic, 0x00, 4, 0x10 + 2 * 5);
	vioapic_mmio_write(ioapic, 0x10, 4, 0x45 | 1u << 16);
	vioapic_set_pin(ioapic, 5, true);
	vioapic_set_pin(ioapic, 5, false);
	vioapic_mmio_write(ioapic, 0x10, 4, 0x45);
	assert_int_equal(vlapic_pending_vector(lapic), -1);
	vioapic_set_pin(ioapic, 5, true);
	vioapic_set_pin(ioapic, 5, true);		/* no new edge */
	assert_int_equal(vlapic_pending_vector(lapic), 0x45);
	vlapic_accept(lapic, 0x45);
	assert_int_equal(vlapic_pending_vector(lapic), -1);
	/* A destination that matches no APIC delivers nothing. */
	vioapic_mmio_write(ioapic, 0x00, 4, 0x10 + 2 * 6 + 1);
	vioapic_mmio_write(ioapic, 0x10, 4, 7u << 24);
	vioapic_mmio_write(ioapic, 0x00, 4, 0x10 + 2 * 6);
	vioapic_mmio_write(ioapic, 0x10, 4, 0x46);
	vioapic_set_pin(ioapic, 6, true);
	assert_false(vlapic_pending_vector(lapic) == 0x46);
	/* Write-only and read-only bits: delivery status and remote IRR. */
	vioapic_mmio_write(ioapic, 0x10, 4, 0x46 | 1u << 12 | 1u << 14);
	assert_int_equal(vioapic_entry(ioapic, 6) & 0xffffffffu, 0x46);
}

/* COM1 as Linux's 8250 driver drives it, IRQ 4 on the PIC. */
static void test_uart(void **state)
{
	static const uint8_t typed[20] = "0123456789abcdefghij";

	pic_init();
	out(0x3fa, 0x01);				/* FIFO on */
	assert_int_equal(in(0x3fa, 1), 0xc0 | 0x01);	/* 16550A, nothing pending */
	out(0x3f9, 0x02);				/* THRE enable: pending at once */
	assert_false(vdev_pic_output(set));		/* ...but OUT2 gates IRQ 4 off */
	out(0x3fc, 0x0b);				/* DTR, RTS, OUT2 */
	assert_true(vdev_pic_output(set));
	assert_int_equal(vdev_pic_ack(set), 0x34);	/* IRQ 4 */
	assert_int_equal(in(0x3fa, 1), 0xc0 | 0x02);	/* THRE; reading IIR clears it */
	assert_int_equal(in(0x3fa, 1), 0xc0 | 0x01);
	out(0x20, 0x20);
	/* A byte sent empties the holding register at once: THRE again. */
	for (const char *c = "ok\n"; *c; c++)
		out(0x3f8, (uint8_t)*c);
	assert_string_equal(last_line, "[p] ok");
	assert_int_equal(in(0x3fa, 1) & 0x0f, 0x02);
	/* Typed bytes: 16 fit, data-available outranks THRE, the rest waits. */
	out(0x3f9, 0x03);
	assert_int_equal(vdev_uart_receive(set, typed, sizeof(typed)), 16);
	assert_int_equal(in(0x3fd, 1) & 0x01, 0x01);
	assert_int_equal(in(0x3fa, 1) & 0x0f, 0x04);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(in(0x3f8, 1), typed[i]);
	assert_int_equal(in(0x3fd, 1) & 0x01, 0x00);
	assert_int_equal(vdev_uart_receive(set, typed + 16, 4), 4);
	/* FCR bit 1 clears the receive FIFO; with the FIFO off one byte fits. */
	out(0x3fa, 0x03);
	assert_int_equal(in(0x3fd, 1) & 0x01, 0x00);
	out(0x3fa, 0x00);
	assert_int_equal(vdev_uart_receive(set, typed, 2), 1);
	/* In loopback nothing from outside arrives. */
	out(0x3fc, 0x1b);
	assert_int_equal(in(0x3f8, 1), typed[0]);
	assert_int_equal(vdev_uart_receive(set, typed, 2), 0);
}

/* The byte sink gets every byte as sent, control bytes included (the
 * focused console is raw); the line sink gets whole, cleaned lines only,
 * so a prompt without its newline waits however long the guest pauses. */
static void test_uart_bytes_and_lines(void **state)
{
	static const char typed[] = "ok\r\n\x1b[6n/ # ";

	for (const char *c = typed; *c; c++)
		out(0x3f8, (uint8_t)*c);
	assert_int_equal(sent_len, sizeof(typed) - 1);
	assert_memory_equal(sent, typed, sizeof(typed) - 1);
	assert_int_equal(lines, 1);
	assert_string_equal(last_line, "[p] ok");
	host_tsc_advance_to(tsc_now() + SEC);
	assert_int_equal(lines, 1);
	out(0x3f8, '\n');
	assert_int_equal(lines, 2);
	assert_string_equal(last_line, "[p] ?[6n/ # ");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_pic),
		T(test_pit_counting),
		T(test_pit_irq0_on_gsi2),
		T(test_rtc_clock),
		T(test_rtc_periodic_irq8),
		T(test_pm_timer),
		T(test_ioapic),
		T(test_uart),
		T(test_uart_bytes_and_lines),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
