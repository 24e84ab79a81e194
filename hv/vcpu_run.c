/* The vCPU run loop: act on requests, enter the guest, handle the exit,
 * repeat until the slice ends or the vCPU halts. Every handler validates
 * what the guest supplied before it changes any state; a handler that
 * returns false has stopped the VM. */
#include "cpu/timer.h"
#include "drivers/tsc.h"
#include "hv/apicv.h"
#include "hv/cpuid.h"
#include "hv/cr.h"
#include "hv/dev/vdev.h"
#include "hv/dev/vlapic.h"
#include "hv/exit_trace.h"
#include "hv/hypercall.h"
#include "hv/hyperv.h"
#include "hv/mmio.h"
#include "hv/msr.h"
#include "hv/sched.h"
#include "hv/vcpu_debug.h"
#include "hv/vcpu_irq.h"
#include "hv/vcpu_run.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "hv/vm_exit.h"
#include "lib/log.h"
#include "mm/rcu.h"
#include "x86/insn.h"
#include "x86/regs.h"
#include "x86/vectors.h"

/* Step over the instruction that exited; an STI or MOV SS shadow it was
 * in ends with it. */
static void skip_insn(struct vcpu *v, const struct vm_exit *e)
{
	v->rip += e->insn_len;
	vendor->clear_interrupt_shadow(v);
}

static bool handle_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	struct vcpu_sregs sregs;
	struct cpuid_vcpu who;
	struct cpuid_regs r;

	vendor->get_sregs(v, &sregs);
	who = (struct cpuid_vcpu){ v->id, sregs.cr4, vlapic_base(v->lapic) & APIC_BASE_EN };
	if (hyperv_enabled(v->vm) && (uint32_t)v->gprs.rax >= HV_CPUID_FIRST &&
	    (uint32_t)v->gprs.rax <= HV_CPUID_RANGE_LAST)
		r = hyperv_cpuid(v->gprs.rax);
	else
		r = cpuid_guest(v->gprs.rax, v->gprs.rcx, &who);
	v->gprs.rax = r.eax;
	v->gprs.rbx = r.ebx;
	v->gprs.rcx = r.ecx;
	v->gprs.rdx = r.edx;
	skip_insn(v, e);
	return true;
}

/* IN and OUT to the VM's devices. IN of 4 bytes zero-extends into RAX (as
 * in 64-bit mode); IN of 1 or 2 bytes keeps RAX's other bytes. */
static bool handle_io(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t mask = e->io.size == 4 ? 0xffffffffull : (1ull << (e->io.size * 8)) - 1;
	uint32_t value = v->gprs.rax & mask;
	struct vm *vm = v->vm;
	enum vdev_end how;

	if (e->io.string) {
		vm_stop(vm, v, "string I/O (INS/OUTS) at port %#x is not emulated (rip=%#llx)",
			e->io.port, (unsigned long long)v->rip);
		return false;
	}
	switch (vdev_io(vm->devices, e->io.port, e->io.size, !e->io.in, &value)) {
	case VDEV_OK:
		break;
	case VDEV_EXIT:
		vdev_set_end(vm->devices, &how, &value);
		vm_exit(vm, v, how, value);
		return false;
	case VDEV_BAD_ACCESS:
		vm_stop(vm, v, "bad I/O exit: port %#x size %u", e->io.port, e->io.size);
		return false;
	}
	if (e->io.in)
		v->gprs.rax = e->io.size == 4 ? value : (v->gprs.rax & ~mask) | value;
	skip_insn(v, e);
	return true;
}

static bool handle_msr(struct vcpu *v, const struct vm_exit *e)
{
	uint32_t msr = v->gprs.rcx;
	uint64_t value = (v->gprs.rdx << 32) | (uint32_t)v->gprs.rax;
	bool ok;

	if (e->reason == EXIT_MSR_READ) {
		ok = msr_read(v, msr, &value);
		if (ok) {
			v->gprs.rax = (uint32_t)value;
			v->gprs.rdx = value >> 32;
		}
	} else {
		ok = msr_write(v, msr, value);
	}
	if (ok)
		skip_insn(v, e);
	else
		vendor->inject_exception(v, VECTOR_GP, true, 0);
	return true;
}

/* A guest access that the TDP tables did not map: map it from the
 * memslots, or stop the VM if no memory is there. */
