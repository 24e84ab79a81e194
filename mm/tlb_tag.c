/* Per-CPU pools of TLB tags with generations. */
#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "mm/tlb_tag.h"

struct tlb_tag_pool {
	uint32_t next;
	uint64_t generation;
};

CPU_LOCAL(struct tlb_tag_pool, pool);

bool tlb_tag_assign(struct tlb_tag *tag, uint32_t max)
{
	unsigned cpu = cpu_id();
	struct tlb_tag_pool *p = cpu_local_ptr(pool, cpu);

	if (p->generation == 0)
		*p = (struct tlb_tag_pool){ .next = 1, .generation = 1 };
	if (tag->id && tag->cpu == cpu && tag->generation == p->generation)
		return false;
	if (p->next > max)
		*p = (struct tlb_tag_pool){ .next = 1, .generation = p->generation + 1 };
	*tag = (struct tlb_tag){ .id = p->next++, .cpu = cpu, .generation = p->generation };
	return true;
}
