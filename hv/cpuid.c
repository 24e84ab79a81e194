/* The guest's CPUID view. */
#include <string.h>

#include "hv/cpuid.h"
#include "x86/regs.h"

#define LEAF1_ECX_MONITOR	(1u << 3)
#define LEAF1_ECX_VMX		(1u << 5)
#define LEAF1_ECX_X2APIC	(1u << 21)
#define LEAF1_ECX_HYPERVISOR	(1u << 31)
#define LEAF1_EBX_APIC_ID_SHIFT	24
#define EXT1_ECX_SVM		(1u << 2)
#define CPUID_SVM_LEAF		0x8000000a
#define CPUID_HV_MAX_LEAF	0x40000001

struct cpuid_regs cpuid_guest(uint32_t leaf, uint32_t subleaf, unsigned vcpu_id,
			      uint64_t guest_cr4)
{
	struct cpuid_regs r = { 0 };

	if (leaf >= CPUID_HV_LEAF && leaf <= CPUID_HV_MAX_LEAF) {
		if (leaf == CPUID_HV_LEAF) {
			r.eax = CPUID_HV_MAX_LEAF;
			memcpy(&r.ebx, CPUID_HV_SIGNATURE, 4);
			memcpy(&r.ecx, CPUID_HV_SIGNATURE + 4, 4);
			memcpy(&r.edx, CPUID_HV_SIGNATURE + 8, 4);
		}
		return r;
	}
	if (leaf == CPUID_SVM_LEAF)
		return r;
	r = cpuid(leaf, subleaf);
	switch (leaf) {
	case 1:
		r.ecx &= ~(LEAF1_ECX_MONITOR | LEAF1_ECX_VMX | LEAF1_ECX_X2APIC |
			   CPUID1_ECX_OSXSAVE);
		r.ecx |= LEAF1_ECX_HYPERVISOR | (guest_cr4 & CR4_OSXSAVE ? CPUID1_ECX_OSXSAVE : 0);
		r.ebx = (r.ebx & 0x00ffffff) | vcpu_id << LEAF1_EBX_APIC_ID_SHIFT;
		break;
	case 0x80000001:
		r.ecx &= ~EXT1_ECX_SVM;
		break;
	}
	return r;
}
