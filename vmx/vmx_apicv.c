/* APIC virtualization on VMX (Intel SDM Vol. 3C "APIC Virtualization and
 * Virtual Interrupts"): while a vCPU's VM has APICv active, its vLAPIC's
 * register page is the virtual-APIC page. The CPU then delivers the
 * interrupts pending in its IRR itself (virtual-interrupt delivery, from
 * RVI), and virtualizes the TPR (CR8 and the TPR register), EOI and, in
 * x2APIC mode, the self-IPI and reads of most registers, all in that page.
 * What it does not virtualize still exits and is emulated on the same page:
 * the ICR, LVT and timer writes (WRMSR intercepts) and, in xAPIC mode, every
 * MMIO access (no APIC-access page: EPT leaves the APIC page unmapped).
 * The page is the truth at every exit, so entering or leaving APICv, or
 * switching APIC mode, loses nothing: RVI and SVI are written from its IRR
 * and ISR before each entry. */
#include <string.h>

#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "mm/page.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"

#define APICV_PROC2		(PROC2_APIC_REGISTER_VIRT | PROC2_VIRTUAL_INTR_DELIVERY)
#define CR8_EXITING		(PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING)

bool vmx_apicv_supported(void)
{
	return vmx_caps.apicv;
}

/* What the VMCS should do with v's APIC now. */
static enum vmx_apic_mode apic_mode_wanted(struct vcpu *v)
{
	if (!v->apicv_active)
		return VMX_APIC_EMULATED;
	return vlapic_base(v->lapic) & APIC_BASE_EXTD ? VMX_APIC_X2APIC : VMX_APIC_XAPIC;
}

/* Rewrite the controls for `mode`. The TPR shadow replaces CR8 exiting;
 * "virtualize x2APIC mode" and its MSR bitmap only in x2APIC mode. */
static void apic_mode_write(struct vcpu *v, struct vmx_vcpu *vx, enum vmx_apic_mode mode)
{
	bool on = mode != VMX_APIC_EMULATED;
	uint32_t proc2 = vmx_caps.proc2 | (on ? APICV_PROC2 : 0) |
			 (mode == VMX_APIC_X2APIC ? PROC2_VIRTUALIZE_X2APIC : 0);

	vx->proc = on ? (vx->proc & ~CR8_EXITING) | PROC_USE_TPR_SHADOW :
			(vx->proc | CR8_EXITING) & ~PROC_USE_TPR_SHADOW;
	vmx_write(VMCS_PROC_CONTROLS, vx->proc);
	vmx_write(VMCS_PROC_CONTROLS2, proc2);
	vmx_write(VMCS_MSR_BITMAP, mode == VMX_APIC_X2APIC ? vmx_msr_bitmap_x2apic_pa() :
							    vmx_msr_bitmap_pa());
	if (on) {
		vmx_write(VMCS_VIRTUAL_APIC_ADDR, virt_to_phys(vlapic_regs(v->lapic)));
		vmx_write(VMCS_TPR_THRESHOLD, 0);
	}
	vx->apic_mode = mode;
	vx->eoi_exit_valid = false;
}

/* The EOI-exit bitmap: the vectors of the IOAPIC's level-triggered routes,
 * and any vector now level-triggered in the TMR (an MSI's), so that each
 * such EOI reaches the IOAPIC. Rewritten when either changed. */
static void eoi_exit_sync(struct vcpu *v, struct vmx_vcpu *vx)
{
	uint32_t generation = vioapic_generation(v->vm->ioapic);
	uint64_t tmr[4], want[4];

	vlapic_tmr(v->lapic, tmr);
	if (vx->eoi_exit_valid && generation == vx->eoi_exit_generation &&
	    !memcmp(tmr, vx->eoi_exit_tmr, sizeof(tmr)))
		return;
	vioapic_level_vectors(v->vm->ioapic, want);
	for (unsigned i = 0; i < 4; i++) {
		want[i] |= tmr[i];
		vx->eoi_exit_tmr[i] = tmr[i];
		vmx_write(VMCS_EOI_EXIT_BITMAP0 + 2 * i, want[i]);
	}
	vx->eoi_exit_generation = generation;
	vx->eoi_exit_valid = true;
}

void vmx_apicv_entry(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->vendor;
	enum vmx_apic_mode mode = apic_mode_wanted(v);
	int irr, isr;

	if (mode != vx->apic_mode)
		apic_mode_write(v, vx, mode);
	if (mode == VMX_APIC_EMULATED)
		return;
	irr = vlapic_highest_irr(v->lapic);
	isr = vlapic_highest_isr(v->lapic);
	vmx_write(VMCS_GUEST_INTR_STATUS, (uint16_t)((isr > 0 ? isr : 0) << 8 | (irr > 0 ? irr : 0)));
	eoi_exit_sync(v, vx);
}
