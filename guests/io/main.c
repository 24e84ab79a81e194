/*
 * Port I/O as the guest sees it: fw_cfg (signature, RAM size against the
 * memory map, CPU count), an unclaimed port, port 0x80, and the UART's
 * line status.
 */
#include "guests/lib/boot.h"
#include "guests/lib/fw_cfg.h"
#include "guests/lib/report.h"
#include "guests/lib/serial.h"
#include "guests/lib/x86.h"

const char guest_name[] = "io";

/* COM4's range: nothing in QEMU's pc machine, nor in the hypervisor, claims it. */
#define UNCLAIMED_PORT		0x2ef
#define POST_PORT		0x80
/* BIOS and loader holes the memory map may leave out of RAM. */
#define MAX_MAP_HOLES		(2u << 20)
#define MAX_CPUS		288

static void check_fw_cfg(const struct boot_info *bi)
{
	uint32_t sig = (uint32_t)fw_cfg_read(FW_CFG_SIGNATURE, 4);
	uint64_t ram = fw_cfg_read(FW_CFG_RAM_SIZE, 8);
	uint64_t mapped = boot_available_bytes(bi);
	uint32_t cpus = (uint32_t)fw_cfg_read(FW_CFG_NB_CPUS, 2);

	check(sig == ('Q' | 'E' << 8 | 'M' << 16 | 'U' << 24),
	      "fw_cfg signature 0x%08x (\"QEMU\" is 0x554d4551)", sig);
	check(mapped <= ram && ram - mapped <= MAX_MAP_HOLES,
	      "fw_cfg RAM size %llu KiB, memory map %llu KiB available", ram >> 10,
	      mapped >> 10);
	check(cpus >= 1 && cpus <= MAX_CPUS, "fw_cfg CPU count %u", cpus);
}

void guest_main(const struct boot_info *bi)
{
	uint8_t unclaimed = inb(UNCLAIMED_PORT);
	uint8_t lsr;

	check_fw_cfg(bi);
	check(unclaimed == 0xff, "unclaimed port 0x%x reads 0x%02x", UNCLAIMED_PORT, unclaimed);
	for (unsigned v = 0; v < 256; v++)
		outb(POST_PORT, (uint8_t)v);
	pass("256 writes to port 0x%x", POST_PORT);
	lsr = inb(COM1_BASE + UART_LSR);
	check((lsr & (LSR_THRE | LSR_TEMT)) == (LSR_THRE | LSR_TEMT),
	      "COM1 LSR 0x%02x: transmitter empty", lsr);
}
