/* The exit trace: every CPU keeps a ring of its last EXIT_TRACE_LEN VM
 * exits (when, which vCPU, why, where, with what), for the monitor's
 * `trace` and the panic report. Only its own CPU writes a ring, without
 * locks; a reader on another CPU skips an entry it catches being written. */
#pragma once

#include "hv/vcpu.h"
#include "hv/vm_config.h"
#include "hv/vm_exit.h"
#include "lib/compiler.h"

#define EXIT_TRACE_LEN 256

/* One exit. `info` and `detail` hold what its reason has to say (see
 * exit_trace_record); one cache line each. */
struct exit_trace_entry {
	uint64_t seq;		/* 2k+1 while exit k is written here, 2k+2 once it is */
	uint64_t tsc;
	uint64_t rip;		/* the guest's, at the exit */
	uint64_t vendor_code;	/* the raw exit code */
	uint64_t info;		/* port, gpa, MSR, CPUID leaf, vector, ... */
	uint32_t detail;	/* direction and size, access, subleaf, error code, ... */
	uint16_t vcpu;
	uint8_t reason;		/* enum vm_exit_reason */
	char vm[VM_NAME_MAX + 1];	/* a copy: the VM may be gone when it is read */
};
static_assert(sizeof(struct exit_trace_entry) == 64, "an entry is one cache line");

struct exit_trace_ring {
	uint64_t written;	/* exits recorded so far; exit k is in entries[k % LEN] */
	struct exit_trace_entry entries[EXIT_TRACE_LEN] __aligned(64);
};

/* Give each of CPUs 0 .. ncpus - 1 a ring (at boot, once the CPUs are
 * up; exits before it, or on a CPU beyond, go unrecorded). Returns 0, or
 * -ENOMEM with no ring at all. */
int exit_trace_init(unsigned ncpus);

/* `cpu`'s ring, or NULL when it has none. */
struct exit_trace_ring *exit_trace_ring(unsigned cpu);

/* Record the exit `e` of `v`, which the running CPU ran, in that CPU's
 * ring (right after the vendor's vcpu_run returned it). */
void exit_trace_record(const struct vcpu *v, const struct vm_exit *e);

/* Print `cpu`'s newest `n` exits (at most EXIT_TRACE_LEN) oldest first,
 * after a header line naming the CPU and how many follow: one line each
 * through print(ctx, line), without a newline. An entry being written
 * while it is read is printed as skipped. */
void exit_trace_print(unsigned cpu, unsigned n, void (*print)(void *ctx, const char *line),
		      void *ctx);

/* Bytes of trace memory each CPU has (its ring). */
size_t exit_trace_bytes_per_cpu(void);
