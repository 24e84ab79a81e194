/* The vCPU scheduler (hv/sched.h): per-CPU rings of vCPUs, round robin
 * over the runnable ones, time slices on the CPU's own timer, halting
 * when idle.
 *
 * Wakeups cannot be lost: a halting vCPU publishes HALTED and then looks
 * once more for an interrupt; a waker publishes the interrupt and then
 * looks for HALTED. Both use sequentially consistent atomics, so at least
 * one sees the other. A waker that makes a vCPU of another CPU runnable
 * always kicks that CPU, which ends its HLT (even one it is about to
 * enter: the kick stays pending until STI; HLT). */
#include <stdio.h>

#include "cpu/kick.h"
#include "cpu/percpu.h"
#include "cpu/timer.h"
#include "cpu/tsc_sync.h"
#include "drivers/power.h"
#include "drivers/tsc.h"
#include "hv/dev/vlapic.h"
#include "hv/sched.h"
#include "hv/vcpu_run.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/rcu.h"
#include "x86/insn.h"

struct sched_cpu {
	struct spinlock lock;		/* the ring */
	struct vcpu *ring;		/* circular, through next_on_cpu */
	struct vcpu *cursor;		/* where the next pick starts */
	struct vcpu *loaded;		/* whose owned state the CPU holds */
	unsigned nr_vcpus;
	bool resched;			/* a vCPU here woke: end the current slice */
};

CPU_LOCAL(struct sched_cpu, cpu_sched);
static size_t vms_total;
static size_t vms_ended;		/* atomic */
static bool poweroff_when_done;

/* One more VM has ended; the last one may power the machine off. */
static void sched_vm_ended(void)
{
	if (__atomic_add_fetch(&vms_ended, 1, __ATOMIC_ACQ_REL) != vms_total)
		return;
	log_info("hv: all %zu VMs have ended", vms_total);
	if (poweroff_when_done)
		power_off();
}

/* Make `v` runnable if it is in state `from`; it runs next on its CPU. */
static void vcpu_make_runnable(struct vcpu *v, int from)
{
	struct sched_cpu *sc = cpu_local_ptr(cpu_sched, v->cpu);

	if (!__atomic_compare_exchange_n(&v->state, &from, VCPU_RUNNABLE, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	spin_lock(&sc->lock);
	if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) != VCPU_DEAD)
		sc->cursor = v;
	spin_unlock(&sc->lock);
	WRITE_ONCE(sc->resched, true);
	cpu_kick(v->cpu);
}

/* A vCPU that wakes runs next on its CPU: it waited for an event (a
 * timer, an IPI) and usually runs briefly before it halts again. */
void vcpu_wake(struct vcpu *v)
{
	vcpu_make_runnable(v, VCPU_HALTED);
}

void vcpu_unpause(struct vcpu *v)
{
	vcpu_make_runnable(v, VCPU_PAUSED);
}

const char *vcpu_state_name(const struct vcpu *v)
{
	switch (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST)) {
	case VCPU_RUNNABLE:
		return __atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST) ? "in guest" : "runnable";
	case VCPU_HALTED:
		return v->wait_sipi ? "wait-sipi" : "halted";
	case VCPU_PAUSED:
		return "paused";
	}
	return "dead";
}

void vcpu_request(struct vcpu *v, uint32_t req)
{
	__atomic_fetch_or(&v->requests, req, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) == VCPU_HALTED) {
		vcpu_wake(v);
		return;
	}
	if (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST))
		cpu_kick(v->cpu);
}

/* Put `v` on CPU `cpu`'s ring. */
static void sched_add(struct vcpu *v, unsigned cpu)
{
	struct sched_cpu *sc = cpu_local_ptr(cpu_sched, cpu);

	v->cpu = cpu;
	v->tsc_offset -= tsc_skew(cpu);	/* the VM's TSC, read on this CPU */
	vlapic_set_tsc_offset(v->lapic, v->tsc_offset);
	spin_lock(&sc->lock);
	if (sc->ring) {
		v->next_on_cpu = sc->ring->next_on_cpu;
		sc->ring->next_on_cpu = v;
	} else {
		v->next_on_cpu = v;
		sc->ring = sc->cursor = v;
	}
	sc->nr_vcpus++;
	spin_unlock(&sc->lock);
}

/* The online CPU with the fewest vCPUs (the lowest-numbered on ties). */
static unsigned least_loaded_cpu(void)
{
	unsigned best = 0;

	for (unsigned cpu = 1; cpu < cpu_count(); cpu++)
		if (cpu_local_ptr(cpu_sched, cpu)->nr_vcpus < cpu_local_ptr(cpu_sched, best)->nr_vcpus)
			best = cpu;
	return best;
}

