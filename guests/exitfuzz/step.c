/* The bookkeeping of the fuzzer's steps: which step runs, the faults each
 * class raised, the expectations it checked and the ones that failed,
 * each failure named with what replays it. */
#include <stdarg.h>

#include "guests/exitfuzz/fuzz.h"
#include "guests/lib/print.h"
#include "guests/lib/report.h"
#include "guests/lib/trap.h"
#include "guests/lib/x86.h"

#define MAX_CLASSES	16
#define FAIL_LINES	16	/* detailed failures printed; the rest only counted */
#define VEC_DB		1

uint32_t fuzz_seed;

struct class_stats {
	uint32_t steps, checks, failed;
	uint32_t gp, ud, db, other;	/* faults raised */
};

static struct class_stats stats[MAX_CLASSES];
static unsigned current_class, current_step, fail_lines;

void fuzz_begin(unsigned index, unsigned class)
{
	current_step = index;
	current_class = class < MAX_CLASSES ? class : MAX_CLASSES - 1;
	stats[current_class].steps++;
}

int fuzz_try(void (*fn)(void *arg), void *arg)
{
	struct class_stats *s = &stats[current_class];
	int vector = trap_run(fn, arg);

	if (vector == VEC_GP)
		s->gp++;
	else if (vector == VEC_UD)
		s->ud++;
	else if (vector == VEC_DB)
		s->db++;
	else if (vector != TRAP_NONE)
		s->other++;
	return vector;
}

/* How a vector reads in a failure line. */
static void print_vector(int vector)
{
	if (vector == TRAP_NONE)
		kprintf("no fault");
	else if (vector == VEC_GP)
		kprintf("#GP");
	else if (vector == VEC_UD)
		kprintf("#UD");
	else if (vector == VEC_DB)
		kprintf("#DB");
	else
		kprintf("vector %d", vector);
}

/* Count one check; print the first FAIL_LINES that failed, each naming
 * the step and the command line that runs the same steps up to it. */
static void record(bool ok, int got, int want, const char *fmt, va_list ap)
{
	struct class_stats *s = &stats[current_class];

	s->checks++;
	if (ok)
		return;
	s->failed++;
	if (fail_lines++ >= FAIL_LINES)
		return;
	kprintf("FAIL %s: step %u (seed=%u ops=%u replays it): ", guest_name, current_step,
		fuzz_seed, current_step + 1);
	kvprintf(fmt, ap);
	if (got != want) {
		kprintf(": ");
		print_vector(got);
		kprintf(", expected ");
		print_vector(want);
	}
	kprintf("\n");
	report_add(0, 1);
}

void fuzz_expect(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ok, 0, 0, fmt, ap);
	va_end(ap);
}

void fuzz_expect_vector(int got, int want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(got == want, got, want, fmt, ap);
	va_end(ap);
}

void fuzz_report(const struct fuzz_class *const *classes, unsigned n)
{
	for (unsigned i = 0; i < n && i < MAX_CLASSES; i++) {
		const struct class_stats *s = &stats[i];

		check(!s->failed,
		      "%s: %u steps, %u of %u checks held; faults #GP %u #UD %u #DB %u other %u",
		      classes[i]->name, s->steps, s->checks - s->failed, s->checks, s->gp, s->ud,
		      s->db, s->other);
	}
}
