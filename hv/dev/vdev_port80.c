/* Port 0x80, where firmware and kernels post progress codes (and Linux
 * writes for a short I/O delay). The last code written is kept for tests and
 * the monitor, and reads give it back. QEMU's port reads 0xff instead: no
 * guest depends on either. */
#include "hv/dev/vdev_device.h"
#include "lib/log.h"

#define POST_PORT	0x80

struct port80_state {
	uint8_t code;	/* read without the set's lock by vdev_port80_code() */
};

/* Only a change of code is logged: Linux's I/O delay writes the same byte
 * thousands of times. */
static enum vdev_result port80_io(struct vdev_set *set, void *state, uint16_t offset,
				  unsigned size, bool is_write, uint32_t *value)
{
	struct port80_state *post = state;
	uint8_t old = __atomic_load_n(&post->code, __ATOMIC_RELAXED);

	if (!is_write) {
		*value = old;
		return VDEV_OK;
	}
	if (*value != old)
		log_debug("vdev: vm %s: POST code %#04x", vdev_set_name(set), *value);
	__atomic_store_n(&post->code, (uint8_t)*value, __ATOMIC_RELAXED);
	return VDEV_OK;
}

static const struct vdev_ops port80_ops = {
	.io = port80_io,
};

int vdev_port80_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;

	return vdev_register(set, POST_PORT, 1, &port80_ops, sizeof(struct port80_state), &state);
}

uint8_t vdev_port80_code(struct vdev_set *set)
{
	struct port80_state *post = vdev_state_at(set, POST_PORT, &port80_ops);

	return post ? __atomic_load_n(&post->code, __ATOMIC_RELAXED) : 0;
}
