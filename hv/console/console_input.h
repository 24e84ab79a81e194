/* The operator's keystrokes on the console, for one VM's COM1. */
#pragma once

#include "lib/compiler.h"

struct vm;

/* Route console input to the VM named `name` among the `n` VMs (NULL or
 * "": the first that runs), polling the console UART from the calling
 * CPU's timer queue. Logs where input goes. */
void console_input_start(struct vm *vms, size_t n, const char *name);
