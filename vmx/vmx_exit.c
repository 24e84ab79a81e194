/* Decoding a VM exit (the current VMCS's exit-information fields) into the
 * vendor-neutral struct vm_exit. The CPU reports the exiting instruction's
 * length for every instruction-caused exit. */
#include <stdio.h>

#include "hv/vm_exit.h"
#include "lib/log.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/vectors.h"

static void vmx_decode_io(uint64_t qual, struct vm_exit *exit)
{
	exit->reason = EXIT_IO;
	exit->io.port = qual >> IO_QUAL_PORT_SHIFT;
	exit->io.size = (qual & IO_QUAL_SIZE_MASK) + 1;
	exit->io.in = qual & IO_QUAL_IN;
	exit->io.string = qual & (IO_QUAL_STRING | IO_QUAL_REP);
}

/* MOV to/from CR8 and MOV to CR0 and CR4 go to the core; CLTS and LMSW,
 * which the masks never make exit (vmx_cr.c), stay EXIT_UNHANDLED. */
static void vmx_decode_cr(uint64_t qual, struct vm_exit *exit)
{
	unsigned cr = qual & CR_QUAL_CR_MASK;
	unsigned type = qual & CR_QUAL_TYPE_MASK;
	bool write = type == CR_QUAL_TYPE_MOV_TO_CR;

	if ((type != CR_QUAL_TYPE_MOV_TO_CR && type != CR_QUAL_TYPE_MOV_FROM_CR) ||
	    (cr != 8 && !((cr == 0 || cr == 4) && write)))
		return;
	exit->reason = EXIT_CR_ACCESS;
	exit->cr.cr = cr;
	exit->cr.write = write;
	exit->cr.gpr = (qual & CR_QUAL_GPR_MASK) >> CR_QUAL_GPR_SHIFT;
}

/* Exit reason 0: an NMI (the host's) or an intercepted exception (#MC,
 * and a debugger's #BP and #DB; the qualification of a #DB has DR6's
 * event bits, which the CPU left the guest's DR6 without). */
static void vmx_decode_exception(uint64_t qual, struct vm_exit *exit)
{
	uint32_t info = vmread(VMCS_EXIT_INTR_INFO);
	uint8_t vector = info & INTR_INFO_VECTOR_MASK;

	if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI) {
		exit->reason = EXIT_INTERRUPT;
	} else if (vector == VECTOR_MACHINE_CHECK || vector == VECTOR_BP ||
		   vector == VECTOR_DEBUG) {
		exit->reason = EXIT_EXCEPTION;
		exit->exception.vector = vector;
		exit->exception.dr6 = vector == VECTOR_DEBUG ? qual : 0;
	}
}

/* MOV to/from DRn: the qualification names the DR, the direction and the GPR. */
static void vmx_decode_dr_access(uint64_t qual, struct vm_exit *exit)
{
	exit->reason = EXIT_DR_ACCESS;
	exit->dr.dr = qual & DR_QUAL_NUMBER_MASK;
	exit->dr.write = !(qual & DR_QUAL_FROM_DR);
	exit->dr.gpr = (qual >> DR_QUAL_GPR_SHIFT) & 0xf;
}

/* Exit reason with bit 31 set: the guest state failed VM entry's checks. */
static void vmx_decode_entry_failure(uint32_t reason, uint64_t qual, struct vm_exit *exit)
{
	exit->reason = EXIT_FAILED_ENTRY;
	switch (reason & EXIT_REASON_BASIC_MASK) {
	case VMX_EXIT_INVALID_GUEST_STATE:
		snprintf(exit->failure, sizeof(exit->failure),
			 "invalid guest state (exit qualification %llu)", (unsigned long long)qual);
		break;
	case VMX_EXIT_MSR_LOADING:
		snprintf(exit->failure, sizeof(exit->failure),
			 "loading entry %llu of the VM-entry MSR-load area failed",
			 (unsigned long long)qual);
		break;
	case VMX_EXIT_MACHINE_CHECK:
		snprintf(exit->failure, sizeof(exit->failure), "machine check during VM entry");
		break;
	default:
		snprintf(exit->failure, sizeof(exit->failure), "exit reason %#x",
			 (unsigned)reason);
		break;
	}
}

