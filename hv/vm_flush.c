/* Remote guest-TLB flushes of a VM's vCPUs (hv/vm.h): one way for the TDP
 * MMU's flushes and the Hyper-V flush hypercalls, counted together. */
#include "cpu/kick.h"
#include "hv/vm.h"
#include "lib/cpu.h"

void vm_flush_guest_tlbs(struct vm *vm, const uint64_t *vcpus)
{
	struct cpumask kick = { 0 };

	vm_stat_add(&vm->stats.flush_requests, 1);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (vcpus && !(vcpus[i / 64] & (1ull << (i % 64))))
			continue;
		/* The request before the look at in_guest, which the vCPU sets
		 * before its last look at its requests (vcpu_enter). */
		__atomic_fetch_or(&v->requests, VCPU_REQ_TLB_FLUSH, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&v->in_guest, __ATOMIC_SEQ_CST))
			cpumask_set(&kick, v->cpu);
	}
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu == cpu_id() || !cpumask_test(&kick, cpu))
			continue;
		cpu_kick(cpu);
		vm_stat_add(&vm->stats.flush_ipis, 1);
	}
}
