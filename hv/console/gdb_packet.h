/* The GDB Remote Serial Protocol's framing: `$payload#cs` packets with a
 * modulo-256 checksum, `+`/`-` acknowledgements, Ctrl-C (0x03) between
 * packets, and the `}` escape of binary data. Pure logic over bytes. */
#pragma once

#include "lib/compiler.h"

#define GDB_PACKET_MAX	4096	/* payload bytes; qSupported says PacketSize */

enum gdb_rx_event {
	GDB_RX_NONE,		/* nothing complete yet */
	GDB_RX_PACKET,		/* rx->buf holds a payload with a good checksum */
	GDB_RX_BAD,		/* a packet with a bad checksum or too long: answer '-' */
	GDB_RX_INTERRUPT,	/* Ctrl-C outside a packet */
	GDB_RX_NACK,		/* '-' outside a packet: send the last packet again */
	GDB_RX_ESCAPE,		/* Ctrl-] outside a packet: the console wants its line back */
};

struct gdb_rx {
	char buf[GDB_PACKET_MAX + 1];	/* the payload, NUL-terminated */
	unsigned len;
	unsigned state;			/* where in a packet the next byte falls */
	uint8_t sum;			/* of the payload so far */
	uint8_t sent_sum;		/* the two hex digits after '#' */
	bool overflow;
};

/* Feed one received byte; returns what it completed. */
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c);

/* Frame `len` payload bytes into `out` (room for len + 4) as $...#cs,
 * escaping '$', '#', '}' and '*'; returns the frame's length, or 0 if
 * the escaped payload would not fit in `max`. */
size_t gdb_frame(char *out, size_t max, const char *payload, size_t len);

/* Undo the `}` escapes of binary data (X packets) in place; returns the
 * length, or -1 for a dangling escape. */
int gdb_unescape(char *data, size_t len);

/* Hex digit value, or -1. */
int gdb_hex_digit(char c);

/* Parse hex digits from *p up to a byte not a hex digit into *out; false
 * for none or more than 16. *p moves past them. */
bool gdb_parse_hex(const char **p, uint64_t *out);

/* Parse `ADDR,LEN` (both hex) from *p, which moves past them; false if
 * either is missing. */
bool gdb_parse_range(const char **p, uint64_t *addr, uint64_t *len);

/* Parse a whole thread id: `-1` (all threads) or hex (0: any); false for
 * anything else. */
bool gdb_parse_thread(const char *p, int64_t *tid);

/* Write `n` bytes as 2n hex digits (and a NUL) at `out`. */
void gdb_to_hex(char *out, const void *bytes, size_t n);

/* Read 2n hex digits at `hex` into `n` bytes; false on a non-hex digit. */
bool gdb_from_hex(void *bytes, const char *hex, size_t n);
