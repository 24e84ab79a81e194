/* Virtual port-I/O devices: the registry and dispatcher (sizes, unclaimed
 * and straddling accesses, bad requests), the COM1 UART (registers, line
 * buffering per VM; its interrupts are in vplatform.c), isa-debug-exit,
 * fw_cfg and port 0x80. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/dev/vdev_device.h"
#include "tests/unit/host.h"

/* How a VM ended, as vdev_set_end() says. */
static enum vdev_end how;

#define MAX_LINES	128

/* Lines the console sink received, in order; several sets may share it. */
struct capture {
	pthread_mutex_t lock;
	unsigned count;
	char lines[MAX_LINES][VDEV_SINK_LINE_MAX];
};

static struct capture cap;

static void capture_line(void *ctx, const char *line)
{
	struct capture *c = ctx;

	pthread_mutex_lock(&c->lock);
	assert_true(c->count < MAX_LINES);
	assert_true(strlen(line) < VDEV_SINK_LINE_MAX);
	strcpy(c->lines[c->count++], line);
	pthread_mutex_unlock(&c->lock);
}

static int setup(void **state)
{
	memset(&cap, 0, sizeof(cap));
	pthread_mutex_init(&cap.lock, NULL);
	host_last_log[0] = '\0';
	return 0;
}

static struct vdev_set *make_set(const char *name, uint64_t ram_bytes, unsigned vcpus)
{
	struct vdev_config config = {
		.vm_name = name,
		.ram_bytes = ram_bytes,
		.vcpus = vcpus,
		.console = capture_line,
		.console_ctx = &cap,
	};
	struct vdev_set *set = vdev_set_create(&config);

	assert_non_null(set);
	return set;
}

static struct vdev_set *make_vm(const char *name)
{
	return make_set(name, MiB(256), 1);
}

/* Write `value` to `port`; the access must not end the VM. */
static void out(struct vdev_set *set, uint16_t port, unsigned size, uint32_t value)
{
	assert_int_equal(vdev_io(set, port, size, true, &value), VDEV_OK);
}

static uint32_t in(struct vdev_set *set, uint16_t port, unsigned size)
{
	uint32_t value = 0xa5a5a5a5;

	assert_int_equal(vdev_io(set, port, size, false, &value), VDEV_OK);
	return value;
}

static void out_string(struct vdev_set *set, const char *s)
{
	while (*s)
		out(set, 0x3f8, 1, (uint8_t)*s++);
}

/* ---- set creation ---- */

static void test_create_rejects_bad_config(void **state)
{
	struct vdev_config good = {
		.vm_name = "vm0", .ram_bytes = MiB(64), .vcpus = 2,
		.console = capture_line, .console_ctx = &cap,
	};
	struct vdev_config bad;
	struct vdev_set *set;

	assert_null(vdev_set_create(NULL));
	const char *bad_names[] = { NULL, "", "has space", "tab\tname", "bell\a",
				    "0123456789012345678901234567890x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad_names); i++) {
		bad = good;
		bad.vm_name = bad_names[i];
		assert_null(vdev_set_create(&bad));
	}
	bad = good;
	bad.ram_bytes = 0;
	assert_null(vdev_set_create(&bad));
	bad = good;
	bad.vcpus = 0;
	assert_null(vdev_set_create(&bad));
	bad = good;
	bad.vcpus = 65536;
	assert_null(vdev_set_create(&bad));
	bad = good;
	bad.console = NULL;
	assert_null(vdev_set_create(&bad));

	/* The limits themselves are fine. */
	bad = good;
	bad.vm_name = "0123456789012345678901234567890";
	bad.vcpus = 65535;
	set = vdev_set_create(&bad);
	assert_non_null(set);
	vdev_set_destroy(set);
	vdev_set_destroy(NULL);
}

/* ---- dispatcher ---- */

static void test_bad_requests_change_nothing(void **state)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t value = 0x42;

	assert_int_equal(vdev_io(set, 0x3ff, 0, true, &value), VDEV_BAD_ACCESS);
	assert_int_equal(vdev_io(set, 0x3ff, 3, true, &value), VDEV_BAD_ACCESS);
	assert_int_equal(vdev_io(set, 0x3ff, 8, true, &value), VDEV_BAD_ACCESS);
	assert_int_equal(vdev_io(set, 0x3ff, 1, true, NULL), VDEV_BAD_ACCESS);
	assert_int_equal(vdev_io(set, 0x3ff, 1, false, NULL), VDEV_BAD_ACCESS);
	assert_int_equal(vdev_io(set, 0xf4, 3, true, &value), VDEV_BAD_ACCESS);
	value = 0x77;
	assert_int_equal(vdev_io(set, 0x3ff, 3, false, &value), VDEV_BAD_ACCESS);
	assert_int_equal(value, 0x77);
	assert_int_equal(in(set, 0x3ff, 1), 0);		/* scratch never written */
	assert_false(vdev_set_end(set, &how, &value));
	vdev_set_destroy(set);
}

