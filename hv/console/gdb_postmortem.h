/* The post-mortem GDB stub (`panic=gdb`): after a panic, the panicked
 * hypervisor as one stopped thread, its registers those of the panic and
 * its memory the hypervisor's own, for `gdb build/hv.elf`. See docs/gdb.md. */
#pragma once

#include "cpu/traps.h"

/* Keep `tf` (an exception's frame, or trap_frame_capture()'s at a panic)
 * and this CPU's control registers as the state to serve, and program the
 * UART at `port`; false if none answers there. On the panicking CPU, the
 * others stopped. */
bool gdb_postmortem_init(uint16_t port, const struct trap_frame *tf);

/* Serve that state with interrupts off, polling the UART, until gdb kills
 * the target (`k`); a detach keeps serving, for the next gdb. */
void gdb_postmortem_serve(void);
