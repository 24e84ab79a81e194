/*
 * A multiprocessor guest: the BSP starts every AP (INIT, SIPI, SIPI; the
 * VM's vCPU count from fw_cfg), each reports its APIC ID; fixed IPIs go
 * back and forth between the BSP and each AP (round trips counted and
 * timed), logical and all-but-self IPIs reach exactly their targets, an
 * NMI reaches each AP; then every vCPU adds its share of a sum, and the
 * total, printed as result=N, must be the same whatever the vCPU count.
 * remap=N: the BSP has the hypervisor unmap a buffer N times while the APs
 * read it (remote TLB flushes; the contents must stay). idle-ms=N: every
 * vCPU halts for N ms and the VM's exits meanwhile are printed (a figure).
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/cmdline.h"
#include "guests/lib/div64.h"
#include "guests/lib/fw_cfg.h"
#include "guests/lib/hypercall.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/smp.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

const char guest_name[] = "smp";

#define VEC_PING	0x70
#define VEC_PONG	0x71
#define VEC_CAST	0x72
#define VEC_WAKE	0x73
#define VEC_TIMER	0x74
#define ROUNDS		100
#define SUM_N		200000u
#define REMAP_PAGES	64
#define REMAP_WORDS	(REMAP_PAGES * 1024)
#define GEN_WORD	(REMAP_WORDS - 1024)	/* the last page: the BSP's round */
#define IDLE_MS_MAX	10000

static unsigned ncpus;
static volatile unsigned seen[SMP_MAX_CPUS], cast[SMP_MAX_CPUS], nmis[SMP_MAX_CPUS];
static volatile unsigned pongs, finished, work_gen, timer_fired;
static void (*volatile ap_work)(unsigned id);
static volatile uint64_t total;
static volatile uint32_t remap_buf[REMAP_WORDS] __aligned(4096);
static volatile bool remap_stop;
static volatile unsigned remap_bad;

/* The work: a value per index, summed. */
static uint64_t term(uint32_t i)
{
	uint32_t rem;

	div_u64_rem((uint64_t)i * i + 7 * i, 1000003, &rem);
	return rem;
}

static uint64_t sum_slice(unsigned part, unsigned parts)
{
	uint64_t s = 0;

	for (uint32_t i = part; i < SUM_N; i += parts)
		s += term(i);
	return s;
}

static void on_ping(struct trap_frame *f)
{
	apic_eoi();
	apic_send_ipi(0, VEC_PONG);
}

static void on_pong(struct trap_frame *f)
{
	pongs++;
	apic_eoi();
}

static void on_cast(struct trap_frame *f)
{
	atomic_inc(&cast[apic_id()]);
	apic_eoi();
}

static void on_wake(struct trap_frame *f)
{
	apic_eoi();
}

static void on_nmi(struct trap_frame *f)
{
	atomic_inc(&nmis[apic_id()]);
}

static void on_timer(struct trap_frame *f)
{
	timer_fired = 1;
	apic_eoi();
}

/* APs sleep until woken; each new work_gen runs ap_work once. */
static void ap_main(unsigned id)
{
	unsigned gen = 0;

	seen[id] = 1;
	if (id < 8)
		apic_write(APIC_LDR, 1u << (24 + id));	/* flat logical mode */
	for (;;) {
		__asm__ volatile("sti; hlt; cli");
		if (work_gen != gen) {
			gen = work_gen;
			ap_work(id);
			atomic_inc(&finished);
		}
	}
}

/* Wait with interrupts on until *counter reaches `want` or 1 s passes. */
static bool wait_for(volatile unsigned *counter, unsigned want)
{
	uint64_t deadline = rdtsc() + tsc_khz() * 1000;

	while (*counter < want && rdtsc() < deadline)
		__asm__ volatile("sti; nop; cli");
	return *counter >= want;
}

/* Have every AP run `work` once (they count `finished` when done). */
static void start_ap_work(void (*work)(unsigned id))
{
	finished = 0;
	ap_work = work;
	atomic_inc(&work_gen);
	apic_send_ipi(0, ICR_ALL_BUT_SELF | VEC_WAKE);
}

