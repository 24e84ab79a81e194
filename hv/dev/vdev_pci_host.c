/* The i440FX/PIIX ports around PCI configuration mechanism 1 (PCI Local Bus
 * spec 3.3.2.3): CONFIG_ADDRESS latches 4-byte writes at 0xcf8, and the
 * data window at 0xcfc reads all ones because the VM's bus has no devices;
 * a byte at 0xcf9 is the reset control register, whose RST_CPU bit resets
 * the machine. */
#include "hv/dev/vdev_device.h"
#include "x86/pc.h"

#define HOST_PORTS	8
#define CONF_DATA	(PC_PCI_CONF_DATA - PC_PCI_CONF_ADDR)
#define RESET_CONTROL	(PC_RESET_PORT - PC_PCI_CONF_ADDR)
#define ADDR_BITS	0x80fffffcu	/* enable, bus, device, function, dword register */
#define RST_CPU		(1u << 2)
#define RESET_BITS	0x0au		/* FULL_RST (bit 1) and bit 3 read back */

struct pci_host_state {
	uint32_t address;
	uint8_t reset_control;
};

static enum vdev_result pci_host_io(struct vdev_set *set, void *state, uint16_t offset,
				    unsigned size, bool is_write, uint32_t *value)
{
	struct pci_host_state *h = state;

	if (offset == 0 && size == 4) {
		if (is_write)
			h->address = *value & ADDR_BITS;
		else
			*value = h->address;
	} else if (offset == RESET_CONTROL && size == 1) {
		if (is_write && (*value & RST_CPU))
			return vdev_request_end(set, VDEV_END_RESET, 0);
		if (is_write)
			h->reset_control = *value & RESET_BITS;
		else
			*value = h->reset_control;
	} else if (!is_write) {
		/* No device answers in the data window; other parts of
		 * CONFIG_ADDRESS are not registers. */
		*value = vdev_all_ones(size);
	}
	return VDEV_OK;
}

static_assert(CONF_DATA + 4 == HOST_PORTS, "the data window ends the block");

static const struct vdev_ops pci_host_ops = { .io = pci_host_io };

int vdev_pci_host_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;

	return vdev_register(set, PC_PCI_CONF_ADDR, HOST_PORTS, &pci_host_ops,
			     sizeof(struct pci_host_state), &state);
}
