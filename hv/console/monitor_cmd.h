/* What the monitor's commands share: their table entry, argument
 * decoding, output, and waiting for VMs (hv/console/monitor.c). */
#pragma once

#include "lib/compiler.h"

struct vm;
struct vcpu;

enum mon_result {
	MON_DONE,		/* finished: show the prompt */
	MON_USAGE,		/* a bad argument (already said why): show the usage */
	MON_WAIT,		/* mon_wait() was called: the prompt comes later */
};

struct mon_cmd {
	const char *name;
	const char *args;	/* the usage after the name, e.g. "VM [VCPU]" */
	const char *summary;
	unsigned min_args, max_args;
	enum mon_result (*run)(int argc, char **argv);	/* argv[0] is the name */
};

/* The command tables, by what they look at. */
extern const struct mon_cmd mon_vm_cmds[];	/* monitor_vm.c */
extern const struct mon_cmd mon_mem_cmds[];	/* monitor_mem.c */
extern const struct mon_cmd mon_host_cmds[];	/* monitor_host.c */

/* Print to the monitor (its focus lost: dropped). */
void mon_printf(const char *fmt, ...) __printf(1, 2);

/* The VM `arg` names (its name or number, as `vms` shows them), or NULL
 * after saying there is none. */
struct vm *mon_vm(const char *arg);

/* `arg` as a number (decimal, or hex with 0x) into *out, at most `max`;
 * false after saying what is wrong with it (`what` names the argument). */
bool mon_number(const char *arg, const char *what, uint64_t max, uint64_t *out);

/* Lock `vm` for looking into it (vm->input_lock) if it has vCPUs; false,
 * after saying so, if it has none (ended or never built). */
bool mon_vm_lock(struct vm *vm);
void mon_vm_unlock(struct vm *vm);

/* vCPU `arg` (NULL: vCPU 0) of the locked `vm`, paused by the operator so
 * its registers hold still; NULL after saying why not. */
struct vcpu *mon_paused_vcpu(struct vm *vm, const char *arg);

/* Finish the running command later: `done(ctx)` is polled from the
 * console's timer; once true, or after MON_WAIT_MS, `finish(ctx, ok)`
 * reports and the prompt comes back. */
#define MON_WAIT_MS 5000
void mon_wait(bool (*done)(void *ctx), void (*finish)(void *ctx, bool ok), void *ctx);
