/* Choosing the APs to start from the firmware's CPU list: the boot CPU,
 * unaddressable IDs and repeats are dropped with a warning, order is kept,
 * and the output never overflows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/smp_select.h"
#include "tests/unit/host.h"

#define XAPIC_MAX_ID  0xfeu
#define X2APIC_MAX_ID 0xfffffffeu
#define POISON        0xdeadbeefu

static uint32_t out[8];

static int setup(void **state)
{
	for (unsigned i = 0; i < ARRAY_SIZE(out); i++)
		out[i] = POISON;
	host_last_log[0] = '\0';
	return 0;
}

static void test_skips_bsp_keeps_order(void **state)
{
	const uint32_t ids[] = { 3, 0, 1, 2 };

	assert_int_equal(smp_select_aps(ids, 4, 0, XAPIC_MAX_ID, out, 8), 3);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 2);
	assert_int_equal(out[3], POISON);
	assert_string_equal(host_last_log, "");
}

static void test_bsp_not_first_and_nonzero(void **state)
{
	const uint32_t ids[] = { 0, 1, 4 };

	assert_int_equal(smp_select_aps(ids, 3, 4, XAPIC_MAX_ID, out, 8), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1);
}

static void test_only_bsp(void **state)
{
	const uint32_t ids[] = { 0 };

	assert_int_equal(smp_select_aps(ids, 1, 0, XAPIC_MAX_ID, out, 8), 0);
	assert_int_equal(out[0], POISON);
}

static void test_empty_list(void **state)
{
	assert_int_equal(smp_select_aps(NULL, 0, 0, XAPIC_MAX_ID, out, 8), 0);
	assert_int_equal(out[0], POISON);
}

static void test_duplicate_dropped(void **state)
{
	const uint32_t ids[] = { 0, 2, 5, 2 };

	assert_int_equal(smp_select_aps(ids, 4, 0, XAPIC_MAX_ID, out, 8), 2);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 5);
	assert_string_equal(host_last_log, "smp: APIC ID 0x2 listed twice; started once");
}

static void test_broadcast_and_beyond_dropped_in_xapic_mode(void **state)
{
	const uint32_t ids[] = { 0, 0xff, 0x100, 0xfe };

	assert_int_equal(smp_select_aps(ids, 4, 0, XAPIC_MAX_ID, out, 8), 1);
	assert_int_equal(out[0], 0xfe);
	assert_string_equal(host_last_log,
			    "smp: APIC ID 0x100 is beyond 0xfe, the highest the APIC mode in use addresses"
			    " (xAPIC mode: higher IDs need x2APIC, which this CPU lacks); not started");
}

static void test_wide_ids_kept_in_x2apic_mode(void **state)
{
	const uint32_t ids[] = { 0, 0x100, 0xffffffff };

	assert_int_equal(smp_select_aps(ids, 3, 0, X2APIC_MAX_ID, out, 8), 1);
	assert_int_equal(out[0], 0x100);
	assert_string_equal(host_last_log,
			    "smp: APIC ID 0xffffffff is beyond 0xfffffffe, the highest the APIC mode in use addresses; not started");
}

static void test_output_never_overflows(void **state)
{
	const uint32_t ids[] = { 0, 1, 2, 3, 4 };

	assert_int_equal(smp_select_aps(ids, 5, 0, XAPIC_MAX_ID, out, 2), 2);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], POISON);
	assert_string_equal(host_last_log,
			    "smp: at most 2 APs can be started; APIC ID 0x3 and later ones are not");
}

static void test_repeat_after_full_is_a_repeat(void **state)
{
	const uint32_t ids[] = { 1, 0, 1 };

	assert_int_equal(smp_select_aps(ids, 3, 0, XAPIC_MAX_ID, out, 1), 1);
	assert_int_equal(out[0], 1);
	assert_string_equal(host_last_log, "smp: APIC ID 0x1 listed twice; started once");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_skips_bsp_keeps_order, setup),
		cmocka_unit_test_setup(test_bsp_not_first_and_nonzero, setup),
		cmocka_unit_test_setup(test_only_bsp, setup),
		cmocka_unit_test_setup(test_empty_list, setup),
		cmocka_unit_test_setup(test_duplicate_dropped, setup),
		cmocka_unit_test_setup(test_broadcast_and_beyond_dropped_in_xapic_mode, setup),
		cmocka_unit_test_setup(test_wide_ids_kept_in_x2apic_mode, setup),
		cmocka_unit_test_setup(test_output_never_overflows, setup),
		cmocka_unit_test_setup(test_repeat_after_full_is_a_repeat, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
