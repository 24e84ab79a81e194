/* GDB packet framing: checksums both ways, acks and Ctrl-C between
 * packets, escapes, overlong packets, and the limits of the hex, range
 * and thread-id parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/console/gdb_packet.h"

/* Feed `s`; the last event it completed (GDB_RX_NONE if none). */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s, size_t n)
{
	enum gdb_rx_event last = GDB_RX_NONE, e;

	for (size_t i = 0; i < n; i++)
		if ((e = gdb_rx_byte(rx, (uint8_t)s[i])) != GDB_RX_NONE)
			last = e;
	return last;
}

static void test_receive(void **state)
{
	static struct gdb_rx rx;

	assert_int_equal(feed(&rx, "+$g#67", 6), GDB_RX_PACKET);
	assert_string_equal(rx.buf, "g");
	assert_int_equal(feed(&rx, "$m10,4#2e", 9), GDB_RX_PACKET);
	assert_string_equal(rx.buf, "m10,4");
	assert_int_equal(feed(&rx, "$g#68", 5), GDB_RX_BAD);		/* wrong sum */
	assert_int_equal(feed(&rx, "$g#6z", 5), GDB_RX_BAD);		/* not hex */
	assert_int_equal(gdb_rx_byte(&rx, 0x03), GDB_RX_INTERRUPT);
	assert_int_equal(gdb_rx_byte(&rx, '-'), GDB_RX_NACK);
	assert_int_equal(feed(&rx, "$\x03#03", 5), GDB_RX_PACKET);	/* 0x03 inside: data */
}

static void test_overlong_is_refused(void **state)
{
	static struct gdb_rx rx;
	static char big[GDB_PACKET_MAX + 10];

	memset(big, 'a', sizeof(big));
	assert_int_equal(gdb_rx_byte(&rx, '$'), GDB_RX_NONE);
	assert_int_equal(feed(&rx, big, sizeof(big)), GDB_RX_NONE);
	assert_int_equal(feed(&rx, "#00", 3), GDB_RX_BAD);
	assert_int_equal(feed(&rx, "$?#3f", 5), GDB_RX_PACKET);	/* and then recovers */
}

static void test_frame_and_escape(void **state)
{
	char out[32], data[8] = "a}]b";
	static struct gdb_rx rx;
	size_t n = gdb_frame(out, sizeof(out), "O#$}*", 5);

	/* every special byte escaped, and the frame reads back as sent */
	assert_int_equal(n, 1 + 1 + 8 + 3);
	assert_memory_equal(out, "$O}\x03}\x04}]}\x0a#", 11);
	assert_int_equal(feed(&rx, out, n), GDB_RX_PACKET);
	assert_int_equal(gdb_unescape(rx.buf, rx.len), 5);
	assert_memory_equal(rx.buf, "O#$}*", 5);
	assert_int_equal(gdb_frame(out, 6, "abc", 3), 0);		/* does not fit */
	assert_int_equal(gdb_unescape(data, 3), 2);
	assert_memory_equal(data, "a}", 2);
	memcpy(data, "x}", 2);
	assert_int_equal(gdb_unescape(data, 2), -1);			/* dangling */
}

static void test_hex(void **state)
{
	const char *p = "1f,x";
	uint64_t v;
	uint8_t bytes[4];
	char hex[9];

	assert_true(gdb_parse_hex(&p, &v));
	assert_int_equal(v, 0x1f);
	assert_int_equal(*p, ',');
	p++;
	assert_false(gdb_parse_hex(&p, &v));				/* no digit */
	p = "11112222333344445";					/* 17 digits */
	assert_false(gdb_parse_hex(&p, &v));
	gdb_to_hex(hex, "\x01\xab\x00\xff", 4);
	assert_string_equal(hex, "01ab00ff");
	assert_true(gdb_from_hex(bytes, "01AB00ff", 4));
	assert_memory_equal(bytes, "\x01\xab\x00\xff", 4);
	assert_false(gdb_from_hex(bytes, "01g0", 2));
	assert_int_equal(gdb_hex_digit('G'), -1);
}

static void test_range_and_thread(void **state)
{
	const char *p = "2053a0,8:x";
	uint64_t addr, len;
	int64_t tid;

	assert_true(gdb_parse_range(&p, &addr, &len));
	assert_int_equal(addr, 0x2053a0);
	assert_int_equal(len, 8);
	assert_string_equal(p, ":x");
	p = "10";
	assert_false(gdb_parse_range(&p, &addr, &len));			/* no length */
	p = "10,";
	assert_false(gdb_parse_range(&p, &addr, &len));
	p = ",4";
	assert_false(gdb_parse_range(&p, &addr, &len));			/* no address */
	assert_true(gdb_parse_thread("-1", &tid));
	assert_int_equal(tid, -1);
	assert_true(gdb_parse_thread("0", &tid));
	assert_int_equal(tid, 0);
	assert_true(gdb_parse_thread("1f", &tid));
	assert_int_equal(tid, 0x1f);
	assert_false(gdb_parse_thread("", &tid));
	assert_false(gdb_parse_thread("-2", &tid));
	assert_false(gdb_parse_thread("1x", &tid));
	assert_false(gdb_parse_thread("8000000000000000", &tid));	/* not an int64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_overlong_is_refused),
		cmocka_unit_test(test_frame_and_escape),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_range_and_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
