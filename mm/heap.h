/* The heap behind newlib's malloc: one physically contiguous block taken
 * from pmm at boot, handed out through _sbrk(). */
#pragma once

#include "lib/compiler.h"

#define HEAP_MIN_BYTES	MiB(2)
#define HEAP_MAX_BYTES	MiB(64)

/* Heap size for a machine whose allocator manages `ram_bytes`: a 16th of
 * it, clamped to [HEAP_MIN_BYTES, HEAP_MAX_BYTES]. */
uint64_t heap_default_bytes(uint64_t ram_bytes);

/* Reserve the heap after pmm_init(): the largest power-of-two block of at
 * most `max_bytes` (and at least HEAP_MIN_BYTES) that pmm can supply.
 * Returns 0, -EINVAL when called twice or -ENOMEM. */
int heap_init(uint64_t max_bytes);

/* Bytes malloc has taken from the heap so far (the break's offset). */
uint64_t heap_used_bytes(void);

/* Bytes the heap holds in all. */
uint64_t heap_size_bytes(void);
