/* Trap dispatch and the exception report. An exception nobody handles is a
 * hypervisor bug: report the registers and a symbolized backtrace, then
 * hand the frame to the fatal handler (boot/panic.c: it ends as a panic
 * does), or halt this CPU when there is none. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cpu/extable.h"
#include "cpu/idt.h"
#include "cpu/percpu.h"
#include "cpu/symbols.h"
#include "cpu/traps.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"

#define BACKTRACE_MAX_FRAMES 32
#define NO_OWNER             (~0u)

/* Page-fault error code bits. */
#define PF_PRESENT     (1u << 0)
#define PF_WRITE       (1u << 1)
#define PF_USER        (1u << 2)
#define PF_RESERVED    (1u << 3)
#define PF_FETCH       (1u << 4)
#define PF_PROT_KEY    (1u << 5)
#define PF_SHADOW_STACK (1u << 6)

/* A canonical address far above any identity-mapped RAM. */
#define SELFTEST_UNMAPPED_VA 0x7ffffffff000ull

static const char *const exception_names[EXCEPTION_VECTORS] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "coprocessor-overrun", "#TS", "#NP", "#SS", "#GP", "#PF", "reserved",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "#HV", "#VC", "#SX", "reserved",
};

/* Reports (exception dumps, backtraces) are made one CPU at a time, and
 * each holds the console so its lines stay together. */
static struct {
	struct spinlock lock;
	unsigned owner;		/* CPU making a report, or NO_OWNER */
	bool nested_fault;	/* the owner faulted while reporting */
} report = { .lock = SPINLOCK_INIT, .owner = NO_OWNER };

static void (*fatal_handler)(const struct trap_frame *tf);

void traps_set_fatal_handler(void (*fn)(const struct trap_frame *tf))
{
	fatal_handler = fn;
}

/* Whether this CPU is in the middle of a report (so faulted inside one). */
static bool report_owned_here(void)
{
	return __atomic_load_n(&report.owner, __ATOMIC_RELAXED) == cpu_id();
}

/* Start a report. The caller must check report_owned_here() first: a CPU
 * that already owns the report would wait for itself. */
static void report_begin(void)
{
	spin_lock(&report.lock);
	__atomic_store_n(&report.owner, cpu_id(), __ATOMIC_RELAXED);
	log_hold();
}

/* Give the console and the report up for other CPUs. */
static void report_end(void)
{
	log_release();
	__atomic_store_n(&report.owner, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&report.lock);
}

/* Log one line of the report. */
#define report_line(...) log_error(__VA_ARGS__)

struct stack_range {
	uintptr_t lo, hi;	/* [lo, hi) */
};

/* The stacks this CPU may be running on: its own and its IST stacks.
 * Returns how many were stored in `ranges` (room for 1 + IST_COUNT). */
static unsigned cpu_stacks(struct stack_range *ranges)
{
	const struct percpu *pc = this_cpu();
	unsigned n = 0;

	if (pc->stack_top >= PERCPU_STACK_SIZE)
		ranges[n++] = (struct stack_range){ pc->stack_top - PERCPU_STACK_SIZE, pc->stack_top };
	for (unsigned i = 0; i < IST_COUNT; i++)
		ranges[n++] = (struct stack_range){ (uintptr_t)pc->ist_stacks[i],
						    (uintptr_t)pc->ist_stacks[i] + PERCPU_IST_SIZE };
	return n;
}

/* Index of the range holding a whole frame record (saved RBP, return
 * address) at `rbp`, or -1 if `rbp` is misaligned or on no known stack. */
static int frame_stack(const struct stack_range *ranges, unsigned n, uint64_t rbp)
{
	if (!IS_ALIGNED(rbp, 8))
		return -1;
	for (unsigned i = 0; i < n; i++)
		if (rbp >= ranges[i].lo && rbp <= ranges[i].hi - 16)
			return i;
	return -1;
}

enum frame_kind {
	FRAME_PC,		/* where the CPU was */
	FRAME_RETURN,		/* a return address from the RBP chain */
	FRAME_GUESS,		/* a return address found by frameless_caller() */
};

/* One backtrace line ("?" before a guessed frame's name). A return address
 * follows its call, so it is looked up one byte back: a call ending a
 * function must not name the next one. */
