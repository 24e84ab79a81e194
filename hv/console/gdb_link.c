/* A GDB serial line (hv/console/gdb_link.h). */
#include <string.h>

#include "drivers/uart16550.h"
#include "hv/console/gdb_link.h"

static void send_bytes(const struct gdb_link *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_putc(l->port, s[i]);
}

void gdb_link_send(struct gdb_link *l, const char *payload)
{
	l->frame_len = gdb_frame(l->frame, sizeof(l->frame), payload, strlen(payload));
	send_bytes(l, l->frame, l->frame_len);
}

enum gdb_rx_event gdb_link_poll(struct gdb_link *l)
{
	int c;

	while ((c = uart_getc(l->port)) >= 0) {
		enum gdb_rx_event event = gdb_rx_byte(&l->rx, (uint8_t)c);

		l->bytes_in++;
		switch (event) {
		case GDB_RX_PACKET:
			send_bytes(l, "+", 1);
			return GDB_RX_PACKET;
		case GDB_RX_BAD:
			send_bytes(l, "-", 1);
			break;
		case GDB_RX_INTERRUPT:
		case GDB_RX_ESCAPE:
			return event;
		case GDB_RX_NACK:
			send_bytes(l, l->frame, l->frame_len);
			break;
		case GDB_RX_NONE:
			break;
		}
	}
	return GDB_RX_NONE;
}
