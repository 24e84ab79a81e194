/* The model-specific registers a kernel reads to learn what CPU it runs on
 * and how the firmware set it up, answered as the host's vendor's CPUs
 * answer (the guest sees the host's CPUID vendor): Intel's feature
 * control (locked, VMX off), platform info, misc-enable and TSC adjust;
 * AMD's SYSCFG, HWCR, DE_CFG and OS visible workarounds; both vendors'
 * microcode signature and a machine-check architecture with no banks. An
 * MSR the other vendor has is #GP, as on that CPU. */
#include "drivers/tsc.h"
#include "hv/cpuid.h"
#include "hv/msr.h"
#include "hv/vcpu.h"
#include "x86/regs.h"

#define MSR_TSC_ADJUST		0x3b
#define MSR_BIOS_SIGN_ID	0x8b	/* AMD: PATCH_LEVEL */
#define MSR_PLATFORM_INFO	0xce
#define MSR_MCG_CAP		0x179
#define MSR_MCG_STATUS		0x17a
#define MSR_MISC_ENABLE		0x1a0
#define MSR_AMD_SYSCFG		0xc0010010
#define MSR_AMD_HWCR		0xc0010015
#define MSR_AMD_INT_PENDING	0xc0010055
#define MSR_AMD_OSVW_ID_LENGTH	0xc0010140
#define MSR_AMD_OSVW_STATUS	0xc0010141
#define MSR_AMD_DE_CFG		0xc0011029

#define FEATURE_CONTROL_LOCKED	(1u << 0)
#define MISC_FAST_STRING	(1u << 0)
#define MISC_BTS_UNAVAILABLE	(1u << 11)
#define MISC_PEBS_UNAVAILABLE	(1u << 12)
#define MCG_STATUS_BITS		0x7u	/* RIPV, EIPV, MCIP */
#define HWCR_TSC_FREQ_SEL	(1u << 24)	/* the TSC counts at the P0 rate */
#define BUS_KHZ			100000	/* PLATFORM_INFO's ratio unit */

void msr_platform_init(struct vcpu_msrs *m)
{
	m->misc_enable = MISC_FAST_STRING | MISC_BTS_UNAVAILABLE | MISC_PEBS_UNAVAILABLE;
	m->hwcr = HWCR_TSC_FREQ_SEL;
}

enum msr_result msr_platform_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct vcpu_msrs *m = &v->msrs;
	bool intel = cpuid_host_is_intel();

	switch (msr) {
	case MSR_BIOS_SIGN_ID:
	case MSR_MCG_CAP:
		*value = 0;		/* no microcode update; no banks, no MCG_CTL */
		return MSR_DONE;
	case MSR_MCG_STATUS:
		*value = m->mcg_status;
		return MSR_DONE;
	}
	if (intel) {
		switch (msr) {
		case MSR_FEATURE_CONTROL:
			*value = FEATURE_CONTROL_LOCKED;
			return MSR_DONE;
		case MSR_TSC_ADJUST:
			*value = m->tsc_adjust;
			return MSR_DONE;
		case MSR_PLATFORM_INFO:
			*value = (uint64_t)(READ_ONCE(tsc_khz) / BUS_KHZ & 0xff) << 8;
			return MSR_DONE;
		case MSR_MISC_ENABLE:
			*value = m->misc_enable;
			return MSR_DONE;
		}
		return MSR_UNKNOWN;
	}
	switch (msr) {
	case MSR_AMD_SYSCFG:
	case MSR_AMD_INT_PENDING:
		*value = 0;
		return MSR_DONE;
	case MSR_AMD_HWCR:
		*value = m->hwcr;
		return MSR_DONE;
	case MSR_AMD_DE_CFG:
		*value = m->de_cfg;
		return MSR_DONE;
	case MSR_AMD_OSVW_ID_LENGTH:
	case MSR_AMD_OSVW_STATUS:
		*value = m->osvw[msr - MSR_AMD_OSVW_ID_LENGTH];
		return MSR_DONE;
	}
	return MSR_UNKNOWN;
}

/* `value` may only change the bits in `writable` of `*reg`. */
static enum msr_result write_bits(uint64_t *reg, uint64_t value, uint64_t writable)
{
	if ((value ^ *reg) & ~writable)
		return MSR_GP;
	*reg = value;
	return MSR_DONE;
}

enum msr_result msr_platform_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct vcpu_msrs *m = &v->msrs;
	uint64_t zero = 0;

	if (msr == MSR_MCG_STATUS)
		return write_bits(&m->mcg_status, value, MCG_STATUS_BITS);
	if (cpuid_host_is_intel()) {
		switch (msr) {
		case MSR_BIOS_SIGN_ID:
			return MSR_DONE;	/* cleared before CPUID reloads it: stays 0 */
		case MSR_TSC_ADJUST:
			msr_tsc_adjust(v, (int64_t)(value - m->tsc_adjust));
			return MSR_DONE;
		case MSR_MISC_ENABLE:
			return write_bits(&m->misc_enable, value, MISC_FAST_STRING);
		case MSR_FEATURE_CONTROL:	/* locked */
		case MSR_PLATFORM_INFO:
		case MSR_MCG_CAP:
			return MSR_GP;
		}
		return MSR_UNKNOWN;
	}
	switch (msr) {
	case MSR_AMD_SYSCFG:
	case MSR_AMD_INT_PENDING:
		return write_bits(&zero, value, 0);
	case MSR_AMD_HWCR:
		m->hwcr = value | HWCR_TSC_FREQ_SEL;
		return MSR_DONE;
	case MSR_AMD_DE_CFG:
		m->de_cfg = value;
		return MSR_DONE;
	case MSR_AMD_OSVW_ID_LENGTH:
	case MSR_AMD_OSVW_STATUS:
		m->osvw[msr - MSR_AMD_OSVW_ID_LENGTH] = value;
		return MSR_DONE;
	case MSR_BIOS_SIGN_ID:
	case MSR_MCG_CAP:
		return MSR_GP;
	}
	return MSR_UNKNOWN;
}
