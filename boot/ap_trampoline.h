/* The application-processor trampoline (boot/ap_trampoline.S): a blob of
 * real-mode code that hv/smp.c copies to a fixed page below 1 MiB, where a
 * start-up IPI can point. It switches the AP to long mode on the early
 * identity tables and jumps to ap_entry64 in the image, which loads the
 * final page tables and the AP's stack and calls ap_main(). */
#pragma once

/* Where the blob runs: a SIPI vector names a 4 KiB page below 1 MiB. 0x8000
 * is conventional memory the BIOS and GRUB leave free once the hypervisor
 * runs (GRUB's boot sector sat at 0x7c00, the EBDA starts near 0x9fc00). */
#define AP_TRAMPOLINE_PA	0x8000
#define AP_TRAMPOLINE_SIPI_PAGE	(AP_TRAMPOLINE_PA >> 12)
#define AP_TRAMPOLINE_MAX_SIZE	0x1000

/* struct ap_boot_params, as offsets for the assembly side. */
#define AP_PARAM_FINAL_CR3	0
#define AP_PARAM_STACK_TOP	8
#define AP_PARAM_PERCPU		16
#define AP_PARAMS_SIZE		24

#ifndef __ASSEMBLY__

#include "hv/compiler.h"
#include "hv/percpu.h"

/* What the BSP writes into the trampoline page for the one AP it is
 * starting (APs are started one at a time: they share the page). */
struct ap_boot_params {
	uint64_t final_cr3;	/* the BSP's page tables */
	uint64_t stack_top;	/* this AP's stack, touched only after final_cr3 is loaded */
	uint64_t percpu;	/* this AP's struct percpu, ap_main()'s argument */
};
static_assert(offsetof(struct ap_boot_params, final_cr3) == AP_PARAM_FINAL_CR3, "asm layout");
static_assert(offsetof(struct ap_boot_params, stack_top) == AP_PARAM_STACK_TOP, "asm layout");
static_assert(offsetof(struct ap_boot_params, percpu) == AP_PARAM_PERCPU, "asm layout");
static_assert(sizeof(struct ap_boot_params) == AP_PARAMS_SIZE, "asm layout");
static_assert(AP_TRAMPOLINE_PA % 4096 == 0 && AP_TRAMPOLINE_PA < 0x100000,
	      "a SIPI can only start a CPU at a page below 1 MiB");

/* The blob as linked into the image (read-only; copied before use). */
extern const char ap_trampoline_start[], ap_trampoline_end[];
/* The blob's parameter block, inside [ap_trampoline_start, ap_trampoline_end). */
extern const struct ap_boot_params ap_trampoline_params;

/* The AP's first C code, called by ap_entry64 on the AP's own stack with
 * the final page tables loaded and interrupts off (hv/smp.c). */
__noreturn void ap_main(struct percpu *pc);

#endif
