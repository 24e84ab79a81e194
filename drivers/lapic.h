/* The local APIC of the running CPU: x2APIC (MSR interface) when the CPU
 * has it, else xAPIC (MMIO at the base IA32_APIC_BASE names, identity
 * mapped and uncached by the hypervisor's page tables). The boot CPU picks
 * the mode in its lapic_init(); every other CPU follows it. */
#pragma once

#include "lib/compiler.h"

/* Vector the APIC raises for a spurious interrupt (it needs no EOI). */
#define LAPIC_SPURIOUS_VECTOR 0xff

/* Lowest vector a fixed IPI may carry (0..15 are illegal for the APIC). */
#define LAPIC_MIN_VECTOR 0x10

/* Enable this CPU's APIC in the chosen mode, software-enable it (spurious
 * vector LAPIC_SPURIOUS_VECTOR), accept every priority (TPR 0) and mask the
 * legacy 8259's ExtINT input. Call on each CPU, the boot CPU first; panics
 * if the xAPIC registers lie outside the uncached 4th GiB. */
void lapic_init(void);

/* Whether the APICs run in x2APIC mode (valid after the boot CPU's lapic_init). */
bool lapic_x2apic_mode(void);

/* The highest APIC ID an IPI can name in the current mode (the next value
 * up is the broadcast address). */
uint32_t lapic_max_apic_id(void);

/* This CPU's APIC ID (32 bits in x2APIC mode, 8 in xAPIC mode). */
uint32_t lapic_id(void);

/* Signal the end of the interrupt being serviced. */
void lapic_eoi(void);

/* The senders below wait (in xAPIC mode) until the APIC accepts the IPI,
 * at most 10 ms. The xAPIC ICR is written in two halves, so an interrupt
 * handler must not send while the code it interrupted may be sending. */

/* Send INIT to `apic_id` (the target resets and waits for a SIPI). Returns
 * false if the ID is out of range or the APIC did not accept the IPI in time. */
bool lapic_send_init(uint32_t apic_id);

/* Send a start-up IPI: the target starts in real mode at vector_page << 12.
 * Returns false if the ID is out of range or the IPI was not accepted in time. */
bool lapic_send_sipi(uint32_t apic_id, uint8_t vector_page);

/* Send a fixed interrupt `vector` (>= LAPIC_MIN_VECTOR) to `apic_id`.
 * Returns false for a bad vector or ID, or if the IPI was not accepted in time. */
bool lapic_send_ipi(uint32_t apic_id, uint8_t vector);

/* The timer: one interrupt at a TSC deadline, in TSC-deadline mode where
 * the CPU has it, else one-shot mode (its rate measured against the TSC
 * on the boot CPU). */

/* Route this CPU's timer to `vector`; call on each CPU after lapic_init(),
 * the boot CPU first, once tsc_calibrate() has run. */
void lapic_timer_init(uint8_t vector);

/* Raise the timer's vector once the TSC reaches `tsc_deadline` (at once if
 * it has); 0 disarms. Replaces any earlier deadline. */
void lapic_timer_set(uint64_t tsc_deadline);
