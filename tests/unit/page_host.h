/* Host page_alloc_zeroed()/page_free() with instrumentation: every page
 * ever handed out is registered; freed pages are poisoned and kept
 * (quarantined) until page_host_reset(), so tests can tell live from freed
 * pages by address and catch frees that come too early. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Pages handed out and not freed. */
long page_host_live(void);

/* True when `p` is a page handed out and not yet freed. */
bool page_host_is_live(const void *p);

/* Make every allocation after the next `n` fail (n < 0: never fail). */
void page_host_fail_after(long n);

/* Flush epochs: tests bump the epoch on each TLB flush and mark the table
 * pages they find reachable. Freeing a page marked in the current epoch
 * means it was freed without a flush since it was last reachable. */
void page_host_flush(void);
void page_host_mark_reachable(const void *p);

/* Frees seen that had no flush since the page was last marked reachable. */
long page_host_early_frees(void);

/* Release quarantined memory and forget every page (live ones too). */
void page_host_reset(void);
