/* Test VM plumbing; see tests/unit/tdp_vm_host.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "tests/unit/page_host.h"
#include "tests/unit/tdp_vm_host.h"

static void test_flush_remote_tlbs(void *ctx)
{
	struct test_vm *vm = ctx;

	__atomic_fetch_add(&vm->flushes, 1, __ATOMIC_RELAXED);
	page_host_flush();
}

static const struct tdp_flush_ops test_flush_ops = {
	.flush_remote_tlbs = test_flush_remote_tlbs,
};

#define TEST_VMS 8

static struct test_vm *vms[TEST_VMS];
static bool vm_alive[TEST_VMS];

struct test_vm *test_vm_new(const struct tdp_pte_ops *ops, int max_leaf_level)
{
	struct test_vm *vm = calloc(1, sizeof(*vm));
	struct tdp_mmu_config cfg = {
		.ops = ops, .root_level = 4, .max_leaf_level = max_leaf_level,
		.flush = &test_flush_ops, .flush_ctx = vm,
	};
	unsigned i = 0;

	while (vms[i])
		i++;
	assert_true(i < TEST_VMS);
	vms[i] = vm;
	assert_true(tdp_mmu_init(&vm->mmu, &cfg, &vm->ms));
	assert_int_equal(memslots_init(&vm->ms, &vm->mmu), MEMSLOT_OK);
	vm_alive[i] = true;
	assert_int_equal(memslots_add_region(&vm->ms, test_host(0), TEST_REGION_BYTES), MEMSLOT_OK);
	return vm;
}

void test_vm_cleanup(void)
{
	for (unsigned i = 0; i < TEST_VMS; i++) {
		if (vm_alive[i]) {
			if (rwlock_held_write(&vms[i]->mmu.lock))
				write_unlock(&vms[i]->mmu.lock);
			test_vm_destroy(vms[i]);
		}
		free(vms[i]);
		vms[i] = NULL;
	}
}

void test_vm_destroy(struct test_vm *vm)
{
	for (unsigned i = 0; i < TEST_VMS; i++)
		if (vms[i] == vm)
			vm_alive[i] = false;
	/* The VM's vCPUs are gone and its TLB tag is retired: no hardware
	 * walker reaches the root any more. */
	page_host_flush();
	tdp_mmu_destroy(&vm->mmu);
	rcu_barrier();
	memslots_destroy(&vm->ms);
}

void test_vm_zap(struct test_vm *vm, uint64_t start, uint64_t end)
{
	write_lock(&vm->mmu.lock);
	if (tdp_mmu_zap_leafs(&vm->mmu, start, end, true))
		tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
}
