/* Emulated memory-mapped devices: the local APIC page of each vCPU (and,
 * later, the IOAPIC and others), reached through TDP faults on addresses
 * no memslot backs. */
#pragma once

#include "hv/vcpu.h"

/* Whether a device answers at guest-physical `gpa` for `v`. */
bool mmio_claimed(struct vcpu *v, uint64_t gpa);

/* Emulate the instruction at v's RIP, which accessed device memory at
 * `gpa` (a write if `write`): fetch, decode, access the device, update the
 * registers and step over it, or inject the fault the CPU would raise.
 * Returns false when the VM had to be stopped (vm_stop() says why). */
bool mmio_emulate(struct vcpu *v, uint64_t gpa, bool write);
