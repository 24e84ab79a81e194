/* The per-VM port-I/O device registry and the dispatcher the VM core calls on
 * every I/O exit. One lock per set serializes the VM's vCPUs inside the
 * devices: device registers are shared state, and the exits are rare. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/timer.h"
#include "hv/dev/vdev_device.h"
#include "hv/dev/vioapic.h"
#include "lib/log.h"
#include "lib/spinlock.h"

#define PORT_COUNT	0x10000u

struct vdev_slot {
	uint16_t first_port;
	unsigned count;
	const struct vdev_ops *ops;
	void *state;
};

struct vdev_set {
	struct spinlock lock;
	struct vioapic *ioapic;
	char name[VDEV_NAME_MAX + 1];
	vdev_console_fn console;
	vdev_console_bytes_fn console_bytes;
	void *console_ctx;
	bool end_requested;
	enum vdev_end end_how;
	uint32_t end_status;
	unsigned device_count;
	struct vdev_slot devices[VDEV_MAX_DEVICES];
	/* Ports whose unclaimed access was logged already (one bit each), so
	 * a guest probing in a loop cannot flood the log. */
	uint64_t unclaimed_logged[PORT_COUNT / 64];
};

/* The devices of QEMU's `pc` machine this hypervisor emulates. */
static int (*const standard_devices[])(struct vdev_set *, const struct vdev_config *) = {
	vdev_uart_attach,
	vdev_debug_exit_attach,
	vdev_fw_cfg_attach,
	vdev_port80_attach,
	vdev_pic_attach,
	vdev_pit_attach,
	vdev_rtc_attach,
	vdev_pmtimer_attach,
	vdev_pm1_attach,
	vdev_pci_host_attach,
	vdev_i8042_attach,
	vdev_hyperv_testdev_attach,
};

/* A VM name must fit and print cleanly inside "[NAME] " prefixes. */
static bool name_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, VDEV_NAME_MAX + 1);
	if (len == 0 || len > VDEV_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)name[i]))
			return false;
	return true;
}

static bool config_valid(const struct vdev_config *config)
{
	if (!config || !name_valid(config->vm_name)) {
		log_error("vdev: VM name missing, longer than %u or not printable", VDEV_NAME_MAX);
		return false;
	}
	if (config->ram_bytes == 0 || config->vcpus == 0 || config->vcpus > UINT16_MAX ||
	    !config->console) {
		log_error("vdev: vm %s: bad config (ram=%llu vcpus=%u console=%s)",
			  config->vm_name, (unsigned long long)config->ram_bytes, config->vcpus,
			  config->console ? "set" : "missing");
		return false;
	}
	return true;
}

struct vdev_set *vdev_set_create(const struct vdev_config *config)
{
	struct vdev_set *set;

	if (!config_valid(config))
		return NULL;
	set = calloc(1, sizeof(*set));
	if (!set) {
		log_error("vdev: vm %s: no memory for its devices", config->vm_name);
		return NULL;
	}
	set->lock = (struct spinlock)SPINLOCK_INIT;
	strcpy(set->name, config->vm_name);
	set->console = config->console;
	set->console_bytes = config->console_bytes;
	set->console_ctx = config->console_ctx;
	set->ioapic = config->ioapic;
	for (size_t i = 0; i < ARRAY_SIZE(standard_devices); i++) {
		int err = standard_devices[i](set, config);

		if (err) {
			log_error("vdev: vm %s: device %zu not attached (error %d)",
				  set->name, i, err);
			vdev_set_destroy(set);
			return NULL;
		}
	}
	return set;
}

void vdev_set_destroy(struct vdev_set *set)
{
	if (!set)
		return;
	vdev_set_flush(set);
	for (unsigned i = 0; i < set->device_count; i++)
		if (set->devices[i].ops->destroy)
			set->devices[i].ops->destroy(set, set->devices[i].state);
	for (unsigned i = 0; i < set->device_count; i++)
		free(set->devices[i].state);
	free(set);
}

/* The device whose ports include `port`, or NULL. */
static struct vdev_slot *slot_at(struct vdev_set *set, uint16_t port)
{
	for (unsigned i = 0; i < set->device_count; i++) {
		struct vdev_slot *slot = &set->devices[i];

		if (port >= slot->first_port && (unsigned)(port - slot->first_port) < slot->count)
			return slot;
	}
	return NULL;
}

/* Whether any of ports [first, first + count) belongs to a device. */
static bool range_claimed(struct vdev_set *set, uint16_t first, unsigned count)
{
	for (unsigned i = 0; i < set->device_count; i++) {
		const struct vdev_slot *slot = &set->devices[i];

		if (first < (unsigned)slot->first_port + slot->count &&
		    slot->first_port < (unsigned)first + count)
			return true;
	}
	return false;
}

