/* The ACPI PM timer (ACPI spec, "Power Management Timer"): a 24-bit counter
 * at 3.579545 MHz, read-only, at QEMU's PIIX4 address (PM base 0x600 + 8),
 * the port the VM's FADT names. Derived from the TSC since the VM started. */
#include "drivers/tsc.h"
#include "hv/dev/vdev_device.h"
#include "x86/acpi.h"
#include "x86/pc.h"

#define PM_TIMER_HZ	3579545ull
#define PM_TIMER_MASK	0xffffffu

struct pmtimer_state {
	uint64_t tsc_start;
};

static enum vdev_result pmtimer_io(struct vdev_set *set, void *state, uint16_t offset,
				   unsigned size, bool is_write, uint32_t *value)
{
	const struct pmtimer_state *pm = state;
	uint64_t khz = READ_ONCE(tsc_khz), ticks;

	if (is_write)
		return VDEV_OK;		/* read-only */
	ticks = khz ? (uint64_t)((unsigned __int128)(tsc_now() - pm->tsc_start) * PM_TIMER_HZ /
				 (khz * 1000)) : 0;
	*value = (uint32_t)(ticks & PM_TIMER_MASK) >> (8 * offset);
	return VDEV_OK;
}

static const struct vdev_ops pmtimer_ops = { .io = pmtimer_io };

int vdev_pmtimer_attach(struct vdev_set *set, const struct vdev_config *config)
{
	struct pmtimer_state *pm;
	void *state;
	int err = vdev_register(set, PC_PM_TMR_PORT, ACPI_PM_TMR_LEN, &pmtimer_ops, sizeof(*pm), &state);

	if (!err) {
		pm = state;
		pm->tsc_start = config->tsc_start;
	}
	return err;
}
