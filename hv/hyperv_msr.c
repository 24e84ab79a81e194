/* The Hyper-V synthetic MSRs of the partition and the VP (TLFS "Partition
 * Properties", "Virtual Processor Index", "Timers"): guest OS ID, the
 * hypercall page, the VP index, the VP assist page, the reference counter
 * and reference TSC page, the TSC and APIC timer frequencies. Each write
 * is checked whole (reserved bits, the page it names in guest RAM) before
 * anything changes. */
#include "drivers/tsc.h"
#include "hv/dev/vlapic.h"
#include "hv/guest_mem.h"
#include "hv/hyperv.h"
#include "hv/vendor.h"
#include "hv/vm.h"

#define HYPERCALL_LOCKED	(1ull << 1)
#define HYPERCALL_WRITABLE	(HV_PAGE_GPA | HYPERCALL_LOCKED | HV_PAGE_ENABLE)
#define PAGE_MSR_WRITABLE	(HV_PAGE_GPA | HV_PAGE_ENABLE)	/* reference TSC, VP assist */
#define RET			0xc3

/* The reference TSC page (TLFS "Reference TSC Page"): reference time =
 * ((guest TSC * scale) >> 64) + offset, valid while sequence is not 0. */
struct hv_ref_tsc_page {
	uint32_t sequence;
	uint32_t reserved;
	uint64_t scale;
	int64_t offset;
};
static_assert(sizeof(struct hv_ref_tsc_page) == 24, "TLFS reference TSC page header");

bool hyperv_enabled(const struct vm *vm)
{
	return vm->config->hyperv;
}

/* Fill the hypercall page at `gpa`: the vendor's hypercall instruction and
 * a RET, what the guest calls. False if the page is not guest RAM. */
static bool hypercall_page_fill(struct vm *vm, uint64_t gpa)
{
	uint8_t code[4] = { vendor->hypercall_insn[0], vendor->hypercall_insn[1],
			    vendor->hypercall_insn[2], RET };

	return guest_phys_write(vm, gpa, code, sizeof(code));
}

/* Write the reference TSC page at `gpa` for `v`'s TSC. The sequence is 0
 * (invalid: readers use the MSR) while scale and offset change, then one
 * that the previous is not. False if the page is not guest RAM. */
static bool ref_tsc_page_fill(struct vcpu *v, uint64_t gpa)
{
	struct hv_ref_tsc_page page;
	uint64_t guest_tsc = rdtsc() + (uint64_t)v->tsc_offset;
	uint32_t invalid = 0, sequence;

	if (!guest_phys_read(v->vm, gpa, &page, sizeof(page)))
		return false;
	sequence = page.sequence + 1;
	if (!sequence || sequence == UINT32_MAX)
		sequence = 1;
	page.reserved = 0;
	page.scale = (uint64_t)(((unsigned __int128)HV_REF_TICKS_PER_MS << 64) / READ_ONCE(tsc_khz));
	page.offset = (int64_t)(hyperv_ref_time(v->vm) -
				(uint64_t)(((unsigned __int128)guest_tsc * page.scale) >> 64));
	guest_phys_write(v->vm, gpa, &invalid, sizeof(invalid));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	guest_phys_write(v->vm, gpa + 4, &page.reserved, sizeof(page) - 4);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return guest_phys_write(v->vm, gpa, &sequence, sizeof(sequence));
}

bool hyperv_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct hyperv_vm *hv = &v->vm->hyperv;

	if (!hyperv_enabled(v->vm))
		return false;
	switch (msr) {
	case HV_MSR_GUEST_OS_ID:
		*value = READ_ONCE(hv->guest_os_id);
		return true;
	case HV_MSR_HYPERCALL:
		*value = READ_ONCE(hv->hypercall);
		return true;
	case HV_MSR_VP_INDEX:
		*value = v->id;
		return true;
	case HV_MSR_VP_ASSIST_PAGE:
		*value = v->msrs.hv_vp_assist;
		return true;
	case HV_MSR_TIME_REF_COUNT:
		*value = hyperv_ref_time(v->vm);
		return true;
	case HV_MSR_REFERENCE_TSC:
		*value = READ_ONCE(hv->reference_tsc);
		return true;
	case HV_MSR_TSC_FREQUENCY:
		*value = READ_ONCE(tsc_khz) * 1000;
		return true;
	case HV_MSR_APIC_FREQUENCY:
		*value = VLAPIC_BUS_KHZ * 1000;
		return true;
	}
	return false;
}

/* HV_MSR_HYPERCALL: the page is filled when it is enabled. Without a
 * guest OS ID it cannot be enabled, and once locked it stays (both as
 * the TLFS says: the write is taken without effect). */
static bool hypercall_msr_write(struct vcpu *v, uint64_t value)
{
	struct hyperv_vm *hv = &v->vm->hyperv;
	bool ok = true;

	if (value & ~HYPERCALL_WRITABLE)
		return false;
	spin_lock(&hv->lock);
	if (!hv->guest_os_id)
		value &= ~HV_PAGE_ENABLE;
	if (!(hv->hypercall & HYPERCALL_LOCKED)) {
		ok = !(value & HV_PAGE_ENABLE) || hypercall_page_fill(v->vm, value & HV_PAGE_GPA);
		if (ok)
			hv->hypercall = value;
	}
	spin_unlock(&hv->lock);
	return ok;
}

static bool ref_tsc_msr_write(struct vcpu *v, uint64_t value)
{
	struct hyperv_vm *hv = &v->vm->hyperv;
	bool ok;

	if (value & ~PAGE_MSR_WRITABLE)
		return false;
	spin_lock(&hv->lock);
	ok = !(value & HV_PAGE_ENABLE) || ref_tsc_page_fill(v, value & HV_PAGE_GPA);
	if (ok)
		hv->reference_tsc = value;
	spin_unlock(&hv->lock);
	return ok;
}

bool hyperv_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct hyperv_vm *hv = &v->vm->hyperv;

	if (!hyperv_enabled(v->vm))
		return false;
	switch (msr) {
	case HV_MSR_GUEST_OS_ID:
		spin_lock(&hv->lock);
		hv->guest_os_id = value;
		if (!value)	/* no OS ID: hypercalls go, the page with them */
			hv->hypercall &= ~HV_PAGE_ENABLE;
		spin_unlock(&hv->lock);
		return true;
	case HV_MSR_HYPERCALL:
		return hypercall_msr_write(v, value);
	case HV_MSR_REFERENCE_TSC:
		return ref_tsc_msr_write(v, value);
	case HV_MSR_VP_ASSIST_PAGE:
		/* Kept, not used: none of what the page serves (APIC assist,
		 * enlightened VMCS, nested) is offered. */
		if ((value & ~PAGE_MSR_WRITABLE) ||
		    ((value & HV_PAGE_ENABLE) && !guest_page_in_ram(v->vm, value & HV_PAGE_GPA)))
			return false;
		v->msrs.hv_vp_assist = value;
		return true;
	}
	return false;	/* VP index, reference count, frequencies: read-only */
}
