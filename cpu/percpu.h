/* Per-CPU data, reached through the GS base. Each CPU owns one block,
 * allocated at bring-up; the first field points at the block itself so
 * `mov %gs:0` yields it. */
#pragma once

#include "lib/compiler.h"
#include "lib/cpu.h"

#define PERCPU_STACK_SIZE  (16 * 1024)
#define PERCPU_IST_SIZE    (4 * 1024)

/* Interrupt stack table slots (1-based, as the TSS numbers them). */
enum ist_slot { IST_NMI = 1, IST_DOUBLE_FAULT = 2, IST_MACHINE_CHECK = 3, IST_COUNT = 3 };

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t ist[8];	/* ist[0] is reserved: slots are 1-based */
	uint64_t reserved1;
	uint16_t reserved2;
	uint16_t iomap_base;
} __packed;
static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct percpu {
	struct percpu *self;		/* must stay first: %gs:0 */
	unsigned id;			/* 0 .. cpu_count() - 1, BSP is 0; set when counted online */
	uint32_t apic_id;
	bool online;
	bool started;			/* an AP is set up and waits for the boot CPU */
	uintptr_t stack_top;
	uint64_t gdt[8];		/* null, code64, data, tss (two slots), spare */
	struct tss64 tss;
	bool virt_enabled;		/* SVM or VMX is on for this CPU */
	/* Last: an AP's block zeroes only what comes before (boot/ap_block.c). */
	uint8_t ist_stacks[IST_COUNT][PERCPU_IST_SIZE] __aligned(16);
};
static_assert(offsetof(struct percpu, self) == 0, "%gs:0 must hold the block's address");

/* Every online CPU's block, by CPU number: one word per CPU slot. */
extern struct percpu *percpu_blocks[MAX_CPUS];

/* The running CPU's block. */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Point this CPU's GS base at `pc` (after any GS selector load). */
void percpu_activate(struct percpu *pc);

/* Make the BSP's static block current and return it. */
struct percpu *percpu_init_bsp(void);

/* Count `pc` as online; returns how many CPUs are online now. */
unsigned percpu_set_online(struct percpu *pc);
