/* TSC synchronisation check: the boot CPU reads its TSC, hands a turn to
 * the AP through one cache line, the AP reads its TSC and hands it back,
 * and the boot CPU reads again. Had the clocks been equal, the AP's
 * reading would lie between the boot CPU's two; its distance from their
 * midpoint is the skew, known to half the round trip. The round with the
 * shortest round trip is kept.
 *
 * The APs of a start batch wait for their turn together, each halted
 * until the line names it. Within a measurement each side spins for its
 * turn only briefly (a round trip takes well under a microsecond on
 * hardware), then halts until the other side's kick: an emulator that runs
 * many CPUs on fewer host threads, or on a loaded host, then gives the host
 * thread to the CPU that has work instead of to one that spins. A round
 * with a halt in it is slow and so never the one kept. */
#include <stdlib.h>

#include "cpu/kick.h"
#include "cpu/tsc_sync.h"
#include "drivers/tsc.h"
#include "lib/cpu.h"
#include "lib/cpu_local.h"
#include "lib/log.h"
#include "x86/insn.h"

#define ROUNDS		32
#define SPIN_US		50	/* how long a side spins for its turn before it halts */

/* The BSP's and the AP's side of the line. */
enum side { BSP_SIDE, AP_SIDE, SIDES };

static struct {
	unsigned cpu;		/* the AP being measured; 0: none */
	uint64_t turn;		/* odd: the AP's, even: the boot CPU's */
	uint64_t ap_tsc;
	bool halted[SIDES];	/* that side halts until the other kicks it */
} __aligned(64) sync_line;

struct tsc_measure {
	int64_t skew;		/* as measured */
	uint64_t error;		/* half the best round trip */
};

CPU_LOCAL(struct tsc_measure, measured);

int64_t tsc_skew(unsigned cpu)
{
	const struct tsc_measure *m = cpu_local_ptr(measured, cpu);

	return (uint64_t)llabs(m->skew) <= m->error ? 0 : m->skew;
}

/* Wait until the line's turn is `turn`: spin SPIN_US, then halt between
 * looks. `side` says it halts before its last look, and the other side
 * looks for that after it hands the turn over (sequentially consistent,
 * both): one of them sees the other, so no kick is missed. */
static void turn_wait(enum side side, uint64_t turn)
{
	uint64_t spin_end = tsc_now() + SPIN_US * READ_ONCE(tsc_khz) / 1000;

	while (__atomic_load_n(&sync_line.turn, __ATOMIC_SEQ_CST) != turn) {
		if (tsc_now() < spin_end) {
			cpu_relax();
			continue;
		}
		__atomic_store_n(&sync_line.halted[side], true, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&sync_line.turn, __ATOMIC_SEQ_CST) != turn)
			halt_for_interrupt();
		__atomic_store_n(&sync_line.halted[side], false, __ATOMIC_SEQ_CST);
	}
}

/* Hand the turn `turn` to the other side, which is CPU `to`, and kick it
 * if it has halted for it. */
static void turn_give(enum side to_side, unsigned to, uint64_t turn)
{
	__atomic_store_n(&sync_line.turn, turn, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sync_line.halted[to_side], __ATOMIC_SEQ_CST))
		cpu_kick(to);
}

void tsc_sync_bsp(unsigned cpu)
{
	struct tsc_measure *m = cpu_local_ptr(measured, cpu);
	uint64_t best = UINT64_MAX;

	__atomic_store_n(&sync_line.cpu, cpu, __ATOMIC_RELEASE);
	cpu_kick(cpu);
	for (uint64_t round = 0; round < ROUNDS; round++) {
		uint64_t t0 = rdtsc_ordered(), t1;

		turn_give(AP_SIDE, cpu, 2 * round + 1);
		turn_wait(BSP_SIDE, 2 * round + 2);
		t1 = rdtsc_ordered();
		if (t1 - t0 < best) {
			best = t1 - t0;
			m->skew = (int64_t)(sync_line.ap_tsc - (t0 + (t1 - t0) / 2));
			m->error = best / 2;
		}
	}
	__atomic_store_n(&sync_line.turn, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&sync_line.cpu, 0, __ATOMIC_RELEASE);
}

void tsc_sync_ap(void)
{
	while (__atomic_load_n(&sync_line.cpu, __ATOMIC_ACQUIRE) != cpu_id())
		halt_for_interrupt();
	for (uint64_t round = 0; round < ROUNDS; round++) {
		turn_wait(AP_SIDE, 2 * round + 1);
		sync_line.ap_tsc = rdtsc_ordered();
		turn_give(BSP_SIDE, 0, 2 * round + 2);
	}
}

void tsc_sync_report(void)
{
	uint64_t worst = 0, error = 0;
	unsigned worst_cpu = 0;

	for (unsigned cpu = 1; cpu < cpu_count(); cpu++) {
		const struct tsc_measure *m = cpu_local_ptr(measured, cpu);
		uint64_t skew = (uint64_t)llabs(tsc_skew(cpu));

		log_debug("tsc: cpu%u is %lld cycles from cpu0, to within %llu", cpu,
			  (long long)m->skew, (unsigned long long)m->error);
		error = MAX(error, m->error);
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
