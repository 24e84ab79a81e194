/* TSC synchronisation check: the boot CPU reads its TSC, hands a turn to
 * the AP through one cache line, the AP reads its TSC and hands it back,
 * and the boot CPU reads again. Had the clocks been equal, the AP's
 * reading would lie between the boot CPU's two; its distance from their
 * midpoint is the skew, known to half the round trip. The round with the
 * shortest round trip is kept. */
#include <stdlib.h>

#include "cpu/tsc_sync.h"
#include "lib/cpu.h"
#include "lib/log.h"
#include "x86/insn.h"

#define ROUNDS		32

static struct {
	uint64_t turn;		/* odd: the AP's, even: the boot CPU's */
	uint64_t ap_tsc;
} __aligned(64) sync_line;

static struct {
	int64_t skew;		/* as measured */
	uint64_t error;		/* half the best round trip */
} measured[MAX_CPUS];

int64_t tsc_skew(unsigned cpu)
{
	const int64_t skew = measured[cpu].skew;

	return (uint64_t)llabs(skew) <= measured[cpu].error ? 0 : skew;
}

void tsc_sync_bsp(unsigned cpu)
{
	uint64_t best = UINT64_MAX;

	for (uint64_t round = 0; round < ROUNDS; round++) {
		uint64_t t0 = rdtsc_ordered(), t1;

		__atomic_store_n(&sync_line.turn, 2 * round + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&sync_line.turn, __ATOMIC_ACQUIRE) != 2 * round + 2)
			cpu_relax();
		t1 = rdtsc_ordered();
		if (t1 - t0 < best) {
			best = t1 - t0;
			measured[cpu].skew = (int64_t)(sync_line.ap_tsc - (t0 + (t1 - t0) / 2));
			measured[cpu].error = best / 2;
		}
	}
	__atomic_store_n(&sync_line.turn, 0, __ATOMIC_RELEASE);
}

void tsc_sync_ap(void)
{
	for (uint64_t round = 0; round < ROUNDS; round++) {
		while (__atomic_load_n(&sync_line.turn, __ATOMIC_ACQUIRE) != 2 * round + 1)
			cpu_relax();
		sync_line.ap_tsc = rdtsc_ordered();
		__atomic_store_n(&sync_line.turn, 2 * round + 2, __ATOMIC_RELEASE);
	}
}

void tsc_sync_report(void)
{
	uint64_t worst = 0, error = 0;
	unsigned worst_cpu = 0;

	for (unsigned cpu = 1; cpu < cpu_count(); cpu++) {
		uint64_t skew = (uint64_t)llabs(tsc_skew(cpu));

		log_debug("tsc: cpu%u is %lld cycles from cpu0, to within %llu", cpu,
			  (long long)measured[cpu].skew, (unsigned long long)measured[cpu].error);
		error = MAX(error, measured[cpu].error);
		if (skew > worst) {
			worst = skew;
			worst_cpu = cpu;
		}
	}
	if (cpu_count() < 2)
		return;
	if (!worst)
		log_info("tsc: all %u CPUs in step (to within %llu cycles)", cpu_count(),
			 (unsigned long long)error);
	else
		log_info("tsc: CPUs' TSCs differ, by up to %llu cycles (cpu%u): each vCPU's TSC offset compensates",
			 (unsigned long long)worst, worst_cpu);
}
