/* One GDB serial line, polled: bytes from the UART into packets (each
 * acknowledged, a bad one answered '-'), packets out, and the last one
 * sent kept for gdb's '-'. Both GDB stubs talk through one. */
#pragma once

#include "hv/console/gdb_packet.h"

/* The longest payload sent: twice a packet's, as a hex dump of one. */
#define GDB_LINK_REPLY_MAX	(2 * GDB_PACKET_MAX + 8)

struct gdb_link {
	uint16_t port;			/* the UART */
	struct gdb_rx rx;
	char frame[GDB_LINK_REPLY_MAX + 4];	/* the last packet sent */
	size_t frame_len;
	uint64_t bytes_in;		/* taken from the UART so far */
};

/* Send `payload` as a packet (and keep it for a resend). */
void gdb_link_send(struct gdb_link *l, const char *payload);

/* Take bytes from the UART up to the next packet (acknowledged; in
 * l->rx.buf, l->rx.len bytes), Ctrl-C or Ctrl-], and return which; bad packets
 * and resend requests are answered here. GDB_RX_NONE once the UART has
 * nothing more. */
enum gdb_rx_event gdb_link_poll(struct gdb_link *l);
