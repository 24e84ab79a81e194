/* MSRs the guest accesses directly (hv/msr.c's passthrough list) that the
 * VMCS has no guest-state field for -- the SYSCALL MSRs and
 * KERNEL_GS_BASE, which SVM's VMLOAD/VMSAVE switch. The CPU loads the
 * guest's values from one area at VM entry and stores them back into the
 * same area at VM exit, so each VM sees only its own values. The host
 * keeps the last guest's values while it runs: it never executes SYSCALL
 * or SWAPGS, and the next entry loads the next guest's own. */
#include "hv/msr.h"
#include "lib/log.h"
#include "vmx/vmx.h"
#include "x86/regs.h"

#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176

/* Passed-through MSRs with a VMCS guest-state field (switched anyway). */
static const uint32_t vmcs_switched[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
};

/* Whether the VMCS guest state already holds `msr`. */
static bool in_vmcs_guest_state(uint32_t msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(vmcs_switched); i++)
		if (vmcs_switched[i] == msr)
			return true;
	return false;
}

unsigned vmx_switched_msrs_init(struct vmx_msr_entry *area)
{
	unsigned n = 0;

	for (const uint32_t *m = msr_passthrough; *m; m++) {
		if (in_vmcs_guest_state(*m))
			continue;
		if (n == VMX_SWITCHED_MSRS_MAX)
			panic("vmx: more than %u passed-through MSRs need switching",
			      VMX_SWITCHED_MSRS_MAX);
		area[n++] = (struct vmx_msr_entry){ .index = *m };
	}
	return n;
}
