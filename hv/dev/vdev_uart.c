/* COM1 as a 16550 UART that can only transmit: always ready to send, never
 * any received data, no interrupts. What the guest sends is collected per VM
 * into whole lines for the console sink, so lines of different VMs never mix. */
#include <ctype.h>

#include "hv/dev/vdev_device.h"

#define COM1_BASE	0x3f8
#define UART_PORTS	8

/* Register offsets from the base port. */
#define UART_RBR_THR	0	/* receive buffer / transmit holding; DLL with DLAB */
#define UART_IER	1	/* interrupt enable; DLM with DLAB */
#define UART_IIR_FCR	2	/* interrupt identification / FIFO control */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define IER_MASK	0x0f	/* the four interrupt enables of a 16550 */
#define IIR_NO_INT	0x01
#define LCR_DLAB	0x80
#define MCR_MASK	0x1f
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_THRE	0x20	/* holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

/* QEMU's reset divisor: 9600 baud. */
#define RESET_DIVISOR	12

struct uart_state {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	unsigned line_len;
	char line[VDEV_LINE_MAX];
};

static void uart_flush(struct vdev_set *set, void *state)
{
	struct uart_state *uart = state;

	if (uart->line_len == 0)
		return;
	vdev_console_line(set, uart->line, uart->line_len);
	uart->line_len = 0;
}

/* Add one sent byte to the line: a newline ends it, a byte that finds the
 * buffer full cuts it first (so a line of exactly VDEV_LINE_MAX stays one).
 * Carriage returns are dropped and other unprintable bytes shown as '?', so
 * a guest cannot drive the operator's terminal. */
static void uart_transmit(struct vdev_set *set, struct uart_state *uart, uint8_t byte)
{
	if (byte == '\n') {
		vdev_console_line(set, uart->line, uart->line_len);
		uart->line_len = 0;
		return;
	}
	if (byte == '\r')
		return;
	if (uart->line_len == VDEV_LINE_MAX)
		uart_flush(set, uart);
	uart->line[uart->line_len++] = isprint(byte) || byte == '\t' ? (char)byte : '?';
}

/* Modem status: in loopback mode the MCR outputs come back as inputs (what
 * Linux's 8250 probe checks); otherwise a peer is always present. */
static uint8_t uart_msr(const struct uart_state *uart)
{
	if (!(uart->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	return (uart->mcr & MCR_RTS ? MSR_CTS : 0) | (uart->mcr & MCR_DTR ? MSR_DSR : 0) |
	       (uart->mcr & MCR_OUT1 ? MSR_RI : 0) | (uart->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static uint8_t uart_read(struct uart_state *uart, uint16_t reg)
{
	bool dlab = uart->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? uart->dll : 0;
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR_FCR:
		return IIR_NO_INT;
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT;
	case UART_MSR:
		return uart_msr(uart);
	default:
		return uart->scr;
	}
}

/* FCR, LSR and MSR writes change nothing this UART models. */
static void uart_write(struct vdev_set *set, struct uart_state *uart, uint16_t reg, uint8_t byte)
{
	bool dlab = uart->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			uart->dll = byte;
		else if (!(uart->mcr & MCR_LOOP))
			uart_transmit(set, uart, byte);
		break;
	case UART_IER:
		if (dlab)
			uart->dlm = byte;
		else
			uart->ier = byte & IER_MASK;
		break;
	case UART_LCR:
		uart->lcr = byte;
		break;
	case UART_MCR:
		uart->mcr = byte & MCR_MASK;
		break;
	case UART_SCR:
		uart->scr = byte;
		break;
	}
}

/* The 16550 is a byte-wide device: a wider access is a run of byte accesses
 * to consecutive registers, low byte first (as the ISA bus splits it). */
static enum vdev_result uart_io(struct vdev_set *set, void *state, uint16_t offset, unsigned size,
				bool is_write, uint32_t *value)
{
	struct uart_state *uart = state;
	uint32_t result = 0;

	for (unsigned i = 0; i < size; i++) {
		if (is_write)
			uart_write(set, uart, offset + i, *value >> (8 * i));
		else
			result |= (uint32_t)uart_read(uart, offset + i) << (8 * i);
	}
	if (!is_write)
		*value = result;
	return VDEV_OK;
}

static const struct vdev_ops uart_ops = {
	.io = uart_io,
	.flush = uart_flush,
};

int vdev_uart_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;
	int err = vdev_register(set, COM1_BASE, UART_PORTS, &uart_ops, sizeof(struct uart_state),
				&state);

	if (err)
		return err;
	((struct uart_state *)state)->dll = RESET_DIVISOR;
	return 0;
}
