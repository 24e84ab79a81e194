/*
 * A 64-bit guest for the GDB stub's tests (the gdb64 system cases), built
 * with symbols: gdb breaks in leaf() and backtraces through middle(),
 * steps step_block instruction by instruction (a CPUID the hypervisor
 * emulates, a PUSHF that must not see the stepper's TF) while the local
 * APIC timer interrupts every millisecond (tick=US on its command line), puts a hardware breakpoint on
 * code the guest copies into place each round (an int3 there would be
 * overwritten), and watches `watched`. The guest keeps a breakpoint of its
 * own in DR0/DR7 throughout; every report=N rounds (16384) it prints what it reads of them
 * and how often that breakpoint fired, which a debugger holding the debug
 * registers must not change. It never ends by itself.
 */
#include "guests/lib/cmdline.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/serial.h"
#include "guests/lib/string.h"
#include "guests/lib/x86.h"
#include "lib/multiboot1.h"

#define APIC_BASE	0xfee00000ul
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_LVT_TIMER	0x320
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_DCR	0x3e0
#define APIC_ENABLE	0x100
#define TIMER_PERIODIC	(1u << 17)
#define VEC_TIMER	0x40
#define HV_FREQ_LEAF	0x40000010	/* EBX: the APIC timer's kHz */
#define SEL_CODE64	0x08		/* entry.S */
#define GATE_INTR64	0x8e
/* The guest's own breakpoint: writes of 4 bytes at `guard`, slot 0. */
#define OWN_DR7		(0x1ul | 1ul << 16 | 3ul << 18 | 1ul << 10)

const char guest_name[] = "gdb64";

struct gate64 {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, zero;
} __packed;

static struct gate64 idt[256] __aligned(16);
volatile unsigned long ticks, rounds, watched, own_db_hits, result;
volatile uint32_t guard, step_tf;
uint8_t copied_code[16] __aligned(16);

void debug_stub(void), timer_stub(void), on_debug(void), on_timer(void);
void step_block(void), copy_template(void), copy_template_end(void);
unsigned leaf(unsigned x), middle(unsigned x);
void bump_watched(void);
void gdb64_main(const struct mb1_info *info);

/* A run of instructions for `stepi`, each at an address the listing gives. */
__asm__(".globl step_block\n"
	"step_block:\n"
	"	pushq %rbx\n"
	"	xorl %eax, %eax\n"
	"	cpuid\n"
	"	incq %rax\n"
	"	pushfq\n"
	"	popq %rcx\n"
	"	andl $0x100, %ecx\n"		/* TF as PUSHF saw it */
	"	movl %ecx, step_tf(%rip)\n"
	"	nop\n"
	"	popq %rbx\n"
	"	ret\n"
	".globl copy_template, copy_template_end\n"
	"copy_template:\n"
	"	movl $42, %eax\n"
	"	ret\n"
	"copy_template_end:\n");

static void apic_write(unsigned reg, uint32_t value)
{
	*(volatile uint32_t *)(APIC_BASE + reg) = value;
}

void on_timer(void)
{
	ticks++;
	apic_write(APIC_EOI, 0);
}

void on_debug(void)
{
	own_db_hits++;
	write_dr6(DR6_RESET);
}

__attribute__((noinline)) unsigned leaf(unsigned x)
{
	return x * 3 + 1;
}

__attribute__((noinline)) unsigned middle(unsigned x)
{
	return leaf(x) + leaf(x + 1);
}

__attribute__((noinline)) void bump_watched(void)
{
	watched++;
}

static void set_gate(unsigned vector, void (*stub)(void))
{
	uint64_t a = (uint64_t)stub;

	idt[vector] = (struct gate64){ .offset_lo = (uint16_t)a, .selector = SEL_CODE64,
				       .type = GATE_INTR64, .offset_mid = (uint16_t)(a >> 16),
				       .offset_hi = (uint32_t)(a >> 32) };
}

/* IDT, the APIC timer every `period_us`, the guest's own breakpoint. */
static void setup(uint32_t period_us)
{
	struct table_reg idtr = { sizeof(idt) - 1, (unsigned long)idt };
	uint64_t khz = cpuid(HV_FREQ_LEAF, 0).ebx;

	set_gate(1, debug_stub);
	set_gate(VEC_TIMER, timer_stub);
	lidt(&idtr);
	apic_write(APIC_SVR, APIC_ENABLE | 0xff);
	apic_write(APIC_TIMER_DCR, 0xb);		/* divide by 1 */
	apic_write(APIC_LVT_TIMER, TIMER_PERIODIC | VEC_TIMER);
	apic_write(APIC_TIMER_INIT, (uint32_t)((khz ? khz : 1000000) * period_us / 1000));
	write_dr0((unsigned long)&guard);
	write_dr7(OWN_DR7);
	__asm__ volatile("sti");
}

/* tick=US: the timer's period (default 1000); report=N: rounds between
 * report lines (16384, about a second under QEMU). Bochs needs fewer. */
void gdb64_main(const struct mb1_info *info)
{
	const char *cmdline = info->flags & MB1_INFO_CMDLINE ?
			      (const char *)(uintptr_t)info->cmdline : "";
	uint32_t report = cmdline_number(cmdline, "report", 16384);
	bool told = false;

	serial_init();
	setup(cmdline_number(cmdline, "tick", 1000));
	kprintf("gdb64: running, leaf at 0x%lx, copied code at 0x%lx\n", (unsigned long)leaf,
		(unsigned long)copied_code);
	for (;;) {
		rounds++;
		result += middle(rounds & 0xff);
		memcpy(copied_code, (const void *)copy_template,
		       (size_t)((char *)copy_template_end - (char *)copy_template));
		result += ((unsigned (*)(void))(void *)copied_code)();
		step_block();
		bump_watched();
		guard = (uint32_t)rounds;
		if (!told && (read_dr7() != OWN_DR7 || read_dr0() != (unsigned long)&guard)) {
			fail("own DR7 0x%lx DR0 0x%lx, not what the guest wrote", read_dr7(),
			     read_dr0());
			told = true;
		}
		if (!(rounds % report))
			kprintf("gdb64: round %lu, own DR7 0x%lx DR0 0x%lx, own #DB hits %lu\n",
				rounds, read_dr7(), read_dr0(), own_db_hits);
	}
}
