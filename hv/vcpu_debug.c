/* A debugger's hold on a VM's vCPUs (hv/vcpu_debug.h). Everything here
 * runs on the vCPU's own CPU with the vCPU loaded, so its debug registers
 * are the CPU's and its control block is current. */
#include "hv/guest_mem.h"
#include "hv/sched.h"
#include "hv/vcpu_debug.h"
#include "hv/vcpu_step.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define DR6_BD		(1ull << 13)	/* a MOV DR met DR7.GD */
#define DR6_BT		(1ull << 15)	/* a task switch with T set */
#define DR6_EVENTS	(DR6_B_MASK | DR6_BD | DR6_BS | DR6_BT)
#define DR_HIGH_MASK	0xffffffff00000000ull	/* must be 0 in DR6 and DR7 */

/* Swap the debugger's DR0-DR3 and DR7 in for the guest's, keeping those;
 * or put the guest's back as it left them. */
static void debug_take_drs(struct vcpu *v, const struct vm_debug *d, bool take)
{
	struct vcpu_debug *s = &v->debug;

	if (take && !s->drs_taken) {
		for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++)
			s->guest_dr[n] = vcpu_dr_read(v, n);
		s->guest_dr6 = vcpu_dr_read(v, 6);
		s->guest_dr7 = vcpu_dr_read(v, 7);
	}
	if (take) {
		for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++)
			vcpu_dr_write(v, n, d->dr[n]);
		vcpu_dr_write(v, 6, DR6_RESET);
		vcpu_dr_write(v, 7, d->dr7 | DR7_RESERVED_ONE);
	} else if (s->drs_taken) {
		for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++)
			vcpu_dr_write(v, n, s->guest_dr[n]);
		vcpu_dr_write(v, 6, s->guest_dr6);
		vcpu_dr_write(v, 7, s->guest_dr7);
	}
	s->drs_taken = take;
}

/* The intercepts v's debug state needs. */
static unsigned debug_intercepts(const struct vcpu *v, const struct vm_debug *d)
{
	unsigned what = 0;

	if (v->debug.stepping)
		what |= v->debug.tf_step ? DEBUG_INTERCEPT_DB : DEBUG_STEP;
	if (d->nr_breaks)
		what |= DEBUG_INTERCEPT_BP;
	if (v->debug.drs_taken)
		what |= DEBUG_INTERCEPT_DB | DEBUG_INTERCEPT_DR;
	return what;
}

/* Start or end v's single step: by the vendor's own means if it has one,
 * else by TF. */
static void debug_set_stepping(struct vcpu *v, bool on)
{
	if (on == v->debug.stepping)
		return;
	if (v->debug.tf_step)
		vcpu_step_tf_end(v);
	v->debug.stepping = on;
	v->debug.tf_step = on && !vendor->has_step_trap();
	if (v->debug.tf_step)
		vcpu_step_tf_start(v);
}

void vcpu_debug_apply(struct vcpu *v)
{
	const struct vm_debug *d = &v->vm->debug;
	uint32_t generation = __atomic_load_n(&d->generation, __ATOMIC_ACQUIRE);

	if (v->debug.generation == generation)
		return;
	v->debug.generation = generation;
	debug_take_drs(v, d, d->dr7);
	debug_set_stepping(v, d->step_vcpu == v->id + 1);
	/* A step holds interrupts back, which the CPU's own delivery would not
	 * (every vCPU computes the same answer from the latest generation). */
	vm_apicv_inhibit(v->vm, APICV_INHIBIT_DEBUG_STEP, d->step_vcpu != 0);
	vendor->set_debug(v, debug_intercepts(v, d));
}

bool vcpu_debug_holds_events(const struct vcpu *v)
{
	return v->debug.stepping;
}

/* Stop the VM for the debugger because of `v`: the first vCPU to stop
 * says why; any other stops with it (an int3 it met runs again later). */
static void debug_stop(struct vcpu *v, enum debug_cause cause, uint64_t addr)
{
	struct vm_debug *d = &v->vm->debug;
	enum debug_cause none = DEBUG_STOP_NONE;

	if (v->debug.stepping) {
		debug_set_stepping(v, false);
		vendor->set_debug(v, debug_intercepts(v, d));
	}
	if (__atomic_compare_exchange_n(&d->stop.cause, &none, cause, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST)) {
		d->stop.vcpu = v->id;
		d->stop.addr = addr;
		__atomic_store_n(&d->stopped, true, __ATOMIC_RELEASE);
	}
	vm_pause(v->vm);
}

void vcpu_debug_insn_done(struct vcpu *v)
{
	if (!v->debug.stepping)
		return;
	if (v->debug.tf_step && !v->debug.guest_tf)
		vendor->drop_pending_step(v);	/* our TF's trap: the step ends here */
	debug_stop(v, DEBUG_STOP_STEP, 0);
}

/* Whether the debugger has an int3 at linear address `la`. */
static bool debug_has_break(const struct vm_debug *d, uint64_t la)
{
	for (unsigned i = 0; i < d->nr_breaks; i++)
		if (d->breaks[i] == la)
			return true;
	return false;
}

