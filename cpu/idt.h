/* The interrupt descriptor table, shared by all CPUs: 256 gates, each
 * pointing at a small stub in cpu/isr.S that funnels into trap_dispatch(),
 * which calls the handler registered for the vector. */
#pragma once

#define IDT_VECTORS   256
#define ISR_STUB_SIZE 16	/* stub n is at isr_stubs + n * ISR_STUB_SIZE */

#ifndef __ASSEMBLY__

#include "cpu/traps.h"

typedef void (*trap_handler_fn)(struct trap_frame *tf);

/* Build the IDT (once, on the BSP, before any cpu_tables_load()). */
void idt_init(void);

/* Load the IDT on the running CPU; panics if idt_init() has not run. */
void idt_load(void);

/* Route `vector` to `handler` (device interrupts, IPIs, or an exception a
 * subsystem handles itself). Returns 0, -EINVAL for a vector above 255 or
 * a NULL handler, or -EBUSY if the vector already has a handler. */
int idt_set_handler(unsigned vector, trap_handler_fn handler);

/* The handler registered for `vector` (< IDT_VECTORS), or NULL. */
trap_handler_fn idt_handler(unsigned vector);

#endif
