/* The exit trace: one ring per CPU written by that CPU, wrap-around,
 * the newest N printed oldest first, entries caught being written (or
 * already overwritten) skipped, and each reason's info in its line. */
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/exit_trace.h"
#include "hv/vm.h"
#include "tests/unit/host.h"
#include "tests/unit/timer_host.h"

#define CPUS		2
#define MAX_LINES	(EXIT_TRACE_LEN + 2)

static char lines[MAX_LINES][160];
static unsigned nlines;
static struct vm vm = { .name = "demo" };
static struct vcpu vcpu = { .vm = &vm, .id = 1 };

static void collect(void *ctx, const char *line)
{
	assert_true(nlines < MAX_LINES);
	assert_ptr_equal(ctx, lines);
	snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

static void print(unsigned cpu, unsigned n)
{
	nlines = 0;
	exit_trace_print(cpu, n, collect, lines);
}

/* Record `count` HLT exits on CPU `cpu`: exit k at rip k, TSC 1000 + 10k. */
static void record_hlts(unsigned cpu, unsigned count)
{
	struct vm_exit e = { .reason = EXIT_HLT, .vendor_code = 0x78 };

	host_set_cpu(cpu);
	for (unsigned k = 0; k < count; k++) {
		vcpu.rip = k;
		host_tsc_set(1000 + 10 * k);
		exit_trace_record(&vcpu, &e);
	}
	host_set_cpu(0);
}

/* The line exit k of record_hlts() prints, `first` being the first printed. */
static void expect_hlt_line(unsigned line, unsigned k, unsigned first)
{
	char want[160];

	snprintf(want, sizeof(want), "  tsc+%u vm demo vcpu1 hlt rip=%#x code=0x78",
		 10 * (k - first), k);
	assert_string_equal(lines[line], want);
}

static int reset_rings(void **state)
{
	for (unsigned cpu = 0; cpu < CPUS; cpu++)
		memset(exit_trace_ring(cpu), 0, exit_trace_bytes_per_cpu());
	return 0;
}

static void test_no_ring(void **state)
{
	assert_null(exit_trace_ring(CPUS));
	print(CPUS, 16);
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "exit trace cpu2: no such CPU, or no trace yet");
}

static void test_empty(void **state)
{
	print(0, 16);
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "exit trace cpu0: the last 0 of 0 exits, oldest first");
}

static void test_wraps_around(void **state)
{
	record_hlts(0, 300);
	print(0, 1000);		/* more than a ring holds: all it holds */
	assert_int_equal(nlines, 1 + EXIT_TRACE_LEN);
	assert_string_equal(lines[0], "exit trace cpu0: the last 256 of 300 exits, oldest first");
	for (unsigned i = 0; i < EXIT_TRACE_LEN; i++)
		expect_hlt_line(1 + i, 300 - EXIT_TRACE_LEN + i, 300 - EXIT_TRACE_LEN);
}

static void test_newest_oldest_first(void **state)
{
	record_hlts(0, 300);
	print(0, 3);
	assert_int_equal(nlines, 4);
	assert_string_equal(lines[0], "exit trace cpu0: the last 3 of 300 exits, oldest first");
	expect_hlt_line(1, 297, 297);
	expect_hlt_line(2, 298, 297);
	expect_hlt_line(3, 299, 297);
	print(0, 0);
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "exit trace cpu0: the last 0 of 300 exits, oldest first");
}

/* An entry whose sequence is odd (its CPU is writing it) or names a later
 * exit (written over since the reader looked) is skipped, not printed torn. */
static void test_skips_torn_entries(void **state)
{
	struct exit_trace_ring *ring = exit_trace_ring(0);

	record_hlts(0, 10);
	ring->entries[7].seq = 2 * 7 + 1;
	ring->entries[5].seq = 2 * (5 + EXIT_TRACE_LEN) + 2;
	print(0, 6);
	assert_int_equal(nlines, 7);
	assert_string_equal(lines[0], "exit trace cpu0: the last 6 of 10 exits, oldest first");
	expect_hlt_line(1, 4, 4);
	assert_string_equal(lines[2], "  (skipped: written while it was read)");
	expect_hlt_line(3, 6, 4);
	assert_string_equal(lines[4], "  (skipped: written while it was read)");
	expect_hlt_line(5, 8, 4);
	expect_hlt_line(6, 9, 4);
}

static bool writer_stop;

/* CPU 1 recording exits as fast as it can: exit k at rip k, port k & 0xffff. */
static void *writer(void *arg)
{
	struct vcpu v = { .vm = &vm };
	struct vm_exit e = { .reason = EXIT_IO, .io = { .size = 1 } };

	host_set_cpu(1);
	for (uint64_t k = 0; !__atomic_load_n(&writer_stop, __ATOMIC_RELAXED); k++) {
		v.rip = k;
		e.io.port = k & 0xffff;
		exit_trace_record(&v, &e);
	}
	return NULL;
}

/* Read CPU 1's ring while CPU 1 writes it: every line printed is one
 * whole exit (its port agrees with its rip), never a mix of two. */
