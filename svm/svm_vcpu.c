/* SVM vCPUs: the VMCB's intercepts and initial guest state, VMRUN, event
 * injection and state dumps. */
#include <errno.h>
#include <stdlib.h>

#include "hv/load/guest_load.h"
#include "hv/vcpu.h"
#include "hv/vm_exit.h"
#include "lib/log.h"
#include "mm/page.h"
#include "svm/svm.h"
#include "x86/insn.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define SEG_CODE32	0xc9b	/* present, DPL 0, exec/read, accessed, 32-bit, 4 KiB granular */
#define SEG_DATA32	0xc93	/* present, DPL 0, read/write, accessed, 32-bit, 4 KiB granular */
#define SEG_CODE16	0x09b
#define SEG_DATA16	0x093
#define SEG_TSS_BUSY	0x08b
#define SEG_LDT		0x082
/* PAUSEs in a row before a PAUSE exit (KVM's default). */
#define PAUSE_FILTER_COUNT	3000

static void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

static struct svm_vcpu *svm_of(struct vcpu *v)
{
	return v->vendor;
}

/* Real-mode segments with CS = `selector` (base selector << 4) and the
 * descriptor tables after RESET. */
static void svm_set_real_segments(struct vmcb_save *s, uint16_t selector)
{
	struct vmcb_segment data = { .attrib = SEG_DATA16, .limit = 0xffff };

	s->cs = (struct vmcb_segment){ .selector = selector, .attrib = SEG_CODE16,
				       .limit = 0xffff, .base = (uint64_t)selector << 4 };
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->gdtr = (struct vmcb_segment){ .limit = 0xffff };
	s->idtr = (struct vmcb_segment){ .limit = 0xffff };
	s->ldtr = (struct vmcb_segment){ .attrib = SEG_LDT, .limit = 0xffff };
	s->tr = (struct vmcb_segment){ .attrib = SEG_TSS_BUSY, .limit = 0xffff };
}

/* Segment state for the entry modes guests start in. */
static void svm_set_segments(struct vmcb_save *s, const struct guest_entry *entry)
{
	struct vmcb_segment code = { .selector = 0x08, .attrib = SEG_CODE32, .limit = 0xffffffff };
	struct vmcb_segment data = { .selector = 0x10, .attrib = SEG_DATA32, .limit = 0xffffffff };

	svm_set_real_segments(s, GUEST_RESET_CS_SELECTOR);
	if (entry->mode == GUEST_REAL_MODE) {
		s->idtr.limit = 0x3ff;
		return;
	}
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->idtr.limit = 0;
}

/* Intercept what the core must see: CPUID, HLT, all I/O and MSRs (through
 * the permission maps), VMMCALL, XSETBV, shutdown, the SVM instructions
 * (SVM is hidden from guests) and MONITOR/MWAIT (hidden too), control
 * register writes (svm_cr.c), INIT and host interrupts, machine checks,
 * and spin loops where the CPU has a pause filter. */
static void svm_set_intercepts(struct vmcb_control *c)
{
	c->intercept_exceptions = SVM_INTERCEPT_MC;
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
			     SVM_INTERCEPT_INIT | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_HLT |
			     SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
			     SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_XSETBV | SVM_INTERCEPT_MONITOR |
			     SVM_INTERCEPT_MWAIT;
	svm_cr_intercepts(c);
	if (svm_caps.pause_filter) {
		c->intercept_misc1 |= SVM_INTERCEPT_PAUSE;
		c->pause_filter_count = PAUSE_FILTER_COUNT;
	}
	c->iopm_base_pa = svm_iopm_pa();
	c->msrpm_base_pa = svm_msrpm_pa();
	c->vintr = SVM_VINTR_MASKING;
}

static int svm_vcpu_create(struct vcpu *v, const struct guest_entry *entry, uint64_t tdp_root)
{
	struct svm_vcpu *sv = calloc(1, sizeof(*sv));
	struct vmcb *vmcb = page_alloc_zeroed();

	if (!sv || !vmcb) {
		free(sv);
		if (vmcb)
			page_free(vmcb);
		return -ENOMEM;
	}
	sv->vmcb = vmcb;
	v->vendor = sv;
	svm_set_intercepts(&vmcb->control);
	vmcb->control.np_enable = 1;
	vmcb->control.n_cr3 = tdp_root;
	svm_set_segments(&vmcb->save, entry);
	vmcb->save.cr0 = CR0_ET | (entry->mode == GUEST_REAL_MODE ? 0 : CR0_PE);
	vmcb->save.efer = EFER_SVME;	/* VMRUN requires it; guests see v->efer */
	vmcb->save.g_pat = PAT_POWER_ON;
	vmcb->save.dr6 = DR6_RESET;
	vmcb->save.dr7 = DR7_RESET;
	return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *sv = svm_of(v);

	page_free(sv->vmcb);
	free(sv);
	v->vendor = NULL;
}

