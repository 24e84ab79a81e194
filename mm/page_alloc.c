/* mm/page.h over the physical memory manager: single zeroed pages. */
#include <string.h>

#include "mm/page.h"
#include "mm/pmm.h"

void *page_alloc_zeroed(void)
{
	uint64_t pa = pmm_alloc(0);
	void *page;

	if (!pa)
		return NULL;
	page = phys_to_virt(pa);
	memset(page, 0, PAGE_SIZE);
	return page;
}

void page_free(void *page)
{
	pmm_free(virt_to_phys(page), 0);
}
