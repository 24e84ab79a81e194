/* Decoding a #VMEXIT into the vendor-neutral struct vm_exit. Without
 * NRIPS (QEMU's TCG) the instruction lengths are those of the fixed
 * encodings that exit: CPUID, RDMSR/WRMSR, HLT, VMMCALL, XSETBV and INT3 (a
 * PAUSE exit is not skipped: the guest runs the PAUSE again); control and
 * debug register accesses without decode assists are decoded by the core
 * (an LMSW is decoded there always); an I/O exit
 * reports the next RIP itself in exit_info2. */
#include <stdio.h>

#include "hv/vm_exit.h"
#include "svm/svm.h"
#include "x86/vectors.h"

#define INSN_LEN_CPUID		2	/* 0f a2 */
#define INSN_LEN_MSR		2	/* 0f 32 / 0f 30 */
#define INSN_LEN_HLT		1	/* f4 */
#define INSN_LEN_VMMCALL	3	/* 0f 01 d9 */
#define INSN_LEN_XSETBV		3	/* 0f 01 d1 */
#define INSN_LEN_INT3		1	/* cc: the only #BP the intercept sees */

static void svm_decode_io(const struct vmcb *vmcb, struct vm_exit *exit)
{
	uint64_t info = vmcb->control.exit_info1;
	unsigned size_bits = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;

	exit->reason = EXIT_IO;
	exit->io.port = info >> SVM_IOIO_PORT_SHIFT;
	exit->io.size = size_bits & 4 ? 4 : size_bits & 2 ? 2 : 1;
	exit->io.in = info & SVM_IOIO_IN;
	exit->io.string = info & (SVM_IOIO_STRING | SVM_IOIO_REP);
	exit->insn_len = vmcb->control.exit_info2 - vmcb->save.rip;
}

void svm_exit_decode(const struct vmcb *vmcb, struct vm_exit *exit)
{
	const struct vmcb_control *c = &vmcb->control;
	uint32_t code = (uint32_t)c->exit_code;

	*exit = (struct vm_exit){ .vendor_code = c->exit_code, .reason = EXIT_UNHANDLED };
	switch (code) {
	case SVM_EXIT_CPUID:
		exit->reason = EXIT_CPUID;
		exit->insn_len = INSN_LEN_CPUID;
		break;
	case SVM_EXIT_HLT:
		exit->reason = EXIT_HLT;
		exit->insn_len = INSN_LEN_HLT;
		break;
	case SVM_EXIT_IOIO:
		svm_decode_io(vmcb, exit);
		break;
	case SVM_EXIT_MSR:
		exit->reason = c->exit_info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ;
		exit->insn_len = INSN_LEN_MSR;
		break;
	case SVM_EXIT_VMMCALL:
		exit->reason = EXIT_HYPERCALL;
		exit->insn_len = INSN_LEN_VMMCALL;
		break;
	case SVM_EXIT_XSETBV:
		exit->reason = EXIT_XSETBV;
		exit->insn_len = INSN_LEN_XSETBV;
		break;
	case SVM_EXIT_PAUSE:
		exit->reason = EXIT_PAUSE;
		break;
	case SVM_EXIT_NPF:
		exit->reason = EXIT_TDP_FAULT;
		exit->fault.gpa = c->exit_info2;
		exit->fault.write = c->exit_info1 & SVM_NPF_WRITE;
		exit->fault.fetch = c->exit_info1 & SVM_NPF_FETCH;
		break;
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
		exit->reason = EXIT_UNDEFINED_INSN;
		break;
	case SVM_EXIT_SHUTDOWN:
		exit->reason = EXIT_TRIPLE_FAULT;
		break;
	case SVM_EXIT_READ_CR8:
	case SVM_EXIT_WRITE_CR8:
	case SVM_EXIT_WRITE_CR4:
	case SVM_EXIT_CR0_SEL_WRITE:
		exit->reason = EXIT_CR_ACCESS;
		exit->cr.cr = code == SVM_EXIT_WRITE_CR4 ? 4 : code == SVM_EXIT_CR0_SEL_WRITE ? 0 : 8;
		exit->cr.write = code != SVM_EXIT_READ_CR8;
		/* Decode assists name the GPR; without them the core decodes. */
		exit->cr.gpr = c->exit_info1 & SVM_CR_GPR_VALID ? (int)(c->exit_info1 & SVM_CR_GPR_MASK)
								: -1;
		break;
	case SVM_EXIT_VINTR:
		exit->reason = EXIT_IRQ_WINDOW;
		break;
	case SVM_EXIT_IRET:
		exit->reason = EXIT_NMI_WINDOW;
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
		exit->reason = EXIT_INTERRUPT;
		break;
	case SVM_EXIT_INIT:
		exit->reason = EXIT_INIT;
		break;
	case SVM_EXIT_EXCEPTION_0 + VECTOR_MACHINE_CHECK:
	case SVM_EXIT_EXCEPTION_0 + VECTOR_DEBUG:
	case SVM_EXIT_EXCEPTION_0 + VECTOR_BP:
		exit->reason = EXIT_EXCEPTION;
		exit->exception.vector = code - SVM_EXIT_EXCEPTION_0;
		exit->exception.dr6 = vmcb->save.dr6;	/* the CPU updated it for a #DB */
		exit->insn_len = code == SVM_EXIT_EXCEPTION_0 + VECTOR_BP ? INSN_LEN_INT3 : 0;
		break;
	case SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR0 + 7:
	case SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR0 + 7:
		exit->reason = EXIT_DR_ACCESS;
		exit->dr.dr = code & 7;
		exit->dr.write = code >= SVM_EXIT_WRITE_DR0;
		exit->dr.gpr = c->exit_info1 & SVM_CR_GPR_VALID ? (int)(c->exit_info1 & SVM_CR_GPR_MASK)
								: -1;
		break;
	case SVM_EXIT_INVALID:
		exit->reason = EXIT_FAILED_ENTRY;
		snprintf(exit->failure, sizeof(exit->failure),
			 "VMRUN refused the guest state (VMEXIT_INVALID)");
		break;
	}
}