/* An event whose delivery the exit interrupted (say, an exception whose
 * handler's stack page was not mapped yet) is delivered again. Not an INT
 * n, INT3 or INTO: RIP still points at that instruction, which runs again
 * (injecting it would need its length, which QEMU's SVM does not report). */
static void svm_requeue_interrupted_event(struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_int_info;
	uint64_t type = info & SVM_EVTINJ_TYPE_MASK;
	uint8_t vector = info & 0xff;

	if (!(info & SVM_EVTINJ_VALID) || type == SVM_EVTINJ_TYPE_SOFT ||
	    (type == SVM_EVTINJ_TYPE_EXCEPTION && (vector == 3 || vector == 4)))
		info = 0;
	vmcb->control.event_inj = info;
}

/* The guest's NMI handler ends with IRET: at its exit, stop intercepting
 * and wait for the first exit past it (the guest then runs with NMIs
 * unmasked); the single-step over it ends with a #DB exit that is the NMI
 * window. */
static void svm_track_nmi_mask(struct vcpu *v, struct vm_exit *exit)
{
	struct svm_vcpu *sv = svm_of(v);
	struct vmcb *vmcb = sv->vmcb;

	if ((uint32_t)vmcb->control.exit_code == SVM_EXIT_IRET) {
		vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
		sv->iret_seen = true;
		sv->iret_rip = vmcb->save.rip;
		return;
	}
	if (!sv->iret_seen || vmcb->save.rip == sv->iret_rip)
		return;
	sv->iret_seen = false;
	sv->nmi_masked = false;
	if (!sv->nmi_singlestep)
		return;
	sv->nmi_singlestep = false;
	svm_debug_intercepts(sv);
	if (!sv->guest_tf && !v->debug.tf_step)
		v->rflags &= ~RFLAGS_TF;
	if (exit->reason == EXIT_EXCEPTION && exit->exception.vector == 1) {
		exit->reason = EXIT_NMI_WINDOW;
		if (sv->guest_tf)
			svm_inject_exception(v, 1, false, 0);	/* the guest's own step */
	}
}

/* One VMRUN and #VMEXIT, with the guest state synchronized both ways. */
static void svm_enter(struct vcpu *v, struct vm_exit *exit)
{
	struct svm_vcpu *sv = svm_of(v);
	struct vmcb *vmcb = sv->vmcb;

	/* ASID 0 is the host's; QEMU has 16 and only TLB_CONTROL 0/1, so a
	 * recycled ASID costs a full flush. */
	if (tlb_tag_assign(&sv->asid, svm_caps.nr_asids - 1))
		sv->flush_pending = true;
	vmcb->control.guest_asid = sv->asid.id;
	vmcb->control.tlb_control = sv->flush_pending ? SVM_TLB_CONTROL_FLUSH_ALL
						      : SVM_TLB_CONTROL_NONE;
	sv->flush_pending = false;
	vmcb->control.tsc_offset = (uint64_t)v->tsc_offset;
	vmcb->save.rip = v->rip;
	vmcb->save.rflags = v->rflags;
	vmcb->save.rax = v->gprs.rax;
	vmcb->save.rsp = v->gprs.rsp;
	vmcb->save.efer = svm_guest_efer(v);

	vmcb->control.exit_int_info = 0;	/* Bochs may leave an old value */
	svm_vmrun(virt_to_phys(vmcb), &v->gprs, svm_host_vmcb_pa());

	v->rip = vmcb->save.rip;
	v->rflags = vmcb->save.rflags;
	v->gprs.rax = vmcb->save.rax;
	v->gprs.rsp = vmcb->save.rsp;
	svm_requeue_interrupted_event(vmcb);
	svm_exit_decode(vmcb, exit);
	if (svm_caps.nrips && vmcb->control.next_rip > v->rip &&
	    vmcb->control.next_rip - v->rip <= 15)
		exit->insn_len = vmcb->control.next_rip - v->rip;
	svm_track_nmi_mask(v, exit);
}

