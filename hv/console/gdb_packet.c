/* GDB packet framing (hv/console/gdb_packet.h). */
#include <string.h>

#include "hv/console/gdb_packet.h"

enum { RX_IDLE, RX_PAYLOAD, RX_SUM_HI, RX_SUM_LO };

int gdb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c)
{
	int digit;

	switch (rx->state) {
	case RX_IDLE:
		if (c == 0x03)
			return GDB_RX_INTERRUPT;
		if (c == '-')
			return GDB_RX_NACK;
		if (c == 0x1d)
			return GDB_RX_ESCAPE;
		if (c == '$') {
			rx->state = RX_PAYLOAD;
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
		}
		return GDB_RX_NONE;	/* acks and noise between packets */
	case RX_PAYLOAD:
		if (c == '#') {
			rx->state = RX_SUM_HI;
		} else if (rx->len < GDB_PACKET_MAX) {
			rx->buf[rx->len++] = (char)c;
			rx->sum += c;
		} else {
			rx->overflow = true;
		}
		return GDB_RX_NONE;
	case RX_SUM_HI:
		digit = gdb_hex_digit((char)c);
		if (digit < 0) {
			rx->state = RX_IDLE;
			return GDB_RX_BAD;
		}
		rx->sent_sum = (uint8_t)(digit << 4);
		rx->state = RX_SUM_LO;
		return GDB_RX_NONE;
	default:
		rx->state = RX_IDLE;
		digit = gdb_hex_digit((char)c);
		if (digit < 0 || rx->overflow || (uint8_t)(rx->sent_sum | digit) != rx->sum)
			return GDB_RX_BAD;
		rx->buf[rx->len] = '\0';
		return GDB_RX_PACKET;
	}
}

size_t gdb_frame(char *out, size_t max, const char *payload, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	uint8_t sum = 0;

	if (max < 4)
		return 0;
	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		char c = payload[i];
		bool escape = c == '$' || c == '#' || c == '}' || c == '*';

		if (n + (escape ? 2 : 1) + 3 > max)
			return 0;
		if (escape) {
			out[n++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		out[n++] = c;
		sum += (uint8_t)c;
	}
	out[n++] = '#';
	out[n++] = hex[sum >> 4];
	out[n++] = hex[sum & 15];
	return n;
}

int gdb_unescape(char *data, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '}') {
			if (++i == len)
				return -1;
			data[out++] = data[i] ^ 0x20;
		} else {
			data[out++] = data[i];
		}
	}
	return (int)out;
}

bool gdb_parse_hex(const char **p, uint64_t *out)
{
	unsigned digits = 0;
	uint64_t v = 0;
	int d;

	while ((d = gdb_hex_digit(**p)) >= 0) {
		if (++digits > 16)
			return false;
		v = v << 4 | (uint64_t)d;
		(*p)++;
	}
	*out = v;
	return digits > 0;
}

bool gdb_parse_range(const char **p, uint64_t *addr, uint64_t *len)
{
	return gdb_parse_hex(p, addr) && *(*p)++ == ',' && gdb_parse_hex(p, len);
}

bool gdb_parse_thread(const char *p, int64_t *tid)
{
	uint64_t u;

	if (!strcmp(p, "-1")) {
		*tid = -1;
		return true;
	}
	if (!gdb_parse_hex(&p, &u) || *p || u > INT64_MAX)
		return false;
	*tid = (int64_t)u;
	return true;
}

void gdb_to_hex(char *out, const void *bytes, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = bytes;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

bool gdb_from_hex(void *bytes, const char *hex, size_t n)
{
	uint8_t *b = bytes;

	for (size_t i = 0; i < n; i++) {
		int hi = gdb_hex_digit(hex[2 * i]), lo = hi < 0 ? -1 : gdb_hex_digit(hex[2 * i + 1]);

		if (lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}
