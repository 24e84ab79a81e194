/* The monitor: a command line on the console (prompt `hv> `) that looks
 * into VMs and the host and runs their lifecycle. Commands:
 * docs/console.md; each lives in a monitor_*.c file by what it looks at. */
#pragma once

#include "lib/compiler.h"

/* The monitor got focus: show its prompt (and a waiting command's state). */
void monitor_enter(void);

/* One byte the operator typed while the monitor has focus. */
void monitor_input(uint8_t c);

/* Whether a command is still at work (typing waits until it is done). */
bool monitor_busy(void);

/* Let a command that waits for the VMs go on; from the console's poll. */
void monitor_poll(void);

/* Run one command line with its output going to `out` instead of the
 * console (gdb's `monitor`); a command that waits finishes on the console. */
void monitor_run(const char *text, void (*out)(const char *s, size_t n));