static void svm_vcpu_run(struct vcpu *v, struct vm_exit *exit)
{
	do
		svm_enter(v, exit);
	while (svm_debug_exit(v, exit));
}

static void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	uint64_t event = vector | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_VALID;

	if (has_error)
		event |= SVM_EVTINJ_ERR_VALID | (uint64_t)error << SVM_EVTINJ_ERR_SHIFT;
	svm_of(v)->vmcb->control.event_inj = event;
}

/* An injected exception returns to RIP: past the one-byte INT3. */
static void svm_inject_int3(struct vcpu *v)
{
	v->rip += 1;
	svm_inject_exception(v, VECTOR_BP, false, 0);
}

static void svm_inject_irq(struct vcpu *v, uint8_t vector)
{
	svm_of(v)->vmcb->control.event_inj = vector | SVM_EVTINJ_TYPE_INTR | SVM_EVTINJ_VALID;
}

static void svm_inject_nmi(struct vcpu *v)
{
	struct svm_vcpu *sv = svm_of(v);

	sv->vmcb->control.event_inj = 2 | SVM_EVTINJ_TYPE_NMI | SVM_EVTINJ_VALID;
	sv->vmcb->control.intercept_misc1 |= SVM_INTERCEPT_IRET;
	sv->nmi_masked = true;
	sv->iret_seen = false;
}

static bool svm_event_queued(struct vcpu *v)
{
	return svm_of(v)->vmcb->control.event_inj & SVM_EVTINJ_VALID;
}

static bool svm_in_shadow(struct vcpu *v)
{
	return svm_of(v)->vmcb->control.interrupt_shadow & SVM_INTERRUPT_SHADOW;
}

static bool svm_irq_allowed(struct vcpu *v)
{
	return (v->rflags & RFLAGS_IF) && !svm_in_shadow(v);
}

static bool svm_nmi_allowed(struct vcpu *v)
{
	return !svm_of(v)->nmi_masked && !svm_in_shadow(v);
}

/* A virtual interrupt of top priority that ignores the TPR: the CPU exits
 * (VINTR intercept) the moment the guest could take it. */
