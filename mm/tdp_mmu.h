/* The TDP MMU: one arch-neutral manager of a VM's EPT or NPT tables.
 *
 * Faults map guest frames on demand from the memslots, under the MMU lock in
 * read mode: vCPUs fault in parallel and install entries with atomic
 * compare-exchange. Zaps, write-protection and memslot updates hold it in
 * write mode. Three zap flows: a whole root at teardown (unreachable: no TLB
 * flush), the leaves of a gfn range, one page-table page.
 *
 * A zap never frees what it unlinks. It returns "flush needed"; the caller
 * batches one tdp_mmu_flush(), which flushes the guest TLBs and only then
 * hands the unlinked table pages to call_rcu(). So a table page is freed
 * after both the TLB flush that hides it from hardware walkers and the grace
 * period that ends every software walk. */
#pragma once

#include "lib/rwlock.h"
#include "mm/memslot.h"
#include "mm/mm_stats.h"
#include "mm/rcu.h"
#include "mm/tdp_pte.h"

/* Filled by the vendor code (INVEPT / ASID flush plus IPIs). */
struct tdp_flush_ops {
	/* Make every vCPU of the VM drop cached guest translations. */
	void (*flush_remote_tlbs)(void *ctx);
};

struct tdp_mmu_config {
	const struct tdp_pte_ops *ops;		/* entry format */
	int root_level;				/* 4, or 5 for 57-bit guests */
	int max_leaf_level;			/* 2; 3 if 1G leaves are supported */
	const struct tdp_flush_ops *flush;
	void *flush_ctx;
};

/* Metadata of one table page, allocated with it (as KVM's kvm_mmu_page). A
 * page's address cannot find its record, so records of linked pages wait in
 * a pool and an unlinked page takes any one of them. */
struct tdp_pt_page {
	struct rcu_head rcu;
	struct tdp_pt_page *next;	/* in mmu->spare or mmu->unlinked */
	uint64_t *pt;			/* the table page, once unlinked */
	struct tdp_mmu *mmu;
};
static_assert(sizeof(struct tdp_pt_page) == 48, "table page record: 48 bytes");

struct tdp_mmu {
	struct rwlock lock;
	const struct tdp_pte_ops *ops;
	int root_level;
	int max_leaf_level;
	const struct tdp_flush_ops *flush;
	void *flush_ctx;
	uint64_t *root;
	struct memslots *slots;
	struct tdp_pt_page *spare;	/* one record per linked table page */
	struct tdp_pt_page *unlinked;	/* waiting for the next flush */
	bool tlb_stale;			/* entries changed since the last flush */
	struct mm_stats stats;
};

enum tdp_fault_result {
	TDP_FAULT_MAPPED,		/* a new entry or more permissions */
	TDP_FAULT_SPURIOUS,		/* already mapped as needed */
	TDP_FAULT_RETRY,		/* memslots changed meanwhile: re-enter */
	TDP_FAULT_NO_SLOT,		/* MMIO: emulate */
	TDP_FAULT_READONLY,		/* write to a read-only slot: emulate */
	TDP_FAULT_NOMEM,
};

/* Lock assertions, always on: cheap loads of the tracked owner. */
#define mmu_lockdep_assert_held_write(mmu) BUG_ON(!rwlock_held_write(&(mmu)->lock))
#define mmu_lockdep_assert_held(mmu) BUG_ON(!rwlock_held(&(mmu)->lock))

/* Set up `mmu` with an empty root, mapping from `slots`; false without
 * memory. */
bool tdp_mmu_init(struct tdp_mmu *mmu, const struct tdp_mmu_config *cfg, struct memslots *slots);

/* Zap the whole root and drop every record. No vCPU may use the tables any
 * more, so no flush is needed; pages are freed through RCU, so run
 * rcu_barrier() before freeing `mmu` itself. */
void tdp_mmu_destroy(struct tdp_mmu *mmu);

/* Physical address of the root table (for the EPTP / nCR3). */
uint64_t tdp_mmu_root_pa(const struct tdp_mmu *mmu);

/* First gfn beyond what the tables can map. */
uint64_t tdp_mmu_gfn_limit(const struct tdp_mmu *mmu);

/* Handle a guest access fault at `gpa` for TDP_PERM_* `access`. Takes the
 * MMU lock for read; the caller must not hold it. */
enum tdp_fault_result tdp_mmu_fault(struct tdp_mmu *mmu, uint64_t gpa, unsigned access);

/* Zap every leaf mapping a gfn in [start, end) (huge leaves wholly).
 * `can_yield`: may drop the write lock when others wait. Returns true if a
 * flush is needed. Write lock held. */
bool tdp_mmu_zap_leafs(struct tdp_mmu *mmu, uint64_t start, uint64_t end, bool can_yield);

/* Zap the table page of level-`level` entries covering `gfn` (with all it
 * maps). Returns true if a flush is needed. Write lock held. */
bool tdp_mmu_zap_pt_page(struct tdp_mmu *mmu, uint64_t gfn, int level);

/* Zap the table pages under `slot`'s frames that may now be mapped huge
 * (after dirty logging stopped), so faults map them huge again. Returns
 * true if a flush is needed. Write lock held. */
bool tdp_mmu_recover_huge_pages(struct tdp_mmu *mmu, const struct memslot *slot);

/* Remove write permission from every leaf mapping a gfn in [start, end).
 * Returns true if a flush is needed. Write lock held. */
bool tdp_mmu_write_protect_range(struct tdp_mmu *mmu, uint64_t start, uint64_t end);

/* Remove write permission from the present leaf at `ptep` (a TDP or shadow
 * entry in this MMU's format), keeping hardware-set bits. Write lock held. */
void tdp_mmu_write_protect_pte(struct tdp_mmu *mmu, uint64_t *ptep);

/* Flush guest TLBs if entries changed since the last flush, then let RCU
 * free the table pages unlinked before it. Write lock held. */
void tdp_mmu_flush(struct tdp_mmu *mmu);
