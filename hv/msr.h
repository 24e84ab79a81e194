/* The guest MSR policy: each MSR a guest may touch is either passed
 * through (the CPU switches it with the guest state, so the guest's value
 * never leaks to the host) or emulated here; every other MSR raises #GP,
 * logged once per MSR. */
#pragma once

#include "lib/compiler.h"

struct vcpu;

/* MSRs the vendor code lets the guest access directly (its permission
 * bitmap clears their intercepts); ends with 0. */
extern const uint32_t msr_passthrough[];

/* Emulate RDMSR of `msr`: true with *value set, or false when the guest
 * must get #GP. */
bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);

/* Emulate WRMSR of `value` to `msr`: true if taken, false for #GP. */
bool msr_write(struct vcpu *v, uint32_t msr, uint64_t value);
