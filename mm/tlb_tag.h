/* TLB tags (AMD ASIDs, Intel VPIDs): each CPU hands out tags 1 .. max in
 * turn; when it runs out it starts a new generation, and a vCPU that still
 * holds a tag of an older generation (or of another CPU) takes a fresh one.
 * A tag handed out again may still tag its previous holder's translations
 * on this CPU, so a fresh tag must be flushed before the vCPU's first entry. */
#pragma once

#include "lib/compiler.h"

struct tlb_tag {
	uint32_t id;			/* 0: none yet */
	unsigned cpu;
	uint64_t generation;
};

/* Make `tag` valid on the running CPU, whose tags run from 1 to `max`
 * (a CPU-local pool per CPU). Returns true when a fresh tag was taken: the
 * caller flushes it. */
bool tlb_tag_assign(struct tlb_tag *tag, uint32_t max);
