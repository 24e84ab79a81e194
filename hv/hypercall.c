/* The hypercall table. Arguments are decoded and checked before any state
 * changes; a call that changes state needs CPL 0. */
#include "hv/hypercall.h"
#include "hv/hyperv.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/vectors.h"

#define PAGE_MASK	0xfffull

/* Counter RBX of the VM: 64 bits in RAX, the high half again in RBX for
 * 32-bit callers. */
static void hc_counter(struct vcpu *v)
{
	uint64_t which = v->gprs.rbx, value;

	if (which >= VM_COUNTER_COUNT) {
		v->gprs.rax = HC_EINVAL;
		return;
	}
	value = vm_counter_read(v->vm, (enum vm_counter)which);
	v->gprs.rax = value;
	v->gprs.rbx = value >> 32;
}

/* Drop the TDP mappings of the page-aligned guest RAM range [RBX, RBX +
 * RCX); its contents stay, and the next access maps it again. The flush
 * reaches every vCPU of the VM (what the remote-flush figures measure). */
static void hc_unmap(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t gpa = v->gprs.rbx, bytes = v->gprs.rcx;

	if ((gpa | bytes) & PAGE_MASK || !bytes || gpa >= vm->ram_bytes ||
	    bytes > vm->ram_bytes - gpa) {
		v->gprs.rax = HC_EINVAL;
		return;
	}
	write_lock(&vm->mmu.lock);
	if (tdp_mmu_zap_leafs(&vm->mmu, gpa >> 12, (gpa + bytes) >> 12, true))
		tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
	v->gprs.rax = 0;
}

static unsigned vcpu_cpl(struct vcpu *v)
{
	struct vcpu_sregs sregs;

	vendor->get_sregs(v, &sregs);
	return sregs.cpl;
}

bool hypercall_handle(struct vcpu *v)
{
	if (hyperv_hypercall_enabled(v))
		return hyperv_hypercall(v);
	switch (v->gprs.rax) {
	case HC_PING:
		v->gprs.rax = HC_PING_REPLY;
		v->gprs.rbx = HC_ABI_VERSION;
		return true;
	case HC_ADD:
		v->gprs.rax = (uint32_t)(v->gprs.rbx + v->gprs.rcx);
		return true;
	case HC_COUNTER:
		hc_counter(v);
		return true;
	case HC_UNMAP:
		if (vcpu_cpl(v) != 0) {
			vendor->inject_exception(v, VECTOR_UD, false, 0);
			return false;
		}
		hc_unmap(v);
		return true;
	}
	v->gprs.rax = HC_ENOSYS;
	return true;
}
