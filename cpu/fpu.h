/* The host CPU's x87/SSE/AVX machinery, for switching guests' register
 * state: the hypervisor itself never uses these registers, so a vCPU's
 * values stay in them across exits and are saved and restored only when a
 * CPU changes vCPUs (hv/vcpu_switch.c). XSAVE where the CPU has it (every
 * component XCR0 can enable), else FXSAVE. */
#pragma once

#include "lib/compiler.h"

/* The XCR0 bits the CPU supports (x87 only without XSAVE: the legacy
 * FXSAVE area), valid after fpu_init_cpu() on the boot CPU. */
uint64_t fpu_xcr0_supported(void);

/* Whether the CPU has XSAVE (and guests may have XSETBV and CR4.OSXSAVE). */
bool fpu_has_xsave(void);

/* Bytes of a save area (64-byte aligned) holding every component. */
size_t fpu_area_size(void);

/* Fill `area` with the state after RESET: x87 control word 0x37f, MXCSR
 * 0x1f80, every other register zero. */
void fpu_area_init(void *area);

/* Save every component into `area`, and return XCR0 as its owner left it
 * (a guest may write XCR0 without an exit: QEMU's SVM has no XSETBV
 * intercept). */
uint64_t fpu_save(void *area);

/* Load every component from `area`, then leave XCR0 at `xcr0` (its
 * owner's: a guest's own XSAVE and XRSTOR use it). */
void fpu_load(const void *area, uint64_t xcr0);

/* Enable FXSAVE and XSAVE on this CPU (CR4.OSFXSR, OSXMMEXCPT, OSXSAVE
 * and XCR0 = every supported component); the boot CPU first. */
void fpu_init_cpu(void);
