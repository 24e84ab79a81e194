/* Intel VMX: what the vmx/ files share. */
#pragma once

#include "vmx/vmcs.h"

/* What vmx_vmrun returns when VMLAUNCH/VMRESUME itself fails. */
#define VMX_VMFAIL_VALID	1	/* the VM-instruction error field says why */
#define VMX_VMFAIL_INVALID	2	/* no current VMCS */

#ifndef __ASSEMBLY__

#include "hv/load/guest_load.h"
#include "hv/vendor.h"
#include "mm/tlb_tag.h"

struct vcpu;
struct vcpu_gprs;

#define MSR_VMX_BASIC			0x480
#define MSR_VMX_PINBASED_CTLS		0x481
#define MSR_VMX_PROCBASED_CTLS		0x482
#define MSR_VMX_EXIT_CTLS		0x483
#define MSR_VMX_ENTRY_CTLS		0x484
#define MSR_VMX_CR0_FIXED0		0x486
#define MSR_VMX_CR0_FIXED1		0x487
#define MSR_VMX_CR4_FIXED0		0x488
#define MSR_VMX_CR4_FIXED1		0x489
#define MSR_VMX_PROCBASED_CTLS2		0x48b
#define MSR_VMX_EPT_VPID_CAP		0x48c
#define MSR_VMX_TRUE_PINBASED_CTLS	0x48d	/* TRUE_*: the same four, +0xc */

#define VMX_BASIC_REVISION_MASK		0x7fffffffull
#define VMX_BASIC_TRUE_CTLS		(1ull << 55)

/* What the CPU offers and what every VMCS uses, fixed at probe time. */
struct vmx_caps {
	uint32_t revision;		/* VMCS and VMXON region identifier */
	uint32_t pin, proc, proc2, exit, entry;	/* control values (entry without IA-32e) */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool ept_1g_pages;
	bool mtf;			/* the monitor trap flag */
	bool apicv;			/* TPR shadow, virtual-interrupt delivery, APIC-register
					   and x2APIC-mode virtualization (vmx_apicv.c) */
	bool ept_ad;			/* EPT accessed/dirty flags */
	uint64_t invept_type;		/* single-context if supported, else all-context */
	bool vpid;			/* VPIDs in use (with a usable INVVPID) */
	uint64_t invvpid_type;
};
extern struct vmx_caps vmx_caps;

/* One entry of a VM-entry MSR-load / VM-exit MSR-store area. */
struct vmx_msr_entry {
	uint32_t index;
	uint32_t reserved;
	uint64_t value;
};
static_assert(sizeof(struct vmx_msr_entry) == 16, "VMX MSR area entry");

/* Guest MSRs the VMCS has no field for but the guest accesses directly
 * (SYSCALL and SWAPGS state): the CPU loads them at entry, stores at exit. */
#define VMX_SWITCHED_MSRS_MAX	8

/* What the VMCS does with the guest's local APIC (vmx_apicv.c). */
enum vmx_apic_mode {
	VMX_APIC_EMULATED,		/* every access exits to the vLAPIC */
	VMX_APIC_XAPIC,			/* APICv; the MMIO page still emulated */
	VMX_APIC_X2APIC,		/* APICv with x2APIC-mode virtualization */
};

/* Per-vCPU VMX state. */
struct vmx_vcpu {
	struct vmx_msr_entry msrs[VMX_SWITCHED_MSRS_MAX] __aligned(16);
	unsigned nr_msrs;
	void *vmcs;			/* the VMCS region (one page) */
	int cpu;			/* CPU the VMCS is active on, -1 before the first run */
	bool launched;			/* VMLAUNCH done: enter with VMRESUME */
	struct tlb_tag vpid;
	uint64_t eptp;
	bool flush_pending;		/* INVEPT before the next entry */
	uint32_t pending_event;		/* VM-entry interruption information, or 0 */
	uint32_t pending_error;
	uint32_t pending_insn_len;	/* of a software interrupt being re-delivered */
	bool cr0_pg_intercepted;	/* CR0.PG is in the guest/host mask */
	uint32_t proc;			/* the primary controls in the VMCS now */
	enum guest_mode mode;		/* the entry state, written at the first run */
	unsigned debug;			/* DEBUG_* intercepts (vmx_debug.c) */
	enum vmx_apic_mode apic_mode;	/* what the controls say now */
	bool eoi_exit_valid;		/* the EOI-exit bitmap was written from: */
	uint32_t eoi_exit_generation;	/* ... the IOAPIC routes of this generation */
	uint64_t eoi_exit_tmr[4];	/* ... and this TMR */
};

