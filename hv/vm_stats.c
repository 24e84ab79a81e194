/* Reading and reporting the per-VM counters (hv/vm_stats.h). */
#include "hv/vm.h"
#include "hv/vm_stats.h"
#include "lib/bug.h"
#include "lib/log.h"

static uint64_t vm_exits(const struct vm *vm)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		sum += READ_ONCE(vm->vcpus[i].exits);
	return sum;
}

uint64_t vm_counter_read(const struct vm *vm, enum vm_counter which)
{
	const struct vm_stats *s = &vm->stats;

	switch (which) {
	case VM_COUNTER_EXITS:
		return vm_exits(vm);
	case VM_COUNTER_FLUSH_REQUESTS:
		return __atomic_load_n(&s->flush_requests, __ATOMIC_RELAXED);
	case VM_COUNTER_FLUSH_IPIS:
		return __atomic_load_n(&s->flush_ipis, __ATOMIC_RELAXED);
	case VM_COUNTER_FLUSHES_DONE:
		return __atomic_load_n(&s->flushes_done, __ATOMIC_RELAXED);
	case VM_COUNTER_SWITCHES:
		return __atomic_load_n(&s->switches, __ATOMIC_RELAXED);
	case VM_COUNTER_SWITCH_CYCLES:
		return __atomic_load_n(&s->switch_cycles, __ATOMIC_RELAXED);
	case VM_COUNTER_COUNT:
		break;
	}
	BUG_ON(1);
	return 0;
}

void vm_stats_log(const struct vm *vm)
{
	uint64_t switches = vm_counter_read(vm, VM_COUNTER_SWITCHES);
	uint64_t cycles = vm_counter_read(vm, VM_COUNTER_SWITCH_CYCLES);

	log_debug("vm %s: %llu exits; %llu vCPU switches in, %llu cycles each; "
		  "TLB flushes: %llu requested, %llu IPIs, %llu done; %llu faults",
		  vm->name, (unsigned long long)vm_exits(vm), (unsigned long long)switches,
		  (unsigned long long)(switches ? cycles / switches : 0),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSH_REQUESTS),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSH_IPIS),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSHES_DONE),
		  (unsigned long long)vm->mmu.stats.faults);
}
