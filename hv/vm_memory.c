/* Guest RAM from any free host memory. The buddy allocator gives naturally
 * aligned blocks; taking them largest first (1 GiB, then halves down to
 * 2 MiB) and placing them in guest-physical order keeps every block's
 * guest address aligned as its host address is, so the TDP MMU maps each
 * with the largest pages both allow. Physically adjacent blocks merge into
 * one piece; a block across the PCI hole splits in two. Each piece is a
 * memslot. */
#include <stdlib.h>
#include <string.h>

#include "hv/vendor.h"
#include "hv/vm.h"
#include "hv/vm_memory.h"
#include "lib/log.h"
#include "mm/page.h"
#include "mm/pmm.h"
#include "mm/rcu.h"

#define PAGE_SHIFT	12
#define BLOCK_ORDER_MIN	9	/* 2 MiB: mem= is a multiple of it */
#define BLOCK_ORDER_MAX	18	/* 1 GiB */

static_assert(VM_MEM_ALIGN == (4096ull << BLOCK_ORDER_MIN), "mem= is whole smallest blocks");

/* The TDP MMU's remote flush: every vCPU's. */
static void vm_flush_tlbs(void *ctx)
{
	vm_flush_guest_tlbs(ctx, NULL);
}

static const struct tdp_flush_ops vm_flush_ops = { .flush_remote_tlbs = vm_flush_tlbs };

/* Take vm->ram_bytes in blocks, largest first; false (all given back) when
 * free memory runs out. */
static bool blocks_alloc(struct vm *vm)
{
	uint64_t left = vm->ram_bytes;
	unsigned order = BLOCK_ORDER_MAX;

	vm->blocks = calloc(vm->ram_bytes >> (PAGE_SHIFT + BLOCK_ORDER_MIN), sizeof(*vm->blocks));
	if (!vm->blocks)
		return false;
	while (left) {
		uint64_t pa;

		while ((4096ull << order) > left)
			order--;
		pa = pmm_alloc(order);
		if (!pa && order == BLOCK_ORDER_MIN)
			return false;
		if (!pa) {
			order--;
			continue;
		}
		memset(phys_to_virt(pa), 0, 4096ull << order);
		vm->blocks[vm->nr_blocks++] = (struct vm_ram_block){ pa, order };
		left -= 4096ull << order;
	}
	return true;
}

static void blocks_free(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_blocks; i++)
		pmm_free(vm->blocks[i].pa, vm->blocks[i].order);
	free(vm->blocks);
	vm->blocks = NULL;
	vm->nr_blocks = 0;
}

/* Append host [pa, +bytes) at RAM offset `offset` to the pieces, merged
 * with the last one where both addresses continue it. */
static void piece_add(struct vm *vm, uint64_t offset, uint64_t pa, uint64_t bytes)
{
	struct guest_ram_piece *last = vm->nr_pieces ? &vm->pieces[vm->nr_pieces - 1] : NULL;
	uint8_t *host = phys_to_virt(pa);
	uint64_t gpa = guest_ram_gpa(offset);

	if (last && last->host + last->bytes == host && last->gpa + last->bytes == gpa) {
		last->bytes += bytes;
		return;
	}
	vm->pieces[vm->nr_pieces++] = (struct guest_ram_piece){ gpa, bytes, host };
}

/* Lay the blocks out in guest-physical order, split at the PCI hole. */
static bool pieces_build(struct vm *vm)
{
	uint64_t offset = 0;

	vm->pieces = calloc(vm->nr_blocks + 1, sizeof(*vm->pieces));
	if (!vm->pieces)
		return false;
	for (unsigned i = 0; i < vm->nr_blocks; i++) {
		uint64_t pa = vm->blocks[i].pa, bytes = 4096ull << vm->blocks[i].order;
		uint64_t below = offset < GUEST_PCI_HOLE ? MIN(bytes, GUEST_PCI_HOLE - offset) : 0;

		if (below)
			piece_add(vm, offset, pa, below);
		if (bytes > below)
			piece_add(vm, offset + below, pa + below, bytes - below);
		offset += bytes;
	}
	vm->ram = (struct guest_ram){ vm->ram_bytes, vm->nr_pieces, vm->pieces };
	return true;
}

/* One memslot per piece, each backed by a region of its own. */
static int slots_create(struct vm *vm)
{
	int err = 0;

	for (unsigned i = 0; i < vm->nr_pieces && !err; i++) {
		const struct guest_ram_piece *p = &vm->pieces[i];

		err = memslots_add_region(&vm->slots, p->host, p->bytes);
		if (!err)
			err = memslot_create(&vm->slots, 0, i, p->gpa >> PAGE_SHIFT,
					     p->bytes >> PAGE_SHIFT, p->host, 0);
	}
	return err;
}

int vm_memory_create(struct vm *vm)
{
	struct tdp_mmu_config mmu_cfg = {
		.ops = vendor->pte_ops,
		.root_level = 4,
		.max_leaf_level = vendor->tdp_max_leaf_level(),
		.flush = &vm_flush_ops,
		.flush_ctx = vm,
	};
	int err;

	if (!blocks_alloc(vm)) {
		blocks_free(vm);
		vm_stop(vm, NULL, "guest RAM of %llu MiB: only %llu MiB of host memory is free",
			(unsigned long long)(vm->ram_bytes >> 20),
			(unsigned long long)(pmm_free_bytes() >> 20));
		return -1;
	}
	vm->slots_ready = memslots_init(&vm->slots, &vm->mmu) == 0;
	vm->mmu_ready = vm->slots_ready && tdp_mmu_init(&vm->mmu, &mmu_cfg, &vm->slots);
	if (!vm->mmu_ready || !pieces_build(vm)) {
		vm_stop(vm, NULL, "no memory for the VM's memslots and page tables");
		return -1;
	}
	err = slots_create(vm);
	if (err) {
		vm_stop(vm, NULL, "guest RAM slots: %s", memslot_strerror(err));
		return -1;
	}
	log_debug("vm %s: %llu MiB of guest RAM in %u host blocks, %u memslots", vm->name,
		  (unsigned long long)(vm->ram_bytes >> 20), vm->nr_blocks, vm->nr_pieces);
	return 0;
}

void vm_memory_destroy(struct vm *vm)
{
	if (vm->mmu_ready)
		tdp_mmu_destroy(&vm->mmu);
	rcu_barrier();
	if (vm->slots_ready)
		memslots_destroy(&vm->slots);
	vm->mmu_ready = vm->slots_ready = false;
	free(vm->pieces);
	vm->pieces = NULL;
	vm->nr_pieces = 0;
	blocks_free(vm);
}
