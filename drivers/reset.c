/* Machine reset (drivers/reset.h). The ways are tried from the one the
 * firmware describes to the one every x86 has: the ACPI reset register,
 * port 0xcf9 (reset control on PIIX and its successors), the i8042's
 * pulse of the reset line, and a triple fault, which the CPU turns into
 * a shutdown cycle that the chipset answers with a reset. */
#include "drivers/reset.h"
#include "drivers/tsc.h"
#include "lib/log.h"
#include "x86/insn.h"
#include "x86/pc.h"

/* Emulators reset at the write; hardware within a few milliseconds. */
#define RESET_WAIT_US		100000
#define RESET_CONTROL_START	(1u << 2)	/* a 0 -> 1 edge starts the reset */
#define I8042_INPUT_FULL	(1u << 1)	/* status: the controller has not read its input */
#define I8042_PULSE_RESET	0xfe
#define I8042_WAIT_US		10000

static uint16_t acpi_port;	/* 0: no usable reset register */
static uint8_t acpi_value;

void reset_init(uint16_t port, uint8_t value)
{
	acpi_port = port;
	acpi_value = value;
	log_debug("reset: ACPI reset register at port %#x, value %#x", port, value);
}

/* Give the last way time to work; it did not if this returns. */
static void reset_wait(const char *way)
{
	tsc_delay_us(RESET_WAIT_US);
	log_warn("hv: reboot: still running %u ms after %s; trying the next way",
		 RESET_WAIT_US / 1000, way);
	log_drain();
}

/* Pulse the reset line through the keyboard controller, once it takes a
 * command (a missing controller reads all ones: then try anyway). */
static void i8042_reset(void)
{
	for (unsigned us = 0; us < I8042_WAIT_US && (inb(PC_I8042_CMD) & I8042_INPUT_FULL); us += 10)
		tsc_delay_us(10);
	outb(PC_I8042_CMD, I8042_PULSE_RESET);
}

/* No IDT: the next exception cannot be delivered, nor the double fault
 * that follows, and the CPU shuts down. */
static __noreturn void triple_fault(void)
{
	struct __packed {
		uint16_t limit;
		uint64_t base;
	} empty = { 0, 0 };

	__asm__ volatile("lidt %0; int3" :: "m"(empty) : "memory");
	__builtin_unreachable();
}

__noreturn void machine_reset(void)
{
	cli();
	log_info("hv: reboot");
	log_drain();
	if (acpi_port) {
		outb(acpi_port, acpi_value);
		reset_wait("the ACPI reset register");
	}
	outb(PC_RESET_PORT, PC_RESET_VALUE & ~RESET_CONTROL_START);
	outb(PC_RESET_PORT, PC_RESET_VALUE);
	reset_wait("port 0xcf9");
	i8042_reset();
	reset_wait("the keyboard controller");
	triple_fault();
}