static void report_frame(unsigned depth, uint64_t addr, enum frame_kind kind)
{
	uint64_t lookup = kind == FRAME_PC ? addr : addr - 1;
	uint64_t offset;
	const char *name = symbol_lookup(lookup, &offset);

	if (name)
		report_line("    #%u 0x%016lx %s%s+0x%lx", depth, addr,
			    kind == FRAME_GUESS ? "? " : "", name, offset + (addr - lookup));
	else
		report_line("    #%u 0x%016lx ?", depth, addr);
}

/* Whether the code bytes before `addr` end with a call: a direct call
 * (e8 rel32) or an indirect one (ff /2, 2 to 7 bytes long). */
static bool follows_call(uint64_t addr)
{
	const uint8_t *code = (const uint8_t *)addr;

	if (code[-5] == 0xe8)
		return true;
	for (const uint8_t *insn = code - 2; insn >= code - 7; insn--)
		if (insn[0] == 0xff && ((insn[1] >> 3) & 7) == 2)
			return true;
	return false;
}

/* GCC gives a leaf function that needs no stack no frame, and a function
 * faulting at its first instruction has not linked its frame yet: there
 * the caller's return address is on top of the stack, and the RBP chain,
 * which starts at the caller's own frame, skips the caller.
 * Returns that address if the word at `sp` looks like one (in the text,
 * after a call) and the chain does not start with it, else 0. */
static uint64_t frameless_caller(const struct stack_range *ranges, unsigned n,
				 uint64_t sp, uint64_t rbp)
{
	uint64_t offset, addr;

	if (frame_stack(ranges, n, sp) < 0)
		return 0;
	addr = *(const uint64_t *)sp;
	if (!symbol_lookup(addr - 1, &offset) || !follows_call(addr))
		return 0;
	if (frame_stack(ranges, n, rbp) >= 0 && ((const uint64_t *)rbp)[1] == addr)
		return 0;
	return addr;
}

/* Report `pc` (of kind FRAME_PC or FRAME_RETURN) as frame #0; for an
 * exception (`sp` not 0) a frameless caller if there seems to be one; then
 * walk the RBP chain from `rbp`. Each record must lie on one of this CPU's
 * stacks, and above the previous one when on the same stack, so a corrupt
 * chain ends the walk instead of faulting or looping. */
static void report_backtrace(uint64_t rbp, uint64_t pc, enum frame_kind pc_kind, uint64_t sp)
{
	struct stack_range ranges[1 + IST_COUNT];
	unsigned nranges = cpu_stacks(ranges);
	unsigned depth = 0;
	int prev_stack = -1;
	uint64_t prev_rbp = 0, guess;

	report_line("  backtrace:");
	report_frame(depth++, pc, pc_kind);
	if (sp && (guess = frameless_caller(ranges, nranges, sp, rbp)))
		report_frame(depth++, guess, FRAME_GUESS);
	for (; depth < BACKTRACE_MAX_FRAMES; depth++) {
		int stack = frame_stack(ranges, nranges, rbp);
		const uint64_t *record = (const uint64_t *)rbp;

		if (stack < 0 || (stack == prev_stack && rbp <= prev_rbp) || record[1] == 0)
			break;
		report_frame(depth, record[1], FRAME_RETURN);
		prev_stack = stack;
		prev_rbp = rbp;
		rbp = record[0];
	}
}

/* Log a backtrace as one report (none while this CPU is reporting). */
static void backtrace_log(uint64_t rbp, uint64_t pc, enum frame_kind pc_kind)
{
	if (report_owned_here())
		return;
	report_begin();
	report_backtrace(rbp, pc, pc_kind, 0);
	report_end();
}

void backtrace_print(uint64_t rbp, uint64_t rip)
{
	backtrace_log(rbp, rip, FRAME_PC);
}

/* Starts at the caller: this function's return address and saved RBP. */
__attribute__((noinline)) void backtrace_here(void)
{
	const uint64_t *frame = __builtin_frame_address(0);

	backtrace_log(frame[0], (uintptr_t)__builtin_return_address(0), FRAME_RETURN);
}

