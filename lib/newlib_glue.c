/* The OS hooks newlib's libc needs from the hypervisor. The parts of libc
 * the hypervisor uses (string.h, ctype.h, strtoul & co., qsort, bsearch,
 * the malloc family and the snprintf family) call only two: _sbrk, which
 * mm/heap.c provides, and the malloc lock below. libc itself supplies errno.
 * Anything needing more (printf, puts, assert, abort, exit) fails to link
 * on purpose: use log_*() and panic(). See docs/newlib.md. */
#include <malloc.h>

#include "lib/compiler.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "lib/spinlock.h"

#define NO_CPU (~0u)

/* One heap for all CPUs. newlib's malloc re-enters its own lock (realloc
 * and memalign call malloc while holding it), so the lock is recursive:
 * the owning CPU may take it again. The hypervisor is not preemptible, so
 * a CPU id names the holder; never call malloc from an NMI handler. */
static struct spinlock malloc_spinlock = SPINLOCK_INIT;
static unsigned malloc_owner = NO_CPU;	/* cpu_id() of the holder */
static unsigned malloc_depth;		/* acquisitions by the holder */

/* Called by newlib before it touches the heap; may nest on one CPU. */
void __malloc_lock(struct _reent *reent)
{
	unsigned cpu = cpu_id();

	/* Only this CPU ever stores its own id here, so the unlocked read
	 * cannot see it unless this CPU already holds the lock. */
	if (__atomic_load_n(&malloc_owner, __ATOMIC_RELAXED) != cpu) {
		spin_lock(&malloc_spinlock);
		__atomic_store_n(&malloc_owner, cpu, __ATOMIC_RELAXED);
	}
	malloc_depth++;
}

/* Undo one __malloc_lock(); the last one releases the heap to other CPUs. */
void __malloc_unlock(struct _reent *reent)
{
	unsigned cpu = cpu_id();

	if (__atomic_load_n(&malloc_owner, __ATOMIC_RELAXED) != cpu)
		panic("malloc lock released by CPU %u, which does not hold it", cpu);
	if (--malloc_depth == 0) {
		__atomic_store_n(&malloc_owner, NO_CPU, __ATOMIC_RELAXED);
		spin_unlock(&malloc_spinlock);
	}
}
