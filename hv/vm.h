/* A virtual machine: its guest RAM (host blocks behind memslots,
 * hv/vm_memory.c), the TDP MMU that maps it, its devices and its vCPUs. */
#pragma once

#include "hv/apicv.h"
#include "hv/boot_module.h"
#include "hv/hyperv.h"
#include "hv/dev/vdev.h"
#include "hv/load/guest_load.h"
#include "hv/vcpu.h"
#include "hv/vm_config.h"
#include "hv/vm_stats.h"
#include "lib/cpumask.h"
#include "lib/spinlock.h"
#include "mm/memslot.h"
#include "mm/tdp_mmu.h"

#define VM_STOP_REASON_MAX 160

struct vapic_bus;
struct vdev_set;
struct vioapic;
struct synic_vm;

/* A block of host memory from the page allocator. */
struct vm_ram_block {
	uint64_t pa;
	unsigned order;
};

struct vm {
	/* The operator (console input, the monitor) vs. the VM's build and
	 * end: nr_vcpus is published and withdrawn under it, and whoever sees
	 * it nonzero under the lock may look at the VM until unlocking. First,
	 * because it outlives the rest: vm_create() keeps it. */
	struct spinlock input_lock;
	unsigned restarts;		/* times vm_restart() rebuilt it; kept too */
	const struct vm_config *config;	/* vm_create() clears from here on */
	const struct boot_module *mods;	/* where its kernel and modules are */
	const char *name;
	uint64_t ram_bytes;
	struct guest_ram ram;		/* as the loaders see it */
	struct vm_ram_block *blocks;	/* what backs it, largest first */
	unsigned nr_blocks;
	struct guest_ram_piece *pieces;	/* its layout, one memslot each */
	unsigned nr_pieces;
	struct memslots slots;
	struct tdp_mmu mmu;
	bool slots_ready, mmu_ready;	/* what to tear down */
	struct vdev_set *devices;	/* NULL once freed (under input_lock) */
	struct vapic_bus *apic_bus;	/* the vCPUs' local APICs */
	struct vioapic *ioapic;
	unsigned nr_vcpus;		/* 0 when the VM could not be built */
	struct vcpu *vcpus;
	unsigned vcpus_live;		/* atomic: vCPUs not yet gone */
	struct cpumask in_guest;	/* CPUs running one of its vCPUs now */
	struct vm_stats stats;
	bool ending;			/* atomic: someone ended it; the first wins */
	struct vcpu *ender;		/* that someone (NULL: vm_create) */
	uint64_t created_tsc;		/* when vm_create() built it */
	bool paused;			/* atomic: the operator paused it */
	bool killed;			/* the operator ended it (vm_kill()) */
	bool restart_after_kill;	/* ... to build it anew */
	bool exited;			/* the guest ended itself, as exit_how says */
	enum vdev_end exit_how;
	uint32_t exit_status;
	char stop_reason[VM_STOP_REASON_MAX];	/* why the hypervisor stopped it */
	struct vm_debug debug;		/* a debugger's hold (hv/vcpu_debug.h) */
	struct vm_apicv apicv;		/* APIC virtualization's inhibits (hv/apicv.h) */
	struct hyperv_vm hyperv;	/* the Hyper-V partition MSRs (hv/hyperv.h) */
	struct synic_vm *synic;		/* the SynICs' shared part (hv/synic.h); NULL: hyperv=off */
};

/* Build `vm` from its configuration: allocate and map its RAM, load its
 * kernel from the boot modules `mods`, create its devices and vCPUs.
 * Returns 0, or -1 with the reason in vm->stop_reason (nothing left
 * allocated, vm->nr_vcpus 0). */
int vm_create(struct vm *vm, const struct vm_config *cfg, const struct boot_module *mods);

/* Where the bytes a VM sends on its COM1 go (the console multiplexer
 * sets it before any VM runs); called under the VM's device lock. */
extern void (*vm_console_output)(struct vm *vm, const uint8_t *bytes, unsigned n);

/* Give the VM's COM1 bytes the operator typed. Returns how many it took
 * (its FIFO may be full, or a restart is under way: the caller keeps the
 * rest), or -1 once the VM has ended for good. Call from any CPU, outside
 * the VM's device accesses. */
int vm_console_input(struct vm *vm, const uint8_t *bytes, unsigned len);

/* The operator (or a debugger) pauses `vm`: each vCPU stops at its next
 * exit, keeping a snapshot of its registers, until vm_resume(); one that
 * runs in a VM paused already (a debugger's step) stops too. True if the
 * VM runs and was not paused. */
bool vm_pause(struct vm *vm);

/* Before `vm` is scheduled: make it start paused, each vCPU stopping
 * before its first entry (sched_start wakes those that wait for a
 * start-up IPI so that they can). */
void vm_hold(struct vm *vm);

/* Whether every vCPU of a paused `vm` has stopped (or the VM is gone). */
bool vm_pause_done(struct vm *vm);

/* Let a paused `vm` run again; false unless it was paused. */
bool vm_resume(struct vm *vm);

/* The operator ends `vm` (and with `restart` builds it anew from its
 * configuration once its vCPUs are gone). False unless it runs and is
 * not ending already. */
bool vm_kill(struct vm *vm, bool restart);

/* Report a VM vm_create() refused ("vm NAME: stopped: ..."). */
void vm_report_unbuilt(struct vm *vm);

/* Stop the VM for the reason `fmt` says, because of vCPU `by` (NULL while
 * it is being built), unless it is ending already: the first reason is
 * the one reported. Returns whether this call ended it (vm->ender is `by`). */
bool vm_stop(struct vm *vm, struct vcpu *by, const char *fmt, ...) __printf(3, 4);

/* The guest (vCPU `by`) asked to end its machine `how`, with `status`; as
 * vm_stop() otherwise. */
bool vm_exit(struct vm *vm, struct vcpu *by, enum vdev_end how, uint32_t status);

/* On vCPU `v`, the vm->ender, on its CPU: report how the VM ended (with
 * v's registers for a stop) and ask every vCPU to stop. */
void vm_end(struct vm *vm, struct vcpu *v);

/* One vCPU of `vm` is gone; returns true for the last one, after freeing
 * everything vm_create() allocated. */
bool vm_vcpu_gone(struct vm *vm);

/* After the last vCPU of `vm` is gone: a VM that reset itself and has
 * on_reboot=restart, or exited or powered off and has on_exit=restart, is
 * built anew from its configuration and vm->restarts counts it. Returns
 * whether it was (its vCPUs then wait to be placed); a build that fails is
 * reported as at boot. */
bool vm_restart(struct vm *vm);

/* Make the vCPUs of `vm` in the bitmap `vcpus` (bit i: vCPU i; NULL: all)
 * drop their cached guest translations before their next entry, kicking
 * the CPUs that run one of them in the guest now; counted in vm->stats
 * (a request, and each kick). Any CPU. */
void vm_flush_guest_tlbs(struct vm *vm, const uint64_t *vcpus);

/* Free `v`'s own parts (its control block, its owned state) on its CPU
 * and mark it dead; sched_vcpu_exit() follows. */
void vcpu_teardown(struct vcpu *v);
