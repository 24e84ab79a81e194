/* Memory-core figures on the host: memslot lookup cost and metadata size,
 * fault-in and zap throughput, TLB flushes per 1,000 zaps, rmap bytes before
 * and after nesting. Prints one `name key=value ...` line per figure.
 *
 * Build: gcc -std=gnu11 -O2 -I. -o build/bench-mm tools/bench-mm.c
 *   mm/rcu.c mm/memslot.c mm/rmap.c mm/tdp_iter.c mm/tdp_mmu.c
 *   vmx/ept_pte.c svm/npt_pte.c tests/unit/host.c -lpthread */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/page.h"
#include "mm/rmap.h"
#include "mm/tdp_mmu.h"
#include "tests/unit/host.h"
#include "vmx/ept_pte.h"

#define REGION_BASE	0x100000000000ull	/* never touched: frame numbers only */
#define REGION_BYTES	(64ull << 30)
#define PAGES_1G	(1ull << 18)

void *page_alloc_zeroed(void)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void page_free(void *page)
{
	free(page);
}

static void count_flush(void *ctx)
{
}

static const struct tdp_flush_ops flush_ops = { count_flush };

struct bench_vm {
	struct memslots ms;
	struct tdp_mmu mmu;
};

static void *host_page(uint64_t page)
{
	return (void *)(uintptr_t)(REGION_BASE + (page << PAGE_SHIFT));
}

static struct bench_vm *vm_new(int max_leaf_level)
{
	struct bench_vm *vm = calloc(1, sizeof(*vm));
	struct tdp_mmu_config cfg = { &ept_pte_ops, 4, max_leaf_level, &flush_ops, vm };

	if (!tdp_mmu_init(&vm->mmu, &cfg, &vm->ms) || memslots_init(&vm->ms, &vm->mmu) ||
	    memslots_add_region(&vm->ms, host_page(0), REGION_BYTES))
		panic("bench: VM setup failed");
	return vm;
}

