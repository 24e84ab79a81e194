/* QEMU's hyperv-testdev (hw/misc/hyperv_testdev.c), which kvm-unit-tests'
 * Hyper-V tests drive: a 4-byte write to port 0x3000 holds a request,
 * ctl in bits 23:16, VP index in 15:8, SINT in 7:0. SINT routes are
 * created, destroyed and signalled; signalling one raises that vCPU's
 * SINT through the VM's callback. Only on a VM with hyperv=on. Message
 * and event connections (ctl 4-7) are not emulated. */
#include "hv/dev/vdev_device.h"
#include "lib/log.h"

#define TESTDEV_PORT		0x3000
#define TESTDEV_PORTS		4
#define TESTDEV_SINTS		16
#define TESTDEV_VPS		256	/* the VP index field's range */

enum testdev_ctl {
	CTL_SINT_ROUTE_CREATE = 1,
	CTL_SINT_ROUTE_DESTROY,
	CTL_SINT_ROUTE_SET_SINT,
};

struct testdev {
	unsigned vcpus;
	int (*sint)(void *ctx, unsigned vp_index, unsigned sint);
	void *ctx;
	uint16_t routes[TESTDEV_VPS];	/* bit n: a route to SINT n exists */
	bool bad_logged;
};

/* A request the device refuses: logged the first time only, so a guest in
 * a loop cannot flood the log. */
static void testdev_bad(struct vdev_set *set, struct testdev *d, uint32_t req, const char *why)
{
	if (d->bad_logged)
		return;
	d->bad_logged = true;
	log_info("vdev: vm %s: hyperv-testdev request %#x refused: %s (logged once)",
		 vdev_set_name(set), req, why);
}

/* Decode and check one request whole, then carry it out. */
static void testdev_request(struct vdev_set *set, struct testdev *d, uint32_t req)
{
	unsigned sint = req & 0xff, vp = (req >> 8) & 0xff, ctl = (req >> 16) & 0xff;
	uint16_t bit = (uint16_t)(1u << (sint & 0xf));

	if (ctl < CTL_SINT_ROUTE_CREATE || ctl > CTL_SINT_ROUTE_SET_SINT)
		return testdev_bad(set, d, req, "unknown or unemulated ctl");
	if (vp >= d->vcpus || sint >= TESTDEV_SINTS)
		return testdev_bad(set, d, req, "no such VP index or SINT");
	if (ctl == CTL_SINT_ROUTE_CREATE) {
		if (d->routes[vp] & bit)
			return testdev_bad(set, d, req, "the route exists");
		d->routes[vp] |= bit;
		return;
	}
	if (!(d->routes[vp] & bit))
		return testdev_bad(set, d, req, "no such route");
	if (ctl == CTL_SINT_ROUTE_DESTROY)
		d->routes[vp] &= (uint16_t)~bit;
	else
		d->sint(d->ctx, vp, sint);	/* a masked SINT drops it, as KVM does */
}

static enum vdev_result testdev_io(struct vdev_set *set, void *state, uint16_t offset,
				   unsigned size, bool is_write, uint32_t *value)
{
	struct testdev *d = state;

	if (!is_write) {
		*value = vdev_all_ones(size);
		return VDEV_OK;
	}
	if (offset || size != 4)
		testdev_bad(set, d, *value, "not a 4-byte write at its first port");
	else
		testdev_request(set, d, *value);
	return VDEV_OK;
}

static const struct vdev_ops testdev_ops = {
	.io = testdev_io,
};

int vdev_hyperv_testdev_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct testdev *d;
	int err;

	if (!config->hyperv_sint)
		return 0;
	err = vdev_register(set, TESTDEV_PORT, TESTDEV_PORTS, &testdev_ops, sizeof(*d),
			    (void **)&d);
	if (err)
		return err;
	d->vcpus = config->vcpus;
	d->sint = config->hyperv_sint;
	d->ctx = config->irq_ctx;
	return 0;
}