static bool handle_tdp_fault(struct vcpu *v, const struct vm_exit *e)
{
	unsigned access = TDP_PERM_READ | (e->fault.write ? TDP_PERM_WRITE : 0) |
			  (e->fault.fetch ? TDP_PERM_EXEC : 0);
	const char *what = e->fault.write ? "write" : e->fault.fetch ? "fetch" : "read";

	switch (tdp_mmu_fault(&v->vm->mmu, e->fault.gpa, access)) {
	case TDP_FAULT_MAPPED:
	case TDP_FAULT_SPURIOUS:
	case TDP_FAULT_RETRY:
		return true;
	case TDP_FAULT_NO_SLOT:
		if (mmio_claimed(v, e->fault.gpa))
			return mmio_emulate(v, e->fault.gpa, e->fault.write);
		vm_stop(v->vm, v, "%s at guest-physical %#llx outside guest memory (%llu MiB) at rip=%#llx",
			what, (unsigned long long)e->fault.gpa,
			(unsigned long long)(v->vm->ram_bytes >> 20), (unsigned long long)v->rip);
		return false;
	case TDP_FAULT_READONLY:
		vm_stop(v->vm, v, "%s to read-only guest-physical %#llx at rip=%#llx", what,
			(unsigned long long)e->fault.gpa, (unsigned long long)v->rip);
		return false;
	case TDP_FAULT_NOMEM:
		vm_stop(v->vm, v, "out of memory mapping guest-physical %#llx",
			(unsigned long long)e->fault.gpa);
		return false;
	}
	return false;
}

/* XSETBV: checked as the CPU would, then XCR0 is the guest's. */
static bool handle_xsetbv(struct vcpu *v, const struct vm_exit *e)
{
	struct vcpu_sregs sregs;
	uint64_t value = (v->gprs.rdx << 32) | (uint32_t)v->gprs.rax;

	vendor->get_sregs(v, &sregs);
	if (vcpu_xsetbv(v, sregs.cpl, v->gprs.rcx, value))
		skip_insn(v, e);
	else
		vendor->inject_exception(v, VECTOR_GP, true, 0);
	return true;
}

/* HLT: sleep until an event can end it. With interrupts off, only another
 * vCPU's NMI or INIT can, and a VM with one vCPU has none. */
static bool handle_hlt(struct vcpu *v, const struct vm_exit *e)
{
	skip_insn(v, e);
	if (!(v->rflags & RFLAGS_IF) && v->vm->nr_vcpus == 1 &&
	    !__atomic_load_n(&v->nmi_pending, __ATOMIC_SEQ_CST)) {
		vm_stop(v->vm, v, "guest halted at rip=%#llx with interrupts disabled: nothing can wake it",
			(unsigned long long)v->rip);
		return false;
	}
	vcpu_halt(v);
	return true;
}

/* Handle one exit; false when the VM must stop. */
static bool handle_exit(struct vcpu *v, const struct vm_exit *e)
{
	switch (e->reason) {
	case EXIT_CPUID:
		return handle_cpuid(v, e);
	case EXIT_IO:
		return handle_io(v, e);
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		return handle_msr(v, e);
	case EXIT_HYPERCALL:
		if (hypercall_handle(v))
			skip_insn(v, e);
		return true;
	case EXIT_TDP_FAULT:
		return handle_tdp_fault(v, e);
	case EXIT_UNDEFINED_INSN:
		vendor->inject_exception(v, VECTOR_UD, false, 0);
		return true;
	case EXIT_INTERRUPT:
		/* The host runs with interrupts off: take the interrupt that
		 * caused the exit now, or it would cause one at every entry. */
		irq_window();
		return true;
	case EXIT_XSETBV:
		return handle_xsetbv(v, e);
	case EXIT_CR_ACCESS:
		return cr_exit_handle(v, e);
	case EXIT_PAUSE:
		v->yield = true;
		return true;
	case EXIT_HLT:
		return handle_hlt(v, e);
	case EXIT_IRQ_WINDOW:
	case EXIT_NMI_WINDOW:
		return true;	/* vcpu_inject_events() takes it from here */
	case EXIT_TRIPLE_FAULT:
		vm_stop(v->vm, v, "triple fault at rip=%#llx", (unsigned long long)v->rip);
		return false;
	case EXIT_EXCEPTION:
		if (e->exception.vector == VECTOR_BP || e->exception.vector == VECTOR_DEBUG)
			return vcpu_debug_exit(v, e);
		vm_stop(v->vm, v, "machine check (vector %u) in the guest", e->exception.vector);
		return false;
	case EXIT_SINGLE_STEP:
	case EXIT_DR_ACCESS:
		return vcpu_debug_exit(v, e);
	case EXIT_APIC_EOI:
		vlapic_eoi_done(v->lapic, e->eoi_vector);
		return true;
	case EXIT_INIT:
		vm_stop(v->vm, v, "INIT signal received");
		return false;
	case EXIT_FAILED_ENTRY:
		vm_stop(v->vm, v, "VM entry failed: %s", e->failure);
		return false;
	case EXIT_UNHANDLED:
	case EXIT_REASON_COUNT:		/* not a reason: never decoded */
		break;
	}
	vm_stop(v->vm, v, "unhandled %s exit %#llx at rip=%#llx", vendor->name,
		(unsigned long long)e->vendor_code, (unsigned long long)v->rip);
	return false;
}

/* The operator paused v's VM: keep a snapshot of its registers for the
 * monitor and stop running until vm_resume(). A resume that came between
 * the request and now saw `v` still runnable: `v` undoes its own pause
 * (as a halt looks once more for a wakeup). */