/* Place and start the vCPUs of `vm`, logging where they run. */
static void sched_start_vm(struct vm *vm)
{
	char where[8 * VM_VCPUS_MAX];
	size_t len = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		const struct vm_config *cfg = vm->config;
		unsigned cpu = cfg->nr_cpus ? cfg->cpus[i % cfg->nr_cpus] : least_loaded_cpu();

		sched_add(&vm->vcpus[i], cpu);
		len += snprintf(where + len, sizeof(where) - len, "%scpu%u", i ? "," : "", cpu);
	}
	/* vm_hold() asked them to pause before they ran: the halted ones
	 * must run to do it. */
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].requests, __ATOMIC_SEQ_CST) & VCPU_REQ_PAUSE)
			vcpu_wake(&vm->vcpus[i]);
	log_info("vm %s: started on %s", vm->name, where);
}

void sched_start(struct vm *vms, size_t n, bool poweroff)
{
	poweroff_when_done = poweroff;
	vms_total = n;
	if (n == 0) {
		if (poweroff)
			power_off();
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (vms[i].nr_vcpus)
			sched_start_vm(&vms[i]);
		else
			vm_report_unbuilt(&vms[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (!vms[i].nr_vcpus)
			sched_vm_ended();
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		cpu_kick(cpu);
}

/* The next runnable vCPU of this CPU's ring after the last pick, or NULL. */
static struct vcpu *sched_pick(struct sched_cpu *sc)
{
	struct vcpu *v, *found = NULL;

	spin_lock(&sc->lock);
	v = sc->cursor;
	for (unsigned i = 0; v && i < sc->nr_vcpus; i++, v = v->next_on_cpu) {
		if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) == VCPU_RUNNABLE) {
			found = v;
			sc->cursor = v->next_on_cpu;
			break;
		}
	}
	spin_unlock(&sc->lock);
	return found;
}

void sched_vcpu_exit(struct vcpu *v)
{
	struct sched_cpu *sc = cpu_local_ptr(cpu_sched, v->cpu);
	struct vcpu **p = &sc->ring;
	struct vm *vm = v->vm;		/* the last vCPU to go frees v with its VM */

	spin_lock(&sc->lock);
	if (sc->nr_vcpus == 1) {
		sc->ring = sc->cursor = NULL;
	} else {
		while ((*p)->next_on_cpu != v)
			p = &(*p)->next_on_cpu;
		(*p)->next_on_cpu = v->next_on_cpu;
		if (sc->ring == v)
			sc->ring = v->next_on_cpu;
		if (sc->cursor == v)
			sc->cursor = v->next_on_cpu;
	}
	sc->nr_vcpus--;
	spin_unlock(&sc->lock);
	if (sc->loaded == v)
		sc->loaded = NULL;
	if (!vm_vcpu_gone(vm))
		return;
	if (vm_restart(vm))
		sched_start_vm(vm);
	else
		sched_vm_ended();
}

/* Halt until an interrupt: a kick or the earliest timer. */
static void sched_idle(void)
{
	rcu_idle_enter();
	timers_program(UINT64_MAX);
	/* A kick after the last look still ends the HLT. */
	halt_for_interrupt();
	rcu_idle_exit();
}

/* Turn on SVM or VMX on this CPU before its first vCPU runs; if that
 * fails, the VM of `v` cannot run here and ends. */
static bool sched_virt_enable(struct vcpu *v)
{
	if (vendor->cpu_enable() == 0) {
		this_cpu()->virt_enabled = true;
		return true;
	}
	if (vm_stop(v->vm, v, "cpu%u could not turn on hardware virtualization", cpu_id()))
		vm_end(v->vm, v);
	vcpu_run(v, 0);
	return false;
}

__noreturn void sched_loop(void)
{
	struct sched_cpu *sc = this_cpu_ptr(cpu_sched);
	uint64_t slice = SCHED_SLICE_US * READ_ONCE(tsc_khz) / 1000;

	rcu_idle_exit();
	for (;;) {
		struct vcpu *v;

		timers_run();
		v = sched_pick(sc);
		if (!v) {
			sched_idle();
			continue;
		}
		if (!this_cpu()->virt_enabled && !sched_virt_enable(v))
			continue;
		if (sc->loaded != v) {
			uint64_t t0 = tsc_now();

			vcpu_switch(sc->loaded, v);
			sc->loaded = v;
			vm_stat_add(&v->vm->stats.switches, 1);
			vm_stat_add(&v->vm->stats.switch_cycles, tsc_now() - t0);
		}
		WRITE_ONCE(sc->resched, false);
		vcpu_run(v, tsc_now() + slice);
	}
}

bool sched_should_yield(void)
{
	return READ_ONCE(this_cpu_ptr(cpu_sched)->resched);
}
