/* Why a vCPU left the guest, decoded by the vendor code into a form the
 * core handles without knowing VMX from SVM. */
#pragma once

#include "lib/compiler.h"

enum vm_exit_reason {
	EXIT_CPUID,
	EXIT_HLT,
	EXIT_IO,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_HYPERCALL,
	EXIT_TDP_FAULT,		/* NPT/EPT violation */
	EXIT_TRIPLE_FAULT,
	EXIT_EXCEPTION,		/* an intercepted guest exception */
	EXIT_UNDEFINED_INSN,	/* hidden virtualization instructions: #UD */
	EXIT_INTERRUPT,		/* a host interrupt arrived: just re-enter */
	EXIT_XSETBV,
	EXIT_CR_ACCESS,		/* MOV to/from CR8 (the task priority); MOV to CR0, CR4; LMSW */
	EXIT_IRQ_WINDOW,	/* the guest can take an interrupt now */
	EXIT_NMI_WINDOW,	/* ... an NMI */
	EXIT_PAUSE,		/* a spin loop (pause filter / PLE): yield */
	EXIT_INIT,
	EXIT_SINGLE_STEP,	/* a debugger's step ended (VMX's monitor trap flag) */
	EXIT_DR_ACCESS,		/* MOV to/from a debug register, while a debugger owns them */
	EXIT_APIC_EOI,		/* APICv: the guest's EOI of a vector the IOAPIC must hear of */
	EXIT_FAILED_ENTRY,	/* the CPU refused the guest state */
	EXIT_UNHANDLED,		/* anything else: stops the VM */
	EXIT_REASON_COUNT,
};

struct vm_exit {
	enum vm_exit_reason reason;
	uint64_t vendor_code;		/* raw exit code, for reports */
	unsigned insn_len;		/* length of the exiting instruction, if known */
	union {
		struct {
			uint16_t port;
			uint8_t size;		/* 1, 2 or 4 */
			bool in;
			bool string;		/* INS/OUTS: not emulated, stops the VM */
		} io;
		struct {
			uint64_t gpa;
			bool write, fetch;
		} fault;
		struct {
			uint8_t vector;
			bool has_error;
			uint32_t error;
			uint64_t dr6;		/* #DB: what caused it, in DR6's bits */
		} exception;
		struct {
			uint8_t cr;		/* 0, 4 or 8 */
			bool write;		/* a write (MOV to the CR, LMSW) */
			int gpr;		/* the GPR, or -1: decode the instruction */
		} cr;
		struct {
			bool write;		/* MOV to DRn */
			uint8_t dr;
			int gpr;		/* the GPR, or -1: decode the instruction */
		} dr;
		uint8_t eoi_vector;		/* EXIT_APIC_EOI: the vector that ended */
		char failure[96];		/* EXIT_FAILED_ENTRY: the decoded reason */
	};
};

/* The reason's name in reports ("io", "tdp-fault"; "bad-reason" for a
 * value that is none). */
const char *vm_exit_reason_name(unsigned reason);
