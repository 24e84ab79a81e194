/* AMD SVM: what the svm/ files share. */
#pragma once

#include "hv/vcpu.h"
#include "hv/vendor.h"
#include "mm/tlb_tag.h"
#include "svm/npt_pte.h"
#include "svm/vmcb.h"

#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ull << 4)

/* CPUID 0x8000000A EDX */
#define SVM_FEATURE_NPT		(1u << 0)
#define SVM_FEATURE_NRIPS	(1u << 3)
#define SVM_FEATURE_PAUSE_FILTER (1u << 10)

struct svm_caps {
	unsigned nr_asids;
	bool nrips;			/* the VMCB reports the next RIP */
	bool pause_filter;		/* PAUSE exits after a count of them */
};
extern struct svm_caps svm_caps;

/* Per-vCPU SVM state. SVM does not track a guest's NMI masking: after
 * injecting an NMI, NMIs stay masked until the guest's IRET (intercepted)
 * has executed, which the first exit with another RIP shows; when an NMI
 * waits, the IRET is single-stepped to get that exit at once. */
struct svm_vcpu {
	struct vmcb *vmcb;
	struct tlb_tag asid;
	bool flush_pending;
	bool nmi_masked;
	bool iret_seen;			/* the IRET exit came; unmask once past it */
	uint64_t iret_rip;
	bool nmi_singlestep;		/* TF set by us to step over that IRET */
	bool guest_tf;			/* the guest's own TF meanwhile */
	unsigned debug;			/* DEBUG_* intercepts (svm_debug.c) */
};

extern const struct vendor_ops svm_ops;

/* Whether this CPU can run SVM guests with nested paging; logs why not. */
bool svm_probe(void);

/* EFER.SVME and the host save area on the running CPU. */
int svm_cpu_enable(void);

/* Physical address of this CPU's VMCB page that holds the host's
 * VMSAVE state (FS, GS, TR, LDTR and the syscall MSRs). */
uint64_t svm_host_vmcb_pa(void);

/* hv/vendor.h apicv_supported (svm_apicv.c). */
bool svm_apicv_supported(void);

/* The debugger's intercepts (hv/vcpu_debug.h) (svm_debug.c). */
bool svm_has_step_trap(void);
void svm_drop_pending_step(struct vcpu *v);
void svm_set_debug(struct vcpu *v, unsigned what);
/* An INT n exit (the debugger's intercept): INT3 turned into the #BP exit;
 * INT n and INTO delivered, true: the guest re-enters at once. */
bool svm_debug_exit(struct vcpu *v, struct vm_exit *exit);
uint64_t svm_get_dr(struct vcpu *v, unsigned n);
void svm_set_dr(struct vcpu *v, unsigned n, uint64_t value);
/* The #DB, #BP and DR intercepts for what sv->debug, a step and the NMI
 * window's step need. */
void svm_debug_intercepts(struct svm_vcpu *sv);

/* Add the control-register intercepts to `c` (svm_cr.c). */
void svm_cr_intercepts(struct vmcb_control *c);

/* Load the guest's CR0 / CR4 (the vendor ops). */
void svm_set_cr0(struct vcpu *v, uint64_t cr0);
void svm_set_cr4(struct vcpu *v, uint64_t cr4);

/* EFER as VMRUN must load it for `v`: the guest's, LME only with paging
 * on, and SVME, which VMRUN requires. */
uint64_t svm_guest_efer(const struct vcpu *v);

/* Decode the VMCB's exit into the vendor-neutral form. */
void svm_exit_decode(const struct vmcb *vmcb, struct vm_exit *exit);

/* VMLOAD the guest, VMRUN, VMSAVE the guest, VMLOAD the host (svm_entry.S). */
void svm_vmrun(uint64_t vmcb_pa, struct vcpu_gprs *gprs, uint64_t host_vmcb_pa);

/* Build the shared I/O and MSR permission maps (once, at probe time). */
void svm_bitmaps_init(void);

/* Physical addresses of the shared permission maps. */
uint64_t svm_iopm_pa(void);
uint64_t svm_msrpm_pa(void);
