/* Spreading VMs over the CPUs: every CPU takes the next VM that has not
 * started and runs it to its end. */
#pragma once

#include "lib/compiler.h"

struct vm;

/* Publish the `n` VMs of `vms` and wake every CPU to take them; with
 * `poweroff`, the CPU that sees the last VM end powers the machine off
 * (at once when n is 0). Call once, on the boot CPU. */
void vm_sched_start(struct vm *vms, size_t n, bool poweroff);

/* Run VMs on this CPU while any is waiting. */
void vm_sched_work(void);
