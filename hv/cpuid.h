/* The CPUID a guest sees: the host's, filtered. */
#pragma once

#include "lib/compiler.h"
#include "x86/insn.h"

#define CPUID_HV_LEAF		0x40000000
#define CPUID_HV_SIGNATURE	"hvhvhvhvhvhv"

/* CPUID leaf `leaf`, subleaf `subleaf`, as guest vCPU `vcpu_id` sees it:
 * the hypervisor bit and signature leaf added; SVM, VMX, x2APIC and
 * MONITOR/MWAIT hidden (not virtualized yet). */
struct cpuid_regs cpuid_guest(uint32_t leaf, uint32_t subleaf, unsigned vcpu_id);
