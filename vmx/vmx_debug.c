/* VMX's side of a debugger's hold on a vCPU (hv/vcpu_debug.h): the monitor
 * trap flag, where the CPU has it, ends a step after one instruction
 * without the guest seeing anything of it (else the core steps with TF
 * through the #DB intercept), the exception bitmap takes #BP and #DB, MOV-DR exiting
 * the debug registers. DR7 is a guest-state field; DR0-DR3 and DR6 are
 * the CPU's own (hv/vcpu_switch.c). */
#include "hv/vcpu.h"
#include "hv/vcpu_debug.h"
#include "lib/cpu.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"
#include "x86/insn.h"
#include "x86/vectors.h"

void vmx_debug_controls_write(struct vmx_vcpu *vx)
{
	uint32_t proc = vx->proc & ~(PROC_MONITOR_TRAP_FLAG | PROC_MOV_DR_EXITING);
	uint32_t exceptions = 1u << VECTOR_MACHINE_CHECK;

	if (vx->debug & DEBUG_STEP)
		proc |= PROC_MONITOR_TRAP_FLAG;
	if (vx->debug & DEBUG_INTERCEPT_DR)
		proc |= PROC_MOV_DR_EXITING;
	if (vx->debug & DEBUG_INTERCEPT_BP)
		exceptions |= 1u << VECTOR_BP;
	if (vx->debug & DEBUG_INTERCEPT_DB)
		exceptions |= 1u << VECTOR_DEBUG;
	vx->proc = proc;
	vmx_write(VMCS_PROC_CONTROLS, proc);
	vmx_write(VMCS_EXCEPTION_BITMAP, exceptions);
}

bool vmx_has_step_trap(void)
{
	return vmx_caps.mtf;
}

void vmx_drop_pending_step(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->vendor;

	vmx_make_current(vx->vmcs);
	vmx_write(VMCS_GUEST_PENDING_DEBUG, vmread(VMCS_GUEST_PENDING_DEBUG) & ~DR6_BS);
}

void vmx_set_debug(struct vcpu *v, unsigned what)
{
	struct vmx_vcpu *vx = v->vendor;

	vx->debug = what;
	if (vx->cpu != (int)cpu_id())
		return;
	vmx_make_current(vx->vmcs);
	vmx_debug_controls_write(vx);
}

uint64_t vmx_get_dr(struct vcpu *v, unsigned n)
{
	struct vmx_vcpu *vx = v->vendor;

	if (n == 6)
		return read_dr6();
	vmx_make_current(vx->vmcs);
	return vmread(VMCS_GUEST_DR7);
}

void vmx_set_dr(struct vcpu *v, unsigned n, uint64_t value)
{
	struct vmx_vcpu *vx = v->vendor;

	if (n == 6) {
		write_dr6(value);
		return;
	}
	vmx_make_current(vx->vmcs);
	vmx_write(VMCS_GUEST_DR7, value);
}
