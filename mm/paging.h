/* The hypervisor's own 4-level page tables. Memory is identity mapped
 * (virtual == physical): all RAM the firmware reports is one read-write,
 * non-executable direct map in 1 GiB or 2 MiB pages; 0xC0000000-0xFFFFFFFF
 * (LAPIC, IOAPIC, PCI holes) is uncacheable; the image itself is mapped in
 * 4 KiB pages with per-section permissions (only .text executable). */
#pragma once

#include "lib/compiler.h"
#include "mm/mem_range.h"
#include "x86/insn.h"

#define PT_ENTRIES	512
#define PT_PAGE_SIZE	4096ull
static_assert(PT_ENTRIES * sizeof(uint64_t) == PT_PAGE_SIZE,
	      "a page table is one 4 KiB page of 512 eight-byte entries");

/* Page-table entry bits. */
#define PTE_PRESENT	(1ull << 0)
#define PTE_WRITE	(1ull << 1)
#define PTE_PWT		(1ull << 3)	/* with PCD: uncacheable (PAT entry 3) */
#define PTE_PCD		(1ull << 4)
#define PTE_HUGE	(1ull << 7)	/* 2 MiB (PD) or 1 GiB (PDPT) leaf */
#define PTE_NX		(1ull << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

/* Identity mapping reaches only the lower canonical half: 128 TiB. */
#define PAGING_IDENTITY_LIMIT	(1ull << 47)

/* Where page-table pages come from: alloc returns the physical address of
 * an identity-mapped 4 KiB page (any content), or 0 when out of memory. */
struct pt_page_source {
	uint64_t (*alloc)(void *ctx);
	void *ctx;
};

/* The memory map as paging needs it: every range the firmware reports
 * (any type; mapped as RAM) and the usable ones among them (kept cacheable
 * even inside the uncacheable 4th GiB). */
struct paging_memory_map {
	const struct mem_range *ram;
	size_t nr_ram;
	const struct mem_range *usable;
	size_t nr_usable;
};

/* Page-aligned boundaries of the hypervisor image (linker.ld), in address
 * order. [start, text_start) is the boot section (multiboot header, 32-bit
 * entry, early GDT: read-write, dead code by then) and [data_end, end) the
 * symbol table (read-only). */
struct image_layout {
	uint64_t start;
	uint64_t text_start, text_end;
	uint64_t rodata_start, rodata_end;
	uint64_t data_start, data_end;	/* .data and .bss */
	uint64_t end;
};

/* Build the hypervisor's page tables for `map` and `image` from pages of
 * `src`, with 1 GiB pages where `gbpages` (the CPU supports them) and a GiB
 * is uniform. Returns the PML4's physical address, or 0 (logged) for an
 * invalid layout or when `src` runs dry; pages taken then are not returned. */
uint64_t paging_build(const struct paging_memory_map *map,
		      const struct image_layout *image, bool gbpages,
		      const struct pt_page_source *src);

/* Map the 4 KiB page `va` to `pa` with `flags` (PTE_PRESENT plus any of
 * PTE_WRITE/PWT/PCD/NX) in the live tables at `root`, taking any missing
 * table from `src`. Only an unmapped `va` may be mapped, so no TLB flush
 * is needed: -EEXIST when it is mapped (also by a huge page), -EINVAL for
 * bad arguments, -ENOMEM when `src` runs dry; 0 on success. */
int paging_map_4k(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
		  const struct pt_page_source *src);

/* The leaf entry that maps `va` in the tables at `root` (4 KiB, 2 MiB or
 * 1 GiB), or 0 if none does; nothing at or above PAGING_IDENTITY_LIMIT
 * (the upper half, non-canonical addresses) ever is. Takes no lock, for
 * a reader that must not wait: a post-mortem with the other CPUs stopped. */
uint64_t paging_lookup(uint64_t root, uint64_t va);

/* Linker symbols bounding the image's sections (linker.ld). */
extern char __image_start[], __text_start[], __text_end[], __rodata_start[],
	__rodata_end[], __data_start[], __data_end[], __image_end[];

/* The running image's layout, from the linker symbols. */
static inline struct image_layout image_layout_from_linker(void)
{
	return (struct image_layout){
		.start = (uintptr_t)__image_start,
		.text_start = (uintptr_t)__text_start,
		.text_end = (uintptr_t)__text_end,
		.rodata_start = (uintptr_t)__rodata_start,
		.rodata_end = (uintptr_t)__rodata_end,
		.data_start = (uintptr_t)__data_start,
		.data_end = (uintptr_t)__data_end,
		.end = (uintptr_t)__image_end,
	};
}

/* Whether this CPU can map 1 GiB pages (CPUID 0x80000001 EDX bit 26). */
static inline bool paging_cpu_has_gbpages(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000001)
		return false;
	return cpuid(0x80000001, 0).edx & (1u << 26);
}

/* Switch this CPU to the tables at `root` (flushes non-global TLB entries). */
static inline void paging_load(uint64_t root)
{
	write_cr3(root);
}
