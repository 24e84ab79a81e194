/* 16550 UART driver: polled transmit only; the console never reads. */
#include "drivers/uart16550.h"
#include "x86/insn.h"

enum uart_reg { THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };

#define UART_CLOCK   115200
#define LCR_8N1      0x03
#define LCR_DLAB     0x80
#define FCR_ENABLE   0x07	/* enable and clear both FIFOs */
#define MCR_DTR_RTS  0x03
#define LSR_DR       0x01
#define LSR_THRE     0x20
#define LSR_TEMT     0x40

bool uart_init(uint16_t port, unsigned baud)
{
	unsigned divisor = UART_CLOCK / baud;

	/* The scratch register is absent when nothing decodes the port. */
	outb(port + SCR, 0x5a);
	if (inb(port + SCR) != 0x5a)
		return false;
	outb(port + IER, 0);
	outb(port + LCR, LCR_DLAB);
	outb(port + DLL, divisor & 0xff);
	outb(port + DLM, divisor >> 8);
	outb(port + LCR, LCR_8N1);
	outb(port + FCR, FCR_ENABLE);
	outb(port + MCR, MCR_DTR_RTS);
	return true;
}

void uart_putc(uint16_t port, char c)
{
	while (!(inb(port + LSR) & LSR_THRE))
		cpu_relax();
	outb(port + THR, (uint8_t)c);
}

int uart_getc(uint16_t port)
{
	return inb(port + LSR) & LSR_DR ? inb(port + THR) : -1;
}

void uart_drain(uint16_t port)
{
	while (!(inb(port + LSR) & LSR_TEMT))
		cpu_relax();
}
