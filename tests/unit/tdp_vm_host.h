/* A test VM for the memory core: memslots plus TDP MMU over a fake host
 * region (never touched: the MMU only computes frame numbers), with a flush
 * callback that counts and advances page_host's flush epoch. */
#pragma once

#include "mm/memslot.h"
#include "mm/tdp_mmu.h"

#define TEST_REGION_BASE	0x100000000000ull	/* 16 TiB, 1G aligned */
#define TEST_REGION_BYTES	(64ull << 30)

struct test_vm {
	struct memslots ms;
	struct tdp_mmu mmu;
	long flushes;		/* flush_remote_tlbs calls */
};

/* A new VM with the given format and largest leaf level. */
struct test_vm *test_vm_new(const struct tdp_pte_ops *ops, int max_leaf_level);

/* Tear `vm` down completely (zap root, RCU barrier, free slots); its
 * counters stay readable until test_vm_cleanup(). */
void test_vm_destroy(struct test_vm *vm);

/* Destroy VMs a failed test left behind and free every VM. */
void test_vm_cleanup(void);

/* Host address of page `page` of the test region. */
static inline void *test_host(uint64_t page)
{
	return (void *)(uintptr_t)(TEST_REGION_BASE + (page << 12));
}

/* Zap-leafs with the write lock and one flush, as a memslot update does. */
void test_vm_zap(struct test_vm *vm, uint64_t start, uint64_t end);
