/* The synthetic timers (TLFS "Synthetic Timers"): four per vCPU, counting
 * in reference time. A one-shot timer's COUNT is the absolute expiration
 * time, a periodic one's the period. An expiry posts HVMSG_TIMER_EXPIRED
 * to the timer's SINT (message mode) or raises its vector in the local
 * APIC (direct mode). Each is one host timer on the vCPU's CPU, armed
 * from its MSR writes and re-armed from its own callback there. */
#include <string.h>

#include "hv/dev/vlapic.h"
#include "hv/synic_state.h"
#include "hv/vm.h"
#include "lib/bug.h"

#define FIRST_VALID_VECTOR	16
/* The shortest period (50 us): shorter ones are stretched to it, as the
 * vLAPIC timer's are, so a guest cannot flood its CPU. */
#define STIMER_MIN_PERIOD	500u

static struct vm *stimer_vm(const struct stimer *t)
{
	return t->synic->vcpu->vm;
}

static uint64_t stimer_period(const struct stimer *t)
{
	return MAX(t->count, STIMER_MIN_PERIOD);
}

/* Arm the host timer for the reference time in t->expiration. */
static void stimer_arm(struct stimer *t)
{
	timer_arm(&t->timer, hyperv_ref_to_tsc(stimer_vm(t), t->expiration));
}

/* Start an enabled timer from its COUNT, as a write of CONFIG or COUNT
 * does; a COUNT of 0 has it wait for one (a guest writes CONFIG first). */
static void stimer_start(struct stimer *t)
{
	if (!(t->config & STIMER_ENABLE) || !t->count)
		return;
	if (t->config & STIMER_PERIODIC)
		t->expiration = hyperv_ref_time(stimer_vm(t)) + stimer_period(t);
	else
		t->expiration = t->count;
	stimer_arm(t);
}

static void stimer_stop(struct stimer *t)
{
	timer_cancel(&t->timer);
	t->pending = false;
}

/* The next expiry of a periodic timer that fired at t->expiration: the
 * next period even if past (non-lazy: missed expirations follow at once),
 * or the first period still ahead (lazy: missed ones are dropped). */
static void stimer_rearm_periodic(struct stimer *t, uint64_t now)
{
	uint64_t period = stimer_period(t);

	t->expiration += period;
	if ((t->config & STIMER_LAZY) && t->expiration <= now)
		t->expiration += (now - t->expiration) / period * period + period;
	stimer_arm(t);
}

/* Message or vector for the expiry of t->expiration; false when its slot
 * is busy (it stays pending until EOM). */
static bool stimer_notify(struct stimer *t, uint64_t now)
{
	struct hv_message msg = { .message_type = HVMSG_TIMER_EXPIRED };
	struct hv_timer_payload p = {
		.timer_index = t->index, .expiration_time = t->expiration, .delivery_time = now,
	};

	if (t->config & STIMER_DIRECT) {
		vlapic_set_irq(t->synic->vcpu->lapic,
			       (t->config & STIMER_VECTOR) >> STIMER_VECTOR_SHIFT, false);
		return true;
	}
	msg.payload_size = sizeof(p);
	memcpy(msg.payload, &p, sizeof(p));
	return synic_post_message(t->synic, (t->config & STIMER_SINTX) >> STIMER_SINTX_SHIFT,
				  &msg);
}

/* Deliver a pending expiry; once delivered, a periodic timer goes on and a
 * one-shot one disables itself. */
static void stimer_deliver(struct stimer *t)
{
	uint64_t now = hyperv_ref_time(stimer_vm(t));

	BUG_ON(!spin_is_locked(&t->synic->lock));
	if (!t->pending || !stimer_notify(t, now))
		return;
	t->pending = false;
	if (t->config & STIMER_PERIODIC)
		stimer_rearm_periodic(t, now);
	else
		t->config &= ~STIMER_ENABLE;
}

/* The host timer fired. One that raced with a reprogramming finds its
 * timer disabled, pending already, or not due yet, and leaves it so. */
static void stimer_expired(struct timer *timer)
{
	struct stimer *t = container_of(timer, struct stimer, timer);
	struct synic *s = t->synic;

	spin_lock(&s->lock);
	if ((t->config & STIMER_ENABLE) && !t->pending) {
		if (hyperv_ref_time(stimer_vm(t)) < t->expiration) {
			stimer_arm(t);
		} else {
			t->pending = true;
			stimer_deliver(t);
		}
	}
	spin_unlock(&s->lock);
}

void stimers_init(struct synic *s)
{
	for (unsigned i = 0; i < STIMER_COUNT; i++) {
		s->stimers[i] = (struct stimer){ .synic = s, .index = i };
		timer_init(&s->stimers[i].timer, stimer_expired);
	}
}

void stimers_stop(struct synic *s)
{
	for (unsigned i = 0; i < STIMER_COUNT; i++)
		timer_cancel_sync(&s->stimers[i].timer);
}

void stimers_retry(struct synic *s)
{
	for (unsigned i = 0; i < STIMER_COUNT; i++)
		stimer_deliver(&s->stimers[i]);
}

/* CONFIG: reserved bits clear, and a vector of 16 or above for an enabled
 * direct-mode timer. A message-mode timer on SINT 0 cannot be enabled. */
static bool stimer_config_write(struct stimer *t, uint64_t value)
{
	unsigned vector = (value & STIMER_VECTOR) >> STIMER_VECTOR_SHIFT;

	if ((value & ~STIMER_WRITABLE) ||
	    ((value & STIMER_DIRECT) && (value & STIMER_ENABLE) && vector < FIRST_VALID_VECTOR))
		return false;
	stimer_stop(t);
	if (!(value & STIMER_DIRECT) && !(value & STIMER_SINTX))
		value &= ~STIMER_ENABLE;
	t->config = value;
	stimer_start(t);
	return true;
}

/* COUNT: 0 disables the timer; otherwise AutoEnable enables it. */
static void stimer_count_write(struct stimer *t, uint64_t value)
{
	stimer_stop(t);
	t->count = value;
	if (!value)
		t->config &= ~STIMER_ENABLE;
	else if ((t->config & STIMER_AUTO_ENABLE) &&
		 ((t->config & STIMER_DIRECT) || (t->config & STIMER_SINTX)))
		t->config |= STIMER_ENABLE;
	stimer_start(t);
}

bool stimer_msr_read(struct synic *s, uint32_t msr, uint64_t *value)
{
	struct stimer *t = &s->stimers[(msr - HV_MSR_STIMER0_CONFIG) / 2];

	*value = (msr - HV_MSR_STIMER0_CONFIG) % 2 ? t->count : t->config;
	return true;
}

bool stimer_msr_write(struct synic *s, uint32_t msr, uint64_t value)
{
	struct stimer *t = &s->stimers[(msr - HV_MSR_STIMER0_CONFIG) / 2];

	if (!((msr - HV_MSR_STIMER0_CONFIG) % 2))
		return stimer_config_write(t, value);
	stimer_count_write(t, value);
	return true;
}
