/* RCU: callbacks wait for every non-idle CPU's quiescent state, idle CPUs
 * never block a grace period, misuse is caught, and readers racing updaters
 * never see freed memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "lib/cpu.h"
#include "mm/rcu.h"
#include "tests/unit/death_host.h"
#include "tests/unit/host.h"

struct counted_cb {
	struct rcu_head rcu;
	int ran;
};

static void count_cb(struct rcu_head *head)
{
	container_of(head, struct counted_cb, rcu)->ran++;
}

/* Every test starts with `cpus` CPUs, all RCU-idle, running as CPU 0. */
static void use_cpus(unsigned cpus)
{
	host_cpus = cpus;
	host_set_cpu(0);
}

/* Leave every CPU idle with no callback pending, for the next test. */
static void all_idle(unsigned cpus)
{
	for (unsigned i = 0; i < cpus; i++) {
		host_set_cpu(i);
		if (!rcu_is_idle())
			rcu_idle_enter();
	}
	host_set_cpu(0);
	rcu_barrier();
}

static void test_callback_waits_for_every_cpu(void **state)
{
	struct counted_cb cb = { 0 };

	use_cpus(3);
	host_set_cpu(1);
	rcu_idle_exit();
	host_set_cpu(0);
	rcu_idle_exit();	/* CPU 2 stays idle throughout */

	call_rcu(&cb.rcu, count_cb);
	rcu_quiescent();
	assert_int_equal(cb.ran, 0);	/* CPU 1 has not passed a QS */

	host_set_cpu(1);
	rcu_quiescent();
	assert_int_equal(cb.ran, 0);	/* runs on the CPU that queued it */

	host_set_cpu(0);
	rcu_quiescent();
	assert_int_equal(cb.ran, 1);
	rcu_quiescent();
	assert_int_equal(cb.ran, 1);
	all_idle(3);
}

static void test_qs_before_call_does_not_count(void **state)
{
	struct counted_cb cb = { 0 };

	use_cpus(2);
	host_set_cpu(1);
	rcu_idle_exit();
	rcu_quiescent();
	host_set_cpu(0);
	rcu_idle_exit();
	call_rcu(&cb.rcu, count_cb);
	rcu_quiescent();
	assert_int_equal(cb.ran, 0);
	host_set_cpu(1);
	rcu_idle_enter();	/* going idle is a quiescent state too */
	host_set_cpu(0);
	rcu_quiescent();
	assert_int_equal(cb.ran, 1);
	all_idle(2);
}

static void test_reader_blocks_then_idle_releases(void **state)
{
	struct counted_cb cb = { 0 };

	use_cpus(2);
	host_set_cpu(1);
	rcu_idle_exit();
	rcu_read_lock();
	assert_true(rcu_read_lock_held());
	host_set_cpu(0);
	rcu_idle_exit();
	assert_false(rcu_read_lock_held());
	call_rcu(&cb.rcu, count_cb);
	for (int i = 0; i < 3; i++)
		rcu_quiescent();
	assert_int_equal(cb.ran, 0);
	host_set_cpu(1);
	rcu_read_unlock();
	rcu_quiescent();
	host_set_cpu(0);
	rcu_quiescent();
	assert_int_equal(cb.ran, 1);
	all_idle(2);
}

static void test_idle_cpus_do_not_block_synchronize(void **state)
{
	use_cpus(MAX_CPUS);
	rcu_idle_exit();
	synchronize_rcu();	/* MAX_CPUS - 1 idle CPUs: returns at once */
	assert_false(rcu_is_idle());
	all_idle(MAX_CPUS);
}

static void test_barrier_runs_other_cpus_callbacks(void **state)
{
	struct counted_cb cb[4] = { 0 };

	use_cpus(2);
	rcu_idle_exit();
	host_set_cpu(1);
	rcu_idle_exit();
	for (int i = 0; i < 4; i++)
		call_rcu(&cb[i].rcu, count_cb);
	rcu_idle_enter();	/* not ready yet: CPU 0 may still read */
	host_set_cpu(0);
	assert_int_equal(cb[0].ran, 0);
	rcu_barrier();
	for (int i = 0; i < 4; i++)
		assert_int_equal(cb[i].ran, 1);
	assert_false(rcu_is_idle());
	all_idle(2);
}

struct sync_reader {
	int in_section;		/* 1 while inside its read section */
	int left_section;	/* set just before it leaves */
	int stop;
};

static void *sync_reader_main(void *arg)
{
	struct sync_reader *r = arg;
	struct timespec ms = { 0, 1000000 };

	host_set_cpu(1);
	rcu_idle_exit();
	rcu_read_lock();
	__atomic_store_n(&r->in_section, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 30; i++)
		nanosleep(&ms, NULL);
	__atomic_store_n(&r->left_section, 1, __ATOMIC_SEQ_CST);
	rcu_read_unlock();
	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST))
		rcu_quiescent();
	rcu_idle_enter();
	return NULL;
}

