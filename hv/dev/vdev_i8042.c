/* The part of the i8042 keyboard controller an OS without a keyboard
 * driver uses: the status port, which says the controller passed its
 * self-test and is ready for a command, and the pulse-reset command 0xfe.
 * Other commands are accepted and do nothing; the VM's ACPI tables list no
 * PS/2 device, so Linux does not probe for one. */
#include "hv/dev/vdev_device.h"
#include "x86/pc.h"

#define STATUS_SYS		(1u << 2)	/* self-test passed */
#define STATUS_CMD		(1u << 3)	/* last write was a command */
#define STATUS_UNLOCKED		(1u << 4)	/* keyboard not inhibited */
#define CMD_PULSE_RESET		0xfe

static enum vdev_result i8042_io(struct vdev_set *set, void *state, uint16_t offset,
				 unsigned size, bool is_write, uint32_t *value)
{
	if (!is_write)
		*value = STATUS_SYS | STATUS_CMD | STATUS_UNLOCKED;	/* both buffers empty */
	else if ((*value & 0xff) == CMD_PULSE_RESET)
		return vdev_request_end(set, VDEV_END_RESET, 0);
	return VDEV_OK;
}

static const struct vdev_ops i8042_ops = { .io = i8042_io };

int vdev_i8042_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;

	return vdev_register(set, PC_I8042_CMD, 1, &i8042_ops, 0, &state);
}
