/* Polled 16550 output on COM1. */
#include "guests/lib/serial.h"
#include "guests/lib/x86.h"

#define UART_THR	0
#define UART_IER	1
#define UART_DLL	0
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS	0x03

/* A UART that never drains must not hang the guest: give up after this many polls. */
#define TX_POLL_LIMIT	100000

void serial_init(void)
{
	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, LCR_DLAB);
	outb(COM1_BASE + UART_DLL, 1);	/* 115200 baud */
	outb(COM1_BASE + UART_DLM, 0);
	outb(COM1_BASE + UART_LCR, LCR_8N1);
	outb(COM1_BASE + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_BASE + UART_MCR, MCR_DTR_RTS);
}

void serial_putc(char c)
{
	for (int i = 0; i < TX_POLL_LIMIT; i++)
		if (inb(COM1_BASE + UART_LSR) & LSR_THRE)
			break;
	outb(COM1_BASE + UART_THR, (uint8_t)c);
}
