/* The Hyper-V CPUID leaves (TLFS "Hypervisor CPUID Leaves"): what is
 * offered here is what hv/hyperv*.c and hv/synic*.c implement, no more. */
#include "hv/hyperv.h"
#include "hv/vm_config.h"
#include "lib/cpu.h"

#define HV_SIGNATURE_EBX	0x7263694d	/* "Micr" */
#define HV_SIGNATURE_ECX	0x666f736f	/* "osof" */
#define HV_SIGNATURE_EDX	0x76482074	/* "t Hv" */
#define HV_INTERFACE_HV1	0x31237648	/* "Hv#1" */

/* 0x40000003 EAX: the partition's privileges. */
#define HV_ACCESS_REF_COUNTER	(1u << 1)
#define HV_ACCESS_SYNIC		(1u << 2)
#define HV_ACCESS_STIMERS	(1u << 3)
#define HV_ACCESS_HYPERCALL	(1u << 5)
#define HV_ACCESS_VP_INDEX	(1u << 6)
#define HV_ACCESS_REF_TSC	(1u << 9)
#define HV_ACCESS_FREQUENCY	(1u << 11)
/* 0x40000003 EDX: other features. */
#define HV_FREQUENCY_MSRS	(1u << 8)
#define HV_STIMER_DIRECT	(1u << 19)
/* 0x40000004 EAX: recommendations. */
#define HV_REMOTE_TLB_FLUSH	(1u << 2)
#define HV_CLUSTER_IPI		(1u << 10)
#define HV_EX_PROCESSOR_MASKS	(1u << 11)
#define HV_SPINLOCK_NEVER	0xffffffffu
/* 0x40000006 EAX: hardware features the hypervisor uses. */
#define HV_HW_MSR_BITMAPS	(1u << 1)
#define HV_HW_SLAT		(1u << 3)

struct cpuid_regs hyperv_cpuid(uint32_t leaf)
{
	switch (leaf) {
	case 0x40000000:
		return (struct cpuid_regs){ HV_CPUID_LAST, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX,
					    HV_SIGNATURE_EDX };
	case 0x40000001:
		return (struct cpuid_regs){ .eax = HV_INTERFACE_HV1 };
	case 0x40000002:	/* build 1, version 1.0 */
		return (struct cpuid_regs){ .eax = 1, .ebx = 1u << 16 };
	case 0x40000003:
		return (struct cpuid_regs){
			.eax = HV_ACCESS_REF_COUNTER | HV_ACCESS_SYNIC | HV_ACCESS_STIMERS |
			       HV_ACCESS_HYPERCALL | HV_ACCESS_VP_INDEX | HV_ACCESS_REF_TSC |
			       HV_ACCESS_FREQUENCY,
			.edx = HV_FREQUENCY_MSRS | HV_STIMER_DIRECT,
		};
	case 0x40000004:
		return (struct cpuid_regs){
			.eax = HV_REMOTE_TLB_FLUSH | HV_CLUSTER_IPI | HV_EX_PROCESSOR_MASKS,
			.ebx = HV_SPINLOCK_NEVER,
		};
	case 0x40000005:	/* virtual and logical processors at most */
		return (struct cpuid_regs){ .eax = VM_VCPUS_MAX, .ebx = cpu_count() };
	case 0x40000006:
		return (struct cpuid_regs){ .eax = HV_HW_MSR_BITMAPS | HV_HW_SLAT };
	}
	return (struct cpuid_regs){ 0 };	/* 0x40000007-0x4000000a: nothing (root, nested) */
}
