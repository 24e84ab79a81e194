/* A virtual machine: its guest RAM (one contiguous host block behind one
 * memslot), the TDP MMU that maps it, its devices and its vCPU. */
#pragma once

#include "hv/boot_module.h"
#include "hv/vcpu.h"
#include "hv/vm_config.h"
#include "mm/memslot.h"
#include "mm/tdp_mmu.h"

#define VM_STOP_REASON_MAX 160

struct vdev_set;

struct vm {
	const struct vm_config *config;
	const char *name;
	void *ram;
	uint64_t ram_bytes;
	struct memslots slots;
	struct tdp_mmu mmu;
	bool slots_ready, mmu_ready;	/* what to tear down */
	struct vdev_set *devices;
	struct vcpu vcpu;		/* one vCPU per VM for now */
	bool exited;			/* the guest ended itself (isa-debug-exit) */
	uint32_t exit_status;
	char stop_reason[VM_STOP_REASON_MAX];	/* why the hypervisor stopped it */
};

/* Build `vm` from its configuration: allocate and map its RAM, load its
 * kernel from the boot modules `mods`, create its devices and vCPU.
 * Returns 0, or -1 with the reason in vm->stop_reason (nothing left allocated). */
int vm_create(struct vm *vm, const struct vm_config *cfg, const struct boot_module *mods);

/* Run the VM on this CPU until it ends, then report how it ended and free
 * everything vm_create() allocated. */
void vm_run(struct vm *vm);

/* Stop the VM: record `fmt` as the reason the console will show. */
void vm_stop(struct vm *vm, const char *fmt, ...) __printf(2, 3);
