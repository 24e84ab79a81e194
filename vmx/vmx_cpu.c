/* VMX detection and per-CPU enabling (VMXON). */
#include <errno.h>

#include "cpu/percpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "mm/page.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define CPUID_1_ECX_VMX			(1u << 5)
#define FEATURE_CONTROL_LOCKED		(1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	(1ull << 2)

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_WALK_LENGTH_4		(1ull << 6)
#define EPT_CAP_MEMTYPE_WB		(1ull << 14)
#define EPT_CAP_2M_PAGES		(1ull << 16)
#define EPT_CAP_1G_PAGES		(1ull << 17)
#define EPT_CAP_INVEPT			(1ull << 20)
#define EPT_CAP_AD			(1ull << 21)
#define EPT_CAP_INVEPT_SINGLE		(1ull << 25)
#define EPT_CAP_INVEPT_ALL		(1ull << 26)
#define VPID_CAP_INVVPID		(1ull << 32)
#define VPID_CAP_INVVPID_SINGLE		(1ull << 41)
#define VPID_CAP_INVVPID_ALL		(1ull << 42)
#define EPT_CAP_NEEDED	(EPT_CAP_WALK_LENGTH_4 | EPT_CAP_MEMTYPE_WB | EPT_CAP_2M_PAGES | \
			 EPT_CAP_INVEPT)

struct vmx_caps vmx_caps;

bool vmx_feature_control_enable(void)
{
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		wrmsr(MSR_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		return true;
	}
	if (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
		return true;
	log_error("vmx: disabled by firmware (IA32_FEATURE_CONTROL locked with VMX off): "
		  "enable VT-x in the BIOS setup");
	return false;
}

/* The EPT and VPID features guests need, and the optional ones. */
static bool vmx_probe_ept_vpid(void)
{
	uint64_t cap = rdmsr(MSR_VMX_EPT_VPID_CAP);

	if ((cap & EPT_CAP_NEEDED) != EPT_CAP_NEEDED ||
	    !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		log_error("vmx: EPT lacks a 4-level walk, write-back tables, 2 MiB pages or INVEPT "
			  "(IA32_VMX_EPT_VPID_CAP=%#llx)", (unsigned long long)cap);
		return false;
	}
	vmx_caps.ept_1g_pages = cap & EPT_CAP_1G_PAGES;
	vmx_caps.ept_ad = cap & EPT_CAP_AD;
	vmx_caps.invept_type = cap & EPT_CAP_INVEPT_SINGLE ? INVEPT_SINGLE_CONTEXT
							   : INVEPT_ALL_CONTEXT;
	vmx_caps.vpid = (vmx_caps.proc2 & PROC2_ENABLE_VPID) && (cap & VPID_CAP_INVVPID) &&
			(cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL));
	if (!vmx_caps.vpid)
		vmx_caps.proc2 &= ~PROC2_ENABLE_VPID;
	vmx_caps.invvpid_type = cap & VPID_CAP_INVVPID_SINGLE ? INVVPID_SINGLE_CONTEXT
							      : INVVPID_ALL_CONTEXT;
	return true;
}

bool vmx_probe(void)
{
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX))
		return false;
	if (!vmx_feature_control_enable() || !vmx_controls_init() || !vmx_probe_ept_vpid())
		return false;
	vmx_caps.revision = rdmsr(MSR_VMX_BASIC) & VMX_BASIC_REVISION_MASK;
	vmx_caps.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx_caps.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx_caps.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx_caps.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	log_info("vmx: EPT (2M%s pages%s), unrestricted guest, %s, %s, VMCS revision %#x",
		 vmx_caps.ept_1g_pages ? "+1G" : "", vmx_caps.ept_ad ? ", A/D flags" : "",
		 vmx_caps.vpid ? "VPIDs" : "no VPIDs (TLB flushed at every exit)",
		 vmx_caps.apicv ? "APICv" : "no APICv", vmx_caps.revision);
	return true;
}

/* Each CPU's VMXON region. */
CPU_LOCAL(void *, vmxon_region);

int vmx_cpu_enable(void)
{
	void **region = this_cpu_ptr(vmxon_region);

	if (!*region) {
		*region = page_alloc_zeroed();
		if (!*region) {
			log_error("vmx: no memory for cpu%u's VMXON region", cpu_id());
			return -ENOMEM;
		}
		*(uint32_t *)*region = vmx_caps.revision;
	}
	if (!vmx_feature_control_enable())
		return -ENODEV;
	/* VMX operation pins these bits (CR0.PE/NE/PG and CR4.VMXE on every
	 * CPU so far); of those the hypervisor ran without NE and VMXE. */
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
	if (!vmxon(virt_to_phys(*region))) {
		log_error("vmx: VMXON failed on cpu%u", cpu_id());
		return -EIO;
	}
	return 0;
}
