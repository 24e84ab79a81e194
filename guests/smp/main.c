/*
 * A multiprocessor guest: the BSP starts every AP (INIT, SIPI, SIPI; the
 * VM's vCPU count from fw_cfg), each reports its APIC ID; fixed IPIs go
 * back and forth between the BSP and each AP (round trips counted and
 * timed), logical and all-but-self IPIs reach exactly their targets, an
 * NMI reaches each AP; then every vCPU adds its share of a sum, and the
 * total, printed as result=N, must be the same whatever the vCPU count.
 */
#include "guests/lib/apic.h"
#include "guests/lib/boot.h"
#include "guests/lib/div64.h"
#include "guests/lib/fw_cfg.h"
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
#define ROUNDS		100
#define SUM_N		200000u

static unsigned ncpus;
static volatile unsigned seen[SMP_MAX_CPUS], cast[SMP_MAX_CPUS], nmis[SMP_MAX_CPUS];
static volatile unsigned pongs, finished;
static volatile bool compute_go;
static volatile uint64_t total;

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

static void ap_main(unsigned id)
{
	bool done = false;

	seen[id] = 1;
	if (id < 8)
		apic_write(APIC_LDR, 1u << (24 + id));	/* flat logical mode */
	for (;;) {
		__asm__ volatile("sti; hlt; cli");
		if (compute_go && !done) {
			atomic_add64(&total, sum_slice(id, ncpus));
			done = true;
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

static void check_start(void)
{
	unsigned up = smp_start(ncpus, ap_main), ids = 0;

	for (unsigned i = 1; i < ncpus; i++)
		ids += seen[i];
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

static void check_compute(void)
{
	uint64_t want = sum_slice(0, 1);

	total = 0;
	finished = 0;
	compute_go = true;
	apic_send_ipi(0, ICR_ALL_BUT_SELF | VEC_WAKE);
	atomic_add64(&total, sum_slice(0, ncpus));
	wait_for(&finished, ncpus - 1);
	check(finished == ncpus - 1 && total == want, "sum over %u vCPUs: %llu (alone: %llu)",
	      ncpus, (unsigned long long)total, (unsigned long long)want);
	kprintf("result=%llu\n", (unsigned long long)total);
}

void guest_main(const struct boot_info *bi)
{
	ncpus = (unsigned)fw_cfg_read(FW_CFG_NB_CPUS, 2);
	if (ncpus < 1 || ncpus > SMP_MAX_CPUS) {
		fail("fw_cfg says %u CPUs", ncpus);
		return;
	}
	trap_set_handler(VEC_PING, on_ping);
	trap_set_handler(VEC_PONG, on_pong);
	trap_set_handler(VEC_CAST, on_cast);
	trap_set_handler(VEC_WAKE, on_wake);
	trap_set_handler(2, on_nmi);
	apic_enable(false);
	check_start();
	check_ping_pong();
	check_destinations();
	check_nmi();
	check_compute();
}
