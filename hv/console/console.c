/* The serial console: one UART, chosen by `console=` (COM1 by default). */
#include "drivers/uart16550.h"
#include "hv/console/console.h"

static uint16_t console_port = COM1_PORT;

/* Switch the console to the UART at `port`; false (console unchanged) if absent. */
bool console_init(uint16_t port, unsigned baud)
{
	if (!uart_init(port, baud))
		return false;
	console_port = port;
	return true;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(console_port, '\r');
		uart_putc(console_port, s[i]);
	}
}

void console_write_raw(const void *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_putc(console_port, ((const char *)bytes)[i]);
}

uint16_t console_uart(void)
{
	return console_port;
}

int console_getc(void)
{
	return uart_getc(console_port);
}

void console_drain(void)
{
	uart_drain(console_port);
}
