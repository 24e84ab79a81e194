/* MOV to CR0 and CR4 as the architecture defines them, for the exits
 * that bring one to the hypervisor: which CR4 bits the guest's CPUID lets
 * it set, the #GP conditions, and what a change must flush. */
#pragma once

#include "lib/compiler.h"
#include "x86/insn.h"
#include "x86/regs.h"

struct vcpu;
struct vm_exit;

/* MOV to CR0 / CR4 flushes the TLB when one of these changes (SDM vol. 3
 * "Invalidation of TLBs and Paging-Structure Caches"). */
#define CR0_FLUSH_BITS	(CR0_PG | CR0_WP)
#define CR4_FLUSH_BITS	(CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | \
			 CR4_PKE | CR4_LA57)

/* The CR4 bits CPUID leaves 1, 7.0 and 7.1 offer (hv/cr_rules.c): each bit
 * whose feature flag is set, and PCE. */
uint64_t cr4_bits_offered(struct cpuid_regs l1, struct cpuid_regs l7, struct cpuid_regs l71);

/* Those of the guest's CPUID view (hv/cpuid.c); writing a bit outside is #GP. */
uint64_t cr4_guest_bits(void);

/* Whether MOV to CR0 of `value` is allowed with CR0 `old`, CR4 `cr4` and
 * EFER `efer` as the guest has them, `code64` when it runs 64-bit code;
 * false: #GP. */
bool cr0_write_allowed(uint64_t old, uint64_t cr4, uint64_t efer, bool code64, uint64_t value);

/* Whether MOV to CR4 of `value` is allowed with the bits `offered`, CR0
 * `cr0`, CR3 `cr3`, CR4 `old` and EFER `efer` as the guest has them;
 * false: #GP. */
bool cr4_write_allowed(uint64_t offered, uint64_t cr0, uint64_t cr3, uint64_t old, uint64_t efer,
		       uint64_t value);

/* Emulate the guest's write of `value` to CR0 (MOV to CR0, or what an
 * LMSW leaves in it): checked, loaded through the vendor (which switches
 * IA-32e mode as a paging change with EFER.LME does), the guest's TLB
 * flushed where the change requires it. False (nothing changed) for #GP. */
bool vcpu_cr0_write(struct vcpu *v, uint64_t value);

/* Emulate the guest's MOV of `value` to CR4: checked, loaded through the
 * vendor, and the guest's TLB flushed where the change requires it.
 * False (nothing changed) when the CPU would raise #GP instead. */
bool vcpu_cr4_write(struct vcpu *v, uint64_t value);

/* Handle an EXIT_CR_ACCESS exit (hv/cr_exit.c): MOV to/from CR8, MOV to
 * CR0 or CR4, LMSW, decoded from the guest's code where the vendor did
 * not; false when the VM must stop. */
bool cr_exit_handle(struct vcpu *v, const struct vm_exit *e);
