/* A vCPU's SynIC: its life (created with the vCPU when the VM has
 * hyperv=on, timers stopped with the vCPU, freed with the VM) and the
 * questions other files ask of its SINTs. */
#include <stdlib.h>

#include "hv/dev/vlapic.h"
#include "hv/synic_state.h"
#include "hv/vm.h"

int synic_vm_create(struct vm *vm)
{
	if (!hyperv_enabled(vm))
		return 0;
	vm->synic = calloc(1, sizeof(*vm->synic));
	if (!vm->synic)
		return -1;
	vm->synic->lock = (struct spinlock)SPINLOCK_INIT;
	return 0;
}

void synic_vm_free(struct vm *vm)
{
	for (unsigned i = 0; vm->synic && vm->vcpus && i < vm->config->vcpus; i++) {
		free(vm->vcpus[i].synic);
		vm->vcpus[i].synic = NULL;
	}
	free(vm->synic);
	vm->synic = NULL;
}

int synic_vcpu_create(struct vcpu *v)
{
	struct synic *s;

	if (!v->vm->synic)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	s->vcpu = v;
	s->lock = (struct spinlock)SPINLOCK_INIT;
	for (unsigned i = 0; i < SYNIC_SINT_COUNT; i++)
		s->sint[i] = SINT_MASKED;	/* the TLFS's reset value */
	stimers_init(s);
	v->synic = s;
	return 0;
}

void synic_vcpu_stop(struct vcpu *v)
{
	if (v->synic)
		stimers_stop(v->synic);
}

bool synic_sint_inhibits(uint64_t scontrol, uint64_t sint)
{
	return (scontrol & SCONTROL_ENABLE) && !(sint & SINT_MASKED) && (sint & SINT_AUTO_EOI);
}

bool synic_auto_eoi(struct vcpu *v, uint8_t vector)
{
	struct synic *s = v->synic;

	if (!s || !(READ_ONCE(s->scontrol) & SCONTROL_ENABLE))
		return false;
	for (unsigned i = 0; i < SYNIC_SINT_COUNT; i++) {
		uint64_t sint = __atomic_load_n(&s->sint[i], __ATOMIC_ACQUIRE);

		if (synic_sint_inhibits(SCONTROL_ENABLE, sint) && (sint & SINT_VECTOR) == vector)
			return true;
	}
	return false;
}

bool synic_raise_sint(struct synic *s, unsigned sint)
{
	uint64_t reg = __atomic_load_n(&s->sint[sint], __ATOMIC_ACQUIRE);

	if (!(READ_ONCE(s->scontrol) & SCONTROL_ENABLE) || (reg & SINT_MASKED))
		return false;
	vlapic_set_irq(s->vcpu->lapic, reg & SINT_VECTOR, false);
	return true;
}

int synic_signal_sint(struct vm *vm, unsigned vp, unsigned sint)
{
	if (vp >= vm->config->vcpus || sint >= SYNIC_SINT_COUNT || !vm->vcpus[vp].synic)
		return -1;
	return synic_raise_sint(vm->vcpus[vp].synic, sint) ? 0 : -1;
}
