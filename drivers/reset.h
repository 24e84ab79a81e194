/* Resetting the machine: the FADT's reset register, the PC's reset control
 * port, the keyboard controller's reset line, a triple fault. */
#pragma once

#include "lib/compiler.h"

/* Remember the FADT's reset register (an I/O port) and its value; without
 * it machine_reset() starts with the reset control port. */
void reset_init(uint16_t port, uint8_t value);

/* Log "hv: reboot" and reset the machine, each way in turn until one
 * works (a warning names each that did not within 100 ms). */
__noreturn void machine_reset(void);
