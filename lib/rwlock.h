/* Reader/writer spinlock with built-in ownership tracking, so code can assert
 * the lock mode it needs in every build (the MMU lock: vCPU faults read,
 * range zaps and memslot changes write). Writers have priority: a waiting
 * writer stops new readers. Not recursive in either mode. */
#pragma once

#include "lib/bug.h"
#include "lib/compiler.h"
#include "lib/cpu.h"
#include "lib/cpumask.h"
#include "lib/spinlock.h"

#define RWLOCK_WRITER		(1u << 31)	/* a writer holds the lock */
#define RWLOCK_WRITER_WAITS	(1u << 30)	/* a writer spins for it */
#define RWLOCK_READER_WAITS	(1u << 29)	/* a reader spins for it */
#define RWLOCK_READERS		(RWLOCK_READER_WAITS - 1)

struct rwlock {
	uint32_t state;			/* flag bits above + reader count */
	uint32_t writer;		/* cpu_id() + 1 of the holder, 0: none */
	struct cpumask read_held;	/* the CPUs that hold it shared */
};

#define RWLOCK_INIT { 0, 0, { { 0 } } }

static inline uint32_t rwlock_state(const struct rwlock *l)
{
	return __atomic_load_n(&l->state, __ATOMIC_ACQUIRE);
}

/* True when this CPU holds the lock exclusive. */
static inline bool rwlock_held_write(const struct rwlock *l)
{
	return __atomic_load_n(&l->writer, __ATOMIC_RELAXED) == cpu_id() + 1;
}

/* True when this CPU holds the lock in either mode. */
static inline bool rwlock_held(const struct rwlock *l)
{
	return cpumask_test(&l->read_held, cpu_id()) || rwlock_held_write(l);
}

/* Take the lock shared; spins while a writer holds or waits for it. */
static inline void read_lock(struct rwlock *l)
{
	unsigned cpu = cpu_id();
	uint32_t s;

	BUG_ON(cpumask_test(&l->read_held, cpu) || rwlock_held_write(l));
	for (;;) {
		s = rwlock_state(l);
		if (!(s & (RWLOCK_WRITER | RWLOCK_WRITER_WAITS))) {
			if (__atomic_compare_exchange_n(&l->state, &s, s + 1, false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (!(s & RWLOCK_READER_WAITS))
			__atomic_fetch_or(&l->state, RWLOCK_READER_WAITS, __ATOMIC_RELAXED);
		cpu_relax();
	}
	cpumask_set(&l->read_held, cpu);
}

/* Drop a shared hold taken by this CPU. */
static inline void read_unlock(struct rwlock *l)
{
	unsigned cpu = cpu_id();

	BUG_ON(!cpumask_test(&l->read_held, cpu));
	cpumask_clear(&l->read_held, cpu);
	__atomic_fetch_sub(&l->state, 1, __ATOMIC_RELEASE);
}

/* Take the lock exclusive; spins until every reader has left. */
static inline void write_lock(struct rwlock *l)
{
	uint32_t s;

	BUG_ON(rwlock_held(l));
	for (;;) {
		s = rwlock_state(l);
		if (!(s & (RWLOCK_WRITER | RWLOCK_READERS))) {
			if (__atomic_compare_exchange_n(&l->state, &s,
							RWLOCK_WRITER | (s & RWLOCK_READER_WAITS),
							false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (!(s & RWLOCK_WRITER_WAITS))
			__atomic_fetch_or(&l->state, RWLOCK_WRITER_WAITS, __ATOMIC_RELAXED);
		cpu_relax();
	}
	__atomic_store_n(&l->writer, cpu_id() + 1, __ATOMIC_RELAXED);
}

/* Drop the exclusive hold; waiting writers re-announce themselves. */
static inline void write_unlock(struct rwlock *l)
{
	BUG_ON(!rwlock_held_write(l));
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELAXED);
	__atomic_fetch_and(&l->state, ~(RWLOCK_WRITER | RWLOCK_READER_WAITS),
			   __ATOMIC_RELEASE);
}

/* True when another CPU spins for the lock: a long holder should yield. */
static inline bool rwlock_contended(const struct rwlock *l)
{
	return rwlock_state(l) & (RWLOCK_WRITER_WAITS | RWLOCK_READER_WAITS);
}
