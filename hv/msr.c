/* The guest MSR policy: what is passed through, what is emulated where,
 * and the #GP for everything else. */
#include "hv/apicv.h"
#include "hv/cpuid.h"
#include "hv/dev/vlapic.h"
#include "hv/msr.h"
#include "hv/synic.h"
#include "hv/vcpu.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"
#include "x86/regs.h"

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define EXT1_EDX_SYSCALL	(1u << 11)
#define EXT1_EDX_NX		(1u << 20)
#define EXT1_EDX_LM		(1u << 29)
#define GP_LOG_SLOTS		32

/* Switched by the CPU with the rest of the guest state (VMCB save area /
 * VMCS guest fields), so direct access cannot reach host values. */
const uint32_t msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, 0,
};

/* Log the first #GP for each MSR only: a guest probing in a loop must not
 * flood the console. */
static void msr_log_gp_once(uint32_t msr, bool write)
{
	static uint32_t seen[GP_LOG_SLOTS];
	static unsigned nr_seen;
	static struct spinlock lock = SPINLOCK_INIT;
	bool first = true;

	spin_lock(&lock);
	for (unsigned i = 0; i < nr_seen; i++)
		first &= seen[i] != msr;
	if (first && nr_seen < GP_LOG_SLOTS)
		seen[nr_seen++] = msr;
	spin_unlock(&lock);
	if (first)
		log_info("msr: %s of unsupported MSR %#x by a guest: #GP (logged once)",
			 write ? "write" : "read", msr);
}

void msr_vcpu_init(struct vcpu *v)
{
	v->msrs.pat = PAT_POWER_ON;
	msr_mtrr_init(&v->msrs);
	msr_platform_init(&v->msrs);
}

/* The TSC as `v` reads it now. */
static uint64_t guest_tsc(const struct vcpu *v)
{
	return rdtsc() + (uint64_t)v->tsc_offset;
}

void msr_tsc_adjust(struct vcpu *v, int64_t delta)
{
	v->tsc_offset += delta;
	v->msrs.tsc_adjust += (uint64_t)delta;
	vlapic_set_tsc_offset(v->lapic, v->tsc_offset);
}

/* The EFER bits a guest may write: LMA (read-only, the write is ignored)
 * and those of SCE, LME and NXE that the guest's CPUID offers. */
static uint64_t efer_guest_bits(void)
{
	static const struct cpuid_vcpu any = { .apic_enabled = true };
	uint32_t edx = cpuid_guest(0x80000000, 0, &any).eax >= 0x80000001 ?
		       cpuid_guest(0x80000001, 0, &any).edx : 0;

	return EFER_LMA | (edx & EXT1_EDX_SYSCALL ? EFER_SCE : 0) |
	       (edx & EXT1_EDX_LM ? EFER_LME : 0) | (edx & EXT1_EDX_NX ? EFER_NXE : 0);
}

/* WRMSR to EFER as the CPU checks it; LME cannot change while paging is
 * on (the CPU switches IA-32e mode only as paging turns on or off: an
 * LME set under 32-bit paging would leave a state VM entry refuses, or
 * one an emulator runs in long mode on 32-bit page tables). */
static bool efer_write(struct vcpu *v, uint64_t value)
{
	struct vcpu_sregs s;

	if (value & ~efer_guest_bits())
		return false;
	vendor->get_sregs(v, &s);
	if ((s.cr0 & CR0_PG) && ((value ^ v->efer) & EFER_LME))
		return false;
	v->efer = (value & ~EFER_LMA) | (v->efer & EFER_LMA);
	return true;
}

/* Whether each of PAT's eight entries is a memory type (2, 3 and above 7
 * are reserved). Emulated, not passed through, for this check: QEMU's
 * TCG takes any value, and shares one PAT between host and guests. */
static bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned type = (pat >> (8 * i)) & 0xff;

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	if (msr_is_mtrr(msr))
		return msr_mtrr_read(&v->msrs, msr, value);
	switch (msr) {
	case MSR_EFER:
		*value = v->efer;
		return true;
	case MSR_TSC:
		*value = guest_tsc(v);
		return true;
	case MSR_PAT:
		*value = v->msrs.pat;
		return true;
	case MSR_APIC_BASE:
		*value = vlapic_base(v->lapic);
		return true;
	case MSR_TSC_AUX:
		*value = v->owned.tsc_aux;
		return vcpu_has_tsc_aux();
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_msr_read(v->lapic, msr, value);
	case HV_MSR_GUEST_OS_ID ... HV_MSR_VP_INDEX:
	case HV_MSR_VP_ASSIST_PAGE:
	case HV_MSR_TIME_REF_COUNT ... HV_MSR_APIC_FREQUENCY:
		return hyperv_msr_read(v, msr, value);
	case SYNIC_MSR_FIRST ... SYNIC_MSR_LAST:
		return synic_msr_read(v, msr, value);
	}
	if (msr_platform_read(v, msr, value) == MSR_DONE)
		return true;
	msr_log_gp_once(msr, false);
	return false;
}

bool msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	enum msr_result r;

	if (msr_is_mtrr(msr))
		return msr_mtrr_write(&v->msrs, msr, value);
	switch (msr) {
	case MSR_EFER:
		return efer_write(v, value);
	case MSR_TSC:
		msr_tsc_adjust(v, (int64_t)(value - guest_tsc(v)));
		return true;
	case MSR_PAT:
		if (!pat_valid(value))
			return false;
		v->msrs.pat = value;
		vendor->set_pat(v, value);
		return true;
	case MSR_APIC_BASE:
		if (!vlapic_base_write(v->lapic, value))
			return false;
		/* APICv's shortcuts expect each APIC at the PC's address. */
		if ((value & APIC_BASE_ADDR_MASK) != VLAPIC_DEFAULT_BASE)
			vm_apicv_inhibit(v->vm, APICV_INHIBIT_APIC_BASE, true);
		return true;
	case MSR_TSC_AUX:
		return vcpu_tsc_aux_write(v, value);
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_msr_write(v->lapic, msr, value);
	case HV_MSR_GUEST_OS_ID ... HV_MSR_VP_INDEX:
	case HV_MSR_VP_ASSIST_PAGE:
	case HV_MSR_TIME_REF_COUNT ... HV_MSR_APIC_FREQUENCY:
		return hyperv_msr_write(v, msr, value);
	case SYNIC_MSR_FIRST ... SYNIC_MSR_LAST:
		return synic_msr_write(v, msr, value);
	}
	r = msr_platform_write(v, msr, value);
	if (r == MSR_UNKNOWN)
		msr_log_gp_once(msr, true);
	return r == MSR_DONE;
}
