/* Names of the neutral exit reasons, shared by every report that names one
 * (the VM-end counters, the exit trace). */
#include "hv/vm_exit.h"

static const char *const exit_names[] = {
	[EXIT_CPUID] = "cpuid", [EXIT_HLT] = "hlt", [EXIT_IO] = "io",
	[EXIT_MSR_READ] = "rdmsr", [EXIT_MSR_WRITE] = "wrmsr", [EXIT_HYPERCALL] = "hypercall",
	[EXIT_TDP_FAULT] = "tdp-fault", [EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_EXCEPTION] = "exception", [EXIT_UNDEFINED_INSN] = "ud", [EXIT_INTERRUPT] = "interrupt",
	[EXIT_XSETBV] = "xsetbv", [EXIT_CR_ACCESS] = "cr", [EXIT_IRQ_WINDOW] = "irq-window",
	[EXIT_NMI_WINDOW] = "nmi-window", [EXIT_PAUSE] = "pause", [EXIT_INIT] = "init",
	[EXIT_SINGLE_STEP] = "single-step", [EXIT_DR_ACCESS] = "dr-access", [EXIT_APIC_EOI] = "apic-eoi",
	[EXIT_FAILED_ENTRY] = "failed-entry", [EXIT_UNHANDLED] = "unhandled",
};
static_assert(ARRAY_SIZE(exit_names) == EXIT_REASON_COUNT, "a name for every exit reason");

const char *vm_exit_reason_name(unsigned reason)
{
	return reason < EXIT_REASON_COUNT ? exit_names[reason] : "bad-reason";
}