static void vm_free(struct bench_vm *vm)
{
	tdp_mmu_destroy(&vm->mmu);
	rcu_barrier();
	memslots_destroy(&vm->ms);
	free(vm);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void must(int err, const char *what)
{
	if (err)
		panic("bench: %s: %s", what, memslot_strerror(err));
}

/* `n` slots of 16 pages with 16-page holes; random lookups that hit. */
static void bench_lookup(unsigned n)
{
	struct bench_vm *vm = vm_new(3);
	const unsigned lookups = 2000000;
	uint64_t seed = 88172645463325252ull, sum = 0;
	struct memslot_set *set;
	double t;

	for (unsigned i = 0; i < n; i++) {
		must(memslot_create(&vm->ms, 0, i, 32ull * i, 16, host_page(16ull * i), 0), "create");
		rcu_quiescent();
	}
	rcu_read_lock();
	set = memslots_active(&vm->ms, 0);
	t = now_ns();
	for (unsigned i = 0; i < lookups; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		sum += memslot_find(set, 32 * (seed % n) + (seed >> 40) % 16)->id;
	}
	t = now_ns() - t;
	rcu_read_unlock();
	printf("memslot_lookup slots=%u ns_per_lookup=%.1f checksum=%lu\n", n, t / lookups, sum % 7);
	if (n == 30)
		printf("memslot_bytes slots=30 bytes=%lu kvm_dynamic=2600 kvm_fixed=90000\n",
		       mm_stat_read(&vm->mmu.stats.memslot_bytes));
	vm_free(vm);
}

/* Fault in 1 GiB at `level` leaves, then zap it all. */
static void bench_fault_zap(int max_leaf_level, const char *name)
{
	struct bench_vm *vm = vm_new(max_leaf_level);
	uint64_t step = tdp_level_pages(max_leaf_level), faults = PAGES_1G / step;
	double t;

	must(memslot_create(&vm->ms, 0, 0, PAGES_1G, PAGES_1G, host_page(0), 0), "create");
	t = now_ns();
	for (uint64_t g = 0; g < PAGES_1G; g += step)
		if (tdp_mmu_fault(&vm->mmu, (PAGES_1G + g) << PAGE_SHIFT, TDP_PERM_ALL) != TDP_FAULT_MAPPED)
			panic("bench: fault failed");
	t = now_ns() - t;
	printf("fault_in page=%s faults=%lu ns_per_fault=%.1f ns_per_gib=%.0f table_bytes_per_gib=%lu\n",
	       name, faults, t / faults, t, mm_stat_read(&vm->mmu.stats.table_bytes));
	t = now_ns();
	write_lock(&vm->mmu.lock);
	if (tdp_mmu_zap_leafs(&vm->mmu, PAGES_1G, 2 * PAGES_1G, false))
		tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
	t = now_ns() - t;
	printf("zap page=%s leaves=%lu ns_per_leaf=%.1f tlb_flushes=%lu\n", name, faults,
	       t / faults, mm_stat_read(&vm->mmu.stats.tlb_flushes));
	vm_free(vm);
}

/* 1,000 single-page zaps: batched under one lock hold and flush, and one
 * memslot deletion each (every update flushes for itself). */
static void bench_flushes(void)
{
	struct bench_vm *vm = vm_new(1);

	must(memslot_create(&vm->ms, 0, 0, 0, 1000, host_page(0), 0), "create");
	for (uint64_t g = 0; g < 1000; g++)
		tdp_mmu_fault(&vm->mmu, g << PAGE_SHIFT, TDP_PERM_ALL);
	write_lock(&vm->mmu.lock);
	for (uint64_t g = 0; g < 1000; g++)
		tdp_mmu_zap_leafs(&vm->mmu, g, g + 1, false);
	tdp_mmu_flush(&vm->mmu);
	write_unlock(&vm->mmu.lock);
	printf("tlb_flushes_per_1000_zaps mode=batched flushes=%lu requests=%lu\n",
	       mm_stat_read(&vm->mmu.stats.tlb_flushes), mm_stat_read(&vm->mmu.stats.tlb_flush_requests));
	vm_free(vm);

	vm = vm_new(1);
	for (unsigned i = 0; i < 1000; i++) {
		must(memslot_create(&vm->ms, 0, i, i, 1, host_page(i), 0), "create");
		tdp_mmu_fault(&vm->mmu, (uint64_t)i << PAGE_SHIFT, TDP_PERM_ALL);
	}
	for (unsigned i = 0; i < 1000; i++) {
		must(memslot_delete(&vm->ms, 0, i), "delete");
		rcu_quiescent();
	}
	printf("tlb_flushes_per_1000_zaps mode=slot_delete flushes=%lu requests=%lu\n",
	       mm_stat_read(&vm->mmu.stats.tlb_flushes), mm_stat_read(&vm->mmu.stats.tlb_flush_requests));
	vm_free(vm);
}

static void bench_rmaps(void)
{
	struct bench_vm *vm = vm_new(3);

	must(memslot_create(&vm->ms, 0, 0, 0, PAGES_1G, host_page(0), 0), "create");
	printf("rmap_bytes guest=1GiB phase=before_nesting bytes=%lu\n",
	       mm_stat_read(&vm->mmu.stats.rmap_bytes));
	must(mmu_alloc_shadow_root_prepare(&vm->ms), "rmaps");
	printf("rmap_bytes guest=1GiB phase=after_first_shadow_root bytes=%lu\n",
	       mm_stat_read(&vm->mmu.stats.rmap_bytes));
	vm_free(vm);
}

int main(void)
{
	static const unsigned sizes[] = { 1, 30, 512, MEMSLOT_MAX_SLOTS };

	host_cpus = 1;
	host_set_cpu(0);
	rcu_idle_exit();
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_lookup(sizes[i]);
	bench_fault_zap(1, "4k");
	bench_fault_zap(2, "2m");
	bench_flushes();
	bench_rmaps();
	rcu_idle_enter();
	return 0;
}
