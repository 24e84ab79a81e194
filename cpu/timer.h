/* Per-CPU timers: each CPU keeps its armed timers in a queue sorted by TSC
 * deadline and programs its local APIC timer for the earliest one (and for
 * whatever extra deadline its scheduler passes, such as the end of a time
 * slice). The interrupt itself only ends a halt or a guest's run; expired
 * timers run from timers_run(), in the caller's context, never inside an
 * interrupt handler, so a callback may take any lock its caller could. */
#pragma once

#include "lib/compiler.h"

/* The host interrupt vector of the timer. */
#define TIMER_VECTOR	0xef

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	uint64_t deadline;	/* TSC; meaningful while queued */
	timer_fn fn;
	struct timer *next;
	int cpu;		/* whose queue holds it; -1: none */
};

/* Make `t` an unarmed timer that calls fn(t) when it expires. */
void timer_init(struct timer *t, timer_fn fn);

/* (Re)arm `t` for `deadline` on this CPU's queue, taking it off any other
 * queue first. fn may still run once for an expiry that raced with this
 * call on another CPU: callbacks check their own state. */
void timer_arm(struct timer *t, uint64_t deadline);

/* Take `t` off its queue, if queued. */
void timer_cancel(struct timer *t);

/* timer_cancel(), then wait until no CPU runs fn(t) any more: after it,
 * `t` may be freed. */
void timer_cancel_sync(struct timer *t);

/* Whether `t` is queued now. */
bool timer_armed(const struct timer *t);

/* Run this CPU's timers whose deadline has passed, earliest first; each
 * is off the queue (and may re-arm itself) when its fn runs. */
void timers_run(void);

/* The earliest deadline among this CPU's timers, or UINT64_MAX. */
uint64_t timers_next_deadline(void);

/* Program this CPU's APIC timer for min(earliest timer, `extra`)
 * (UINT64_MAX: no extra deadline), skipping the write when unchanged. */
void timers_program(uint64_t extra);

/* Route the timer vector and set up this CPU's APIC timer; call on each
 * CPU after lapic_init(), the boot CPU first. */
void timers_init_cpu(void);