void vmx_exit_decode(struct vm_exit *exit)
{
	uint32_t reason = vmread(VMCS_EXIT_REASON);
	uint64_t qual = vmread(VMCS_EXIT_QUALIFICATION);

	*exit = (struct vm_exit){ .vendor_code = reason, .reason = EXIT_UNHANDLED,
				  .insn_len = vmread(VMCS_EXIT_INSN_LEN) };
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		vmx_decode_entry_failure(reason, qual, exit);
		return;
	}
	switch (reason & EXIT_REASON_BASIC_MASK) {
	case VMX_EXIT_CPUID:
		exit->reason = EXIT_CPUID;
		break;
	case VMX_EXIT_HLT:
		exit->reason = EXIT_HLT;
		break;
	case VMX_EXIT_IO:
		vmx_decode_io(qual, exit);
		break;
	case VMX_EXIT_RDMSR:
		exit->reason = EXIT_MSR_READ;
		break;
	case VMX_EXIT_WRMSR:
		exit->reason = EXIT_MSR_WRITE;
		break;
	case VMX_EXIT_VMCALL:
		exit->reason = EXIT_HYPERCALL;
		break;
	case VMX_EXIT_CR_ACCESS:
		vmx_decode_cr(qual, exit);
		break;
	case VMX_EXIT_INTR_WINDOW:
		exit->reason = EXIT_IRQ_WINDOW;
		break;
	case VMX_EXIT_NMI_WINDOW:
		exit->reason = EXIT_NMI_WINDOW;
		break;
	case VMX_EXIT_XSETBV:
		exit->reason = EXIT_XSETBV;
		break;
	case VMX_EXIT_PAUSE:
		exit->reason = EXIT_PAUSE;
		break;
	case VMX_EXIT_EPT_VIOLATION:
		exit->reason = EXIT_TDP_FAULT;
		exit->fault.gpa = vmread(VMCS_GUEST_PHYS_ADDR);
		exit->fault.write = qual & EPT_QUAL_WRITE;
		exit->fault.fetch = qual & EPT_QUAL_FETCH;
		break;
	case VMX_EXIT_EPT_MISCONFIG:
		log_error("vmx: EPT misconfiguration at guest-physical %#llx: an EPT entry the "
			  "hypervisor wrote is malformed",
			  (unsigned long long)vmread(VMCS_GUEST_PHYS_ADDR));
		break;
	case VMX_EXIT_VMCLEAR:
	case VMX_EXIT_VMLAUNCH:
	case VMX_EXIT_VMPTRLD:
	case VMX_EXIT_VMPTRST:
	case VMX_EXIT_VMREAD:
	case VMX_EXIT_VMRESUME:
	case VMX_EXIT_VMWRITE:
	case VMX_EXIT_VMXOFF:
	case VMX_EXIT_VMXON:
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
	case VMX_EXIT_MONITOR:
	case VMX_EXIT_MWAIT:
		exit->reason = EXIT_UNDEFINED_INSN;
		break;
	case VMX_EXIT_TRIPLE_FAULT:
		exit->reason = EXIT_TRIPLE_FAULT;
		break;
	case VMX_EXIT_EXTERNAL_INTR:
		exit->reason = EXIT_INTERRUPT;
		break;
	case VMX_EXIT_EXCEPTION_NMI:
		vmx_decode_exception(qual, exit);
		break;
	case VMX_EXIT_MONITOR_TRAP:
		exit->reason = EXIT_SINGLE_STEP;
		break;
	case VMX_EXIT_DR_ACCESS:
		vmx_decode_dr_access(qual, exit);
		break;
	case VMX_EXIT_INIT:
		exit->reason = EXIT_INIT;
		break;
	case VMX_EXIT_VIRTUALIZED_EOI:
		exit->reason = EXIT_APIC_EOI;
		exit->eoi_vector = qual & INTR_INFO_VECTOR_MASK;
		break;
	}
}
