/* A VM's emulated port-I/O devices, as QEMU's `pc` machine places them:
 * COM1 UART, isa-debug-exit, fw_cfg, the POST-code port, the dual 8259
 * PIC and its ELCR, the 8254 PIT with port 0x61, the CMOS RTC and the ACPI
 * PM timer. The VM core creates one set per VM and hands every I/O exit
 * to vdev_io(). ISA interrupts go to the PIC and to the IOAPIC (IRQ 0 on
 * GSI 2, the others on their own number). Ports and guest-visible
 * behaviour: docs/devices.md. */
#pragma once

#include "lib/compiler.h"

/* Longest VM name, without the NUL. */
#define VDEV_NAME_MAX		31
/* Guest characters per console line; a longer line is cut into pieces. */
#define VDEV_LINE_MAX		200
/* Longest line the console sink is given: "[NAME] " + text, NUL included. */
#define VDEV_SINK_LINE_MAX	(1 + VDEV_NAME_MAX + 2 + VDEV_LINE_MAX + 1)

/* Receives one whole line of guest console output, already prefixed with
 * "[NAME] " and without a newline. Called with the set's lock held: it must
 * not call back into the set. */
typedef void (*vdev_console_fn)(void *ctx, const char *line);

/* Receives the bytes the guest sends on its UART, as they are. Called with
 * the set's lock held, as vdev_console_fn. */
typedef void (*vdev_console_bytes_fn)(void *ctx, const uint8_t *bytes, unsigned n);

struct vioapic;

/* What a VM's devices need to know about the VM. */
struct vdev_config {
	const char *vm_name;		/* 1..VDEV_NAME_MAX printable chars, copied */
	uint64_t ram_bytes;		/* guest RAM reported by fw_cfg, nonzero */
	unsigned vcpus;			/* vCPU count reported by fw_cfg, 1..65535 */
	vdev_console_fn console;	/* where the UART's lines go */
	vdev_console_bytes_fn console_bytes;	/* ... and its bytes (may be NULL) */
	void *console_ctx;		/* passed back to both */
	struct vioapic *ioapic;		/* the VM's IOAPIC, NULL for none */
	void (*pic_intr)(void *ctx);	/* the PIC's INT line rose (may be NULL) */
	void *irq_ctx;			/* passed back to pic_intr and hyperv_sint */
	/* hyperv=on: raise SINT `sint` of the vCPU with VP index `vp_index`
	 * (QEMU's hyperv-testdev is there only then); 0, or -1 if dropped. */
	int (*hyperv_sint)(void *ctx, unsigned vp_index, unsigned sint);
	uint64_t wallclock;		/* the RTC's time at tsc_start: seconds since 1970 */
	uint64_t tsc_start;		/* host TSC when the VM's clocks start */
};

enum vdev_result {
	VDEV_OK,		/* handled (unclaimed ports included); resume the guest */
	VDEV_EXIT,		/* the guest asked to end the VM: see vdev_set_end() */
	VDEV_BAD_ACCESS,	/* size not 1, 2 or 4, or no value: a caller bug; nothing done */
};

struct vdev_set;

/* Create the device set of VM `config->vm_name` with every standard device
 * attached. Returns NULL (and logs why) for a bad config or no memory. */
struct vdev_set *vdev_set_create(const struct vdev_config *config);

/* Flush pending console output, then free the set. NULL is ignored. */
void vdev_set_destroy(struct vdev_set *set);

/* Perform one guest port access of `size` bytes (1, 2 or 4) at `port`.
 * A write takes the low `size` bytes of *value; a read stores the result in
 * *value, zero-extended. The device whose ports hold the whole access
 * handles it; otherwise the access is unclaimed: reads give all ones, writes
 * are dropped, and the first such access to each port is logged at debug
 * level. Safe to call from several vCPUs of the VM at once. */
enum vdev_result vdev_io(struct vdev_set *set, uint16_t port, unsigned size, bool is_write,
			 uint32_t *value);

/* Hand any partial console line to the sink (call when the VM stops). */
void vdev_set_flush(struct vdev_set *set);

/* How a guest can end its machine. */
enum vdev_end {
	VDEV_END_EXIT,		/* isa-debug-exit, with the value written as status */
	VDEV_END_POWEROFF,	/* ACPI soft-off (SLP_TYP S5 with SLP_EN) */
	VDEV_END_RESET,		/* port 0xcf9, the i8042's pulse, the ACPI reset register */
};

/* Whether the guest asked to end the VM; if so, *how and *status say how
 * (the first request wins if several vCPUs asked). */
bool vdev_set_end(struct vdev_set *set, enum vdev_end *how, uint32_t *status);

/* Bytes the operator typed for this VM's COM1: its receive FIFO takes what
 * fits (raising IRQ 4 if enabled) and the count taken is returned; the
 * caller keeps the rest for later, so nothing typed is lost. Takes the
 * set's lock: call from outside an access. */
unsigned vdev_uart_receive(struct vdev_set *set, const uint8_t *bytes, unsigned len);

/* The last POST code the guest wrote to port 0x80 (0 before any). */
uint8_t vdev_port80_code(struct vdev_set *set);

/* Whether the PIC's INT line is up (an IRQ waits for acknowledgement). */
bool vdev_pic_output(struct vdev_set *set);

/* Whether the master 8259 lets any input through (its IMR is not 0xff):
 * the guest uses the PIC. A racy read, for a mode that changes rarely. */
bool vdev_pic_unmasked(struct vdev_set *set);

/* The registers of the two 8259s, master first, for the monitor. */
struct vdev_pic_view {
	uint8_t irr[2], isr[2], imr[2], vector_base[2];
};
void vdev_pic_view(struct vdev_set *set, struct vdev_pic_view *out);

/* INTA: take the PIC's highest pending IRQ into service; its vector (the
 * spurious IRQ 7 vector if none waits any more). */
uint8_t vdev_pic_ack(struct vdev_set *set);
