/* Multiprocessor bring-up. The boot CPU copies the trampoline to its low
 * page, sets aside a block for every AP it will start (boot/ap_block.h)
 * and starts them in batches: INIT to the whole batch, one settle, two
 * SIPIs to each (Intel SDM "MP initialization"). Each AP takes a ticket in
 * the trampoline, ticket t being block t, sets itself up on that block and
 * halts. Once the batch is up, the boot CPU numbers its APs in firmware
 * order, counts each online and measures its TSC: the CPU numbers are the
 * same from boot to boot, and dense whichever CPUs fail. */
#include <stdlib.h>
#include <string.h>

#include "boot/ap_block.h"
#include "boot/ap_trampoline.h"
#include "boot/smp.h"
#include "boot/smp_select.h"
#include "cpu/fpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/kick.h"
#include "cpu/percpu.h"
#include "cpu/timer.h"
#include "cpu/tsc_sync.h"
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "hv/sched.h"
#include "lib/bug.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "mm/page.h"
#include "x86/insn.h"

#define INIT_SETTLE_US		10000	/* INIT to the first SIPI */
#define SIPI_RETRY_US		200	/* first SIPI to the second */
/* From a batch's second SIPI until all of its APs are set up. An AP needs
 * well under 1 ms on hardware; Bochs at 4 MIPS needs a few ms, QEMU running
 * a batch of vCPUs on two host threads some more. Generous: a CPU that
 * fails is rare and a false failure loses a CPU. */
#define AP_REPORT_TIMEOUT_US	1000000
/* APs started together: one INIT settle for all of them, and a bound on
 * how many CPUs wake at once to run the same code on the same memory. */
#define AP_BATCH		64
#define SIPI_PAGE_LIMIT		0x100000	/* a SIPI vector names a page below 1 MiB */

struct ap_start ap_start;

/* The APIC raises the spurious vector for an interrupt that vanished before
 * delivery; it sets no in-service bit, so there is nothing to acknowledge. */
static void spurious_interrupt(struct trap_frame *tf)
{
}

/* Count `pc` online and say so: the same line for every CPU. The boot CPU
 * logs it for each AP, which then cannot contend for the console. */
static void cpu_count_online(struct percpu *pc)
{
	log_info("cpu%u: online apic=%u", pc->id, pc->apic_id);
	percpu_set_online(pc);
}

void smp_init_bsp(void)
{
	int err = idt_set_handler(LAPIC_SPURIOUS_VECTOR, spurious_interrupt);

	if (err)
		panic("smp: cannot route the APIC spurious vector %#x: %d",
		      LAPIC_SPURIOUS_VECTOR, err);
	kick_init();
	lapic_init();
	this_cpu()->apic_id = lapic_id();
	cpu_count_online(this_cpu());
}

/* Until the boot CPU numbers it, the AP touches nothing CPU-local and
 * nothing that asks cpu_id(): its own tables, its APIC, its block. */
__noreturn void ap_main(struct percpu *pc)
{
	cpu_tables_load(pc);
	percpu_activate(pc);
	lapic_init();
	pc->apic_id = lapic_id();
	__atomic_store_n(&pc->started, true, __ATOMIC_RELEASE);
	while (__atomic_load_n(&pc->id, __ATOMIC_ACQUIRE) == AP_BLOCK_UNNUMBERED)
		halt_for_interrupt();
	fpu_init_cpu();
	timers_init_cpu();
	tsc_sync_ap();
	sched_loop();
}

/* Let APs take tickets until `more` beyond those taken are, at most
 * `blocks` in all; returns that limit. more = 0 closes the window and so
 * returns the tickets taken, for good. */
