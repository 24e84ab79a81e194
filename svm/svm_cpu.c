/* SVM detection and per-CPU enabling. */
#include <errno.h>

#include "cpu/percpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "mm/page.h"
#include "svm/svm.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define CPUID_EXT_SVM	(1u << 2)	/* CPUID 0x80000001 ECX */

struct svm_caps svm_caps;

bool svm_probe(void)
{
	struct cpuid_regs r;
	uint64_t vm_cr;

	if (cpuid(0x80000000, 0).eax < 0x8000000a ||
	    !(cpuid(0x80000001, 0).ecx & CPUID_EXT_SVM))
		return false;
	/* Bochs does not implement VM_CR: a #GP there means "not disabled". */
	if (rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS)) {
		log_error("svm: disabled by firmware (VM_CR.SVMDIS): enable SVM/AMD-V in the BIOS setup");
		return false;
	}
	r = cpuid(0x8000000a, 0);
	if (!(r.edx & SVM_FEATURE_NPT)) {
		log_error("svm: the CPU has no nested paging (NPT), which guests need");
		return false;
	}
	if (r.ebx < 2) {
		log_error("svm: the CPU reports %u ASIDs; at least 2 are needed", r.ebx);
		return false;
	}
	svm_caps.nr_asids = r.ebx;
	svm_caps.nrips = r.edx & SVM_FEATURE_NRIPS;
	svm_caps.pause_filter = r.edx & SVM_FEATURE_PAUSE_FILTER;
	log_info("svm: NPT, %u ASIDs, %s%s", svm_caps.nr_asids,
		 svm_caps.nrips ? "next-RIP reported" : "next RIP computed (no NRIPS)",
		 svm_caps.pause_filter ? ", pause filter" : "");
	return true;
}

/* The host save area VMRUN uses, and the page the host's VMSAVE state
 * lives in, one pair per CPU. */
struct svm_cpu {
	void *hsave;
	struct vmcb *host_vmcb;
};

CPU_LOCAL(struct svm_cpu, svm_cpu_pages);

int svm_cpu_enable(void)
{
	struct svm_cpu *c = this_cpu_ptr(svm_cpu_pages);

	if (!c->hsave) {
		c->hsave = page_alloc_zeroed();
		c->host_vmcb = page_alloc_zeroed();
		if (!c->hsave || !c->host_vmcb) {
			log_error("svm: no memory for cpu%u's host save area", cpu_id());
			return -ENOMEM;
		}
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, virt_to_phys(c->hsave));
	__asm__ volatile("vmsave %%rax" :: "a"(virt_to_phys(c->host_vmcb)) : "memory");
	return 0;
}

uint64_t svm_host_vmcb_pa(void)
{
	return virt_to_phys(this_cpu_ptr(svm_cpu_pages)->host_vmcb);
}
