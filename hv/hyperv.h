/* The Hyper-V interface (Microsoft's Hypervisor Top Level Functional
 * Specification, TLFS), opt-in per VM with hyperv=on: the CPUID leaves
 * 0x40000000-0x4000000A, the partition's and VP's synthetic MSRs
 * (guest OS ID, hypercall page, VP index, VP assist page, reference
 * counter and TSC page, TSC and APIC frequencies) and the hypercalls (PV IPI, PV TLB flush).
 * SynIC and the synthetic timers are hv/synic.h's. docs/hyperv.md. */
#pragma once

#include "lib/compiler.h"
#include "lib/spinlock.h"
#include "x86/insn.h"

struct vm;
struct vcpu;

#define HV_MSR_GUEST_OS_ID	0x40000000
#define HV_MSR_HYPERCALL	0x40000001
#define HV_MSR_VP_INDEX		0x40000002
#define HV_MSR_VP_ASSIST_PAGE	0x40000073
#define HV_MSR_TIME_REF_COUNT	0x40000020
#define HV_MSR_REFERENCE_TSC	0x40000021
#define HV_MSR_TSC_FREQUENCY	0x40000022
#define HV_MSR_APIC_FREQUENCY	0x40000023

/* The MSRs that name a guest page (hypercall, reference TSC, VP assist,
 * SIEFP, SIMP): enable in bit 0, the page's GPA in bits 63:12. */
#define HV_PAGE_ENABLE		(1ull << 0)
#define HV_PAGE_GPA		(~0xfffull)

#define HV_CPUID_FIRST		0x40000000
#define HV_CPUID_LAST		0x4000000a
#define HV_CPUID_RANGE_LAST	0x400000ff	/* the hypervisor range: above LAST, zeros */

/* The partition-wide MSRs, under `lock`. */
struct hyperv_vm {
	struct spinlock lock;
	uint64_t guest_os_id;
	uint64_t hypercall;		/* HV_MSR_HYPERCALL as written */
	uint64_t reference_tsc;		/* HV_MSR_REFERENCE_TSC as written */
};

/* Whether `vm` has the Hyper-V interface (hyperv=on). */
bool hyperv_enabled(const struct vm *vm);

/* CPUID leaf `leaf` (HV_CPUID_FIRST..HV_CPUID_RANGE_LAST) of a hyperv=on VM. */
struct cpuid_regs hyperv_cpuid(uint32_t leaf);

/* RDMSR / WRMSR of the MSRs above by `v`: false for #GP (hyperv off, a
 * reserved bit, a read-only MSR written, a page outside guest RAM). */
bool hyperv_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
bool hyperv_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);

/* Whether VMCALL/VMMCALL of `v` is a Hyper-V hypercall: hyperv=on and a
 * guest OS ID written (otherwise it is the hypervisor's own ABI). */
bool hyperv_hypercall_enabled(const struct vcpu *v);

/* Perform v's Hyper-V hypercall; true when it completed (skip the
 * instruction), false when it raised #UD (CPL > 0, real mode). */
bool hyperv_hypercall(struct vcpu *v);

#define HV_REF_TICKS_PER_MS	10000u	/* reference time counts 100 ns */

/* The VM's reference time: 100 ns units since vm_create(). */
uint64_t hyperv_ref_time(const struct vm *vm);

/* The host TSC at which the VM's reference time reaches `ref`. */
uint64_t hyperv_ref_to_tsc(const struct vm *vm, uint64_t ref);
