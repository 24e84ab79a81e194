/* Instrumented host page allocator; see tests/unit/page_host.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bug.h"
#include "mm/page.h"
#include "tests/unit/page_host.h"

#define REGISTRY_SLOTS	(1u << 18)
#define POISON		0xdb

struct page_entry {
	void *page;
	bool live;
	bool marked;		/* reachable seen at least once */
	uint64_t seen_epoch;	/* epoch when last seen reachable */
};

static struct page_entry registry[REGISTRY_SLOTS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static long live_pages, early_frees, fail_after = -1;
static uint64_t flush_epoch;

/* The registry entry for `p` (open addressing); a free entry if absent. */
static struct page_entry *lookup(const void *p)
{
	uint32_t i = (uint32_t)(((uintptr_t)p >> 12) * 0x9e3779b1u) % REGISTRY_SLOTS;

	while (registry[i].page && registry[i].page != p)
		i = (i + 1) % REGISTRY_SLOTS;
	return &registry[i];
}

void *page_alloc_zeroed(void)
{
	void *p = NULL;
	struct page_entry *e;

	pthread_mutex_lock(&registry_lock);
	if (fail_after != 0) {
		if (fail_after > 0)
			fail_after--;
		p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
		BUG_ON(!p);
		memset(p, 0, PAGE_SIZE);
		e = lookup(p);
		BUG_ON(e->page);	/* quarantine: addresses are never reused */
		*e = (struct page_entry){ .page = p, .live = true };
		live_pages++;
	}
	pthread_mutex_unlock(&registry_lock);
	return p;
}

void page_free(void *page)
{
	struct page_entry *e;

	pthread_mutex_lock(&registry_lock);
	e = lookup(page);
	BUG_ON(e->page != page || !e->live);	/* double or foreign free */
	if (e->marked && e->seen_epoch == flush_epoch)
		early_frees++;
	e->live = false;
	memset(page, POISON, PAGE_SIZE);
	live_pages--;
	pthread_mutex_unlock(&registry_lock);
}

long page_host_live(void)
{
	long n;

	pthread_mutex_lock(&registry_lock);
	n = live_pages;
	pthread_mutex_unlock(&registry_lock);
	return n;
}

bool page_host_is_live(const void *p)
{
	bool live;

	pthread_mutex_lock(&registry_lock);
	live = lookup(p)->live;
	pthread_mutex_unlock(&registry_lock);
	return live;
}

void page_host_fail_after(long n)
{
	pthread_mutex_lock(&registry_lock);
	fail_after = n;
	pthread_mutex_unlock(&registry_lock);
}

void page_host_flush(void)
{
	pthread_mutex_lock(&registry_lock);
	flush_epoch++;
	pthread_mutex_unlock(&registry_lock);
}

void page_host_mark_reachable(const void *p)
{
	struct page_entry *e;

	pthread_mutex_lock(&registry_lock);
	e = lookup(p);
	if (e->page) {
		e->marked = true;
		e->seen_epoch = flush_epoch;
	}
	pthread_mutex_unlock(&registry_lock);
}

long page_host_early_frees(void)
{
	long n;

	pthread_mutex_lock(&registry_lock);
	n = early_frees;
	pthread_mutex_unlock(&registry_lock);
	return n;
}

void page_host_reset(void)
{
	pthread_mutex_lock(&registry_lock);
	for (uint32_t i = 0; i < REGISTRY_SLOTS; i++) {
		if (registry[i].page)
			free(registry[i].page);
		registry[i] = (struct page_entry){ 0 };
	}
	live_pages = 0;
	early_frees = 0;
	fail_after = -1;
	pthread_mutex_unlock(&registry_lock);
}
