/*
 * A compute-and-memory workload for the bare/virtualized ratio: shuffle a
 * 4 MiB array (a random walk over RAM), then check it is still a permutation
 * and its sum of squares. Prints bench: workload_cycles=N.
 */
#include "guests/lib/boot.h"
#include "guests/lib/div64.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"

const char guest_name[] = "workload";

#define WORDS	(1u << 20)	/* 4 MiB of uint32_t */
#define SEED	0x2545f491u

static uint32_t words[WORDS];
static uint32_t seen[WORDS / 32];

/* xorshift32: a fast, deterministic pseudo-random sequence. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* Fills words with 0..WORDS-1 and shuffles them (Fisher-Yates). */
static void shuffle(void)
{
	uint32_t state = SEED;

	for (uint32_t i = 0; i < WORDS; i++)
		words[i] = i;
	for (uint32_t i = WORDS - 1; i > 0; i--) {
		uint32_t j = next_random(&state) % (i + 1), t = words[i];

		words[i] = words[j];
		words[j] = t;
	}
}

/* Returns how many values are out of range or repeated. */
static uint32_t count_non_permutation(void)
{
	uint32_t bad = 0;

	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < WORDS; i++) {
		uint32_t v = words[i];

		if (v >= WORDS || (seen[v / 32] & (1u << (v % 32))))
			bad++;
		else
			seen[v / 32] |= 1u << (v % 32);
	}
	return bad;
}

static uint64_t sum_of_squares(void)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < WORDS; i++)
		sum += (uint64_t)words[i] * words[i];
	return sum;
}

void guest_main(const struct boot_info *bi)
{
	/* 0^2 + ... + (n-1)^2 = (n-1)n(2n-1)/6 */
	const uint64_t n = WORDS, want = div_u64((n - 1) * n * (2 * n - 1), 6);
	uint64_t t0 = rdtsc(), sum;
	uint32_t bad;

	shuffle();
	bad = count_non_permutation();
	sum = sum_of_squares();
	kprintf("bench: workload_cycles=%llu\n", rdtsc() - t0);
	check(bad == 0, "shuffled %u words: %u not a permutation", WORDS, bad);
	check(sum == want, "sum of squares %llu (want %llu)", sum, want);
}
