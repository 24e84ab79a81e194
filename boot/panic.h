/* What follows a hypervisor panic's report, or an unhandled exception's:
 * the exit traces, the other CPUs stopped, then what `panic=` asks (halt,
 * power off, reboot, or serve the panicked state to gdb); and
 * `selftest=panic`, a panic on purpose while guests run. */
#pragma once

/* The host interrupt vector that stops a CPU once another has panicked. */
#define PANIC_STOP_VECTOR	0xfd

/* Route PANIC_STOP_VECTOR (once idt_init() has run), and make an
 * unhandled exception end as a panic does. */
void panic_init(void);

/* The log back end's after_panic: dump this CPU's newest exits and every
 * other CPU's last one, stop the other CPUs, then halt, power off, reboot
 * or serve gdb (from the registers at this call) as `panic=` says.
 * Returns only on a CPU that panicked while another was already doing
 * this (panic() then halts it). */
void panic_finish(void);

/* selftest=panic: panic on this CPU a second from now, from wherever its
 * timers run then (after a guest's exit, or in its idle loop). */
void panic_selftest_arm(void);
