/* APIC virtualization, per VM (as Linux KVM's APICv inhibits): the VM uses
 * the CPU's virtual-APIC machinery exactly while no inhibit reason holds;
 * otherwise its vCPUs run on the emulated vLAPIC (hv/dev/vlapic.c), which
 * keeps its registers in the same page, so a switch loses nothing.
 *
 * Setting or clearing a reason is a request: every vCPU of the VM applies
 * the new state before its next entry (running ones are kicked). */
#pragma once

#include "lib/compiler.h"
#include "lib/spinlock.h"

struct vm;
struct vcpu;

enum apicv_inhibit {
	APICV_INHIBIT_DISABLED,		/* apicv=off on the VM's kernel line */
	APICV_INHIBIT_ABSENT,		/* the CPU (or the vendor code) lacks it */
	APICV_INHIBIT_HYPERV_AUTOEOI,	/* an unmasked AutoEOI SINT exists */
	APICV_INHIBIT_EXTINT,		/* the 8259 reaches vCPU 0 through ExtINT */
	APICV_INHIBIT_APIC_ID,		/* the guest changed an xAPIC ID */
	APICV_INHIBIT_APIC_BASE,	/* the guest moved an APIC's page */
	APICV_INHIBIT_IRQ_WINDOW,	/* an IRQ window is asked for, on hardware that
					   ignores it while active (AMD AVIC) */
	APICV_INHIBIT_NESTED,		/* a nested guest runs */
	APICV_INHIBIT_DEBUG_STEP,	/* a debugger steps a vCPU, interrupts held */
	APICV_INHIBIT_COUNT,
};

struct vm_apicv {
	struct spinlock lock;		/* orders transitions, so each is logged once */
	uint32_t inhibits;		/* atomic: bits of enum apicv_inhibit */
	uint64_t transitions;		/* atomic: active <-> inhibited, counted */
};

/* A new VM's set: `disabled` (apicv=off) and whether the vendor has it. */
void vm_apicv_init(struct vm *vm);

/* Set or clear `reason` on `vm`. When that makes the set empty or not
 * empty, the transition is counted, logged at debug level, and every vCPU
 * asked to apply it. Any CPU, any context that may take a spinlock. */
void vm_apicv_inhibit(struct vm *vm, enum apicv_inhibit reason, bool set);

/* Whether `vm` uses APIC virtualization now (its inhibit set is empty). */
bool vm_apicv_active(const struct vm *vm);

/* Before `v` enters (the VCPU_REQ_APICV request, and its first entry):
 * v->apicv_active takes its VM's state, which the vendor follows. */
void vcpu_apicv_apply(struct vcpu *v);

/* The reason's name, as the log and the monitor print it. */
const char *apicv_inhibit_name(enum apicv_inhibit reason);
