/* VM lifecycle: build from a configuration, run, report, tear down. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hv/dev/vdev.h"
#include "hv/load/guest_load.h"
#include "hv/vcpu_run.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "lib/log.h"
#include "mm/page.h"
#include "mm/pmm.h"
#include "mm/rcu.h"
#include "x86/regs.h"

#define RAM_SLOT 0
#define PAGE_SHIFT 12

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
}

/* Guest console lines go to the hypervisor's log, already prefixed. */
static void vm_console_line(void *ctx, const char *line)
{
	log_info("%s", line);
}

/* The TDP MMU's remote flush: every vCPU of the VM drops its cached
 * translations at its next entry. A VM has one vCPU, and only that vCPU
 * changes the tables while the VM runs, so no IPI is needed yet. */
static void vm_flush_tlbs(void *ctx)
{
	struct vm *vm = ctx;

	vendor->flush_guest_tlb(&vm->vcpu);
}

static const struct tdp_flush_ops vm_flush_ops = { .flush_remote_tlbs = vm_flush_tlbs };

static unsigned ram_order(uint64_t bytes)
{
	unsigned order = 0;

	while ((4096ull << order) < bytes)
		order++;
	return order;
}

/* Guest RAM: one naturally aligned block from the page allocator, so that
 * 2 MiB (and 1 GiB) guest pages can map it. */
static int vm_memory_create(struct vm *vm)
{
	uint64_t pa = pmm_alloc(ram_order(vm->ram_bytes));
	struct tdp_mmu_config mmu_cfg = {
		.ops = vendor->pte_ops,
		.root_level = 4,
		.max_leaf_level = vendor->tdp_max_leaf_level(),
		.flush = &vm_flush_ops,
		.flush_ctx = vm,
	};
	int err;

	if (!pa) {
		vm_stop(vm, "no %llu MiB block of host memory for guest RAM (%llu MiB free)",
			(unsigned long long)(vm->ram_bytes >> 20),
			(unsigned long long)(pmm_free_bytes() >> 20));
		return -1;
	}
	vm->ram = phys_to_virt(pa);
	memset(vm->ram, 0, vm->ram_bytes);
	vm->slots_ready = memslots_init(&vm->slots, &vm->mmu) == 0;
	vm->mmu_ready = vm->slots_ready && tdp_mmu_init(&vm->mmu, &mmu_cfg, &vm->slots);
	if (!vm->mmu_ready) {
		vm_stop(vm, "no memory for the VM's memslots and page tables");
		return -1;
	}
	err = memslots_add_region(&vm->slots, vm->ram, vm->ram_bytes);
	if (!err)
		err = memslot_create(&vm->slots, 0, RAM_SLOT, 0, vm->ram_bytes >> PAGE_SHIFT,
				     vm->ram, 0);
	if (err) {
		vm_stop(vm, "guest RAM slot: %s", memslot_strerror(err));
		return -1;
	}
	return 0;
}

/* Undo vm_memory_create(), whatever part of it succeeded. */
static void vm_memory_destroy(struct vm *vm)
{
	if (vm->mmu_ready)
		tdp_mmu_destroy(&vm->mmu);
	rcu_barrier();
	if (vm->slots_ready)
		memslots_destroy(&vm->slots);
	vm->mmu_ready = vm->slots_ready = false;
	if (vm->ram)
		pmm_free(virt_to_phys(vm->ram), ram_order(vm->ram_bytes));
	vm->ram = NULL;
}

/* Gather the VM's kernel and modules from the boot modules and load them. */
static int vm_load_kernel(struct vm *vm, const struct boot_module *boot_mods,
			  struct guest_entry *entry)
{
	const struct vm_config *cfg = vm->config;
	const struct boot_module *k = &boot_mods[cfg->kernel.index];
	struct guest_module mods[GUEST_MODULES_MAX];
	struct guest_kernel kernel = {
		.kind = cfg->kind,
		.image = (const void *)(uintptr_t)k->start,
		.image_size = k->end - k->start,
		.cmdline = cfg->kernel.string,
		.modules = mods,
		.module_count = cfg->module_count,
	};

	for (size_t i = 0; i < cfg->module_count; i++) {
		const struct boot_module *m = &boot_mods[cfg->modules[i].index];

		mods[i] = (struct guest_module){ (const void *)(uintptr_t)m->start,
						 m->end - m->start, cfg->modules[i].string };
	}
	return guest_load(vm->ram, vm->ram_bytes, &kernel, entry, vm->stop_reason,
			  sizeof(vm->stop_reason));
}

static void vm_destroy(struct vm *vm)
{
	if (vm->vcpu.vendor)
		vendor->vcpu_destroy(&vm->vcpu);
	vdev_set_destroy(vm->devices);
	vm->devices = NULL;
	vm_memory_destroy(vm);
}

int vm_create(struct vm *vm, const struct vm_config *cfg, const struct boot_module *mods)
{
	struct guest_entry entry;
	const struct vdev_config devices = {
		.vm_name = cfg->name,
		.ram_bytes = cfg->mem,
		.vcpus = cfg->vcpus,
		.console = vm_console_line,
	};

	*vm = (struct vm){ .config = cfg, .name = cfg->name, .ram_bytes = cfg->mem };
	if (cfg->bad) {
		vm_stop(vm, "bad configuration: %s", cfg->error);
		return -1;
	}
	if (!vendor) {
		vm_stop(vm, "no hardware virtualization (SVM with NPT or VMX with EPT)");
		return -1;
	}
	if (cfg->vcpus > 1) {
		vm_stop(vm, "vcpus=%u: only one vCPU per VM is supported so far", cfg->vcpus);
		return -1;
	}
	if (vm_memory_create(vm) || vm_load_kernel(vm, mods, &entry))
		goto fail;
	vm->devices = vdev_set_create(&devices);
	if (!vm->devices) {
		vm_stop(vm, "cannot create its devices");
		goto fail;
	}
	vm->vcpu = (struct vcpu){
		.vm = vm,
		.rip = entry.rip,
		.rflags = RFLAGS_FIXED,
		.gprs = { .rax = entry.rax, .rbx = entry.rbx },
	};
	if (vendor->vcpu_create(&vm->vcpu, &entry, tdp_mmu_root_pa(&vm->mmu))) {
		vm_stop(vm, "no memory for its vCPU");
		goto fail;
	}
	log_debug("vm %s: %llu MiB, %s kernel entered at %#llx", vm->name,
		  (unsigned long long)(vm->ram_bytes >> 20), vm_kind_name(entry.kind),
		  (unsigned long long)entry.rip);
	return 0;
fail:
	vm_destroy(vm);
	return -1;
}

void vm_run(struct vm *vm)
{
	if (!vm->stop_reason[0]) {
		log_info("vm %s: started on cpu%u", vm->name, cpu_id());
		vcpu_run(&vm->vcpu);
		vdev_set_flush(vm->devices);
	}
	if (vm->exited) {
		log_info("vm %s: exit status=%u", vm->name, vm->exit_status);
	} else {
		log_error("vm %s: stopped: %s", vm->name, vm->stop_reason);
		if (vm->vcpu.vendor)
			vcpu_dump(&vm->vcpu);
	}
	log_debug("vm %s: %llu exits, %llu faults, %llu TLB flushes", vm->name,
		  (unsigned long long)vm->vcpu.exits,
		  (unsigned long long)vm->mmu.stats.faults,
		  (unsigned long long)vm->mmu.stats.tlb_flushes);
	vm_destroy(vm);
}
