/* Binary buddy allocator (see mm/buddy.h).
 *
 * Every added range becomes an area: a header and one metadata byte per
 * managed page at the start of the range, the managed pages after it.
 * Only the first page of a block carries meaning in its metadata byte
 * (free or allocated, and the block's order); every other page is marked
 * "inside", which is what makes bad frees detectable. Free blocks are
 * linked through their own first bytes, one doubly-linked list per order,
 * so taking a merged buddy off its list is O(1). */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "mm/buddy.h"

enum page_state {
	PAGE_INSIDE,		/* not the first page of a block */
	PAGE_FREE_HEAD,		/* first page of a free block */
	PAGE_USED_HEAD,		/* first page of an allocated block */
};

struct buddy_page {
	uint8_t order : 5;	/* the block's order, for head pages */
	uint8_t state : 2;	/* enum page_state */
};
static_assert(sizeof(struct buddy_page) == 1, "one metadata byte per page");
static_assert(BUDDY_MAX_ORDER < 32, "order must fit the 5-bit field");

struct buddy_area {
	struct buddy_area *next;	/* next area by address */
	uint64_t base;			/* physical address of the first managed page */
	uint64_t pages;			/* managed pages, after the metadata */
	struct buddy_page page[];	/* one per managed page */
};

struct buddy_free_block {
	struct buddy_free_block *next;
	struct buddy_free_block *prev;
};

/* Physical addresses beyond x86-64's 52-bit limit cannot be RAM. */
#define BUDDY_PHYS_LIMIT	(1ull << 52)

void buddy_init(struct buddy *b)
{
	memset(b, 0, sizeof(*b));
	b->lock = (struct spinlock)SPINLOCK_INIT;
}

static uint64_t block_bytes(unsigned order)
{
	return BUDDY_PAGE_SIZE << order;
}

static uint64_t area_end(const struct buddy_area *a)
{
	return a->base + a->pages * BUDDY_PAGE_SIZE;
}

/* The area whose managed pages include `pa`, or NULL. */
static struct buddy_area *find_area(struct buddy *b, uint64_t pa)
{
	for (struct buddy_area *a = b->areas; a; a = a->next)
		if (pa >= a->base && pa < area_end(a))
			return a;
	return NULL;
}

static struct buddy_page *page_of(struct buddy_area *a, uint64_t pa)
{
	return &a->page[(pa - a->base) >> BUDDY_PAGE_SHIFT];
}

/* Mark the block at `pa` free with `order` and put it on its list. */
static void push_free(struct buddy *b, struct buddy_area *a, uint64_t pa,
		      unsigned order)
{
	struct buddy_free_block *blk = (struct buddy_free_block *)(uintptr_t)pa;

	*page_of(a, pa) = (struct buddy_page){ .order = order, .state = PAGE_FREE_HEAD };
	blk->prev = NULL;
	blk->next = b->free[order];
	if (blk->next)
		blk->next->prev = blk;
	b->free[order] = blk;
}

/* Take the free block at `pa` off its list; its metadata is left to the caller. */
static void unlink_free(struct buddy *b, uint64_t pa, unsigned order)
{
	struct buddy_free_block *blk = (struct buddy_free_block *)(uintptr_t)pa;

	if (blk->prev)
		blk->prev->next = blk->next;
	else
		b->free[order] = blk->next;
	if (blk->next)
		blk->next->prev = blk->prev;
}

/* Whether [start, end) touches an area's header, metadata or pages. */
static bool overlaps_area(struct buddy *b, uint64_t start, uint64_t end)
{
	for (struct buddy_area *a = b->areas; a; a = a->next)
		if (start < area_end(a) && (uint64_t)(uintptr_t)a < end)
			return true;
	return false;
}

/* Link `area` into the address-sorted list. */
static void insert_area(struct buddy *b, struct buddy_area *area)
{
	struct buddy_area **pos = &b->areas;

	while (*pos && (*pos)->base < area->base)
		pos = &(*pos)->next;
	area->next = *pos;
	*pos = area;
}

/* Free the area's pages as the largest naturally aligned blocks that fit. */
static void free_whole_area(struct buddy *b, struct buddy_area *a)
{
	uint64_t pfn = a->base >> BUDDY_PAGE_SHIFT;
	uint64_t end_pfn = pfn + a->pages;

	while (pfn < end_pfn) {
		unsigned order = MIN((unsigned)__builtin_ctzll(pfn), BUDDY_MAX_ORDER);

		while (pfn + (1ull << order) > end_pfn)
			order--;
		push_free(b, a, pfn << BUDDY_PAGE_SHIFT, order);
		pfn += 1ull << order;
	}
}

int buddy_add_range(struct buddy *b, uint64_t start, uint64_t end)
{
	struct buddy_area *area;
	uint64_t pages, meta_pages;

	if (start > end || end > BUDDY_PHYS_LIMIT)
		return -EINVAL;
	start = ALIGN_UP(start, BUDDY_PAGE_SIZE);
	end = ALIGN_DOWN(end, BUDDY_PAGE_SIZE);
	if (start >= end)
		return -ENOSPC;
	pages = (end - start) >> BUDDY_PAGE_SHIFT;
	meta_pages = (sizeof(*area) + pages + BUDDY_PAGE_SIZE - 1) >> BUDDY_PAGE_SHIFT;
	if (pages <= meta_pages)
		return -ENOSPC;

	spin_lock(&b->lock);
	if (overlaps_area(b, start, end)) {
		spin_unlock(&b->lock);
		return -EINVAL;
	}
	area = (struct buddy_area *)(uintptr_t)start;
	area->base = start + meta_pages * BUDDY_PAGE_SIZE;
	area->pages = pages - meta_pages;
	memset(area->page, 0, area->pages * sizeof(area->page[0]));
	insert_area(b, area);
	free_whole_area(b, area);
	b->free_pages += area->pages;
	b->managed_pages += area->pages;
	spin_unlock(&b->lock);
	return 0;
}

