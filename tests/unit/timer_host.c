/* Host stand-ins for cpu/timer.h and drivers/tsc.h (tests/unit/timer_host.h):
 * one queue of armed timers, run by host_tsc_advance_to(). Devices of
 * different VMs arm timers from several threads at once, so one lock
 * guards the queue (not held while a timer's function runs). */
#include <pthread.h>

#include "drivers/tsc.h"
#include "tests/unit/timer_host.h"

#define MAX_TIMERS 64

uint64_t tsc_khz = 1000000;	/* 1 GHz: one TSC tick per nanosecond */
static uint64_t clock_now;
static struct timer *armed[MAX_TIMERS];
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t tsc_now(void)
{
	return clock_now;
}

void host_tsc_set(uint64_t now)
{
	clock_now = now;
}

void timer_init(struct timer *t, timer_fn fn)
{
	*t = (struct timer){ .fn = fn, .cpu = -1 };
}

static void cancel_locked(struct timer *t)
{
	for (unsigned i = 0; i < MAX_TIMERS; i++)
		if (armed[i] == t)
			armed[i] = NULL;
	t->cpu = -1;
}

void timer_cancel(struct timer *t)
{
	pthread_mutex_lock(&queue_lock);
	cancel_locked(t);
	pthread_mutex_unlock(&queue_lock);
}

void timer_cancel_sync(struct timer *t)
{
	timer_cancel(t);
}

bool timer_armed(const struct timer *t)
{
	bool on;

	pthread_mutex_lock(&queue_lock);
	on = t->cpu != -1;
	pthread_mutex_unlock(&queue_lock);
	return on;
}

void timer_arm(struct timer *t, uint64_t deadline)
{
	pthread_mutex_lock(&queue_lock);
	cancel_locked(t);
	t->deadline = deadline;
	t->cpu = 0;
	for (unsigned i = 0; i < MAX_TIMERS; i++) {
		if (!armed[i]) {
			armed[i] = t;
			break;
		}
	}
	pthread_mutex_unlock(&queue_lock);
}

void host_tsc_advance_to(uint64_t now)
{
	clock_now = now;
	for (bool ran = true; ran;) {
		ran = false;
		for (unsigned i = 0; i < MAX_TIMERS; i++) {
			struct timer *t;

			pthread_mutex_lock(&queue_lock);
			t = armed[i];
			if (t && t->deadline <= now) {
				armed[i] = NULL;
				t->cpu = -1;
			} else {
				t = NULL;
			}
			pthread_mutex_unlock(&queue_lock);
			if (t) {
				t->fn(t);
				ran = true;
			}
		}
	}
}
