/* Quiescent-state-based RCU: see mm/rcu.h for the model.
 *
 * rcu_gp counts grace periods started. Each CPU publishes in qs_gp either 0
 * (RCU-idle) or the value of rcu_gp it saw at its last quiescent state. A
 * grace period `gp` is over once every CPU shows 0 or a value >= gp: that CPU
 * passed a quiescent state after the period started, so it dropped every
 * reference taken before. Starting a period is one atomic increment, so
 * concurrent updaters need no lock. */
#include "mm/rcu.h"

#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/spinlock.h"

struct rcu_cpu {
	uint64_t qs_gp;			/* 0: idle; else rcu_gp at last QS */
	unsigned read_depth;		/* rcu_read_lock() nesting */
	struct spinlock lock;		/* guards the callback queue */
	struct rcu_head *head;		/* callbacks, oldest first */
	struct rcu_head **tail;
	uint64_t queued;		/* callbacks queued so far */
	uint64_t done;			/* callbacks run so far */
} __aligned(64);

static uint64_t rcu_gp = 1;
CPU_LOCAL(struct rcu_cpu, cpu_rcu);

static struct rcu_cpu *this_rcu(void)
{
	return this_cpu_ptr(cpu_rcu);
}

static uint64_t cpu_qs_gp(const struct rcu_cpu *rc)
{
	return __atomic_load_n(&rc->qs_gp, __ATOMIC_ACQUIRE);
}

/* True when grace period `gp` is over for every online CPU. */
static bool rcu_gp_done(uint64_t gp)
{
	unsigned n = cpu_count();

	for (unsigned i = 0; i < n; i++) {
		uint64_t qs = cpu_qs_gp(cpu_local_ptr(cpu_rcu, i));

		if (qs && qs < gp)
			return false;
	}
	return true;
}

/* Start a new grace period after all of this CPU's earlier stores (the
 * unpublish of what it will free) and return its number. */
static uint64_t rcu_gp_start(void)
{
	return __atomic_add_fetch(&rcu_gp, 1, __ATOMIC_SEQ_CST);
}

/* Run the callbacks of `rc` whose grace period is over. Others' queues are
 * only touched by rcu_barrier(). */
static void rcu_run_ready(struct rcu_cpu *rc)
{
	struct rcu_head *ready = NULL, **ready_tail = &ready;
	uint64_t n = 0;

	spin_lock(&rc->lock);
	while (rc->head && rcu_gp_done(rc->head->gp)) {
		*ready_tail = rc->head;
		ready_tail = &rc->head->next;
		rc->head = rc->head->next;
		n++;
	}
	if (!rc->head)
		rc->tail = &rc->head;
	*ready_tail = NULL;
	spin_unlock(&rc->lock);

	if (!n)
		return;
	while (ready) {
		struct rcu_head *next = ready->next;

		ready->func(ready);
		ready = next;
	}
	__atomic_fetch_add(&rc->done, n, __ATOMIC_RELEASE);
}

void rcu_quiescent(void)
{
	struct rcu_cpu *rc = this_rcu();

	BUG_ON(rc->read_depth);
	if (rc->qs_gp)
		__atomic_store_n(&rc->qs_gp, __atomic_load_n(&rcu_gp, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
	rcu_run_ready(rc);
}

void rcu_idle_enter(void)
{
	struct rcu_cpu *rc = this_rcu();

	BUG_ON(rc->read_depth);
	__atomic_store_n(&rc->qs_gp, 0, __ATOMIC_RELEASE);
	rcu_run_ready(rc);
}

void rcu_idle_exit(void)
{
	struct rcu_cpu *rc = this_rcu();

	/* Sequentially consistent: an updater that starts a grace period must
	 * either see this CPU non-idle or be seen by its later reads. */
	__atomic_store_n(&rc->qs_gp, __atomic_load_n(&rcu_gp, __ATOMIC_ACQUIRE),
			 __ATOMIC_SEQ_CST);
}

bool rcu_is_idle(void)
{
	return !this_rcu()->qs_gp;
}

/* Count this CPU as idle while it waits for other CPUs, so that two CPUs
 * waiting at once never wait for each other. Returns what
 * rcu_wait_end() needs: whether the CPU was idle already. */
static bool rcu_wait_begin(void)
{
	struct rcu_cpu *rc = this_rcu();
	bool was_idle = !rc->qs_gp;

	BUG_ON(rc->read_depth);
	__atomic_store_n(&rc->qs_gp, 0, __ATOMIC_RELEASE);
	return was_idle;
}

/* End the wait rcu_wait_begin() started. */
static void rcu_wait_end(bool was_idle)
{
	if (!was_idle)
		rcu_idle_exit();
}

/* Spin until grace period `gp` is over. */
static void rcu_wait_gp(uint64_t gp)
{
	bool was_idle = rcu_wait_begin();

	while (!rcu_gp_done(gp))
		cpu_relax();
	rcu_wait_end(was_idle);
}

void synchronize_rcu(void)
{
	rcu_wait_gp(rcu_gp_start());
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	struct rcu_cpu *rc = this_rcu();

	head->func = func;
	head->next = NULL;
	head->gp = rcu_gp_start();
	spin_lock(&rc->lock);
	if (!rc->tail)
		rc->tail = &rc->head;
	*rc->tail = head;
	rc->tail = &head->next;
	rc->queued++;
	spin_unlock(&rc->lock);
}

/* CPU by CPU: what its queue held when the barrier got to it includes
 * everything queued before the barrier began; wait until that many
 * callbacks have run there, running the ready ones. The caller is idle
 * meanwhile, so the grace periods they wait for end without it. */
void rcu_barrier(void)
{
	bool was_idle = rcu_wait_begin();
	unsigned n = cpu_count();

	for (unsigned i = 0; i < n; i++) {
		struct rcu_cpu *rc = cpu_local_ptr(cpu_rcu, i);
		uint64_t queued;

		spin_lock(&rc->lock);
		queued = rc->queued;
		spin_unlock(&rc->lock);
		for (;;) {
			rcu_run_ready(rc);
			if (__atomic_load_n(&rc->done, __ATOMIC_ACQUIRE) >= queued)
				break;
			cpu_relax();
		}
	}
	rcu_wait_end(was_idle);
}

void rcu_read_lock(void)
{
	struct rcu_cpu *rc = this_rcu();

	BUG_ON(!rc->qs_gp);
	rc->read_depth++;
}

void rcu_read_unlock(void)
{
	struct rcu_cpu *rc = this_rcu();

	BUG_ON(!rc->read_depth);
	rc->read_depth--;
}

bool rcu_read_lock_held(void)
{
	return this_rcu()->read_depth > 0;
}
