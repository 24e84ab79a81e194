/* The malloc heap (see mm/heap.h).
 *
 * Why one contiguous block rather than a virtual region mapped on demand:
 * memory is identity mapped, so a block from the buddy is usable at once;
 * growing the break then never touches page tables (no paging lock or TLB
 * shootdown on the malloc path) and never fails half-way. The cost is a
 * fixed ceiling, which suits the hypervisor: malloc serves its own small
 * structures, while guest memory and page tables come from pmm directly. */
#include <errno.h>

#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/buddy.h"
#include "mm/heap.h"
#include "mm/pmm.h"

static struct spinlock heap_lock = SPINLOCK_INIT;
static uint64_t heap_start, heap_end, heap_brk;
static bool heap_exhausted_logged;

uint64_t heap_default_bytes(uint64_t ram_bytes)
{
	return MIN(MAX(ram_bytes / 16, HEAP_MIN_BYTES), HEAP_MAX_BYTES);
}

int heap_init(uint64_t max_bytes)
{
	unsigned min_order = __builtin_ctzll(HEAP_MIN_BYTES / BUDDY_PAGE_SIZE);
	unsigned order;
	uint64_t pa;

	if (heap_start) {
		log_error("heap: initialized twice");
		return -EINVAL;
	}
	max_bytes = MIN(MAX(max_bytes, HEAP_MIN_BYTES), BUDDY_PAGE_SIZE << BUDDY_MAX_ORDER);
	/* The largest fitting block first, smaller ones if memory is scarce. */
	for (order = 63 - __builtin_clzll(max_bytes / BUDDY_PAGE_SIZE);; order--) {
		pa = pmm_alloc(order);
		if (pa || order == min_order)
			break;
	}
	if (!pa) {
		log_error("heap: no %llu KiB block free for the heap",
			  (unsigned long long)(HEAP_MIN_BYTES >> 10));
		return -ENOMEM;
	}
	spin_lock(&heap_lock);
	heap_start = heap_brk = pa;
	heap_end = pa + (BUDDY_PAGE_SIZE << order);
	spin_unlock(&heap_lock);
	log_info("heap: %llu KiB at %#llx", (unsigned long long)(heap_size_bytes() >> 10),
		 (unsigned long long)pa);
	return 0;
}

/* newlib's malloc grows (or shrinks) its arena here. Returns the old break,
 * or (void *)-1 with errno ENOMEM when the heap cannot move that far. */
void *_sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr)
{
	uint64_t old;
	bool ready, fits;

	spin_lock(&heap_lock);
	old = heap_brk;
	ready = heap_start != 0;
	fits = ready && (incr >= 0 ? (uint64_t)incr <= heap_end - old
				  : (uint64_t)-incr <= old - heap_start);
	if (fits)
		heap_brk = old + incr;
	spin_unlock(&heap_lock);
	if (fits)
		return (void *)(uintptr_t)old;
	if (!ready)
		log_error("heap: malloc before heap_init()");
	else if (!__atomic_exchange_n(&heap_exhausted_logged, true, __ATOMIC_RELAXED))
		log_warn("heap: out of memory (%lld bytes asked, %llu of %llu used)",
			 (long long)incr, (unsigned long long)heap_used_bytes(),
			 (unsigned long long)heap_size_bytes());
	errno = ENOMEM;
	return (void *)-1;
}

uint64_t heap_used_bytes(void)
{
	uint64_t used;

	spin_lock(&heap_lock);
	used = heap_brk - heap_start;
	spin_unlock(&heap_lock);
	return used;
}

uint64_t heap_size_bytes(void)
{
	uint64_t size;

	spin_lock(&heap_lock);
	size = heap_end - heap_start;
	spin_unlock(&heap_lock);
	return size;
}