/* The page-fault error code in words. */
static void report_page_fault(uint64_t error)
{
	const char *access = error & PF_FETCH ? "instruction fetch" :
			     error & PF_WRITE ? "write" : "read";

	report_line("  page fault: %s, %s, %s mode%s%s%s", access,
		    error & PF_PRESENT ? "protection violation" : "page not present",
		    error & PF_USER ? "user" : "supervisor",
		    error & PF_RESERVED ? ", reserved bit set" : "",
		    error & PF_PROT_KEY ? ", protection key" : "",
		    error & PF_SHADOW_STACK ? ", shadow stack" : "");
}

/* The interrupted code's registers, and the control registers now. */
static void report_registers(const struct trap_frame *tf)
{
	report_line("  rip=%016lx rsp=%016lx rflags=%016lx cs=%04lx ss=%04lx",
		    tf->rip, tf->rsp, tf->rflags, tf->cs, tf->ss);
	report_line("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx",
		    tf->rax, tf->rbx, tf->rcx, tf->rdx);
	report_line("  rsi=%016lx rdi=%016lx rbp=%016lx r8=%016lx",
		    tf->rsi, tf->rdi, tf->rbp, tf->r8);
	report_line("  r9=%016lx r10=%016lx r11=%016lx r12=%016lx",
		    tf->r9, tf->r10, tf->r11, tf->r12);
	report_line("  r13=%016lx r14=%016lx r15=%016lx", tf->r13, tf->r14, tf->r15);
	report_line("  cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx",
		    read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* Report an unhandled exception, then let the fatal handler end it (or
 * stop this CPU). A fault while this CPU is already reporting gets one
 * short line (the report state may be what is broken), a fault in that
 * line none; either way the report is given up so that other CPUs can
 * still report, and this CPU halts. */
static __noreturn void exception_halt(const struct trap_frame *tf)
{
	const char *name = exception_names[tf->vector];

	if (report_owned_here()) {
		if (!report.nested_fault) {
			report.nested_fault = true;
			log_error("EXCEPTION %s (vector %lu) at rip=%016lx while reporting; cpu%u halted",
				  name, tf->vector, tf->rip, cpu_id());
		}
		report.nested_fault = false;
		report_end();
		cpu_halt_forever();
	}
	report_begin();
	report_line("EXCEPTION %s (vector %lu) error=0x%016lx on cpu%u",
		    name, tf->vector, tf->error_code, cpu_id());
	if (tf->vector == VECTOR_PAGE_FAULT)
		report_page_fault(tf->error_code);
	report_registers(tf);
	report_backtrace(tf->rbp, tf->rip, FRAME_PC, tf->rsp);
	report_end();
	if (fatal_handler)
		fatal_handler(tf);
	log_error("cpu%u halted", cpu_id());
	cpu_halt_forever();
}

void trap_dispatch(struct trap_frame *tf)
{
	trap_handler_fn handler = idt_handler(tf->vector);

	if (handler) {
		handler(tf);
		return;
	}
	if (tf->vector == VECTOR_GENERAL_PROTECTION && extable_fixup(tf))
		return;
	if (tf->vector < EXCEPTION_VECTORS)
		exception_halt(tf);
	log_warn("unexpected interrupt vector %lu on cpu%u at rip=%016lx",
		 tf->vector, cpu_id(), tf->rip);
}

/* The provoke_* functions are kept out of line so that each backtrace
 * shows them under traps_selftest(). */
static __attribute__((noinline)) void provoke_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

static __attribute__((noinline)) void provoke_page_fault(void)
{
	*(volatile uint64_t *)SELFTEST_UNMAPPED_VA = 1;
}

static __attribute__((noinline)) void provoke_divide_error(void)
{
	uint32_t quotient, remainder;

	__asm__ volatile("divl %2" : "=a"(quotient), "=d"(remainder) : "r"(0), "a"(1), "d"(0));
}

static const struct {
	const char *name;
	void (*provoke)(void);
} selftests[] = {
	{ "ud", provoke_invalid_opcode },
	{ "pf", provoke_page_fault },
	{ "de", provoke_divide_error },
};

int traps_selftest(const char *which)
{
	for (size_t i = 0; which && i < ARRAY_SIZE(selftests); i++) {
		if (strcmp(which, selftests[i].name) != 0)
			continue;
		log_info("selftest: provoking %s", which);
		selftests[i].provoke();
		log_error("selftest: %s raised no exception", which);
		return -EIO;
	}
	return -EINVAL;
}
