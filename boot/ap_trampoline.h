/* The application-processor trampoline (boot/ap_trampoline.S): a blob of
 * real-mode code that boot/smp.c copies to a fixed page below 1 MiB, where a
 * start-up IPI can point. It switches the AP to long mode on the early
 * identity tables and jumps to ap_entry64 in the image, which loads the
 * final page tables and the AP's stack (its percpu block's stack_top) and
 * calls ap_main(). */
#pragma once

/* Where the blob runs: a SIPI vector names a 4 KiB page below 1 MiB. 0x8000
 * is conventional memory the BIOS and GRUB leave free once the hypervisor
 * runs (GRUB's boot sector sat at 0x7c00, the EBDA starts near 0x9fc00). */
#define AP_TRAMPOLINE_PA	0x8000
#define AP_TRAMPOLINE_SIPI_PAGE	(AP_TRAMPOLINE_PA >> 12)
#define AP_TRAMPOLINE_MAX_SIZE	0x1000

/* struct ap_boot_params and struct percpu's stack_top, as offsets for the
 * assembly side. */
#define AP_PARAM_FINAL_CR3	0
#define AP_PARAM_PERCPU		8
#define AP_PARAMS_SIZE		16
#define AP_PERCPU_STACK_TOP	24

#ifndef __ASSEMBLY__

#include "cpu/percpu.h"
#include "lib/compiler.h"

/* What the BSP writes into the trampoline page. An AP takes `percpu` by
 * swapping in 0, so each block starts at most one CPU, even one that
 * wakes late from an abandoned start; an AP that finds 0 halts. */
struct ap_boot_params {
	uint64_t final_cr3;	/* the BSP's page tables, the same for every AP */
	uint64_t percpu;	/* the next AP's struct percpu, or 0 */
};
static_assert(offsetof(struct ap_boot_params, final_cr3) == AP_PARAM_FINAL_CR3, "asm layout");
static_assert(offsetof(struct ap_boot_params, percpu) == AP_PARAM_PERCPU, "asm layout");
static_assert(sizeof(struct ap_boot_params) == AP_PARAMS_SIZE, "asm layout");
static_assert(offsetof(struct percpu, stack_top) == AP_PERCPU_STACK_TOP,
	      "ap_entry64 loads the AP's stack from its percpu block");
static_assert(AP_TRAMPOLINE_PA % 4096 == 0 && AP_TRAMPOLINE_PA < 0x100000,
	      "a SIPI can only start a CPU at a page below 1 MiB");

/* The blob as linked into the image (read-only; copied before use). */
extern const char ap_trampoline_start[], ap_trampoline_end[];
/* The blob's parameter block, inside [ap_trampoline_start, ap_trampoline_end). */
extern const struct ap_boot_params ap_trampoline_params;

/* The AP's first C code, called by ap_entry64 on the AP's own stack with
 * the final page tables loaded and interrupts off (boot/smp.c). */
__noreturn void ap_main(struct percpu *pc);

#endif