static void test_synchronize_waits_for_reader(void **state)
{
	struct sync_reader r = { 0 };
	pthread_t t;

	use_cpus(2);
	rcu_idle_exit();
	assert_int_equal(pthread_create(&t, NULL, sync_reader_main, &r), 0);
	while (!__atomic_load_n(&r.in_section, __ATOMIC_SEQ_CST))
		;
	synchronize_rcu();
	assert_int_equal(__atomic_load_n(&r.left_section, __ATOMIC_SEQ_CST), 1);
	__atomic_store_n(&r.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	all_idle(2);
}

#define STRESS_READERS	3
#define STRESS_UPDATES	3000
#define STRESS_MAGIC	0x5eed5eedu

struct stress_obj {
	struct rcu_head rcu;
	unsigned magic;
	unsigned version;
};

static struct stress_obj *stress_ptr;
static int stress_stop;

static void stress_free(struct rcu_head *head)
{
	struct stress_obj *o = container_of(head, struct stress_obj, rcu);

	o->magic = 0;	/* a reader that still saw it would notice */
	free(o);
}

static void *stress_reader(void *arg)
{
	unsigned cpu = (unsigned)(uintptr_t)arg, last = 0;
	long bad = 0;

	host_set_cpu(cpu);
	rcu_idle_exit();
	while (!__atomic_load_n(&stress_stop, __ATOMIC_ACQUIRE)) {
		rcu_read_lock();
		struct stress_obj *o = rcu_dereference(stress_ptr);

		if (o->magic != STRESS_MAGIC || o->version < last)
			bad++;
		last = o->version;
		rcu_read_unlock();
		if (cpu == 2 && (last & 63) == 0) {
			rcu_idle_enter();	/* idle spells must be harmless */
			rcu_idle_exit();
		}
		rcu_quiescent();
	}
	rcu_idle_enter();
	return (void *)bad;
}

static struct stress_obj *stress_new(unsigned version)
{
	struct stress_obj *o = malloc(sizeof(*o));

	o->magic = STRESS_MAGIC;
	o->version = version;
	return o;
}

static void test_stress_readers_never_see_freed(void **state)
{
	pthread_t t[STRESS_READERS];

	use_cpus(STRESS_READERS + 1);
	rcu_idle_exit();
	stress_ptr = stress_new(0);
	for (unsigned i = 0; i < STRESS_READERS; i++)
		pthread_create(&t[i], NULL, stress_reader, (void *)(uintptr_t)(i + 1));
	for (unsigned v = 1; v <= STRESS_UPDATES; v++) {
		struct stress_obj *old = stress_ptr;

		rcu_assign_pointer(stress_ptr, stress_new(v));
		if (v % 100 == 0) {
			synchronize_rcu();
			stress_free(&old->rcu);
		} else {
			call_rcu(&old->rcu, stress_free);
		}
		rcu_quiescent();
	}
	__atomic_store_n(&stress_stop, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < STRESS_READERS; i++) {
		void *bad;

		pthread_join(t[i], &bad);
		assert_null(bad);
	}
	all_idle(STRESS_READERS + 1);
	free(stress_ptr);
}

static void qs_inside_read_section(void *arg)
{
	rcu_idle_exit();
	rcu_read_lock();
	rcu_quiescent();
}

static void read_lock_while_idle(void *arg)
{
	rcu_read_lock();
}

static void dereference_outside_section(void *arg)
{
	int *p = arg;

	rcu_idle_exit();
	(void)rcu_dereference(p);
}

static void unbalanced_unlock(void *arg)
{
	rcu_idle_exit();
	rcu_read_unlock();
}

static void test_misuse_is_fatal(void **state)
{
	use_cpus(1);
	assert_true(host_dies(qs_inside_read_section, NULL));
	assert_true(host_dies(read_lock_while_idle, NULL));
	assert_true(host_dies(dereference_outside_section, NULL));
	assert_true(host_dies(unbalanced_unlock, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_waits_for_every_cpu),
		cmocka_unit_test(test_qs_before_call_does_not_count),
		cmocka_unit_test(test_reader_blocks_then_idle_releases),
		cmocka_unit_test(test_idle_cpus_do_not_block_synchronize),
		cmocka_unit_test(test_barrier_runs_other_cpus_callbacks),
		cmocka_unit_test(test_synchronize_waits_for_reader),
		cmocka_unit_test(test_stress_readers_never_see_freed),
		cmocka_unit_test(test_misuse_is_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
