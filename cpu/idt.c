/* The shared IDT and the table of registered handlers. Every gate is an
 * interrupt gate (IF cleared on entry) into the stub for its vector; the
 * stubs never change, only the handler table does. */
#include <errno.h>

#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "lib/log.h"

#define GATE_INTERRUPT_DPL0 0x8e	/* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;		/* bits 0..2: IST slot, 0 = stay on the current stack */
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

extern const char isr_stubs[];	/* cpu/isr.S: IDT_VECTORS stubs of ISR_STUB_SIZE bytes */

static struct idt_gate idt[IDT_VECTORS] __aligned(16);
static bool idt_built;
static trap_handler_fn handlers[IDT_VECTORS];

/* The IST slot a vector runs on: the ones that may strike when the
 * current stack cannot be trusted get a stack of their own. */
static unsigned vector_ist(unsigned vector)
{
	switch (vector) {
	case VECTOR_NMI:
		return IST_NMI;
	case VECTOR_DOUBLE_FAULT:
		return IST_DOUBLE_FAULT;
	case VECTOR_MACHINE_CHECK:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t stub = (uintptr_t)isr_stubs + v * ISR_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = stub & 0xffff,
			.selector = GDT_CODE64,
			.ist = vector_ist(v),
			.type_attr = GATE_INTERRUPT_DPL0,
			.offset_mid = (stub >> 16) & 0xffff,
			.offset_high = stub >> 32,
		};
	}
	idt_built = true;
}

void idt_load(void)
{
	struct descriptor_table_register idtr = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};

	if (!idt_built)
		panic("idt_load: idt_init() has not run");
	__asm__ volatile("lidt %0" :: "m"(idtr) : "memory");
}

int idt_set_handler(unsigned vector, trap_handler_fn handler)
{
	trap_handler_fn none = NULL;

	if (vector >= IDT_VECTORS || !handler)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&handlers[vector], &none, handler, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EBUSY;
	return 0;
}

trap_handler_fn idt_handler(unsigned vector)
{
	return __atomic_load_n(&handlers[vector], __ATOMIC_ACQUIRE);
}
