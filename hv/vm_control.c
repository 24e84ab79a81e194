/* The operator's hold on a VM: pause, resume, kill (and restart). Each
 * acts on the vCPUs through requests they take at their next exit, so a
 * vCPU changes state only on its own CPU, at an exit boundary. */
#include "hv/sched.h"
#include "hv/vm.h"
#include "lib/log.h"

/* Lock the VM for the operator; false (unlocked) unless it has vCPUs. */
static bool vm_lock_running(struct vm *vm)
{
	spin_lock(&vm->input_lock);
	if (vm->nr_vcpus && !__atomic_load_n(&vm->ending, __ATOMIC_ACQUIRE))
		return true;
	spin_unlock(&vm->input_lock);
	return false;
}

bool vm_pause(struct vm *vm)
{
	bool was_paused;

	if (!vm_lock_running(vm))
		return false;
	was_paused = __atomic_exchange_n(&vm->paused, true, __ATOMIC_SEQ_CST);
	/* In a paused VM, a debugger's step may run one vCPU: it stops too. */
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].state, __ATOMIC_SEQ_CST) != VCPU_PAUSED)
			vcpu_request(&vm->vcpus[i], VCPU_REQ_PAUSE);
	spin_unlock(&vm->input_lock);
	return !was_paused;
}

bool vm_pause_done(struct vm *vm)
{
	bool done = true;

	spin_lock(&vm->input_lock);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		int state = __atomic_load_n(&vm->vcpus[i].state, __ATOMIC_SEQ_CST);

		done &= state == VCPU_PAUSED || state == VCPU_DEAD;
	}
	spin_unlock(&vm->input_lock);
	return done;
}

bool vm_resume(struct vm *vm)
{
	if (!vm_lock_running(vm))
		return false;
	if (!__atomic_exchange_n(&vm->paused, false, __ATOMIC_SEQ_CST)) {
		spin_unlock(&vm->input_lock);
		return false;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_unpause(&vm->vcpus[i]);
	spin_unlock(&vm->input_lock);
	return true;
}

bool vm_kill(struct vm *vm, bool restart)
{
	if (!vm_lock_running(vm))
		return false;
	if (!vm_stop(vm, NULL, "killed by the operator")) {
		spin_unlock(&vm->input_lock);
		return false;
	}
	vm->killed = true;
	vm->restart_after_kill = restart;
	log_info("vm %s: killed by the operator%s", vm->name, restart ? ", to restart" : "");
	__atomic_store_n(&vm->paused, false, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vcpu_request(&vm->vcpus[i], VCPU_REQ_STOP);
		vcpu_unpause(&vm->vcpus[i]);
	}
	spin_unlock(&vm->input_lock);
	return true;
}

void vm_hold(struct vm *vm)
{
	__atomic_store_n(&vm->paused, true, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		__atomic_fetch_or(&vm->vcpus[i].requests, VCPU_REQ_PAUSE, __ATOMIC_SEQ_CST);
}
