/* The vLAPIC timer: one-shot and periodic modes count the initial count
 * down at the bus clock (VLAPIC_BUS_KHZ) divided by the divide
 * configuration; TSC-deadline mode fires when the guest's TSC reaches
 * IA32_TSC_DEADLINE. Each is one host timer (cpu/timer.h) on the vCPU's
 * CPU, armed when the guest programs the timer. */
#include "drivers/tsc.h"
#include "hv/dev/vlapic_regs.h"

static uint32_t timer_mode(const struct vlapic *l)
{
	return vlapic_get(l, APIC_LVT_TIMER) & APIC_LVT_TIMER_MODE;
}

/* Divide configuration: bits 3, 1:0 name 2, 4, ... 128, and 111 means 1. */
static unsigned timer_divisor(const struct vlapic *l)
{
	uint32_t dcr = vlapic_get(l, APIC_TIMER_DCR);
	unsigned code = (dcr & 3) | ((dcr >> 1) & 4);

	return code == 7 ? 1 : 2u << code;
}

/* Host TSC ticks for `count` timer ticks. */
static uint64_t ticks_to_tsc(const struct vlapic *l, uint64_t count)
{
	return count * timer_divisor(l) * READ_ONCE(tsc_khz) / VLAPIC_BUS_KHZ;
}

static void timer_stop(struct vlapic *l)
{
	timer_cancel(&l->timer);
	l->timer_deadline = 0;
}

/* The period in host TSC ticks, stretched to the minimum when periodic. */
static uint64_t timer_interval(const struct vlapic *l)
{
	uint64_t min_period = VLAPIC_MIN_PERIOD_NS * READ_ONCE(tsc_khz) / 1000000;

	if (timer_mode(l) == APIC_TIMER_PERIODIC)
		return MAX(l->timer_period, min_period);
	return l->timer_period;
}

void vlapic_timer_start(struct vlapic *l)
{
	uint32_t count = vlapic_get(l, APIC_TIMER_INIT);

	timer_stop(l);
	if (!count)
		return;
	l->timer_period = ticks_to_tsc(l, count);
	l->timer_deadline = tsc_now() + timer_interval(l);
	timer_arm(&l->timer, l->timer_deadline);
}

void vlapic_timer_reconfigure(struct vlapic *l, uint32_t old_lvt)
{
	bool was_deadline = (old_lvt & APIC_LVT_TIMER_MODE) == APIC_TIMER_DEADLINE;

	/* One-shot and periodic share the count; a switch into or out of
	 * TSC-deadline mode disarms the timer and clears both. */
	if (was_deadline == (timer_mode(l) == APIC_TIMER_DEADLINE))
		return;
	timer_stop(l);
	l->tsc_deadline = 0;
	*vlapic_reg(l, APIC_TIMER_INIT) = 0;
}

uint32_t vlapic_timer_current(const struct vlapic *l)
{
	uint64_t now = tsc_now(), khz = READ_ONCE(tsc_khz);

	if (timer_mode(l) == APIC_TIMER_DEADLINE || !l->timer_deadline ||
	    now >= l->timer_deadline || !khz)
		return 0;
	return (l->timer_deadline - now) * VLAPIC_BUS_KHZ / (khz * timer_divisor(l));
}

void vlapic_timer_set_deadline(struct vlapic *l, uint64_t guest_tsc)
{
	timer_stop(l);
	l->tsc_deadline = guest_tsc;
	if (!guest_tsc)
		return;
	l->timer_deadline = MAX(guest_tsc - l->tsc_offset, 1);
	timer_arm(&l->timer, l->timer_deadline);
}

void vlapic_set_tsc_offset(struct vlapic *l, int64_t tsc_offset)
{
	l->tsc_offset = tsc_offset;
	if (timer_mode(l) == APIC_TIMER_DEADLINE && l->tsc_deadline)
		vlapic_timer_set_deadline(l, l->tsc_deadline);	/* same guest TSC, new host time */
}

/* The host timer fired: raise the LVT timer vector (unless masked) and
 * re-arm a periodic timer one period after the last expiry (or after now,
 * if it fell behind). A callback for a timer stopped meanwhile does
 * nothing. */
void vlapic_timer_expired(struct timer *t)
{
	struct vlapic *l = container_of(t, struct vlapic, timer);
	uint32_t lvt = vlapic_get(l, APIC_LVT_TIMER);
	uint64_t now = tsc_now();

	if (!l->timer_deadline || now < l->timer_deadline)
		return;
	if (timer_mode(l) == APIC_TIMER_PERIODIC) {
		l->timer_deadline += timer_interval(l);
		if (l->timer_deadline <= now)
			l->timer_deadline = now + timer_interval(l);
		timer_arm(&l->timer, l->timer_deadline);
	} else {
		l->timer_deadline = 0;
		l->tsc_deadline = 0;
	}
	if (!(lvt & APIC_LVT_MASKED))
		vlapic_set_irq(l, lvt & APIC_VECTOR_MASK, false);
}
