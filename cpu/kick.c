/* Kicks (cpu/kick.h). */
#include "cpu/idt.h"
#include "cpu/kick.h"
#include "cpu/percpu.h"
#include "drivers/lapic.h"
#include "lib/log.h"

static void kick_interrupt(struct trap_frame *tf)
{
	lapic_eoi();
}

void kick_init(void)
{
	if (idt_set_handler(KICK_VECTOR, kick_interrupt))
		panic("kick: vector %#x is taken", KICK_VECTOR);
}

void cpu_kick(unsigned cpu)
{
	if (cpu != cpu_id())
		lapic_send_ipi(percpu_blocks[cpu]->apic_id, KICK_VECTOR);
}