static unsigned tickets_allow(unsigned more, unsigned blocks)
{
	uint64_t old = __atomic_load_n(&ap_start.tickets, __ATOMIC_ACQUIRE), new;

	do {
		uint32_t taken = (uint32_t)old;

		new = (uint64_t)MIN(taken + more, blocks) << 32 | taken;
	} while (!__atomic_compare_exchange_n(&ap_start.tickets, &old, new, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return (uint32_t)(new >> 32);
}

/* How many tickets APs have taken so far. */
static unsigned tickets_taken(void)
{
	return (uint32_t)__atomic_load_n(&ap_start.tickets, __ATOMIC_ACQUIRE);
}

/* INIT to the whole batch, one settle, then two SIPIs to each: an AP that
 * has started already ignores the second. A failed send is logged by
 * lapic_send(); that AP then fails to come up like any other. */
static void batch_kick(const uint32_t *apic_ids, unsigned n, uint8_t sipi_page)
{
	for (unsigned i = 0; i < n; i++)
		lapic_send_init(apic_ids[i]);
	tsc_delay_us(INIT_SETTLE_US);
	for (unsigned i = 0; i < n; i++)
		lapic_send_sipi(apic_ids[i], sipi_page);
	tsc_delay_us(SIPI_RETRY_US);
	for (unsigned i = 0; i < n; i++)
		lapic_send_sipi(apic_ids[i], sipi_page);
}

static bool block_started(const struct percpu *pc)
{
	return __atomic_load_n(&pc->started, __ATOMIC_ACQUIRE);
}

/* Whether the AP on `pc` is set up and waits for its number. */
static bool block_waiting(const struct percpu *pc)
{
	return block_started(pc) && pc->id == AP_BLOCK_UNNUMBERED;
}

/* Wait until the APs of blocks [from, to) are all set up, or `deadline`
 * (us since boot) passes; returns whether they are. */
static bool blocks_wait(unsigned from, unsigned to, uint64_t deadline)
{
	for (unsigned t = from; t < to; t++) {
		while (!block_started(ap_start.blocks[t])) {
			if (tsc_us_since_boot() >= deadline)
				return false;
			cpu_relax();
		}
	}
	return true;
}

/* Number the waiting AP on `pc` as the next CPU, count it online and
 * measure its TSC; the kick that starts the measurement wakes it. */
static void ap_bring_online(struct percpu *pc)
{
	unsigned id = cpu_count();

	percpu_blocks[id] = pc;
	cpu_local_install(id, ap_block_cpu_local(pc));
	__atomic_store_n(&pc->id, id, __ATOMIC_RELEASE);
	cpu_count_online(pc);
	tsc_sync_bsp(id);
}

/* Bring online the waiting APs of blocks [from, to): those whose APIC IDs
 * apic_ids[0..n) lists first, in that order, then any other (one that woke
 * late from an earlier batch). */
static void blocks_bring_online(const uint32_t *apic_ids, unsigned n, unsigned from, unsigned to)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned t = from; t < to; t++) {
			struct percpu *pc = ap_start.blocks[t];

			if (block_waiting(pc) && pc->apic_id == apic_ids[i]) {
				ap_bring_online(pc);
				break;
			}
		}
	}
	for (unsigned t = from; t < to; t++)
		if (block_waiting(ap_start.blocks[t]))
			ap_bring_online(ap_start.blocks[t]);
}

/* Whether a CPU with APIC ID `apic_id` is online. */
static bool apic_id_online(uint32_t apic_id)
{
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		if (percpu_blocks[cpu]->apic_id == apic_id)
			return true;
	return false;
}

/* Name every AP of apic_ids[0..n) that is not online and park it with
 * INIT, which stops it wherever it is: the window is closed, so it can no
 * longer take a block. */
static void report_missing(const uint32_t *apic_ids, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (apic_id_online(apic_ids[i]))
			continue;
		log_warn("smp: the CPU with APIC ID %u did not come up within %u ms; continuing without it",
			 apic_ids[i], AP_REPORT_TIMEOUT_US / 1000);
		lapic_send_init(apic_ids[i]);
	}
}

/* Blocks for up to `n` APs in ap_start.blocks; returns how many there is
 * memory for. */
