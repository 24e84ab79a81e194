/* Reading and reporting the per-VM counters (hv/vm_stats.h). */
#include <stdio.h>

#include "hv/vm.h"
#include "hv/vm_exit.h"
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

uint64_t vm_exits_by_reason(const struct vm *vm, unsigned reason, uint64_t *cycles)
{
	uint64_t n = 0, c = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		n += READ_ONCE(vm->vcpus[i].exits_by_reason[reason]);
		c += READ_ONCE(vm->vcpus[i].exit_cycles[reason]);
	}
	if (cycles)
		*cycles = c;
	return n;
}

/* "vm NAME: exits by reason: io=N ..." with the reasons that happened. */
static void log_exit_reasons(const struct vm *vm)
{
	char line[EXIT_REASON_COUNT * 32];
	size_t used = 0;

	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		uint64_t n = vm_exits_by_reason(vm, r, NULL);

		if (n)
			used += snprintf(line + used, sizeof(line) - used, " %s=%llu",
					 vm_exit_reason_name(r), (unsigned long long)n);
	}
	log_debug("vm %s: exits by reason:%s", vm->name, used ? line : " none");
}

void vm_stats_log(const struct vm *vm)
{
	uint64_t switches = vm_counter_read(vm, VM_COUNTER_SWITCHES);
	uint64_t cycles = vm_counter_read(vm, VM_COUNTER_SWITCH_CYCLES);

	log_debug("vm %s: %llu exits; %llu vCPU switches in, %llu cycles each; "
		  "TLB flushes: %llu requested, %llu IPIs, %llu done; %llu faults; "
		  "pages mapped: %llu 4K, %llu 2M, %llu 1G; memory core: %llu KiB",
		  vm->name, (unsigned long long)vm_exits(vm), (unsigned long long)switches,
		  (unsigned long long)(switches ? cycles / switches : 0),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSH_REQUESTS),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSH_IPIS),
		  (unsigned long long)vm_counter_read(vm, VM_COUNTER_FLUSHES_DONE),
		  (unsigned long long)vm->mmu.stats.faults,
		  (unsigned long long)vm->mmu.stats.pages_mapped[1],
		  (unsigned long long)vm->mmu.stats.pages_mapped[2],
		  (unsigned long long)vm->mmu.stats.pages_mapped[3],
		  (unsigned long long)(mm_stats_metadata_bytes(&vm->mmu.stats) >> 10));
	log_exit_reasons(vm);
}
