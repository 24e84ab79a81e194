/*
 * Interrupts and exceptions inside a 32-bit guest: an IDT for all 256
 * vectors, handlers registered per vector (they return to the interrupted
 * code), and a way to run code that is expected to fault. A vector with
 * no handler that arrives outside trap_run() is reported as a FAIL and
 * ends the guest.
 */
#pragma once

#include "lib/compiler.h"

#define TRAP_NONE	(-1)

/* What the last exception caught by trap_run() looked like. */
struct trap_info {
	uint32_t vector;
	uint32_t error_code;	/* 0 for vectors that push none */
	uint32_t eip;		/* the EIP the CPU saved: faulting or next instruction */
	uint32_t cr2;		/* CR2 when the handler ran */
};

/* Registers on the stack when the common handler runs (trap.S builds it). */
struct trap_frame {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;	/* pushal */
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
};
static_assert(sizeof(struct trap_frame) == 52, "trap frame layout (trap.S)");

extern struct trap_info trap_last;

/* Builds and loads an IDT routing every vector to trap_dispatch(). */
void trap_init(void);

/* Loads that IDT on another CPU (after trap_init() on the first). */
void trap_load(void);

typedef void (*trap_handler_fn)(struct trap_frame *frame);

/* Route `vector` to `fn` (NULL: back to the default), which returns to the
 * interrupted code when it returns. */
void trap_set_handler(uint8_t vector, trap_handler_fn fn);

/*
 * Runs fn(arg). Returns TRAP_NONE if it returned, or the vector of the first
 * exception it raised (fn is abandoned there; trap_last describes it).
 * Not nestable.
 */
int trap_run(void (*fn)(void *arg), void *arg);

/* Called by trap.S for every vector: runs the vector's handler and
 * returns, else unwinds into trap_run() or ends the guest. */
void trap_dispatch(struct trap_frame *frame);

/* Unwinds to the active trap_run(), making it return vector (trap.S). */
__noreturn void trap_resume(int vector);

/* Nonzero while trap_run() runs its function (trap.S). */
extern uint32_t trap_run_esp;
