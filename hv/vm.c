/* VM lifecycle: build from a configuration, end, report, tear down. A VM
 * runs as its vCPUs on their CPUs (hv/sched.c); whoever ends it first
 * reports it, each vCPU tears itself down on its own CPU, and the last
 * one frees the rest. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/rtc.h"
#include "drivers/tsc.h"
#include "hv/dev/vdev.h"
#include "hv/dev/vioapic.h"
#include "hv/dev/vlapic.h"
#include "hv/load/guest_load.h"
#include "hv/msr.h"
#include "hv/sched.h"
#include "hv/synic.h"
#include "hv/vcpu_irq.h"
#include "hv/vcpu_run.h"
#include "hv/vcpu_switch.h"
#include "hv/vendor.h"
#include "hv/vm.h"
#include "hv/vm_memory.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "x86/regs.h"

static_assert(VM_VCPUS_MAX <= GUEST_ACPI_VCPUS_MAX, "every vCPU has a MADT entry");

/* Claim the VM's end for vCPU `by`; true for the first caller only. */
static bool vm_claim_end(struct vm *vm, struct vcpu *by)
{
	if (__atomic_exchange_n(&vm->ending, true, __ATOMIC_ACQ_REL))
		return false;
	vm->ender = by;
	return true;
}

bool vm_stop(struct vm *vm, struct vcpu *by, const char *fmt, ...)
{
	va_list ap;

	if (!vm_claim_end(vm, by))
		return false;
	va_start(ap, fmt);
	vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	return true;
}

bool vm_exit(struct vm *vm, struct vcpu *by, enum vdev_end how, uint32_t status)
{
	if (!vm_claim_end(vm, by))
		return false;
	vm->exited = true;
	vm->exit_how = how;
	vm->exit_status = status;
	return true;
}

