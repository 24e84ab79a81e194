UNIT_TESTS += acpi
acpi_SRCS := tests/unit/acpi.c drivers/acpi.c drivers/acpi_madt.c drivers/acpi_fadt.c drivers/acpi_s5.c
