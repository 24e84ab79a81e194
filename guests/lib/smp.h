/*
 * Multiprocessor guests: start the VM's application processors with the
 * SDM's INIT, SIPI, SIPI sequence, each on its own stack with the guest's
 * GDT and IDT and its local APIC enabled, running a function of ours.
 */
#pragma once

#include "lib/compiler.h"

#define SMP_MAX_CPUS	64
#define SMP_TRAMPOLINE	0x8000u	/* the start-up IPI's page */

/* What smp_start() runs on each AP, with its APIC ID. */
typedef void (*smp_ap_fn)(unsigned apic_id);

/* Start the APs with APIC IDs 1 .. n-1, each running fn (with interrupts
 * off; it must not return); returns how many reported within a second. */
unsigned smp_start(unsigned n, smp_ap_fn fn);

/* Atomic helpers the SMP guests share. */
static inline unsigned atomic_add(volatile unsigned *p, unsigned v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static inline unsigned atomic_inc(volatile unsigned *p)
{
	return atomic_add(p, 1);
}

/* 64-bit add with LOCK CMPXCHG8B: there is no libgcc for 8-byte atomics. */
static inline void atomic_add64(volatile uint64_t *p, uint64_t v)
{
	uint64_t old = *p, new;
	bool done;

	do {
		new = old + v;
		__asm__ volatile("lock cmpxchg8b %1\n\tsete %0"
				 : "=q"(done), "+m"(*p), "+A"(old)
				 : "b"((uint32_t)new), "c"((uint32_t)(new >> 32)) : "memory");
	} while (!done);
}
