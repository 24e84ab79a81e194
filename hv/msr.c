/* The guest MSR policy: what is passed through, what is emulated where,
 * and the #GP for everything else. */
#include "hv/dev/vlapic.h"
#include "hv/msr.h"
#include "hv/vcpu.h"
#include "hv/vcpu_switch.h"
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
#define EFER_GUEST_BITS		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define GP_LOG_SLOTS		32

/* Switched by the CPU with the rest of the guest state (VMCB save area /
 * VMCS guest fields), so direct access cannot reach host values. */
const uint32_t msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_PAT, 0,
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
	case MSR_APIC_BASE:
		*value = vlapic_base(v->lapic);
		return true;
	case MSR_TSC_AUX:
		*value = v->owned.tsc_aux;
		return vcpu_has_tsc_aux();
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_msr_read(v->lapic, msr, value);
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
		if (value & ~EFER_GUEST_BITS)
			break;
		v->efer = value;
		return true;
	case MSR_TSC:
		msr_tsc_adjust(v, (int64_t)(value - guest_tsc(v)));
		return true;
	case MSR_APIC_BASE:
		return vlapic_base_write(v->lapic, value);
	case MSR_TSC_AUX:
		return vcpu_tsc_aux_write(v, value);
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_msr_write(v->lapic, msr, value);
	}
	r = msr_platform_write(v, msr, value);
	if (r == MSR_UNKNOWN)
		msr_log_gp_once(msr, true);
	return r == MSR_DONE;
}
