/* The per-CPU descriptor tables: each CPU has its own GDT (its own TSS
 * descriptor) and TSS, and all share one IDT. Selector values are usable
 * from assembly (entry code, AP trampoline). */
#pragma once

#define GDT_NULL   0x00
#define GDT_CODE64 0x08		/* 64-bit code, DPL 0 */
#define GDT_DATA   0x10		/* flat data, DPL 0 */
#define GDT_TSS    0x18		/* 64-bit TSS: a 16-byte descriptor */

#ifndef __ASSEMBLY__

#include "cpu/percpu.h"

/* The operand of LGDT and LIDT. */
struct descriptor_table_register {
	uint16_t limit;		/* size in bytes - 1 */
	uint64_t base;
} __packed;
static_assert(sizeof(struct descriptor_table_register) == 10, "LGDT/LIDT operand");

/* Build pc's GDT and TSS (IST stacks for NMI, #DF, #MC) and load them on
 * the running CPU, reload every segment register (FS/GS selectors become 0,
 * their base MSRs are preserved), load TR, and load the shared IDT, which
 * idt_init() must have built. Interrupts must be off. */
void cpu_tables_load(struct percpu *pc);

#endif
