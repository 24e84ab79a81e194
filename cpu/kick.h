/* Kicks: an IPI whose handler only acknowledges it. It ends the target
 * CPU's HLT, or its guest's run with an exit, so that the target looks
 * again at whatever the sender changed before kicking: a vCPU to run, a
 * flush to do, its turn in the boot-time TSC check. */
#pragma once

/* The host vector of a kick. */
#define KICK_VECTOR	0xf0

/* Route KICK_VECTOR; once, on the boot CPU, before any CPU waits for one. */
void kick_init(void);

/* Kick CPU `cpu`, whose block is in percpu_blocks (none to itself). */
void cpu_kick(unsigned cpu);
