/* VMX vCPUs: the VMCS's life on a CPU, VM entry and exit, event injection
 * and state dumps.
 *
 * vcpu_create runs before this CPU (or any) has done VMXON, so it only
 * allocates; the VMCS is cleared, made current and filled at the first run,
 * on the CPU that runs the VM. A VMCS cannot follow a vCPU to another CPU
 * without a VMCLEAR there, and a VM runs on one CPU start to finish, so a
 * move is refused rather than handled. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "hv/vcpu.h"
#include "hv/vm_exit.h"
#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "mm/page.h"
#include "vmx/ept_pte.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/insn.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define VPID_MAX		0xffffu
/* Pause-loop exiting: PAUSEs at most this many TSC ticks apart form one
 * loop, and a loop this long exits (KVM's defaults). */
#define PLE_GAP			128
#define PLE_WINDOW		4096
#define NO_CPU			(-1)
/* The parts of IDT-vectoring information that VM-entry injection takes. */
#define INTR_INFO_EVENT_BITS	(INTR_INFO_VALID | INTR_INFO_ERROR_VALID | INTR_INFO_TYPE_MASK | \
				 INTR_INFO_VECTOR_MASK)

/* The VMCS current on each CPU, to skip redundant VMPTRLDs. */
CPU_LOCAL(void *, current_vmcs);

static struct vmx_vcpu *vmx_of(struct vcpu *v)
{
	return v->vendor;
}

void vmx_make_current(void *vmcs)
{
	if (*this_cpu_ptr(current_vmcs) == vmcs)
		return;
	if (!vmptrld(virt_to_phys(vmcs)))
		panic("vmx: VMPTRLD of the VMCS at %p failed", vmcs);
	*this_cpu_ptr(current_vmcs) = vmcs;
}

/* Execution, exit and entry controls, and what they point to. */
static void vmx_controls_write(struct vmx_vcpu *vx)
{
	uint64_t msrs = virt_to_phys(vx->msrs);

	vmx_write(VMCS_PIN_CONTROLS, vmx_caps.pin);
	vx->proc = vmx_caps.proc;
	vmx_write(VMCS_PROC_CONTROLS2, vmx_caps.proc2);
	vmx_write(VMCS_EXIT_CONTROLS, vmx_caps.exit);
	vmx_write(VMCS_ENTRY_CONTROLS, vmx_caps.entry);
	vmx_debug_controls_write(vx);		/* the primary controls, the exception bitmap */
	vmx_write(VMCS_PF_ERROR_MASK, 0);
	vmx_write(VMCS_PF_ERROR_MATCH, 0);
	vmx_write(VMCS_CR3_TARGET_COUNT, 0);
	vmx_write(VMCS_IO_BITMAP_A, vmx_io_bitmap_a_pa());
	vmx_write(VMCS_IO_BITMAP_B, vmx_io_bitmap_b_pa());
	vmx_write(VMCS_MSR_BITMAP, vmx_msr_bitmap_pa());
	vmx_write(VMCS_EPT_POINTER, vx->eptp);
	vmx_write(VMCS_ENTRY_MSR_LOAD_ADDR, msrs);
	vmx_write(VMCS_ENTRY_MSR_LOAD_COUNT, vx->nr_msrs);
	vmx_write(VMCS_EXIT_MSR_STORE_ADDR, msrs);
	vmx_write(VMCS_EXIT_MSR_STORE_COUNT, vx->nr_msrs);
	vmx_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmx_write(VMCS_ENTRY_INTR_INFO, 0);
	if (vmx_caps.proc2 & PROC2_PAUSE_LOOP_EXITING) {
		vmx_write(VMCS_PLE_GAP, PLE_GAP);
		vmx_write(VMCS_PLE_WINDOW, PLE_WINDOW);
	}
}

/* Make v's VMCS current on this CPU, filling it at the first run; false
 * when it is active on another CPU. */
static bool vmx_vcpu_load(struct vmx_vcpu *vx)
{
	if (vx->cpu == (int)cpu_id()) {
		vmx_make_current(vx->vmcs);
		return true;
	}
	if (vx->cpu != NO_CPU)
		return false;
	if (!vmclear(virt_to_phys(vx->vmcs)))
		panic("vmx: VMCLEAR of a new VMCS failed");
	vmx_make_current(vx->vmcs);
	vx->cpu = cpu_id();
	vmx_controls_write(vx);
	vmx_host_state_write();
	vmx_guest_state_write(vx->mode);
	/* The EPT root page may have served an earlier VM on this CPU. */
	vx->flush_pending = true;
	return true;
}

