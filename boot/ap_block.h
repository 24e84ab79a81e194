/* What each AP brings up with: one block of pages holding its stack, its
 * struct percpu and its copy of the CPU-local variables, allocated at boot
 * for the APs the machine has and for no other CPU slot. */
#pragma once

#include "cpu/percpu.h"
#include "lib/compiler.h"

/* The id of a block's percpu until the boot CPU numbers its AP. */
#define AP_BLOCK_UNNUMBERED	(~0u)

/* A zeroed block, its stack_top set and its id AP_BLOCK_UNNUMBERED, or
 * NULL when memory is short. */
struct percpu *ap_block_alloc(void);

/* The CPU-local area inside the block of `pc` (cpu_local_install()'s). */
void *ap_block_cpu_local(struct percpu *pc);

/* Give back a block no CPU took. */
void ap_block_free(struct percpu *pc);

/* The bytes one block takes from the page allocator. */
size_t ap_block_bytes(void);
