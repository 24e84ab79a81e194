/* The AutoEOI inhibit (as Linux KVM's "Conditionally allow SynIC with
 * APICv/AVIC"): APIC virtualization cannot skip the ISR for a vector, so
 * the VM runs on the emulated vLAPIC exactly while at least one enabled
 * SynIC has an unmasked AutoEOI SINT. The VM counts those SINTs under its
 * lock, so the 0 <-> nonzero changes reach vm_apicv_inhibit in order. */
#include "hv/synic_state.h"
#include "hv/vm.h"
#include "lib/bug.h"

void synic_autoeoi_update(struct synic *s, uint64_t old_scontrol, uint64_t old_sint,
			  uint64_t new_scontrol, uint64_t new_sint)
{
	bool was = synic_sint_inhibits(old_scontrol, old_sint);
	bool is = synic_sint_inhibits(new_scontrol, new_sint);
	struct synic_vm *sv = s->vcpu->vm->synic;
	unsigned before;

	BUG_ON(!spin_is_locked(&s->lock));	/* the vCPU's state changes with its count */
	if (was == is)
		return;
	spin_lock(&sv->lock);
	before = sv->autoeoi_sints;
	BUG_ON(!is && before == 0);
	sv->autoeoi_sints = is ? before + 1 : before - 1;
	if ((before == 0) != (sv->autoeoi_sints == 0))
		vm_apicv_inhibit(s->vcpu->vm, APICV_INHIBIT_HYPERV_AUTOEOI, sv->autoeoi_sints > 0);
	spin_unlock(&sv->lock);
}
