/* The GDB stubs' packet layer (hv/console/gdb_packet.c): the input is the
 * bytes of a serial line. Every packet the receiver completes must hold a
 * NUL-terminated payload within GDB_PACKET_MAX whose sum is the checksum
 * it came with; the number parsers run over each payload and must agree
 * with a plain reading of the digits; a payload without bytes the framer
 * escapes must come back whole through gdb_frame and a fresh receiver. */
#include <stdlib.h>
#include <string.h>

#include "hv/console/gdb_packet.h"
#include "tests/fuzz/fuzz.h"

/* The value of the hex digits at p, as many as there are (at most 16). */
static size_t plain_hex(const char *p, uint64_t *value)
{
	size_t n = 0;

	*value = 0;
	while (n < 17 && gdb_hex_digit(p[n]) >= 0)
		*value = *value << 4 | (uint64_t)gdb_hex_digit(p[n++]);
	return n;
}

/* The parsers, from every position of `payload`. */
static void check_parsers(const char *payload, size_t len)
{
	static char copy[GDB_PACKET_MAX + 1];
	static uint8_t bytes[GDB_PACKET_MAX / 2];

	for (size_t at = 0; at < len; at++) {
		const char *p = payload + at, *q = p;
		uint64_t value, plain, addr, n;
		size_t digits = plain_hex(p, &plain);
		int64_t tid;

		bool ok = digits >= 1 && digits <= 16;

		FUZZ_CHECK(gdb_parse_hex(&q, &value) == ok);
		FUZZ_CHECK(!ok || (q == p + digits && value == plain));
		q = p;
		if (gdb_parse_range(&q, &addr, &n))
			FUZZ_CHECK(q > p && q <= payload + len);
		if (gdb_parse_thread(p, &tid))
			FUZZ_CHECK(tid >= -1);
	}
	memcpy(copy, payload, len);
	FUZZ_CHECK(gdb_unescape(copy, len) <= (int)len);
	if (gdb_from_hex(bytes, payload, len / 2))
		for (size_t i = 0; i < len / 2 * 2; i++)
			FUZZ_CHECK(gdb_hex_digit(payload[i]) >= 0);
}

/* A payload free of bytes the framer escapes survives framing. */
static void check_round_trip(const char *payload, size_t len)
{
	static char frame[GDB_PACKET_MAX + 5];
	struct gdb_rx rx = { 0 };
	enum gdb_rx_event last = GDB_RX_NONE;
	size_t n;

	if (memchr(payload, '$', len) || memchr(payload, '#', len) || memchr(payload, '}', len) ||
	    memchr(payload, '*', len))
		return;
	n = gdb_frame(frame, sizeof(frame), payload, len);
	FUZZ_CHECK(n == len + 4);
	for (size_t i = 0; i < n; i++)
		last = gdb_rx_byte(&rx, (uint8_t)frame[i]);
	FUZZ_CHECK(last == GDB_RX_PACKET && rx.len == len && !memcmp(rx.buf, payload, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gdb_rx rx;

	memset(&rx, 0, sizeof(rx));
	for (size_t i = 0; i < size; i++) {
		uint8_t sum = 0;

		if (gdb_rx_byte(&rx, data[i]) != GDB_RX_PACKET)
			continue;
		FUZZ_CHECK(rx.len <= GDB_PACKET_MAX && rx.buf[rx.len] == '\0');
		for (size_t j = 0; j < rx.len; j++)
			sum += (uint8_t)rx.buf[j];
		FUZZ_CHECK(sum == rx.sum);
		check_parsers(rx.buf, rx.len);
		check_round_trip(rx.buf, rx.len);
	}
	return 0;
}
