/* The interface between the device registry (hv/dev/vdev.c) and the devices it
 * dispatches to. Only device implementations include this. */
#pragma once

#include "hv/dev/vdev.h"

struct timer;

/* Most devices one set holds. */
#define VDEV_MAX_DEVICES	24

struct vdev_ops {
	/* Handle an access lying wholly inside the device's ports, `offset`
	 * bytes from its first port. A write's *value is already cut to
	 * `size`; a read stores its result in *value (the caller cuts it).
	 * Runs with the set's lock held. Returns VDEV_OK or VDEV_EXIT. */
	enum vdev_result (*io)(struct vdev_set *set, void *state, uint16_t offset,
			       unsigned size, bool is_write, uint32_t *value);
	/* Optional: emit buffered output because the VM stops. Lock held. */
	void (*flush)(struct vdev_set *set, void *state);
	/* Optional: stop what runs outside accesses (timers) before the state
	 * is freed. Lock not held. */
	void (*destroy)(struct vdev_set *set, void *state);
};

/* Claim ports [first_port, first_port + count) for a device with `ops`,
 * and give it `state_bytes` of zeroed state in *state (NULL for 0 bytes)
 * that the set owns and frees. Returns 0, -EINVAL (empty range or one past
 * port 0xffff), -EBUSY (a port already claimed or no device slot left) or
 * -ENOMEM; nothing is claimed on failure. */
int vdev_register(struct vdev_set *set, uint16_t first_port, unsigned count,
		  const struct vdev_ops *ops, size_t state_bytes, void **state);

/* The state of the device with `ops` that claims `port`, or NULL. Needs no
 * lock: a set's devices are fixed once vdev_set_create() returns. */
void *vdev_state_at(struct vdev_set *set, uint16_t port, const struct vdev_ops *ops);

/* Hold the set's lock, as a device's io callback runs: for a device's
 * timer callback, which changes state outside an access. */
void vdev_lock(struct vdev_set *set);
void vdev_unlock(struct vdev_set *set);

/* A device's destroy: mark it dying under the lock (its timer callback
 * then does nothing) and wait until `timer` can run no more. */
void vdev_timer_retire(struct vdev_set *set, bool *dying, struct timer *timer);

/* Drive ISA IRQ `irq` (0..15) to `level`, on the PIC and the IOAPIC.
 * Lock held. */
void vdev_irq(struct vdev_set *set, unsigned irq, bool level);

/* The PIC's part of vdev_irq() (hv/dev/vdev_pic.c). Lock held. */
void vdev_pic_set_irq(struct vdev_set *set, unsigned irq, bool level);

/* Give the VM's byte sink (if any) the `n` bytes the guest sent. */
void vdev_console_bytes(struct vdev_set *set, const uint8_t *bytes, unsigned n);

/* Give the VM's console sink `len` bytes of `text` as one prefixed line. */
void vdev_console_line(struct vdev_set *set, const char *text, unsigned len);

/* Record that the guest asked to end the VM `how`, with `status` (the
 * first request wins). Returns VDEV_EXIT for the device to pass on. */
enum vdev_result vdev_request_end(struct vdev_set *set, enum vdev_end how, uint32_t status);

/* The VM's name, for log messages. */
const char *vdev_set_name(const struct vdev_set *set);

/* What a read of `size` bytes from nothing returns: all ones. */
static inline uint32_t vdev_all_ones(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Each device file attaches its device at its fixed ports. Returns 0 or a
 * negative errno from vdev_register(). */
int vdev_uart_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_debug_exit_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_hyperv_testdev_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_fw_cfg_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_port80_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_pic_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_pit_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_rtc_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_pmtimer_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_pm1_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_pci_host_attach(struct vdev_set *set, const struct vdev_config *config);
int vdev_i8042_attach(struct vdev_set *set, const struct vdev_config *config);
