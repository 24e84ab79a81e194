/* QEMU's isa-debug-exit (iobase=0xf4, iosize=4): any write ends the VM.
 * The status reported is the value written, not QEMU's (value << 1) | 1. */
#include "hv/dev/vdev_device.h"
#include "lib/log.h"

#define DEBUG_EXIT_BASE		0xf4
#define DEBUG_EXIT_PORTS	4

/* Writes of any size to any of its ports end the VM, as in QEMU; it has
 * nothing to read, so reads float high like an empty port. */
static enum vdev_result debug_exit_io(struct vdev_set *set, void *state, uint16_t offset,
				      unsigned size, bool is_write, uint32_t *value)
{
	if (is_write)
		return vdev_request_end(set, VDEV_END_EXIT, *value);
	*value = vdev_all_ones(size);
	log_debug("vdev: vm %s: read of write-only isa-debug-exit port %#x",
		  vdev_set_name(set), DEBUG_EXIT_BASE + offset);
	return VDEV_OK;
}

static const struct vdev_ops debug_exit_ops = {
	.io = debug_exit_io,
};

int vdev_debug_exit_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;

	return vdev_register(set, DEBUG_EXIT_BASE, DEBUG_EXIT_PORTS, &debug_exit_ops, 0, &state);
}
