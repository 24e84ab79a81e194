/* A debugger's hold on a VM's vCPUs (hv/vcpu_debug.c): single-step with
 * interrupts held, int3 breakpoints through a #BP intercept, and hardware
 * breakpoints and watchpoints in the debug registers, which the debugger
 * owns while it uses them: the guest then reads and writes a copy of its
 * own, given back as it left them when the debugger lets go.
 *
 * The debugger (the GDB stub) changes struct vm_debug only while every
 * vCPU of the VM is paused; each vCPU applies the change on its own CPU
 * before its next entry. A vCPU that stops for the debugger records why
 * in vm_debug.stop and pauses the VM. */
#pragma once

#include "lib/compiler.h"

struct vcpu;
struct vm;
struct vm_exit;

#define DEBUG_HW_SLOTS	4	/* DR0-DR3 */
#define DEBUG_SW_BREAKS	32	/* int3s in guest memory at once */

/* What the vendor code intercepts for the debugger (set_debug). */
#define DEBUG_STEP		(1u << 0)	/* stop after one instruction, if has_step_trap */
#define DEBUG_INTERCEPT_BP	(1u << 1)	/* #BP exits */
#define DEBUG_INTERCEPT_DB	(1u << 2)	/* #DB exits */
#define DEBUG_INTERCEPT_DR	(1u << 3)	/* MOV to/from DRn exits */

enum debug_cause {
	DEBUG_STOP_NONE,
	DEBUG_STOP_STEP,	/* a single step ended */
	DEBUG_STOP_SWBREAK,	/* an int3 the debugger put in */
	DEBUG_STOP_HWBREAK,	/* a debug-register instruction breakpoint */
	DEBUG_STOP_WATCH,	/* a debug-register data breakpoint */
};

struct debug_stop {
	enum debug_cause cause;
	unsigned vcpu;		/* its index */
	uint64_t addr;		/* a watchpoint's address */
};

/* DR7's fields for slot n. */
#define DR7_ENABLE(n)		(3ull << (2 * (n)))	/* L and G */
#define DR7_RW_SHIFT(n)		(16 + 4 * (n))
#define DR7_LEN_SHIFT(n)	(18 + 4 * (n))
#define DR7_RW_EXEC		0
#define DR7_RW_WRITE		1
#define DR7_RW_ACCESS		3
#define DR7_RESERVED_ONE	(1ull << 10)
#define DR6_B_MASK		0xfull		/* B0-B3: which slot hit */
#define DR6_BS			(1ull << 14)	/* single step */

struct vm_debug {
	uint64_t breaks[DEBUG_SW_BREAKS];	/* its int3s, by linear address */
	unsigned nr_breaks;
	unsigned step_vcpu;		/* 1 + the vCPU to step, or 0 */
	uint64_t dr[DEBUG_HW_SLOTS];	/* its hardware slots ... */
	uint64_t dr7;			/* ... enabled here; 0: the guest's own DRs */
	uint32_t generation;		/* bumped at every change */
	struct debug_stop stop;		/* why the VM stopped for it, once it did */
	bool stopped;			/* atomic: a vCPU filled `stop` */
};

/* What each vCPU keeps of it. */
struct vcpu_debug {
	uint32_t generation;		/* of the vm_debug applied */
	bool stepping;
	bool tf_step;			/* ... by TF (hv/vcpu_step.c) */
	bool guest_tf;			/* the guest's own TF meanwhile */
	uint8_t step_opcode;		/* PUSHF, POPF or IRET being stepped, or 0 */
	uint8_t step_operand_bytes;
	uint64_t step_next_rip;		/* the one after it */
	uint64_t step_dr6;		/* the guest's DR6 before the step */
	bool drs_taken;			/* the debugger's DRs are loaded */
	uint64_t guest_dr[DEBUG_HW_SLOTS];	/* the guest's own, meanwhile */
	uint64_t guest_dr6, guest_dr7;
};

/* Bring `v` in line with its VM's vm_debug, on v's CPU before an entry. */
void vcpu_debug_apply(struct vcpu *v);

/* After an exit whose handler completed the instruction (RIP moved past
 * it, as emulation does): a step under way ends here. */
void vcpu_debug_insn_done(struct vcpu *v);

/* The exits the debugger's intercepts cause: EXIT_SINGLE_STEP, #BP and #DB
 * (EXIT_EXCEPTION), MOV DR (EXIT_DR_ACCESS). Those not the debugger's are
 * given to the guest as the CPU would. Always true: the VM goes on. */
bool vcpu_debug_exit(struct vcpu *v, const struct vm_exit *e);

/* Whether `v` holds its events back (it is being stepped). */
bool vcpu_debug_holds_events(const struct vcpu *v);
