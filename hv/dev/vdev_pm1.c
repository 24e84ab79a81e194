/* The ACPI PM1a event and control registers of the PIIX4 PM block (ACPI
 * spec, "PM1 Event Grouping" and "PM1 Control Grouping"), as the VM's FADT
 * describes them. SCI_EN reads as set: with no SMI command port the VM is
 * always in ACPI mode. Writing SLP_EN with the _S5 sleep type powers the
 * VM off; no other sleep state is offered. Nothing here raises the SCI:
 * there is no power button and the PM timer's overflow is not signalled. */
#include "hv/dev/vdev_device.h"
#include "lib/log.h"
#include "x86/acpi.h"
#include "x86/pc.h"

#define PM1_PORTS	(ACPI_PM1_EVT_LEN + ACPI_PM1_CNT_LEN)
#define EVT_ENABLE	2	/* byte offset of PM1a_EN in the event block */

/* Bits a guest may set; the rest read as 0. Enabling an event that never
 * happens is allowed, as on PIIX4: ACPICA enables the global lock and RTC
 * events and checks they read back. */
#define EN_BITS		(ACPI_PM1_TMR_STS | ACPI_PM1_GBL_STS | ACPI_PM1_PWRBTN_STS | \
			 ACPI_PM1_SLPBTN_STS | ACPI_PM1_RTC_STS)
#define CNT_BITS	(ACPI_PM1_CNT_SLP_TYP | 0x0006)	/* SLP_TYP, BM_RLD, GBL_RLS */

struct pm1_state {
	uint16_t status, enable, control;
};

/* The 16-bit register holding byte `offset` of the block. */
static uint16_t *reg_at(struct pm1_state *pm, unsigned offset)
{
	if (offset < EVT_ENABLE)
		return &pm->status;
	return offset < ACPI_PM1_EVT_LEN ? &pm->enable : &pm->control;
}

static uint16_t reg_read(const struct pm1_state *pm, const uint16_t *reg)
{
	return reg == &pm->control ? pm->control | ACPI_PM1_CNT_SCI_EN : *reg;
}

/* Write byte `b` of the block at `offset`: status bits clear where a 1 is
 * written; SLP_EN is a write-only trigger. */
static enum vdev_result byte_write(struct vdev_set *set, struct pm1_state *pm, unsigned offset,
				   uint8_t b)
{
	uint16_t *reg = reg_at(pm, offset), shift = 8 * (offset & 1), v = (uint16_t)(b << shift);
	unsigned slp_typ;

	if (reg == &pm->status) {
		pm->status &= ~v;
		return VDEV_OK;
	}
	*reg = (*reg & ~(0xff << shift)) | v;
	*reg &= reg == &pm->enable ? EN_BITS : CNT_BITS | ACPI_PM1_CNT_SLP_EN;
	if (reg != &pm->control || !(pm->control & ACPI_PM1_CNT_SLP_EN))
		return VDEV_OK;
	pm->control &= ~ACPI_PM1_CNT_SLP_EN;
	slp_typ = (pm->control & ACPI_PM1_CNT_SLP_TYP) >> ACPI_PM1_CNT_SLP_TYP_SHIFT;
	if (slp_typ == PC_S5_SLP_TYP)
		return vdev_request_end(set, VDEV_END_POWEROFF, 0);
	log_warn("vdev: vm %s: sleep type %u requested, only S5 (%u) is offered: ignored",
		 vdev_set_name(set), slp_typ, PC_S5_SLP_TYP);
	return VDEV_OK;
}

static enum vdev_result pm1_io(struct vdev_set *set, void *state, uint16_t offset,
			       unsigned size, bool is_write, uint32_t *value)
{
	struct pm1_state *pm = state;
	enum vdev_result result = VDEV_OK;

	if (!is_write) {
		*value = 0;
		for (unsigned i = 0; i < size; i++) {
			unsigned at = offset + i;

			*value |= ((reg_read(pm, reg_at(pm, at)) >> (8 * (at & 1))) & 0xff) << (8 * i);
		}
		return VDEV_OK;
	}
	for (unsigned i = 0; i < size && result == VDEV_OK; i++)
		result = byte_write(set, pm, offset + i, (uint8_t)(*value >> (8 * i)));
	return result;
}

static const struct vdev_ops pm1_ops = { .io = pm1_io };

int vdev_pm1_attach(struct vdev_set *set, const struct vdev_config *config)
{
	void *state;

	return vdev_register(set, PC_PM1A_EVT_PORT, PM1_PORTS, &pm1_ops, sizeof(struct pm1_state),
			     &state);
}
