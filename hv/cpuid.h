/* The CPUID a guest sees: the host's, filtered. */
#pragma once

#include "lib/compiler.h"
#include "x86/insn.h"

#define CPUID_HV_LEAF		0x40000000
#define CPUID_HV_SIGNATURE	"hvhvhvhvhvhv"

/* CPUID leaf `leaf`, subleaf `subleaf`, as guest vCPU `vcpu_id` with CR4
 * `guest_cr4` sees it: the hypervisor bit and signature leaf added; SVM,
 * VMX, x2APIC and MONITOR/MWAIT hidden (not virtualized yet); OSXSAVE as
 * the guest's CR4 has it. Leaf 0xD follows the XCR0 loaded now, which is
 * the running vCPU's. */
struct cpuid_regs cpuid_guest(uint32_t leaf, uint32_t subleaf, unsigned vcpu_id,
			      uint64_t guest_cr4);
