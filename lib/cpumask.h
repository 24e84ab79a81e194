/* Sets of CPUs (by cpu_id()), updated atomically: which CPUs run a VM's
 * vCPUs now, which a flush must reach. */
#pragma once

#include "lib/compiler.h"
#include "lib/cpu.h"

#define CPUMASK_WORDS	((MAX_CPUS + 63) / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

static inline void cpumask_set(struct cpumask *m, unsigned cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1ull << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear(struct cpumask *m, unsigned cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1ull << (cpu % 64)), __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test(const struct cpumask *m, unsigned cpu)
{
	return __atomic_load_n(&m->bits[cpu / 64], __ATOMIC_SEQ_CST) & (1ull << (cpu % 64));
}
