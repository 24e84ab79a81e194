/* CPU-local variables: CPU 0's copy is the program's own, every other CPU
 * has one of its own, zeroed and as aligned as the variable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/cpu_local.h"
#include "tests/unit/host.h"

struct line {
	uint64_t words[8];
} __aligned(64);

CPU_LOCAL(unsigned, counter);
CPU_LOCAL(struct line, line);

static void test_cpu0_is_the_program_copy(void **state)
{
	host_set_cpu(0);
	assert_ptr_equal(this_cpu_ptr(counter), &counter);
	assert_ptr_equal(cpu_local_ptr(line, 0), &line);
}

static void test_each_cpu_has_its_own(void **state)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		host_set_cpu(cpu);
		assert_int_equal(*this_cpu_ptr(counter), 0);
		*this_cpu_ptr(counter) = cpu + 1;
	}
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		assert_int_equal(*cpu_local_ptr(counter, cpu), cpu + 1);
	host_set_cpu(0);
}

static void test_copies_keep_alignment(void **state)
{
	assert_true(cpu_local_bytes() >= sizeof(struct line) + sizeof(unsigned));
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		assert_int_equal((uintptr_t)cpu_local_ptr(line, cpu) % _Alignof(struct line), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu0_is_the_program_copy),
		cmocka_unit_test(test_each_cpu_has_its_own),
		cmocka_unit_test(test_copies_keep_alignment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