static void test_unclaimed_reads_all_ones_by_size(void **state)
{
	struct vdev_set *set = make_vm("vm");

	assert_int_equal(in(set, 0x60, 1), 0xff);
	assert_int_equal(in(set, 0x60, 2), 0xffff);
	assert_int_equal(in(set, 0x60, 4), 0xffffffff);
	out(set, 0x2f8, 1, 0x12);			/* COM2 does not exist */
	assert_int_equal(in(set, 0x2f8, 1), 0xff);
	assert_int_equal(in(set, 0xffff, 4), 0xffffffff);
	assert_int_equal(in(set, 0x0000, 2), 0xffff);
	vdev_set_destroy(set);
}

static void test_unclaimed_logged_once_per_port(void **state)
{
	struct vdev_set *set = make_vm("guest7");

	in(set, 0x66, 1);
	assert_string_equal(host_last_log, "vdev: vm guest7: unclaimed 1-byte read at port 0x66 "
			    "(reads all ones, writes ignored)");
	host_last_log[0] = '\0';
	in(set, 0x66, 4);
	out(set, 0x66, 2, 0);
	assert_string_equal(host_last_log, "");
	out(set, 0x67, 2, 0);
	assert_string_equal(host_last_log, "vdev: vm guest7: unclaimed 2-byte write at port 0x67 "
			    "(reads all ones, writes ignored)");
	vdev_set_destroy(set);

	/* The memory is per VM: another VM logs the same port again. */
	host_last_log[0] = '\0';
	set = make_vm("other");
	in(set, 0x66, 1);
	assert_non_null(strstr(host_last_log, "vm other: unclaimed 1-byte read at port 0x66"));
	vdev_set_destroy(set);
}

static void test_straddling_accesses_are_unclaimed(void **state)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t status;

	/* UART 0x3f8-0x3ff: a word at its last port runs past it. */
	out(set, 0x3ff, 2, 0x1234);
	assert_int_equal(in(set, 0x3ff, 1), 0);
	assert_int_equal(in(set, 0x3fe, 4), 0xffffffff);
	/* Starting below a device is unclaimed even if the end lands in it. */
	out(set, 0x3f6, 4, 0x41414141);
	assert_int_equal(in(set, 0x3f7, 2), 0xffff);
	/* fw_cfg 0x510-0x511: a selector write one port late. */
	out(set, 0x511, 2, 0x0001);
	assert_int_equal(in(set, 0x511, 1), 'Q');
	/* Port 0x80 is one byte wide. */
	out(set, 0x80, 2, 0x5555);
	out(set, 0x7e, 4, 0x66666666);
	assert_int_equal(vdev_port80_code(set), 0);
	assert_int_equal(in(set, 0x80, 2), 0xffff);
	/* isa-debug-exit 0xf4-0xf7. */
	out(set, 0xf6, 4, 1);
	out(set, 0xf2, 4, 1);
	assert_false(vdev_set_end(set, &how, &status));

	vdev_set_flush(set);
	assert_int_equal(cap.count, 0);
	vdev_set_destroy(set);
}

/* A device that records its last access and answers reads with 0x12345678. */
struct fake_state {
	unsigned calls;
	uint16_t offset;
	unsigned size;
	bool is_write;
	uint32_t value;
};

static enum vdev_result fake_io(struct vdev_set *set, void *state, uint16_t offset,
				unsigned size, bool is_write, uint32_t *value)
{
	struct fake_state *fake = state;

	fake->calls++;
	fake->offset = offset;
	fake->size = size;
	fake->is_write = is_write;
	fake->value = is_write ? *value : 0;
	if (!is_write)
		*value = 0x12345678;
	return VDEV_OK;
}

static const struct vdev_ops fake_ops = { .io = fake_io };
static const struct vdev_ops other_ops = { .io = fake_io };

