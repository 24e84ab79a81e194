/* Where the PC platform puts things, as QEMU's `pc` machine (i440FX and
 * PIIX4) does: the addresses every VM's devices answer at and its ACPI
 * tables describe, so the two cannot disagree. */
#pragma once

#define PC_LAPIC_BASE		0xfee00000ull
#define PC_IOAPIC_BASE		0xfec00000ull
#define PC_IOAPIC_ID		0

#define PC_COM1_PORT		0x3f8
#define PC_COM1_IRQ		4

/* ACPI fixed hardware in the PIIX4 PM block. */
#define PC_PM_BASE		0x600
#define PC_PM1A_EVT_PORT	(PC_PM_BASE + 0)	/* status, then enable */
#define PC_PM1A_CNT_PORT	(PC_PM_BASE + 4)
#define PC_PM_TMR_PORT		(PC_PM_BASE + 8)
#define PC_SCI_IRQ		9
#define PC_S5_SLP_TYP		0	/* PIIX4's SLP_TYP for soft-off */

/* The reset control register and the value that resets the machine
 * (bit 2 starts the reset, bit 1 makes it a hard one). */
#define PC_RESET_PORT		0xcf9
#define PC_RESET_VALUE		0x06

/* PCI configuration mechanism 1: address, then a 4-byte data window. */
#define PC_PCI_CONF_ADDR	0xcf8
#define PC_PCI_CONF_DATA	0xcfc

/* The i8042 keyboard controller: data, and status (read) / command (write). */
#define PC_I8042_DATA		0x60
#define PC_I8042_CMD		0x64
