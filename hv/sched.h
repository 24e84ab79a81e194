/* The vCPU scheduler. Each vCPU lives on one CPU for its whole life (its
 * VMCS never moves); every CPU keeps a ring of its vCPUs and runs the
 * runnable ones in turn, each for a time slice its own APIC timer ends, so
 * a guest that never exits still yields its CPU (and passes RCU quiescent
 * states). A halted vCPU sleeps until something wakes it; a CPU with
 * nothing runnable halts until an interrupt (a kick, or a timer). */
#pragma once

#include "lib/compiler.h"

struct vcpu;
struct vm;

/* Longest time a vCPU runs before the next runnable one on its CPU. */
#define SCHED_SLICE_US	4000

/* Give every vCPU of the `n` VMs its CPU (its VM's cpus= list, else the
 * least loaded CPU) and start them all; VMs that could not be built are
 * reported and count as ended. With `poweroff`, the CPU that sees the last
 * VM end powers the machine off (at once when n is 0). Call once, on the
 * boot CPU, after every CPU has come online. */
void sched_start(struct vm *vms, size_t n, bool poweroff);

/* What every CPU does once it is up: run its vCPUs and timers, halt when
 * there is nothing to do. Never returns. */
__noreturn void sched_loop(void);

/* Set `req` (VCPU_REQ_* bits) on `v`, wake it if halted, and make its CPU
 * notice soon: a kick IPI when that CPU runs the guest or idles. */
void vcpu_request(struct vcpu *v, uint32_t req);

/* Make a halted `v` runnable (and its CPU notice); no-op otherwise. */
void vcpu_wake(struct vcpu *v);

/* Make a paused `v` runnable (and its CPU notice); no-op otherwise. */
void vcpu_unpause(struct vcpu *v);

/* What `v` is doing, for the operator: in guest, runnable, halted,
 * wait-sipi, paused or dead. */
const char *vcpu_state_name(const struct vcpu *v);

/* Whether the running vCPU should end its slice now (a vCPU of this CPU
 * woke and waits for its turn). */
bool sched_should_yield(void);

/* Called by a vCPU whose VM ended, on its own CPU: the vCPU leaves its
 * ring; the last vCPU of a VM to go frees the VM and counts it ended. */
void sched_vcpu_exit(struct vcpu *v);
