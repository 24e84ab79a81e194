/*
 * Verdict lines on COM1, the contract with the test harness:
 *   PASS <guest>: <detail>     one per check that held
 *   FAIL <guest>: <detail>     one per check that did not
 *   DONE <guest>: P passed, F failed
 * and the exit through QEMU's isa-debug-exit port: status 0 when nothing
 * failed, 1 otherwise.
 */
#pragma once

#include "lib/compiler.h"

#define DEBUG_EXIT_PORT	0xf4

/* Each guest defines its name, the <guest> of every verdict line. */
extern const char guest_name[];

/* Prints a PASS line. */
__printf(1, 2) void pass(const char *fmt, ...);

/* Prints a FAIL line. */
__printf(1, 2) void fail(const char *fmt, ...);

/* Prints a PASS line when ok holds, else a FAIL line, with the same detail. */
__printf(2, 3) void check(bool ok, const char *fmt, ...);

/* Counts verdict lines printed by code that cannot call pass()/fail() (modes' 16/32-bit part). */
void report_add(unsigned n_passed, unsigned n_failed);

/* Prints the DONE line and exits: status 0 if no check failed, else 1. */
__noreturn void report_exit(void);

/* Ends the guest with status (a write to isa-debug-exit); halts if that returns. */
__noreturn void guest_exit(uint8_t status);
