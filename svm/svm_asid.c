/* ASIDs: each CPU hands out 1 .. nr_asids-1 in turn; when it runs out it
 * starts a new generation, and every vCPU that still holds an ASID of an
 * older generation takes a fresh one with a full TLB flush. QEMU's TCG has
 * only 16 ASIDs and only TLB_CONTROL 0 and 1, so reuse must flush all. */
#include "hv/cpu.h"
#include "svm/svm.h"

struct asid_pool {
	uint32_t next;
	uint64_t generation;
};

static struct asid_pool pools[MAX_CPUS];

void svm_asid_assign(struct svm_vcpu *sv)
{
	struct asid_pool *p = &pools[cpu_id()];

	if (p->generation == 0)
		*p = (struct asid_pool){ .next = 1, .generation = 1 };
	if (sv->asid && sv->asid_cpu == cpu_id() && sv->asid_generation == p->generation)
		return;
	if (p->next >= svm_caps.nr_asids)
		*p = (struct asid_pool){ .next = 1, .generation = p->generation + 1 };
	sv->asid = p->next++;
	sv->asid_cpu = cpu_id();
	sv->asid_generation = p->generation;
	sv->flush_pending = true;
}
