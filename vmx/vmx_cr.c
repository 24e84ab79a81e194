/* Guest CR0 and CR4 under VMX. VMX operation pins some bits (CR0.NE and
 * CR4.VMXE; CR0.PE and PG too, which unrestricted guest lifts): the guest
 * runs with them set, the guest/host masks make its reads return the read
 * shadows instead, and a MOV to CR0 or CR4 that changes a masked bit exits
 * to the core's checks (hv/cr.c), which load the value through
 * vmx_set_cr0() / vmx_set_cr4(). CLTS and LMSW touch no masked bit; CR3
 * and CR8 exiting are off. The CR0 mask also holds CD and NW, the CR4
 * mask every bit the guest's CPUID withholds, so that setting one exits
 * and the core's #GP answers it, as the CPU the guest sees would.
 *
 * IA-32e mode is the other reason to intercept: under VMX the CPU does not
 * activate long mode when the guest sets CR0.PG with EFER.LME (EFER is the
 * hypervisor's, loaded at entry). So while the guest's EFER.LME is set,
 * CR0.PG is masked too, and a paging switch sets or clears EFER.LMA and the
 * "IA-32e mode guest" entry control here, as the CPU would. */
#include "hv/cr.h"
#include "hv/vcpu.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/regs.h"

/* The CR0 bits VMX pins that the guest cannot clear for real. */
static uint64_t cr0_pinned(void)
{
	return vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
}

/* The CR0 bits the guest has only in the read shadow: those VMX pins, and
 * CD and NW, which VM entry does not load (SDM vol. 3 "Loading Guest
 * Control Registers"), so that a guest's CD would be lost at its next
 * entry; the CPU caches as the host does, EPT decides the memory type. */
static uint64_t cr0_shadowed(void)
{
	return cr0_pinned() | CR0_CD | CR0_NW;
}

/* CR0 as the hardware runs it for a guest that sees `guest_cr0`. */
static uint64_t cr0_actual(uint64_t guest_cr0)
{
	return (guest_cr0 | cr0_pinned()) & vmx_caps.cr0_fixed1 & ~(uint64_t)(CR0_CD | CR0_NW);
}

void vmx_cr_init(uint64_t guest_cr0)
{
	vmx_write(VMCS_GUEST_CR0, cr0_actual(guest_cr0));
	vmx_write(VMCS_CR0_MASK, cr0_shadowed());
	vmx_write(VMCS_CR0_SHADOW, guest_cr0);
	vmx_write(VMCS_GUEST_CR3, 0);
	vmx_write(VMCS_GUEST_CR4, vmx_caps.cr4_fixed0 & vmx_caps.cr4_fixed1);
	vmx_write(VMCS_CR4_MASK, vmx_caps.cr4_fixed0 | ~cr4_guest_bits());
	vmx_write(VMCS_CR4_SHADOW, 0);
}

/* A MOV to CR4 reaches here only after the core's checks passed, so it
 * changes no bit CPUID withholds; the pinned ones stay set underneath. */
void vmx_set_cr4(struct vcpu *v, uint64_t cr4)
{
	vmx_write(VMCS_CR4_SHADOW, cr4);
	vmx_write(VMCS_GUEST_CR4, (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
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
	vmx_write(VMCS_CR0_MASK, cr0_shadowed() | (lme ? CR0_PG : 0));
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

/* The core checked the write (hv/cr.c); a paging switch with LME set
 * enters or leaves IA-32e mode. */
void vmx_set_cr0(struct vcpu *v, uint64_t cr0)
{
	uint64_t old = guest_cr0();

	vmx_write(VMCS_GUEST_CR0, cr0_actual(cr0));
	vmx_write(VMCS_CR0_SHADOW, cr0);
	if ((cr0 ^ old) & CR0_PG)
		set_long_mode(v, (cr0 & CR0_PG) && (v->efer & EFER_LME));
}
