/* Run code that must stop the hypervisor (panic/BUG_ON) in a child
 * process and report whether it did. */
#pragma once

#include <stdbool.h>

/* True when fn(arg) aborts the child process it runs in. */
bool host_dies(void (*fn)(void *arg), void *arg);
