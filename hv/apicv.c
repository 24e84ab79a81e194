/* Per-VM APIC virtualization inhibits (hv/apicv.h). */
#include "hv/apicv.h"
#include "hv/sched.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/log.h"

static const char *const inhibit_names[] = {
	[APICV_INHIBIT_DISABLED] = "disabled",
	[APICV_INHIBIT_ABSENT] = "absent",
	[APICV_INHIBIT_HYPERV_AUTOEOI] = "hyperv-autoeoi",
	[APICV_INHIBIT_EXTINT] = "extint",
	[APICV_INHIBIT_APIC_ID] = "apic-id-changed",
	[APICV_INHIBIT_APIC_BASE] = "apic-base-changed",
	[APICV_INHIBIT_IRQ_WINDOW] = "irq-window",
	[APICV_INHIBIT_NESTED] = "nested",
	[APICV_INHIBIT_DEBUG_STEP] = "debugger-step",
};
static_assert(ARRAY_SIZE(inhibit_names) == APICV_INHIBIT_COUNT, "a name for every reason");
static_assert(APICV_INHIBIT_COUNT <= 32, "reasons fit vm_apicv.inhibits");

const char *apicv_inhibit_name(enum apicv_inhibit reason)
{
	return reason < APICV_INHIBIT_COUNT ? inhibit_names[reason] : "?";
}

void vm_apicv_init(struct vm *vm)
{
	vm->apicv = (struct vm_apicv){ .lock = SPINLOCK_INIT };
	if (vm->config->apicv_off)
		vm->apicv.inhibits |= 1u << APICV_INHIBIT_DISABLED;
	if (!vendor->apicv_supported())
		vm->apicv.inhibits |= 1u << APICV_INHIBIT_ABSENT;
}

bool vm_apicv_active(const struct vm *vm)
{
	return !__atomic_load_n(&vm->apicv.inhibits, __ATOMIC_ACQUIRE);
}

void vm_apicv_inhibit(struct vm *vm, enum apicv_inhibit reason, bool set)
{
	uint32_t bit = 1u << reason, old, new;

	spin_lock(&vm->apicv.lock);
	old = vm->apicv.inhibits;
	new = set ? old | bit : old & ~bit;
	__atomic_store_n(&vm->apicv.inhibits, new, __ATOMIC_RELEASE);
	if (!old == !new) {
		spin_unlock(&vm->apicv.lock);
		return;
	}
	__atomic_fetch_add(&vm->apicv.transitions, 1, __ATOMIC_RELAXED);
	if (new)
		log_debug("apicv: vm %s inhibited (%s)", vm->name, inhibit_names[reason]);
	else
		log_debug("apicv: vm %s active", vm->name);
	spin_unlock(&vm->apicv.lock);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_request(&vm->vcpus[i], VCPU_REQ_APICV);
}

void vcpu_apicv_apply(struct vcpu *v)
{
	v->apicv_active = vm_apicv_active(v->vm);
}
