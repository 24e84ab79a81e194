/* Multiprocessor bring-up. The boot CPU copies the trampoline to its low
 * page once, then for each AP in turn: allocates the AP's per-CPU block and
 * stack, hands the block over through the trampoline's parameters, sends
 * INIT, SIPI, SIPI (Intel SDM "MP initialization") and waits for the AP to
 * report. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "boot/ap_trampoline.h"
#include "boot/smp.h"
#include "boot/smp_select.h"
#include "cpu/fpu.h"
#include "cpu/gdt.h"
#include "cpu/idt.h"
#include "cpu/percpu.h"
#include "cpu/timer.h"
#include "cpu/tsc_sync.h"
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "hv/sched.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "x86/insn.h"

#define INIT_SETTLE_US		10000	/* INIT to the first SIPI */
#define SIPI_RETRY_US		200	/* first SIPI to the second */
/* From the second SIPI to the AP's report. An AP needs well under 1 ms on
 * hardware; Bochs at 4 MIPS needs a few ms. Generous: a CPU that fails is
 * rare and a false failure loses a CPU. */
#define AP_REPORT_TIMEOUT_US	1000000
#define AP_STACK_ALIGN		16	/* the SysV ABI's */

/* The block of the AP being started, until the start ends: the AP ends it
 * by reporting, the BSP by giving up. Both clear it with a compare-and-swap,
 * so exactly one wins, and a CPU that wakes late from an abandoned start
 * (its block no longer current) never comes online behind the BSP's back. */
static struct percpu *ap_starting;

/* End the start of `pc`; returns false if it had ended already. */
static bool ap_start_end(struct percpu *pc)
{
	return __atomic_compare_exchange_n(&ap_starting, &pc, NULL, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Spin until the start of `pc` ends or `us` microseconds pass; returns
 * whether it ended. */
static bool ap_wait(struct percpu *pc, uint64_t us)
{
	uint64_t deadline = tsc_us_since_boot() + us;

	while (__atomic_load_n(&ap_starting, __ATOMIC_ACQUIRE) == pc) {
		if (tsc_us_since_boot() >= deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/* The APIC raises the spurious vector for an interrupt that vanished before
 * delivery; it sets no in-service bit, so there is nothing to acknowledge. */
static void spurious_interrupt(struct trap_frame *tf)
{
}

/* Count the running CPU online and say so: the same line for every CPU.
 * The line comes first so that it precedes anything the BSP logs after
 * seeing this CPU online. */
static void cpu_come_online(struct percpu *pc)
{
	pc->apic_id = lapic_id();
	log_info("cpu%u: online apic=%u", pc->id, pc->apic_id);
	percpu_set_online(pc);
}

void smp_init_bsp(void)
{
	int err = idt_set_handler(LAPIC_SPURIOUS_VECTOR, spurious_interrupt);

	if (err)
		panic("smp: cannot route the APIC spurious vector %#x: %d",
		      LAPIC_SPURIOUS_VECTOR, err);
	lapic_init();
	cpu_come_online(this_cpu());
}

__noreturn void ap_main(struct percpu *pc)
{
	cpu_tables_load(pc);
	percpu_activate(pc);
	lapic_init();
	if (!ap_start_end(pc))
		cpu_halt_forever();	/* the BSP gave up on this start: stay out */
	fpu_init_cpu();
	timers_init_cpu();
	cpu_come_online(pc);
	tsc_sync_ap();
	sched_loop();
}

/* The parameter block inside the copy of the trampoline. */
static struct ap_boot_params *trampoline_params(void)
{
	uintptr_t offset = (uintptr_t)&ap_trampoline_params - (uintptr_t)ap_trampoline_start;

	return (struct ap_boot_params *)(AP_TRAMPOLINE_PA + offset);
}

/* A zeroed per-CPU block for CPU `id` with its own stack, or NULL. */
static struct percpu *ap_percpu_alloc(unsigned id)
{
	struct percpu *pc = memalign(_Alignof(struct percpu), sizeof(*pc));
	void *stack = memalign(AP_STACK_ALIGN, PERCPU_STACK_SIZE);

	if (!pc || !stack) {
		free(pc);
		free(stack);
		return NULL;
	}
	memset(pc, 0, sizeof(*pc));
	pc->id = id;
	pc->stack_top = (uintptr_t)stack + PERCPU_STACK_SIZE;
	return pc;
}

static void ap_percpu_free(struct percpu *pc)
{
	free((void *)(pc->stack_top - PERCPU_STACK_SIZE));
	free(pc);
}

/* INIT, wait, SIPI, and a second SIPI unless the AP has reported already;
 * returns whether it reported in time. */
static bool ap_kick(uint32_t apic_id, struct percpu *pc)
{
	if (!lapic_send_init(apic_id))
		return false;
	tsc_delay_us(INIT_SETTLE_US);
	if (!lapic_send_sipi(apic_id, AP_TRAMPOLINE_SIPI_PAGE))
		return false;
	if (ap_wait(pc, SIPI_RETRY_US))
		return true;
	if (!lapic_send_sipi(apic_id, AP_TRAMPOLINE_SIPI_PAGE))
		return false;
	return ap_wait(pc, AP_REPORT_TIMEOUT_US);
}

/* Start the AP `apic_id` as CPU `id` and wait until it is online. Returns
 * whether it came online. */
static bool ap_start(uint32_t apic_id, unsigned id)
{
	struct ap_boot_params *params = trampoline_params();
	struct percpu *pc = ap_percpu_alloc(id);

	if (!pc) {
		log_warn("smp: no memory for cpu%u (APIC ID %u); not started", id, apic_id);
		return false;
	}
	__atomic_store_n(&ap_starting, pc, __ATOMIC_RELEASE);
	__atomic_store_n(&params->percpu, (uintptr_t)pc, __ATOMIC_RELEASE);

	if (!ap_kick(apic_id, pc) && ap_start_end(pc)) {
		/* INIT stops the CPU wherever it is. If it took its block, it
		 * may have run on it: keep the memory rather than risk a
		 * use-after-free, since INIT lands asynchronously. */
		if (__atomic_exchange_n(&params->percpu, 0, __ATOMIC_ACQ_REL))
			ap_percpu_free(pc);
		lapic_send_init(apic_id);
		log_warn("smp: cpu%u (APIC ID %u) did not report within %u ms; continuing without it",
			 id, apic_id, AP_REPORT_TIMEOUT_US / 1000);
		return false;
	}
	/* It reported: it is at most a log line away from being online. */
	while (!READ_ONCE(pc->online))
		cpu_relax();
	tsc_sync_bsp(id);
	percpu_blocks[id] = pc;
	return true;
}

unsigned smp_boot(const uint32_t *apic_ids, unsigned n, unsigned max_cpus)
{
	uint32_t aps[MAX_CPUS - 1];
	unsigned count;

	if (!READ_ONCE(tsc_khz))
		panic("smp: smp_boot() needs tsc_calibrate() first: its timeouts use the TSC");
	max_cpus = MIN(max_cpus, MAX_CPUS);
	count = smp_select_aps(apic_ids, n, lapic_id(), lapic_max_apic_id(), aps, ARRAY_SIZE(aps));
	if (count == 0 || cpu_count() >= max_cpus)
		return cpu_count();

	memcpy((void *)AP_TRAMPOLINE_PA, ap_trampoline_start,
	       ap_trampoline_end - ap_trampoline_start);
	trampoline_params()->final_cr3 = read_cr3();
	for (unsigned i = 0; i < count && cpu_count() < max_cpus; i++)
		ap_start(aps[i], cpu_count());
	return cpu_count();
}