int vdev_register(struct vdev_set *set, uint16_t first_port, unsigned count,
		  const struct vdev_ops *ops, size_t state_bytes, void **state)
{
	void *new_state = NULL;

	if (count == 0 || (unsigned)first_port + count > PORT_COUNT || !ops || !ops->io)
		return -EINVAL;
	if (set->device_count == VDEV_MAX_DEVICES || range_claimed(set, first_port, count))
		return -EBUSY;
	if (state_bytes) {
		new_state = calloc(1, state_bytes);
		if (!new_state)
			return -ENOMEM;
	}
	set->devices[set->device_count++] = (struct vdev_slot){
		.first_port = first_port,
		.count = count,
		.ops = ops,
		.state = new_state,
	};
	*state = new_state;
	return 0;
}

void *vdev_state_at(struct vdev_set *set, uint16_t port, const struct vdev_ops *ops)
{
	struct vdev_slot *slot = slot_at(set, port);

	return slot && slot->ops == ops ? slot->state : NULL;
}

void vdev_console_bytes(struct vdev_set *set, const uint8_t *bytes, unsigned n)
{
	if (set->console_bytes)
		set->console_bytes(set->console_ctx, bytes, n);
}

void vdev_console_line(struct vdev_set *set, const char *text, unsigned len)
{
	char line[VDEV_SINK_LINE_MAX];

	snprintf(line, sizeof(line), "[%s] %.*s", set->name, (int)MIN(len, VDEV_LINE_MAX), text);
	set->console(set->console_ctx, line);
}

enum vdev_result vdev_request_end(struct vdev_set *set, enum vdev_end how, uint32_t status)
{
	if (!set->end_requested) {
		set->end_requested = true;
		set->end_how = how;
		set->end_status = status;
	}
	return VDEV_EXIT;
}

void vdev_lock(struct vdev_set *set)
{
	spin_lock(&set->lock);
}

void vdev_unlock(struct vdev_set *set)
{
	spin_unlock(&set->lock);
}

void vdev_timer_retire(struct vdev_set *set, bool *dying, struct timer *timer)
{
	vdev_lock(set);
	*dying = true;
	vdev_unlock(set);
	timer_cancel_sync(timer);
}

/* ISA IRQ 0 (the PIT) reaches the IOAPIC on GSI 2, as the ACPI tables'
 * interrupt source override says; IRQ 2 is the PIC's cascade. */
void vdev_irq(struct vdev_set *set, unsigned irq, bool level)
{
	vdev_pic_set_irq(set, irq, level);
	if (set->ioapic && irq != 2)
		vioapic_set_pin(set->ioapic, irq ? irq : 2, level);
}

const char *vdev_set_name(const struct vdev_set *set)
{
	return set->name;
}

/* An access no device takes whole: reads float high, writes vanish. */
static void unclaimed_access(struct vdev_set *set, uint16_t port, unsigned size, bool is_write,
			     uint32_t *value)
{
	uint64_t bit = 1ull << (port % 64);

	if (!is_write)
		*value = vdev_all_ones(size);
	if (set->unclaimed_logged[port / 64] & bit)
		return;
	set->unclaimed_logged[port / 64] |= bit;
	log_debug("vdev: vm %s: unclaimed %u-byte %s at port %#x (reads all ones, writes ignored)",
		  set->name, size, is_write ? "write" : "read", port);
}

enum vdev_result vdev_io(struct vdev_set *set, uint16_t port, unsigned size, bool is_write,
			 uint32_t *value)
{
	enum vdev_result result = VDEV_OK;
	struct vdev_slot *slot;
	uint32_t data;

	if ((size != 1 && size != 2 && size != 4) || !value) {
		log_error("vdev: vm %s: bad I/O request (port %#x, size %u)", set->name, port, size);
		return VDEV_BAD_ACCESS;
	}
	data = is_write ? *value & vdev_all_ones(size) : 0;
	spin_lock(&set->lock);
	slot = slot_at(set, port);
	if (slot && (unsigned)(port - slot->first_port) + size <= slot->count)
		result = slot->ops->io(set, slot->state, port - slot->first_port, size, is_write,
				       &data);
	else
		unclaimed_access(set, port, size, is_write, &data);
	spin_unlock(&set->lock);
	if (!is_write)
		*value = data & vdev_all_ones(size);
	return result;
}

void vdev_set_flush(struct vdev_set *set)
{
	spin_lock(&set->lock);
	for (unsigned i = 0; i < set->device_count; i++)
		if (set->devices[i].ops->flush)
			set->devices[i].ops->flush(set, set->devices[i].state);
	spin_unlock(&set->lock);
}

bool vdev_set_end(struct vdev_set *set, enum vdev_end *how, uint32_t *status)
{
	bool requested;

	spin_lock(&set->lock);
	requested = set->end_requested;
	if (requested) {
		*how = set->end_how;
		*status = set->end_status;
	}
	spin_unlock(&set->lock);
	return requested;
}
