/* HLT with interrupts on, only ever with a wakeup on its way: the APIC
 * timer armed for a random count of up to 50 us first, sometimes already
 * pending when STI; HLT runs. HLT must end with that interrupt delivered,
 * the one-shot count run down to 0, and the interrupt never taken between
 * STI and HLT, which STI's shadow forbids (where the CPU under the
 * hypervisor loses the shadow at an exit, sti-shadow=0, the handler steps
 * over the HLT instead of leaving it to wait for nothing). */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/apic.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define MAX_WAIT_US	50
#define PENDING_SPIN	10000000u	/* iterations before giving up on the IRR */
#define HLT_LEN		1

/* STI; HLT; CLI as one function, so that the HLT has one address. */
void sti_hlt(void);
extern const char fuzz_hlt_insn[];
__asm__(".text\n"
	"sti_hlt:\n"
	"	sti\n"
	"fuzz_hlt_insn:\n"
	"	hlt\n"
	"	cli\n"
	"	ret\n");

static volatile uint32_t ticks, in_shadow;

/* The timer's interrupt; one that lands on the HLT came inside STI's
 * shadow, and resumes past it. */
static void timer_interrupt(struct trap_frame *frame)
{
	if (frame->eip == (uint32_t)(uintptr_t)fuzz_hlt_insn) {
		in_shadow++;
		frame->eip += HLT_LEN;
	}
	ticks++;
	apic_eoi();
}

/* The timer in one-shot mode at divide by 1, its interrupt counted. */
static void init(void)
{
	trap_set_handler(FUZZ_TIMER_VECTOR, timer_interrupt);
	apic_write(APIC_TIMER_DCR, 0xb);
	apic_write(APIC_LVT_TIMER, FUZZ_TIMER_VECTOR);
}

/* Arm the timer, maybe wait until it is pending, STI; HLT. */
static void step(void)
{
	uint32_t count = 1 + rng_below((uint32_t)apic_timer_khz() * MAX_WAIT_US / 1000 + 1);
	uint32_t before = ticks, shadow_before = in_shadow;
	bool pending = rng_one_in(4);

	apic_write(APIC_TIMER_INIT, count);
	for (uint32_t i = 0; pending && !apic_irr(FUZZ_TIMER_VECTOR) && i < PENDING_SPIN; i++)
		cpu_relax();
	sti_hlt();
	fuzz_expect(ticks != before, "hlt with the timer armed for %u ticks%s ended without its interrupt",
		    count, pending ? " (pending)" : "");
	fuzz_expect(in_shadow == shadow_before || !fuzz_cpu.sti_shadow,
		    "the timer's interrupt came between STI and HLT (armed for %u ticks%s)", count,
		    pending ? ", pending" : "");
	fuzz_expect(apic_read(APIC_TIMER_CUR) == 0, "one-shot of %u ticks: current count %u after it",
		    count, apic_read(APIC_TIMER_CUR));
}

const struct fuzz_class fuzz_hlt = { "hlt", 4, step, init };
