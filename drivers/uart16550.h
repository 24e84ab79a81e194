/* 16550 UART: the hypervisor's serial console. */
#pragma once

#include "lib/compiler.h"

#define COM1_PORT 0x3f8
#define COM2_PORT 0x2f8

/* Program the UART at `port` for 8N1 at `baud` with FIFOs on. False if no UART answers there. */
bool uart_init(uint16_t port, unsigned baud);

/* Send one byte, waiting for room in the transmitter. */
void uart_putc(uint16_t port, char c);

/* A received byte, or -1 when none waits (LSR.DR clear). */
int uart_getc(uint16_t port);

/* Wait until the last byte has left the transmitter (LSR.TEMT). */
void uart_drain(uint16_t port);
