/* Choosing the hypercall instruction by CPU vendor, and the calls with
 * a helper of their own. */
#include "guests/lib/hypercall.h"
#include "guests/lib/cpu.h"

struct hypercall_insn hypercall_for_cpu(void)
{
	if (cpu_uses_vmmcall())
		return (struct hypercall_insn){ "vmmcall", hypercall_vmmcall, hc_vmmcall_insn };
	return (struct hypercall_insn){ "vmcall", hypercall_vmcall, hc_vmcall_insn };
}

uint64_t hypercall_counter(enum hc_counter which)
{
	struct hc_regs r = { .eax = HC_COUNTER, .ebx = which };

	hypercall_for_cpu().call(&r);
	return (uint64_t)r.ebx << 32 | r.eax;
}

uint32_t hypercall_unmap(uint32_t gpa, uint32_t bytes)
{
	struct hc_regs r = { .eax = HC_UNMAP, .ebx = gpa, .ecx = bytes };

	hypercall_for_cpu().call(&r);
	return r.eax;
}
