/* The VM queue: an array and two counters, no locks. */
#include "cpu/idt.h"
#include "cpu/percpu.h"
#include "drivers/lapic.h"
#include "drivers/power.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "hv/vm_sched.h"
#include "lib/log.h"

#define KICK_VECTOR 0xf0

static struct vm *queue;
static size_t queue_len;
static size_t next_vm;		/* atomic: the next VM to start */
static size_t vms_done;		/* atomic: VMs that have ended */
static bool poweroff_when_done;

static void kick_handler(struct trap_frame *tf)
{
	lapic_eoi();
}

/* The VM that ended was the last one: power off if asked to. */
static void vm_sched_last_done(void)
{
	log_info("hv: all %zu VMs have ended", queue_len);
	if (poweroff_when_done)
		power_off();
}

void vm_sched_start(struct vm *vms, size_t n, bool poweroff)
{
	queue = vms;
	poweroff_when_done = poweroff;
	__atomic_store_n(&queue_len, n, __ATOMIC_RELEASE);
	if (n == 0) {
		if (poweroff)
			power_off();
		return;
	}
	if (idt_set_handler(KICK_VECTOR, kick_handler))
		panic("vm_sched: vector %#x is taken", KICK_VECTOR);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		struct percpu *pc = percpu_blocks[i];

		if (pc && pc != this_cpu() && READ_ONCE(pc->online))
			lapic_send_ipi(pc->apic_id, KICK_VECTOR);
	}
}

void vm_sched_work(void)
{
	size_t n = __atomic_load_n(&queue_len, __ATOMIC_ACQUIRE);
	struct percpu *pc = this_cpu();

	while (__atomic_load_n(&next_vm, __ATOMIC_RELAXED) < n) {
		size_t i = __atomic_fetch_add(&next_vm, 1, __ATOMIC_RELAXED);

		if (i >= n)
			break;
		if (!pc->virt_enabled && vendor && vendor->cpu_enable() == 0)
			pc->virt_enabled = true;
		if (!pc->virt_enabled && !queue[i].stop_reason[0])
			vm_stop(&queue[i], "cpu%u could not turn on hardware virtualization",
				pc->id);
		vm_run(&queue[i]);
		if (__atomic_add_fetch(&vms_done, 1, __ATOMIC_ACQ_REL) == n)
			vm_sched_last_done();
	}
}