static void check_start(void)
{
	unsigned up = smp_start(ncpus, ap_main), ids = 0;

	/* An AP counts as up before it runs ap_main: give it a moment. */
	for (unsigned i = 1; i < ncpus; i++)
		ids += wait_for(&seen[i], 1);
	check(up == ncpus - 1 && ids == ncpus - 1,
	      "%u APs started (INIT, SIPI, SIPI), %u distinct APIC IDs reported", up, ids);
}

static void check_ping_pong(void)
{
	uint64_t t0 = rdtsc(), cycles;
	bool ok = true;

	pongs = 0;
	for (unsigned id = 1; id < ncpus && ok; id++) {
		for (unsigned r = 0; r < ROUNDS && ok; r++) {
			unsigned want = pongs + 1;

			apic_send_ipi(id, VEC_PING);
			ok = wait_for(&pongs, want);
		}
	}
	cycles = ncpus > 1 ? div_u64(rdtsc() - t0, (ncpus - 1) * ROUNDS) : 0;
	check(ok && pongs == (ncpus - 1) * ROUNDS, "%u IPI round trips BSP <-> each AP", pongs);
	if (ncpus > 1)
		kprintf("bench: ipi_roundtrip_cycles=%llu\n", (unsigned long long)cycles);
}

static void check_destinations(void)
{
	unsigned logical = ncpus > 4 ? 0xeu : ((1u << ncpus) - 1) & 0xeu, hits = 0, extra = 0;

	/* Logical flat: the APs 1..3 that exist. */
	apic_send_ipi(logical, ICR_LOGICAL | VEC_CAST);
	for (unsigned id = 1; id < ncpus && id < 4; id++)
		wait_for(&cast[id], 1);
	apic_send_ipi(0, ICR_ALL_BUT_SELF | VEC_CAST);
	for (unsigned id = 1; id < ncpus; id++)
		wait_for(&cast[id], id < 4 ? 2 : 1);
	for (unsigned id = 1; id < ncpus; id++)
		hits += cast[id] == (id < 4 ? 2u : 1u);
	extra = cast[0];
	check(hits == ncpus - 1 && !extra,
	      "logical and all-but-self IPIs: %u of %u APs got exactly theirs, the BSP %u",
	      hits, ncpus - 1, extra);
}

static void check_nmi(void)
{
	unsigned got = 0;

	for (unsigned id = 1; id < ncpus; id++) {
		apic_send_ipi(id, ICR_NMI);
		wait_for(&nmis[id], 1);
		got += nmis[id] == 1;
	}
	check(got == ncpus - 1, "NMI to each AP: %u of %u handled", got, ncpus - 1);
}

static void compute_share(unsigned id)
{
	atomic_add64(&total, sum_slice(id, ncpus));
}

static void check_compute(void)
{
	uint64_t want = sum_slice(0, 1);

	total = 0;
	start_ap_work(compute_share);
	compute_share(0);
	wait_for(&finished, ncpus - 1);
	check(finished == ncpus - 1 && total == want, "sum over %u vCPUs: %llu (alone: %llu)",
	      ncpus, (unsigned long long)total, (unsigned long long)want);
	kprintf("result=%llu\n", (unsigned long long)total);
}

static uint32_t remap_pattern(unsigned i)
{
	return i * 2654435761u;
}

/* An AP reads the buffer until told to stop, counting wrong words. It
 * reads with interrupts on, as a kernel would: Bochs' SVM does not exit
 * for a host interrupt while a guest runs with IF clear, so the spin
 * would keep the BSP off a CPU they share (docs/testing.md). */
static void remap_reader(unsigned id)
{
	unsigned bad = 0;

	__asm__ volatile("sti");
	while (!remap_stop)
		for (unsigned i = 0; i < GEN_WORD; i += 61)
			bad += remap_buf[i] != remap_pattern(i);
	__asm__ volatile("cli");
	atomic_add(&remap_bad, bad);
}

/* The VM's counter `which` since `base`. */
static uint64_t counter_since(enum hc_counter which, uint64_t base)
{
	return hypercall_counter(which) - base;
}

