UNIT_TESTS += acpi
acpi_SRCS := tests/unit/acpi.c drivers/acpi.c drivers/acpi_madt.c drivers/acpi_fadt.c drivers/acpi_s5.c
UNIT_TESTS += guest_acpi
guest_acpi_SRCS := tests/unit/guest_acpi.c hv/load/guest_acpi.c hv/load/guest_acpi_dsdt.c \
	hv/load/guest_ram.c drivers/acpi.c drivers/acpi_madt.c drivers/acpi_fadt.c drivers/acpi_s5.c