static void test_register_and_dispatch(void **state)
{
	struct vdev_set *set = make_vm("vm");
	struct fake_state *fake;
	void *dev;

	assert_int_equal(vdev_register(set, 0x1000, 4, &fake_ops, sizeof(*fake), &dev), 0);
	fake = dev;
	assert_ptr_equal(vdev_state_at(set, 0x1003, &fake_ops), fake);
	assert_null(vdev_state_at(set, 0x1003, &other_ops));
	assert_null(vdev_state_at(set, 0x1004, &fake_ops));

	out(set, 0x1002, 2, 0xaabbccdd);		/* the value is cut to the size */
	assert_int_equal(fake->calls, 1);
	assert_int_equal(fake->offset, 2);
	assert_int_equal(fake->size, 2);
	assert_true(fake->is_write);
	assert_int_equal(fake->value, 0xccdd);

	assert_int_equal(in(set, 0x1003, 1), 0x78);	/* so is the result */
	assert_int_equal(fake->offset, 3);
	assert_false(fake->is_write);
	assert_int_equal(in(set, 0x1000, 4), 0x12345678);
	assert_int_equal(in(set, 0x1001, 4), 0xffffffff);
	assert_int_equal(fake->calls, 3);

	/* Overlaps, empty and wrapping ranges are refused. */
	assert_int_equal(vdev_register(set, 0x0ffe, 3, &other_ops, 0, &dev), -EBUSY);
	assert_int_equal(vdev_register(set, 0x1003, 1, &other_ops, 0, &dev), -EBUSY);
	assert_int_equal(vdev_register(set, 0x3fc, 1, &other_ops, 0, &dev), -EBUSY);
	assert_int_equal(vdev_register(set, 0x2000, 0, &other_ops, 0, &dev), -EINVAL);
	assert_int_equal(vdev_register(set, 0xffff, 2, &other_ops, 0, &dev), -EINVAL);
	assert_int_equal(vdev_register(set, 0x2000, 1, NULL, 0, &dev), -EINVAL);
	assert_null(vdev_state_at(set, 0x0ffe, &other_ops));

	/* The last port works, and an access there cannot wrap to port 0. */
	assert_int_equal(vdev_register(set, 0xffff, 1, &other_ops, sizeof(*fake), &dev), 0);
	fake = dev;
	assert_int_equal(in(set, 0xffff, 1), 0x78);
	assert_int_equal(in(set, 0xffff, 2), 0xffff);
	assert_int_equal(fake->calls, 1);
	vdev_set_destroy(set);
}

static void test_register_runs_out_of_slots(void **state)
{
	struct vdev_set *set = make_vm("vm");
	unsigned added = 0;
	void *dev;

	while (vdev_register(set, 0x2000 + added, 1, &fake_ops, 0, &dev) == 0)
		added++;
	/* The standard devices take 14: UART, isa-debug-exit, fw_cfg, port 0x80,
	 * the two PICs and their ELCR, the PIT and port B, the RTC, the PM timer,
	 * PM1, the PCI host ports and the i8042. */
	assert_int_equal(added, VDEV_MAX_DEVICES - 14);
	assert_null(dev);
	assert_int_equal(vdev_register(set, 0x3000, 1, &fake_ops, 0, &dev), -EBUSY);
	vdev_set_destroy(set);
}

/* ---- UART ---- */

static void test_uart_reset_state(void **state)
{
	struct vdev_set *set = make_vm("vm");

	assert_int_equal(in(set, 0x3f8, 1), 0);		/* RBR: nothing received */
	assert_int_equal(in(set, 0x3f9, 1), 0);		/* IER */
	assert_int_equal(in(set, 0x3fa, 1), 0x01);	/* IIR: no interrupt */
	assert_int_equal(in(set, 0x3fb, 1), 0);		/* LCR */
	assert_int_equal(in(set, 0x3fc, 1), 0);		/* MCR */
	assert_int_equal(in(set, 0x3fd, 1), 0x60);	/* LSR: THRE | TEMT */
	assert_int_equal(in(set, 0x3fe, 1), 0xb0);	/* MSR: DCD | DSR | CTS */
	assert_int_equal(in(set, 0x3ff, 1), 0);		/* SCR */
	out(set, 0x3fb, 1, 0x80);
	assert_int_equal(in(set, 0x3f8, 1), 12);	/* DLL: 9600 baud */
	assert_int_equal(in(set, 0x3f9, 1), 0);		/* DLM */
	vdev_set_destroy(set);
}

