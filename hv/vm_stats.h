/* Per-VM counters: remote TLB flushes, vCPU switches and exits. The VM-end
 * debug line and the counter hypercall (docs/hypercalls.md) read them;
 * `make bench` turns them into figures (docs/benchmarks.md). */
#pragma once

#include <stdint.h>

struct vm;

/* Atomic counters, bumped where the events happen. */
struct vm_stats {
	uint64_t flush_requests;	/* remote flushes the TDP MMU asked for */
	uint64_t flush_ipis;		/* kicks those sent to CPUs in the guest */
	uint64_t flushes_done;		/* vCPU TLB flushes performed at entry */
	uint64_t pv_flushes;		/* Hyper-V flush hypercalls (each one request) */
	uint64_t switches;		/* owned-state switches into its vCPUs */
	uint64_t switch_cycles;		/* TSC cycles those switches took */
};

/* What the counter hypercall may read; numbers are ABI. */
enum vm_counter {
	VM_COUNTER_EXITS,		/* VM exits of all its vCPUs */
	VM_COUNTER_FLUSH_REQUESTS,
	VM_COUNTER_FLUSH_IPIS,
	VM_COUNTER_FLUSHES_DONE,
	VM_COUNTER_SWITCHES,
	VM_COUNTER_SWITCH_CYCLES,
	VM_COUNTER_COUNT,
};

/* Add `n` to the counter at `field` (a member of vm->stats). */
static inline void vm_stat_add(uint64_t *field, uint64_t n)
{
	__atomic_fetch_add(field, n, __ATOMIC_RELAXED);
}

/* The current value of counter `which` (< VM_COUNTER_COUNT). */
uint64_t vm_counter_read(const struct vm *vm, enum vm_counter which);

/* Exits of `reason` (< EXIT_REASON_COUNT) over the VM's vCPUs; with
 * `cycles`, also the TSC cycles handling them took. */
uint64_t vm_exits_by_reason(const struct vm *vm, unsigned reason, uint64_t *cycles);

/* Log every counter of `vm` at debug level (as it ends). */
void vm_stats_log(const struct vm *vm);