void vm_end(struct vm *vm, struct vcpu *v)
{
	if (vm->exited) {
		switch (vm->exit_how) {
		case VDEV_END_EXIT:
			log_info("vm %s: exit status=%u", vm->name, vm->exit_status);
			break;
		case VDEV_END_POWEROFF:
			log_info("vm %s: power off, exit status=0", vm->name);
			break;
		case VDEV_END_RESET:
			log_info("vm %s: reboot", vm->name);
			break;
		}
	} else {
		log_hold();
		log_error("vm %s: stopped: %s", vm->name, vm->stop_reason);
		if (vm->nr_vcpus > 1)
			log_error("  on vcpu%u", v->id);
		vcpu_dump(v);
		log_release();
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_request(&vm->vcpus[i], VCPU_REQ_STOP);
}

void (*vm_console_output)(struct vm *vm, const uint8_t *bytes, unsigned n);

/* The VM ended in a way its configuration restarts (vm_restart()). One
 * the hypervisor stopped (a triple fault, ...) stays stopped: its fault
 * would most likely come again. */
static bool vm_will_restart(const struct vm *vm)
{
	if (vm->killed)
		return vm->restart_after_kill;
	if (!vm->exited)
		return false;
	switch (vm->exit_how) {
	case VDEV_END_RESET:
		return vm->config->restart_on_reboot;
	case VDEV_END_EXIT:
	case VDEV_END_POWEROFF:
		return vm->config->restart_on_exit;
	}
	return false;
}

int vm_console_input(struct vm *vm, const uint8_t *bytes, unsigned len)
{
	bool ending;
	int taken;

	spin_lock(&vm->input_lock);
	ending = __atomic_load_n(&vm->ending, __ATOMIC_ACQUIRE);
	if (vm->devices && !ending)
		taken = (int)vdev_uart_receive(vm->devices, bytes, len);
	else
		taken = !ending || vm_will_restart(vm) ? 0 : -1;	/* 0: input waits */
	spin_unlock(&vm->input_lock);
	return taken;
}

void vm_report_unbuilt(struct vm *vm)
{
	log_error("vm %s: stopped: %s", vm->name, vm->stop_reason);
}

/* Guest console lines go to the hypervisor's log, already prefixed. */
static void vm_console_line(void *ctx, const char *line)
{
	log_guest_line(line);
}

static void vm_console_bytes(void *ctx, const uint8_t *bytes, unsigned n)
{
	if (vm_console_output)
		vm_console_output(ctx, bytes, n);
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

	if (cfg->has_initrd) {
		const struct boot_module *rd = &boot_mods[cfg->initrd.index];

		kernel.initrd = (const void *)(uintptr_t)rd->start;
		kernel.initrd_size = rd->end - rd->start;
	}

	for (size_t i = 0; i < cfg->module_count; i++) {
		const struct boot_module *m = &boot_mods[cfg->modules[i].index];

		mods[i] = (struct guest_module){ (const void *)(uintptr_t)m->start,
						 m->end - m->start, cfg->modules[i].string };
	}
	return guest_load(&vm->ram, &kernel, entry, vm->stop_reason, sizeof(vm->stop_reason));
}

/* Free the parts of `v` that vm_create() made. */
static void vcpu_free(struct vcpu *v)
{
	if (v->vendor)
		vendor->vcpu_destroy(v);
	synic_vcpu_stop(v);	/* its timers raise vectors in the APIC freed next */
	vcpu_irq_free(v);
	vcpu_owned_free(v);
}

/* Free what every vCPU shares: devices, memory, the vCPU array. */
static void vm_free(struct vm *vm)
{
	struct vdev_set *devices;

	spin_lock(&vm->input_lock);	/* the operator looks at it no more */
	devices = vm->devices;
	vm->devices = NULL;
	vm->nr_vcpus = 0;
	spin_unlock(&vm->input_lock);
	vdev_set_destroy(devices);
	vioapic_destroy(vm->ioapic);
	vm->ioapic = NULL;
	synic_vm_free(vm);
	vapic_bus_destroy(vm->apic_bus);
	vm->apic_bus = NULL;
	vm_memory_destroy(vm);
	free(vm->vcpus);
	vm->vcpus = NULL;
}

/* Make vCPU `id` of `vm`: the boot vCPU in the state `entry` describes,
 * the others waiting for a start-up IPI, as on a PC. */
static int vcpu_create(struct vm *vm, unsigned id, const struct guest_entry *entry,
		       int64_t tsc_offset)
{
	struct vcpu *v = &vm->vcpus[id];

	*v = (struct vcpu){
		.vm = vm,
		.id = id,
		.rip = entry->rip,
		.rflags = RFLAGS_FIXED,
		.tsc_offset = tsc_offset,
		.gprs = { .rax = entry->rax, .rbx = entry->rbx, .rsi = entry->rsi },
		.state = id ? VCPU_HALTED : VCPU_RUNNABLE,
		.wait_sipi = id != 0,
		.requests = VCPU_REQ_APICV,	/* its first entry takes the VM's state */
	};
	if (vcpu_owned_init(v) || vcpu_irq_init(v, vm->apic_bus) || synic_vcpu_create(v))
		return -1;
	msr_vcpu_init(v);
	/* A PC's firmware leaves the boot CPU's APIC in virtual-wire mode, so
	 * an OS that keeps to the 8259 gets its interrupts through LINT0;
	 * test kernels see the APIC as after reset. */
	if (entry->kind == VM_KIND_LINUX && id == 0)
		vlapic_virtual_wire(v->lapic);
	return vendor->vcpu_create(v, entry, tdp_mmu_root_pa(&vm->mmu));
}

/* The cpus= list names CPUs that are online. */
static bool vm_cpus_valid(struct vm *vm)
{
	const struct vm_config *cfg = vm->config;

	for (unsigned i = 0; i < cfg->nr_cpus; i++) {
		if (cfg->cpus[i] >= cpu_count()) {
			vm_stop(vm, NULL, "bad configuration: cpus= names cpu%u, which is not online (%u online)",
				cfg->cpus[i], cpu_count());
			return false;
		}
	}
	return true;
}

/* The PIC's INT line goes to the boot vCPU. */
static void vm_pic_intr(void *ctx)
{
	struct vm *vm = ctx;

	vcpu_request(&vm->vcpus[0], VCPU_REQ_EVENT);
}

/* QEMU's hyperv-testdev signals a SINT route. */
static int vm_hyperv_sint(void *ctx, unsigned vp_index, unsigned sint)
{
	return synic_signal_sint(ctx, vp_index, sint);
}

/* The interrupt controllers and the port devices, wired as on a PC. */
static int vm_platform_create(struct vm *vm)
{
	const struct vm_config *cfg = vm->config;
	struct vdev_config devices = {
		.vm_name = cfg->name,
		.ram_bytes = cfg->mem,
		.vcpus = cfg->vcpus,
		.console = vm_console_line,
		.console_bytes = vm_console_bytes,
		.console_ctx = vm,
		.pic_intr = vm_pic_intr,
		.irq_ctx = vm,
		.hyperv_sint = cfg->hyperv ? vm_hyperv_sint : NULL,
		.wallclock = rtc_now(),
		.tsc_start = tsc_now(),
	};

	vm->apic_bus = vapic_bus_create(cfg->vcpus);
	vm->ioapic = vm->apic_bus ? vioapic_create(vm->apic_bus) : NULL;
	devices.ioapic = vm->ioapic;
	vm->devices = vm->ioapic ? vdev_set_create(&devices) : NULL;
	return vm->devices ? 0 : -1;
}

/* What vm_create() keeps: the fields before config (input_lock, restarts). */
#define VM_KEPT_BYTES offsetof(struct vm, config)
static_assert(offsetof(struct vm, input_lock) == 0 && offsetof(struct vm, restarts) < VM_KEPT_BYTES,
	      "vm_create() clears only what follows input_lock and restarts");

int vm_create(struct vm *vm, const struct vm_config *cfg, const struct boot_module *mods)
{
	struct guest_entry entry;
	unsigned made = 0;
	int64_t tsc_offset;	/* the VM's TSC counts from 0 at its creation */
	uint64_t pages_free = pmm_free_bytes(), heap_used = heap_used_bytes();

	spin_lock(&vm->input_lock);	/* console input may look at a restarting VM */
	memset((char *)vm + VM_KEPT_BYTES, 0, sizeof(*vm) - VM_KEPT_BYTES);
	vm->config = cfg;
	vm->mods = mods;
	vm->name = cfg->name;
	vm->ram_bytes = cfg->mem;
	spin_unlock(&vm->input_lock);
	if (cfg->bad) {
		vm_stop(vm, NULL, "bad configuration: %s", cfg->error);
		return -1;
	}
	if (!vendor) {
		vm_stop(vm, NULL, "no hardware virtualization (SVM with NPT or VMX with EPT)");
		return -1;
	}
	vm_apicv_init(vm);
	if (!vm_cpus_valid(vm) || vm_memory_create(vm) || vm_load_kernel(vm, mods, &entry))
		goto fail;
	if (guest_acpi_build(&vm->ram, cfg->vcpus)) {
		vm_stop(vm, NULL, "no memory for its ACPI tables");
		goto fail;
	}
	vm->vcpus = calloc(cfg->vcpus, sizeof(*vm->vcpus));
	if (vm_platform_create(vm) || !vm->vcpus || synic_vm_create(vm)) {
		vm_stop(vm, NULL, "no memory for its devices");
		goto fail;
	}
	tsc_offset = -(int64_t)tsc_now();
	for (; made < cfg->vcpus; made++) {
		if (vcpu_create(vm, made, &entry, tsc_offset)) {
			vm_stop(vm, NULL, "no memory for vCPU %u", made);
			made++;
			goto fail;
		}
	}
	vm->created_tsc = tsc_now();
	vm->vcpus_live = cfg->vcpus;
	spin_lock(&vm->input_lock);	/* the operator may look at it now */
	vm->nr_vcpus = cfg->vcpus;
	spin_unlock(&vm->input_lock);
	log_debug("vm %s: %llu MiB, %u vCPUs, %s kernel entered at %#llx; hypervisor memory: "
		  "%llu KiB of heap, %llu KiB of pages besides guest RAM", vm->name,
		  (unsigned long long)(vm->ram_bytes >> 20), vm->nr_vcpus,
		  vm_kind_name(entry.kind), (unsigned long long)entry.rip,
		  (unsigned long long)((heap_used_bytes() - heap_used) >> 10),
		  (unsigned long long)((pages_free - pmm_free_bytes() - vm->ram_bytes) >> 10));
	return 0;
fail:
	for (unsigned i = 0; i < made; i++)
		vcpu_free(&vm->vcpus[i]);
	vm_free(vm);
	return -1;
}

void vcpu_teardown(struct vcpu *v)
{
	vcpu_free(v);
	__atomic_store_n(&v->state, VCPU_DEAD, __ATOMIC_SEQ_CST);
}

bool vm_restart(struct vm *vm)
{
	bool built;

	if (!vm_will_restart(vm))
		return false;
	log_info("vm %s: restarting", vm->name);
	built = vm_create(vm, vm->config, vm->mods) == 0;
	spin_lock(&vm->input_lock);	/* the operator sees the build through */
	vm->restarts++;
	spin_unlock(&vm->input_lock);
	if (!built) {
		vm_report_unbuilt(vm);
		return false;
	}
	/* The same VM each time: a leak shows as these figures drifting. */
	log_debug("vm %s: restart %u: host free %llu KiB, heap %llu bytes", vm->name, vm->restarts,
		  (unsigned long long)(pmm_free_bytes() >> 10),
		  (unsigned long long)heap_used_bytes());
	return true;
}

bool vm_vcpu_gone(struct vm *vm)
{
	if (__atomic_sub_fetch(&vm->vcpus_live, 1, __ATOMIC_ACQ_REL))
		return false;
	vdev_set_flush(vm->devices);
	vm_stats_log(vm);
	vm_free(vm);
	return true;
}
