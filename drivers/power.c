/* ACPI soft-off: write SLP_TYPa with SLP_EN to PM1a_CNT (ACPI spec, "Sleeping
 * and Soft-off States"). QEMU's PIIX4 has the port at 0x604, Bochs' at
 * 0xb004; both use SLP_TYP 0 for S5. */
#include "drivers/power.h"
#include "drivers/tsc.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"

#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MAX		7
#define PM1_SLP_TYP_MASK	(PM1_SLP_TYP_MAX << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1u << 13)
/* Emulators power off at the write; hardware within a few milliseconds. */
#define POWER_OFF_WAIT_US	100000

static uint16_t pm1a_cnt;	/* 0: no way to power off */
static uint8_t s5_slp_typ;

void power_init(uint16_t pm1a_cnt_port, uint8_t slp_typ_s5)
{
	if (!pm1a_cnt_port) {
		log_warn("power: no ACPI PM1a control port; power-off will halt instead");
		return;
	}
	if (slp_typ_s5 > PM1_SLP_TYP_MAX) {
		log_warn("power: S5 SLP_TYP %u does not fit in 3 bits; power-off will halt instead",
			 slp_typ_s5);
		return;
	}
	pm1a_cnt = pm1a_cnt_port;
	s5_slp_typ = slp_typ_s5;
	log_debug("power: S5 via port %#x, SLP_TYP %u", pm1a_cnt, s5_slp_typ);
}

__noreturn void power_off(void)
{
	uint16_t cnt;

	cli();
	log_info("hv: poweroff");
	log_drain();
	if (!pm1a_cnt) {
		log_error("hv: poweroff: no ACPI power-off port known; halting");
		cpu_halt_forever();
	}
	/* Keep the register's other bits (SCI_EN among them). */
	cnt = inw(pm1a_cnt) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
	outw(pm1a_cnt, cnt | s5_slp_typ << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
	tsc_delay_us(POWER_OFF_WAIT_US);
	log_error("hv: poweroff: still running %u ms after writing port %#x; halting",
		  POWER_OFF_WAIT_US / 1000, pm1a_cnt);
	cpu_halt_forever();
}
