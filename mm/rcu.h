/* Quiescent-state-based RCU for a non-preemptible hypervisor.
 *
 * A CPU never blocks or is preempted inside hypervisor code, so the moment it
 * reports a quiescent state (at each VM entry, in its run loop, when idle) it
 * holds no reference to RCU-protected data. A grace period ends once every
 * CPU that is not RCU-idle has reported a quiescent state after it started.
 *
 * Every CPU starts RCU-idle and calls rcu_idle_exit() when it begins to run
 * hypervisor work. Callbacks queued with call_rcu() run on the CPU that
 * queued them, from its rcu_quiescent()/rcu_idle_enter() calls once their
 * grace period is over, or from anyone's rcu_barrier().
 *
 * Never wait for a grace period (synchronize_rcu, rcu_barrier) while holding
 * a lock that other CPUs spin on before their next quiescent state (the MMU
 * lock): use call_rcu() there. */
#pragma once

#include "lib/bug.h"
#include "lib/compiler.h"

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	uint64_t gp;		/* grace period that must end before func runs */
};

/* Report that this CPU holds no RCU references, then run its callbacks whose
 * grace period has ended. Must not be called inside a read section. */
void rcu_quiescent(void);

/* This CPU goes idle (or offline): grace periods stop waiting for it. */
void rcu_idle_enter(void);

/* This CPU leaves idle and may take RCU references again. */
void rcu_idle_exit(void);

/* True while this CPU is RCU-idle. */
bool rcu_is_idle(void);

/* Wait until every read section that might be running on another CPU has
 * ended. */
void synchronize_rcu(void);

/* Run func(head) on this CPU after a grace period. */
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));

/* Wait until every callback queued (by any CPU) before the call has run. */
void rcu_barrier(void);

/* Read sections cost nothing under QSBR; these only count nesting so code can
 * assert it is inside one and rcu_quiescent() can catch a misplaced call. */
void rcu_read_lock(void);
void rcu_read_unlock(void);
bool rcu_read_lock_held(void);

/* Load an RCU-protected pointer inside a read section; pairs with the
 * release in rcu_assign_pointer() so the pointee's contents are visible. */
#define rcu_dereference(p)						\
	({								\
		BUG_ON(!rcu_read_lock_held());			\
		__atomic_load_n(&(p), __ATOMIC_ACQUIRE);		\
	})

/* Load an RCU-protected pointer where updates are excluded by `held` (the
 * update-side lock) instead of a read section. */
#define rcu_dereference_protected(p, held)				\
	({								\
		BUG_ON(!(held));					\
		__atomic_load_n(&(p), __ATOMIC_RELAXED);		\
	})

/* Publish `v` at `p`: everything written to *v before is visible to readers
 * that rcu_dereference() the new value. */
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