static unsigned blocks_alloc(unsigned n)
{
	unsigned got = 0;

	ap_start.blocks = calloc(n, sizeof(*ap_start.blocks));
	for (; ap_start.blocks && got < n; got++) {
		ap_start.blocks[got] = ap_block_alloc();
		if (!ap_start.blocks[got])
			break;
	}
	if (got < n)
		log_warn("smp: memory for %u of %u APs; starting %u", got, n, got);
	log_debug("smp: per-CPU memory: %zu KiB for each of %u APs (a %u KiB stack, a %zu-byte percpu block, %zu bytes of CPU-local variables); %zu bytes for each of the %u CPU slots, present or not",
		  ap_block_bytes() >> 10, got, PERCPU_STACK_SIZE >> 10, sizeof(struct percpu),
		  cpu_local_bytes(), sizeof(percpu_blocks[0]) + sizeof(cpu_local_offsets[0]),
		  MAX_CPUS);
	return got;
}

/* Start the APs apic_ids[0..n), which have blocks, a batch at a time, and
 * close the window; returns how many blocks were taken, all online. */
static unsigned start_batches(const uint32_t *apic_ids, unsigned n, uint8_t sipi_page)
{
	unsigned done = 0, taken;	/* blocks [0, done) are all online */

	for (unsigned first = 0; first < n; first += AP_BATCH) {
		unsigned size = MIN(AP_BATCH, n - first);
		unsigned allowed = tickets_allow(size, n);

		batch_kick(apic_ids + first, size, sipi_page);
		blocks_wait(done, allowed, tsc_us_since_boot() + AP_REPORT_TIMEOUT_US);
		blocks_bring_online(apic_ids + first, size, done, tickets_taken());
		while (done < n && ap_start.blocks[done]->id != AP_BLOCK_UNNUMBERED)
			done++;
	}
	/* A ticket taken is a CPU on its way: it must come online, or a CPU
	 * that runs on its block would be left out of every count. */
	taken = tickets_allow(0, n);
	if (!blocks_wait(done, taken, tsc_us_since_boot() + AP_REPORT_TIMEOUT_US))
		panic("smp: a CPU took its start block but did not come up within %u ms",
		      AP_REPORT_TIMEOUT_US / 1000);
	blocks_bring_online(NULL, 0, done, taken);
	return taken;
}

unsigned smp_boot(const uint32_t *apic_ids, unsigned n, unsigned max_cpus, uint64_t page)
{
	uint32_t *aps = malloc(MAX(n, 1) * sizeof(*aps));
	unsigned count, taken;

	if (!READ_ONCE(tsc_khz))
		panic("smp: smp_boot() needs tsc_calibrate() first: its timeouts use the TSC");
	if (!aps)
		panic("smp: no memory for the list of %u CPUs", n);
	count = smp_select_aps(apic_ids, n, lapic_id(), lapic_max_apic_id(), aps, MAX_CPUS - 1);
	count = MIN(count, MIN(max_cpus, MAX_CPUS) - 1);
	if (count && !page)
		panic("smp: no free 4 KiB page below 1 MiB in the memory map for the APs' start-up code: boot with nosmp");
	if (count) {
		static_assert(SIPI_PAGE_LIMIT / PAGE_SIZE <= 0x100, "a SIPI vector is 8 bits");
		BUG_ON(page % PAGE_SIZE || page >= SIPI_PAGE_LIMIT);
		memcpy(phys_to_virt(page), ap_trampoline_start, ap_trampoline_end - ap_trampoline_start);
		ap_start.final_cr3 = read_cr3();
		count = blocks_alloc(count);
		taken = start_batches(aps, count, page / PAGE_SIZE);
		/* The window is closed: no AP reads the table any more. */
		for (unsigned t = taken; t < count; t++)
			ap_block_free(ap_start.blocks[t]);
		free(ap_start.blocks);
		ap_start.blocks = NULL;
		if (taken < count)
			report_missing(aps, count);
	}
	free(aps);
	return cpu_count();
}