static void test_uart_registers_read_back(void **state)
{
	struct vdev_set *set = make_vm("vm");

	out(set, 0x3f9, 1, 0xff);
	assert_int_equal(in(set, 0x3f9, 1), 0x0f);	/* four enable bits */
	out(set, 0x3f9, 1, 0x05);
	out(set, 0x3fb, 1, 0x1b);
	assert_int_equal(in(set, 0x3fb, 1), 0x1b);
	out(set, 0x3fc, 1, 0xff);
	assert_int_equal(in(set, 0x3fc, 1), 0x1f);
	out(set, 0x3fc, 1, 0x0b);
	out(set, 0x3ff, 1, 0x5a);
	assert_int_equal(in(set, 0x3ff, 1), 0x5a);

	/* FCR turns the FIFOs on (IIR's top bits say so); status writes
	 * change nothing. */
	out(set, 0x3fa, 1, 0xc7);
	out(set, 0x3fd, 1, 0x00);
	out(set, 0x3fe, 1, 0x00);
	assert_int_equal(in(set, 0x3fa, 1), 0xc1);
	assert_int_equal(in(set, 0x3fd, 1), 0x60);
	assert_int_equal(in(set, 0x3fe, 1), 0xb0);

	/* DLAB swaps the divisor latch in for RBR/THR and IER. */
	out(set, 0x3fb, 1, 0x83);
	out(set, 0x3f8, 1, 0x01);
	out(set, 0x3f9, 1, 0x02);
	assert_int_equal(in(set, 0x3f8, 1), 0x01);
	assert_int_equal(in(set, 0x3f9, 1), 0x02);
	assert_int_equal(in(set, 0x3fb, 1), 0x83);
	out(set, 0x3fb, 1, 0x03);
	assert_int_equal(in(set, 0x3f9, 1), 0x05);
	assert_int_equal(in(set, 0x3f8, 1), 0);
	assert_int_equal(in(set, 0x3ff, 1), 0x5a);

	vdev_set_flush(set);
	assert_int_equal(cap.count, 0);			/* DLL writes were not sent */
	vdev_set_destroy(set);
}

static void test_uart_loopback(void **state)
{
	struct vdev_set *set = make_vm("vm");

	out(set, 0x3fc, 1, 0x1a);			/* LOOP | OUT2 | RTS */
	assert_int_equal(in(set, 0x3fe, 1), 0x90);	/* DCD | CTS */
	out(set, 0x3fc, 1, 0x15);			/* LOOP | OUT1 | DTR */
	assert_int_equal(in(set, 0x3fe, 1), 0x60);	/* RI | DSR */
	out(set, 0x3fc, 1, 0x10);
	assert_int_equal(in(set, 0x3fe, 1), 0x00);
	out_string(set, "looped\n");			/* not transmitted */
	out(set, 0x3fc, 1, 0x03);
	assert_int_equal(in(set, 0x3fe, 1), 0xb0);
	assert_int_equal(cap.count, 0);
	vdev_set_destroy(set);
}

static void test_uart_wide_accesses_are_byte_runs(void **state)
{
	struct vdev_set *set = make_vm("vm");

	out(set, 0x3fb, 2, 0x0b03);			/* LCR = 03, MCR = 0b */
	assert_int_equal(in(set, 0x3fb, 1), 0x03);
	assert_int_equal(in(set, 0x3fc, 1), 0x0b);
	assert_int_equal(in(set, 0x3fb, 2), 0x0b03);
	out(set, 0x3ff, 1, 0x77);
	assert_int_equal(in(set, 0x3fc, 4), 0x77b0600b);	/* MCR LSR MSR SCR */
	/* THR 'a', IER 'b' (0x62 -> 0x02), FCR, LCR 0x01. */
	out(set, 0x3f8, 4, 0x01636261);
	assert_int_equal(in(set, 0x3f9, 1), 0x02);
	assert_int_equal(in(set, 0x3fb, 1), 0x01);
	vdev_set_flush(set);
	assert_int_equal(cap.count, 1);
	assert_string_equal(cap.lines[0], "[vm] a");
	vdev_set_destroy(set);
}

static void test_uart_lines(void **state)
{
	struct vdev_set *set = make_vm("linux");

	out_string(set, "hello\r\n");
	assert_int_equal(cap.count, 1);
	assert_string_equal(cap.lines[0], "[linux] hello");
	out_string(set, "\n");
	assert_string_equal(cap.lines[1], "[linux] ");
	out_string(set, "tab\there \x1b[31mred\x7f\x80\n");
	assert_string_equal(cap.lines[2], "[linux] tab\there ?[31mred??");
	out_string(set, "no newline yet");
	assert_int_equal(cap.count, 3);
	vdev_set_destroy(set);
	assert_int_equal(cap.count, 4);			/* destroying flushes */
	assert_string_equal(cap.lines[3], "[linux] no newline yet");
}

static void test_uart_lines_never_mix_between_vms(void **state)
{
	struct vdev_set *a = make_vm("a");
	struct vdev_set *b = make_vm("b");
	const char *from_a = "first line of a\nsecond", *from_b = "line of b\n";

	size_t len_a = strlen(from_a), len_b = strlen(from_b);

	for (size_t i = 0; i < MAX(len_a, len_b); i++) {
		if (i < len_a)
			out(a, 0x3f8, 1, from_a[i]);
		if (i < len_b)
			out(b, 0x3f8, 1, from_b[i]);
	}
	assert_int_equal(cap.count, 2);
	assert_string_equal(cap.lines[0], "[b] line of b");
	assert_string_equal(cap.lines[1], "[a] first line of a");
	vdev_set_flush(b);
	assert_int_equal(cap.count, 2);
	vdev_set_flush(a);
	assert_int_equal(cap.count, 3);
	assert_string_equal(cap.lines[2], "[a] second");
	vdev_set_flush(a);				/* nothing left */
	assert_int_equal(cap.count, 3);
	vdev_set_destroy(a);
	vdev_set_destroy(b);
	assert_int_equal(cap.count, 3);
}

