/* VPIDs: each CPU hands out 1 .. 0xffff in turn (VPID 0 is the host's);
 * when it runs out it starts a new generation, and every vCPU that still
 * holds a VPID of an older generation takes a fresh one. A VPID handed out
 * again may still tag translations of its previous holder on this CPU, so
 * every assignment flushes it with INVVPID before the vCPU's first entry.
 * A vCPU never leaves the CPU its VMCS is active on (vmx_vcpu.c), so its
 * generation is always of this CPU's pool. */
#include "hv/cpu.h"
#include "hv/log.h"
#include "vmx/vmx.h"
#include "vmx/vmx_insn.h"

#define VPID_MAX	0xffffu

struct vpid_pool {
	uint32_t next;
	uint64_t generation;
};

static struct vpid_pool pools[MAX_CPUS];

void vmx_vpid_assign(struct vmx_vcpu *vx)
{
	struct vpid_pool *p = &pools[cpu_id()];

	if (!vmx_caps.vpid)
		return;
	if (p->generation == 0)
		*p = (struct vpid_pool){ .next = 1, .generation = 1 };
	if (vx->vpid && vx->vpid_generation == p->generation)
		return;
	if (p->next > VPID_MAX)
		*p = (struct vpid_pool){ .next = 1, .generation = p->generation + 1 };
	vx->vpid = p->next++;
	vx->vpid_generation = p->generation;
	if (!invvpid(vmx_caps.invvpid_type, vx->vpid))
		panic("vmx: INVVPID type %llu of VPID %u failed",
		      (unsigned long long)vmx_caps.invvpid_type, vx->vpid);
	vmx_write(VMCS_VPID, vx->vpid);
}
