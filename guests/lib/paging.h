/*
 * 32-bit (non-PAE) paging for the guests: all 4 GiB identity-mapped, the
 * first 4 MiB with 4 KiB pages and the rest with 4 MiB pages, so a guest
 * touching its RAM exercises both sizes. Needs CPUID.1:EDX.PSE.
 */
#pragma once

#include "lib/compiler.h"

#define PAGE_SIZE		4096u
#define LARGE_PAGE_SIZE		(4u << 20)

/* Builds the identity map (once) and turns paging on. Returns false without PSE. */
bool paging_enable(void);

/* Turns paging off again (the map stays for the next paging_enable()). */
void paging_disable(void);

/*
 * Marks the 4 KiB page holding addr not present (present again when
 * present is set) and flushes it from the TLB. Returns false if addr is not
 * in the 4 KiB-mapped first 4 MiB.
 */
bool paging_set_present(uint32_t addr, bool present);
