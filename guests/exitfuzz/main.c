/*
 * Exit-path fuzzing: long seeded random sequences of the instructions
 * that exit to the hypervisor (CPUID, RDMSR/WRMSR, IN/OUT, MOV to CRs and
 * DRs, XSETBV, INVLPG, HLT with interrupts on, APIC and IOAPIC MMIO,
 * hypercalls, hidden virtualization instructions) with random operands,
 * each answer checked where the architecture fixes it (fuzz.h). Runs
 * until the VM has taken exits=N exits (20000) by the hypervisor's own
 * count, or after ops=N steps; seed=N (1) picks the sequence, and a
 * failure names the seed and ops= that replay it; trace=1 names each
 * step's class before it runs, only=CLASS runs that class alone;
 * dr7-gd=0, canonical-msrs=0 and sti-shadow=0 leave out checks of what an
 * emulator gets wrong, straddle=1 makes MMIO accesses cross their page
 * (fuzz.h). Prints one line per class and exits with status 0 only if
 * every expectation held and no interrupt but the timer's came. Needs the
 * hypervisor (expect=hv).
 */
#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/paging.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/string.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "exitfuzz";

#define DEFAULT_SEED		1
#define DEFAULT_EXITS		20000
#define EXIT_CHECK_STEPS	256	/* steps between reads of the exit counter */
#define PROGRESS_STEPS		(1u << 16)
#define FIRST_IRQ_VECTOR	32

static const struct fuzz_class *const classes[] = {
	&fuzz_cpuid, &fuzz_rdmsr, &fuzz_wrmsr, &fuzz_io, &fuzz_cr, &fuzz_dr, &fuzz_xsetbv,
	&fuzz_hlt, &fuzz_mmio, &fuzz_hypercall, &fuzz_ud,
};

static volatile uint32_t stray;

/* Any interrupt but the timer's (and the APIC's spurious one): nothing
 * else may be unmasked, so it is counted as a fault of the run. */
static void stray_interrupt(struct trap_frame *frame)
{
	stray++;
	apic_eoi();
}

/* The top of guest RAM below 4 GiB, from the memory map. */
static uint32_t ram_top(const struct boot_info *bi)
{
	uint64_t top = 0;

	for (unsigned i = 0; i < bi->nr_ranges; i++) {
		const struct mem_range *r = &bi->ranges[i];

		if (r->type == BOOT_MEMORY_AVAILABLE && r->base + r->length > top)
			top = r->base + r->length;
	}
	return top > 0xffffffffull ? 0xfffff000u : (uint32_t)top;
}

/* The weight class `i` runs with: its own, or with only=NAME 0 for
 * every class but NAME. */
static unsigned weight_of(unsigned i, const char *only, size_t only_len)
{
	const char *name = classes[i]->name;

	if (only && (strlen(name) != only_len || memcmp(name, only, only_len)))
		return 0;
	return classes[i]->weight;
}

/* The class of the next step, by weight. */
static unsigned pick_class(const unsigned *weights, unsigned total_weight)
{
	unsigned r = rng_below(total_weight), i = 0;

	while (r >= weights[i])
		r -= weights[i++];
	return i;
}

/* Handlers for every interrupt vector, the APIC, what CPUID allows, each
 * class's own setup, then paging (steps switch it off and on). */
static void setup(const struct boot_info *bi)
{
	for (unsigned v = FIRST_IRQ_VECTOR; v < APIC_SPURIOUS; v++)
		trap_set_handler(v, stray_interrupt);
	apic_enable(false);
	fuzz_cpu_init(ram_top(bi), bi->cmdline);
	if (fuzz_cpu.xsave)
		write_cr4(read_cr4() | CR4_OSXSAVE);
	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i]->init)
			classes[i]->init();
	if (!paging_enable())
		fail("no PSE: the steps run without paging only");
}

void guest_main(const struct boot_info *bi)
{
	uint32_t seed = cmdline_number(bi->cmdline, "seed", DEFAULT_SEED);
	uint32_t exits = cmdline_number(bi->cmdline, "exits", DEFAULT_EXITS);
	uint32_t ops = cmdline_number(bi->cmdline, "ops", 0);
	bool trace = cmdline_number(bi->cmdline, "trace", 0);
	size_t only_len;
	const char *only = cmdline_value(bi->cmdline, "only", &only_len);
	unsigned weights[ARRAY_SIZE(classes)], total_weight = 0, step;
	uint64_t start, done = 0;

	if (!cmdline_expect_hv(bi->cmdline)) {
		fail("needs the hypervisor's exit counter: expect=hv");
		return;
	}
	kprintf("exitfuzz: seed=%u exits=%u ops=%u\n", seed, exits, ops);
	setup(bi);
	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++)
		total_weight += weights[i] = weight_of(i, only, only_len);
	if (!total_weight) {
		fail("only= names none of the classes");
		return;
	}
	rng_seed(seed);
	fuzz_seed = seed;
	start = hypercall_counter(HC_COUNTER_EXITS);
	for (step = 0; !ops || step < ops; step++) {
		unsigned class;

		if (step % EXIT_CHECK_STEPS == 0) {
			done = hypercall_counter(HC_COUNTER_EXITS) - start;
			if (done >= exits)
				break;
		}
		if (step && step % PROGRESS_STEPS == 0)
			kprintf("exitfuzz: step %u, %llu exits\n", step, done);
		class = pick_class(weights, total_weight);
		if (trace)
			kprintf("exitfuzz: step %u: %s\n", step, classes[class]->name);
		fuzz_begin(step, class);
		classes[class]->step();
	}
	done = hypercall_counter(HC_COUNTER_EXITS) - start;
	pass("seed %u: %u steps, %llu exits", seed, step, done);
	check(!stray, "no interrupt but the timer's (%u others)", stray);
	fuzz_report(classes, ARRAY_SIZE(classes));
}