static int vmx_vcpu_create(struct vcpu *v, const struct guest_entry *entry, uint64_t tdp_root)
{
	struct vmx_vcpu *vx = calloc(1, sizeof(*vx));
	void *vmcs = page_alloc_zeroed();

	if (!vx || !vmcs) {
		free(vx);
		if (vmcs)
			page_free(vmcs);
		return -ENOMEM;
	}
	*(uint32_t *)vmcs = vmx_caps.revision;
	vx->vmcs = vmcs;
	vx->cpu = NO_CPU;
	vx->mode = entry->mode;
	vx->eptp = tdp_root | EPTP_MEMTYPE_WB | EPTP_WALK_LENGTH_4 |
		   (vmx_caps.ept_ad ? EPTP_AD_ENABLE : 0);
	vx->nr_msrs = vmx_switched_msrs_init(vx->msrs);
	v->vendor = vx;
	return 0;
}

static void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);

	v->vendor = NULL;
	if (vx->cpu != NO_CPU && vx->cpu != (int)cpu_id()) {
		/* The CPU may still write the VMCS back: leak it rather than
		 * hand the page out again. */
		log_error("vmx: a VMCS active on cpu%d cannot be freed on cpu%u; leaked",
			  vx->cpu, cpu_id());
		return;
	}
	if (vx->cpu != NO_CPU) {
		if (!vmclear(virt_to_phys(vx->vmcs)))
			panic("vmx: VMCLEAR of a VMCS failed");
		*this_cpu_ptr(current_vmcs) = NULL;
	}
	page_free(vx->vmcs);
	free(vx);
}

/* The event to inject at this entry, if any. Real mode delivers no error
 * code, and VM entry refuses one there. */