static void test_uart_long_lines_are_cut(void **state)
{
	struct vdev_set *set = make_vm("vm");
	char expect[VDEV_SINK_LINE_MAX];

	for (unsigned i = 0; i < 2 * VDEV_LINE_MAX + 50; i++)
		out(set, 0x3f8, 1, 'a' + i / VDEV_LINE_MAX);
	out_string(set, "\n");
	assert_int_equal(cap.count, 3);
	for (unsigned piece = 0; piece < 2; piece++) {
		strcpy(expect, "[vm] ");
		memset(expect + 5, 'a' + piece, VDEV_LINE_MAX);
		expect[5 + VDEV_LINE_MAX] = '\0';
		assert_string_equal(cap.lines[piece], expect);
	}
	assert_int_equal(strlen(cap.lines[2]), 5 + 50);
	assert_int_equal(cap.lines[2][5], 'c');

	/* A line of exactly the limit stays one line. */
	for (unsigned i = 0; i < VDEV_LINE_MAX; i++)
		out(set, 0x3f8, 1, 'z');
	assert_int_equal(cap.count, 3);
	out_string(set, "\r\n");
	assert_int_equal(cap.count, 4);
	assert_int_equal(strlen(cap.lines[3]), 5 + VDEV_LINE_MAX);
	vdev_set_flush(set);
	assert_int_equal(cap.count, 4);
	vdev_set_destroy(set);
}

/* ---- isa-debug-exit ---- */

/* Write `value` (`size` bytes) to `port` of a fresh VM; return the status. */
static uint32_t exit_status_after(uint16_t port, unsigned size, uint32_t value)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t status = 0xdead;

	assert_false(vdev_set_end(set, &how, &status));
	assert_int_equal(status, 0xdead);
	assert_int_equal(vdev_io(set, port, size, true, &value), VDEV_EXIT);
	assert_true(vdev_set_end(set, &how, &status));
	assert_int_equal(how, VDEV_END_EXIT);
	vdev_set_destroy(set);
	return status;
}

static void test_debug_exit_statuses(void **state)
{
	assert_int_equal(exit_status_after(0xf4, 1, 0), 0);
	assert_int_equal(exit_status_after(0xf4, 1, 1), 1);
	assert_int_equal(exit_status_after(0xf4, 1, 0x31), 0x31);
	assert_int_equal(exit_status_after(0xf4, 1, 0x1ff), 0xff);	/* cut to a byte */
	assert_int_equal(exit_status_after(0xf4, 2, 0xabcd1234), 0x1234);
	assert_int_equal(exit_status_after(0xf4, 4, 0xdeadbeef), 0xdeadbeef);
	assert_int_equal(exit_status_after(0xf4, 4, 0xffffffff), 0xffffffff);
	assert_int_equal(exit_status_after(0xf7, 1, 7), 7);		/* any of its ports */
	assert_int_equal(exit_status_after(0xf6, 2, 0x300), 0x300);
}

static void test_debug_exit_first_request_wins(void **state)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t value = 3, status;

	assert_int_equal(in(set, 0xf4, 1), 0xff);	/* nothing to read */
	assert_int_equal(in(set, 0xf4, 4), 0xffffffff);
	assert_false(vdev_set_end(set, &how, &status));
	assert_int_equal(vdev_io(set, 0xf4, 1, true, &value), VDEV_EXIT);
	value = 4;
	assert_int_equal(vdev_io(set, 0xf4, 1, true, &value), VDEV_EXIT);
	assert_true(vdev_set_end(set, &how, &status));
	assert_int_equal(status, 3);
	vdev_set_destroy(set);
}

/* ---- fw_cfg ---- */

static void select_key(struct vdev_set *set, uint16_t key)
{
	out(set, 0x510, 2, key);
}

/* Read `n` data bytes and compare them with `expect`. */
static void expect_data(struct vdev_set *set, const uint8_t *expect, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(in(set, 0x511, 1), expect[i]);
}

