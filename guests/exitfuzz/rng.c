/* The fuzzer's random source: xorshift64* (Marsaglia's shifts, Vigna's
 * multiplier), 32-bit outputs from the high half. No division by 64-bit
 * numbers: the guests have no libgcc. */
#include "guests/exitfuzz/fuzz.h"

static uint64_t state;

void rng_seed(uint32_t seed)
{
	/* Spread the seed over all 64 bits; the state must never be 0. */
	state = ((uint64_t)seed << 32 | (seed ^ 0x9e3779b9u)) * 0x9e3779b97f4a7c15ull | 1;
	for (unsigned i = 0; i < 8; i++)
		rng32();
}

uint32_t rng32(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}

uint64_t rng64(void)
{
	uint64_t hi = rng32();

	return hi << 32 | rng32();
}

uint32_t rng_below(uint32_t n)
{
	return rng32() % n;
}

bool rng_one_in(uint32_t n)
{
	return rng_below(n) == 0;
}

uint32_t rng_pick(const uint32_t *set, unsigned n)
{
	return set[rng_below(n)];
}
