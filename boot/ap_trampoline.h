/* The application-processor trampoline (boot/ap_trampoline.S): a blob of
 * real-mode code that boot/smp.c copies to a free page below 1 MiB, where a
 * start-up IPI can point, and the code in the image it jumps to, which
 * takes the AP to long mode, hands it a start block by ticket and calls
 * ap_main() on that block's stack with the final page tables loaded. */
#pragma once

/* struct ap_start and struct percpu's stack_top, as offsets for the
 * assembly side. */
#define AP_START_TICKETS	0
#define AP_START_FINAL_CR3	8
#define AP_START_BLOCKS		16
#define AP_PERCPU_STACK_TOP	24

#ifndef __ASSEMBLY__

#include "cpu/percpu.h"
#include "lib/compiler.h"

/* What the boot CPU sets up before it sends a start-up IPI, in the image
 * (below the 4 GiB the early tables map, as an AP sees memory at first). */
struct ap_start {
	/* Low half: tickets taken (each AP takes the next); high half: how
	 * many may be taken. An AP that finds them equal halts. */
	uint64_t tickets;
	uint64_t final_cr3;		/* the BSP's page tables, the same for every AP */
	struct percpu **blocks;		/* blocks[t]: the block of ticket t */
};
static_assert(offsetof(struct ap_start, tickets) == AP_START_TICKETS, "asm layout");
static_assert(offsetof(struct ap_start, final_cr3) == AP_START_FINAL_CR3, "asm layout");
static_assert(offsetof(struct ap_start, blocks) == AP_START_BLOCKS, "asm layout");
static_assert(offsetof(struct percpu, stack_top) == AP_PERCPU_STACK_TOP,
	      "ap_entry64 loads the AP's stack from its percpu block");

extern struct ap_start ap_start;

/* The blob as linked into the image (read-only; copied before use). It
 * must fit the one page a SIPI names: linker.ld checks. */
extern const char ap_trampoline_start[], ap_trampoline_end[];

/* The AP's first C code, called by ap_entry64 on the AP's own stack with
 * the final page tables loaded and interrupts off (boot/smp.c). */
__noreturn void ap_main(struct percpu *pc);

#endif
