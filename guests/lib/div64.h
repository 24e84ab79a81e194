/* 64-bit division for guests built without libgcc (no __udivdi3 in i386). */
#pragma once

#include "lib/compiler.h"

/* Returns n / d and stores n % d in *rem; d must be nonzero. */
static inline uint64_t div_u64_rem(uint64_t n, uint32_t d, uint32_t *rem)
{
#ifdef __x86_64__
	*rem = (uint32_t)(n % d);
	return n / d;
#else
	/* Long division by halves: the high remainder (< d) keeps divl in range. */
	uint32_t hi = (uint32_t)(n >> 32), q_lo, r = hi % d;

	__asm__("divl %4" : "=a"(q_lo), "=d"(r) : "a"((uint32_t)n), "d"(r), "rm"(d));
	*rem = r;
	return ((uint64_t)(hi / d) << 32) | q_lo;
#endif
}

/* Returns n / d; d must be nonzero. */
static inline uint64_t div_u64(uint64_t n, uint32_t d)
{
	uint32_t rem;

	return div_u64_rem(n, d, &rem);
}
