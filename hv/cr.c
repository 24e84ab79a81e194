/* MOV to CR0 and CR4 applied to a vCPU (hv/cr.h), for both vendors: SVM
 * intercepts the CR0 writes that change more than TS and MP, and every CR4
 * write; VMX the ones that touch a bit it pins, the guest's paging switch
 * while EFER.LME is set, and CR4 bits the guest may not set. */
#include "hv/cpuid.h"
#include "hv/cr.h"
#include "hv/guest_mem.h"
#include "hv/vcpu.h"
#include "hv/vendor.h"
#include "x86/regs.h"

/* The guest's view of leaf `leaf`.`subleaf`, zeros past its maximum. */
static struct cpuid_regs guest_leaf(uint32_t leaf, uint32_t subleaf)
{
	static const struct cpuid_vcpu any = { .apic_enabled = true };

	if (cpuid_guest(0, 0, &any).eax < leaf ||
	    (subleaf && cpuid_guest(leaf, 0, &any).eax < subleaf))
		return (struct cpuid_regs){ 0 };
	return cpuid_guest(leaf, subleaf, &any);
}

uint64_t cr4_guest_bits(void)
{
	static uint64_t bits;	/* the same on every CPU: racing writers agree */

	if (!bits)
		bits = cr4_bits_offered(guest_leaf(1, 0), guest_leaf(7, 0), guest_leaf(7, 1));
	return bits;
}

bool vcpu_cr0_write(struct vcpu *v, uint64_t value)
{
	struct vcpu_sregs s;

	vendor->get_sregs(v, &s);
	if (!cr0_write_allowed(s.cr0, s.cr4, v->efer, guest_code_bits(v, &s) == 64, value))
		return false;
	vendor->set_cr0(v, value);
	if ((value ^ s.cr0) & CR0_FLUSH_BITS)
		vendor->flush_guest_tlb(v);
	return true;
}

bool vcpu_cr4_write(struct vcpu *v, uint64_t value)
{
	struct vcpu_sregs s;

	vendor->get_sregs(v, &s);
	if (!cr4_write_allowed(cr4_guest_bits(), s.cr0, s.cr3, s.cr4, v->efer, value))
		return false;
	vendor->set_cr4(v, value);
	if ((value ^ s.cr4) & CR4_FLUSH_BITS)
		vendor->flush_guest_tlb(v);
	return true;
}
