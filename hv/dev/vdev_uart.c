/* COM1 as a 16550 UART: transmission is instant (the holding register is
 * always empty again), received bytes come from the operator's console
 * through vdev_uart_receive() into a 16-byte FIFO, and the data-available,
 * holding-register-empty and line-status interrupts reach ISA IRQ 4 while
 * MCR.OUT2 gates it on, as on a PC. What the guest sends goes to the
 * console's byte sink as it is, and is also collected into whole lines for
 * the line sink, so lines of different VMs never mix in the log. */
#include <ctype.h>

#include "hv/dev/vdev_device.h"
#include "x86/pc.h"

#define UART_PORTS	8
#define RX_FIFO_SIZE	16

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
#define IER_RDA		0x01	/* received data available */
#define IER_THRE	0x02	/* holding register empty */
#define IIR_NO_INT	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_FIFO_ON	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_MASK	0x1f
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* holding register empty */
#define LSR_TEMT	0x40	/* transmitter empty */
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

/* QEMU's reset divisor: 9600 baud. */
#define RESET_DIVISOR	12

struct uart_state {
	struct vdev_set *set;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo_on;			/* FCR bit 0: 16 bytes, else one */
	bool thre_pending;		/* the THRE interrupt, until IIR shows it */
	uint8_t rx[RX_FIFO_SIZE];
	unsigned rx_head, rx_count;
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
	vdev_console_bytes(set, &byte, 1);
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

/* The highest-priority interrupt pending, as IIR's low bits say it. */
static uint8_t uart_iir(const struct uart_state *uart)
{
	if ((uart->ier & IER_RDA) && uart->rx_count)
		return IIR_RDA;
	if ((uart->ier & IER_THRE) && uart->thre_pending)
		return IIR_THRE;
	return IIR_NO_INT;
}

/* IRQ 4 follows the pending interrupt, through the OUT2 gate. */
static void uart_update_irq(struct vdev_set *set, const struct uart_state *uart)
{
	vdev_irq(set, PC_COM1_IRQ, uart_iir(uart) != IIR_NO_INT && (uart->mcr & MCR_OUT2));
}

static uint8_t uart_rx_pop(struct uart_state *uart)
{
	uint8_t byte;

	if (!uart->rx_count)
		return 0;
	byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % RX_FIFO_SIZE;
	uart->rx_count--;
	return byte;
}

static uint8_t uart_read(struct uart_state *uart, uint16_t reg)
{
	bool dlab = uart->lcr & LCR_DLAB;
	uint8_t value;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? uart->dll : uart_rx_pop(uart);
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR_FCR:
		value = uart_iir(uart);
		if (value == IIR_THRE)
			uart->thre_pending = false;
		return value | (uart->fifo_on ? IIR_FIFO_ON : 0);
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (uart->rx_count ? LSR_DR : 0);
	case UART_MSR:
		return uart_msr(uart);
	default:
		return uart->scr;
	}
}

/* FCR's enable and clear bits; the trigger level is ignored (data-available
 * fires from the first byte). */
static void uart_fcr(struct uart_state *uart, uint8_t byte)
{
	bool on = byte & FCR_ENABLE;

	if (on != uart->fifo_on || (byte & FCR_CLEAR_RX))
		uart->rx_head = uart->rx_count = 0;
	uart->fifo_on = on;
}

/* LSR and MSR writes change nothing this UART models. The transmitter is
 * empty again at once, so a THR write re-raises THRE, and so does turning
 * THRE's enable on (Linux's 8250 driver relies on both). */
static void uart_write(struct vdev_set *set, struct uart_state *uart, uint16_t reg, uint8_t byte)
{
	bool dlab = uart->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab) {
			uart->dll = byte;
			break;
		}
		if (!(uart->mcr & MCR_LOOP))
			uart_transmit(set, uart, byte);
		uart->thre_pending = true;
		break;
	case UART_IER:
		if (dlab) {
			uart->dlm = byte;
			break;
		}
		if ((byte & IER_THRE) && !(uart->ier & IER_THRE))
			uart->thre_pending = true;
		uart->ier = byte & IER_MASK;
		break;
	case UART_IIR_FCR:
		uart_fcr(uart, byte);
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
	uart_update_irq(set, uart);
	return VDEV_OK;
}

static const struct vdev_ops uart_ops = {
	.io = uart_io,
	.flush = uart_flush,
};

unsigned vdev_uart_receive(struct vdev_set *set, const uint8_t *bytes, unsigned len)
{
	struct uart_state *uart = vdev_state_at(set, PC_COM1_PORT, &uart_ops);
	unsigned taken = 0;

	if (!uart)
		return 0;
	vdev_lock(set);
	for (; taken < len; taken++) {
		unsigned room = uart->fifo_on ? RX_FIFO_SIZE : 1;

		if (uart->mcr & MCR_LOOP)
			break;
		if (uart->rx_count == room)
			break;
		uart->rx[(uart->rx_head + uart->rx_count) % RX_FIFO_SIZE] = bytes[taken];
		uart->rx_count++;
	}
	uart_update_irq(set, uart);
	vdev_unlock(set);
	return taken;
}

int vdev_uart_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct uart_state *uart;
	void *state;
	int err = vdev_register(set, PC_COM1_PORT, UART_PORTS, &uart_ops, sizeof(struct uart_state),
				&state);

	if (err)
		return err;
	uart = state;
	uart->set = set;
	uart->dll = RESET_DIVISOR;
	return 0;
}
