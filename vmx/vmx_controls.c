/* The VMCS control words, chosen once from the capability MSRs. Each
 * capability MSR holds in its low half the bits the CPU forces to 1 and in
 * its high half the bits it allows to be 1. The TRUE_* variants (when
 * IA32_VMX_BASIC bit 55 says they exist) let "default1" bits such as
 * CR3-load exiting be 0; every CPU with unrestricted guest has them. */
#include "lib/log.h"
#include "vmx/vmx.h"
#include "x86/insn.h"

#define TRUE_CTLS_OFFSET	(MSR_VMX_TRUE_PINBASED_CTLS - MSR_VMX_PINBASED_CTLS)

/* Interrupts and NMIs are the host's; the CPU tracks the guest's own NMI
 * masking (virtual NMIs); the core emulates every port and MSR and sees
 * HLT; guest memory goes through EPT; real and unpaged protected mode run
 * natively (unrestricted guest). MOV-DR exiting and the monitor trap flag
 * (Bochs has none: the core then steps with TF) serve the GDB stub.
 * PROC_PER_VCPU's exits are switched on per vCPU while they are wanted. */
#define PIN_REQUIRED	(PIN_EXTERNAL_INTR_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS)
/* Without CR8 exiting (or a TPR shadow) a guest's MOV to CR8 would set the
 * host's own APIC TPR. TSC offsetting gives each VM a TSC of its own.
 * MONITOR and MWAIT, which CPUID hides, exit to be #UD, as on a CPU
 * without them (the guest would otherwise sleep the host's CPU). */
#define PROC_REQUIRED	(PROC_USE_TSC_OFFSETTING | PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | \
			 PROC_USE_MSR_BITMAPS | PROC_SECONDARY_CONTROLS | PROC_INTR_WINDOW_EXITING | \
			 PROC_NMI_WINDOW_EXITING | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING | \
			 PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | PROC_MOV_DR_EXITING)
/* The TPR shadow serves APIC virtualization (vmx_apicv.c), per vCPU. */
#define PROC_OPTIONAL	(PROC_MONITOR_TRAP_FLAG | PROC_USE_TPR_SHADOW)
#define PROC_PER_VCPU	(PROC_INTR_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING | \
			 PROC_MONITOR_TRAP_FLAG | PROC_MOV_DR_EXITING)
#define PROC2_REQUIRED	(PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST)
/* Without these, RDTSCP, INVPCID and XSAVES raise #UD in the guest although
 * CPUID (passed through) offers them. Pause-loop exiting lets a spinning
 * vCPU yield its CPU. */
#define PROC2_OPTIONAL	(PROC2_ENABLE_VPID | PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID | \
			 PROC2_ENABLE_XSAVES | PROC2_PAUSE_LOOP_EXITING | PROC2_APICV)
/* APIC virtualization, all or nothing, set per vCPU while it is active. */
#define PROC2_APICV	(PROC2_VIRTUALIZE_X2APIC | PROC2_APIC_REGISTER_VIRT | \
			 PROC2_VIRTUAL_INTR_DELIVERY)
/* The debug controls switch the guest's DR7 and IA32_DEBUGCTL: without
 * them a guest's DR7 would be lost at every exit. */
#define EXIT_REQUIRED	(EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_PAT | EXIT_LOAD_PAT | \
			 EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_DEBUG_CONTROLS)
/* IA-32e mode guest is set per entry, while the guest's EFER.LMA is. */
#define ENTRY_REQUIRED	(ENTRY_LOAD_PAT | ENTRY_LOAD_EFER | ENTRY_IA32E_MODE_GUEST | \
			 ENTRY_LOAD_DEBUG_CONTROLS)

/* The control word from capability MSR `msr`: what the CPU forces, plus
 * `required`, plus what it allows of `optional`; false (logged) when a
 * required bit is not allowed. */
static bool control_pick(const char *what, uint32_t msr, uint32_t required, uint32_t optional,
			 uint32_t *value)
{
	uint64_t cap = rdmsr(msr);
	uint32_t forced = cap, allowed = cap >> 32;

	if (required & ~allowed) {
		log_error("vmx: the CPU lacks %s control bits %#x that guests need",
			  what, required & ~allowed);
		return false;
	}
	*value = forced | required | (optional & allowed);
	return true;
}

bool vmx_controls_init(void)
{
	uint32_t offset = rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CTLS ? TRUE_CTLS_OFFSET : 0;
	struct vmx_caps *c = &vmx_caps;

	if (!control_pick("pin-based", MSR_VMX_PINBASED_CTLS + offset, PIN_REQUIRED, 0,
			  &c->pin) ||
	    !control_pick("processor-based", MSR_VMX_PROCBASED_CTLS + offset, PROC_REQUIRED,
			  PROC_OPTIONAL, &c->proc) ||
	    !control_pick("secondary processor-based (EPT, unrestricted guest)",
			  MSR_VMX_PROCBASED_CTLS2, PROC2_REQUIRED, PROC2_OPTIONAL, &c->proc2) ||
	    !control_pick("VM-exit", MSR_VMX_EXIT_CTLS + offset, EXIT_REQUIRED, 0, &c->exit) ||
	    !control_pick("VM-entry", MSR_VMX_ENTRY_CTLS + offset, ENTRY_REQUIRED, 0, &c->entry))
		return false;
	c->entry &= ~ENTRY_IA32E_MODE_GUEST;
	c->mtf = c->proc & PROC_MONITOR_TRAP_FLAG;
	c->apicv = (c->proc & PROC_USE_TPR_SHADOW) && (c->proc2 & PROC2_APICV) == PROC2_APICV;
	c->proc &= ~(PROC_PER_VCPU | PROC_USE_TPR_SHADOW);
	c->proc2 &= ~PROC2_APICV;
	return true;
}