static void svm_set_irq_window(struct vcpu *v, bool on)
{
	struct vmcb_control *c = &svm_of(v)->vmcb->control;
	const uint64_t vint = SVM_VINTR_V_IRQ | SVM_VINTR_IGN_TPR | 0xfull << SVM_VINTR_PRIO_SHIFT;

	if (on) {
		c->vintr |= vint;
		c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	} else {
		c->vintr &= ~vint;
		c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
}

/* Until the IRET exit the intercept is the window; after it, a single
 * step over the IRET (whatever RFLAGS.IF); in a shadow, the next exit with
 * interrupts possible serves. */
static void svm_set_nmi_window(struct vcpu *v, bool on)
{
	struct svm_vcpu *sv = svm_of(v);

	if (!on)
		return;
	if (!sv->nmi_masked) {
		svm_set_irq_window(v, true);
	} else if (sv->iret_seen && !sv->nmi_singlestep) {
		sv->nmi_singlestep = true;
		sv->guest_tf = v->rflags & RFLAGS_TF;
		v->rflags |= RFLAGS_TF;
		sv->vmcb->control.intercept_exceptions |= SVM_INTERCEPT_DB;
	}
}

/* The state INIT leaves (the core resets GPRs and EFER); PAT stays, as
 * INIT leaves it. */
static void svm_reset(struct vcpu *v, uint16_t cs_selector, uint64_t ip)
{
	struct svm_vcpu *sv = svm_of(v);
	struct vmcb *vmcb = sv->vmcb;

	svm_set_real_segments(&vmcb->save, cs_selector);
	vmcb->save.cr0 = CR0_ET | CR0_CD | CR0_NW;
	vmcb->save.cr2 = vmcb->save.cr3 = vmcb->save.cr4 = 0;
	vmcb->save.dr6 = DR6_RESET;
	vmcb->save.dr7 = DR7_RESET;
	vmcb->save.efer = EFER_SVME;
	vmcb->save.cpl = 0;
	vmcb->control.event_inj = 0;
	vmcb->control.interrupt_shadow = 0;
	vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	sv->nmi_masked = sv->iret_seen = sv->nmi_singlestep = false;
	svm_debug_intercepts(sv);
	svm_set_irq_window(v, false);
}

static void svm_inject_page_fault(struct vcpu *v, uint32_t error, uint64_t cr2)
{
	svm_of(v)->vmcb->save.cr2 = cr2;
	svm_inject_exception(v, VECTOR_PF, true, error);
}

/* Under nested paging G_PAT is the guest's PAT. */
static void svm_set_pat(struct vcpu *v, uint64_t pat)
{
	svm_of(v)->vmcb->save.g_pat = pat;
}

static void svm_clear_interrupt_shadow(struct vcpu *v)
{
	svm_of(v)->vmcb->control.interrupt_shadow = 0;
}

static void svm_flush_guest_tlb(struct vcpu *v)
{
	svm_of(v)->flush_pending = true;
}

/* NPT uses the host's page-table format, so 1 GiB leaves need the CPU's
 * 1 GiB page support (CPUID 0x80000001 EDX bit 26). */
static int svm_tdp_max_leaf_level(void)
{
	return cpuid(0x80000001, 0).edx & (1u << 26) ? 3 : 2;
}

static void svm_segment_get(struct vcpu_segment *to, const struct vmcb_segment *from)
{
	*to = (struct vcpu_segment){ .base = from->base, .limit = from->limit,
				     .selector = from->selector, .attrib = from->attrib };
}

static void svm_get_sregs(struct vcpu *v, struct vcpu_sregs *out)
{
	const struct vmcb_save *s = &svm_of(v)->vmcb->save;
	const struct vmcb_segment *segs[SEG_COUNT] = {
		[SEG_ES] = &s->es, [SEG_CS] = &s->cs, [SEG_SS] = &s->ss, [SEG_DS] = &s->ds,
		[SEG_FS] = &s->fs, [SEG_GS] = &s->gs, [SEG_LDTR] = &s->ldtr, [SEG_TR] = &s->tr,
	};

	for (unsigned i = 0; i < SEG_COUNT; i++)
		svm_segment_get(&out->seg[i], segs[i]);
	out->gdt_base = s->gdtr.base;
	out->gdt_limit = s->gdtr.limit;
	out->idt_base = s->idtr.base;
	out->idt_limit = s->idtr.limit;
	out->cr0 = s->cr0;
	out->cr2 = s->cr2;
	out->cr3 = s->cr3;
	out->cr4 = s->cr4;
	out->cpl = s->cpl;
}

static void svm_dump_state(struct vcpu *v)
{
	const struct vmcb_save *s = &svm_of(v)->vmcb->save;

	log_error("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx efer=%016llx",
		  (unsigned long long)s->cr0, (unsigned long long)s->cr2,
		  (unsigned long long)s->cr3, (unsigned long long)s->cr4,
		  (unsigned long long)s->efer);
	log_error("  cs=%04x base=%llx attr=%03x ss=%04x ds=%04x idtr=%llx/%x gdtr=%llx/%x",
		  s->cs.selector, (unsigned long long)s->cs.base, s->cs.attrib, s->ss.selector,
		  s->ds.selector, (unsigned long long)s->idtr.base, s->idtr.limit,
		  (unsigned long long)s->gdtr.base, s->gdtr.limit);
}

const struct vendor_ops svm_ops = {
	.name = "svm",
	.pte_ops = &npt_pte_ops,
	.dr6_in_control_block = true,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 },		/* VMMCALL */
	.cr2_in_control_block = true,
	.tdp_max_leaf_level = svm_tdp_max_leaf_level,
	.cpu_enable = svm_cpu_enable,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.inject_exception = svm_inject_exception,
	.inject_page_fault = svm_inject_page_fault,
	.inject_irq = svm_inject_irq,
	.inject_nmi = svm_inject_nmi,
	.event_queued = svm_event_queued,
	.irq_allowed = svm_irq_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.set_irq_window = svm_set_irq_window,
	.set_nmi_window = svm_set_nmi_window,
	.clear_interrupt_shadow = svm_clear_interrupt_shadow,
	.set_cr0 = svm_set_cr0,
	.set_cr4 = svm_set_cr4,
	.set_pat = svm_set_pat,
	.flush_guest_tlb = svm_flush_guest_tlb,
	.reset = svm_reset,
	.inject_int3 = svm_inject_int3,
	.has_step_trap = svm_has_step_trap,
	.apicv_supported = svm_apicv_supported,
	.drop_pending_step = svm_drop_pending_step,
	.set_debug = svm_set_debug,
	.get_dr = svm_get_dr,
	.set_dr = svm_set_dr,
	.get_sregs = svm_get_sregs,
	.dump_state = svm_dump_state,
};
