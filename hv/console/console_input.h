/* The operator's keystrokes on the console: the multiplexer's keys, and
 * input for the focused VM or the monitor. */
#pragma once

#include "lib/compiler.h"

struct vm;

/* Start the multiplexer for the `n` VMs with `history_bytes` per console,
 * give focus to `focus` (log, monitor, or a VM's name; NULL or "": the
 * log) and poll the console UART from the calling CPU's timer queue. */
void console_input_start(struct vm *vms, size_t n, const char *focus, size_t history_bytes);
