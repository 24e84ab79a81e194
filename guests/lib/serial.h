/* COM1 (16550 at 0x3f8), polled output: every guest's console. */
#pragma once

#define COM1_BASE	0x3f8
#define UART_LSR	5
#define LSR_THRE	(1u << 5)	/* transmit holding register empty */
#define LSR_TEMT	(1u << 6)	/* transmitter empty */

/* Programs 115200 8N1, FIFOs on, interrupts off. */
void serial_init(void);

/* Sends one byte, waiting (boundedly) for room in the transmitter. */
void serial_putc(char c);
