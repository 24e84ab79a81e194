/* After a panic's report (boot/panic.h). The first CPU to panic makes the
 * rest of the report and decides the machine's fate; a CPU that panics
 * meanwhile only halts. The traces are printed before the other CPUs are
 * stopped, so that each one's last exit is what it was doing, not the
 * interrupt that stopped it. */
#include "boot/options.h"
#include "boot/panic.h"
#include "cpu/idt.h"
#include "cpu/percpu.h"
#include "cpu/timer.h"
#include "drivers/lapic.h"
#include "drivers/power.h"
#include "drivers/reset.h"
#include "drivers/tsc.h"
#include "hv/exit_trace.h"
#include "lib/cpu.h"
#include "lib/log.h"

#define NO_CPU			(~0u)
#define PANIC_OWN_EXITS		16	/* of the panicking CPU's ring */
#define SELFTEST_DELAY_MS	1000

static unsigned panic_cpu = NO_CPU;	/* atomic: the first CPU to panic */
static struct timer selftest_timer;

static void stop_interrupt(struct trap_frame *tf)
{
	cpu_halt_forever();
}

void panic_init(void)
{
	if (idt_set_handler(PANIC_STOP_VECTOR, stop_interrupt))
		log_warn("panic: vector %#x is taken: a panic will not stop the other CPUs",
			 PANIC_STOP_VECTOR);
}

static void print_trace_line(void *ctx, const char *line)
{
	log_error("%s", line);
}

/* This CPU's newest exits, then each other CPU's last one; nothing for a
 * CPU without a ring (a panic at boot has none at all). */
static void dump_exit_traces(unsigned me)
{
	if (exit_trace_ring(me))
		exit_trace_print(me, PANIC_OWN_EXITS, print_trace_line, NULL);
	for (unsigned cpu = 0; exit_trace_ring(cpu); cpu++)
		if (cpu != me)
			exit_trace_print(cpu, 1, print_trace_line, NULL);
}

/* A stop IPI to every other online CPU. One in a guest exits and takes
 * it at its next interrupt window; one spinning with interrupts off (on
 * a lock this CPU holds) is as good as stopped. */
static void stop_other_cpus(unsigned me)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		const struct percpu *pc = percpu_blocks[cpu];

		if (cpu != me && pc && READ_ONCE(pc->online))
			lapic_send_ipi(pc->apic_id, PANIC_STOP_VECTOR);
	}
}

static __noreturn void panic_act(void)
{
	if (hv_options.panic == PANIC_POWEROFF)
		power_off();
	if (hv_options.panic == PANIC_REBOOT)
		machine_reset();
	log_error("hv: halted after the panic");
	cpu_halt_forever();
}

void panic_finish(void)
{
	unsigned me = cpu_id(), first = NO_CPU;

	if (!__atomic_compare_exchange_n(&panic_cpu, &first, me, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		if (first != me)
			return;
		panic_act();	/* panicked in the dump: skip it */
	}
	log_hold();
	dump_exit_traces(me);
	log_release();
	stop_other_cpus(me);
	panic_act();
}

static void selftest_panic(struct timer *t)
{
	panic("selftest: panic on purpose");
}

void panic_selftest_arm(void)
{
	timer_init(&selftest_timer, selftest_panic);
	timer_arm(&selftest_timer, tsc_now() + tsc_khz * SELFTEST_DELAY_MS);
	log_info("selftest: a panic in %u ms", SELFTEST_DELAY_MS);
}
