/* The guest MSR policy: each MSR a guest may touch is either passed
 * through (the CPU switches it with the guest state, so the guest's value
 * never leaks to the host) or emulated here; every other MSR raises #GP,
 * logged once per MSR. */
#pragma once

#include "lib/compiler.h"

struct vcpu;
struct vcpu_msrs;

/* What an emulation routine made of an access. */
enum msr_result {
	MSR_UNKNOWN,	/* not one of its MSRs */
	MSR_DONE,
	MSR_GP,		/* one of its MSRs, but the CPU would raise #GP */
};

/* MSRs the vendor code lets the guest access directly (its permission
 * bitmap clears their intercepts); ends with 0. */
extern const uint32_t msr_passthrough[];

/* Emulate RDMSR of `msr`: true with *value set, or false when the guest
 * must get #GP. */
bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);

/* Emulate WRMSR of `value` to `msr`: true if taken, false for #GP. */
bool msr_write(struct vcpu *v, uint32_t msr, uint64_t value);

/* Give a new vCPU the MSR values the VM's firmware leaves. */
void msr_vcpu_init(struct vcpu *v);

/* Move v's TSC by `delta` cycles, as a write to the TSC or to
 * IA32_TSC_ADJUST does (both move by the same amount). */
void msr_tsc_adjust(struct vcpu *v, int64_t delta);

/* The memory-type range registers (hv/msr_mtrr.c): whether `msr` is one,
 * the firmware's setting, and accesses (false: #GP). */
bool msr_is_mtrr(uint32_t msr);
void msr_mtrr_init(struct vcpu_msrs *m);
bool msr_mtrr_read(const struct vcpu_msrs *m, uint32_t msr, uint64_t *value);
bool msr_mtrr_write(struct vcpu_msrs *m, uint32_t msr, uint64_t value);

/* The CPU-identity and firmware-setup MSRs of the host's vendor
 * (hv/msr_platform.c). */
void msr_platform_init(struct vcpu_msrs *m);
enum msr_result msr_platform_read(struct vcpu *v, uint32_t msr, uint64_t *value);
enum msr_result msr_platform_write(struct vcpu *v, uint32_t msr, uint64_t value);