static void test_fw_cfg_signature_and_id(void **state)
{
	struct vdev_set *set = make_vm("vm");
	static const uint8_t qemu_then_zeros[] = { 'Q', 'E', 'M', 'U', 0, 0, 0 };
	static const uint8_t id[] = { 1, 0, 0, 0, 0 };

	expect_data(set, qemu_then_zeros, 7);		/* selected at reset */
	select_key(set, 0x0000);
	expect_data(set, qemu_then_zeros, 2);
	select_key(set, 0x0000);			/* selecting rewinds */
	expect_data(set, qemu_then_zeros, 7);
	select_key(set, 0x0001);
	expect_data(set, id, 5);
	select_key(set, 0x4000);			/* write channel bit: same item */
	expect_data(set, qemu_then_zeros, 5);
	vdev_set_destroy(set);
}

static void test_fw_cfg_ram_and_cpus(void **state)
{
	struct vdev_set *set = make_set("vm", 0x123456789aull, 0x0102);
	static const uint8_t ram[] = { 0x9a, 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0, 0 };
	static const uint8_t cpus[] = { 0x02, 0x01, 0, 0 };

	select_key(set, 0x0003);
	expect_data(set, ram, 10);
	select_key(set, 0x0005);
	expect_data(set, cpus, 4);
	select_key(set, 0x000f);
	expect_data(set, cpus, 4);
	vdev_set_destroy(set);

	set = make_set("small", MiB(256), 3);
	static const uint8_t ram_256m[] = { 0, 0, 0, 0x10, 0, 0, 0, 0 };
	static const uint8_t three[] = { 3, 0, 0 };
	select_key(set, 0x0003);
	expect_data(set, ram_256m, 8);
	select_key(set, 0x0005);
	expect_data(set, three, 3);
	vdev_set_destroy(set);
}

static void test_fw_cfg_unknown_keys_and_file_dir_read_zeros(void **state)
{
	struct vdev_set *set = make_vm("vm");
	static const uint8_t zeros[16];
	static const uint16_t keys[] = { 0x0002, 0x0004, 0x0019, 0x0020, 0x8000, 0x8003, 0xffff };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		select_key(set, keys[i]);
		expect_data(set, zeros, 16);
	}
	select_key(set, 0x0000);
	assert_int_equal(in(set, 0x511, 1), 'Q');
	vdev_set_destroy(set);
}

static void test_fw_cfg_reading_past_the_end_stays_zero(void **state)
{
	struct vdev_set *set = make_set("vm", ~0ull, 1);

	select_key(set, 0x0003);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(in(set, 0x511, 1), 0xff);
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(in(set, 0x511, 1), 0);
	vdev_set_destroy(set);
}

static void test_fw_cfg_port_access_rules(void **state)
{
	struct vdev_set *set = make_vm("vm");

	/* A byte read at the selector port reads data, as in QEMU. */
	assert_int_equal(in(set, 0x510, 1), 'Q');
	assert_int_equal(in(set, 0x511, 1), 'E');
	/* Byte writes are data writes (ignored): two of them do not select. */
	out(set, 0x510, 1, 0x03);
	out(set, 0x511, 1, 0x00);
	assert_int_equal(in(set, 0x511, 1), 'M');
	/* Wide reads are not decoded and consume no data. */
	assert_int_equal(in(set, 0x510, 2), 0xffff);
	assert_int_equal(in(set, 0x511, 1), 'U');
	/* Only the selector port selects; the value's upper half is ignored. */
	select_key(set, 0x0000);
	out(set, 0x510, 4, 0x00010003);			/* runs past the device */
	assert_int_equal(in(set, 0x511, 1), 'Q');
	out(set, 0x510, 2, 0xabcd0001);
	assert_int_equal(in(set, 0x511, 1), 1);
	vdev_set_destroy(set);
}

/* ---- port 0x80 ---- */

/* ---- ACPI PM1, reset control, PCI configuration, i8042 ---- */

/* `port` <- `value` ends the VM as `expected`. */
static void expect_end(struct vdev_set *set, uint16_t port, unsigned size, uint32_t value,
		       enum vdev_end expected)
{
	uint32_t status = 0xdead;

	assert_int_equal(vdev_io(set, port, size, true, &value), VDEV_EXIT);
	assert_true(vdev_set_end(set, &how, &status));
	assert_int_equal(how, expected);
	assert_int_equal(status, 0);
}

static void test_pm1_registers(void **state)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t status;

	assert_int_equal(in(set, 0x604, 2), 0x0001);	/* SCI_EN: always in ACPI mode */
	out(set, 0x602, 2, 0xffff);
	assert_int_equal(in(set, 0x602, 2), 0x0721);	/* TMR, GBL, PWRBTN, SLPBTN, RTC */
	assert_int_equal(in(set, 0x603, 1), 0x07);
	assert_int_equal(in(set, 0x600, 4), 0x07210000);
	out(set, 0x600, 2, 0xffff);			/* write 1 to clear: nothing set */
	assert_int_equal(in(set, 0x600, 2), 0);
	out(set, 0x604, 2, 0x0006);			/* BM_RLD, GBL_RLS; no SLP_EN */
	assert_int_equal(in(set, 0x604, 2), 0x0007);
	assert_false(vdev_set_end(set, &how, &status));
	vdev_set_destroy(set);
}