static void test_reader_during_writes(void **state)
{
	unsigned whole = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	while (__atomic_load_n(&exit_trace_ring(1)->written, __ATOMIC_ACQUIRE) < EXIT_TRACE_LEN)
		sched_yield();
	for (unsigned round = 0; round < 2000; round++) {
		print(1, EXIT_TRACE_LEN);
		for (unsigned i = 1; i < nlines; i++) {
			unsigned long long rip, port;

			if (!strcmp(lines[i], "  (skipped: written while it was read)"))
				continue;
			assert_int_equal(sscanf(lines[i], "  tsc+%*u vm demo vcpu0 io port=%llx out size=1 "
						"rip=%llx", &port, &rip), 2);
			assert_int_equal(port, rip & 0xffff);
			whole++;
		}
	}
	__atomic_store_n(&writer_stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	assert_true(whole > 0);
}

/* Each CPU records into its own ring only. */
static void test_ring_per_cpu(void **state)
{
	record_hlts(1, 2);
	print(0, 16);
	assert_string_equal(lines[0], "exit trace cpu0: the last 0 of 0 exits, oldest first");
	print(1, 16);
	assert_int_equal(nlines, 3);
	assert_string_equal(lines[0], "exit trace cpu1: the last 2 of 2 exits, oldest first");
	expect_hlt_line(2, 1, 0);
}

/* Record `e` at rip 0x1000 and return its printed line. */
static const char *line_of(struct vm_exit e)
{
	vcpu.rip = 0x1000;
	host_tsc_set(5);
	exit_trace_record(&vcpu, &e);
	print(0, 1);
	assert_int_equal(nlines, 2);
	return lines[1];
}

static void test_reason_info(void **state)
{
	vcpu.gprs.rax = 0x40000000;
	vcpu.gprs.rcx = 0xffffffff00000001ull;	/* only ECX counts */
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_IO, .vendor_code = 0x7b,
		.io = { .port = 0x3f8, .size = 1 } }),
		"  tsc+0 vm demo vcpu1 io port=0x3f8 out size=1 rip=0x1000 code=0x7b");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_IO,
		.io = { .port = 0x60, .size = 2, .in = true, .string = true } }),
		"  tsc+0 vm demo vcpu1 io port=0x60 in size=2 string rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_TDP_FAULT, .vendor_code = 0x400,
		.fault = { .gpa = 0xfee00030, .write = true } }),
		"  tsc+0 vm demo vcpu1 tdp-fault gpa=0xfee00030 write rip=0x1000 code=0x400");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_TDP_FAULT,
		.fault = { .gpa = 0x2000, .fetch = true } }),
		"  tsc+0 vm demo vcpu1 tdp-fault gpa=0x2000 fetch rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_MSR_WRITE }),
		"  tsc+0 vm demo vcpu1 wrmsr msr=0x1 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_CPUID }),
		"  tsc+0 vm demo vcpu1 cpuid leaf=0x40000000 subleaf=0x1 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_HYPERCALL }),
		"  tsc+0 vm demo vcpu1 hypercall nr=0x40000000 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_EXCEPTION,
		.exception = { .vector = 18 } }),
		"  tsc+0 vm demo vcpu1 exception vector=18 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_EXCEPTION,
		.exception = { .vector = 13, .has_error = true, .error = 0xfff8 } }),
		"  tsc+0 vm demo vcpu1 exception vector=13 error=0xfff8 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_CR_ACCESS,
		.cr = { .cr = 8, .write = true, .gpr = 3 } }),
		"  tsc+0 vm demo vcpu1 cr cr8 write gpr=3 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_CR_ACCESS,
		.cr = { .cr = 4, .write = true, .gpr = -1 } }),
		"  tsc+0 vm demo vcpu1 cr cr4 write rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_CR_ACCESS,
		.cr = { .cr = 8, .gpr = -1 } }),
		"  tsc+0 vm demo vcpu1 cr cr8 read rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_XSETBV }),
		"  tsc+0 vm demo vcpu1 xsetbv xcr=0x1 rip=0x1000 code=0");
	assert_string_equal(line_of((struct vm_exit){ .reason = EXIT_INTERRUPT, .vendor_code = 0x60 }),
		"  tsc+0 vm demo vcpu1 interrupt rip=0x1000 code=0x60");
}

/* A VM name of the longest kind is kept whole. */
static void test_long_vm_name(void **state)
{
	struct vm named = { .name = "abcdefghijklmno" };
	struct vcpu v = { .vm = &named, .rip = 0x10 };

	exit_trace_record(&v, &(struct vm_exit){ .reason = EXIT_PAUSE });
	print(0, 1);
	assert_string_equal(lines[1], "  tsc+0 vm abcdefghijklmno vcpu0 pause rip=0x10 code=0");
}

static void test_bytes_per_cpu(void **state)
{
	assert_int_equal(exit_trace_bytes_per_cpu(), 64 + EXIT_TRACE_LEN * 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_ring, reset_rings),
		cmocka_unit_test_setup(test_empty, reset_rings),
		cmocka_unit_test_setup(test_wraps_around, reset_rings),
		cmocka_unit_test_setup(test_newest_oldest_first, reset_rings),
		cmocka_unit_test_setup(test_skips_torn_entries, reset_rings),
		cmocka_unit_test_setup(test_ring_per_cpu, reset_rings),
		cmocka_unit_test_setup(test_reader_during_writes, reset_rings),
		cmocka_unit_test_setup(test_reason_info, reset_rings),
		cmocka_unit_test_setup(test_long_vm_name, reset_rings),
		cmocka_unit_test(test_bytes_per_cpu),
	};

	host_cpus = CPUS;
	assert_int_equal(exit_trace_init(CPUS), 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
