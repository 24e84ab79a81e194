/* The guest's CPUID view. */
#include <string.h>

#include "cpu/fpu.h"
#include "drivers/tsc.h"
#include "hv/cpuid.h"
#include "hv/dev/vlapic.h"
#include "x86/regs.h"

#define LEAF1_ECX_MONITOR	(1u << 3)
#define LEAF1_ECX_VMX		(1u << 5)
#define LEAF1_ECX_X2APIC	(1u << 21)
#define LEAF1_ECX_TSC_DEADLINE	(1u << 24)
#define LEAF1_ECX_HYPERVISOR	(1u << 31)
#define LEAF1_EDX_APIC		(1u << 9)
#define LEAF1_EBX_APIC_ID_SHIFT	24
#define EXT1_ECX_SVM		(1u << 2)
#define EXT1_ECX_PERFCTR_CORE	(1u << 23)
#define CPUID_PMU_LEAF		0xa	/* Intel's architectural performance monitoring */
#define CPUID_SVM_LEAF		0x8000000a
#define CPUID_TOPOLOGY_LEAF	0xb
#define CPUID_XSAVE_LEAF	0xd

bool cpuid_host_is_intel(void)
{
	static int intel = -1;	/* the same on every CPU: racing writers agree */
	struct cpuid_regs r;

	if (intel < 0) {
		r = cpuid(0, 0);
		intel = !memcmp(&r.ebx, "Genu", 4) && !memcmp(&r.edx, "ineI", 4) &&
			!memcmp(&r.ecx, "ntel", 4);
	}
	return intel;
}

struct cpuid_regs cpuid_guest(uint32_t leaf, uint32_t subleaf, const struct cpuid_vcpu *v)
{
	struct cpuid_regs r = { 0 };

	if (leaf >= CPUID_HV_LEAF && leaf <= CPUID_HV_FREQ_LEAF) {
		if (leaf == CPUID_HV_LEAF) {
			r.eax = CPUID_HV_FREQ_LEAF;
			memcpy(&r.ebx, CPUID_HV_SIGNATURE, 4);
			memcpy(&r.ecx, CPUID_HV_SIGNATURE + 4, 4);
			memcpy(&r.edx, CPUID_HV_SIGNATURE + 8, 4);
		} else if (leaf == CPUID_HV_FREQ_LEAF) {
			r.eax = READ_ONCE(tsc_khz);
			r.ebx = VLAPIC_BUS_KHZ;
		}
		return r;
	}
	if (leaf == CPUID_SVM_LEAF || leaf == CPUID_PMU_LEAF)
		return r;	/* no nested SVM, no PMU: their MSRs are #GP */
	r = cpuid(leaf, subleaf);
	switch (leaf) {
	case 1:
		r.ecx &= ~(LEAF1_ECX_MONITOR | LEAF1_ECX_VMX | CPUID1_ECX_OSXSAVE);
		r.ecx |= LEAF1_ECX_HYPERVISOR | LEAF1_ECX_X2APIC | LEAF1_ECX_TSC_DEADLINE |
			 (v->cr4 & CR4_OSXSAVE ? CPUID1_ECX_OSXSAVE : 0);
		r.edx = v->apic_enabled ? r.edx | LEAF1_EDX_APIC : r.edx & ~LEAF1_EDX_APIC;
		r.ebx = (r.ebx & 0x00ffffff) | v->apic_id << LEAF1_EBX_APIC_ID_SHIFT;
		break;
	case CPUID_TOPOLOGY_LEAF:
		r.edx = v->apic_id;
		break;
	case CPUID_XSAVE_LEAF:
		/* The XCR0 components XSETBV takes (MPX, say, it refuses). */
		if (subleaf == 0) {
			r.eax &= (uint32_t)fpu_xcr0_supported();
			r.edx &= (uint32_t)(fpu_xcr0_supported() >> 32);
		}
		break;
	case 0x80000001:
		r.ecx &= ~(EXT1_ECX_SVM | EXT1_ECX_PERFCTR_CORE);
		break;
	}
	return r;
}