static void check_remap(unsigned rounds)
{
	uint64_t req0, done0, ipi0, req, done, ipis;
	unsigned failed = 0;

	for (unsigned i = 0; i < GEN_WORD; i++)
		remap_buf[i] = remap_pattern(i);
	remap_buf[GEN_WORD] = 0;
	remap_bad = 0;
	remap_stop = false;
	start_ap_work(remap_reader);
	req0 = hypercall_counter(HC_COUNTER_FLUSH_REQUESTS);
	done0 = hypercall_counter(HC_COUNTER_FLUSHES_DONE);
	ipi0 = hypercall_counter(HC_COUNTER_FLUSH_IPIS);
	for (unsigned r = 0; r < rounds; r++) {
		failed += hypercall_unmap((uint32_t)(uintptr_t)remap_buf, sizeof(remap_buf)) != 0;
		remap_buf[GEN_WORD] = r + 1;	/* maps the buffer again */
		udelay(100);
	}
	remap_stop = true;
	wait_for(&finished, ncpus - 1);
	req = counter_since(HC_COUNTER_FLUSH_REQUESTS, req0);
	done = counter_since(HC_COUNTER_FLUSHES_DONE, done0);
	ipis = counter_since(HC_COUNTER_FLUSH_IPIS, ipi0);
	for (unsigned i = 0; i < GEN_WORD; i++)
		remap_bad += remap_buf[i] != remap_pattern(i);
	check(!failed && finished == ncpus - 1 && !remap_bad && remap_buf[GEN_WORD] == rounds &&
	      req == rounds && done >= rounds,
	      "%u unmaps of 256 KiB read by %u APs: %u refused, %u wrong words, "
	      "%llu flushes requested, %llu done, %llu IPIs", rounds, ncpus - 1, failed, remap_bad,
	      (unsigned long long)req, (unsigned long long)done, (unsigned long long)ipis);
	kprintf("bench: vcpus=%u remap_rounds=%u flush_requests=%llu flushes_done=%llu "
		"flush_ipis=%llu\n", ncpus, rounds, (unsigned long long)req,
		(unsigned long long)done, (unsigned long long)ipis);
}

/* Every vCPU halts (the APs are asleep already) until the BSP's one-shot
 * timer ends the wait; the exits meanwhile are the idle cost. */
static void check_idle(unsigned ms)
{
	uint64_t exits0, exits, t0 = rdtsc();

	timer_fired = 0;
	apic_write(APIC_TIMER_DCR, 0x3);				/* divide by 16 */
	apic_write(APIC_LVT_TIMER, VEC_TIMER);
	exits0 = hypercall_counter(HC_COUNTER_EXITS);
	apic_write(APIC_TIMER_INIT, (uint32_t)(apic_timer_khz() * ms / 16));
	while (!timer_fired)
		__asm__ volatile("sti; hlt; cli");
	exits = counter_since(HC_COUNTER_EXITS, exits0);
	check(timer_fired && rdtsc() - t0 >= tsc_khz() * ms, "idle %u ms on %u vCPUs: %llu exits",
	      ms, ncpus, (unsigned long long)exits);
	kprintf("bench: vcpus=%u idle_ms=%u idle_exits=%llu\n", ncpus, ms,
		(unsigned long long)exits);
}

void guest_main(const struct boot_info *bi)
{
	uint32_t remap = cmdline_number(bi->cmdline, "remap", 0);
	uint32_t idle_ms = cmdline_number(bi->cmdline, "idle-ms", 0);

	ncpus = (unsigned)fw_cfg_read(FW_CFG_NB_CPUS, 2);
	if (ncpus < 1 || ncpus > SMP_MAX_CPUS) {
		fail("fw_cfg says %u CPUs", ncpus);
		return;
	}
	trap_set_handler(VEC_PING, on_ping);
	trap_set_handler(VEC_PONG, on_pong);
	trap_set_handler(VEC_CAST, on_cast);
	trap_set_handler(VEC_WAKE, on_wake);
	trap_set_handler(VEC_TIMER, on_timer);
	trap_set_handler(2, on_nmi);
	apic_enable(false);
	check_start();
	check_ping_pong();
	check_destinations();
	check_nmi();
	check_compute();
	if (remap)
		check_remap(remap);
	if (idle_ms)
		check_idle(idle_ms < IDLE_MS_MAX ? idle_ms : IDLE_MS_MAX);
}
