/* Guest CR0 and CR4 under VMX. VMX operation pins some bits (CR0.NE and
 * CR4.VMXE; CR0.PE and PG too, which unrestricted guest lifts): the guest
 * runs with them set, the guest/host masks make its reads return the read
 * shadows instead, and a write that changes a masked bit exits to
 * vmx_cr_write().
 *
 * IA-32e mode is the other reason to intercept: under VMX the CPU does not
 * activate long mode when the guest sets CR0.PG with EFER.LME (EFER is the
 * hypervisor's, loaded at entry). So while the guest's EFER.LME is set,
 * CR0.PG is masked too, and a paging switch sets or clears EFER.LMA and the
 * "IA-32e mode guest" entry control here, as the CPU would. */
#include "hv/vcpu.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/regs.h"

#define CR0_RESERVED_HIGH	0xffffffff00000000ull

/* The CR0 bits VMX pins that the guest cannot clear for real. */
static uint64_t cr0_pinned(void)
{
	return vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
}

/* CR0 as the hardware runs it for a guest that sees `guest_cr0`. */
static uint64_t cr0_actual(uint64_t guest_cr0)
{
	return (guest_cr0 | cr0_pinned()) & vmx_caps.cr0_fixed1;
}

void vmx_cr_init(uint64_t guest_cr0)
{
	vmx_write(VMCS_GUEST_CR0, cr0_actual(guest_cr0));
	vmx_write(VMCS_CR0_MASK, cr0_pinned());
	vmx_write(VMCS_CR0_SHADOW, guest_cr0);
	vmx_write(VMCS_GUEST_CR3, 0);
	vmx_write(VMCS_GUEST_CR4, vmx_caps.cr4_fixed0 & vmx_caps.cr4_fixed1);
	vmx_write(VMCS_CR4_MASK, vmx_caps.cr4_fixed0);
	vmx_write(VMCS_CR4_SHADOW, 0);
}

/* CR0 as the guest sees it: the shadow for masked bits, else the real one. */
static uint64_t guest_cr0(void)
{
	uint64_t mask = vmread(VMCS_CR0_MASK);

	return (vmread(VMCS_GUEST_CR0) & ~mask) | (vmread(VMCS_CR0_SHADOW) & mask);
}

void vmx_cr0_sync_intercept(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->vendor;
	bool lme = v->efer & EFER_LME;
	uint64_t cr0;

	if (lme == vx->cr0_pg_intercepted)
		return;
	cr0 = guest_cr0();
	vmx_write(VMCS_CR0_MASK, cr0_pinned() | (lme ? CR0_PG : 0));
	vmx_write(VMCS_CR0_SHADOW, cr0);
	vx->cr0_pg_intercepted = lme;
}

/* Enter or leave IA-32e mode, as a paging switch with EFER.LME does. */
static void set_long_mode(struct vcpu *v, bool on)
{
	uint64_t entry = vmread(VMCS_ENTRY_CONTROLS) & ~(uint64_t)ENTRY_IA32E_MODE_GUEST;

	vmx_write(VMCS_ENTRY_CONTROLS, entry | (on ? ENTRY_IA32E_MODE_GUEST : 0));
	v->efer = (v->efer & ~EFER_LMA) | (on ? EFER_LMA : 0);
}

/* MOV to CR0 of `value`; false for the #GP the CPU would raise. */
static bool cr0_write(struct vcpu *v, uint64_t value)
{
	uint64_t old = guest_cr0();
	bool paging_on = (value & CR0_PG) && !(old & CR0_PG);

	if ((value & CR0_RESERVED_HIGH) || ((value & CR0_PG) && !(value & CR0_PE)) ||
	    ((value & CR0_NW) && !(value & CR0_CD)))
		return false;
	if (paging_on && (v->efer & EFER_LME) && !(vmread(VMCS_GUEST_CR4) & CR4_PAE))
		return false;
	vmx_write(VMCS_GUEST_CR0, cr0_actual(value));
	vmx_write(VMCS_CR0_SHADOW, value);
	if ((value ^ old) & CR0_PG)
		set_long_mode(v, (value & CR0_PG) && (v->efer & EFER_LME));
	return true;
}

/* With these masks only MOV to CR0 and MOV to CR4 can exit (CLTS and LMSW
 * touch no masked bit, CR3/CR8 exiting is off). A CR4 write exits only
 * when it sets a bit VMX pins, i.e. CR4.VMXE, which a guest that CPUID
 * tells has no VMX may not set: #GP, as on such a CPU. */
bool vmx_cr_write(struct vcpu *v, uint64_t qual)
{
	uint64_t value = *vcpu_gpr(v, (qual & CR_QUAL_GPR_MASK) >> CR_QUAL_GPR_SHIFT);

	if ((qual & CR_QUAL_TYPE_MASK) != CR_QUAL_TYPE_MOV_TO_CR || (qual & CR_QUAL_CR_MASK) != 0)
		return false;
	/* Outside long mode the operand is the register's low half. */
	return cr0_write(v, v->efer & EFER_LMA ? value : (uint32_t)value);
}
