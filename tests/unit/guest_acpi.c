/* The ACPI tables each VM gets, read back by the hypervisor's own ACPI
 * parser (drivers/acpi*.c), which checks every length and checksum: the
 * MADT names each vCPU, the IOAPIC and the overrides, the FADT the PM
 * ports of x86/pc.h and the DSDT's _S5; nothing is written outside
 * [GUEST_ACPI_RSDP, GUEST_ACPI_END). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/acpi.h"
#include "hv/load/guest_load.h"
#include "tests/unit/host.h"
#include "x86/acpi.h"
#include "x86/pc.h"

#define RAM_SIZE	0x100000

static uint8_t *ram;

static const void *map_ram(uint64_t pa, size_t len, void *ctx)
{
	return pa < RAM_SIZE && len <= RAM_SIZE - pa ? ram + pa : NULL;
}

static int setup(void **state)
{
	ram = calloc(1, RAM_SIZE);
	return ram ? 0 : -1;
}

static int teardown(void **state)
{
	free(ram);
	return 0;
}

/* Build for `vcpus` and parse from the RSDP as a guest would find it. */
static void build_and_parse(unsigned vcpus, struct acpi_info *info)
{
	char err[128] = "";

	const struct guest_ram_piece piece = { 0, RAM_SIZE, ram };
	const struct guest_ram view = { RAM_SIZE, 1, &piece };

	memset(ram, 0, RAM_SIZE);
	assert_int_equal(guest_acpi_build(&view, vcpus), 0);
	assert_int_equal(acpi_parse(ram + GUEST_ACPI_RSDP, sizeof(struct acpi_rsdp), map_ram, NULL,
				    info, err, sizeof(err)), 0);
}

static void test_tables_stay_in_their_hole(void **state)
{
	struct acpi_info info;

	build_and_parse(GUEST_ACPI_VCPUS_MAX, &info);
	for (size_t pa = 0; pa < RAM_SIZE; pa++)
		if (pa < GUEST_ACPI_RSDP || pa >= GUEST_ACPI_END)
			assert_int_equal(ram[pa], 0);
	assert_int_equal(info.madt.cpu_count, GUEST_ACPI_VCPUS_MAX);
}

static void test_rsdp_is_found_by_a_scan(void **state)
{
	const struct acpi_rsdp *rsdp = (const void *)(ram + GUEST_ACPI_RSDP);
	struct acpi_info info;

	build_and_parse(1, &info);
	assert_int_equal(GUEST_ACPI_RSDP % 16, 0);
	assert_memory_equal(rsdp->signature, "RSD PTR ", 8);
	assert_int_equal(info.revision, 2);
	assert_true(rsdp->rsdt_address > GUEST_ACPI_RSDP && rsdp->rsdt_address < GUEST_ACPI_END);
	assert_true(rsdp->xsdt_address > GUEST_ACPI_RSDP && rsdp->xsdt_address < GUEST_ACPI_END);
}

static void test_madt_describes_the_platform(void **state)
{
	struct acpi_info info;

	build_and_parse(3, &info);
	assert_true(info.madt.present);
	assert_int_equal(info.madt.lapic_address, PC_LAPIC_BASE);
	assert_true(info.madt.legacy_pics);
	assert_int_equal(info.madt.cpu_count, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(info.madt.apic_ids[i], i);
	assert_int_equal(info.madt.ioapic_count, 1);
	assert_int_equal(info.madt.ioapics[0].address, PC_IOAPIC_BASE);
	assert_int_equal(info.madt.ioapics[0].id, PC_IOAPIC_ID);
	assert_int_equal(info.madt.ioapics[0].gsi_base, 0);
	assert_int_equal(info.madt.override_count, 2);
	assert_int_equal(info.madt.overrides[0].source, 0);
	assert_int_equal(info.madt.overrides[0].gsi, 2);
	assert_int_equal(info.madt.overrides[1].source, PC_SCI_IRQ);
	assert_int_equal(info.madt.overrides[1].gsi, PC_SCI_IRQ);
	assert_int_equal(info.madt.overrides[1].flags, ACPI_INTI_ACTIVE_HIGH | ACPI_INTI_LEVEL);
}

static void test_fadt_names_the_pm_block_and_s5(void **state)
{
	const struct acpi_rsdp *rsdp = (const void *)(ram + GUEST_ACPI_RSDP);
	const struct acpi_fadt *fadt;
	uint64_t fadt_pa;
	struct acpi_info info;

	build_and_parse(1, &info);
	assert_true(info.fadt.present);
	assert_int_equal(info.fadt.pm1a_cnt_port, PC_PM1A_CNT_PORT);
	assert_int_equal(info.fadt.pm_timer_port, PC_PM_TMR_PORT);
	assert_false(info.fadt.pm_timer_32bit);
	assert_true(info.fadt.s5_present);
	assert_int_equal(info.fadt.s5_slp_typa, PC_S5_SLP_TYP);
	memcpy(&fadt_pa, ram + rsdp->xsdt_address + sizeof(struct acpi_sdt_header), 8);
	fadt = (const void *)(ram + fadt_pa);
	assert_memory_equal(fadt->header.signature, "FACP", 4);
	assert_int_equal(fadt->header.length, sizeof(*fadt));
	assert_int_equal(fadt->sci_int, PC_SCI_IRQ);
	assert_int_equal(fadt->pm1a_evt_blk, PC_PM1A_EVT_PORT);
	assert_int_equal(fadt->reset_reg.address, PC_RESET_PORT);
	assert_int_equal(fadt->reset_value, PC_RESET_VALUE);
	assert_true(fadt->flags & ACPI_FADT_RESET_REG_SUP);
	assert_int_equal(fadt->firmware_ctrl % 64, 0);
	assert_memory_equal(ram + fadt->firmware_ctrl, "FACS", 4);
}

/* The DSDT's COM1 device: its _HID, and a _CRS that gives the UART's ports
 * and IRQ as an IO and an IRQNoFlags descriptor. */
static void test_dsdt_has_com1(void **state)
{
	const uint8_t hid[] = { AML_NAME_OP, '_', 'H', 'I', 'D', AML_DWORD_PREFIX,
				0x41, 0xd0, 0x05, 0x01 };
	const uint8_t io[] = { 0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, 0x22, 0x10, 0x00 };
	struct acpi_info info;
	const struct acpi_sdt_header *dsdt;

	build_and_parse(1, &info);
	dsdt = (const void *)(ram + info.fadt.dsdt_address);
	assert_non_null(memmem(dsdt, dsdt->length, hid, sizeof(hid)));
	assert_non_null(memmem(dsdt, dsdt->length, io, sizeof(io)));
	assert_non_null(memmem(dsdt, dsdt->length, "\\_SB_", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_stay_in_their_hole),
		cmocka_unit_test(test_rsdp_is_found_by_a_scan),
		cmocka_unit_test(test_madt_describes_the_platform),
		cmocka_unit_test(test_fadt_names_the_pm_block_and_s5),
		cmocka_unit_test(test_dsdt_has_com1),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
