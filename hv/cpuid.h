/* The CPUID a guest sees: the host's, filtered. */
#pragma once

#include "lib/compiler.h"
#include "x86/insn.h"

#define CPUID_HV_LEAF		0x40000000
#define CPUID_HV_SIGNATURE	"hvhvhvhvhvhv"
#define CPUID_HV_FREQ_LEAF	0x40000010	/* EAX TSC kHz, EBX APIC timer kHz */

/* What of the asking vCPU shows in CPUID. */
struct cpuid_vcpu {
	unsigned apic_id;
	uint64_t cr4;			/* OSXSAVE */
	bool apic_enabled;		/* IA32_APIC_BASE.EN: leaf 1 EDX.APIC */
};

/* CPUID leaf `leaf`, subleaf `subleaf`, as vCPU `v` sees it: the
 * hypervisor bit and leaves (signature, and TSC and APIC timer frequencies
 * at 0x40000010); x2APIC and TSC-deadline, which the vLAPIC provides; SVM,
 * VMX, MONITOR/MWAIT and the performance counters hidden; OSXSAVE, the APIC bit and the APIC IDs of
 * leaves 1 and 0xB as the vCPU's state has them. Leaf 0xD lists the XCR0
 * components the hypervisor hands out and follows the XCR0 loaded now,
 * which is the running vCPU's. */
struct cpuid_regs cpuid_guest(uint32_t leaf, uint32_t subleaf, const struct cpuid_vcpu *v);

/* Whether the host's CPUID vendor, which guests see too, is Intel's. */
bool cpuid_host_is_intel(void);