static void test_pm1_s5_powers_off(void **state)
{
	struct vdev_set *set = make_vm("vm");

	expect_end(set, 0x604, 2, 0x2000, VDEV_END_POWEROFF);	/* SLP_TYP 0 = S5, SLP_EN */
	vdev_set_destroy(set);
	set = make_vm("vm");
	out(set, 0x604, 1, 0x00);
	expect_end(set, 0x605, 1, 0x20, VDEV_END_POWEROFF);	/* the high byte alone */
	vdev_set_destroy(set);
}

static void test_pm1_other_sleep_types_ignored(void **state)
{
	struct vdev_set *set = make_vm("vm");
	uint32_t status;

	out(set, 0x604, 2, 0x2000 | (1u << 10));
	assert_false(vdev_set_end(set, &how, &status));
	assert_non_null(strstr(host_last_log, "sleep type 1 requested"));
	assert_int_equal(in(set, 0x604, 2), 0x0401);	/* SLP_EN reads 0 */
	vdev_set_destroy(set);
}

static void test_reset_control(void **state)
{
	struct vdev_set *set = make_vm("vm");

	out(set, 0xcf9, 1, 0x02);			/* FULL_RST alone does nothing yet */
	assert_int_equal(in(set, 0xcf9, 1), 0x02);
	expect_end(set, 0xcf9, 1, 0x06, VDEV_END_RESET);
	vdev_set_destroy(set);
}

static void test_pci_conf1_without_devices(void **state)
{
	struct vdev_set *set = make_vm("vm");

	out(set, 0xcf8, 4, 0x80000000);
	assert_int_equal(in(set, 0xcf8, 4), 0x80000000);	/* mechanism 1 is there */
	assert_int_equal(in(set, 0xcfc, 4), 0xffffffff);	/* 00:00.0: nobody */
	assert_int_equal(in(set, 0xcfe, 2), 0xffff);
	out(set, 0xcfc, 4, 0x12345678);
	out(set, 0xcf8, 4, 0xffffffff);
	assert_int_equal(in(set, 0xcf8, 4), 0x80fffffc);	/* reserved bits read 0 */
	out(set, 0xcfb, 1, 0x01);				/* not CONFIG_ADDRESS */
	assert_int_equal(in(set, 0xcf8, 4), 0x80fffffc);
	vdev_set_destroy(set);
}

static void test_i8042_status_and_reset(void **state)
{
	struct vdev_set *set = make_vm("vm");

	assert_int_equal(in(set, 0x64, 1), 0x1c);	/* self-tested, both buffers empty */
	out(set, 0x64, 1, 0xad);			/* other commands: accepted */
	expect_end(set, 0x64, 1, 0xfe, VDEV_END_RESET);
	vdev_set_destroy(set);
}

static void test_port80(void **state)
{
	struct vdev_set *set = make_vm("vm");

	assert_int_equal(vdev_port80_code(set), 0);
	assert_int_equal(in(set, 0x80, 1), 0);
	out(set, 0x80, 1, 0x42);
	assert_int_equal(vdev_port80_code(set), 0x42);
	assert_int_equal(in(set, 0x80, 1), 0x42);
	assert_string_equal(host_last_log, "vdev: vm vm: POST code 0x42");
	host_last_log[0] = '\0';
	out(set, 0x80, 1, 0x42);			/* no change, no log */
	assert_string_equal(host_last_log, "");
	out(set, 0x80, 1, 0x1ff);
	assert_int_equal(vdev_port80_code(set), 0xff);
	assert_string_equal(host_last_log, "vdev: vm vm: POST code 0xff");
	vdev_set_destroy(set);
}

/* ---- several vCPUs and VMs at once ---- */

#define THREAD_LINES	20
#define LINE_CHARS	5

struct vcpu_job {
	struct vdev_set *set;
	char letter;
};

/* One vCPU: THREAD_LINES lines of LINE_CHARS copies of its letter, plus
 * scratch-register and POST-code traffic. */