static void vcpu_pause(struct vcpu *v)
{
	int paused = VCPU_PAUSED;

	vendor->get_sregs(v, &v->paused_sregs);
	__atomic_store_n(&v->state, VCPU_PAUSED, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&v->vm->paused, __ATOMIC_SEQ_CST))
		__atomic_compare_exchange_n(&v->state, &paused, VCPU_RUNNABLE, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* handle_exit(), its cycles counted per exit reason for the monitor. */
static bool vcpu_handle_timed(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t t0 = tsc_now();
	bool ok = handle_exit(v, e);

	if (e->reason < EXIT_REASON_COUNT)
		v->exit_cycles[e->reason] += tsc_now() - t0;
	return ok;
}

/* Act on the requests other CPUs made of `v`; false when its VM ended
 * and it has been torn down, or it paused. */
static bool vcpu_take_requests(struct vcpu *v)
{
	uint32_t req = __atomic_exchange_n(&v->requests, 0, __ATOMIC_SEQ_CST);

	if (req & VCPU_REQ_STOP) {
		vcpu_teardown(v);
		sched_vcpu_exit(v);
		return false;
	}
	if (req & VCPU_REQ_TLB_FLUSH) {
		vendor->flush_guest_tlb(v);
		vm_stat_add(&v->vm->stats.flushes_done, 1);
	}
	if (req & VCPU_REQ_APICV)
		vcpu_apicv_apply(v);
	if (req & VCPU_REQ_INIT)
		vcpu_handle_init(v);
	if (req & VCPU_REQ_SIPI)
		vcpu_handle_sipi(v);
	if ((req & VCPU_REQ_PAUSE) && __atomic_load_n(&v->vm->paused, __ATOMIC_SEQ_CST)) {
		vcpu_pause(v);
		return false;
	}
	return true;
}

/* A halted vCPU, or one waiting for a start-up IPI, was picked: it runs
 * only if something ended the wait, else it goes back to sleep. */
static bool vcpu_still_waiting(struct vcpu *v)
{
	if (!v->halted && !v->wait_sipi)
		return false;
	if (vcpu_wakeup_pending(v)) {
		v->halted = false;
		return v->wait_sipi;
	}
	__atomic_store_n(&v->state, VCPU_HALTED, __ATOMIC_SEQ_CST);
	if (vcpu_wakeup_pending(v))
		__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_SEQ_CST);
	return true;
}

/* Enter the guest once. Whoever wants `v` to act on a request sets it and
 * then kicks the CPU if it sees in_guest; `v` publishes in_guest and then
 * looks at its requests once more, so a request is never left waiting for
 * the guest's next exit. */
static bool vcpu_enter(struct vcpu *v, struct vm_exit *exit)
{
	struct vm *vm = v->vm;

	__atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
	cpumask_set(&vm->in_guest, v->cpu);
	if (__atomic_load_n(&v->requests, __ATOMIC_SEQ_CST)) {
		cpumask_clear(&vm->in_guest, v->cpu);
		__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
		return false;
	}
	vendor->vcpu_run(v, exit);
	cpumask_clear(&vm->in_guest, v->cpu);
	__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
	exit_trace_record(v, exit);
	v->exits++;
	if (exit->reason < EXIT_REASON_COUNT)
		v->exits_by_reason[exit->reason]++;
	return true;
}

void vcpu_run(struct vcpu *v, uint64_t slice_end)
{
	struct vm_exit exit;
	uint64_t exit_rip;

	v->yield = false;
	while (vcpu_take_requests(v)) {
		if (vcpu_still_waiting(v))
			return;
		vcpu_debug_apply(v);
		vcpu_inject_events(v);
		rcu_quiescent();
		timers_program(slice_end);
		if (!vcpu_enter(v, &exit))
			continue;
		exit_rip = v->rip;
		if (!vcpu_handle_timed(v, &exit) && v->vm->ender == v)
			vm_end(v->vm, v);
		else if (v->rip != exit_rip)	/* the handler completed the instruction */
			vcpu_debug_insn_done(v);
		timers_run();
		if (READ_ONCE(v->state) != VCPU_RUNNABLE || v->yield || tsc_now() >= slice_end ||
		    sched_should_yield())
			return;
	}
}

void vcpu_dump(struct vcpu *v)
{
	const struct vcpu_gprs *g = &v->gprs;

	log_error("  rip=%016llx rflags=%016llx rsp=%016llx exits=%llu",
		  (unsigned long long)v->rip, (unsigned long long)v->rflags,
		  (unsigned long long)g->rsp, (unsigned long long)v->exits);
	log_error("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx",
		  (unsigned long long)g->rax, (unsigned long long)g->rbx,
		  (unsigned long long)g->rcx, (unsigned long long)g->rdx);
	log_error("  rsi=%016llx rdi=%016llx rbp=%016llx r8=%016llx",
		  (unsigned long long)g->rsi, (unsigned long long)g->rdi,
		  (unsigned long long)g->rbp, (unsigned long long)g->r8);
	vendor->dump_state(v);
}
