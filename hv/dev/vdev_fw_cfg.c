/* QEMU's fw_cfg through its traditional I/O interface (QEMU's
 * docs/specs/fw_cfg.rst): a 16-bit write to the selector port picks an item,
 * byte reads from the data port walk through it. No DMA, no files: guests
 * learn the RAM size and CPU count, and find the device is QEMU's. */
#include "hv/dev/vdev_device.h"
#include "lib/log.h"

#define FW_CFG_BASE		0x510	/* selector; the data port follows */
#define FW_CFG_PORTS		2
#define FW_CFG_SELECTOR		0	/* offset of the selector port */

/* Item keys. */
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_MAX_CPUS		0x000f
/* Key bit 14 asks for write access, which QEMU no longer grants through
 * this interface: the same item is read. */
#define FW_CFG_WRITE_CHANNEL	0x4000

#define FW_CFG_ID_TRADITIONAL	0x1	/* feature bit: the I/O interface */

#define FW_CFG_ITEM_MAX		8	/* bytes in the largest item */

struct fw_cfg_item {
	uint16_t key;
	uint8_t len;
	uint8_t data[FW_CFG_ITEM_MAX];
};
static_assert(sizeof(uint64_t) <= FW_CFG_ITEM_MAX, "the RAM size item fits");

/* The file directory (key 0x0019) is absent on purpose: its count of zero
 * files is big-endian 0, exactly what an unknown key reads. */
enum { ITEM_SIGNATURE, ITEM_ID, ITEM_RAM_SIZE, ITEM_NB_CPUS, ITEM_MAX_CPUS, ITEM_COUNT };

struct fw_cfg_state {
	struct fw_cfg_item items[ITEM_COUNT];
	const struct fw_cfg_item *selected;	/* NULL: an unknown key, reads zeros */
	unsigned offset;			/* next byte of `selected` to read */
};

/* Fill `item` with `value` as `len` bytes, little-endian. */
static void item_le(struct fw_cfg_item *item, uint16_t key, uint64_t value, unsigned len)
{
	item->key = key;
	item->len = len;
	for (unsigned i = 0; i < len; i++)
		item->data[i] = value >> (8 * i);
}

/* Selecting restarts reading at the item's first byte. */
static void fw_cfg_select(struct fw_cfg_state *fw, uint16_t key)
{
	key &= ~FW_CFG_WRITE_CHANNEL;
	fw->selected = NULL;
	fw->offset = 0;
	for (unsigned i = 0; i < ITEM_COUNT; i++)
		if (fw->items[i].key == key)
			fw->selected = &fw->items[i];
}

/* The next byte of the selected item; past its end (or for an unknown key)
 * the data port reads 0. */
static uint8_t fw_cfg_next_byte(struct fw_cfg_state *fw)
{
	if (!fw->selected || fw->offset >= fw->selected->len)
		return 0;
	return fw->selected->data[fw->offset++];
}

/* As QEMU's combined selector/data ports: a 16-bit write at the selector
 * selects, a byte read at either port reads data, a byte write is a data
 * write (ignored). Other accesses are not decoded: reads float high. */
static enum vdev_result fw_cfg_io(struct vdev_set *set, void *state, uint16_t offset,
				  unsigned size, bool is_write, uint32_t *value)
{
	struct fw_cfg_state *fw = state;

	if (size == 1) {
		if (!is_write)
			*value = fw_cfg_next_byte(fw);
		return VDEV_OK;
	}
	if (is_write && size == 2 && offset == FW_CFG_SELECTOR) {
		fw_cfg_select(fw, *value);
		return VDEV_OK;
	}
	if (!is_write)
		*value = vdev_all_ones(size);
	log_debug("vdev: vm %s: fw_cfg ignores %u-byte %s at port %#x", vdev_set_name(set), size,
		  is_write ? "write" : "read", FW_CFG_BASE + offset);
	return VDEV_OK;
}

static const struct vdev_ops fw_cfg_ops = {
	.io = fw_cfg_io,
};

int vdev_fw_cfg_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;
	struct fw_cfg_state *fw;
	int err = vdev_register(set, FW_CFG_BASE, FW_CFG_PORTS, &fw_cfg_ops,
				sizeof(struct fw_cfg_state), &state);

	if (err)
		return err;
	fw = state;
	fw->items[ITEM_SIGNATURE] = (struct fw_cfg_item){
		.key = FW_CFG_SIGNATURE, .len = 4, .data = { 'Q', 'E', 'M', 'U' },
	};
	item_le(&fw->items[ITEM_ID], FW_CFG_ID, FW_CFG_ID_TRADITIONAL, 4);
	item_le(&fw->items[ITEM_RAM_SIZE], FW_CFG_RAM_SIZE, config->ram_bytes, 8);
	item_le(&fw->items[ITEM_NB_CPUS], FW_CFG_NB_CPUS, config->vcpus, 2);
	item_le(&fw->items[ITEM_MAX_CPUS], FW_CFG_MAX_CPUS, config->vcpus, 2);
	fw_cfg_select(fw, FW_CFG_SIGNATURE);
	return 0;
}
