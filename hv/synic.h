/* The Hyper-V synthetic interrupt controller (TLFS "Synthetic Interrupt
 * Controller"): per vCPU its MSRs, the message page (SIM, one 256-byte
 * HV_MESSAGE slot per SINT), the event-flags page (SIEF), sixteen SINTs
 * that raise vectors in the vCPU's local APIC (AutoEOI ones need no EOI),
 * and four synthetic timers counting in reference time. Only with
 * hyperv=on; every MSR raises #GP otherwise. */
#pragma once

#include "lib/compiler.h"

struct vm;
struct vcpu;

#define SYNIC_MSR_FIRST		0x40000080
#define SYNIC_MSR_LAST		0x400000bf
#define SYNIC_SINT_COUNT	16

/* The VM's part, when it has hyperv=on (before its vCPUs); and freeing
 * it with every vCPU's SynIC once no vCPU runs. 0, or -1 out of memory. */
int synic_vm_create(struct vm *vm);
void synic_vm_free(struct vm *vm);

/* Give `v` its SynIC in the reset state when its VM has one. 0, or -1
 * when out of memory. */
int synic_vcpu_create(struct vcpu *v);

/* v ends: stop its timers for good (waiting for a callback running on
 * another CPU), before its local APIC goes. Safe when it has none. */
void synic_vcpu_stop(struct vcpu *v);

/* RDMSR / WRMSR of a SynIC or stimer MSR by `v` on its own CPU: false for
 * #GP (hyperv off, a reserved bit, a read of EOM, a bad page). */
bool synic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
bool synic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);

/* Whether `vector`, taken by `v` now, belongs to one of its SINTs that is
 * unmasked with AutoEOI set (the CPU then sets no ISR bit). */
bool synic_auto_eoi(struct vcpu *v, uint8_t vector);

/* Raise SINT `sint` of the vCPU with VP index `vp` (QEMU's SINT route):
 * its vector goes to that vCPU's local APIC. 0, or -1 when the vCPU has no
 * enabled SynIC or the SINT is masked. Any CPU. */
int synic_signal_sint(struct vm *vm, unsigned vp, unsigned sint);

