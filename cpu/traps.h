/* Traps: the register frame every interrupt/exception stub builds, the C
 * dispatcher it calls, the exception report (registers and a symbolized
 * backtrace), what an unhandled exception ends in, and the self-test that
 * provokes one. */
#pragma once

/* Byte offsets into struct trap_frame used by cpu/isr.S and
 * cpu/trap_capture.S. */
#define TRAP_FRAME_RBP    (8 * 8)
#define TRAP_FRAME_VECTOR (15 * 8)
#define TRAP_FRAME_RIP    (17 * 8)
#define TRAP_FRAME_SIZE   (22 * 8)

/* The vector of a frame trap_frame_capture() made: no trap, a call. */
#define TRAP_VECTOR_CALL  256

#ifndef __ASSEMBLY__

#include "lib/compiler.h"

/* Exception vectors (0..31) the code refers to by name. */
enum exception_vector {
	VECTOR_DIVIDE_ERROR = 0,
	VECTOR_DEBUG = 1,
	VECTOR_NMI = 2,
	VECTOR_BREAKPOINT = 3,
	VECTOR_INVALID_OPCODE = 6,
	VECTOR_DOUBLE_FAULT = 8,
	VECTOR_GENERAL_PROTECTION = 13,
	VECTOR_PAGE_FAULT = 14,
	VECTOR_MACHINE_CHECK = 18,
	EXCEPTION_VECTORS = 32,		/* 32..255: device interrupts and IPIs */
};

/* Saved state of the interrupted code, lowest address first: the GPRs the
 * common entry pushes (r15 last), the stub's vector and error code (0 when
 * the CPU pushes none), then the CPU's own interrupt frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(offsetof(struct trap_frame, r15) == 0, "r15 is pushed last");
static_assert(offsetof(struct trap_frame, rbp) == TRAP_FRAME_RBP, "isr.S frame layout");
static_assert(offsetof(struct trap_frame, rax) == 14 * 8, "rax is pushed first");
static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR,
	      "stub pushes the vector last");
static_assert(offsetof(struct trap_frame, rip) == TRAP_FRAME_RIP, "isr.S frame layout");
static_assert(offsetof(struct trap_frame, ss) == 21 * 8, "trap_capture.S frame layout");
static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "isr.S frame layout");

/* Called by the common entry for every vector: runs the registered
 * handler, else reports the vector (an exception: then halts this CPU). */
void trap_dispatch(struct trap_frame *tf);

/* Fill `tf` with the caller's registers as they are at the call: rip is
 * the return address, rsp the stack pointer after the return, the vector
 * TRAP_VECTOR_CALL (no trap) and the error code 0. So a debugger can
 * unwind from a panic() as from an exception. */
void trap_frame_capture(struct trap_frame *tf);

/* What an unhandled exception ends in, after its report: `fn` is called
 * on the faulting CPU with the frame and returns only to have that CPU
 * halted. Until it is set, the CPU halts. */
void traps_set_fatal_handler(void (*fn)(const struct trap_frame *tf));

/* Log a backtrace: `rip` as frame #0, then the return addresses found by
 * walking the RBP chain from `rbp` (kept within this CPU's stacks). */
void backtrace_print(uint64_t rbp, uint64_t rip);

/* Log a backtrace of the caller (for panic()). */
void backtrace_here(void);

/* Provoke an exception on purpose: "ud" (invalid opcode), "pf" (page
 * fault: write to an unmapped address) or "de" (divide error); the report
 * and the fatal handler follow. Returns -EINVAL for any other name (or NULL), -EIO if
 * the exception did not happen. */
int traps_selftest(const char *which);

#endif
