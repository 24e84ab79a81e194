/* What the multiboot2 memory map and modules mean for the hypervisor's own
 * memory: the inputs of pmm_early_init(), and which ranges are mapped. */
#pragma once

#include "boot/mb2_info.h"
#include "mm/pmm.h"

/* Fill `boot` (whose arrays live in static storage) from `info`: every
 * memory-map range, the usable ones, and as reserved ranges the others
 * (so a usable range overlapping them loses the overlap), the modules and
 * the info block. Returns 0, or -1 when those lie in more than
 * PMM_MAX_RANGES separate ranges. */
int boot_memory_map(const struct boot_info *info, struct pmm_boot_map *boot);

/* The highest 4 KiB page below 1 MiB, page 0 (the real-mode IVT and BIOS
 * data) aside, that `boot` (from boot_memory_map()) leaves free: usable in
 * the map and no module's, the info block's or a reserved range's. 0 when
 * there is none. The page allocator never hands out the low 1 MiB, so the
 * page stays the caller's: the APs' start-up code goes there. */
uint64_t boot_memory_low_page(const struct pmm_boot_map *boot);

/* The physical range [pa, pa + len) if one memory-map range holds it all
 * (so the hypervisor maps it), else NULL. Shaped as acpi_map_fn. */
const void *boot_memory_access(uint64_t pa, size_t len, void *boot_info);
