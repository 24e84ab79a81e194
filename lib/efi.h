/* UEFI specification (2.10) layouts the hypervisor reads from what the
 * loader passes on: the memory descriptors of GetMemoryMap(). */
#pragma once

#include "lib/compiler.h"

#define EFI_PAGE_SHIFT	12

/* EFI_MEMORY_TYPE. */
#define EFI_RESERVED_MEMORY		0
#define EFI_LOADER_CODE			1
#define EFI_LOADER_DATA			2
#define EFI_BOOT_SERVICES_CODE		3
#define EFI_BOOT_SERVICES_DATA		4
#define EFI_RUNTIME_SERVICES_CODE	5
#define EFI_RUNTIME_SERVICES_DATA	6
#define EFI_CONVENTIONAL_MEMORY		7
#define EFI_UNUSABLE_MEMORY		8
#define EFI_ACPI_RECLAIM_MEMORY		9
#define EFI_ACPI_MEMORY_NVS		10
#define EFI_MEMORY_MAPPED_IO		11
#define EFI_MEMORY_MAPPED_IO_PORT_SPACE	12
#define EFI_PAL_CODE			13
#define EFI_PERSISTENT_MEMORY		14
#define EFI_UNACCEPTED_MEMORY		15

/* Memory attributes: the range can be mapped write-back. */
#define EFI_MEMORY_WB	(1ull << 3)

/* EFI_MEMORY_DESCRIPTOR; firmware may hand out larger ones (the map's
 * descriptor size says how large), this is their common prefix. */
struct efi_memory_descriptor {
	uint32_t type;		/* EFI_* memory type */
	uint32_t pad;
	uint64_t physical_start;	/* 4 KiB aligned */
	uint64_t virtual_start;
	uint64_t number_of_pages;	/* 4 KiB pages */
	uint64_t attribute;	/* EFI_MEMORY_* */
};
static_assert(sizeof(struct efi_memory_descriptor) == 40, "EFI memory descriptor layout");