static void *vcpu_thread(void *arg)
{
	struct vcpu_job *job = arg;

	for (unsigned line = 0; line < THREAD_LINES; line++) {
		for (unsigned i = 0; i < LINE_CHARS; i++) {
			uint32_t value = job->letter;

			vdev_io(job->set, 0x3f8, 1, true, &value);
			vdev_io(job->set, 0x3ff, 1, true, &value);
			vdev_io(job->set, 0x80, 1, false, &value);
		}
		uint32_t newline = '\n';
		vdev_io(job->set, 0x3f8, 1, true, &newline);
	}
	return NULL;
}

static void test_concurrent_vcpus_and_vms(void **state)
{
	static struct capture many;
	struct vdev_config config = {
		.ram_bytes = MiB(16), .vcpus = 2, .console = capture_line, .console_ctx = &many,
	};
	struct vcpu_job jobs[4];
	pthread_t threads[4];
	unsigned chars[2] = { 0, 0 };

	pthread_mutex_init(&many.lock, NULL);
	many.count = 0;
	static_assert(4 * THREAD_LINES <= MAX_LINES, "the capture holds every line");
	config.vm_name = "x";
	jobs[0] = (struct vcpu_job){ vdev_set_create(&config), 'a' };
	config.vm_name = "y";
	jobs[2] = (struct vcpu_job){ vdev_set_create(&config), 'c' };
	assert_non_null(jobs[0].set);
	assert_non_null(jobs[2].set);
	jobs[1] = (struct vcpu_job){ jobs[0].set, 'b' };
	jobs[3] = (struct vcpu_job){ jobs[2].set, 'd' };

	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, vcpu_thread, &jobs[i]), 0);
	for (unsigned i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	vdev_set_destroy(jobs[0].set);
	vdev_set_destroy(jobs[2].set);

	/* Every newline ended one line; each line belongs to one VM and holds
	 * only its vCPUs' letters, however they interleaved. */
	assert_int_equal(many.count, 4 * THREAD_LINES);
	for (unsigned l = 0; l < many.count; l++) {
		const char *line = many.lines[l];
		bool is_x = strncmp(line, "[x] ", 4) == 0;

		assert_true(is_x || strncmp(line, "[y] ", 4) == 0);
		for (const char *c = line + 4; *c; c++) {
			assert_true(is_x ? (*c == 'a' || *c == 'b') : (*c == 'c' || *c == 'd'));
			chars[!is_x]++;
		}
	}
	assert_int_equal(chars[0], 2 * THREAD_LINES * LINE_CHARS);
	assert_int_equal(chars[1], 2 * THREAD_LINES * LINE_CHARS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_create_rejects_bad_config, setup),
		cmocka_unit_test_setup(test_bad_requests_change_nothing, setup),
		cmocka_unit_test_setup(test_unclaimed_reads_all_ones_by_size, setup),
		cmocka_unit_test_setup(test_unclaimed_logged_once_per_port, setup),
		cmocka_unit_test_setup(test_straddling_accesses_are_unclaimed, setup),
		cmocka_unit_test_setup(test_register_and_dispatch, setup),
		cmocka_unit_test_setup(test_register_runs_out_of_slots, setup),
		cmocka_unit_test_setup(test_uart_reset_state, setup),
		cmocka_unit_test_setup(test_uart_registers_read_back, setup),
		cmocka_unit_test_setup(test_uart_loopback, setup),
		cmocka_unit_test_setup(test_uart_wide_accesses_are_byte_runs, setup),
		cmocka_unit_test_setup(test_uart_lines, setup),
		cmocka_unit_test_setup(test_uart_lines_never_mix_between_vms, setup),
		cmocka_unit_test_setup(test_uart_long_lines_are_cut, setup),
		cmocka_unit_test_setup(test_debug_exit_statuses, setup),
		cmocka_unit_test_setup(test_debug_exit_first_request_wins, setup),
		cmocka_unit_test_setup(test_fw_cfg_signature_and_id, setup),
		cmocka_unit_test_setup(test_fw_cfg_ram_and_cpus, setup),
		cmocka_unit_test_setup(test_fw_cfg_unknown_keys_and_file_dir_read_zeros, setup),
		cmocka_unit_test_setup(test_fw_cfg_reading_past_the_end_stays_zero, setup),
		cmocka_unit_test_setup(test_fw_cfg_port_access_rules, setup),
		cmocka_unit_test_setup(test_pm1_registers, setup),
		cmocka_unit_test_setup(test_pm1_s5_powers_off, setup),
		cmocka_unit_test_setup(test_pm1_other_sleep_types_ignored, setup),
		cmocka_unit_test_setup(test_reset_control, setup),
		cmocka_unit_test_setup(test_pci_conf1_without_devices, setup),
		cmocka_unit_test_setup(test_i8042_status_and_reset, setup),
		cmocka_unit_test_setup(test_port80, setup),
		cmocka_unit_test_setup(test_concurrent_vcpus_and_vms, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
