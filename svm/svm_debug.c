/* SVM's side of a debugger's hold on a vCPU (hv/vcpu_debug.h). SVM has no
 * monitor trap flag, so the core steps with TF (hv/vcpu_step.c) through
 * the #DB intercept, which the NMI window's step over an IRET (svm_vcpu.c)
 * also uses. DR6 and DR7 are in the VMCB. QEMU's TCG takes INT3 at the
 * INT n intercept rather than at the #BP one (real CPUs do the latter):
 * while the debugger has int3s in, INT n is intercepted too. */
#include "hv/guest_mem.h"
#include "hv/vcpu_debug.h"
#include "svm/svm.h"
#include "x86/regs.h"
#include "x86/vectors.h"

#define OP_INT3		0xcc
#define OP_INT		0xcd
#define OP_INTO		0xce
#define VECTOR_OF	4

void svm_debug_intercepts(struct svm_vcpu *sv)
{
	struct vmcb_control *c = &sv->vmcb->control;
	uint32_t exceptions = c->intercept_exceptions & ~(SVM_INTERCEPT_DB | SVM_INTERCEPT_BP);

	c->intercept_misc1 &= ~SVM_INTERCEPT_INTN;
	if (sv->nmi_singlestep || (sv->debug & DEBUG_INTERCEPT_DB))
		exceptions |= SVM_INTERCEPT_DB;
	if (sv->debug & DEBUG_INTERCEPT_BP) {
		exceptions |= SVM_INTERCEPT_BP;
		c->intercept_misc1 |= SVM_INTERCEPT_INTN;
	}
	c->intercept_exceptions = exceptions;
	c->intercept_dr_read = c->intercept_dr_write =
		sv->debug & DEBUG_INTERCEPT_DR ? SVM_INTERCEPT_DR0_7 : 0;
}

bool svm_has_step_trap(void)
{
	return false;
}

void svm_drop_pending_step(struct vcpu *v)
{
	(void)v;
}

void svm_set_debug(struct vcpu *v, unsigned what)
{
	struct svm_vcpu *sv = v->vendor;

	sv->debug = what;
	svm_debug_intercepts(sv);
}

bool svm_debug_exit(struct vcpu *v, struct vm_exit *exit)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)v->vendor)->vmcb;
	uint8_t code[INSN_MAX_LEN];
	struct vcpu_sregs s;
	bool opsize;
	int i;

	if (exit->vendor_code != SVM_EXIT_SWINT)
		return false;
	vendor->get_sregs(v, &s);
	i = guest_opcode_at_rip(v, &s, code, &opsize);
	if (i < 0)
		return false;				/* EXIT_UNHANDLED: stops the VM */
	switch (code[i]) {
	case OP_INT3:
		exit->reason = EXIT_EXCEPTION;
		exit->exception.vector = VECTOR_BP;
		exit->insn_len = i + 1;
		return false;
	case OP_INT:
		if (i + 1 >= INSN_MAX_LEN)
			return false;
		v->rip += i + 2;
		vmcb->control.event_inj = code[i + 1] | SVM_EVTINJ_TYPE_SOFT | SVM_EVTINJ_VALID;
		return true;
	case OP_INTO:
		v->rip += i + 1;
		if (v->rflags & RFLAGS_OF)
			vmcb->control.event_inj = VECTOR_OF | SVM_EVTINJ_TYPE_EXCEPTION |
						  SVM_EVTINJ_VALID;
		return true;
	}
	return false;
}

uint64_t svm_get_dr(struct vcpu *v, unsigned n)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->vendor)->vmcb;

	return n == 6 ? vmcb->save.dr6 : vmcb->save.dr7;
}

void svm_set_dr(struct vcpu *v, unsigned n, uint64_t value)
{
	struct vmcb *vmcb = ((struct svm_vcpu *)v->vendor)->vmcb;

	if (n == 6)
		vmcb->save.dr6 = value;
	else
		vmcb->save.dr7 = value;
}