extern const struct vendor_ops vmx_ops;

/* Make `vmcs` the current VMCS of this CPU. */
void vmx_make_current(void *vmcs);

/* hv/vendor.h apicv_supported (vmx_apicv.c). */
bool vmx_apicv_supported(void);
/* Before each entry (the VMCS current): the APIC controls for v's APICv
 * state and APIC mode; with APICv, RVI and SVI from the vLAPIC's IRR and
 * ISR, and the EOI-exit bitmap. */
void vmx_apicv_entry(struct vcpu *v);

/* The debugger's intercepts (hv/vcpu_debug.h): kept in vx->debug and
 * written to the VMCS now if it is active here, else at its first run by
 * vmx_debug_controls_write() (the VMCS current). */
bool vmx_has_step_trap(void);
void vmx_drop_pending_step(struct vcpu *v);
void vmx_set_debug(struct vcpu *v, unsigned what);
void vmx_debug_controls_write(struct vmx_vcpu *vx);
uint64_t vmx_get_dr(struct vcpu *v, unsigned n);
void vmx_set_dr(struct vcpu *v, unsigned n, uint64_t value);

/* Whether this CPU can run VMX guests with EPT and unrestricted guest;
 * records the capabilities and controls in vmx_caps; logs why not. */
bool vmx_probe(void);

/* Pick every VMCS control from the capability MSRs; false (logged) when
 * the CPU lacks one the hypervisor needs. */
bool vmx_controls_init(void);

/* Enable VMX (IA32_FEATURE_CONTROL) on the running CPU; false (logged)
 * when firmware has locked it off. */
bool vmx_feature_control_enable(void);

/* VMXON on the running CPU; 0 or -errno (logged). */
int vmx_cpu_enable(void);


/* Build the shared I/O and MSR bitmaps (once, at probe time). */
void vmx_bitmaps_init(void);

/* Physical addresses of the shared bitmaps. */
uint64_t vmx_io_bitmap_a_pa(void);
uint64_t vmx_io_bitmap_b_pa(void);
uint64_t vmx_msr_bitmap_pa(void);
/* The MSR bitmap of an x2APIC guest with APICv: that one, with reads of
 * the registers the CPU virtualizes and writes of TPR, EOI and self-IPI
 * let through to the virtual-APIC page. */
uint64_t vmx_msr_bitmap_x2apic_pa(void);

/* Fill `area` with the MSRs the CPU switches at entry and exit (initial
 * guest values 0); returns how many. */
unsigned vmx_switched_msrs_init(struct vmx_msr_entry *area);

/* Write the host-state fields for the running CPU into the current VMCS. */
void vmx_host_state_write(void);

/* Write the guest-state fields of entry mode `mode` (registers aside from
 * RIP, RSP and RFLAGS, which every entry writes) into the current VMCS. */
void vmx_guest_state_write(enum guest_mode mode);

/* The guest state INIT leaves, CS = `cs_selector` (base selector << 4),
 * in the current VMCS (RIP, RSP, RFLAGS and EFER are written at entry). */
void vmx_guest_state_reset(uint16_t cs_selector);

/* Set guest CR0 to `guest_cr0` (as the guest sees it), CR3 to 0 and CR4
 * to 0, with the bits VMX pins set underneath the read shadows. */
void vmx_cr_init(uint64_t guest_cr0);

/* Keep CR0.PG intercepted exactly while the guest's EFER.LME is set, the
 * only time a paging switch needs the hypervisor (to switch IA-32e mode). */
void vmx_cr0_sync_intercept(struct vcpu *v);

/* Load the guest's CR0 / CR4 (the vendor ops), pinned bits set underneath. */
void vmx_set_cr0(struct vcpu *v, uint64_t cr0);
void vmx_set_cr4(struct vcpu *v, uint64_t cr4);

/* VM entry with the guest's GPRs (VMLAUNCH, or VMRESUME once `launched`);
 * returns after the VM exit with the guest's GPRs saved (vmx_entry.S).
 * Returns 0 after a VM exit, VMX_VMFAIL_VALID or VMX_VMFAIL_INVALID when
 * the instruction itself failed. */
int vmx_vmrun(struct vcpu_gprs *gprs, bool launched);

/* Decode the current VMCS's exit into the vendor-neutral form. */
void vmx_exit_decode(struct vm_exit *exit);

/* The SDM's description of VM-instruction error `error`. */
const char *vmx_insn_error_name(uint64_t error);

/* VMWRITE that must not fail: a failure is a hypervisor bug, so panic. */
void vmx_write(uint32_t field, uint64_t value);

#endif
