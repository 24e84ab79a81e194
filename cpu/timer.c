/* Per-CPU timer queues (cpu/timer.h): sorted singly linked lists, each
 * under its own lock because a timer may be cancelled or moved from
 * another CPU (a device timer re-armed by a vCPU elsewhere). */
#include "cpu/idt.h"
#include "cpu/timer.h"
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"

#define NO_CPU (-1)

struct timer_queue {
	struct spinlock lock;
	struct timer *head;
	struct timer *running;		/* whose fn runs now, for timer_cancel_sync */
	uint64_t programmed;		/* the deadline the APIC timer holds; 0: none */
};

CPU_LOCAL(struct timer_queue, queue);

void timer_init(struct timer *t, timer_fn fn)
{
	*t = (struct timer){ .fn = fn, .cpu = NO_CPU };
}

/* Unlink `t` from `q` (lock held); false if it was not there. */
static bool queue_remove(struct timer_queue *q, struct timer *t)
{
	for (struct timer **p = &q->head; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			t->next = NULL;
			return true;
		}
	}
	return false;
}

/* Lock the queue `t` is on and take it off; returns with no lock held.
 * t->cpu may change under us (a re-arm elsewhere): retry until the queue
 * we locked is the one that holds it, or it is on none. */
void timer_cancel(struct timer *t)
{
	for (;;) {
		int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		struct timer_queue *q;

		if (cpu == NO_CPU)
			return;
		q = cpu_local_ptr(queue, cpu);
		spin_lock(&q->lock);
		if (t->cpu == cpu) {
			queue_remove(q, t);
			__atomic_store_n(&t->cpu, NO_CPU, __ATOMIC_RELEASE);
			spin_unlock(&q->lock);
			return;
		}
		spin_unlock(&q->lock);
	}
}

void timer_cancel_sync(struct timer *t)
{
	timer_cancel(t);
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		while (__atomic_load_n(&cpu_local_ptr(queue, cpu)->running, __ATOMIC_ACQUIRE) == t)
			cpu_relax();
}

bool timer_armed(const struct timer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE) != NO_CPU;
}

void timer_arm(struct timer *t, uint64_t deadline)
{
	struct timer_queue *q = this_cpu_ptr(queue);
	struct timer **p;

	timer_cancel(t);
	spin_lock(&q->lock);
	t->deadline = deadline;
	for (p = &q->head; *p && (*p)->deadline <= deadline; p = &(*p)->next)
		;
	t->next = *p;
	*p = t;
	__atomic_store_n(&t->cpu, (int)cpu_id(), __ATOMIC_RELEASE);
	spin_unlock(&q->lock);
}

void timers_run(void)
{
	struct timer_queue *q = this_cpu_ptr(queue);
	uint64_t now = tsc_now();

	for (;;) {
		struct timer *t;

		spin_lock(&q->lock);
		t = q->head;
		if (!t || t->deadline > now) {
			spin_unlock(&q->lock);
			return;
		}
		q->head = t->next;
		t->next = NULL;
		__atomic_store_n(&q->running, t, __ATOMIC_RELAXED);
		__atomic_store_n(&t->cpu, NO_CPU, __ATOMIC_RELEASE);
		spin_unlock(&q->lock);
		t->fn(t);
		__atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
	}
}

uint64_t timers_next_deadline(void)
{
	struct timer_queue *q = this_cpu_ptr(queue);
	uint64_t next;

	spin_lock(&q->lock);
	next = q->head ? q->head->deadline : UINT64_MAX;
	spin_unlock(&q->lock);
	return next;
}

void timers_program(uint64_t extra)
{
	struct timer_queue *q = this_cpu_ptr(queue);
	uint64_t deadline = MIN(timers_next_deadline(), extra);

	if (deadline == UINT64_MAX)
		deadline = 0;
	if (deadline == q->programmed)
		return;
	q->programmed = deadline;
	lapic_timer_set(deadline);
}

/* The interrupt only interrupts: timers_run() does the work. */
static void timer_interrupt(struct trap_frame *tf)
{
	this_cpu_ptr(queue)->programmed = 0;
	lapic_eoi();
}

void timers_init_cpu(void)
{
	if (cpu_id() == 0 && idt_set_handler(TIMER_VECTOR, timer_interrupt))
		panic("timer: vector %#x is taken", TIMER_VECTOR);
	this_cpu_ptr(queue)->lock = (struct spinlock)SPINLOCK_INIT;
	lapic_timer_init(TIMER_VECTOR);
}
