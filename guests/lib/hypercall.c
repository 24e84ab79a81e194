/* Choosing the hypercall instruction by CPU vendor. */
#include "guests/lib/hypercall.h"
#include "guests/lib/cpu.h"

struct hypercall_insn hypercall_for_cpu(void)
{
	if (cpu_uses_vmmcall())
		return (struct hypercall_insn){ "vmmcall", hypercall_vmmcall, hc_vmmcall_insn };
	return (struct hypercall_insn){ "vmcall", hypercall_vmcall, hc_vmcall_insn };
}
