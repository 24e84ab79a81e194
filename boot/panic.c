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
#include "cpu/traps.h"
#include "drivers/lapic.h"
#include "drivers/power.h"
#include "drivers/reset.h"
#include "drivers/tsc.h"
#include "hv/console/gdb_postmortem.h"
#include "hv/exit_trace.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "x86/insn.h"

#define NO_CPU			(~0u)
#define PANIC_OWN_EXITS		16	/* of the panicking CPU's ring */
#define SELFTEST_DELAY_MS	1000
#define STOP_WAIT_US		1000000	/* for the other CPUs to take the stop IPI */

static unsigned panic_cpu = NO_CPU;	/* atomic: the first CPU to panic */
static bool others_stopped;		/* the panicking CPU has sent the stop IPIs */
static bool serving_gdb;		/* the panicking CPU has begun to serve gdb */
static struct timer selftest_timer;

static void stop_interrupt(struct trap_frame *tf)
{
	cpu_halt_forever();
}

static void panic_end(const struct trap_frame *tf);

void panic_init(void)
{
	if (idt_set_handler(PANIC_STOP_VECTOR, stop_interrupt))
		log_warn("panic: vector %#x is taken: a panic will not stop the other CPUs",
			 PANIC_STOP_VECTOR);
	traps_set_fatal_handler(panic_end);
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

/* Whether a CPU other than `me` is still online. */
static bool other_cpu_online(unsigned me, unsigned cpu)
{
	const struct percpu *pc = percpu_blocks[cpu];

	return cpu != me && pc && READ_ONCE(pc->online);
}

/* A stop IPI to every other online CPU (once), then a wait until each has
 * gone offline as it halts, so that none runs on while `panic=` acts (or
 * gdb looks). One in a guest exits and takes the IPI at its next
 * interrupt window; one spinning with interrupts off (on a lock this CPU
 * holds) never does, but is as good as stopped: it is named, not waited
 * for beyond STOP_WAIT_US. */
static void stop_other_cpus(unsigned me)
{
	uint64_t deadline;

	if (others_stopped)
		return;
	others_stopped = true;
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (other_cpu_online(me, cpu))
			lapic_send_ipi(percpu_blocks[cpu]->apic_id, PANIC_STOP_VECTOR);
	deadline = tsc_now() + STOP_WAIT_US * tsc_khz / 1000;
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		while (other_cpu_online(me, cpu) && tsc_now() < deadline)
			cpu_relax();
		if (other_cpu_online(me, cpu))
			log_warn("panic: cpu%u did not stop (spinning with interrupts off?)", cpu);
	}
}

/* panic=gdb: serve this CPU's panicked state until gdb kills it, then
 * reset the machine (the way back short of a power cycle). Returns, to
 * halt, when the UART is missing or when this CPU faults while serving. */
static void serve_gdb(const struct trap_frame *tf)
{
	if (serving_gdb)
		return;
	serving_gdb = true;
	if (!gdb_postmortem_init(hv_options.gdb_port, tf)) {
		log_error("hv: panic=gdb, but no UART at %#x for gdb", hv_options.gdb_port);
		return;
	}
	/* gdb= names COM2 alone. */
	log_error("hv: serving the panicked state of cpu%u to gdb on COM2", cpu_id());
	gdb_postmortem_serve();
	log_error("hv: gdb killed the panicked hypervisor");
	machine_reset();
}

static __noreturn void panic_act(const struct trap_frame *tf)
{
	if (hv_options.panic == PANIC_POWEROFF)
		power_off();
	if (hv_options.panic == PANIC_REBOOT)
		machine_reset();
	if (hv_options.panic == PANIC_GDB)
		serve_gdb(tf);
	log_error("hv: halted after the panic");
	cpu_halt_forever();
}

/* The end of a panic or of an unhandled exception (the fatal handler):
 * `tf` is where this CPU was. Returns only on a CPU that is not the first
 * to panic. */
static void panic_end(const struct trap_frame *tf)
{
	unsigned me = cpu_id(), first = NO_CPU;

	if (!__atomic_compare_exchange_n(&panic_cpu, &first, me, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		if (first != me)
			return;
		stop_other_cpus(me);	/* panicked again on the way: skip the dump */
		panic_act(tf);
	}
	log_hold();
	dump_exit_traces(me);
	log_release();
	stop_other_cpus(me);
	panic_act(tf);
}

void panic_finish(void)
{
	struct trap_frame tf;

	trap_frame_capture(&tf);
	panic_end(&tf);
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