static void vmx_write_pending_event(struct vmx_vcpu *vx)
{
	uint32_t event = vx->pending_event;

	if (!event)
		return;
	if (!(vmread(VMCS_GUEST_CR0) & CR0_PE))
		event &= ~INTR_INFO_ERROR_VALID;
	/* Re-delivering an NMI whose delivery an exit interrupted: the CPU
	 * reports NMI blocking, which VM entry refuses with an NMI to inject. */
	if ((event & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
		vmx_write(VMCS_GUEST_INTERRUPTIBILITY,
			  vmread(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_NMI);
	vmx_write(VMCS_ENTRY_INTR_INFO, event);
	vmx_write(VMCS_ENTRY_EXCEPTION_ERROR, vx->pending_error);
	vmx_write(VMCS_ENTRY_INSN_LEN, vx->pending_insn_len);
	vx->pending_event = 0;
}

/* An event the exit interrupted while the CPU delivered it through the
 * guest's IDT (say, an EPT violation on the handler's stack) is lost
 * unless the next entry injects it again. */
static void vmx_requeue_interrupted_event(struct vmx_vcpu *vx, const struct vm_exit *exit)
{
	uint32_t info = vmread(VMCS_IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	vx->pending_event = info & INTR_INFO_EVENT_BITS;
	vx->pending_error = vmread(VMCS_IDT_VECTORING_ERROR);
	vx->pending_insn_len = exit->insn_len;
}

/* EFER as the guest runs with it: its own bits, with LMA as the "IA-32e
 * mode guest" entry control says (which every VM exit refreshes). */
static uint64_t vmx_guest_efer(const struct vcpu *v)
{
	bool lma = vmread(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST;

	return (v->efer & ~EFER_LMA) | (lma ? EFER_LMA : 0);
}

/* Describe a failed VMLAUNCH/VMRESUME in `exit`. */
static void vmx_vmfail(const struct vmx_vcpu *vx, int fail, struct vm_exit *exit)
{
	uint64_t error = vmread(VMCS_INSN_ERROR);
	const char *insn = vx->launched ? "VMRESUME" : "VMLAUNCH";

	*exit = (struct vm_exit){ .reason = EXIT_FAILED_ENTRY, .vendor_code = error };
	if (fail == VMX_VMFAIL_VALID)
		snprintf(exit->failure, sizeof(exit->failure), "%s failed: %s (error %llu)",
			 insn, vmx_insn_error_name(error), (unsigned long long)error);
	else
		snprintf(exit->failure, sizeof(exit->failure), "%s failed: no current VMCS", insn);
}

/* One VM entry and exit, with the guest state synchronized both ways. */
static void vmx_enter(struct vcpu *v, struct vm_exit *exit)
{
	struct vmx_vcpu *vx = vmx_of(v);
	int fail;

	vmx_cr0_sync_intercept(v);
	vmx_write(VMCS_GUEST_RIP, v->rip);
	vmx_write(VMCS_GUEST_RFLAGS, v->rflags);
	vmx_write(VMCS_GUEST_RSP, v->gprs.rsp);
	vmx_write(VMCS_GUEST_EFER, vmx_guest_efer(v));
	vmx_write_pending_event(vx);

	fail = vmx_vmrun(&v->gprs, vx->launched);
	if (fail) {
		vmx_vmfail(vx, fail, exit);
		return;
	}
	v->rip = vmread(VMCS_GUEST_RIP);
	v->rflags = vmread(VMCS_GUEST_RFLAGS);
	v->gprs.rsp = vmread(VMCS_GUEST_RSP);
	v->efer = vmx_guest_efer(v);
	vmx_exit_decode(exit);
	if (exit->reason == EXIT_FAILED_ENTRY)
		return;
	vx->launched = true;
	vmx_requeue_interrupted_event(vx, exit);
}

static void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct vmx_vcpu *vx = vmx_of(v);

	vx->pending_event = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID |
			    (has_error ? INTR_INFO_ERROR_VALID : 0);
	vx->pending_error = error;
	vx->pending_insn_len = 0;
}

/* INT3 is one byte long: the guest's handler returns past it. */
static void vmx_inject_int3(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);

	vx->pending_event = VECTOR_BP | INTR_TYPE_SOFT_EXCEPTION | INTR_INFO_VALID;
	vx->pending_error = 0;
	vx->pending_insn_len = 1;
}

static void vmx_inject_irq(struct vcpu *v, uint8_t vector)
{
	struct vmx_vcpu *vx = vmx_of(v);

	vx->pending_event = vector | INTR_TYPE_EXT_INTR | INTR_INFO_VALID;
	vx->pending_insn_len = 0;
}

static void vmx_inject_nmi(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);

	vx->pending_event = 2 | INTR_TYPE_NMI | INTR_INFO_VALID;
	vx->pending_insn_len = 0;
}

static bool vmx_event_queued(struct vcpu *v)
{
	return vmx_of(v)->pending_event;
}

static uint32_t vmx_interruptibility(struct vcpu *v)
{
	vmx_make_current(vmx_of(v)->vmcs);
	return vmread(VMCS_GUEST_INTERRUPTIBILITY);
}

static bool vmx_irq_allowed(struct vcpu *v)
{
	return (v->rflags & RFLAGS_IF) &&
	       !(vmx_interruptibility(v) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/* Some CPUs block NMIs in an STI shadow too: wait for it to pass. */
static bool vmx_nmi_allowed(struct vcpu *v)
{
	return !(vmx_interruptibility(v) &
		 (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI));
}

static void vmx_set_window(struct vcpu *v, uint32_t bit, bool on)
{
	struct vmx_vcpu *vx = vmx_of(v);
	uint32_t proc = on ? vx->proc | bit : vx->proc & ~bit;

	if (proc == vx->proc)
		return;
	vx->proc = proc;
	vmx_make_current(vx->vmcs);
	vmx_write(VMCS_PROC_CONTROLS, proc);
}

static void vmx_set_irq_window(struct vcpu *v, bool on)
{
	vmx_set_window(v, PROC_INTR_WINDOW_EXITING, on);
}

static void vmx_set_nmi_window(struct vcpu *v, bool on)
{
	vmx_set_window(v, PROC_NMI_WINDOW_EXITING, on);
}

static void vmx_reset(struct vcpu *v, uint16_t cs_selector, uint64_t ip)
{
	struct vmx_vcpu *vx = vmx_of(v);

	if (!vmx_vcpu_load(vx))
		panic("vmx: reset of a vCPU whose VMCS is active on cpu%d", vx->cpu);
	vmx_guest_state_reset(cs_selector);
	vx->cr0_pg_intercepted = false;
	vx->pending_event = 0;
	vmx_set_window(v, PROC_INTR_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING, false);
}

/* VMX has no CR2 field: the guest's CR2 is the CPU's while it is loaded. */
static void vmx_inject_page_fault(struct vcpu *v, uint32_t error, uint64_t cr2)
{
	write_cr2(cr2);
	vmx_inject_exception(v, VECTOR_PF, true, error);
}

/* Loaded at every entry ("load IA32_PAT"). */
static void vmx_set_pat(struct vcpu *v, uint64_t pat)
{
	vmx_make_current(vmx_of(v)->vmcs);
	vmx_write(VMCS_GUEST_PAT, pat);
}

static void vmx_clear_interrupt_shadow(struct vcpu *v)
{
	uint32_t state = vmx_interruptibility(v);

	if (state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmx_write(VMCS_GUEST_INTERRUPTIBILITY,
			  state & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

static void vmx_vcpu_run(struct vcpu *v, struct vm_exit *exit)
{
	struct vmx_vcpu *vx = vmx_of(v);

	if (!vmx_vcpu_load(vx)) {
		*exit = (struct vm_exit){ .reason = EXIT_FAILED_ENTRY };
		snprintf(exit->failure, sizeof(exit->failure),
			 "the vCPU's VMCS is active on cpu%d; it cannot run on cpu%u",
			 vx->cpu, cpu_id());
		return;
	}
	/* VPID 0 is the host's. A recycled VPID may still tag its previous
	 * holder's translations on this CPU: flush it before first use. */
	if (vmx_caps.vpid && tlb_tag_assign(&vx->vpid, VPID_MAX)) {
		if (!invvpid(vmx_caps.invvpid_type, vx->vpid.id))
			panic("vmx: INVVPID type %llu of VPID %u failed",
			      (unsigned long long)vmx_caps.invvpid_type, vx->vpid.id);
		vmx_write(VMCS_VPID, vx->vpid.id);
	}
	if (vx->flush_pending) {
		if (!invept(vmx_caps.invept_type, vx->eptp))
			panic("vmx: INVEPT type %llu failed",
			      (unsigned long long)vmx_caps.invept_type);
		vx->flush_pending = false;
	}
	vmx_write(VMCS_TSC_OFFSET, (uint64_t)v->tsc_offset);
	vmx_apicv_entry(v);
	vmx_enter(v, exit);
	/* NMI exiting took the host's NMI: hand it to the host's handler. */
	if (exit->reason == EXIT_INTERRUPT &&
	    (exit->vendor_code & EXIT_REASON_BASIC_MASK) == VMX_EXIT_EXCEPTION_NMI)
		__asm__ volatile("int $2");
}

static void vmx_flush_guest_tlb(struct vcpu *v)
{
	vmx_of(v)->flush_pending = true;
}

/* 2 MiB EPT pages are required at probe time; 1 GiB ones are optional. */
static int vmx_tdp_max_leaf_level(void)
{
	return vmx_caps.ept_1g_pages ? 3 : 2;
}

/* Access rights in VMX form to the VMCB's packed attributes. */
static uint16_t vmx_ar_to_attrib(uint32_t ar)
{
	if (ar & VMX_AR_UNUSABLE)
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}

/* A control register as the guest reads it: the read shadow for the bits
 * the guest/host mask owns, the real register for the rest. */
static uint64_t vmx_guest_cr(uint32_t field, uint32_t mask, uint32_t shadow)
{
	uint64_t m = vmread(mask);

	return (vmread(field) & ~m) | (vmread(shadow) & m);
}

static void vmx_get_sregs(struct vcpu *v, struct vcpu_sregs *out)
{
	static const enum vmcs_segment order[SEG_COUNT] = {
		[SEG_ES] = VMCS_ES, [SEG_CS] = VMCS_CS, [SEG_SS] = VMCS_SS, [SEG_DS] = VMCS_DS,
		[SEG_FS] = VMCS_FS, [SEG_GS] = VMCS_GS, [SEG_LDTR] = VMCS_LDTR, [SEG_TR] = VMCS_TR,
	};

	/* A vCPU paused before it ever ran (debug=wait) has its VMCS filled here. */
	if (!vmx_vcpu_load(vmx_of(v)))
		panic("vmx: registers of a vCPU whose VMCS is active on cpu%d", vmx_of(v)->cpu);
	for (unsigned i = 0; i < SEG_COUNT; i++) {
		enum vmcs_segment s = order[i];

		out->seg[i] = (struct vcpu_segment){
			.base = vmread(VMCS_GUEST_BASE(s)),
			.limit = vmread(VMCS_GUEST_LIMIT(s)),
			.selector = vmread(VMCS_GUEST_SEL(s)),
			.attrib = vmx_ar_to_attrib(vmread(VMCS_GUEST_AR(s))),
		};
	}
	out->gdt_base = vmread(VMCS_GUEST_GDTR_BASE);
	out->gdt_limit = vmread(VMCS_GUEST_GDTR_LIMIT);
	out->idt_base = vmread(VMCS_GUEST_IDTR_BASE);
	out->idt_limit = vmread(VMCS_GUEST_IDTR_LIMIT);
	out->cr0 = vmx_guest_cr(VMCS_GUEST_CR0, VMCS_CR0_MASK, VMCS_CR0_SHADOW);
	out->cr2 = read_cr2();
	out->cr3 = vmread(VMCS_GUEST_CR3);
	out->cr4 = vmx_guest_cr(VMCS_GUEST_CR4, VMCS_CR4_MASK, VMCS_CR4_SHADOW);
	/* SS.DPL is the CPL (SDM "Checks on Guest Segment Registers"). */
	out->cpl = SEG_ATTR_DPL(out->seg[SEG_SS].attrib);
}

static void vmx_dump_state(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx_of(v);

	if (vx->cpu != (int)cpu_id()) {
		log_error("  (the VMCS is not active on this CPU)");
		return;
	}
	vmx_make_current(vx->vmcs);
	log_error("  cr0=%016llx (guest sees %016llx) cr3=%016llx cr4=%016llx efer=%016llx",
		  (unsigned long long)vmread(VMCS_GUEST_CR0),
		  (unsigned long long)vmread(VMCS_CR0_SHADOW),
		  (unsigned long long)vmread(VMCS_GUEST_CR3),
		  (unsigned long long)vmread(VMCS_GUEST_CR4),
		  (unsigned long long)vmread(VMCS_GUEST_EFER));
	log_error("  cs=%04llx base=%llx ar=%05llx ss=%04llx ds=%04llx idtr=%llx/%llx gdtr=%llx/%llx",
		  (unsigned long long)vmread(VMCS_GUEST_SEL(VMCS_CS)),
		  (unsigned long long)vmread(VMCS_GUEST_BASE(VMCS_CS)),
		  (unsigned long long)vmread(VMCS_GUEST_AR(VMCS_CS)),
		  (unsigned long long)vmread(VMCS_GUEST_SEL(VMCS_SS)),
		  (unsigned long long)vmread(VMCS_GUEST_SEL(VMCS_DS)),
		  (unsigned long long)vmread(VMCS_GUEST_IDTR_BASE),
		  (unsigned long long)vmread(VMCS_GUEST_IDTR_LIMIT),
		  (unsigned long long)vmread(VMCS_GUEST_GDTR_BASE),
		  (unsigned long long)vmread(VMCS_GUEST_GDTR_LIMIT));
	log_error("  exit reason=%#llx qualification=%#llx",
		  (unsigned long long)vmread(VMCS_EXIT_REASON),
		  (unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
}

const struct vendor_ops vmx_ops = {
	.name = "vmx",
	.pte_ops = &ept_pte_ops,
	.dr6_in_control_block = false,
	.hypercall_insn = { 0x0f, 0x01, 0xc1 },		/* VMCALL */
	.cr2_in_control_block = false,
	.tdp_max_leaf_level = vmx_tdp_max_leaf_level,
	.cpu_enable = vmx_cpu_enable,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_run = vmx_vcpu_run,
	.inject_exception = vmx_inject_exception,
	.inject_page_fault = vmx_inject_page_fault,
	.inject_irq = vmx_inject_irq,
	.inject_nmi = vmx_inject_nmi,
	.event_queued = vmx_event_queued,
	.irq_allowed = vmx_irq_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.set_irq_window = vmx_set_irq_window,
	.set_nmi_window = vmx_set_nmi_window,
	.clear_interrupt_shadow = vmx_clear_interrupt_shadow,
	.set_cr0 = vmx_set_cr0,
	.set_cr4 = vmx_set_cr4,
	.set_pat = vmx_set_pat,
	.flush_guest_tlb = vmx_flush_guest_tlb,
	.reset = vmx_reset,
	.inject_int3 = vmx_inject_int3,
	.has_step_trap = vmx_has_step_trap,
	.apicv_supported = vmx_apicv_supported,
	.drop_pending_step = vmx_drop_pending_step,
	.set_debug = vmx_set_debug,
	.get_dr = vmx_get_dr,
	.set_dr = vmx_set_dr,
	.get_sregs = vmx_get_sregs,
	.dump_state = vmx_dump_state,
};