uint64_t buddy_alloc(struct buddy *b, unsigned order)
{
	struct buddy_area *area;
	unsigned avail = order;
	uint64_t pa;

	if (order > BUDDY_MAX_ORDER)
		return 0;
	spin_lock(&b->lock);
	while (avail <= BUDDY_MAX_ORDER && !b->free[avail])
		avail++;
	if (avail > BUDDY_MAX_ORDER) {
		spin_unlock(&b->lock);
		return 0;
	}
	pa = (uint64_t)(uintptr_t)b->free[avail];
	unlink_free(b, pa, avail);
	area = find_area(b, pa);
	while (avail > order) {
		avail--;
		push_free(b, area, pa + block_bytes(avail), avail);
	}
	*page_of(area, pa) = (struct buddy_page){ .order = order, .state = PAGE_USED_HEAD };
	b->free_pages -= 1ull << order;
	spin_unlock(&b->lock);
	return pa;
}

/* Return the allocated block at `pa` to the free lists, merging it with its
 * buddy as long as the buddy is a free block of the same order. */
static void release_block(struct buddy *b, struct buddy_area *a, uint64_t pa,
			  unsigned order)
{
	b->free_pages += 1ull << order;
	*page_of(a, pa) = (struct buddy_page){ .state = PAGE_INSIDE };
	while (order < BUDDY_MAX_ORDER) {
		uint64_t buddy = pa ^ block_bytes(order);
		struct buddy_page *bp;

		if (buddy < a->base || buddy >= area_end(a))
			break;
		bp = page_of(a, buddy);
		if (bp->state != PAGE_FREE_HEAD || bp->order != order)
			break;
		unlink_free(b, buddy, order);
		*bp = (struct buddy_page){ .state = PAGE_INSIDE };
		pa = MIN(pa, buddy);
		order++;
	}
	push_free(b, a, pa, order);
}

enum free_check {
	FREE_OK,
	FREE_BAD_ORDER,
	FREE_UNALIGNED,
	FREE_UNMANAGED,
	FREE_ALREADY_FREE,
	FREE_NOT_A_BLOCK,
	FREE_WRONG_ORDER,
};

/* Why freeing (pa, order) would be wrong, FREE_OK when it is a block that
 * buddy_alloc(b, order) handed out. Sets *area and *alloc_order for it. */
static enum free_check check_free(struct buddy *b, uint64_t pa, unsigned order,
				  struct buddy_area **area, unsigned *alloc_order)
{
	struct buddy_page *page;

	if (order > BUDDY_MAX_ORDER)
		return FREE_BAD_ORDER;
	if (!IS_ALIGNED(pa, block_bytes(order)))
		return FREE_UNALIGNED;
	*area = find_area(b, pa);
	if (!*area)
		return FREE_UNMANAGED;
	page = page_of(*area, pa);
	*alloc_order = page->order;
	if (page->state == PAGE_FREE_HEAD)
		return FREE_ALREADY_FREE;
	if (page->state != PAGE_USED_HEAD)
		return FREE_NOT_A_BLOCK;
	if (page->order != order)
		return FREE_WRONG_ORDER;
	return FREE_OK;
}

int buddy_free(struct buddy *b, uint64_t pa, unsigned order)
{
	static const char *const reason[] = {
		[FREE_BAD_ORDER] = "order out of range",
		[FREE_UNALIGNED] = "address not aligned to the block size",
		[FREE_UNMANAGED] = "address not managed by this allocator",
		[FREE_ALREADY_FREE] = "double free",
		[FREE_NOT_A_BLOCK] = "not the start of an allocated block (double free or interior address)",
		[FREE_WRONG_ORDER] = "wrong order",
	};
	struct buddy_area *area = NULL;
	unsigned alloc_order = 0;
	enum free_check err;

	spin_lock(&b->lock);
	err = check_free(b, pa, order, &area, &alloc_order);
	if (err == FREE_OK)
		release_block(b, area, pa, order);
	spin_unlock(&b->lock);
	if (err == FREE_OK)
		return 0;
	if (err == FREE_WRONG_ORDER)
		log_error("buddy: free of %#llx order %u: %s (allocated as order %u)",
			  (unsigned long long)pa, order, reason[err], alloc_order);
	else
		log_error("buddy: free of %#llx order %u: %s",
			  (unsigned long long)pa, order, reason[err]);
	return -EINVAL;
}

uint64_t buddy_free_pages(struct buddy *b)
{
	uint64_t pages;

	spin_lock(&b->lock);
	pages = b->free_pages;
	spin_unlock(&b->lock);
	return pages;
}

uint64_t buddy_managed_pages(struct buddy *b)
{
	uint64_t pages;

	spin_lock(&b->lock);
	pages = b->managed_pages;
	spin_unlock(&b->lock);
	return pages;
}
