/*
 * The local APIC timer from inside, measured against the TSC: one-shot
 * (and its current count), periodic, the divide configuration, TSC-deadline
 * (and its disarm), and HLT ending on the timer's interrupt; then the
 * delivery latency of TSC-deadline interrupts is measured (a figure). An interrupt
 * must never come early; how late it may come is generous (slack=MS,
 * default 200), since the vCPU may share its CPU with others.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "timer";

#define VEC_TIMER	0x50
#define LATENCY_SHOTS	20

static volatile unsigned ticks;
static volatile uint64_t tick_tsc[16], last_tick_tsc;
static uint32_t slack_ms;

static void timer_irq(struct trap_frame *f)
{
	last_tick_tsc = rdtsc();
	if (ticks < 16)
		tick_tsc[ticks] = last_tick_tsc;
	ticks++;
	apic_eoi();
}

/* Microseconds from `t0` to `t1` on the TSC. */
static uint32_t elapsed_us(uint64_t t0, uint64_t t1)
{
	return (uint32_t)div_u64((t1 - t0) * 1000, (uint32_t)tsc_khz());
}

/* HLT with interrupts on until `n` ticks arrived (or the slack ran out:
 * each HLT ends with the next tick, so the timer must be running). */
static void wait_ticks(unsigned n, uint64_t t0, uint32_t limit_us)
{
	while (ticks < n && elapsed_us(t0, rdtsc()) < limit_us)
		__asm__ volatile("sti; hlt; cli");
}

/* Spin with interrupts on for `us` microseconds (no HLT: nothing may come). */
static void spin_open(uint32_t us)
{
	uint64_t t0 = rdtsc();

	__asm__ volatile("sti");
	while (elapsed_us(t0, rdtsc()) < us)
		;
	__asm__ volatile("cli");
}

static bool in_window(uint32_t us, uint32_t want_us)
{
	return us >= want_us && us <= want_us + slack_ms * 1000;
}

static void check_oneshot(void)
{
	uint32_t count = (uint32_t)(apic_timer_khz() * 10), cur;	/* 10 ms */
	uint64_t t0;

	ticks = 0;
	apic_write(APIC_TIMER_DCR, 0xb);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	t0 = rdtsc();
	apic_write(APIC_TIMER_INIT, count);
	cur = apic_read(APIC_TIMER_CUR);
	wait_ticks(1, t0, 10000 + slack_ms * 1000);
	check(ticks == 1 && in_window(elapsed_us(t0, tick_tsc[0]), 10000) && cur < count &&
	      apic_read(APIC_TIMER_CUR) == 0,
	      "one-shot 10 ms: %u interrupt after %u us, current count %u then %u", ticks,
	      elapsed_us(t0, tick_tsc[0]), cur, apic_read(APIC_TIMER_CUR));
}

static void check_periodic(void)
{
	uint32_t count = (uint32_t)(apic_timer_khz() * 5) / 16;	/* 5 ms, divided by 16 */
	uint64_t t0;
	bool spaced = true;

	ticks = 0;
	apic_write(APIC_TIMER_DCR, 0x3);				/* divide by 16 */
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | VEC_TIMER);
	t0 = rdtsc();
	apic_write(APIC_TIMER_INIT, count);
	wait_ticks(10, t0, 50000 + slack_ms * 1000);
	apic_write(APIC_TIMER_INIT, 0);
	for (unsigned i = 0; i < 10; i++)
		spaced &= elapsed_us(t0, tick_tsc[i]) >= (i + 1) * 5000 - 50;
	check(ticks >= 10 && spaced && in_window(elapsed_us(t0, tick_tsc[9]), 50000 - 50),
	      "periodic 5 ms (divide by 16): tick 10 after %u us, none early",
	      elapsed_us(t0, tick_tsc[9]));
}

static void check_tsc_deadline(void)
{
	uint64_t start, deadline, after;

	if (!(cpuid(1, 0).ecx & (1u << 24))) {
		fail("CPUID does not offer TSC-deadline");
		return;
	}
	ticks = 0;
	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | VEC_TIMER);
	start = rdtsc();
	deadline = start + tsc_khz() * 10;
	wrmsr(MSR_TSC_DEADLINE_NR, deadline);
	wait_ticks(1, start, 10000 + slack_ms * 1000);
	after = rdmsr(MSR_TSC_DEADLINE_NR);
	/* Disarmed by writing 0: nothing within 20 ms. */
	wrmsr(MSR_TSC_DEADLINE_NR, rdtsc() + tsc_khz() * 5);
	wrmsr(MSR_TSC_DEADLINE_NR, 0);
	spin_open(20000);
	check(ticks == 1 && tick_tsc[0] >= deadline &&
	      in_window(elapsed_us(start, tick_tsc[0]), 10000) && after == 0,
	      "TSC deadline 10 ms: %u interrupt after %u us, MSR %llu after it, none once disarmed",
	      ticks, elapsed_us(start, tick_tsc[0]), (unsigned long long)after);
}

static void check_hlt_wakeup(void)
{
	uint64_t t0;

	ticks = 0;
	apic_write(APIC_TIMER_DCR, 0xb);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	t0 = rdtsc();
	apic_write(APIC_TIMER_INIT, (uint32_t)(apic_timer_khz() * 5));
	__asm__ volatile("sti; hlt; cli");
	check(ticks == 1 && elapsed_us(t0, rdtsc()) >= 5000,
	      "HLT ends with the timer's interrupt after %u us", elapsed_us(t0, rdtsc()));
}

/* TSC-deadline shots 1 ms apart, each waited for in HLT: how long after
 * its deadline each interrupt reached the guest (none may be early). */
static void bench_latency(void)
{
	uint64_t sum = 0, worst = 0;
	unsigned early = 0, got = 0;

	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | VEC_TIMER);
	for (unsigned i = 0; i < LATENCY_SHOTS; i++) {
		uint64_t deadline = rdtsc() + tsc_khz();
		unsigned want = ticks + 1;

		wrmsr(MSR_TSC_DEADLINE_NR, deadline);
		wait_ticks(want, deadline - tsc_khz(), 1000 + slack_ms * 1000);
		if (ticks != want)
			break;
		got++;
		early += last_tick_tsc < deadline;
		sum += last_tick_tsc - deadline;
		if (last_tick_tsc - deadline > worst)
			worst = last_tick_tsc - deadline;
	}
	check(got == LATENCY_SHOTS && !early, "%u of %u TSC-deadline shots, %u early", got,
	      LATENCY_SHOTS, early);
	kprintf("bench: timer_latency_cycles=%llu timer_latency_max_cycles=%llu\n",
		(unsigned long long)(got ? div_u64(sum, got) : 0), (unsigned long long)worst);
}

void guest_main(const struct boot_info *bi)
{
	slack_ms = cmdline_number(bi->cmdline, "slack", 200);
	trap_set_handler(VEC_TIMER, timer_irq);
	apic_enable(false);
	check(tsc_khz() && apic_timer_khz(), "clocks: TSC %llu kHz, APIC timer %llu kHz",
	      (unsigned long long)tsc_khz(), (unsigned long long)apic_timer_khz());
	check_oneshot();
	check_periodic();
	check_tsc_deadline();
	check_hlt_wakeup();
	bench_latency();
}