/* #BP at v's RIP: the debugger's int3 stops the VM there; the guest's own
 * goes to the guest. */
static bool debug_breakpoint(struct vcpu *v)
{
	struct vcpu_sregs s;

	vendor->get_sregs(v, &s);
	if (debug_has_break(&v->vm->debug, guest_rip_linear(v, &s)))
		debug_stop(v, DEBUG_STOP_SWBREAK, 0);
	else
		vendor->inject_int3(v);
	return true;
}

/* #DB with `dr6`'s events: the trap of a step by TF, or a hit in one of
 * the debugger's slots, stops the VM (an instruction breakpoint with RF set, so that it lets the
 * instruction run when the VM goes on); anything else is the guest's. */
static bool debug_exception(struct vcpu *v, uint64_t dr6)
{
	const struct vm_debug *d = &v->vm->debug;
	uint64_t hits = v->debug.drs_taken ? dr6 & DR6_B_MASK : 0;

	if (v->debug.tf_step && vcpu_step_tf_trap(v, dr6)) {
		debug_stop(v, DEBUG_STOP_STEP, 0);
		return true;
	}

	for (unsigned n = 0; n < DEBUG_HW_SLOTS; n++) {
		if (!(hits & (1u << n)) || !(d->dr7 & DR7_ENABLE(n)))
			continue;
		vcpu_dr_write(v, 6, DR6_RESET);
		if (((d->dr7 >> DR7_RW_SHIFT(n)) & 3) == DR7_RW_EXEC) {
			v->rflags |= RFLAGS_RF;
			debug_stop(v, DEBUG_STOP_HWBREAK, d->dr[n]);
		} else {
			debug_stop(v, DEBUG_STOP_WATCH, d->dr[n]);
		}
		return true;
	}
	dr6 &= DR6_EVENTS & ~(v->debug.drs_taken ? DR6_B_MASK : 0);
	if (v->debug.drs_taken)
		v->debug.guest_dr6 |= dr6;
	else
		vcpu_dr_write(v, 6, vcpu_dr_read(v, 6) | dr6);
	vendor->inject_exception(v, VECTOR_DEBUG, false, 0);
	return true;
}

/* The guest's own view of DR `n` while the debugger holds the real ones. */
static uint64_t *guest_dr_copy(struct vcpu *v, unsigned n)
{
	if (n < DEBUG_HW_SLOTS)
		return &v->debug.guest_dr[n];
	return n == 6 ? &v->debug.guest_dr6 : &v->debug.guest_dr7;
}

/* MOV to/from DRn while the debugger owns the DRs: checked as the CPU
 * checks it, then carried out on the guest's copy. */
static bool debug_dr_access(struct vcpu *v, const struct vm_exit *e)
{
	struct insn_mov_cr mov = { .len = e->insn_len, .cr = e->dr.dr, .gpr = e->dr.gpr,
				   .to_cr = e->dr.write, .debug = true };
	struct vcpu_sregs s;
	uint64_t *gpr, *dr;
	bool resume;

	vendor->get_sregs(v, &s);
	if (e->dr.gpr < 0 || !e->insn_len) {
		switch (guest_decode_mov_cr(v, &s, true, &mov, &resume)) {
		case GUEST_DECODED:
			break;
		case GUEST_FETCH_FAULTED:
			return resume;
		case GUEST_NOT_DECODED:
			vm_stop(v->vm, v, "a debug-register exit at rip=%#llx that is not a MOV DR",
				(unsigned long long)v->rip);
			return false;
		}
	}
	if (mov.cr == 4 || mov.cr == 5) {
		if (s.cr4 & CR4_DE) {
			vendor->inject_exception(v, VECTOR_UD, false, 0);
			return true;
		}
		mov.cr += 2;
	}
	if (mov.cr > 7) {				/* DR8-DR15 */
		vendor->inject_exception(v, VECTOR_UD, false, 0);
		return true;
	}
	if (s.cpl) {
		vendor->inject_exception(v, VECTOR_GP, true, 0);
		return true;
	}
	gpr = vcpu_gpr(v, mov.gpr);
	dr = guest_dr_copy(v, mov.cr);
	if (!mov.to_cr) {
		*gpr = guest_code_bits(v, &s) == 64 ? *dr : (uint32_t)*dr;
	} else if (mov.cr >= 6 && (*gpr & DR_HIGH_MASK)) {
		vendor->inject_exception(v, VECTOR_GP, true, 0);
		return true;
	} else {
		*dr = mov.cr == 6 ? *gpr | DR6_RESET : mov.cr == 7 ? *gpr | DR7_RESERVED_ONE : *gpr;
	}
	v->rip += mov.len;
	vendor->clear_interrupt_shadow(v);
	return true;
}

bool vcpu_debug_exit(struct vcpu *v, const struct vm_exit *e)
{
	switch (e->reason) {
	case EXIT_SINGLE_STEP:
		vcpu_debug_insn_done(v);
		return true;
	case EXIT_DR_ACCESS:
		return debug_dr_access(v, e);
	default:
		if (e->exception.vector == VECTOR_BP)
			return debug_breakpoint(v);
		return debug_exception(v, e->exception.dr6);
	}
}
