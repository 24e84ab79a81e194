/* The vendor interface: everything hv/ asks of VMX or SVM goes through
 * this one table (as Linux KVM's kvm_x86_ops). vmx/ and svm/ each fill one.
 * Every per-vCPU operation runs on the vCPU's own CPU (hv/sched.c never
 * moves a vCPU), so a VMCS is always current where it is used. */
#pragma once

#include "lib/compiler.h"
#include "mm/tdp_pte.h"

struct vcpu;
struct vcpu_sregs;
struct vm_exit;
struct guest_entry;

struct vendor_ops {
	const char *name;			/* "svm" or "vmx" */
	const struct tdp_pte_ops *pte_ops;	/* NPT or EPT entries */
	bool dr6_in_control_block;		/* VM entry and exit switch DR6 */
	bool cr2_in_control_block;		/* and CR2 */
	uint8_t hypercall_insn[3];		/* VMMCALL or VMCALL, for a hypercall page */

	/* Largest TDP leaf the CPU supports: 3 with 1 GiB pages, else 2. */
	int (*tdp_max_leaf_level)(void);

	/* Turn virtualization on for the running CPU; 0 or -errno (logged). */
	int (*cpu_enable)(void);
	/* Give `v` its control block, in the state `entry` describes, with
	 * guest-physical memory translated through the table at `tdp_root`.
	 * 0 or -ENOMEM. */
	int (*vcpu_create)(struct vcpu *v, const struct guest_entry *entry, uint64_t tdp_root);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Enter the guest until the next exit, which is decoded into `exit`.
	 * v->gprs, v->rip and v->rflags are current before and after. */
	void (*vcpu_run)(struct vcpu *v, struct vm_exit *exit);
	/* Deliver exception `vector` (with `error` if `has_error`) at the next entry. */
	void (*inject_exception)(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
	/* Deliver a page fault with `error` and CR2 = `cr2` at the next entry. */
	void (*inject_page_fault)(struct vcpu *v, uint32_t error, uint64_t cr2);
	/* Deliver external interrupt `vector` / an NMI at the next entry; only
	 * when irq_allowed / nmi_allowed and no event is queued. */
	void (*inject_irq)(struct vcpu *v, uint8_t vector);
	void (*inject_nmi)(struct vcpu *v);
	/* Whether an event is queued for the next entry already: one whose
	 * delivery an exit interrupted, or an exception a handler injected. */
	bool (*event_queued)(struct vcpu *v);
	/* Whether the guest takes an external interrupt now (RFLAGS.IF set,
	 * no STI or MOV SS shadow) / an NMI (none in progress, no shadow). */
	bool (*irq_allowed)(struct vcpu *v);
	bool (*nmi_allowed)(struct vcpu *v);
	/* Exit (EXIT_IRQ_WINDOW / EXIT_NMI_WINDOW) as soon as irq_allowed /
	 * nmi_allowed would hold, or stop asking. */
	void (*set_irq_window)(struct vcpu *v, bool on);
	void (*set_nmi_window)(struct vcpu *v, bool on);
	/* The instruction the guest was in the shadow of has been emulated or
	 * skipped: the STI / MOV SS shadow ends. */
	void (*clear_interrupt_shadow)(struct vcpu *v);
	/* Load the guest's CR0 with `cr0`, a write the core has checked
	 * (hv/cr.c), entering or leaving IA-32e mode as a paging switch with
	 * EFER.LME does; the core flushes what the change requires. */
	void (*set_cr0)(struct vcpu *v, uint64_t cr0);
	/* The same for CR4. */
	void (*set_cr4)(struct vcpu *v, uint64_t cr4);
	/* Load the guest's PAT (a valid one, hv/msr.c keeps it). */
	void (*set_pat)(struct vcpu *v, uint64_t pat);
	/* Drop the guest's cached translations before its next entry. */
	void (*flush_guest_tlb)(struct vcpu *v);
	/* Put `v` in the state INIT leaves: real mode, paging off, segments
	 * and control registers reset, RFLAGS 2, no event pending, and CS:IP
	 * = `cs_selector`:`ip` with CS base cs_selector << 4 (a start-up IPI's
	 * entry point). The core resets the GPRs and EFER. */
	void (*reset)(struct vcpu *v, uint16_t cs_selector, uint64_t ip);
	/* Deliver the #BP of the INT3 at RIP as the guest takes it: through
	 * its IDT as a software exception, returning past the INT3. */
	void (*inject_int3)(struct vcpu *v);
	/* Whether the CPU can end a step after one instruction by its own
	 * means (VMX's monitor trap flag); else the core steps with TF. */
	bool (*has_step_trap)(void);
	/* Forget a single-step trap the CPU keeps for the guest's next entry
	 * (VMX's pending debug exceptions after an exit from an instruction
	 * run with TF; SVM keeps none): the core emulated that instruction. */
	void (*drop_pending_step)(struct vcpu *v);
	/* Intercept what a debugger needs (DEBUG_* of hv/vcpu_debug.h): with
	 * DEBUG_STEP the next instruction the guest completes ends with
	 * EXIT_SINGLE_STEP. */
	void (*set_debug)(struct vcpu *v, unsigned what);
	/* The guest's DR6 (n = 6) or DR7 (n = 7), `v` loaded on this CPU. */
	uint64_t (*get_dr)(struct vcpu *v, unsigned n);
	void (*set_dr)(struct vcpu *v, unsigned n, uint64_t value);
	/* Whether this CPU and vendor code virtualize the local APIC
	 * (hv/apicv.h). Where they do, vcpu_run follows v->apicv_active at
	 * each entry, with the vLAPIC's register page as the virtual-APIC
	 * page, so IRR, ISR and TPR carry over both ways. */
	bool (*apicv_supported)(void);
	/* Read the guest's control and segment registers. */
	void (*get_sregs)(struct vcpu *v, struct vcpu_sregs *s);
	/* Log the control registers and segments (the core logs the GPRs). */
	void (*dump_state)(struct vcpu *v);
};

/* The vendor this CPU has, chosen at boot by vendor_probe() (boot/vendor.h);
 * NULL before, and when neither vendor is usable. */
extern const struct vendor_ops *vendor;
