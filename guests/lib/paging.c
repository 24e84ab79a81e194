/* An identity map with 4 KiB pages below 4 MiB and 4 MiB pages above. */
#include "guests/lib/paging.h"
#include "guests/lib/x86.h"

#define PTE_PRESENT	(1u << 0)
#define PTE_WRITABLE	(1u << 1)
#define PDE_LARGE	(1u << 7)
#define NR_ENTRIES	1024

static uint32_t page_directory[NR_ENTRIES] __aligned(PAGE_SIZE);
static uint32_t low_page_table[NR_ENTRIES] __aligned(PAGE_SIZE);

static void build_identity_map(void)
{
	for (uint32_t i = 0; i < NR_ENTRIES; i++)
		low_page_table[i] = i * PAGE_SIZE | PTE_PRESENT | PTE_WRITABLE;
	page_directory[0] = (uint32_t)(uintptr_t)low_page_table | PTE_PRESENT | PTE_WRITABLE;
	for (uint32_t i = 1; i < NR_ENTRIES; i++)
		page_directory[i] = i * LARGE_PAGE_SIZE | PDE_LARGE | PTE_PRESENT | PTE_WRITABLE;
}

bool paging_enable(void)
{
	if (!(cpuid(1, 0).edx & CPUID1_EDX_PSE))
		return false;
	if (!page_directory[0])
		build_identity_map();
	write_cr3((uintptr_t)page_directory);
	write_cr4(read_cr4() | CR4_PSE);
	write_cr0(read_cr0() | CR0_PG);
	return true;
}

void paging_disable(void)
{
	write_cr0(read_cr0() & ~CR0_PG);
}

bool paging_set_present(uint32_t addr, bool present)
{
	uint32_t *pte;

	if (addr >= LARGE_PAGE_SIZE)
		return false;
	pte = &low_page_table[addr / PAGE_SIZE];
	if (present)
		*pte |= PTE_PRESENT;
	else
		*pte &= ~PTE_PRESENT;
	invlpg((const void *)(uintptr_t)addr);
	return true;
}
