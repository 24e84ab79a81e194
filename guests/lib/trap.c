/* The guest's IDT and the C side of interrupt and exception handling. */
#include "guests/lib/trap.h"
#include "guests/lib/report.h"
#include "guests/lib/x86.h"

#define NR_VECTORS	256
#define SEL_CODE32	0x08	/* start.S */
#define GATE_INTR32	0x8e	/* present, DPL 0, 32-bit interrupt gate */

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type;
	uint16_t offset_hi;
} __packed;
static_assert(sizeof(struct idt_gate) == 8, "32-bit IDT gate layout");

/* Entry stubs, one per vector, TRAP_STUB_SIZE bytes apart (trap.S). */
#define TRAP_STUB_SIZE	16
extern const char trap_stubs[];

static struct idt_gate idt[NR_VECTORS];
static trap_handler_fn handlers[NR_VECTORS];
struct trap_info trap_last;

void trap_load(void)
{
	struct table_reg idtr = { sizeof(idt) - 1, (unsigned long)idt };

	lidt(&idtr);
}

void trap_init(void)
{
	for (unsigned v = 0; v < NR_VECTORS; v++) {
		uint32_t stub = (uint32_t)(uintptr_t)trap_stubs + v * TRAP_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_lo = (uint16_t)stub,
			.selector = SEL_CODE32,
			.type = GATE_INTR32,
			.offset_hi = (uint16_t)(stub >> 16),
		};
	}
	trap_load();
}

void trap_set_handler(uint8_t vector, trap_handler_fn fn)
{
	handlers[vector] = fn;
}

void trap_dispatch(struct trap_frame *frame)
{
	if (handlers[frame->vector]) {
		handlers[frame->vector](frame);
		return;
	}
	if (!trap_run_esp) {
		fail("unexpected exception %u, error 0x%x, at eip 0x%x, cr2 0x%lx",
		     frame->vector, frame->error_code, frame->eip, read_cr2());
		report_exit();
	}
	trap_last = (struct trap_info){
		.vector = frame->vector,
		.error_code = frame->error_code,
		.eip = frame->eip,
		.cr2 = (uint32_t)read_cr2(),
	};
	trap_resume((int)frame->vector);
}
