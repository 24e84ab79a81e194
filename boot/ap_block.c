/* AP blocks (boot/ap_block.h), from the page allocator: the stack at the
 * bottom, growing away from the rest; the CPU-local area; the percpu block,
 * its interrupt stacks last. Only the CPU-local area and the percpu block
 * up to those stacks must start zeroed: a page or so, where zeroing the
 * whole block would write eight (an emulator that ran the loader's code
 * in that memory pays for every first write to such a page, per CPU it
 * emulates). The block is a power of two pages; the page allocator has
 * room for a thousand CPUs' blocks where the heap (a 16th of RAM) might
 * not. */
#include <string.h>

#include "boot/ap_block.h"
#include "lib/cpu_local.h"
#include "mm/page.h"
#include "mm/pmm.h"

static_assert(PERCPU_STACK_SIZE % CPU_LOCAL_ALIGN == 0 &&
	      _Alignof(struct percpu) <= CPU_LOCAL_ALIGN,
	      "the CPU-local area and the percpu block keep their alignment");

/* Where the percpu block starts, from the block's base. */
static size_t percpu_offset(void)
{
	return PERCPU_STACK_SIZE + ALIGN_UP(cpu_local_bytes(), CPU_LOCAL_ALIGN);
}

/* The buddy order of a block: the fewest pages, to a power of two. */
static unsigned block_order(void)
{
	size_t pages = (percpu_offset() + sizeof(struct percpu) + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned order = 0;

	while ((1ull << order) < pages)
		order++;
	return order;
}

size_t ap_block_bytes(void)
{
	return PAGE_SIZE << block_order();
}

struct percpu *ap_block_alloc(void)
{
	uint64_t pa = pmm_alloc(block_order());
	uint8_t *base = phys_to_virt(pa);
	struct percpu *pc;

	if (!pa)
		return NULL;
	pc = (struct percpu *)(base + percpu_offset());
	memset(base + PERCPU_STACK_SIZE, 0,
	       percpu_offset() - PERCPU_STACK_SIZE + offsetof(struct percpu, ist_stacks));
	pc->id = AP_BLOCK_UNNUMBERED;
	pc->stack_top = (uintptr_t)base + PERCPU_STACK_SIZE;
	return pc;
}

void *ap_block_cpu_local(struct percpu *pc)
{
	return (uint8_t *)pc - percpu_offset() + PERCPU_STACK_SIZE;
}

void ap_block_free(struct percpu *pc)
{
	pmm_free(virt_to_phys((uint8_t *)pc - percpu_offset()), block_order());
}
